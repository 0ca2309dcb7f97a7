"""Self-evaluation scoring (自评表, forms.md §4): pure math on value types.

Used by ``perfdoc.check`` (the self-evaluation rules) and ``perfdoc.evaluate``
(the scores printed on the form), so that both compute the same figures.

* Budget execution: rate = 全年执行数 / 全年预算数; its score = 10 × rate,
  capped at 10.  Both are computed exactly from the amounts and rounded once,
  to two decimals, half up: 468.77 / 470.26 → 99.68 %, 9.97.
* Indicators, quantitative, higher is better (≥, >, = or no operator): met →
  full weight, else weight × actual / target.  Lower is better (≤, <): met →
  full weight, else weight × (1 − (actual − target) / target), not below 0.
  Qualitative and phrase targets: full weight (a department may award less
  by writing the score).  Every score lies in [0, weight], two decimals.
* Grade: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .money import Money
from .target import Target

__all__ = [
    "BUDGET_WEIGHT", "INDICATOR_WEIGHT", "GRADES",
    "round2", "execution_rate", "budget_score", "actual_problem",
    "indicator_score", "used_score", "grade_of", "same_unit",
]

#: 分值 of the budget execution line.
BUDGET_WEIGHT = Decimal("10.00")
#: The indicator weights add up to this (with the budget's 10, the total is 100).
INDICATOR_WEIGHT = Decimal("90")
#: Lowest total of each grade, best first.
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))

_CENT = Decimal("0.01")
_LOWER_IS_BETTER = ("≤", "<")


def round2(value: Decimal | Fraction | int) -> Decimal:
    """Two decimals, ties away from zero (ROUND_HALF_UP), computed exactly."""
    if isinstance(value, Fraction):
        sign = -1 if value < 0 else 1
        hundredths = abs(value) * 100
        whole, rest = divmod(hundredths.numerator, hundredths.denominator)
        if 2 * rest >= hundredths.denominator:
            whole += 1
        return (Decimal(sign * whole) / 100).quantize(_CENT)
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _fraction(value: Decimal | int) -> Fraction:
    return Fraction(Decimal(value))


def _clamp(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return max(low, min(high, value))


# -- budget execution ---------------------------------------------------------------

def execution_rate(executed: Money, adjusted: Money) -> Decimal | None:
    """执行率 in percent, two decimals, from the amounts; None when 全年预算数 is 0."""
    if not adjusted.yuan:
        return None
    return round2(_fraction(executed.yuan) / _fraction(adjusted.yuan) * 100)


def budget_score(executed: Money, adjusted: Money, weight: Decimal = BUDGET_WEIGHT) -> Decimal:
    """The budget line's 得分: weight × executed / adjusted, capped at weight, from the amounts.

    A zero 全年预算数 scores 0 (there is nothing to execute against).
    """
    if not adjusted.yuan or weight <= 0:
        return round2(0)
    ratio = _fraction(executed.yuan) / _fraction(adjusted.yuan)
    return round2(_clamp(_fraction(weight) * ratio, Fraction(0), _fraction(weight)))


# -- indicators -----------------------------------------------------------------------

def _norm_unit(unit: str) -> str:
    return unit.replace("％", "%").replace(" ", "").replace("（", "(").replace("）", ")")


def same_unit(target: Target, actual: Target) -> bool:
    """An actual is in the target's unit when the units agree or either leaves it out."""
    if not target.unit or not actual.unit:
        return True
    return _norm_unit(target.unit) == _norm_unit(actual.unit)


def actual_problem(target: Target, actual: Target | None) -> str | None:
    """Why a quantitative target's actual cannot be scored (Chinese), or None when it can.

    Only quantitative targets need a number; other kinds take any text.
    """
    if actual is None or actual.kind == "empty":
        return "没有填写实际完成值"
    if not target.is_quantitative:
        return None
    if not actual.is_quantitative:
        return f"实际完成值“{actual.text.strip()}”不是数值（指标值是 {target.text.strip()}）"
    if actual.op not in (None, "="):
        return f"实际完成值“{actual.text.strip()}”应是一个数值，不带“{actual.op}”"
    if not same_unit(target, actual):
        return f"实际完成值“{actual.text.strip()}”的单位“{actual.unit}”与指标值 {target.text.strip()} 的单位“{target.unit}”不同"
    return None


def indicator_score(target: Target, actual: Target | None, weight: Decimal | None) -> Decimal | None:
    """What the rule gives an indicator (two decimals), or None when it cannot be computed.

    None when the weight or the actual is missing, or a quantitative target's
    actual is not a number in its unit.
    """
    if weight is None or weight < 0:
        return None
    if actual_problem(target, actual) is not None:
        return None
    w = _fraction(weight)
    if not target.is_quantitative:
        return round2(w)
    t = _fraction(target.number)
    a = _fraction(actual.number)
    if target.effective_op in _LOWER_IS_BETTER:
        if a <= t:
            return round2(w)
        if t <= 0:
            return round2(0)
        score = w * (1 - (a - t) / t)
    else:
        if a >= t:
            return round2(w)
        if t <= 0:
            return round2(0)
        score = w * a / t
    return round2(_clamp(score, Fraction(0), w))


def used_score(stated: Decimal | None, computed: Decimal | None) -> Decimal:
    """The 得分 printed: the stated score, else the computed one, else 0 (nothing to score)."""
    if stated is not None:
        return round2(stated)
    if computed is not None:
        return computed
    return round2(0)


def grade_of(total: Decimal) -> str:
    """评分等级 of a total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差."""
    for low, grade in GRADES:
        if total >= low:
            return grade
    return GRADES[-1][1]
