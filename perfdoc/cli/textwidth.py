"""Terminal width of text with Chinese characters, and line wrapping that never splits a word.

A Chinese character takes two columns.  A line may break between two Chinese characters,
but never inside a run of Latin letters, digits or ASCII punctuation (``--force``,
``department.toml``, ``≥80.00(元/人)``), never before closing punctuation (``，。）``)
and never after opening punctuation (``（“``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["width", "wrap", "pad"]

#: Punctuation that must not start a line (it closes what precedes it).
_CLOSING = set("，。、；：？！）】》」』”’…,.;:?!)]}%·")
#: Punctuation that must not end a line (it opens what follows it).
_OPENING = set("（【《「『“‘([{")

_TOKEN = re.compile(r"\s+|[\x21-\x7e\u2265\u2264\u00b1\u00d7]+|.", re.S)


def width(text: str) -> int:
    """Columns that ``text`` takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns``."""
    return text + " " * max(columns - width(text), 0)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: words, single Chinese characters (with their punctuation), spaces."""
    out: list[str] = []
    opening = ""
    for tok in _TOKEN.findall(text):
        if tok in _OPENING:
            opening += tok
            continue
        if opening:
            if tok.isspace():
                out.append(opening)
            else:
                tok = opening + tok
            opening = ""
        if out and not tok.isspace() and not out[-1].isspace() and tok[0] in _CLOSING:
            out[-1] += tok
        else:
            out.append(tok)
    if opening:
        out.append(opening)
    return out


def wrap(text: str, columns: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """``text`` (one line) broken into lines of at most ``columns`` columns.

    ``indent`` starts the first line, ``subsequent`` (default: as many spaces) the others.
    A piece longer than a whole line is cut by characters, the only way it can fit.
    """
    if subsequent is None:
        subsequent = " " * width(indent)
    lines: list[str] = []
    line, used = indent, width(indent)
    start = True  # nothing but the indent on this line yet
    for tok in _tokens(text):
        w = width(tok)
        if tok.isspace():
            if not start:
                line, used = line + tok, used + w
            continue
        if used + w > columns and not start:
            lines.append(line.rstrip())
            line, used, start = subsequent, width(subsequent), True
        while used + w > columns and start and len(tok) > 1:  # longer than a line: cut it
            room = max(columns - used, 1)
            cut, taken = "", 0
            for ch in tok:
                cw = width(ch)
                if taken + cw > room and cut:
                    break
                cut, taken = cut + ch, taken + cw
            lines.append(line + cut)
            tok = tok[len(cut):]
            w = width(tok)
            line, used = subsequent, width(subsequent)
        line, used, start = line + tok, used + w, False
    lines.append(line.rstrip())
    return lines
