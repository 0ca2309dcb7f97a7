"""财政项目支出绩效自评表 (forms.md §4): one self-evaluation form per project.

A title (``财政项目支出绩效自评表``), the year line, then two bordered tables
of the same width (9298 twips, A4 portrait):

* the form proper: 项目名称; 主管部门 · 实施单位; the funding block (label
  ``项目资金（万元）`` merged down its 5 rows, unit as ``selfeval_unit`` says: column heads 年初预算数 全年预算数
  全年执行数 分值 执行率(%) 得分, then 年度资金总额： and its three parts, which show
  ``-`` for 分值 and 得分); the goals block (label ``年度总体目标`` merged down
  2 rows: heads 预期目标 · 实际完成情况, then the two texts side by side);
* the indicator table: a heading row marked ``w:tblHeader`` (一级指标 … 偏差原因分析及改进措施),
  one row per 三级指标 with the 一级 and 二级 cells merged vertically over their
  groups, then 总分 and 评分等级.

As in the declaration (declaration.py; the machinery is formtable's), the
indicator block is a table of its own after a 0.1 pt paragraph, so that its heading
repeats on every page, and the two tables meet at one rule; rows carry
``w:cantSplit`` unless they are too tall (``keep_whole``): a long 实际完成情况 may
break across pages.  A 二级 group stays on one page, and the last rows travel with
总分 and 评分等级 (ROWS_WITH_TOTALS).  The 年度指标值 and 实际完成值 columns grow,
from the mostly empty 偏差原因 column, until their longest value prints whole.

The figures (执行率, 得分, 总分, 评分等级) are not computed here: they come from
perfdoc.evaluate's ProjectScore, and are printed with two decimals.  Each table
is one XML string parsed once (docxml), so the cost is linear in the indicators.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..model import Indicator, ProjectFile, Target
from .common import money_text, printed_unit, split_paragraphs, target_text
from .declaration import year_line
from .formtable import (
    GOALS_SPLIT_ABOVE, HEAD_STYLE, INDICATOR_ROW_HEIGHT, LABEL, LABEL_STYLE, LINE_HEIGHT, ROW_HEIGHT, TEXT_STYLE,
    TEXT_WIDTH, cell_para, cells, clean, fit, fit_value, form_table_before_indicators, group_keeps,
    indicator_groups, keep_whole, line_count, paragraphs, pattern, row_height, spare, value_width, widen,
)
from .docxml import append, cell, para, row, table
from .document import new_document
from .template import Template

if TYPE_CHECKING:  # the renderer only prints a score; it never computes one
    from ..evaluate import ProjectScore

__all__ = [
    "SELFEVAL_TITLE", "selfeval_xml", "build_selfeval", "actual_text", "score_text", "selfeval_unit",
    "SELFEVAL_EDGES", "SELFEVAL_INDICATOR_GRID", "selfeval_indicator_grid",
]

SELFEVAL_TITLE = "财政项目支出绩效自评表"

#: Column edges (twips from the left) of the rows of the form table; its grid is their
#: union (formtable.grid_table).  The funding block: label · row label (年度资金总额：
#: on one line) · three amounts (年初预算数 on one line) · 分值 · 执行率(%) · 得分.  The
#: figure columns hold ``10.00`` / ``100.00`` on one line even where the reader has no
#: 宋体 and falls back to a font with wider digits (DejaVu Sans: 0.64 em).
SELFEVAL_EDGES = {
    "name": (0, LABEL, TEXT_WIDTH),
    # 主管部门 · authority · 实施单位 · implementer (实施单位 above 全年执行数)
    "people": (0, LABEL, 5540, 6770, TEXT_WIDTH),
    "funding": (0, LABEL, 3080, 4310, 5540, 6770, 7570, 8498, TEXT_WIDTH),
    # 年度总体目标 · 预期目标 · 实际完成情况 (two equal halves, as on the declaration)
    "goals": (0, LABEL, 5369, TEXT_WIDTH),
}

#: The indicator table: 一级 (room for 产出指标) · 二级 · 三级 · 年度指标值 and 实际完成值
#: (room for their heading) · 分值 · 得分 (room for the 100.00 of 总分, as above) ·
#: 偏差原因分析及改进措施 (six characters a line).  The value columns grow until the
#: longest value prints whole on one line, the 偏差原因 column (mostly empty) giving the
#: room first, down to four characters a line, then 三级指标, down to five
#: (see selfeval_indicator_grid).
SELFEVAL_INDICATOR_GRID = (1020, 1020, 1568, 1220, 1220, 910, 910, 1430)
_DONORS = [(7, 1010), (2, 1260)]

INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")

#: The heading of the 偏差原因 column, as its width allows: two lines, else three.
REASON_HEADS = ("偏差原因分析\n及改进措施", "偏差原因\n分析及\n改进措施")

#: The last indicator rows travel with 总分 and 评分等级 to a new page: the last page
#: never holds the totals with only a row or two.
ROWS_WITH_TOTALS = 3
FUNDING_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分")

#: The rows of the funding block, as the form prints them; the first carries 分值 and 得分.
FUNDING_ROWS = ("年度资金总额：", "其中：当年财政拨款", "上年结转资金", "其他资金")

#: What the 分值 and 得分 cells of the three parts of the budget show.
NOT_SCORED = "-"

_CENT = Decimal("0.01")


def score_text(value: Decimal | None) -> str:
    """A weight, score or rate as printed: two decimals (``10.00``, ``99.68``); blank if None."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP):.2f}"


