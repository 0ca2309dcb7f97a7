"""Map TOML key paths to their line and column in the source text.

The TOML parser places syntax errors but says nothing about where a key is;
type, missing-key and rule problems need that.  This is a small line scanner
of valid TOML (it runs after the parser accepted the text): table headers,
array-of-tables (counted, so ``("indicators", 3, "target")`` finds the fourth
``[[indicators]]`` block), dotted keys, keys inside one-line inline tables,
and it skips multi-line strings and arrays.

It runs in time linear in the text, whatever the text: a key of thousands of
dotted parts records only its first ``MAX_RECORDED`` levels (no table of
perfdoc's is deeper), and :func:`scan_keys` also tells where the key with the
most parts is, so that the loader can refuse such a key at its own line before
the TOML parser spends quadratic time on it.
"""

from __future__ import annotations

import re

from ..model.source import Positions
from .reader import split_lines

__all__ = ["Positions", "scan", "scan_keys", "positions_of", "may_nest_deeper", "Deepest", "MAX_RECORDED"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
#: A line's one bare key, the equals sign and the blanks after it (what _parse_key finds for such a line).
_SIMPLE_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
#: A whole line of one bare key and a one-line string, number or boolean, perhaps a comment after it
#: (``"""`` or ``'''`` never match: the empty string they begin with is followed by a quote).
_WHOLE_LINE = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
                         r"(\"[^\"\\]*+(?:\\.[^\"\\]*+)*+\"|'[^']*+'|[0-9+-][0-9_.eE+-]*+|true|false)[ \t]*+(?:#.*)?\Z",
                         re.DOTALL)
#: Levels of a dotted key or header recorded; perfdoc's deepest key has 4 (evaluation.funding.total.initial).
MAX_RECORDED = 12


class Deepest:
    """The key (or table header) with the most dotted parts seen: its part count, line and column."""

    def __init__(self):
        self.parts = 0
        self.line = 1
        self.col = 1

    def see(self, parts: list[str], lineno: int, col: int) -> None:
        if len(parts) > self.parts:
            self.parts, self.line, self.col = len(parts), lineno, col


def _parse_key(text: str, pos: int) -> tuple[list[str], int] | None:
    """Parse a dotted key at ``pos``; return (parts, end position)."""
    parts: list[str] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            return None
        ch = text[pos]
        if ch == '"':
            end = pos + 1
            buf = []
            while end < n and text[end] != '"':
                if text[end] == "\\" and end + 1 < n:
                    char, end = _escape(text, end)
                    buf.append(char)
                    continue
                buf.append(text[end])
                end += 1
            parts.append("".join(buf))
            pos = end + 1
        elif ch == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                return None
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            m = _BARE.match(text, pos)
            if not m:
                return None
            parts.append(m.group())
            pos = m.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        return parts, pos


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}


def _escape(text: str, pos: int) -> tuple[str, int]:
    """The character of the escape sequence at ``text[pos]`` (a backslash) and the position after it."""
    esc = text[pos + 1]
    size = {"u": 4, "U": 8}.get(esc)
    if size:
        digits = text[pos + 2 : pos + 2 + size]
        if len(digits) == size and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF:
                return chr(code), pos + 2 + size
    return _ESCAPES.get(esc, esc), pos + 2


#: The body of a one-line basic string: anything but a quote, a backslash escaping the next character.
_BASIC_BODY = re.compile(r'(?:[^"\\]+|\\.?)*', re.DOTALL)
#: What ends or nests a value: quotes, a comment, brackets (everything else is skipped at once).
_SPECIAL = re.compile(r"[\"'#\[\]{}]")


def _string_end(line: str, i: int) -> int:
    """Index of the quote closing the one-line string opened at ``line[i]`` (or the line's end)."""
    if line[i] == '"':
        return _BASIC_BODY.match(line, i + 1).end()
    end = line.find("'", i + 1)
    return end if end >= 0 else len(line)


