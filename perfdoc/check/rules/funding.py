"""Amounts that must add up (forms.md §6, first item)."""

from __future__ import annotations

import re
from decimal import Decimal

from ...model import Money
from ..base import Context, Finding, Rule, iter_texts


def _yuan(m: Money) -> str:
    return m.format("元") + " 元"


class TotalSum(Rule):
    """项目资金总额不等于财政资金与其他资金之和。

    不合格::

        [funding]
        total = 1020000
        total_fiscal = 1000000
        total_other = 0

    合格::

        [funding]
        total = 1020000
        total_fiscal = 1000000
        total_other = 20000
    """

    code = "PD101"
    name = "total-sum"

    def check(self, ctx: Context):
        f = ctx.model.funding
        parts = f.total_fiscal + f.total_other
        if parts != f.total:
            yield Finding(("funding", "total"),
                          f"项目资金总额 {_yuan(f.total)} ≠ 财政资金 {_yuan(f.total_fiscal)} + 其他资金 {_yuan(f.total_other)}"
                          f"（= {_yuan(parts)}，相差 {_yuan(Money(abs(parts.yuan - f.total.yuan)))}）")


class AnnualSum(Rule):
    """年度资金申请总额不等于当年财政拨款、上年结转资金与其他资金之和。

    不合格::

        [funding]
        annual = 987000
        annual_appropriation = 900000
        annual_carryover = 0
        annual_other = 0

    合格::

        [funding]
        annual = 987000
        annual_appropriation = 900000
        annual_carryover = 87000
        annual_other = 0
    """

    code = "PD102"
    name = "annual-sum"

    def check(self, ctx: Context):
        f = ctx.model.funding
        parts = f.annual_appropriation + f.annual_carryover + f.annual_other
        if parts != f.annual:
            yield Finding(("funding", "annual"),
                          f"年度资金申请总额 {_yuan(f.annual)} ≠ 当年财政拨款 {_yuan(f.annual_appropriation)} + 上年结转资金 "
                          f"{_yuan(f.annual_carryover)} + 其他资金 {_yuan(f.annual_other)}（= {_yuan(parts)}）")


class AnnualExceedsTotal(Rule):
    """年度资金申请总额大于项目资金总额（多年项目的总额可以大于年度金额，反之不行）。

    不合格::

        [funding]
        total = 300000
        annual = 320000

    合格::

        [funding]
        total = 10308000     # 阶段性项目的多年总额
        annual = 3498000
    """

    code = "PD103"
    name = "annual-exceeds-total"

    def check(self, ctx: Context):
        f = ctx.model.funding
        if f.annual > f.total:
            yield Finding(("funding", "annual"),
                          f"年度资金申请总额 {_yuan(f.annual)} 大于项目资金总额 {_yuan(f.total)}")


_UNIT = {"万元": Decimal(10000), "万": Decimal(10000), "元": Decimal(1)}
_AMOUNT = re.compile(
    r"(?:(?P<total>整个项目总?预算(?:资金)?|项目总预算(?:资金)?|项目资金总额|项目总资金|项目预算总额)"
    r"|(?P<annual>(?:本|当)年度预算(?:资金)?|年度资金申请总额|年度预算资金)"
    r"|(?:(?<![\u4e00-\u9fff])|(?<=[该本此]))(?:项目预算(?:资金|金额)?|预算资金|预算金额|预算总额))"
    r"(?:为|是|共计|合计|总计|共)?(?P<approx>约为|约|大约)?\s*"
    r"(?P<num>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)"
)


class NarrativeAmount(Rule):
    """项目经费情况说明中写的项目预算金额与申报表的年度资金申请总额不一致。

    说明中的金额以万元书写，换算后与申报表比较：“整个项目预算”“项目总预算”“项目资金总额”
    与项目资金总额比较（阶段性项目的多年总额），其余（“预算资金”“本年度预算”“年度资金申请总额”）
    与年度资金申请总额比较；分项金额（“党建阵地建设预算56万”）不比较。“约”允许按所写精度四舍五入。

    不合格::

        [funding]
        annual = 1020000
        [narrative.budget]
        calculation = "整个项目预算为120万，其中党建阵地建设预算56万。"

    合格::

        [funding]
        annual = 1020000
        [narrative.budget]
        calculation = "整个项目预算为102万，其中党建阵地建设预算56万。"
    """

    code = "PD104"
    name = "narrative-amount"

    def check(self, ctx: Context):
        narrative = ctx.model.narrative
        if narrative is None:
            return
        funding = ctx.model.funding
        for path, text in iter_texts(narrative, ("narrative",)):
            for m in _AMOUNT.finditer(text):
                label, expected = ("项目资金总额", funding.total.yuan) if m["total"] else ("年度资金申请总额", funding.annual.yuan)
                digits = re.sub(r"[,，]", "", m["num"])
                stated = Decimal(digits) * _UNIT[m["unit"]]
                if stated == expected:
                    continue
                if m["approx"]:
                    places = len(digits.split(".")[1]) if "." in digits else 0
                    step = Decimal(1).scaleb(-places) * _UNIT[m["unit"]]
                    if abs(stated - expected) <= step / 2:
                        continue
                yield Finding(path, f"经费说明写“{m.group()}”，而申报表的{label}是 "
                                    f"{Money(expected).format_plain('万元')} 万元（{Money(expected).format('元')} 元）")


class AnnualZero(Rule):
    """年度资金申请总额为 0（perfdoc new 写出的金额还没有填写）。

    申报表申请的是本年度的资金：年度资金申请总额为 0 的表没有可审核的内容。

    不合格::

        [funding]
        total = 0
        annual = 0

    合格::

        [funding]
        total = 1020000
        annual = 1020000
    """

    code = "PD105"
    name = "annual-zero"

    def check(self, ctx: Context):
        f = ctx.model.funding
        if f.annual.yuan == 0:
            yield Finding(("funding", "annual"), "年度资金申请总额为 0：请填写本年度申请的资金（单位为元，或在 [funding] 中写 unit = \"万元\"）")
