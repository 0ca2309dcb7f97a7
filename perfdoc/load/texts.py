"""Loading a department folder from file contents instead of paths (e.g. a git revision).

The same checks and messages as :mod:`perfdoc.load.loader`: the contents are
bytes as they would be read from disk, named by the paths they stand for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..model import Department, DepartmentFolder, Project, ProjectFile
from .loader import DEPARTMENT_FILE, LoadResult, _problem, load_bytes

__all__ = ["load_department_texts"]


def load_department_texts(folder: Path, files: Mapping[str, bytes]) -> LoadResult:
    """Load one department folder from ``files``: file name (``department.toml``, ``党群服务站.toml``) → bytes.

    Only ``*.toml`` names directly in the folder are read, as :func:`perfdoc.load.load_department`
    does; problems name the files as ``folder / name``.
    """
    folder = Path(folder)
    result = LoadResult()
    problems = result.problems
    dep_path = folder / DEPARTMENT_FILE
    if DEPARTMENT_FILE not in files:
        problems.append(_problem(dep_path, 1, 1, "PD006", "文件夹中没有 department.toml，它不是一个单位文件夹"))
        return result
    source, model = load_bytes(dep_path, files[DEPARTMENT_FILE], Department, problems)
    dep = DepartmentFolder(folder, source, model)
    for name in sorted(files):
        if name == DEPARTMENT_FILE or name.startswith(".") or not name.endswith(".toml") or "/" in name:
            continue
        path = folder / name
        source, project = load_bytes(path, files[name], Project, problems)
        if project is not None:
            dep.projects.append(ProjectFile(path.stem, source, project, dep))
    if not dep.projects and not any(p.file.parent == folder and p.fatal for p in problems):
        problems.append(_problem(dep_path, 1, 1, "PD006", "文件夹中没有项目文件（*.toml）"))
    result.departments.append(dep)
    return result