def _skip_value(text: str, pos: int, depth: int, in_ml: str | None):
    """Scan a value from ``pos``; return (depth of open brackets, open multi-line quote)."""
    n = len(text)
    while pos < n:
        if in_ml:
            end = text.find(in_ml, pos)
            if end < 0:
                return depth, in_ml
            pos = end + 3
            # a closing delimiter may be followed by up to two more quotes
            while pos < n and text[pos] == in_ml[0]:
                pos += 1
            in_ml = None
            continue
        special = _SPECIAL.search(text, pos)
        if special is None:
            return depth, in_ml
        pos = special.start()
        ch = text[pos]
        if text.startswith('"""', pos) or text.startswith("'''", pos):
            in_ml = text[pos : pos + 3]
            pos += 3
            continue
        if ch in "\"'":
            pos = _string_end(text, pos) + 1
            continue
        if ch == "#":
            return depth, None
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        pos += 1
    return depth, in_ml


def scan(source: str) -> Positions:
    return scan_keys(source)[0]


def positions_of(source: str) -> Positions:
    """The positions of ``source``'s keys, found when first asked for (most files are never asked)."""
    return Positions(lines_of=lambda: split_lines(source), scan=lambda lines: _scan_lines(lines, Deepest()))


def may_nest_deeper(source: str, parts: int) -> bool:
    """Whether a dotted key or header of ``source`` may have more than ``parts`` parts: a key of n parts
    has n - 1 dots on its line (a key never spans lines), so only a line with ``parts`` dots may."""
    if source.count(".") < parts:
        return False
    pattern = _DOTS.get(parts)
    if pattern is None:
        pattern = _DOTS[parts] = re.compile(r"^(?:[^.\n]*+\.){%d}" % parts, re.MULTILINE)
    return pattern.search(source) is not None  # an old-Mac file: one line


#: may_nest_deeper's patterns: a line with at least n dots.
_DOTS: dict[int, re.Pattern] = {}


def scan_keys(source: str) -> tuple[Positions, Deepest]:
    """Positions of the keys of ``source``, and where its deepest dotted key is.

    Never raises, also on text that is not valid TOML (the loader scans before parsing).
    """
    # TOML lines end at \n only; str.splitlines() would also split at U+2028, U+0085…
    lines = split_lines(source)
    deepest = Deepest()
    keys = _scan_lines(lines, deepest)
    return Positions(lines, scan=lambda _: keys), deepest


def _scan_lines(lines: list[str], deepest: Deepest) -> dict[tuple, tuple[int, int, int]]:
    keys: dict[tuple, tuple[int, int, int]] = {}
    counts: dict[tuple, int] = {}  # array-of-tables path -> number of elements so far
    current: tuple = ()
    depth = 0
    in_ml: str | None = None

    def resolve(parts: list[str]) -> tuple:
        """Insert the current index after every array-of-tables prefix."""
        out: list = []
        for part in parts[:MAX_RECORDED]:
            out.append(part)
            key = tuple(out)
            if key in counts:
                out.append(counts[key] - 1)
        return tuple(out)

    array: _ArrayScan | None = None
    for lineno, line in enumerate(lines, start=1):
        if array is not None:
            if array.feed(line, 0, lineno):
                array = None
            continue
        if in_ml or depth > 0:
            depth, in_ml = _skip_value(line, 0, depth, in_ml)
            continue
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            parsed = _parse_key(line, indent + 2)
            if parsed:
                deepest.see(parsed[0], lineno, indent + 1)
                parts = parsed[0][:MAX_RECORDED]
                parent = resolve(parts[:-1])
                array_path = parent + (parts[-1],)
                counts[array_path] = counts.get(array_path, 0) + 1
                # record the array itself (first header) and this element
                keys.setdefault(array_path, (lineno, indent + 1, indent + 1))
                current = array_path + (counts[array_path] - 1,)
                keys[current] = (lineno, indent + 1, indent + 1)
                # map counts for nested resolution
                counts_key = tuple(parts)
                if counts_key != array_path:
                    counts[counts_key] = counts[array_path]
            continue
        if stripped.startswith("["):
            parsed = _parse_key(line, indent + 1)
            if parsed:
                deepest.see(parsed[0], lineno, indent + 1)
                parts = parsed[0][:MAX_RECORDED]
                current = resolve(parts)
                keys.setdefault(current, (lineno, indent + 1, indent + 1))
                for i in range(1, len(parts)):  # tables made implicitly by this header
                    keys.setdefault(resolve(parts[:i]), (lineno, indent + 1, indent + 1))
            continue
        whole = _WHOLE_LINE.match(line, indent)
        if whole is not None:  # ``key = "text"  # comment``: nothing more on the line to scan
            if deepest.parts < 1:
                deepest.see([whole.group(1)], lineno, indent + 1)
            keys[current + (whole.group(1),)] = (lineno, indent + 1, whole.start(2) + 1)
            continue
        simple = _SIMPLE_KEY.match(line, indent)
        if simple is not None:  # ``key = value``, the most common line: one bare key
            if deepest.parts < 1:
                deepest.see([simple.group(1)], lineno, indent + 1)
            value_pos = simple.end()
            path = current + (simple.group(1),)
            keys[path] = (lineno, indent + 1, value_pos + 1)
        else:
            parsed = _parse_key(line, indent)
            if not parsed:
                continue
            parts, pos = parsed
            if pos >= len(line) or line[pos] != "=":
                continue
            deepest.see(parts, lineno, indent + 1)
            parts = parts[:MAX_RECORDED]
            value_pos = pos + 1
            while value_pos < len(line) and line[value_pos] in " \t":
                value_pos += 1
            path = current + tuple(parts)
            keys[path] = (lineno, indent + 1, value_pos + 1)
            # intermediate tables of a dotted key
            for i in range(1, len(parts)):
                keys.setdefault(current + tuple(parts[:i]), (lineno, indent + 1, indent + 1))
        if line.startswith("[", value_pos):
            scanner = _ArrayScan(path, keys)
            if not scanner.feed(line, value_pos, lineno):
                array = scanner
            continue
        if line.startswith("{", value_pos):
            _scan_inline_table(line, value_pos + 1, path, lineno, keys, deepest)
        depth, in_ml = _skip_value(line, value_pos, 0, None)
    return keys


