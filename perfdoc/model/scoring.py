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

That is 财预〔2020〕10号 (``TEN``).  ``HUNDRED_ONE`` is 财预〔2021〕101号's method
(the ``central-101`` profile): the execution rate scores by bands (10 points at
100 %, 7 from 80 %, 5 from 60 %, else 0), a quantitative indicator scores
nothing below 60 % completion and (completion − 60 %) / (1 − 60 %) × weight
above, a satisfaction rate scores full from 90 %, 8/10 from 80 %, 5/10 from
60 %.  Both compute with exact fractions and round once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .framework import SATISFACTION, normalise_name
from .money import Money
from .target import Target

__all__ = [
    "BUDGET_WEIGHT", "INDICATOR_WEIGHT", "GRADES",
    "round2", "execution_rate", "budget_score", "actual_problem",
    "indicator_score", "used_score", "grade_of", "same_unit", "completion",
    "budget_score_101", "indicator_score_101", "ScoringMethod", "TEN", "HUNDRED_ONE", "is_satisfaction",
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


def completion(target: Target, actual: Target) -> Fraction:
    """How far a quantitative actual reaches its target, between 0 and 1 (1: met).

    Higher is better (≥, >, = or no operator): actual / target.  Lower is better
    (≤, <): 1 − (actual − target) / target.  A target of 0 or less that is not
    met reaches nothing.  The caller has checked the actual (``actual_problem``).
    """
    t = _fraction(target.number)
    a = _fraction(actual.number)
    if target.effective_op in _LOWER_IS_BETTER:
        if a <= t:
            return Fraction(1)
        reached = 1 - (a - t) / t if t > 0 else Fraction(0)
    else:
        if a >= t:
            return Fraction(1)
        reached = a / t if t > 0 else Fraction(0)
    return _clamp(reached, Fraction(0), Fraction(1))


def _scorable(target: Target, actual: Target | None, weight: Decimal | None) -> bool:
    return weight is not None and weight >= 0 and actual_problem(target, actual) is None


def indicator_score(target: Target, actual: Target | None, weight: Decimal | None,
                    satisfaction: bool = False) -> Decimal | None:
    """What 10号's rule gives an indicator (two decimals), or None when it cannot be computed.

    None when the weight or the actual is missing, or a quantitative target's
    actual is not a number in its unit.  ``satisfaction`` makes no difference
    here (10号 scores a 满意度 like any other indicator).
    """
    if not _scorable(target, actual, weight):
        return None
    w = _fraction(weight)
    if not target.is_quantitative:
        return round2(w)
    return round2(w * completion(target, actual))


def is_satisfaction(indicator) -> bool:
    """A 满意度 indicator (an ``Indicator``): under the 满意度指标 一级, or named …满意度."""
    return normalise_name(indicator.level1) == SATISFACTION or normalise_name(indicator.name).endswith("满意度")


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


# -- 财预〔2021〕101号 ------------------------------------------------------------------------

#: Execution-rate bands of 101号, best first: (lowest rate, points out of 10).
BUDGET_BANDS_101 = ((Fraction(1), Fraction(10)), (Fraction(4, 5), Fraction(7)), (Fraction(3, 5), Fraction(5)))
#: Satisfaction bands of 101号, best first: (lowest rate in percent, share of the weight).
SATISFACTION_BANDS_101 = ((Fraction(90), Fraction(1)), (Fraction(80), Fraction(8, 10)), (Fraction(60), Fraction(5, 10)))
#: Below this completion a quantitative indicator scores nothing (101号).
COMPLETION_FLOOR_101 = Fraction(3, 5)


def budget_score_101(executed: Money, adjusted: Money, weight: Decimal = BUDGET_WEIGHT) -> Decimal:
    """101号's budget score: 10 points at 100 %, 7 from 80 %, 5 from 60 %, else 0 (scaled to ``weight``).

    A rate between two thresholds scores the lower one's points (99.68 % → 7,
    79.99 % → 5): the bands are not interpolated.  The rate is the exact ratio
    of the amounts, never a rounded one.
    """
    if not adjusted.yuan or weight <= 0:
        return round2(0)
    rate = _fraction(executed.yuan) / _fraction(adjusted.yuan)
    for low, points in BUDGET_BANDS_101:
        if rate >= low:
            return round2(_fraction(weight) * points / 10)
    return round2(0)


def indicator_score_101(target: Target, actual: Target | None, weight: Decimal | None,
                        satisfaction: bool = False) -> Decimal | None:
    """What 101号's rule gives an indicator (two decimals), or None when it cannot be computed.

    * A 满意度 (``satisfaction``) with a percentage actual: full from 90 %, 8/10
      of the weight from 80 %, 5/10 from 60 %, else 0 (the survey's rate, not
      its ratio to the target).
    * Other quantitative indicators: completion (as in ``completion``) of 100 %
      scores full; below 60 % nothing; between, (completion − 60 %) / (1 − 60 %)
      × weight.
    * Qualitative and phrase targets: full weight (a department may write less).
    """
    if not _scorable(target, actual, weight):
        return None
    w = _fraction(weight)
    if not target.is_quantitative:
        return round2(w)
    if satisfaction and actual.is_percent:
        level = _fraction(actual.number)
        for low, share in SATISFACTION_BANDS_101:
            if level >= low:
                return round2(w * share)
        return round2(0)
    reached = completion(target, actual)
    if reached < COMPLETION_FLOOR_101:
        return round2(0)
    return round2(w * (reached - COMPLETION_FLOOR_101) / (1 - COMPLETION_FLOOR_101))


class ScoringMethod:
    """A way to score a self-evaluation: the budget line and each indicator.

    ``key`` is "10" or "101"; ``title`` the document as printed (财预〔2020〕10号);
    ``budget(executed, adjusted, weight)`` and ``indicator(target, actual, weight,
    satisfaction)`` the two scores.
    """

    __slots__ = ("key", "title", "budget", "indicator")

    def __init__(self, key: str, title: str, budget, indicator):
        self.key, self.title, self.budget, self.indicator = key, title, budget, indicator

    def __repr__(self) -> str:
        return f"ScoringMethod({self.key!r}, {self.title!r})"

    def budget_score(self, executed: Money, adjusted: Money, weight: Decimal = BUDGET_WEIGHT) -> Decimal:
        return self.budget(executed, adjusted, weight)

    def indicator_score(self, target: Target, actual: Target | None, weight: Decimal | None,
                        satisfaction: bool = False) -> Decimal | None:
        return self.indicator(target, actual, weight, satisfaction)


#: 财预〔2020〕10号《项目支出绩效评价管理办法》: what perfdoc scored before profiles existed.
TEN = ScoringMethod("10", "财预〔2020〕10号", budget_score, indicator_score)
#: 财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》.
HUNDRED_ONE = ScoringMethod("101", "财预〔2021〕101号", budget_score_101, indicator_score_101)