def actual_text(actual: Target | None, template: Template) -> str:
    """实际完成值 as printed: in the system style a number without operator, ``114.00(人)``.

    An operator the user wrote is kept (``≥95.00(%)``); anything else prints as written.
    """
    if actual is None:
        return ""
    if template.variant.target_style == "system" and actual.is_quantitative:
        unit = f"({actual.unit})" if actual.unit else ""
        return f"{actual.op or ''}{actual.number:.2f}{unit}"
    return actual.text.strip()


# -- the form table ---------------------------------------------------------------------

def _label_key(label: str) -> str:
    """A funding row's label without the colon: ``年度资金总额：`` matches ``年度资金总额``."""
    return label.strip().rstrip("：:")


def selfeval_unit(project: ProjectFile, template: Template) -> str:
    """The unit of the funding block: [layout] unit of department.toml when it says one; else
    the unit [evaluation.funding] is written in, when it says one (the 自评表 is usually in
    万元 where the declaration is in 元); else the variant's."""
    dep = project.department
    if dep is not None and dep.model is not None and dep.model.layout.unit:
        return dep.model.layout.unit
    evaluation = project.model.evaluation
    funding = evaluation.funding if evaluation is not None else None
    if funding is not None and "unit" in funding.model_fields_set:
        return funding.unit
    return printed_unit(project, template)


def _rate_text(rate: Decimal | None, executed) -> str:
    """执行率: a row with nothing budgeted and nothing spent prints 0.00 (as the seed does)."""
    if rate is not None:
        return score_text(rate)
    return "0.00" if not executed else NOT_SCORED


