"""How the terminal and Markdown diffs write values: amounts, percentages, targets, trimmed texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..model import Indicator, Money
from .changes import STATUS_LABELS, STATUSES, DepartmentDiff, FieldChange, IndicatorChange, ProjectDiff
from .textdiff import TextSpan

__all__ = [
    "CONTEXT", "INLINE", "money", "signed_money", "signed_percent", "number", "signed_number", "value", "target",
    "group", "target_delta", "project_title", "trimmed", "is_inline", "counts_line",
]

#: Characters of unchanged text kept on each side of an edit in terminal and Markdown output.
CONTEXT = 30
#: A text this short (old + new) is shown on the label's line.
INLINE = 60


def money(m: Money | None) -> str:
    return "—" if m is None else m.format("元")


def signed_money(delta: Decimal) -> str:
    text = Money(abs(delta)).format("元")
    return f"+{text}" if delta > 0 else (f"-{text}" if delta < 0 else "0.00")


def signed_percent(p: Decimal | None) -> str:
    if p is None:
        return "—"
    return f"+{p}%" if p > 0 else f"{p}%"


def number(d: Decimal) -> str:
    text = f"{d.normalize():f}"
    return text


def signed_number(d: Decimal) -> str:
    text = number(d)
    return f"+{text}" if d > 0 else text


def value(v: object) -> str:
    if v is None or v == "" or v == []:
        return "（未填）"
    if isinstance(v, Money):
        return v.format("元")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return f"{v[0]}年—{v[1]}年"
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v))
    return str(v)


def target(ind: Indicator | None) -> str:
    return ind.target.text.strip() if ind is not None else ""


def group(key: tuple | None) -> str:
    return " / ".join(key[:2]) if key else ""


def target_delta(c: IndicatorChange) -> str:
    if c.delta is None:
        return ""
    return f"{signed_number(c.delta)}{(' ' + c.unit) if c.unit else ''}"


def project_title(p: ProjectDiff) -> str:
    pair = p.pair
    if p.status == "renamed":
        return f"{p.name}（文件 {pair.old.key}.toml → {pair.new.key}.toml）"
    return f"{p.name}（{pair.key}.toml）"


def trimmed(spans: list[TextSpan], context: int = CONTEXT) -> list[TextSpan]:
    """Long unchanged runs shortened to ``context`` characters around the edits, "…" for the rest."""
    out: list[TextSpan] = []
    last = len(spans) - 1
    for i, s in enumerate(spans):
        if s.op != "equal" or len(s.text) <= 2 * context + 1:
            out.append(s)
        elif i == 0 and last > 0:
            out.append(TextSpan("equal", "…" + s.text[-context:]))
        elif i == last and last > 0:
            out.append(TextSpan("equal", s.text[:context] + "…"))
        elif 0 < i < last:
            out.append(TextSpan("equal", s.text[:context] + "…" + s.text[-context:]))
        else:
            out.append(s)
    return out


def is_inline(c: FieldChange) -> bool:
    return len(str(c.old)) + len(str(c.new)) <= INLINE and "\n" not in str(c.old) + str(c.new)


def counts_line(diff: DepartmentDiff, sep: str = " · ") -> str:
    counts = diff.counts
    return sep.join(f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUSES)

