"""Printing problems: ``path:line:col: 错误 CODE 消息``, the source line and a caret; or JSON.

This is the one place where text from the inputs reaches the terminal, so it is
made harmless here: control characters (ESC, BEL, CR, NEL…), bidirectional
controls (U+202E…), zero-width characters and the undecodable bytes of a file
name are shown escaped (``\\x1b``, ``\\u202e``, ``\\u200b``, ``\\xff``), never
sent raw; a quoted value longer than 80 characters is cut; a long source line
is shown around the fault's column.
The JSON output escapes the same characters as JSON string escapes.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Iterable, TextIO

from ..model.problem import Problem, Severity  # not ..model: the pydantic models stay unimported
from .textwidth import width

__all__ = ["print_problems", "problems_json", "problems_doc", "dump_json", "summary_line", "display_path",
           "terminal_safe"]

#: Characters never written raw: C0 and C1 controls, DEL, bidirectional marks, embeddings,
#: overrides and isolates, zero-width characters (a name of only these looks empty), line and
#: paragraph separators, and lone surrogates (the bytes of a file name that is not UTF-8, as
#: Python keeps them).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                     r"\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: A quoted value in a message (“…”) longer than this is cut.
QUOTE_LIMIT = 80
#: Source lines longer than this are shown in part.
LINE_LIMIT = 160
#: No message printed is longer than this (after quoted values are cut).
MESSAGE_LIMIT = 1000


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character that could steer a terminal shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def _relative(path: Path) -> str:
    """``path`` relative to the current folder when it is below it, else as given.

    Symbolic links are not followed: the name the user gave is shown, not where it leads.
    """
    text = os.fspath(path)
    try:
        here = os.getcwd()
        absolute = os.path.abspath(text)
        if absolute == here or absolute.startswith(here.rstrip(os.sep) + os.sep):
            return os.path.relpath(absolute, here)
    except (OSError, ValueError):
        pass
    return text


def display_path(path: Path) -> str:
    """A path as printed: relative to the current folder when below it, terminal-safe."""
    return terminal_safe(_relative(path))


def _cut_quotes(message: str) -> str:
    """Quoted values (“…”) longer than ``QUOTE_LIMIT`` cut, and the whole at most ``MESSAGE_LIMIT``."""
    message = message[: 4 * MESSAGE_LIMIT]  # bounds the time of the search below
    message = re.sub(r"“([^”]{%d})[^”]++”" % QUOTE_LIMIT, r"“\1…”", message)
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "…"


def _source_lines(problems: Iterable[Problem]) -> dict[Path, list[str]]:
    """The lines of each file named, read through the loader's guards: a FIFO, a device, a link
    out of its folder, a binary or huge file gives no lines, so its contents are never shown."""
    from ..load.reader import source_lines

    cache: dict[Path, list[str]] = {}
    for p in problems:
        if p.file not in cache:
            try:
                cache[p.file] = source_lines(p.file)
            except (OSError, ValueError):
                cache[p.file] = []
    return cache


def _excerpt(line: str, col: int) -> tuple[str, int]:
    """The part of a source line shown (terminal-safe) and the caret's offset in it (display cells)."""
    text = line.replace("\t", " ")
    start = 0
    if len(text) > LINE_LIMIT:
        if col <= LINE_LIMIT:
            text = text[:LINE_LIMIT] + "…"
        else:
            start = col - 1 - LINE_LIMIT // 2
            text = "…" + text[start:start + LINE_LIMIT] + ("…" if start + LINE_LIMIT < len(text) else "")
            start -= 1  # the leading "…"
    prefix = text[: max(col - 1 - start, 0)]
    return terminal_safe(text), width(terminal_safe(prefix))


def _colour(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def print_problems(problems: list[Problem], out: TextIO = sys.stdout, color: bool | None = None) -> None:
    if color is None:
        color = out.isatty()
    sources = _source_lines(problems)
    shown: dict[Path, str] = {}  # each file's printed name, found once
    for p in problems:
        sev = "31" if p.severity is Severity.ERROR else "33"
        name = shown.get(p.file)
        if name is None:
            name = shown[p.file] = display_path(p.file)
        where = f"{name}:{p.line}:{p.col}:"
        level = _colour(f"{p.severity.label} {p.code}", sev + ";1", color)  # the word survives a pipe
        out.write(f"{_colour(where, '1', color)} {level} {terminal_safe(_cut_quotes(p.message))}\n")
        lines = sources.get(p.file) or []
        if 1 <= p.line <= len(lines):
            text, caret_at = _excerpt(lines[p.line - 1], p.col)
            gutter = f"{p.line:>5} | "
            out.write(f"{gutter}{text}\n")
            out.write(" " * (len(gutter) - 2) + "| " + " " * caret_at + _colour("^", sev, color) + "\n")


def summary_line(problems: list[Problem], projects: int) -> str:
    if not problems:
        return f"未发现问题（检查了 {projects} 个项目）。"
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    return f"发现 {len(problems)} 个问题（错误 {errors} 个，警告 {warnings} 个），涉及 {files} 个文件；共检查 {projects} 个项目。"


def problems_doc(problems: list[Problem], projects: int) -> dict:
    """The problems and their summary as a JSON document (write it with :func:`dump_json`)."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    return {
        "problems": [dict(p.as_dict(), file=_relative(p.file), message=_cut_quotes(p.message)) for p in problems],
        "summary": {"projects": projects, "problems": len(problems), "errors": errors, "warnings": len(problems) - errors},
    }


def dump_json(doc) -> str:
    """``doc`` as JSON text in which every character that could steer a terminal is a ``\\uXXXX``
    escape (a file name's undecodable byte stays a lone surrogate, ``\\udcff``, as Python names it)."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    # Outside strings JSON has only ASCII and whitespace, so these are always inside a string.
    return _UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}", text)


def problems_json(problems: list[Problem], projects: int) -> str:
    return dump_json(problems_doc(problems, projects))
