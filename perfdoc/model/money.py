"""Money: an exact amount in 元 (yuan), kept as a Decimal rounded to the fen.

Input may be an integer, a Decimal (TOML floats are parsed as Decimal), or a
string with thousands separators ("4,483,000.00", "¥ 60, 000").  Amounts
given in 万元 are converted to 元 on input.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["Money", "MoneyError", "UNITS", "MAX_YUAN"]

UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
#: Anything above one trillion yuan is a typo, not a project budget.
MAX_YUAN = Decimal("1000000000000")
_CENT = Decimal("0.01")
_STRIP = re.compile(r"[\s,，¥￥]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money (message in Chinese)."""


class Money:
    """An amount in 元.  Immutable, hashable, ordered, exact."""

    __slots__ = ("yuan",)

    def __init__(self, yuan: Decimal | int | str = 0):
        object.__setattr__(self, "yuan", Decimal(yuan))

    def __setattr__(self, name, value):  # pragma: no cover - immutability guard
        raise AttributeError("Money is immutable")

    # -- construction ---------------------------------------------------
    @classmethod
    def parse(cls, value: object, unit: str = "元") -> "Money":
        """Read an amount written in ``unit`` (元 or 万元) and return it in 元."""
        if unit not in UNITS:
            raise MoneyError(f"金额单位只能是“元”或“万元”，而不是“{unit}”")
        if isinstance(value, bool):
            raise MoneyError("金额应为数字，而不是布尔值")
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            number = value
        elif isinstance(value, float):
            number = Decimal(str(value))
        elif isinstance(value, str):
            text = _STRIP.sub("", value)
            # an explicit unit written with the number wins over the table's unit
            if text.endswith("万元"):
                text, unit = text[:-2], "万元"
            elif text.endswith("元"):
                text, unit = text[:-1], "元"
            if not _NUMBER.fullmatch(text):
                raise MoneyError(f"“{value[:40]}”不是金额（应写作 1020000、\"4,483,000.00\" 之类）")
            number = Decimal(text)
        else:
            raise MoneyError(f"金额应为数字或字符串，而不是{_type_name(value)}")
        if not number.is_finite():
            raise MoneyError("金额必须是有限的数字")
        if number.adjusted() > 15:  # before any arithmetic: 1e999999999 would overflow
            raise MoneyError(f"金额 {value} 超过一万亿元，不像是真实的项目金额")
        yuan = number * UNITS[unit]
        if yuan < 0:
            raise MoneyError(f"金额不能为负数（{value}）")
        if yuan > MAX_YUAN:
            raise MoneyError(f"金额 {value}{unit} 超过一万亿元，不像是真实的项目金额")
        if yuan != yuan.quantize(_CENT, rounding="ROUND_DOWN"):
            raise MoneyError(f"金额 {value}{unit} 精确到分以下，最多保留到分（0.01 元）")
        return cls(yuan.quantize(_CENT))

    # -- arithmetic and comparison ------------------------------------------
    def __add__(self, other: "Money") -> "Money":
        return Money(self.yuan + other.yuan)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.yuan - other.yuan)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and self.yuan == other.yuan

    def __lt__(self, other: "Money") -> bool:
        return self.yuan < other.yuan

    def __le__(self, other: "Money") -> bool:
        return self.yuan <= other.yuan

    def __gt__(self, other: "Money") -> bool:
        return self.yuan > other.yuan

    def __ge__(self, other: "Money") -> bool:
        return self.yuan >= other.yuan

    def __hash__(self) -> int:
        return hash(self.yuan)

    def __bool__(self) -> bool:
        return bool(self.yuan)

    def __repr__(self) -> str:
        return f"Money({str(self.yuan)!r})"

    @staticmethod
    def sum(items) -> "Money":
        total = Decimal(0)
        for item in items:
            total += item.yuan
        return Money(total)

    # -- formatting -----------------------------------------------------
    @property
    def wan(self) -> Decimal:
        """The amount in 万元, exact."""
        return self.yuan / UNITS["万元"]

    def format(self, unit: str = "元", separators: bool = True, places: int = 2) -> str:
        """``987,000.00`` (元), ``1020000`` (元, no separators, places=0) or ``29.20`` (万元)."""
        value = self.yuan / UNITS[unit]
        quantum = Decimal(1).scaleb(-places)
        value = value.quantize(quantum)
        return f"{value:,.{places}f}" if separators else f"{value:.{places}f}"

    def format_plain(self, unit: str = "万元") -> str:
        """Shortest exact form without trailing zeros: ``102`` or ``102.34`` (for sentences)."""
        value = (self.yuan / UNITS[unit]).normalize()
        text = f"{value:f}"
        return text


def _type_name(value: object) -> str:
    import datetime as dt

    if isinstance(value, (dt.date, dt.time)):
        return f"日期/时间 {value}"
    return {dict: "表（table）", list: "数组", str: "字符串"}.get(type(value), type(value).__name__)
