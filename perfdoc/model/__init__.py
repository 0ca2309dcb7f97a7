"""The model: typed project data and its small value types (bottom of the import graph)."""

from .money import Money, MoneyError
from .problem import LoadFailed, Problem, Severity
from .project import (
    NATURES, PROFILES, SEVERITIES, Basis, BudgetPlan, CheckSettings, Department, DepartmentInfo, Evaluation,
    EvaluationFunding, EvaluationRow, Funding, Goals, Indicator, Layout, Narrative, Project, ProjectInfo,
)
from .source import Positions
from .target import Target
from .workspace import DepartmentFolder, ProjectFile, SourceFile

__all__ = [
    "Money", "MoneyError", "Problem", "Severity", "LoadFailed", "Target", "Positions",
    "Project", "ProjectInfo", "Funding", "Goals", "Indicator", "Narrative", "Basis", "BudgetPlan",
    "Evaluation", "EvaluationFunding", "EvaluationRow", "Department", "DepartmentInfo", "Layout",
    "NATURES", "PROFILES", "SEVERITIES", "CheckSettings", "SourceFile", "ProjectFile", "DepartmentFolder",
]
