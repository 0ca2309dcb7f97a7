"""Self-evaluation against the profile: 偏离度 (an actual far above its target) and the weights by 一级."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ...model.framework import normalise_name
from ...model.scoring import actual_problem, round2
from ..base import Context, Finding, Rule


def _percent(value: Fraction) -> str:
    return f"{round2(value * 100):.2f}%"


class FarAboveTarget(Rule):
    """自评：实际完成值比指标值高出规则集的偏离幅度（默认 20%）以上，却没有填写偏差原因分析（deviation）。

    来源：财预〔2020〕10号《项目支出绩效评价管理办法》的自评计分：“完成值高于指标值较多……按照偏离度
    适度调减分值”，偏差须说明原因（偏差原因分析及改进措施）。只看“≥”“>”“=”或不写运算符的数量型指标
    （越高越好或定额）；“≤”“<”（成本等越低越好的）低于指标值不报。偏离幅度由规则集规定（两个规则集都是 20%）。

    不合格::

        target = "≥100.00(人)"
        weight = 8
        actual = "150.00(人)"

    合格::

        target = "≥100.00(人)"
        weight = 8
        actual = "150.00(人)"
        deviation = "走访范围扩大到全部退休党员，下一年度按实际人数设定指标值。"
    """

    code = "PD609"
    name = "far-above-target"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        if ctx.model.evaluation is None:
            return
        margin = ctx.profile.deviation_margin
        for i, ind in enumerate(ctx.model.indicators):
            t = ind.target
            if ind.deviation is not None and ind.deviation.strip():
                continue
            if not t.is_quantitative or t.effective_op not in ("≥", ">", "=") or t.number <= 0:
                continue
            if actual_problem(t, ind.actual) is not None:
                continue  # PD604/PD605
            over = (Fraction(ind.actual.number) - Fraction(t.number)) / Fraction(t.number)
            if over > margin:
                yield Finding(("indicators", i, "actual"),
                              f"“{ind.name}”实际完成值 {ind.actual.text.strip()} 比指标值 {t.text.strip()} 高 {_percent(over)}"
                              f"（超过 {_percent(margin)}），须在偏差原因分析及改进措施（deviation）中说明"
                              f"（财预〔2020〕10号：“完成值高于指标值较多……按照偏离度适度调减分值”）")


class WeightSplit(Rule):
    """自评：某一一级指标的分值合计与规则集的分值比例相差较多（超过该一级分值的 20%）。

    只有规定了分值比例的规则集才查：central-101 按财预〔2021〕101号，设置成本指标的项目成本 20、产出 40、
    效益 20、满意度 10（另有预算执行率 10）；没有成本指标的按财预〔2020〕10号，产出 50、效益 30、满意度 10
    （“如有特殊情况……可做适当调整”，所以只报警告）。项目的一级指标与两种比例都不相符（如没有满意度指标）时不报。
    上海（shanghai）规则集不规定比例，不查。

    不合格::

        # department.toml: [check] profile = "central-101"
        level1 = "产出指标"
        weight = 56         # 各产出指标分值合计 56，应为 40

    合格::

        level1 = "产出指标"
        weight = 40         # 各产出指标分值合计 40
    """

    code = "PD610"
    name = "weight-split"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        if ctx.model.evaluation is None or not ctx.profile.weight_splits:
            return
        inds = ctx.model.indicators
        if not inds or any(ind.weight is None for ind in inds):
            return  # PD601
        first: dict[str, int] = {}
        sums: dict[str, Decimal] = {}
        for i, ind in enumerate(inds):
            level = normalise_name(ind.level1)
            first.setdefault(level, i)
            sums[level] = sums.get(level, Decimal(0)) + ind.weight
        split = ctx.profile.split_for(set(sums))
        if split is None:
            return
        for level, expected in split.weights:
            if abs(Fraction(sums[level]) - Fraction(expected)) > Fraction(expected) * ctx.profile.weight_margin:
                yield Finding(("indicators", first[level], "weight"),
                              f"{level}的分值合计 {round2(sums[level]):.2f}，与规则集 {ctx.profile.name} 的 "
                              f"{round2(expected):.2f} 相差超过 {_percent(ctx.profile.weight_margin)}（{split.source}）")
