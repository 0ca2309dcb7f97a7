"""The indicator table: framework, duplicates, empty targets (forms.md §5, §6)."""

from __future__ import annotations

from ...model import Severity
from ...model.framework import normalise_name
from ..base import Context, Finding, Rule


class Level1Missing(Rule):
    """缺少必需的一级指标：按规则集，上海为产出、效益、满意度指标，以及该年度框架要求的成本指标（2025 年起）。

    上海（shanghai）：产出、效益、满意度指标；2025 年起还须有成本指标（上海市财政局：“原则上，每一项目均应
    设置成本指标”）。central-101：财预〔2021〕101号“原则上每一项目均应设置产出指标和效益指标”，
    满意度指标“根据实际需要选用”（见 PD306）。规则集中“应有”而非“必须有”的一级指标缺少时报警告。

    不合格::

        [project]
        year = 2026
        [[indicators]]
        level1 = "产出指标"
        ...             # 没有成本指标、效益指标、满意度指标

    合格::

        [[indicators]]
        level1 = "成本指标"
        level2 = "经济成本指标"
        name = "成本控制有效性"
        target = "有效"
        ...             # 以及产出、效益、满意度指标
    """

    code = "PD301"
    name = "level1-missing"

    def check(self, ctx: Context):
        present = {normalise_name(i.level1) for i in ctx.model.indicators}
        req = ctx.profile.requirements_for(ctx.year)
        where = ("indicators",) if ctx.model.indicators else ("project",)
        for levels, note, severity in ((req.level1_required, req.level1_note, None),
                                       (req.level1_expected, req.level1_expected_note, Severity.WARNING)):
            missing = [l1 for l1 in levels if l1 not in present]
            if missing:
                yield Finding(where, f"缺少一级指标：{'、'.join(missing)}（{note}）", value=False, severity=severity)


class Level2WrongParent(Rule):
    """二级指标不属于所填的一级指标，或一级、二级指标名称不在指标框架内。

    不合格::

        [[indicators]]
        level1 = "效益指标"
        level2 = "质量指标"

    合格::

        [[indicators]]
        level1 = "产出指标"
        level2 = "质量指标"
    """

    code = "PD302"
    name = "level2-wrong-parent"

    def check(self, ctx: Context):
        fw = ctx.framework
        for i, ind in enumerate(ctx.model.indicators):
            l1, l2 = normalise_name(ind.level1), normalise_name(ind.level2)
            if l1 not in fw.level2:
                yield Finding(("indicators", i, "level1"),
                              f"一级指标“{ind.level1}”不在{fw.year}年的指标框架内（可用：{'、'.join(fw.level2)}）")
                continue
            if l2 in fw.level2[l1]:
                continue
            parents = fw.parent_of(l2)
            if parents:
                yield Finding(("indicators", i, "level2"),
                              f"二级指标“{ind.level2}”应属于{'或'.join(parents)}，而不是{ind.level1}")
            else:
                yield Finding(("indicators", i, "level2"),
                              f"二级指标“{ind.level2}”不在{ind.level1}之下（可用：{'、'.join(fw.level2[l1])}）")


class DuplicateIndicator(Rule):
    """同一个三级指标出现两次。

    不合格::

        [[indicators]]
        level1 = "满意度指标"
        level2 = "服务对象满意度指标"
        name = "活动参与人员满意度"
        target = "90%"

        [[indicators]]
        level1 = "满意度指标"
        level2 = "服务对象满意度指标"
        name = "活动参与人员满意度"
        target = "=100.00(个)"

    合格::

        [[indicators]]
        level1 = "满意度指标"
        level2 = "服务对象满意度指标"
        name = "活动参与人员满意度"
        target = "≥90%"
    """

    code = "PD303"
    name = "duplicate-indicator"

    def check(self, ctx: Context):
        seen: dict[str, int] = {}
        lines = ctx.project.source
        for i, ind in enumerate(ctx.model.indicators):
            key = normalise_name(ind.name)
            if key in seen:
                first_line, _ = lines.locate(("indicators", seen[key], "name"))
                yield Finding(("indicators", i, "name"),
                              f"三级指标“{ind.name}”重复（第一次出现在第 {first_line} 行）")
            else:
                seen[key] = i


class EmptyTarget(Rule):
    """三级指标没有填写年度指标值，或没有填写指标名称。

    不合格::

        name = "工作队伍培训人数"
        target = ""

    合格::

        name = "工作队伍培训人数"
        target = "≥300人"
    """

    code = "PD304"
    name = "empty-target"

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            if not ind.name.strip():
                yield Finding(("indicators", i, "name"), "三级指标名称为空")
            if ind.target.kind == "empty":
                yield Finding(("indicators", i, "target"), f"三级指标“{ind.name}”没有年度指标值")
