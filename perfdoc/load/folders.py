"""Which folders are departments: found by their names alone, without reading any file.

Kept apart from the loader (pydantic) so that a no-change build can list the departments of a
district without importing the model.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEPARTMENT_FILE", "lexists", "department_folders", "project_names"]

DEPARTMENT_FILE = "department.toml"


def lexists(path: Path) -> bool:
    """Whether anything (a file, a folder, a FIFO, a dangling link) has this name."""
    try:
        os.lstat(path)
        return True
    except (OSError, ValueError):
        return False


def project_names(folder: Path) -> list[str]:
    """The ``*.toml`` names directly in ``folder`` that are project files (any kind of file: the
    reader judges), sorted; raises OSError when the folder cannot be listed."""
    with os.scandir(folder) as entries:
        names = [e.name for e in entries if e.name.endswith(".toml")
                 and e.name != DEPARTMENT_FILE and not e.name.startswith(".")]
    return sorted(names)


def department_folders(folder: Path) -> list[Path]:
    """Folders under ``folder`` (at any depth, not following links, not hidden) that hold a department.toml."""
    found: list[Path] = []
    stack = [folder]
    while stack:  # by hand: os.walk recurses, and a deep tree would exhaust the stack
        current = stack.pop()
        try:
            with os.scandir(current) as entries:
                children = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        if any(e.name == DEPARTMENT_FILE for e in children):
            found.append(current)
        for entry in children:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and not entry.name.startswith("."):
                stack.append(Path(entry.path))
    return sorted(found)
