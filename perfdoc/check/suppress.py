"""Inline suppressions: ``# perfdoc: ignore PD401 PD404 原表如此`` silences those codes on that line.

The comment goes at the end of the line a finding points at (after another
comment too: ``# 来源：原表  # perfdoc: ignore PD503 原件只有自评表``); where that
line cannot hold a comment (the first line of a multi-line text) it may
stand alone on the line just above.  One or more codes, then the reason, which is
required: a comment without a reason (or without a code) silences nothing
and is itself reported (PD007), as is a code perfdoc does not have.  Only
the rules' findings (PD1xx–PD6xx) can be silenced.

Comments are found in the file's text with a small scanner of valid TOML
(the file has been parsed already): a ``#`` inside a string, one-line or
multi-line, is not a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Problem, Severity, SourceFile

__all__ = ["Suppression", "comments", "suppressions", "BAD_SUPPRESSION"]

BAD_SUPPRESSION = "PD007"
_NAME = "bad-suppression"

#: ``perfdoc: ignore`` (a full-width colon too), then what follows: at the start of the comment, or after
#: a ``#`` inside it (``#:schema ./project.schema.json  # perfdoc: ignore PD503 原因``).
_MARK = re.compile(r"(?:^|#)\s*perfdoc\s*[:：]\s*ignore\b(?P<rest>.*)$", re.IGNORECASE)
#: What every suppression comment holds (_MARK's core): a text without it has none.
_ANY_MARK = re.compile(r"perfdoc\s*[:：]\s*ignore", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]{2}\d{3}")
_SEPARATORS = " \t,，、;；:：-—–"


@dataclass(frozen=True)
class Suppression:
    line: int  # the line of the comment
    col: int  # the column of its ``#``
    codes: frozenset[str]
    reason: str
    whole_line: bool  # the comment is alone on its line: it covers the next line too

    def covers(self, line: int) -> bool:
        return line == self.line or (self.whole_line and line == self.line + 1)


def comments(text: str) -> list[tuple[int, int, str, bool]]:
    """Every comment: (line, column of ``#``, text after ``#``, alone on its line), 1-based."""
    found = []
    multi: str | None = None  # the open multi-line delimiter
    for lineno, line in enumerate(text.split("\n"), start=1):
        i, n = 0, len(line)
        while i < n:
            if multi:
                end = _close(line, i, multi)
                if end < 0:
                    i = n
                    break
                i, multi = end, None
                continue
            ch = line[i]
            if line.startswith(('"""', "'''"), i):
                multi = line[i:i + 3]
                i += 3
            elif ch in "\"'":
                i = _one_line_end(line, i) + 1
            elif ch == "#":
                found.append((lineno, i + 1, line[i + 1:].rstrip("\r"), not line[:i].strip()))
                break
            else:
                i += 1
    return found


def _close(line: str, i: int, delimiter: str) -> int:
    """The index after the multi-line string's closing delimiter on this line, or -1."""
    while True:
        at = line.find(delimiter, i)
        if at < 0:
            return -1
        if delimiter == '"""':
            backslashes = len(line[:at]) - len(line[:at].rstrip("\\"))
            if backslashes % 2:
                i = at + 1
                continue
        end = at + 3
        while end < len(line) and line[end] == delimiter[0] and end - at < 5:  # """"" closes after two quotes
            end += 1
        return end


def _one_line_end(line: str, i: int) -> int:
    quote = line[i]
    j = i + 1
    while j < len(line) and line[j] != quote:
        j += 2 if quote == '"' and line[j] == "\\" else 1
    return min(j, len(line))


def _parse(rest: str) -> tuple[list[str], str]:
    """(codes, reason) from what follows ``ignore``."""
    codes = []
    rest = rest.lstrip(_SEPARATORS)
    while True:
        m = _CODE.match(rest)
        if not m or (m.end() < len(rest) and rest[m.end()] not in _SEPARATORS):
            break
        codes.append(m.group().upper())
        rest = rest[m.end():].lstrip(_SEPARATORS)
    return codes, rest.strip()


def suppressions(source: SourceFile, known: set[str]) -> tuple[list[Suppression], list[Problem]]:
    """The working suppressions of a file, and a PD007 problem for each comment that does not work."""
    found: list[Suppression] = []
    problems: list[Problem] = []
    if not _ANY_MARK.search(source.text):  # no comment can be one (most files): not scanned
        return found, problems

    def bad(line: int, col: int, message: str) -> None:
        problems.append(Problem(Path(source.path), line, col, BAD_SUPPRESSION, message, Severity.WARNING, _NAME))

    for line, col, text, alone in comments(source.text):
        m = _MARK.search(text)
        if not m:
            continue
        codes, reason = _parse(m["rest"])
        if not codes:
            bad(line, col, "忽略注释没有写检查代码（应写作 # perfdoc: ignore PD401 原因），不起作用")
            continue
        if not re.search(r"\w", reason):
            bad(line, col, f"忽略注释没有写原因（应写作 # perfdoc: ignore {' '.join(codes)} 原因），"
                           "不起作用：须说明为什么忽略")
            continue
        usable = set()
        for code in codes:
            if code.startswith("PD0"):
                bad(line, col, f"读取阶段的问题（{code}）不能按注释忽略")
            elif code not in known:
                bad(line, col, f"忽略注释中的“{code}”不是检查代码（perfdoc check --list-rules 列出全部代码）")
            else:
                usable.add(code)
        if usable:
            found.append(Suppression(line, col, frozenset(usable), reason, alone))
    return found, problems