def _form_table(project: ProjectFile, template: Template, score: "ProjectScore") -> list[str]:
    model = project.model
    info = model.project
    unit = selfeval_unit(project, template)
    plain = {"min_height": ROW_HEIGHT}
    rows: list = []

    # 项目名称; 主管部门 · 实施单位
    rows.append((cells(SELFEVAL_EDGES["name"], [cell_para("项目名称", LABEL_STYLE), cell_para(info.name)]), plain))
    rows.append((cells(SELFEVAL_EDGES["people"], [
        cell_para("主管部门", LABEL_STYLE), cell_para(project.authority),
        cell_para("实施单位", LABEL_STYLE), cell_para(info.implementer),
    ]), plain))

    # funding: the label merged down the heading row and the 4 rows of amounts
    edges = SELFEVAL_EDGES["funding"]
    label = cell_para(fit(pattern(template, "funding_label", unit=unit), edges[1] - edges[0]), LABEL_STYLE)
    heads = [cell_para(fit(h, edges[i + 3] - edges[i + 2]), HEAD_STYLE) for i, h in enumerate(FUNDING_HEADS)]
    rows.append((cells(edges, [label, cell_para(""), *heads], {0: "restart"}), plain))
    by_label = {_label_key(b.label): b for b in score.rows}
    for i, row_label in enumerate(FUNDING_ROWS):
        first = i == 0
        budget = by_label.get(_label_key(row_label))
        if budget is None:  # a row the file leaves out: shown, with nothing in it
            figures = ["", "", "", ""]
        else:
            figures = [money_text(m, template, unit) for m in (budget.initial, budget.adjusted, budget.executed)]
            figures.append(_rate_text(budget.rate, budget.executed))
        rows.append((cells(edges, [
            cell_para(""), cell_para(row_label),
            *map(cell_para, figures[:3]),
            cell_para(score_text(score.budget_weight) if first else NOT_SCORED),
            cell_para(figures[3]),
            cell_para(score_text(score.budget_score) if first else NOT_SCORED),
        ], {0: "continue"}), plain))

    # goals: label merged down 2 rows; heads, then 预期目标 and 实际完成情况 side by side
    edges = SELFEVAL_EDGES["goals"]
    rows.append((cells(edges, [
        cell_para("年度总体目标", LABEL_STYLE),
        cell_para("预期目标", HEAD_STYLE, keep_next=True),
        cell_para("实际完成情况", HEAD_STYLE, keep_next=True),
    ], {0: "restart"}), plain))
    expected = split_paragraphs(clean(model.goals.annual))
    outcome = split_paragraphs(clean(model.evaluation.outcome if model.evaluation else ""))
    lines = max(
        sum(line_count(p, edges[2] - edges[1]) for p in expected),
        sum(line_count(p, edges[3] - edges[2]) for p in outcome),
    )
    kept = keep_whole(lines, GOALS_SPLIT_ABOVE)
    rows.append((cells(edges, [
        cell_para("", keep_next=kept), paragraphs(expected, keep_next=kept), paragraphs(outcome, keep_next=kept),
    ], {0: "continue"}), {"min_height": ROW_HEIGHT * 2, "cant_split": kept}))
    return form_table_before_indicators(rows, kept)


# -- the indicator table ----------------------------------------------------------------

def selfeval_indicator_grid(targets: list[str], actuals: list[str]) -> list[int]:
    """The indicator table's columns for these printed values (see SELFEVAL_INDICATOR_GRID)."""
    grid = SELFEVAL_INDICATOR_GRID
    most = grid[3] + spare(grid, _DONORS) // 2
    return widen(grid, {3: value_width(targets, most), 4: value_width(actuals, most)}, _DONORS)


