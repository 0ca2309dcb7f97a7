"""The text of ``perfdoc score``: tables in a terminal, a plain layout in a pipe or a file.

In a terminal the tables fit its width; a label (年度资金总额) and a value (≥80.00(元/人)) are
never broken inside.  In a pipe, a log or a file nobody knows the width, so nothing is wrapped:
the budget is a plain aligned table and each indicator a short block of its own.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..evaluate import ProjectScore
from ..model import Money, ProjectFile
from .report import display_path
from .textwidth import pad, width

__all__ = ["print_scores", "agrees"]

_BUDGET_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分")
#: A value column is at least as wide as its longest value, up to this many columns.
_VALUE_COLUMNS = 24


def _d(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def agrees(project: ProjectFile, score: ProjectScore) -> bool | None:
    """Whether the 总分 and 评分等级 written in the file match the computed ones (None: none written)."""
    evaluation = project.model.evaluation
    if evaluation.total is None and evaluation.grade is None:
        return None
    return ((evaluation.total is None or evaluation.total == score.total)
            and (evaluation.grade is None or evaluation.grade == score.grade))


def _budget_rows(project: ProjectFile, score: ProjectScore) -> list[tuple[str, ...]]:
    unit = project.model.evaluation.funding.unit

    def money(m: Money) -> str:
        return m.format(unit)

    return [(r.label, money(r.initial), money(r.adjusted), money(r.executed),
             _d(score.budget_weight) if i == 0 else "-", _d(r.rate), _d(score.budget_score) if i == 0 else "-")
            for i, r in enumerate(score.rows)]


def _indicator_rows(project: ProjectFile, score: ProjectScore):
    """(一级 · 二级 or None, indicator, its score row) in order; the group only where it changes."""
    inds = project.model.indicators
    group = None
    for r in score.indicators:
        ind = inds[r.index]
        heading = None
        if (ind.level1, ind.level2) != group:
            group = (ind.level1, ind.level2)
            heading = f"{ind.level1} · {ind.level2}"
        yield heading, ind, r


def _stated_line(project: ProjectFile, score: ProjectScore) -> Text:
    evaluation = project.model.evaluation
    line = Text()
    line.append("总分 ")
    line.append(_d(score.total), style="bold")
    line.append("  评分等级 ")
    line.append(score.grade, style="bold")
    stated = []
    if evaluation.total is not None:
        stated.append(f"总分 {_d(evaluation.total)}")
    if evaluation.grade is not None:
        stated.append(f"等级 {evaluation.grade}")
    same = agrees(project, score)
    if same is not None:
        line.append(f"  （表上：{'，'.join(stated)}，")
        line.append("一致" if same else "不一致", style="green" if same else "red bold")
        line.append("）")
    return line


# -- a terminal: tables ------------------------------------------------------------------------

def _column(table: Table, head: str, values: list[str], cap: int | None = None, **kwargs) -> None:
    """A column at least as wide as its widest value (or ``cap``), so no value is cut inside."""
    widest = max([width(v) for v in values] + [width(head)])
    table.add_column(head, min_width=min(widest, cap) if cap else widest, **kwargs)


def _needed(table: Table) -> int:
    """The narrowest terminal the table fits in with every column at its minimum width."""
    return sum(c.min_width or 1 for c in table.columns) + 3 * len(table.columns) + 1


def _budget_table(project: ProjectFile, score: ProjectScore) -> Table:
    rows = _budget_rows(project, score)
    table = Table(title=f"预算执行情况（{project.model.evaluation.funding.unit}）", title_justify="left")
    for i, head in enumerate(("项目资金", *_BUDGET_HEADS)):
        _column(table, head, [row[i] for row in rows], no_wrap=True, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table


def _indicator_table(project: ProjectFile, score: ProjectScore) -> Table:
    """One row per 三级指标 under a line for each 一级 · 二级 group; long texts fold, values stay whole."""
    rows = list(_indicator_rows(project, score))
    cells = [(ind.name, ind.target.text, ind.actual.text if ind.actual is not None else "", _d(r.weight),
              _d(r.score), _d(r.computed) if r.computed is not None else "无法计算", ind.deviation or "")
             for _, ind, r in rows]
    table = Table(title="绩效指标", title_justify="left")
    _column(table, "三级指标", [], ratio=3, overflow="fold")
    for i, head in ((1, "年度指标值"), (2, "实际完成值")):
        _column(table, head, [c[i] for c in cells], cap=_VALUE_COLUMNS, ratio=2, overflow="fold")
    for i, head in ((3, "分值"), (4, "得分"), (5, "按规则")):
        _column(table, head, [c[i] for c in cells] + ["100.00"], justify="right", no_wrap=True)
    _column(table, "偏差原因分析及改进措施", [], cap=8, ratio=3, overflow="fold")
    for (heading, _, r), row in zip(rows, cells):
        if heading:
            table.add_row(Text(heading, style="bold"))
        table.add_row(*row[:4], Text(row[4], style="yellow" if r.score < r.weight else ""), *row[5:])
    table.add_section()
    table.add_row("预算执行", "", "", _d(score.budget_weight), _d(score.budget_score), "", "")
    table.add_row("总分", "", "", "100.00", Text(_d(score.total), style="bold"), "", "")
    return table


# -- a pipe or a file: plain lines, never wrapped ---------------------------------------------

def _plain_budget(project: ProjectFile, score: ProjectScore) -> list[str]:
    rows = [("项目资金", *_BUDGET_HEADS), *_budget_rows(project, score)]
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"预算执行情况（{project.model.evaluation.funding.unit}）"]
    for row in rows:
        cells = [pad(row[0], widths[0])] + [" " * (w - width(c)) + c for c, w in zip(row[1:], widths[1:])]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _plain_indicators(project: ProjectFile, score: ProjectScore) -> list[str]:
    lines = ["绩效指标"]
    for heading, ind, r in _indicator_rows(project, score):
        if heading:
            lines.append(f"  {heading}")
        lines.append(f"    {ind.name}")
        actual = ind.actual.text if ind.actual is not None else "（未填写）"
        computed = _d(r.computed) if r.computed is not None else "无法计算"
        lines.append(f"      年度指标值 {ind.target.text}；实际完成值 {actual}；"
                     f"分值 {_d(r.weight)}；得分 {_d(r.score)}；按规则 {computed}")
        if ind.deviation:
            first, *more = [ln.strip() for ln in ind.deviation.strip().splitlines() if ln.strip()]
            lines.append(f"      偏差原因分析及改进措施：{first}")
            lines += [f"        {ln}" for ln in more]
    lines.append(f"  预算执行：分值 {_d(score.budget_weight)}；得分 {_d(score.budget_score)}")
    lines.append(f"  总分：分值 100.00；得分 {_d(score.total)}")
    return lines


def print_scores(console: Console, scored: list[tuple[ProjectFile, ProjectScore]], tables: bool) -> None:
    """Each scored project: its name, the budget, the indicators, the total and grade.

    ``tables``: the output is a terminal; tables are drawn when they fit its width.
    """
    for project, score in scored:
        console.print(Text(f"{project.model.name}（{display_path(project.path)}）", style="bold"), soft_wrap=True)
        budget, indicators = _budget_table(project, score), _indicator_table(project, score)
        if tables and max(_needed(budget), _needed(indicators)) <= console.width:
            console.print(budget)
            console.print(indicators)
        else:  # not a terminal, or one too narrow for the tables
            for line in _plain_budget(project, score) + _plain_indicators(project, score):
                console.print(Text(line), soft_wrap=True)
        console.print(_stated_line(project, score), soft_wrap=True)
        console.print()
