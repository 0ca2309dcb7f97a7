"""Indicator names (三级指标名称): too long, or a copy of the 二级 name."""

from __future__ import annotations

from ...model.framework import normalise_name
from ..base import Context, Finding, Rule

#: Longest 三级指标 name (characters, spaces not counted) that reads as a name.
MAX_NAME = 30


def _repeats(name: str, level2: str) -> bool:
    """The name is the 二级 name, or holds it whole (数量指标：培训人次), or is its category without 指标
    (数量, 社会效益).  A bare …满意度 names a measure (服务对象满意度), not a category: it is not a copy."""
    bare = level2.removesuffix("指标")
    if not bare:
        return False
    return level2 in name or (name == bare and not bare.endswith("满意度"))


class IndicatorName(Rule):
    """三级指标名称超过 30 个字，或照抄了二级指标名称（如“数量指标”“社会效益”）。

    三级指标是衡量的具体内容，名称应简明：说明性的文字写进指标值或经费说明；照抄二级指标名称
    （“质量指标”“社会效益”）没有说出衡量什么。来源：审核实务（没有文件条文规定字数）；
    财预〔2021〕101号要求指标“应细化、量化”。名称中含有二级指标名称的一部分（“培训质量达标率”）不报；
    “服务对象满意度”本身是一项可衡量的指标，也不报。

    不合格::

        level2 = "数量指标"
        name = "数量指标"

    合格::

        level2 = "数量指标"
        name = "党组织书记培训人次"
    """

    code = "PD307"
    name = "indicator-name"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            name, level2 = normalise_name(ind.name), normalise_name(ind.level2)
            if not name:
                continue  # PD304
            if len(name) > MAX_NAME:
                yield Finding(("indicators", i, "name"),
                              f"三级指标名称有 {len(name)} 个字，超过 {MAX_NAME} 个字：名称应简明，说明性的文字可写进指标值或经费说明")
            elif _repeats(name, level2):
                yield Finding(("indicators", i, "name"),
                              f"三级指标名称“{ind.name}”照抄了二级指标名称“{ind.level2}”：应写明衡量的具体内容")
