"""The model: typed project data and its small value types (bottom of the import graph).

The names are imported on first use (PEP 562): ``from perfdoc.model import Problem`` does not
import the pydantic models, so that ``perfdoc --version``, ``--help`` and a no-change build
stay light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Each exported name -> the module of this package that defines it.
_WHERE = {
    "Money": "money", "MoneyError": "money",
    "Problem": "problem", "Severity": "problem", "LoadFailed": "problem",
    "Target": "target", "Positions": "source",
    "SourceFile": "workspace", "ProjectFile": "workspace", "DepartmentFolder": "workspace",
    **dict.fromkeys((
        "NATURES", "PROFILES", "SEVERITIES", "Basis", "BudgetPlan", "CheckSettings", "Department",
        "DepartmentInfo", "Evaluation", "EvaluationFunding", "EvaluationRow", "Funding", "Goals", "Indicator",
        "Layout", "Narrative", "Project", "ProjectInfo"), "project"),
}

__all__ = [
    "Money", "MoneyError", "Problem", "Severity", "LoadFailed", "Target", "Positions",
    "Project", "ProjectInfo", "Funding", "Goals", "Indicator", "Narrative", "Basis", "BudgetPlan",
    "Evaluation", "EvaluationFunding", "EvaluationRow", "Department", "DepartmentInfo", "Layout",
    "NATURES", "PROFILES", "SEVERITIES", "CheckSettings", "SourceFile", "ProjectFile", "DepartmentFolder",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from .money import Money, MoneyError
    from .problem import LoadFailed, Problem, Severity
    from .project import (
        NATURES, PROFILES, SEVERITIES, Basis, BudgetPlan, CheckSettings, Department, DepartmentInfo, Evaluation,
        EvaluationFunding, EvaluationRow, Funding, Goals, Indicator, Layout, Narrative, Project, ProjectInfo,
    )
    from .source import Positions
    from .target import Target
    from .workspace import DepartmentFolder, ProjectFile, SourceFile
