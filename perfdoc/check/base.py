"""The rule framework: a rule is a small class with a code, a name, a severity
and a docstring holding a bad and a good example (sqlfluff-style).

A rule looks at one project (with its department, if any) and yields
``Finding(path, message)``: ``path`` is the key path in the TOML file, such as
``("indicators", 3, "target")``; the runner turns it into file:line:col.
A rule may also look at department.toml itself (``check_department``, run
once per folder; its paths are keys of department.toml).

The context carries the department's profile (check/profiles.py): which 一级
and 二级 a project must have, how a self-evaluation is scored, the expected
weights.  A finding may carry its own severity (a profile's "expected" 一级
is a warning where a "required" one is an error); department.toml's
``[check] severity`` overrides both.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Iterable, Iterator

from pydantic import BaseModel

from ..model import DepartmentFolder, Problem, ProjectFile, Severity
from ..model.framework import Framework, framework_for
from .profiles import SHANGHAI, Profile

__all__ = ["Rule", "Finding", "Context", "RULES", "rule_by_code", "iter_texts"]

RULES: list[type["Rule"]] = []


@dataclass(frozen=True)
class Finding:
    path: tuple
    message: str
    value: bool = True  # point at the value (True) or at the key (False)
    severity: Severity | None = None  # None: the rule's


@dataclass
class Context:
    project: ProjectFile
    department: DepartmentFolder | None
    profile: Profile = field(default=SHANGHAI)

    @property
    def model(self):
        return self.project.model

    @property
    def year(self) -> int:
        return self.project.model.project.year

    @property
    def framework(self) -> Framework:
        return framework_for(self.year)


class Rule:
    """Base class; subclasses set code, name, severity and write ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "code", None):
            if any(r.code == cls.code for r in RULES):
                raise ValueError(f"duplicate rule code {cls.code}")
            RULES.append(cls)

    def check(self, ctx: Context) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_department(self, department: DepartmentFolder) -> Iterable[Finding]:
        """Findings in department.toml itself, once per folder (most rules look at projects only)."""
        return ()

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what the rule finds, in Chinese."""
        return inspect.getdoc(cls).splitlines()[0]

    def run(self, ctx: Context, keep: Callable[[str, Severity], bool] | None = None) -> Iterator[Problem]:
        """The findings as problems at their line and column; with ``keep``, only those it keeps (the
        others are never placed: a file whose findings are all left out is never scanned)."""
        source = ctx.project.source
        for finding in self.check(ctx):
            severity = finding.severity or self.severity
            if keep is None or keep(self.code, severity):
                line, col = source.locate(finding.path, value=finding.value)
                yield Problem(source.path, line, col, self.code, finding.message, severity, self.name)

    def run_department(self, department: DepartmentFolder,
                       keep: Callable[[str, Severity], bool] | None = None) -> Iterator[Problem]:
        source = department.source
        if source is None or department.model is None:
            return
        for finding in self.check_department(department):
            severity = finding.severity or self.severity
            if keep is None or keep(self.code, severity):
                line, col = source.locate(finding.path, value=finding.value)
                yield Problem(source.path, line, col, self.code, finding.message, severity, self.name)


def rule_by_code(code: str) -> type[Rule]:
    for rule in RULES:
        if rule.code == code:
            return rule
    raise KeyError(code)


def iter_texts(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text value in a model, with its key path (targets as written), depth first in field order."""
    found: list[tuple[tuple, str]] = []
    _collect_texts(model, path, found)
    return iter(found)


#: Field values that hold no text (skipped at once: a project has hundreds of them).
_NO_TEXT = (type(None), int, bool, float)


def _collect_texts(model: BaseModel, path: tuple, found: list) -> None:
    values = model.__dict__
    for name in type(model).model_fields:
        value = values[name] if name in values else getattr(model, name)
        kind = type(value)
        if kind is str:
            found.append((path + (name,), value))
        elif kind in _NO_TEXT:
            continue
        elif isinstance(value, BaseModel):
            _collect_texts(value, path + (name,), found)
        elif isinstance(value, str):
            found.append((path + (name,), value))
        elif isinstance(value, list):
            here = path + (name,)
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _collect_texts(item, here + (i,), found)
                elif isinstance(item, str):
                    found.append((here + (i,), item))
        elif hasattr(value, "kind") and hasattr(value, "text"):  # a Target
            found.append((path + (name,), value.text))
