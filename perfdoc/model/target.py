"""Indicator targets (年度指标值) as a small value type.

A target is read from the text a user wrote and keeps that text for printing.
Three kinds:

* ``quantitative``: operator + number + unit: ``≥8000.00(人)``, ``≥8000人``,
  ``>=95%``, ``=3次``, ``12``, ``985米`` (no operator reads as ``=`` for checks
  and scoring, and prints as written), ``¥ 60, 000``;
* ``qualitative``: a short word without digits: ``提升``, ``及时``, ``健全``;
* ``phrase``: any other free text: ``全年不少于2次``, ``按实际工作人数按月足额发放``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Target", "OPERATORS", "COUNT_UNITS", "QUALITATIVE_WORDS", "misgrouped"]

#: Spellings accepted for each operator, mapped to the printed form.
OPERATORS = {
    "≥": "≥", ">=": "≥", "≧": "≥", "＞＝": "≥", "＞=": "≥",
    "≤": "≤", "<=": "≤", "≦": "≤", "＜＝": "≤", "＜=": "≤",
    "=": "=", "＝": "=", "==": "=",
    ">": ">", "＞": ">",
    "<": "<", "＜": "<",
}
_OP_ALT = "|".join(sorted((re.escape(k) for k in OPERATORS), key=len, reverse=True))
_NUM_STRICT = r"[+-]?(?:[0-9]{1,3}(?:[,，]\s?[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_NUM_LOOSE = r"[+-]?[0-9](?:[0-9]|[,，]\s?)*(?:\.[0-9]+)?"  # thousands separators anywhere


def _quantity(number: str) -> re.Pattern:
    """operator, currency sign, ``number``, unit: the whole of a quantitative target (digits are ASCII).

    White space is matched possessively (``\\s*+``): what follows it cannot start with a space,
    and without it a long run of spaces takes quadratic time to fail.
    """
    return re.compile(
        rf"""^\s*+(?P<op>{_OP_ALT})?\s*+
            (?P<cur>[¥￥])?\s*+
            (?P<num>{number})\s*+
            (?:[(（]\s*(?P<punit>[^()（）0-9]{{0,12}}?)\s*[)）]|(?P<unit>[^\s()（）0-9][^()（）0-9]{{0,11}}?))?\s*$""",
        re.VERBOSE,
    )


_QUANT = _quantity(_NUM_STRICT)
_QUANT_LOOSE = _quantity(_NUM_LOOSE)


def misgrouped(text: str) -> str | None:
    """The number of a target written as a quantity but with thousands separators out of place
    (``≥1,2,3人``), else None."""
    if _QUANT.match(text):
        return None
    m = _QUANT_LOOSE.match(text)
    if m and re.search(r"[,，]", m["num"]):
        return m["num"].strip()
    return None

#: Units that count things: wrong on a rate (…率) or a qualitative indicator.
COUNT_UNITS = frozenset(
    "个 次 人 人次 家 项 场 期 条 件 份 名 户 批 所 篇 套 台 场次 课时 节 起 本 张 处 座 支 辆 栋 间 块 册".split()
)

#: Single words that state a qualitative target (forms.md §1).
QUALITATIVE_WORDS = frozenset(
    "提升 提高 及时 健全 合规 有效 明显 显著 符合 达标 合格 增强 加强 优化 改善 规范 完善 "
    "促进 准确 完成 良好 稳定 持续 满意 较好 好 优 保障 有效保障 同比提升 建立健全 优化提升 逐步提升 "
    "不断提升 大幅提升".split()
)


def _normalise_unit(unit: str) -> str:
    unit = unit.strip().replace("％", "%").replace(" ", "")
    return unit


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值; ``text`` is what the user wrote and is printed as is."""

    text: str
    kind: str  # "quantitative" | "qualitative" | "phrase" | "empty"
    op: str | None = None  # "≥" "≤" "=" ">" "<"; None when the user wrote none
    number: Decimal | None = None
    unit: str = ""

    @classmethod
    def parse(cls, text: str) -> "Target":
        raw = text
        text = text.strip()
        if not text:
            return cls(raw, "empty")
        m = _QUANT.match(text)
        if m:
            number = Decimal(re.sub(r"[,，\s]", "", m["num"]))
            unit = _normalise_unit(m["punit"] or m["unit"] or "")
            if m["cur"] and not unit:
                unit = "元"
            op = OPERATORS[m["op"]] if m["op"] else None
            return cls(raw, "quantitative", op, number, unit)
        if not re.search(r"[0-9]", text) and len(text) <= 6 and not re.search(r"[，,。；;\s]", text):
            return cls(raw, "qualitative")
        return cls(raw, "phrase")

    # -- meaning ------------------------------------------------------------
    @property
    def effective_op(self) -> str | None:
        """The operator as read: a bare number means ``=``."""
        if self.kind != "quantitative":
            return None
        return self.op or "="

    @property
    def is_quantitative(self) -> bool:
        return self.kind == "quantitative"

    @property
    def is_count(self) -> bool:
        return self.kind == "quantitative" and self.unit in COUNT_UNITS

    @property
    def is_percent(self) -> bool:
        return self.kind == "quantitative" and self.unit == "%"

    def key(self) -> tuple:
        """What the target means: equal keys are the same target however written."""
        if self.kind == "quantitative":
            return ("q", self.effective_op, self.number.normalize(), self.unit)
        return (self.kind, re.sub(r"\s+", "", self.text))

    def same_meaning(self, other: "Target") -> bool:
        return self.key() == other.key()

    # -- printing -----------------------------------------------------------
    def system_style(self) -> str:
        """The Shanghai system's style: ``≥8000人`` prints ``≥8000.00(人)``.

        The system adds two decimals and brackets only to a value entered with an
        operator; a value without one (``12个月``, ``985米``, ``100%``) and every other
        kind print as written: no operator, unit or decimal the user did not write.
        """
        if self.kind != "quantitative" or self.op is None:
            return self.text.strip()
        # two decimals as the system prints them, more when the user wrote more (never rounded)
        places = max(2, -self.number.as_tuple().exponent)
        number = f"{self.number:.{places}f}"
        unit = f"({self.unit})" if self.unit else ""
        return f"{self.op}{number}{unit}"

    def __str__(self) -> str:
        return self.text
