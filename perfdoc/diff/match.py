"""Matching the projects of two department folders (two years, or a folder and a git revision).

Projects are matched by file name (the stable key across years), then a
project whose file was renamed is matched by its project name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import DepartmentFolder, ProjectFile

__all__ = ["ProjectPair", "match_projects"]


@dataclass
class ProjectPair:
    """One project in OLD and/or NEW.  ``status``: added, removed, renamed or matched
    (matched by file name; whether it changed is for the diff to say)."""

    old: ProjectFile | None
    new: ProjectFile | None
    status: str

    @property
    def key(self) -> str:
        return (self.new or self.old).key

    @property
    def name(self) -> str:
        return (self.new or self.old).model.name


def _name(p: ProjectFile) -> str:
    return "".join(p.model.name.split())


def match_projects(old: DepartmentFolder, new: DepartmentFolder) -> list[ProjectPair]:
    """Pairs in NEW's order (department order), removed projects after them in OLD's order."""
    old_by_key = {p.key: p for p in old.ordered_projects()}
    pairs: list[ProjectPair] = []
    unmatched_new: list[ProjectFile] = []
    for p in new.ordered_projects():
        if p.key in old_by_key:
            pairs.append(ProjectPair(old_by_key.pop(p.key), p, "matched"))
        else:
            unmatched_new.append(p)
            pairs.append(ProjectPair(None, p, "added"))
    # a renamed file: same project name, different file name
    old_by_name: dict[str, list[ProjectFile]] = {}
    for p in old_by_key.values():
        old_by_name.setdefault(_name(p), []).append(p)
    for pair in pairs:
        if pair.status == "added":
            candidates = old_by_name.get(_name(pair.new))
            if candidates:
                pair.old = candidates.pop(0)
                pair.status = "renamed"
                del old_by_key[pair.old.key]
    pairs += [ProjectPair(p, None, "removed") for p in old_by_key.values()]
    return pairs
