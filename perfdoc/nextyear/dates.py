"""Moving a plan date by one year, in the form the user wrote it.

A TOML date stays a TOML date; a string date keeps its separators, padding
and 年月日 (``"2026.1.1"`` → ``"2027.1.1"``).  29 February becomes 28 February.
"""

from __future__ import annotations

import datetime as dt

from ..model.fields import _DATE  # the loader's own pattern: what it accepts, we can move

__all__ = ["DateShiftError", "shift_date", "shift_date_text", "shift_value"]


class DateShiftError(ValueError):
    """A value that looks like a plan date but cannot be moved (message in Chinese)."""


def shift_date(value: dt.date) -> dt.date:
    """``value`` one year later (a date or a datetime); 29 Feb → 28 Feb."""
    if value.year >= dt.MAXYEAR:
        raise DateShiftError(f"日期 {value} 无法顺延一年")
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February of a leap year
        return value.replace(year=value.year + 1, day=28)


def shift_date_text(text: str) -> str:
    """A date written as text, one year later, written the same way."""
    m = _DATE.match(text)
    if not m:
        raise DateShiftError(f"“{text[:40]}”不是日期")
    try:
        old = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise DateShiftError(f"日期“{text}”不存在") from None
    new = shift_date(old)
    day = m[3] if new.day == old.day else f"{new.day:0{len(m[3])}d}"
    return text[: m.start(1)] + f"{new.year:04d}" + text[m.end(1): m.start(3)] + day + text[m.end(3):]


def shift_value(value: object) -> object:
    """A plan date as read by tomli (date, datetime or text), one year later, same type."""
    if isinstance(value, (dt.date, dt.datetime)):
        return shift_date(value)
    if isinstance(value, str):
        return shift_date_text(value)
    raise DateShiftError(f"{value!r} 不是日期")
