"""Dates and periods (forms.md §6, second item)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..base import Context, Finding, Rule


def _multi_year(ctx: Context) -> bool:
    """A 阶段性 project, or one whose 项目总目标 spans several years."""
    nature = ctx.model.project.nature
    if nature == "阶段性项目":
        return True
    if nature is None:
        start, end = ctx.model.period
        return end > start
    return False


class DateOrder(Rule):
    """计划开始日期晚于计划完成日期。

    不合格::

        start = 2026-12-31
        end = 2026-01-01

    合格::

        start = 2026-01-01
        end = 2026-12-31
    """

    code = "PD201"
    name = "date-order"

    def check(self, ctx: Context):
        p = ctx.model.project
        if p.start > p.end:
            yield Finding(("project", "start"), f"计划开始日期 {p.start} 晚于计划完成日期 {p.end}")


class PlanOutsideYear(Rule):
    """计划日期与预算年度不符：计划完全不在预算年度内；或经常性、一次性项目的日期超出预算年度。

    阶段性项目（或项目总目标跨年的项目）可以跨年，但须覆盖预算年度。

    不合格::

        [project]
        year = 2026
        nature = "经常性项目"
        start = 2025-07-01
        end = 2026-06-30

    合格::

        [project]
        year = 2026
        nature = "经常性项目"
        start = 2026-01-01
        end = 2026-12-31
    """

    code = "PD202"
    name = "plan-outside-year"

    def check(self, ctx: Context):
        p = ctx.model.project
        if p.start > p.end:
            return  # PD201 says it
        year = p.year
        if p.end.year < year or p.start.year > year:
            yield Finding(("project", "start"),
                          f"计划期 {p.start} 至 {p.end} 不覆盖预算年度 {year} 年")
            return
        if not _multi_year(ctx):
            kind = p.nature or "单年度项目"
            if p.start.year != year:
                yield Finding(("project", "start"), f"{kind}的计划开始日期 {p.start} 不在预算年度 {year} 年内")
            if p.end.year != year:
                yield Finding(("project", "end"), f"{kind}的计划完成日期 {p.end} 不在预算年度 {year} 年内")


class PeriodContainsPlan(Rule):
    """项目总目标的起止年度与计划不符：起年晚于止年、不含预算年度，或不包含计划期。

    不合格::

        [project]
        year = 2026
        nature = "阶段性项目"
        start = 2024-01-01
        end = 2026-12-31
        [goals]
        period = [2025, 2026]

    合格::

        [goals]
        period = [2024, 2026]
    """

    code = "PD203"
    name = "period-contains-plan"

    def check(self, ctx: Context):
        first, last = ctx.model.period  # an absent period means the budget year
        p = ctx.model.project
        where = ("goals", "period")
        if ctx.model.goals.period is None:
            if p.nature == "阶段性项目" and p.start <= p.end and (p.start.year < first or p.end.year > last):
                yield Finding(where, f"阶段性项目的计划期 {p.start} 至 {p.end} 跨年，"
                                     f"但没有写项目总目标的起止年度（goals.period），按预算年度 {p.year} 年算不包含计划期")
            return
        if first > last:
            yield Finding(where, f"项目总目标的起始年度 {first} 晚于结束年度 {last}")
            return
        if not first <= p.year <= last:
            yield Finding(where, f"项目总目标（{first}年-{last}年）不含预算年度 {p.year} 年")
            return
        if p.start <= p.end and _multi_year(ctx) and (p.start.year < first or p.end.year > last):
            yield Finding(where, f"项目总目标（{first}年-{last}年）不包含计划期 {p.start} 至 {p.end}")


_DATE_IN_TEXT = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


class TimelinessAfterEnd(Rule):
    """时效指标的指标值写的完成时间晚于计划完成日期。

    不合格::

        end = 2024-06-30
        [[indicators]]
        level1 = "产出指标"
        level2 = "时效指标"
        name = "开展党性实践日活动"
        target = "2024年12月前完成"

    合格::

        end = 2024-12-31
        ...
        target = "2024年12月前完成"
    """

    code = "PD204"
    name = "timeliness-after-end"

    def check(self, ctx: Context):
        end = ctx.model.project.end
        for i, ind in enumerate(ctx.model.indicators):
            if "时效" not in ind.level2:
                continue
            for m in _DATE_IN_TEXT.finditer(ind.target.text):
                year, month = int(m[1]), int(m[2])
                if not 1 <= month <= 12:
                    continue
                day = int(m[3]) if m[3] else calendar.monthrange(year, month)[1]
                try:
                    when = dt.date(year, month, day)
                except ValueError:
                    continue
                if when > end:
                    yield Finding(("indicators", i, "target"),
                                  f"时效指标“{ind.name}”的完成时间 {m.group()} 晚于计划完成日期 {end}")


class YearMismatch(Rule):
    """项目年度与单位年度（department.toml）不一致。

    不合格::

        # department.toml: year = 2026
        [project]
        year = 2025

    合格::

        [project]
        year = 2026
    """

    code = "PD205"
    name = "year-mismatch"

    def check(self, ctx: Context):
        dep = ctx.department
        if dep is None or dep.model is None:
            return
        if ctx.year != dep.model.department.year:
            yield Finding(("project", "year"),
                          f"项目年度 {ctx.year} 与单位年度 {dep.model.department.year}（department.toml）不一致")
