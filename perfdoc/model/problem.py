"""Problems: what load and check find, as plain values carrying file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

__all__ = ["Severity", "Problem", "LoadFailed"]


class Severity(str, Enum):
    ERROR = "error"  # the form would be rejected, or the input cannot be used
    WARNING = "warning"  # a reviewer would query it

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告"}[self.value]


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    col: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    name: str = field(default="", compare=False)  # the rule's short name
    fatal: bool = field(default=False, compare=False)  # the input is unusable (load problem)

    def as_dict(self) -> dict:
        return {
            "file": str(self.file),
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
        }


class LoadFailed(Exception):
    """Raised when input cannot be used at all; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
