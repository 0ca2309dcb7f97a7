"""The self-evaluation (自评表, forms.md §4 and §6, last item).

These rules look only at projects with an ``[evaluation]``; they score with
``perfdoc.model.scoring`` by the profile's method (10号 or 101号), the same
math as ``perfdoc.evaluate``.
"""

from __future__ import annotations

from decimal import Decimal

from ...model import Money
from ...model.scoring import INDICATOR_WEIGHT, actual_problem, grade_of, is_satisfaction, round2, used_score
from ..base import Context, Finding, Rule

_ROWS = (("total", "年度资金总额"), ("appropriation", "其中：当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


def _num(value: Decimal) -> str:
    """A score as printed on the form: two decimals."""
    return f"{round2(value):.2f}"


def _amount(m: Money, unit: str) -> str:
    """``1,030,000.00 元`` or ``102.000001 万元`` (exact: a cent shows in 万元 too)."""
    if unit == "万元":
        return f"{m.format_plain(unit)} 万元"
    return f"{m.format(unit)} 元"


def _evaluated(ctx: Context):
    """The indicators of a project with an [evaluation], with their index; none otherwise."""
    if ctx.model.evaluation is None:
        return []
    return list(enumerate(ctx.model.indicators))


def _missing(text: str | None) -> bool:
    return text is None or not text.strip()


class WeightSum(Rule):
    """自评指标的分值之和不等于 90（另有预算执行 10 分，合计 100），或有指标没有填写分值。

    不合格::

        [evaluation]
        outcome = "……"
        [[indicators]]
        name = "党群阵地主题活动数"
        weight = 8
        ...                 # 各指标 weight 之和为 88

    合格::

        [evaluation]
        outcome = "……"
        [[indicators]]
        name = "党群阵地主题活动数"
        weight = 8
        ...                 # 各指标 weight 之和为 90
    """

    code = "PD601"
    name = "weight-sum"

    def check(self, ctx: Context):
        if ctx.model.evaluation is None:
            return
        total = Decimal(0)
        missing = 0
        for i, ind in _evaluated(ctx):
            if ind.weight is None:
                missing += 1
                yield Finding(("indicators", i, "name"), f"三级指标“{ind.name}”没有填写分值（weight）")
            else:
                total += ind.weight
        if total != INDICATOR_WEIGHT:
            note = f"（另有 {missing} 条指标未填分值）" if missing else ""
            yield Finding(("evaluation",), f"各指标分值之和为 {_num(total)}，应为 {_num(INDICATOR_WEIGHT)}"
                                           f"（加上预算执行的 10 分合计 100 分）{note}", value=False)


class ScoreAboveWeight(Rule):
    """指标得分高于分值。

    不合格::

        weight = 8
        score = 9

    合格::

        weight = 8
        score = 8
    """

    code = "PD602"
    name = "score-above-weight"

    def check(self, ctx: Context):
        for i, ind in _evaluated(ctx):
            if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
                yield Finding(("indicators", i, "score"),
                              f"“{ind.name}”的得分 {_num(ind.score)} 高于分值 {_num(ind.weight)}")


class DeviationMissing(Rule):
    """指标得分低于分值，却没有填写偏差原因分析及改进措施（deviation）。

    得分为表上填写的 score；未填写时按规则集的计分方法计算（如 ≥300 元实际 296 元，得分低于分值）。

    不合格::

        target = "≥300.00(元/人/月)"
        weight = 5
        actual = "296.00(元/人/月)"
        score = 4

    合格::

        target = "≥300.00(元/人/月)"
        weight = 5
        actual = "296.00(元/人/月)"
        score = 4
        deviation = "有部分新成立支部不能评定为三星及以上支部，发放津贴低于300元。"
    """

    code = "PD603"
    name = "deviation-missing"

    def check(self, ctx: Context):
        for i, ind in _evaluated(ctx):
            if ind.weight is None or not _missing(ind.deviation):
                continue
            computed = ctx.profile.method.indicator_score(ind.target, ind.actual, ind.weight, is_satisfaction(ind))
            if ind.score is None and computed is None:
                continue  # nothing to compare: PD604/PD605 say why
            score = used_score(ind.score, computed)
            if score < ind.weight:
                how = " " if ind.score is not None else "（按规则计算）"
                where = ("indicators", i, "score") if ind.score is not None else ("indicators", i, "actual")
                yield Finding(where, f"“{ind.name}”得分 {_num(score)}{how}低于分值 {_num(ind.weight)}，"
                                     f"须填写偏差原因分析及改进措施（deviation）")


class ActualNotNumber(Rule):
    """数量型指标的实际完成值不是与指标值同一单位的数值，无法计分。

    不合格::

        target = "≥100人"
        actual = "114次"

    合格::

        target = "≥100人"
        actual = "114人"
    """

    code = "PD604"
    name = "actual-not-number"

    def check(self, ctx: Context):
        for i, ind in _evaluated(ctx):
            if ind.actual is None or ind.actual.kind == "empty" or not ind.target.is_quantitative:
                continue
            problem = actual_problem(ind.target, ind.actual)
            if problem:
                yield Finding(("indicators", i, "actual"), f"“{ind.name}”：{problem}，无法计分")


class ActualMissing(Rule):
    """自评时指标没有填写实际完成值（actual）。

    不合格::

        [evaluation]
        outcome = "……"
        [[indicators]]
        name = "党群阵地主题活动数"
        target = "≥5.00(次)"
        weight = 8

    合格::

        [evaluation]
        outcome = "……"
        [[indicators]]
        name = "党群阵地主题活动数"
        target = "≥5.00(次)"
        weight = 8
        actual = "5.00(次)"
    """

    code = "PD605"
    name = "missing-actual"

    def check(self, ctx: Context):
        for i, ind in _evaluated(ctx):
            if ind.actual is None or ind.actual.kind == "empty":
                where = ("indicators", i, "actual") if ind.actual is not None else ("indicators", i, "target")
                yield Finding(where, f"“{ind.name}”没有填写实际完成值（actual）")


class ExecutedOverBudget(Rule):
    """全年执行数大于全年预算数。

    不合格::

        [evaluation.funding]
        unit = "万元"
        total = { initial = 417.32, adjusted = 470.26, executed = 471.00 }

    合格::

        [evaluation.funding]
        unit = "万元"
        total = { initial = 417.32, adjusted = 470.26, executed = 468.77 }
    """

    code = "PD606"
    name = "executed-over-budget"

    def check(self, ctx: Context):
        evaluation = ctx.model.evaluation
        if evaluation is None or evaluation.funding is None:
            return
        unit = evaluation.funding.unit
        for key, label in _ROWS:
            row = getattr(evaluation.funding, key)
            if row is not None and row.executed > row.adjusted:
                yield Finding(("evaluation", "funding", key, "executed"),
                              f"{label}的全年执行数 {_amount(row.executed, unit)} 大于全年预算数 {_amount(row.adjusted, unit)}")


class EvaluationFundingRows(Rule):
    """自评表缺少预算执行情况 [evaluation.funding]，或年度资金总额不等于当年财政拨款、上年结转资金与其他资金之和。

    不合格::

        [evaluation.funding]
        total = { initial = 946000, adjusted = 610500, executed = 610500 }
        appropriation = { initial = 946000, adjusted = 600000, executed = 600000 }
        carryover = { initial = 0, adjusted = 0, executed = 0 }

    合格::

        [evaluation.funding]
        total = { initial = 946000, adjusted = 610500, executed = 610500 }
        appropriation = { initial = 946000, adjusted = 610500, executed = 610500 }
        carryover = { initial = 0, adjusted = 0, executed = 0 }
    """

    code = "PD607"
    name = "evaluation-funding"

    def check(self, ctx: Context):
        evaluation = ctx.model.evaluation
        if evaluation is None:
            return
        funding = evaluation.funding
        if funding is None:
            yield Finding(("evaluation",), "自评缺少预算执行情况 [evaluation.funding]（年初预算数、全年预算数、全年执行数），无法计算总分",
                          value=False)
            return
        parts = [getattr(funding, key) for key, _ in _ROWS[1:]]
        if all(p is None for p in parts):
            return  # only the total row: nothing to add up
        for column, label in _COLUMNS:
            total = getattr(funding.total, column)
            added = Money.sum(getattr(p, column) for p in parts if p is not None)
            if added != total:
                yield Finding(("evaluation", "funding", "total", column),
                              f"年度资金总额的{label} {_amount(total, funding.unit)} ≠ 当年财政拨款、上年结转资金与其他资金之和 "
                              f"{_amount(added, funding.unit)}")


class TotalMismatch(Rule):
    """表上填写的总分或评分等级与各项得分不符（总分 = 预算执行得分 + 各指标得分；优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60）。

    没有填写 score 的指标和预算执行按规则集的计分方法计算（shanghai：财预〔2020〕10号；central-101：财预〔2021〕101号）。

    不合格::

        [evaluation]
        total = 98.97          # 9.97 + 88.00 = 97.97
        grade = "良"

    合格::

        [evaluation]
        total = 97.97
        grade = "优"
    """

    code = "PD608"
    name = "total-mismatch"

    def check(self, ctx: Context):
        evaluation = ctx.model.evaluation
        if evaluation is None or (evaluation.total is None and evaluation.grade is None):
            return
        total = self._total(ctx)
        if total is not None and evaluation.total is not None and evaluation.total != total[0]:
            computed, budget, indicators = total
            yield Finding(("evaluation", "total"),
                          f"表上总分 {_num(evaluation.total)} 与各项得分之和 {_num(computed)} 不符"
                          f"（预算执行 {_num(budget)} + 指标 {_num(indicators)}）")
        if evaluation.grade is not None:
            basis = total[0] if total is not None else evaluation.total
            if basis is not None and grade_of(basis) != evaluation.grade:
                yield Finding(("evaluation", "grade"),
                              f"总分 {_num(basis)} 的评分等级应为“{grade_of(basis)}”，表上写的是“{evaluation.grade}”")

    @staticmethod
    def _total(ctx: Context) -> tuple[Decimal, Decimal, Decimal] | None:
        """(total, budget score, indicator scores), or None when some part cannot be scored."""
        funding = ctx.model.evaluation.funding
        if funding is None:
            return None
        method = ctx.profile.method
        budget = method.budget_score(funding.total.executed, funding.total.adjusted)
        indicators = Decimal(0)
        for ind in ctx.model.indicators:
            computed = method.indicator_score(ind.target, ind.actual, ind.weight, is_satisfaction(ind))
            if ind.score is None and computed is None:
                return None  # PD601/PD604/PD605 say why
            indicators += used_score(ind.score, computed)
        return budget + indicators, budget, indicators
