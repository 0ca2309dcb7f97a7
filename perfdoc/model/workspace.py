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
    #: Only some of the folder's projects were loaded (a single project file was named).
    partial: bool = False

    @property
    def name(self) -> str:
        return self.model.department.name if self.model else self.path.name

    @property
    def year(self) -> int | None:
        return self.model.department.year if self.model else None

    def order_keys(self, keys) -> list[str]:
        """Keys in ``order = [...]`` of department.toml, then the rest by file name."""
        keys = set(keys)
        order = (self.model.order if self.model else None) or []
        first = [k for k in dict.fromkeys(order) if k in keys]
        return first + sorted(keys - set(first))

    def ordered_projects(self) -> list[ProjectFile]:
        """Projects in ``order = [...]`` of department.toml, then the rest by file name."""
        by_key = {p.key: p for p in self.projects}
        return [by_key[k] for k in self.order_keys(by_key)]