def _indicator_table(project: ProjectFile, template: Template, score: "ProjectScore") -> str:
    indicators: list[Indicator] = list(project.model.indicators)
    targets = [target_text(ind.target, template) for ind in indicators]
    actuals = [actual_text(ind.actual, template) for ind in indicators]
    grid = selfeval_indicator_grid(targets, actuals)
    w1, w2, w3, w_target, w_actual, w_weight, w_score, w_reason = grid
    results = {r.index: r for r in score.indicators}

    reason_head = next((h for h in REASON_HEADS if line_count(h, w_reason) == h.count("\n") + 1), REASON_HEADS[-1])
    heads = [*INDICATOR_HEADS, reason_head]
    rows = [row([cell(cell_para(fit(h, w), HEAD_STYLE, keep_next=True), w) for h, w in zip(heads, grid)],
                header=True, min_height=ROW_HEIGHT)]

    if not indicators:
        # a form without indicators still shows one empty line
        rows.append(row([cell(cell_para("", keep_next=True), w) for w in grid], min_height=INDICATOR_ROW_HEIGHT))

    runs1, runs2 = indicator_groups(indicators)
    length1, length2 = dict(runs1), dict(runs2)
    texts, lines = [], []
    for i, ind in enumerate(indicators):
        level1, level2, name = ind.level1.strip(), ind.level2.strip(), ind.name.strip()
        target, actual = fit_value(targets[i], w_target), fit_value(actuals[i], w_actual)
        reason = split_paragraphs(clean(ind.deviation))
        n = max(
            line_count(name, w3), line_count(target, w_target, fallback=True),
            line_count(actual, w_actual, fallback=True), sum(line_count(p, w_reason) for p in reason),
        )
        if length1.get(i) == 1:
            n = max(n, line_count(level1, w1))
        if length2.get(i) == 1:
            n = max(n, line_count(level2, w2))
        texts.append((level1, level2, name, target, actual, reason))
        lines.append(n)
    names = {first: line_count(texts[first][1], w2) * LINE_HEIGHT for first, _ in runs2}
    keep, top = group_keeps([row_height(n) for n in lines], runs2, names)
    for i in range(max(0, len(keep) - ROWS_WITH_TOTALS), len(keep)):
        keep[i] = True

    for i, (level1, level2, name, target, actual, reason) in enumerate(texts):
        k = keep[i]
        blank = cell_para("", keep_next=k)
        result = results.get(i)
        ind = indicators[i]
        rows.append(row([
            cell(cell_para(level1, keep_next=k), w1, vmerge="restart") if i in length1
            else cell(blank, w1, vmerge="continue"),
            cell(cell_para(level2, keep_next=k), w2, vmerge="restart", valign="top" if i in top else "center")
            if i in length2 else cell(blank, w2, vmerge="continue"),
            cell(cell_para(name, keep_next=k), w3),
            cell(cell_para(target, keep_next=k), w_target),
            cell(cell_para(actual, keep_next=k), w_actual),
            cell(cell_para(score_text(result.weight if result else ind.weight), keep_next=k), w_weight),
            cell(cell_para(score_text(result.score if result else ind.score), keep_next=k), w_score),
            # left-aligned: justified text in a narrow column spreads its characters apart
            cell([para(p, style=TEXT_STYLE, align="left", keep_next=k) for p in reason or [""]], w_reason),
        ], min_height=INDICATOR_ROW_HEIGHT, cant_split=keep_whole(lines[i])))

    # 总分 (its 分值 is the sum of the weights: 100.00 on a complete form) and 评分等级,
    # kept together on one page
    weights = score.budget_weight + sum((r.weight for r in score.indicators), Decimal(0))
    left = sum(grid[:5])
    rows.append(row([
        cell(cell_para("总分", LABEL_STYLE, keep_next=True), left, span=5),
        cell(cell_para(score_text(weights), keep_next=True), w_weight),
        cell(cell_para(score_text(score.total), keep_next=True), w_score),
        cell(cell_para("", keep_next=True), w_reason),
    ], min_height=ROW_HEIGHT))
    rows.append(row([
        cell(cell_para("评分等级", LABEL_STYLE), left, span=5),
        cell(cell_para(score.grade), w_weight + w_score + w_reason, span=3),
    ], min_height=ROW_HEIGHT))
    return table(list(grid), rows)


# -- the form ---------------------------------------------------------------------------

def selfeval_xml(
    project: ProjectFile,
    template: Template,
    score: "ProjectScore",
    *,
    page_break_before: bool = False,
) -> list[str]:
    """XML fragments of the form: title, year line, the form table, a spacer, the indicator table."""
    return [
        para(SELFEVAL_TITLE, style="PDTitle", keep_next=True, page_break_before=page_break_before),
        para(clean(year_line(project, template)), style="PDYear", keep_next=True),
        *_form_table(project, template, score),
        _indicator_table(project, template, score),
    ]


def build_selfeval(project: ProjectFile, template: Template, score: "ProjectScore"):
    """A python-docx Document holding the project's 自评表 (save it with document.to_bytes)."""
    document = new_document(template.reference, page_numbers=template.variant.project_page_numbers)
    append(document, *selfeval_xml(project, template, score))
    return document
