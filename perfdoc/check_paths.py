"""``perfdoc check``'s core: load and check what a command line names, over several processes.

A department folder is opened here (department.toml loaded and checked, its project files
listed); its project files are loaded and checked in shares, by this process and ``jobs - 1``
workers (perfdoc/pool.py), each share with its own copy of department.toml.  Single project
files and small folders are checked here, as :func:`load_paths` and :func:`run_checks` do.
Whatever ``jobs`` is, the problems, their positions and their order are the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckResult, Suppressed, in_file_order, run_checks, suppressed_in_file_order
from .load.loader import DEPARTMENT_FILE, OpenFolder, close_folder, load_opened, load_project_files, open_paths
from .model import Problem
from .pool import default_jobs, forks, spread

__all__ = ["CheckOutcome", "check_paths", "SMALL"]

#: Fewer project files than this are checked in this process (starting workers costs more): where
#: workers are forked they start at once; where they are spawned each first imports perfdoc again.
SMALL = 40
SMALL_SPAWNED = 600
#: Shares per process: enough that a process that finishes early takes another.
SHARES = 6


@dataclass
class CheckOutcome:
    problems: list[Problem] = field(default_factory=list)  # loading and checks, in file and line order
    suppressed: list[Suppressed] = field(default_factory=list)
    projects: int = 0  # projects loaded and checked
    fatal: bool = False  # a file could not be used (also when its code is ignored)


@dataclass
class _Share:
    folder: Path
    files: list[Path]
    ignore: tuple[str, ...]


@dataclass
class _ShareResult:
    loading: list[Problem]
    checks: CheckResult
    projects: int


def check_paths(paths: list[Path], ignore: list[str] = (), jobs: int | None = None) -> CheckOutcome:
    """Every problem in ``paths`` (files and folders as on a command line), those of ``ignore`` left out."""
    ignore = tuple(ignore)
    jobs = jobs or default_jobs()
    opened: list[OpenFolder] = []
    loaded = open_paths(paths, opened if jobs > 1 else None)
    if opened and (sum(len(o.files) for o in opened) < (SMALL if forks() else SMALL_SPAWNED)  # not worth a worker
                   or loaded.departments or len({o.dep.path for o in opened}) < len(opened)):  # a file named twice
        loaded.departments += [load_opened(o, loaded.problems) for o in opened]
        opened = []
    outcome = CheckOutcome(projects=len(loaded.projects))
    # department.toml itself (its settings, comments, rules) here, once; the projects of an opened
    # folder in shares
    loading, checks = list(loaded.problems), [run_checks(loaded.departments + [o.dep for o in opened], ignore)]
    if opened:
        shares = _shares(opened, ignore, jobs)
        results = spread(_check_share, shares, jobs)
        loaded_any: dict[Path, bool] = {}
        for share, share_result in zip(shares, results):
            loading += share_result.loading
            checks.append(share_result.checks)
            outcome.projects += share_result.projects
            loaded_any[share.folder] = loaded_any.get(share.folder, False) or share_result.projects > 0
        for o in opened:
            close_folder(o.dep.path, loaded_any.get(o.dep.path, False), loading)
    problems = loading + [p for c in checks for p in c.problems]
    outcome.fatal = any(p.fatal for p in problems)
    skipped = set(ignore)
    outcome.problems = in_file_order(p for p in problems if p.code not in skipped)
    outcome.suppressed = suppressed_in_file_order(s for c in checks for s in c.suppressed)
    return outcome


def _shares(opened: list[OpenFolder], ignore: tuple[str, ...], jobs: int) -> list[_Share]:
    files = sum(len(o.files) for o in opened)
    size = max(1, math.ceil(files / (jobs * SHARES)))
    return [_Share(o.dep.path, o.files[i:i + size], ignore) for o in opened for i in range(0, len(o.files), size)]


def _check_share(share: _Share) -> _ShareResult:
    """Load and check a share of one department's projects (in a worker, or in this process)."""
    result = load_project_files(share.folder, share.files)
    department = share.folder / DEPARTMENT_FILE
    loading = [p for p in result.problems if Path(p.file) != department]  # reported once, by the parent
    checks = run_checks(result.departments, share.ignore, department_file=False)
    return _ShareResult(loading, checks, len(result.projects))
