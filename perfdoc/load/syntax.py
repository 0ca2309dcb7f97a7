"""TOML text → data: every way the parser can fail, told in Chinese at the fault's own line.

Before the parser runs, a text with a line of at least ``MAX_KEY_PARTS`` dots is
scanned once (linear time) for keys: a dotted key or table header of more than
``MAX_KEY_PARTS`` parts is refused at its line (the parser would spend quadratic time on it, and stops at 1000 parts
with an error that has no position).  Failures that the parser reports without
a position (a number with thousands of digits, an exponent beyond what a
decimal can hold, nesting too deep) are placed by a scan of the text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import tomli

from ..model import Positions, Problem
from .messages import toml_message
from .positions import may_nest_deeper, positions_of, scan_keys
from .reader import problem, toml_text

__all__ = ["parse", "MAX_KEY_PARTS"]

#: Most parts of a dotted key or table header; perfdoc's deepest key has 4.
MAX_KEY_PARTS = 16


def parse(path: Path, text: str, problems: list[Problem]) -> tuple[dict | None, Positions]:
    """The parsed TOML of ``text`` (None when it is not usable) and its key positions (found when
    first asked for: only files with findings need them)."""
    if may_nest_deeper(text, MAX_KEY_PARTS):
        positions, deepest = scan_keys(text)
        if deepest.parts > MAX_KEY_PARTS:
            problems.append(problem(path, deepest.line, deepest.col, "PD001",
                                    f"TOML 语法错误：键的层级过多（用点号连接了 {deepest.parts} 层；"
                                    f"项目文件中的键最多 4 层，如 evaluation.funding.total.initial）"))
            return None, positions
    else:
        positions = positions_of(text)
    source = toml_text(text)
    try:
        return tomli.loads(source, parse_float=Decimal), positions
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        msg = getattr(exc, "msg", str(exc))
        line, col, message = _place_syntax_error(source, line, col, msg)
        problems.append(problem(path, line, col, "PD001", message))
    except RecursionError as exc:
        if "parts" in str(exc):  # a dotted key the scan above did not see (inside an array)
            line, col = _first_match(source, re.compile(r"(?:[A-Za-z0-9_-]+\s*\.\s*){200,}"))
            problems.append(problem(path, line, col, "PD001", "TOML 语法错误：键的层级过多（用点号连接的部分太多）"))
        else:
            line, col = _deep_nesting(source)
            problems.append(problem(path, line, col, "PD001", "TOML 语法错误：数组或内联表嵌套层数过多"))
    except ValueError:  # int() refuses more than 4300 digits; the error has no position
        line, col = _first_match(source, _LONG_INTEGER)
        problems.append(problem(path, line, col, "PD002", "数字的位数过多（超过 4300 位），不是一个可用的数值"))
    except ArithmeticError:  # decimal.InvalidOperation: an exponent beyond what a decimal can hold
        line, col = _first_match(source, _HUGE_EXPONENT)
        problems.append(problem(path, line, col, "PD002", "数字的指数过大，不是一个可用的数值"))
    return None, positions


_LONG_INTEGER = re.compile(r"(?<![\w.])[+-]?(?:0[xob])?[0-9A-Fa-f_]{4300,}")
_HUGE_EXPONENT = re.compile(r"(?<![\w.])[+-]?[0-9_]+(?:\.[0-9_]+)?[eE][+-]?0*[0-9_]{18,}")


def _first_match(text: str, pattern: re.Pattern) -> tuple[int, int]:
    """Line and column of the first match of ``pattern`` outside a one-line string (else 1, 1)."""
    for m in pattern.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        before = text[start:m.start()]
        if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
            return text.count("\n", 0, m.start()) + 1, m.start() - start + 1
    return 1, 1


def _deep_nesting(text: str, limit: int = 400) -> tuple[int, int]:
    """Where the value starts whose brackets nest deeper than ``limit``, tomli's limit
    (its RecursionError has no position): the outermost bracket, where a person looks."""
    depth = 0
    quote = None
    start = (1, 1)
    for lineno, line in enumerate(text.split("\n"), start=1):
        for col, ch in enumerate(line, start=1):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                if depth == 0:
                    start = (lineno, col)
                depth += 1
                if depth > limit:
                    return start
            elif ch in "]}":
                depth = max(depth - 1, 0)
        quote = None
    return 1, 1


#: tomli's message for a string still open at the end of the file, and the quote that opened it.
_UNCLOSED = (("Expected \"'''\"", "'''"), ("Expected \"'\"", "'"), ("Unterminated string", '"""'))
_DATE_LIKE = re.compile(r"=\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})")


def _place_syntax_error(text: str, line: int, col: int, msg: str) -> tuple[int, int, str]:
    """Where a person would look for a syntax error, and what to call it.

    tomli notices an unclosed array or inline table only at the next statement,
    an unclosed string as an illegal newline, and a date like 2026-13-01 as
    trailing garbage after the number 2026.
    """
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    # A string never closed: tomli reads on to the end of the file.  Everything before the
    # string was valid and no quote after it closed it, so it opens at the last such quote.
    for prefix, quote in _UNCLOSED:
        at = text.rfind(quote)
        if quote == '"""' and text.count(quote) % 2 == 0:
            continue  # every """ closed: a one-line string open at the end of the file
        if msg.startswith(prefix) and at >= 0:
            start = text.rfind("\n", 0, at) + 1
            return text.count("\n", 0, at) + 1, at - start + 1, toml_message(msg)
    if "Illegal character" in msg and "\\n" in msg:
        return line, col, "TOML 语法错误：字符串缺少结束引号（单行文字不能换行；多行文字请用三个引号 \"\"\"）"
    if msg.startswith("Expected newline or end of document") and (m := _DATE_LIKE.search(here)):
        return line, m.start(1) + 1, f"TOML 语法错误：日期“{m.group(1)}”格式错误或不存在（应写作 2026-01-01）"
    if msg.startswith(("Unclosed array", "Unclosed inline table")):
        opener, closer = ("[", "]") if "array" in msg else ("{", "}")
        for back in range(line - 1, 0, -1):
            candidate = lines[back - 1]
            at = candidate.find("=")
            if at >= 0 and candidate[at + 1:].lstrip().startswith(opener) and candidate.count(opener) > candidate.count(closer):
                return back, at + 2 + (len(candidate[at + 1:]) - len(candidate[at + 1:].lstrip())), toml_message(msg)
    return line, col, toml_message(msg)
