"""Money: an exact amount in 元 (yuan), kept as a Decimal rounded to the fen.

Input may be an integer, a Decimal (TOML floats are parsed as Decimal), or a
string with thousands separators ("4,483,000.00", "¥ 60, 000").  Amounts
given in 万元 are converted to 元 on input.  Nothing is rounded, on input or in
print: an amount finer than a fen is refused, and one printed in 万元 that needs
more than two places is printed with more.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from .numbers import GROUPED_NUMBER, decimal_places, digit_words, foreign_digit
from .shown import clip

__all__ = ["Money", "MoneyError", "UNITS", "MAX_YUAN"]

UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
#: Places after the decimal point down to a fen, in each unit.
_PLACES = {"元": 2, "万元": 6}
#: Anything above one trillion yuan is a typo, not a project budget.
MAX_YUAN = Decimal("1000000000000")
_CENT = Decimal("0.01")
_STRIP = re.compile(r"[\s¥￥]")


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money (message in Chinese)."""


class Money:
    """An amount in 元.  Immutable, hashable, ordered, exact."""

    __slots__ = ("yuan",)

    def __init__(self, yuan: Decimal | int | str = 0):
        value = Decimal(yuan)
        object.__setattr__(self, "yuan", value.copy_abs() if value.is_zero() else value)  # never -0

    def __setattr__(self, name, value):  # pragma: no cover - immutability guard
        raise AttributeError("Money is immutable")

    def __reduce__(self):  # sent to or from a worker process
        return (Money, (self.yuan,))

    # -- construction ---------------------------------------------------
    @classmethod
    def parse(cls, value: object, unit: str = "元") -> "Money":
        """Read an amount written in ``unit`` (元 or 万元) and return it in 元.

        Exact or refused, never rounded: at most a fen (two places in 元, six in 万元),
        at most one trillion 元, ASCII digits with thousands separators where they belong.
        The checks look at the digits before any arithmetic, so ``1e-999999999`` is
        refused at once.
        """
        if unit not in UNITS:
            raise MoneyError(f"金额单位只能是“元”或“万元”，而不是“{clip(unit, 20)}”")
        if isinstance(value, bool):
            raise MoneyError("金额应为数字，而不是布尔值")
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            number = value
        elif isinstance(value, float):
            number = Decimal(str(value))
        elif isinstance(value, str):
            number, unit = _parse_text(value, unit)
        else:
            raise MoneyError(f"金额应为数字或字符串，而不是{_type_name(value)}")
        shown = clip(value)
        if not number.is_finite():
            raise MoneyError("金额必须是有限的数字")
        if number.is_zero():
            return cls(0)  # -0, 0e-999999999: zero
        if number.adjusted() > 15:  # before any arithmetic: 1e999999999 would overflow
            raise MoneyError(f"金额 {shown} 超过一万亿元，不像是真实的项目金额")
        if number < 0:
            raise MoneyError(f"金额不能为负数（{shown}）")
        if decimal_places(number) > _PLACES[unit]:
            if unit == "万元":
                raise MoneyError(f"金额 {shown}万元 精确到分以下（按万元填写时最多六位小数，即精确到分）")
            raise MoneyError(f"金额 {shown}{unit} 精确到分以下，最多保留到分（0.01 元）")
        with localcontext() as ctx:  # at most 16 + 6 digits: exact
            ctx.prec = 40
            yuan = number * UNITS[unit]
        if yuan > MAX_YUAN:
            raise MoneyError(f"金额 {shown}{unit} 超过一万亿元，不像是真实的项目金额")
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
        """``987,000.00`` (元), ``1020000`` (元, no separators, places=0) or ``29.20`` (万元).

        ``places`` is the least number of places: an amount that needs more is printed
        with more (``29.205`` 万元, ``1020000.50`` with places=0), never rounded, so that
        what a form prints adds up to what its totals print.
        """
        value = self.yuan / UNITS[unit]
        if value.is_zero():
            value = value.copy_abs()  # never "-0.00"
        needed = decimal_places(value)
        if needed > places:
            places = max(needed, 2)  # fen are two places: 1020000.50, not 1020000.5
        value = value.quantize(Decimal(1).scaleb(-places))
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


def _parse_text(value: str, unit: str) -> tuple[Decimal, str]:
    """(number, unit) of an amount written as text: ``"4,483,000.00"``, ``"¥ 60, 000"``, ``"29.2万元"``."""
    text = _STRIP.sub("", value)
    # an explicit unit written with the number wins over the table's unit
    if text.endswith("万元"):
        text, unit = text[:-2], "万元"
    elif text.endswith("元"):
        text, unit = text[:-1], "元"
    if GROUPED_NUMBER.fullmatch(text):
        return Decimal(text.replace(",", "").replace("，", "")), unit
    shown = clip(value, 40)
    digit = foreign_digit(text)
    if digit:
        raise MoneyError(f"“{shown}”中有{digit_words(digit)}，金额请用半角数字 0-9 书写")
    if re.fullmatch(r"[+-]?[0-9,，]*[0-9][0-9,，]*(\.[0-9]*)?", text):
        raise MoneyError(f"“{shown}”中千位分隔符“,”的位置不对（应每三位一个，如 \"4,483,000.00\"）")
    raise MoneyError(f"“{shown}”不是金额（应写作 1020000、\"4,483,000.00\" 之类）")
