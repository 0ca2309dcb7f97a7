"""``perfdoc build``: every project's 申报表 and 经费说明 into out/<department>/.

Top of the pipeline: load → check → render each project → write atomically.
Projects with error-level faults are refused unless ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .check import check_departments
from .load import LoadResult, load_paths
from .model import DepartmentFolder, Problem, ProjectFile, Severity
from .render.declaration import build_declaration
from .render.document import save_document
from .render.narrative import build_narrative
from .render.template import Template, TemplateError, find_template
from .scaffold import safe_file_stem

__all__ = ["BuildResult", "build", "output_names", "department_out_dir"]

DECLARATION_SUFFIX = "-申报表.docx"
NARRATIVE_SUFFIX = "-经费说明.docx"


@dataclass
class BuildResult:
    loaded: LoadResult
    written: list[Path] = field(default_factory=list)
    refused: dict[str, list[Problem]] = field(default_factory=dict)  # project file -> its errors
    errors: list[str] = field(default_factory=list)  # departments that could not be built (template…)

    @property
    def fatal(self) -> bool:
        return self.loaded.fatal or bool(self.errors)


def department_out_dir(out: Path, dep: DepartmentFolder) -> Path:
    return Path(out) / safe_file_stem(dep.path.resolve().name)


def output_names(projects: list[ProjectFile]) -> dict[str, str]:
    """File stem for each project (by key): its name made safe; unique within the department."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for project in projects:
        stem = safe_file_stem(project.model.name)
        if stem.lower() in used:
            stem = f"{stem}_{safe_file_stem(project.key)}"
        used.add(stem.lower())
        names[project.key] = stem
    return names


def build(
    paths: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    loaded = load_paths(list(paths))
    result = BuildResult(loaded)
    if loaded.fatal:
        return result
    problems = check_departments(loaded.departments)
    errors_by_file: dict[Path, list[Problem]] = {}
    for p in problems:
        if p.severity is Severity.ERROR:
            errors_by_file.setdefault(Path(p.file), []).append(p)

    jobs: list[tuple[DepartmentFolder, Template, int, ProjectFile]] = []
    for dep in loaded.departments:
        try:
            template = find_template(dep.model.layout.template if dep.model else None, dep.path)
        except TemplateError as exc:
            result.errors.append(f"{dep.path}: {exc}")
            continue
        for number, project in enumerate(dep.ordered_projects(), start=1):
            errs = errors_by_file.get(Path(project.path))
            if errs and not force:
                result.refused[str(project.path)] = errs
                continue
            jobs.append((dep, template, number, project))

    names_by_dep = {id(dep): output_names(dep.ordered_projects()) for dep in loaded.departments}
    for done, (dep, template, number, project) in enumerate(jobs, start=1):
        folder = department_out_dir(out, dep)
        stem = names_by_dep[id(dep)][project.key]
        if progress:
            progress(done, len(jobs), project.model.name)
        name = project.model.name
        declaration = build_declaration(project, template, number=number)
        path = folder / f"{stem}{DECLARATION_SUFFIX}"
        save_document(declaration, path, title=f"{name} 绩效目标申报表", subject=dep.name)
        result.written.append(path)
        narrative = build_narrative(project, template, number=number)
        path = folder / f"{stem}{NARRATIVE_SUFFIX}"
        save_document(narrative, path, title=f"{name} 项目经费情况说明", subject=dep.name)
        result.written.append(path)
    return result
