"""The departments a build's paths name, found without reading any file.

The same departments, in the same order, as perfdoc.load.load_paths finds: a folder with a
department.toml; the department folders below a folder without one; the folder of a
department.toml named; the folder of a single project file (a partial build).  A path that
names no department (missing, not TOML, no department below it) is kept as it is: the loader
tells what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..load.folders import DEPARTMENT_FILE, department_folders, lexists

__all__ = ["Ref", "discover"]


@dataclass(frozen=True)
class Ref:
    """A department to build: its folder as the loader names it, and the one project file named, if any."""

    folder: Path
    file: Path | None = None

    @property
    def path(self) -> Path:
        """What to load: the project file, or the folder."""
        return self.file if self.file is not None else self.folder

    @property
    def partial(self) -> bool:
        return self.file is not None


def discover(paths: Iterable[Path]) -> list[Ref | Path]:
    """A Ref for each department named, or the path itself where the loader reports a problem."""
    found: list[Ref | Path] = []
    for path in map(Path, paths):
        try:
            if not path.exists():
                found.append(path)
            elif path.is_dir():
                if lexists(path / DEPARTMENT_FILE):
                    found.append(Ref(path))
                else:
                    below = department_folders(path)
                    found.extend([Ref(folder) for folder in below] or [path])
            elif path.name == DEPARTMENT_FILE:
                found.append(Ref(path.parent))
            elif path.suffix.lower() != ".toml":
                found.append(path)
            else:
                found.append(Ref(path.parent, path))
        except (OSError, ValueError):
            found.append(path)
    return found
