"""Loading a department folder from file contents instead of paths (e.g. a git revision).

The same checks and messages as :mod:`perfdoc.load.loader`: the contents are
bytes as they would be read from disk, named by the paths they stand for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..model import Department, DepartmentFolder, Problem, Project, ProjectFile, SourceFile
from .loader import DEPARTMENT_FILE, MAX_FILE_BYTES, LoadResult, _parse, _problem, _validate
from .positions import scan

__all__ = ["load_department_texts"]


def _decode(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    """Bytes → text with the checks of the loader's file reading (size, binary, UTF-8, empty)."""
    if len(data) > MAX_FILE_BYTES:
        problems.append(_problem(path, 1, 1, "PD005",
                                 f"文件过大（{len(data) / 1048576:.1f} MB），项目文件不应超过 {MAX_FILE_BYTES // 1048576} MB"))
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        problems.append(_problem(path, line, 1, "PD005", "这不是文本文件（含有二进制数据），项目文件应是 UTF-8 编码的 TOML"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(_problem(path, line, col, "PD005",
                                 f"文件不是 UTF-8 编码：第 {line} 行有无法识别的字节（可能是 GBK 编码，请在编辑器中另存为 UTF-8）"))
        return None
    if not text.strip():
        problems.append(_problem(path, 1, 1, "PD005", "文件是空的"))
        return None
    return text


def _load(path: Path, data: bytes, model_cls, problems: list[Problem]):
    text = _decode(path, data, problems)
    if text is None:
        return None, None
    parsed = _parse(path, text, problems)
    if parsed is None:
        return None, None
    source = SourceFile(path, text, scan(text))
    return source, _validate(model_cls, source, parsed, problems)


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
    source, model = _load(dep_path, files[DEPARTMENT_FILE], Department, problems)
    dep = DepartmentFolder(folder, source, model)
    for name in sorted(files):
        if name == DEPARTMENT_FILE or name.startswith(".") or not name.endswith(".toml") or "/" in name:
            continue
        path = folder / name
        source, project = _load(path, files[name], Project, problems)
        if project is not None:
            dep.projects.append(ProjectFile(path.stem, source, project, dep))
    if not dep.projects and not any(p.file.parent == folder and p.fatal for p in problems):
        problems.append(_problem(dep_path, 1, 1, "PD006", "文件夹中没有项目文件（*.toml）"))
    result.departments.append(dep)
    return result
