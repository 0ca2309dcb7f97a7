"""A readable diff of Chinese text: inserted and deleted spans, not a whole-paragraph replacement.

Chinese has no spaces between words, so the text is compared character by
character (``difflib.SequenceMatcher``, ``autojunk=False``); runs of ASCII
letters and digits (``102``, ``4,483,000.00``, ``ABC``) are kept whole so that
"56万" → "60万" reads as 56 → 60 rather than 5 → 6 plus an inserted 0.  Short
equal runs caught between two edits ("的", "和") are then folded into the
edits (a single character always, up to three when both edits are longer), so
that the result reads as phrases replaced rather than as a scatter of single
characters, while a long shared phrase stays shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["TextSpan", "text_diff", "old_text", "new_text"]

#: Above this many token comparisons (len(a) * len(b)), diff paragraph by paragraph first.
_DIRECT_LIMIT = 4_000_000

#: Equal runs up to this long are folded into longer edits on both sides.
_GLUE = 3

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,，][0-9]+)*|\s+|.", re.S)


@dataclass(frozen=True)
class TextSpan:
    op: str  # "equal" | "insert" | "delete"
    text: str


def old_text(spans: list[TextSpan]) -> str:
    """The old text the spans were made from (equal + deleted)."""
    return "".join(s.text for s in spans if s.op != "insert")


def new_text(spans: list[TextSpan]) -> str:
    """The new text the spans were made from (equal + inserted)."""
    return "".join(s.text for s in spans if s.op != "delete")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# A segment is [old, new]: equal when old == new and flagged so, an edit otherwise.
class _Seg:
    __slots__ = ("equal", "old", "new")

    def __init__(self, equal: bool, old: str, new: str):
        self.equal, self.old, self.new = equal, old, new


def _raw_segments(a: list[str], b: list[str]) -> list[_Seg]:
    out: list[_Seg] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        out.append(_Seg(tag == "equal", old, new))
    return out


def _segments(a: str, b: str) -> list[_Seg]:
    # common prefix and suffix first: cheap, and most edits are small
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    # do not cut an ASCII word or number in two
    while start > 0 and _wordy(a[start - 1]) and (_wordy(a[start:start + 1]) or _wordy(b[start:start + 1])):
        start -= 1
    while end > 0 and _wordy(a[len(a) - end]) and (
            _wordy(a[len(a) - end - 1:len(a) - end]) or _wordy(b[len(b) - end - 1:len(b) - end])):
        end -= 1
    head, tail = a[:start], a[len(a) - end:] if end else ""
    mid_a, mid_b = a[start:len(a) - end], b[start:len(b) - end]
    out = [_Seg(True, head, head)] if head else []
    ta, tb = _tokens(mid_a), _tokens(mid_b)
    if len(ta) * len(tb) <= _DIRECT_LIMIT:
        out += _raw_segments(ta, tb)
    else:
        out += _by_paragraph(mid_a, mid_b)
    if tail:
        out.append(_Seg(True, tail, tail))
    return out


def _wordy(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _by_paragraph(a: str, b: str) -> list[_Seg]:
    """Long texts: match paragraphs first, then diff each replaced block by characters."""
    pa, pb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    out: list[_Seg] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, pa, pb, autojunk=False).get_opcodes():
        old, new = "".join(pa[i1:i2]), "".join(pb[j1:j2])
        if tag == "equal":
            out.append(_Seg(True, old, new))
            continue
        ta, tb = _tokens(old), _tokens(new)
        if ta and tb and len(ta) * len(tb) <= _DIRECT_LIMIT:
            out += _raw_segments(ta, tb)
        else:
            out.append(_Seg(False, old, new))
    return out


def _merge_edits(segs: list[_Seg]) -> list[_Seg]:
    out: list[_Seg] = []
    for s in segs:
        if not s.old and not s.new:
            continue
        if out and out[-1].equal == s.equal:
            out[-1] = _Seg(s.equal, out[-1].old + s.old, out[-1].new + s.new)
        else:
            out.append(s)
    return out


def _cleanup(segs: list[_Seg]) -> list[_Seg]:
    """Fold short equal runs between two edits into the edits (repeat until stable)."""
    segs = _merge_edits(segs)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(segs) - 1):
            eq = segs[i]
            if not eq.equal or "\n" in eq.old:
                continue
            before, after = segs[i - 1], segs[i + 1]
            size = len(eq.old)
            near = max(len(before.old), len(before.new))
            far = max(len(after.old), len(after.new))
            if size <= 1 or (size <= _GLUE and size < near and size < far):
                segs[i - 1] = _Seg(False, before.old + eq.old + after.old, before.new + eq.new + after.new)
                del segs[i:i + 2]
                segs = _merge_edits(segs)
                changed = True
                break
    return segs


def text_diff(old: str, new: str) -> list[TextSpan]:
    """The spans that turn ``old`` into ``new``: equal, delete (before insert) and insert."""
    if old == new:
        return [TextSpan("equal", old)] if old else []
    spans: list[TextSpan] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if spans and spans[-1].op == op:
            spans[-1] = TextSpan(op, spans[-1].text + text)
        else:
            spans.append(TextSpan(op, text))

    for seg in _cleanup(_segments(old, new)):
        if seg.equal:
            add("equal", seg.old)
        else:
            add("delete", seg.old)
            add("insert", seg.new)
    return spans
