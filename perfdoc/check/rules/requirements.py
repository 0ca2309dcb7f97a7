"""Which indicators a project must have beyond its 一级 (PD301): 二级 by profile, 满意度 where it serves the public."""

from __future__ import annotations

import re

from ...model import Severity
from ...model.framework import SATISFACTION, normalise_name
from ..base import Context, Finding, Rule, iter_texts


class Level2Missing(Rule):
    """产出指标下缺少数量指标或质量指标（按规则集：2021 年起两个规则集都“应有”，缺少时报警告）。

    来源：财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》二、产出指标：
    “数量指标和质量指标原则上均需设置，时效指标根据项目实际设置，不作强制要求”。
    没有产出指标时不报（PD301 已报）。

    不合格::

        [[indicators]]
        level1 = "产出指标"
        level2 = "数量指标"
        name = "党组织特色活动"
        target = "≥30家"
        ...             # 产出指标下没有质量指标

    合格::

        [[indicators]]
        level1 = "产出指标"
        level2 = "质量指标"
        name = "活动方案审核通过率"
        target = "=100%"
    """

    code = "PD305"
    name = "level2-missing"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        req = ctx.profile.requirements_for(ctx.year)
        fw = ctx.framework
        first_of = {}
        for i, ind in enumerate(ctx.model.indicators):
            first_of.setdefault(normalise_name(ind.level1), i)
        present = {(normalise_name(i.level1), normalise_name(i.level2)) for i in ctx.model.indicators}
        for levels, note, severity in ((req.level2_required, req.level2_required_note, Severity.ERROR),
                                       (req.level2_expected, req.level2_note, Severity.WARNING)):
            for level2 in levels:
                parents = [l1 for l1 in fw.parent_of(level2) if l1 in first_of]
                if not parents or any((l1, level2) in present for l1 in parents):
                    continue  # no parent 一级 (PD301 says so), or it is there
                yield Finding(("indicators", first_of[parents[0]], "level1"),
                              f"{parents[0]}下没有{level2}（{note}）", value=False, severity=severity)


#: Words saying that a project serves the public directly (101号: 满意度 “一般适用于直接面向社会主体及公众提供公共服务”).
#: 群众团体/群众组织 (工会、共青团、妇联) are organisations, not the public served.
_PUBLIC = re.compile(r"服务对象|居民|村民|市民|公众|群众(?!团体|组织)")

_PLACES = (
    (("project", "name"), "项目名称"),
    (("goals", "overall"), "项目总目标"),
    (("goals", "annual"), "年度总体目标"),
)


def _public_mention(ctx: Context) -> tuple[str, str] | None:
    """(the word, where it is written) of the first text saying the project serves the public."""
    for path, label in _PLACES:
        text = getattr(getattr(ctx.model, path[0]), path[1])
        if m := _PUBLIC.search(text or ""):
            return m.group(), label
    if ctx.model.narrative is not None:
        for _, text in iter_texts(ctx.model.narrative, ("narrative",)):
            if m := _PUBLIC.search(text):
                return m.group(), "项目经费情况说明"
    for ind in ctx.model.indicators:
        if m := _PUBLIC.search(ind.name):
            return m.group(), f"三级指标“{ind.name}”"
    return None


class SatisfactionForPublic(Rule):
    """规则集不要求满意度指标（central-101），而项目直接面向群众（写有服务对象、居民、群众、公众等）却没有满意度指标。

    来源：财预〔2021〕101号 二、满意度指标：“满意度指标根据实际需要选用”，“一般适用于直接面向社会主体及公众
    提供公共服务”的项目。上海（shanghai）规则集每个项目都须有满意度指标，缺少时由 PD301 报错误，本规则不报。
    “群众团体”“群众组织”（工会、共青团、妇联）不算面向群众。

    不合格::

        # department.toml: [check] profile = "central-101"
        [goals]
        annual = "为辖区居民提供党群服务。"
        ...             # 没有满意度指标

    合格::

        [[indicators]]
        level1 = "满意度指标"
        level2 = "服务对象满意度指标"
        name = "居民满意度"
        target = "≥90%"
    """

    code = "PD306"
    name = "satisfaction-for-public"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        if ctx.profile.requirements_for(ctx.year).needs(SATISFACTION):
            return  # PD301 reports a missing 满意度
        if any(normalise_name(i.level1) == SATISFACTION for i in ctx.model.indicators):
            return
        mention = _public_mention(ctx)
        if mention is None:
            return
        word, where = mention
        at = ("indicators",) if ctx.model.indicators else ("project",)
        yield Finding(at, f"没有满意度指标，而项目面向群众（{where}写有“{word}”）：财预〔2021〕101号，满意度指标"
                          "“一般适用于直接面向社会主体及公众提供公共服务”", value=False)
