"""Check: the rules a reviewer applies, run over loaded projects.

Each department's ``[check]`` settings (check/settings.py) choose the profile
the rules read, the codes not run and the levels changed; comments
``# perfdoc: ignore PD401 原因`` (check/suppress.py) silence a finding on
their line.  ``run_checks`` returns the problems and the silenced findings;
``check_departments`` only the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from ..model import DepartmentFolder, Problem, Severity
from . import rules as _rules  # noqa: F401  (registers the rules)
from .base import RULES, Context, Finding, Rule, rule_by_code
from .profiles import profile_of
from .settings import rule_codes, settings_of
from .suppress import Suppression, suppressions

__all__ = ["check_departments", "run_checks", "CheckResult", "Suppressed", "in_file_order", "suppressed_in_file_order",
           "RULES", "Rule", "Finding", "Context", "rule_by_code", "profile_of"]


@dataclass(frozen=True)
class Suppressed:
    problem: Problem
    reason: str  # what the comment says


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` sorted as perfdoc prints them: by file, line, column and code."""
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.col, p.code))


def suppressed_in_file_order(suppressed: Iterable[Suppressed]) -> list[Suppressed]:
    return sorted(suppressed, key=lambda s: (str(s.problem.file), s.problem.line, s.problem.col, s.problem.code))


def _silence(problems: list[Problem], marks: dict[Path, list[Suppression]], result: CheckResult) -> None:
    for p in problems:
        mark = next((s for s in marks.get(Path(p.file), []) if p.code in s.codes and s.covers(p.line)), None)
        if mark is None:
            result.problems.append(p)
        else:
            result.suppressed.append(Suppressed(p, mark.reason))


def run_checks(departments: Iterable[DepartmentFolder], ignore: Iterable[str] = (), *,
               errors_only: bool = False, department_file: bool = True) -> CheckResult:
    """Every fault in every project and department.toml, in file and line order, and the silenced ones.

    ``ignore``: codes not run anywhere (``--ignore``), beside each department's own ``[check] ignore``.
    ``errors_only``: only the problems at the error level (after the department's ``[check] severity``):
    what ``build`` needs; the others are not even placed, so a file without errors is never scanned.
    ``department_file``: False leaves department.toml's own faults out (its settings, its comments,
    the rules on it): a share of a department's projects checked apart reports only those projects.
    """
    ignored = set(ignore)
    rules = [rule() for rule in sorted(RULES, key=lambda r: r.code) if rule.code not in ignored]
    known = set(rule_codes())
    result = CheckResult()
    reported: set[Path] = set()  # files whose settings and comments were reported (named twice: once)
    for dep in departments:
        settings = settings_of(dep)
        active = [rule for rule in rules if rule.code not in settings.ignore]

        def keep(code: str, severity: Severity, levels=settings.severity) -> bool:
            return levels.get(code, severity) is Severity.ERROR

        keep = keep if errors_only else None
        found: list[Problem] = []
        marks: dict[Path, list[Suppression]] = {}
        for source in [dep.source] * (dep.model is not None and department_file) + [p.source for p in dep.projects]:
            if source is None:
                continue
            path = Path(source.path)
            marks[path], bad = suppressions(source, known)
            if path not in reported:
                reported.add(path)
                found.extend(p for p in bad if p.code not in ignored | settings.ignore
                             and (keep is None or keep(p.code, p.severity)))
                if source is dep.source:
                    result.problems.extend(p for p in settings.problems if keep is None or p.severity is Severity.ERROR)
        for rule in active if department_file else ():
            found.extend(rule.run_department(dep, keep))
        for project in dep.projects:
            ctx = Context(project, dep if dep.model is not None else None, settings.profile)
            for rule in active:
                found.extend(rule.run(ctx, keep))
        found = [replace(p, severity=settings.severity[p.code]) if p.code in settings.severity else p for p in found]
        _silence(found, marks, result)
    result.problems = in_file_order(result.problems)
    result.suppressed = suppressed_in_file_order(result.suppressed)
    return result


def check_departments(departments: Iterable[DepartmentFolder], ignore: Iterable[str] = (), *,
                      errors_only: bool = False) -> list[Problem]:
    """Every fault in every project and department.toml, in file and line order (silenced ones left out)."""
    return run_checks(departments, ignore, errors_only=errors_only).problems
