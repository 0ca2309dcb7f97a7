"""六、年度预算安排 1.资金测算 (narrative.budget.calculation): amounts with units that add up.

Amounts are read exactly (Decimal) with their unit: ``56万``, ``56万元``,
``560,000元``, ``1.2亿元``.  A total is a sentence's amount before 其中 (“整个
项目预算为102万，其中…”) or after 合计/共计/总计 (“…，合计102万元”); its items are
the other amounts of the sentence.  An item written as a formula counts by
its result (“2万元×28次=56万元” is 56万元); a unit price (“80元/人”, “每人
500元”) or an amount in brackets is not an item, and a sentence with an item
that cannot be told apart is not added up at all, so that a calculation is
never reported for what perfdoc cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...model import Money
from ..base import Context, Finding, Rule
from .dates import _multi_year
from .funding import _AMOUNT as _NARRATIVE_TOTAL

_MEASURES = "人次户份册件个名平方米亩吨公里家场期批套台辆张本篇条项所座支间块只头株棵"
AMOUNT = re.compile(rf"(?P<num>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|万(?![{_MEASURES}]))")
_FACTOR = {"亿元": Decimal(100000000), "万元": Decimal(10000), "万": Decimal(10000), "元": Decimal(1)}
_SENTENCE = re.compile(r"[^。\n]+")
_SEGMENT = re.compile(r"[^，,、；;：:]+")
_SUM_WORDS = re.compile(r"合计|共计|总计|总共|一共|累计")
#: Marks of a unit price or a formula without its result: such an amount is not an item.
_PRICE = re.compile(r"[×xX*/＊÷]|每|单价|标准")
_APPROX = re.compile(r"约|左右|大约|预计|不超过|以内")
_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)")


def yuan_of(match: re.Match) -> Decimal:
    return Decimal(re.sub(r"[,，]", "", match["num"])) * _FACTOR[match["unit"]]


def _wan(value: Decimal) -> str:
    return f"{Money(value).format_plain('万元')} 万元"


@dataclass(frozen=True)
class Statement:
    """A sentence stating a total: the total (yuan), its text, and its items (None: cannot be added up)."""

    total: Decimal
    text: str
    at: int  # where the total's number starts in the calculation
    items: list[Decimal] | None


def _items(text: str) -> list[Decimal] | None:
    """The item amounts of ``text`` (one per segment), or None when some segment cannot be read."""
    items = []
    for segment in _SEGMENT.findall(_BRACKETS.sub("", text)):
        amounts = list(AMOUNT.finditer(segment))
        if not amounts:
            continue
        if "=" in segment or "＝" in segment:
            after = segment.replace("＝", "=").rsplit("=", 1)[1]
            result = list(AMOUNT.finditer(after))
            if len(result) != 1:
                return None
            items.append(yuan_of(result[0]))
        elif len(amounts) == 1 and not _PRICE.search(segment) and not _APPROX.search(segment):
            items.append(yuan_of(amounts[0]))
        else:
            return None
    return items


def statements(text: str) -> list[Statement]:
    """Each sentence of ``text`` that states a total with 其中 before its items, or 合计 after them."""
    found = []
    for match in _SENTENCE.finditer(text):
        sentence, offset = match.group(), match.start()
        if _APPROX.search(sentence):
            continue  # an approximate total is not added up
        head, among, tail = sentence.partition("其中")
        if among:
            before = [m for m in AMOUNT.finditer(head) if not _PRICE.search(head[m.end():m.end() + 1])]
            if before:
                total = before[-1]
                found.append(Statement(yuan_of(total), total.group(), offset + total.start(), _items(tail)))
            continue
        summed = list(_SUM_WORDS.finditer(sentence))
        if summed:
            after = list(AMOUNT.finditer(sentence, summed[-1].end()))
            if after:
                total = after[0]
                found.append(Statement(yuan_of(total), total.group(), offset + total.start(),
                                       _items(sentence[:summed[-1].start()])))
    return found


class BudgetCalculation(Rule):
    """资金测算没有写出金额和单位，或写了合计而各项金额加起来不等于合计、合计不等于本年度的金额。

    资金测算（``narrative.budget.calculation``）说明预算怎样算出来：应写出各项金额和单位（元、万元）。
    写了合计的（“整个项目预算为102万，其中……”“……，合计102万元”），其中各项之和应等于合计，合计应等于
    申报表的年度资金申请总额；阶段性项目（或项目总目标跨年的项目）的合计也可以是多年的项目资金总额，
    不拿它与单一年度的金额比较。经费说明中“预算资金”“整个项目预算”等写法的金额由 PD104 核对，本规则不重复报告。
    单价（“80元/人”“每人500元”）、括号中的金额不算分项；分项写成算式的按“=”后的结果算；
    有读不清的分项、或写了“约”“左右”的句子不加总。来源：项目经费情况说明的格式（六、年度预算安排 1.资金测算）。

    不合格::

        [funding]
        annual = 1020000
        [narrative.budget]
        calculation = "整个项目预算为102万，其中党建阵地建设预算56万，群团工作预算为40万。"

    合格::

        [narrative.budget]
        calculation = "整个项目预算为102万，其中党建阵地建设预算56万，群团工作预算为46万。"
    """

    code = "PD106"
    name = "budget-calculation"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        narrative = ctx.model.narrative
        budget = narrative.budget if narrative is not None else None
        text = budget.calculation if budget is not None else None
        if text is None or not text.strip():
            return
        where = ("narrative", "budget", "calculation")
        if not AMOUNT.search(text):
            yield Finding(where, "资金测算没有写出金额和单位（如“党建阵地建设预算56万元”）", value=False)
            return
        funding = ctx.model.funding
        checked = {m.start("num") for m in _NARRATIVE_TOTAL.finditer(text)}  # PD104 compares these
        for st in statements(text):
            if st.items is not None and len(st.items) >= 1:
                added = sum(st.items, Decimal(0))
                if (len(st.items) >= 2 and added != st.total) or added > st.total:
                    parts = " + ".join(_wan(i).removesuffix(" 万元") for i in st.items)
                    yield Finding(where, f"资金测算中各项之和 {parts} = {_wan(added)}，与所写合计“{st.text}”"
                                         f"（{_wan(st.total)}）不等", value=False)
                    continue
            if st.total == funding.annual.yuan or st.at in checked:
                continue
            if _multi_year(ctx) and st.total == funding.total.yuan:
                continue  # a multi-year total, never compared with the year's amount
            yield Finding(where, f"资金测算的合计“{st.text}”（{_wan(st.total)}）与申报表的年度资金申请总额 "
                                 f"{_wan(funding.annual.yuan)}不等", value=False)
