"""A department's ``[check]`` settings: the profile, the codes it ignores and the levels it changes.

The model (perfdoc/model/project.py) reads the table and refuses an unknown
profile name or level; the codes are known only here, so an unknown code in
``ignore`` or ``severity`` is reported here, at its line, as PD002 (a value
that is not allowed: the file must be corrected, as an unknown ``--ignore``
code is a usage error).  Only the rules' codes (PD1xx–PD6xx) and PD007 (a
suppression comment that does not work) can be ignored or given another
level: the loader's problems (PD001–PD006) come before any setting is read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import DepartmentFolder, Problem, Severity, SourceFile
from .base import RULES
from .profiles import SHANGHAI, Profile, profile_of
from .suppress import BAD_SUPPRESSION

__all__ = ["Settings", "settings_of", "rule_codes"]

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING}


def rule_codes() -> list[str]:
    return sorted(r.code for r in RULES)


@dataclass
class Settings:
    """What one department asks of the checks."""

    profile: Profile = SHANGHAI
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # unknown codes, at their line


def _unknown(code: str) -> str:
    written = code.strip()
    if re.fullmatch(r"(?i)pd00[1-6]", written):
        return f"读取阶段的检查（{written.upper()}）不能在 department.toml 中忽略或改变级别"
    close = difflib.get_close_matches(written.upper(), rule_codes(), n=1, cutoff=0.75)
    hint = f"，是不是 {close[0]}？" if close else "（perfdoc check --list-rules 列出全部代码）"
    return f"没有检查代码“{written}”{hint}"


def _problem(source: SourceFile, line: int, col: int, message: str) -> Problem:
    return Problem(Path(source.path), line, col, "PD002", message, Severity.ERROR, "invalid-value", fatal=True)


def _item_position(source: SourceFile, path: tuple, item: str, nth: int) -> tuple[int, int]:
    """Line and column of the ``nth`` occurrence of the string ``item`` after ``path``'s value (an array)."""
    line, col = source.locate(path)
    lines = source.text.split("\n")
    seen = 0
    for i in range(line - 1, len(lines)):
        text = lines[i]
        start = col - 1 if i == line - 1 else 0
        for m in re.finditer(r"(\"|')(?P<s>[^\"'\n]*)\1", text[start:]):
            if m["s"] == item:
                if seen == nth:
                    return i + 1, start + m.start() + 1
                seen += 1
        if "]" in text[start:].split("#", 1)[0]:
            break
    return line, col


def settings_of(department: DepartmentFolder) -> Settings:
    """The department's settings (defaults without department.toml) and the problems of its [check] table."""
    if department.model is None or department.source is None:
        return Settings()
    check = department.model.check
    source = department.source
    known = set(rule_codes()) | {BAD_SUPPRESSION}
    settings = Settings(profile=profile_of(department))
    ignore = set()
    for i, code in enumerate(check.ignore):
        if code.strip().upper() in known:
            ignore.add(code.strip().upper())
        else:
            nth = check.ignore[:i].count(code)
            line, col = _item_position(source, ("check", "ignore"), code, nth)
            settings.problems.append(_problem(source, line, col, f"check.ignore：{_unknown(code)}"))
    settings.ignore = frozenset(ignore)
    for code, level in check.severity.items():
        if code.strip().upper() in known:
            settings.severity[code.strip().upper()] = _LEVELS[level]
        else:
            line, col = source.locate(("check", "severity", code), value=False)
            settings.problems.append(_problem(source, line, col, f"check.severity：{_unknown(code)}"))
    return settings
