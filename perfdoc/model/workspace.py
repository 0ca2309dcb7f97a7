"""Loaded files: a model together with the source it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .project import Department, Project
from .source import Positions

__all__ = ["SourceFile", "ProjectFile", "DepartmentFolder"]


@dataclass
class SourceFile:
    path: Path
    text: str
    positions: Positions

    def locate(self, path: tuple, *, value: bool = True) -> tuple[int, int]:
        return self.positions.locate(path, value=value)


@dataclass
class ProjectFile:
    """A project file: its stable key (the file name without .toml), model and source."""

    key: str
    source: SourceFile
    model: Project
    department: "DepartmentFolder | None" = None

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def authority(self) -> str:
        if self.model.project.authority:
            return self.model.project.authority
        if self.department and self.department.model and self.department.model.department.authority:
            return self.department.model.department.authority
        return ""


@dataclass
class DepartmentFolder:
    """A department and year: department.toml (may be absent for a lone file) and its projects."""

    path: Path
    source: SourceFile | None
    model: Department | None
    projects: list[ProjectFile] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model.department.name if self.model else self.path.name

    @property
    def year(self) -> int | None:
        return self.model.department.year if self.model else None

    def ordered_projects(self) -> list[ProjectFile]:
        """Projects in ``order = [...]`` of department.toml, then the rest by file name."""
        by_key = {p.key: p for p in self.projects}
        order = (self.model.order if self.model else None) or []
        first = [by_key[k] for k in order if k in by_key]
        rest = sorted((p for p in self.projects if p.key not in set(order)), key=lambda p: p.key)
        return first + rest
