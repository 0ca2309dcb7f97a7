"""What a build did, and the names of what it writes (light: no model, no renderer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..filenames import safe_file_stem
from ..model.problem import Problem

__all__ = ["BuildResult", "department_out_dir", "output_names", "DECLARATION_SUFFIX", "NARRATIVE_SUFFIX",
           "SELFEVAL_SUFFIX"]

DECLARATION_SUFFIX = "-申报表.docx"
NARRATIVE_SUFFIX = "-经费说明.docx"
SELFEVAL_SUFFIX = "-自评表.docx"


@dataclass
class BuildResult:
    #: What loading found (every problem, warnings too), and templates or attachments that cannot be used.
    problems: list[Problem] = field(default_factory=list)
    projects: int = 0  # project files loaded (or, for a department unchanged since the last build, recorded)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    refused: dict[str, list[Problem]] = field(default_factory=dict)  # project file -> its errors
    forced: dict[str, list[Problem]] = field(default_factory=dict)  # built despite its errors (force)
    errors: list[str] = field(default_factory=list)  # departments that could not be built
    stopped: bool = False  # an output path was refused (errors say which): nothing was written

    @property
    def input_fatal(self) -> bool:
        """An input cannot be used: nothing was built."""
        return any(p.fatal for p in self.problems)

    @property
    def fatal(self) -> bool:
        return self.input_fatal or bool(self.errors)


def department_out_dir(out: Path, dep) -> Path:
    """``OUT/<单位文件夹>/`` of a department (a DepartmentFolder, or its folder)."""
    folder = Path(getattr(dep, "path", dep))
    return Path(out) / safe_file_stem(folder.resolve().name)


def output_names(projects) -> dict[str, str]:
    """File stem for each project (by key): its name made safe; unique within the department."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for project in projects:
        stem = safe_file_stem(project.model.name)
        if stem.lower() in used:
            stem = safe_file_stem(f"{stem}_{safe_file_stem(project.key)}")
        used.add(stem.lower())
        names[project.key] = stem
    return names
