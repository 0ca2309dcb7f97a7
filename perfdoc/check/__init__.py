"""Check: the rules a reviewer applies, run over loaded projects."""

from __future__ import annotations

from typing import Iterable

from ..model import DepartmentFolder, Problem
from . import rules as _rules  # noqa: F401  (registers the rules)
from .base import RULES, Context, Finding, Rule, rule_by_code

__all__ = ["check_departments", "RULES", "Rule", "Finding", "Context", "rule_by_code"]


def check_departments(departments: Iterable[DepartmentFolder], ignore: Iterable[str] = ()) -> list[Problem]:
    """Every fault in every project and department.toml, in file and line order."""
    ignored = set(ignore)
    active = [rule() for rule in sorted(RULES, key=lambda r: r.code) if rule.code not in ignored]
    problems: list[Problem] = []
    for dep in departments:
        for rule in active:
            problems.extend(rule.run_department(dep))
        for project in dep.projects:
            ctx = Context(project, dep if dep.model is not None else None)
            for rule in active:
                problems.extend(rule.run(ctx))
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.col, p.code))