def _scan_inline_table(line: str, pos: int, path: tuple, lineno: int, keys: dict,
                       deepest: Deepest | None = None) -> None:
    """Record ``key = value`` pairs of a one-line inline table ``{ a = 1, b = 2 }``."""
    n = len(line)
    while pos < n:
        parsed = _parse_key(line, pos)
        if not parsed:
            return
        parts, end = parsed
        if end >= n or line[end] != "=":
            return
        start = pos
        while start < n and line[start] in " \t":
            start += 1
        value_pos = end + 1
        while value_pos < n and line[value_pos] in " \t":
            value_pos += 1
        if deepest is not None:
            deepest.see(parts, lineno, start + 1)
        if len(path) + len(parts) <= MAX_RECORDED:
            keys[path + tuple(parts)] = (lineno, start + 1, value_pos + 1)
        # skip the value up to the next comma at depth 0
        depth = 0
        i = value_pos
        while i < n:
            ch = line[i]
            if ch in "\"'":
                i = _string_end(line, i)
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                if depth == 0:
                    return
                depth -= 1
            elif ch == "," and depth == 0:
                break
            i += 1
        pos = i + 1


class _ArrayScan:
    """Positions of the elements of an array value, which may run over many lines:
    ``path + (i,)`` for each element, and the keys of one-line inline tables inside it."""

    def __init__(self, path: tuple, keys: dict):
        self.path = path
        self.keys = keys
        self.depth = 0
        self.index = 0
        self.expecting = False
        self.in_ml: str | None = None

    def feed(self, line: str, pos: int, lineno: int) -> bool:
        """Scan ``line`` from ``pos``; True when the array has closed."""
        n = len(line)
        i = pos
        while i < n:
            if self.in_ml:
                end = line.find(self.in_ml, i)
                if end < 0:
                    return False
                i = end + 3
                self.in_ml = None
                continue
            ch = line[i]
            if ch in " \t":
                i += 1
                continue
            if ch == "#":
                return False
            if self.depth == 1 and self.expecting and ch not in ",]":
                self.keys[self.path + (self.index,)] = (lineno, i + 1, i + 1)
                self.expecting = False
                if ch == "{":
                    _scan_inline_table(line, i + 1, self.path + (self.index,), lineno, self.keys)
            if line.startswith('"""', i) or line.startswith("'''", i):
                self.in_ml = line[i : i + 3]
                i += 3
                continue
            if ch in "\"'":
                i = _string_end(line, i)
            elif ch in "[{":
                self.depth += 1
                if self.depth == 1:
                    self.expecting = True
            elif ch in "]}":
                self.depth -= 1
                if self.depth == 0:
                    return True
            elif ch == "," and self.depth == 1:
                self.index += 1
                self.expecting = True
            i += 1
        return False
