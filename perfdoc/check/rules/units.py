"""Units that contradict the indicator's name (forms.md §6, fourth item)."""

from __future__ import annotations

from ...model.framework import normalise_name
from ..base import Context, Finding, Rule

#: Name endings of indicators that are judged, not counted.
_QUALITATIVE_ENDINGS = ("性", "度", "提升", "水平", "能力", "效果", "成效", "机制", "效应", "环境")


def _is_cost(ind) -> bool:
    return "成本" in ind.level1 or "成本" in ind.level2


class RateWithCountUnit(Rule):
    """名称为“…率”的指标用了计数单位，如 ``=100.00(个)``。

    不合格::

        name = "就业保障金发放完成率"
        target = "=100.00(个)"

    合格::

        name = "就业保障金发放完成率"
        target = "=100.00(%)"
    """

    code = "PD401"
    name = "rate-count-unit"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            if normalise_name(ind.name).endswith("率") and ind.target.is_count:
                yield Finding(("indicators", i, "target"),
                              f"“{ind.name}”是比率，指标值却用计数单位“{ind.target.unit}”：{ind.target.text}（应为 %）")


class PercentOver100(Rule):
    """百分比指标值超过 100%。

    不合格::

        name = "活动开展覆盖率"
        target = "=120%"

    合格::

        name = "活动开展覆盖率"
        target = "=100%"
    """

    code = "PD402"
    name = "percent-over-100"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            t = ind.target
            if t.is_percent and t.number > 100 and normalise_name(ind.name).endswith(("率", "度")):
                yield Finding(("indicators", i, "target"), f"“{ind.name}”的指标值 {t.text} 超过 100%")


class CostLowerBound(Rule):
    """成本指标用了“≥”或“>”：成本标准应是上限（≤）或定额（=）。

    不合格::

        level1 = "成本指标"
        level2 = "经济成本指标"
        name = "党群阵地主题活动费用标准"
        target = "≥80元/人"

    合格::

        level1 = "成本指标"
        level2 = "经济成本指标"
        name = "党群阵地主题活动费用标准"
        target = "≤80.00(元/人)"
    """

    code = "PD403"
    name = "cost-lower-bound"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            t = ind.target
            if _is_cost(ind) and t.is_quantitative and t.op in ("≥", ">") and t.unit != "%":
                yield Finding(("indicators", i, "target"),
                              f"成本指标“{ind.name}”的指标值 {t.text} 是下限；成本应写作上限（≤）或定额（=）")


class QualitativeWithCount(Rule):
    """定性指标（…性、…度、…提升）或满意度填了计数值，如 ``=100.00(个)``。

    不合格::

        name = "长效管理机制健全性"
        target = "=100.00(个)"

    合格::

        name = "长效管理机制健全性"
        target = "健全"
    """

    code = "PD404"
    name = "qualitative-with-count"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            name = normalise_name(ind.name)
            if name.endswith("率"):
                continue  # PD401
            if name.endswith("满意度") and ind.target.is_count:
                yield Finding(("indicators", i, "target"),
                              f"“{ind.name}”应以百分比表示，指标值却是计数 {ind.target.text}（如 ≥90%）")
            elif name.endswith(_QUALITATIVE_ENDINGS) and ind.target.is_count:
                yield Finding(("indicators", i, "target"),
                              f"“{ind.name}”是定性指标，指标值却是计数 {ind.target.text}（应为“健全”“及时”“有效”之类，或百分比）")
