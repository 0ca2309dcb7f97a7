"""财政项目支出绩效目标申报表 (forms.md §1): one form per project.

A title (``财政项目支出绩效目标申报表``, or ``…填报表N`` for a numbered variant),
the year line, then two bordered tables of the same width:

* the form proper: 项目名称 / 主管部门 / 计划日期 rows, the funding block
  (label merged down 4 rows) and the goals block (label merged down 2 rows);
* the indicator block: a heading row marked ``w:tblHeader`` (绩效指标 · 一级指标 ·
  二级指标 · 三级指标 · 指标值), then one row per 三级指标, with the 一级 and 二级 cells
  merged vertically over their consecutive rows and the label column under 绩效指标
  merged down every indicator row.

The indicator block is a table of its own because Word and LibreOffice repeat
heading rows only from the top of a table; a 0.1 pt paragraph (``docxml.spacer``)
keeps the two tables from being joined, and the two meet at one rule
(formtable.form_table_before_indicators).  The heading's 绩效指标 cell is merged
with nothing and shows no rule under it, so that where the heading repeats on a
new page it heads the label column: no empty cell under it.

Every value prints whole: the value column grows, from 三级指标, until the longest
value fits on one line (formtable.value_width); a value wider still breaks before its
bracket, never inside its figures.

Rows carry ``w:cantSplit``, so that an indicator never breaks across a page, and
the rows of a 二级 group stay on one page (w:keepNext, formtable.group_keeps), so
that the merged 二级 cell never carries its name across a page break.  Two kinds of
rows may break (see ``keep_whole``): the row of the two goal texts when they are
longer than about 17 lines, which would leave a large blank; and any row too tall
for a page, which Word would otherwise cut off at the foot of the page.

Each table is built as one XML string (docxml) and parsed once, so a form with
hundreds of indicators costs linear time (docxml.append moves big tables into the
document row by row).  The table machinery shared with the other forms lives in
formtable.  Fonts come from the paragraph styles
of the template's reference.docx; project text is escaped by docxml and never
formatted, so a ``{{ x }}`` typed by a user prints as it is.
"""

from __future__ import annotations

from ..model import ProjectFile
from .common import money_text, printed_unit, split_paragraphs, target_text
from .docxml import append, cell, para, row, table
from .document import new_document
from .formtable import (
    CELL_MARGINS, GOALS_SPLIT_ABOVE, HEAD_STYLE, INDICATOR_ROW_HEIGHT, LABEL, LABEL_STYLE, LINE_HEIGHT, ROW_HEIGHT,
    TEXT_WIDTH, Cell, cell_para, cells, clean, fit, fit_value, form_table_before_indicators, group_keeps,
    indicator_groups, keep_whole, line_count, paragraphs, pattern, row_height, spare, value_width, widen,
    width_estimate,
)
from .template import Template

__all__ = [
    "declaration_xml", "declaration_title_xml", "build_declaration", "declaration_title", "year_line",
    "category_text", "FORM_EDGES", "INDICATOR_GRID", "indicator_grid",
    "LABELS", "FUNDING_LABELS", "INDICATOR_HEADS", "CHECKED", "UNCHECKED",
]

#: Column edges (twips from the left) of the form's rows.  The grid of the first
#: table is the union of the edges of its rows; each cell spans the grid columns
#: between its two edges.  The middle edge 5369 is shared by the labels 实施单位 /
#: 计划完成日期 / 项目性质 / 项目类别, the right half of the funding block and 年度总体目标.
FORM_EDGES = {
    # 项目名称 · name · 项目性质 · nature · 项目类别 · category
    "head6": (0, LABEL, 4290, 5369, 6809, 7849, TEXT_WIDTH),
    # 项目名称 · name · 项目类别 · category;  主管部门 · … · 实施单位 · …;  计划开始日期 · … · 计划完成日期 · …
    "head4": (0, LABEL, 5369, 6809, TEXT_WIDTH),
    # 项目名称 · name · 项目类别 · 专项资金 □  经常性项目 ☑  一次性项目 □ (room for two options a line)
    "head4_checkboxes": (0, LABEL, 4290, 5369, TEXT_WIDTH),
    # label · 项目资金总额 · amount · 年度资金申请总额 · amount (the two halves meet at 5369)
    "funding": (0, LABEL, 3140, 5369, 7449, TEXT_WIDTH),
    # label · 项目总目标 · 年度总体目标
    "goals": (0, LABEL, 5369, TEXT_WIDTH),
}

#: Columns of the indicator table: label · 一级 · 二级 · 三级 · 指标值 (the value column
#: lines up with the amount column of the funding block).  A value too long for it widens
#: it, the 三级指标 column giving the room down to NAME_LEAST (see indicator_grid).
INDICATOR_GRID = (LABEL, 1260, 1700, 3049, 1849)
NAME_LEAST = 2200

CHECKED, UNCHECKED = "☑", "□"

#: The form's fixed labels, by the project-file key they introduce (read/declaration.py reads
#: a form by them: a layout change touches both sides).
LABELS = {
    "name": "项目名称", "nature": "项目性质", "category": "项目类别", "authority": "主管部门",
    "implementer": "实施单位", "start": "计划开始日期", "end": "计划完成日期",
    "goals": "项目绩效目标", "indicators": "绩效指标",
}
#: The funding block's labels: left the project's total, right the year's.
FUNDING_LABELS = {
    "total": "项目资金总额", "total_fiscal": "其中：财政资金", "total_other": "其他资金",
    "annual": "年度资金申请总额", "annual_appropriation": "其中：当年财政拨款",
    "annual_carryover": "上年结转资金", "annual_other": "其他资金",
}
#: The indicator table's headings before the value's (variant.indicator_value_heading).
INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标")

# -- variant patterns ---------------------------------------------------------------

def declaration_title(template: Template, number: int | None = None) -> str:
    """``财政项目支出绩效目标申报表``; ``…填报表3`` when the variant numbers its forms."""
    title = template.variant.declaration_title
    if template.variant.numbered_title and number is not None:
        title = f"{title}{number}"
    return title


def year_line(project: ProjectFile, template: Template) -> str:
    return pattern(template, "year_line", year=project.model.project.year)


def category_text(project: ProjectFile, template: Template, width: int | None = None) -> str:
    """项目类别: as written, or as check boxes ``专项资金 □  经常性项目 ☑  一次性项目 □``.

    With check boxes, a category that is none of the options is added as a
    checked option of its own, so that it is never lost.  When ``width`` (the
    cell's width in twips) is given, the options are packed into lines that fit,
    so that a line breaks between two options, never inside one.
    """
    category = clean(project.model.project.category).strip()
    variant = template.variant
    if variant.category_style != "checkboxes":
        return category
    options = [clean(o) for o in variant.checkbox_options]
    items = [f"{o} {CHECKED if o == category else UNCHECKED}" for o in options]
    if category and category not in options:
        items.append(f"{category} {CHECKED}")
    if width is None:
        return "  ".join(items)
    room = width - CELL_MARGINS
    lines: list[str] = []
    for item in items:
        if lines and width_estimate(lines[-1] + "  " + item) <= room:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return "\n".join(lines)


# -- the form -----------------------------------------------------------------------

def _form_table(project: ProjectFile, template: Template) -> list[str]:
    """The form table (项目名称 … the goal texts) and the 0.1 pt paragraph after it."""
    model = project.model
    info = model.project
    funding = model.funding
    variant = template.variant
    unit = printed_unit(project, template)
    plain = {"min_height": ROW_HEIGHT}

    def money(amount) -> str:
        return cell_para(money_text(amount, template, unit))

    rows: list[tuple[list[Cell], dict]] = []

    # 1: 项目名称 · name · (项目性质 · nature ·) 项目类别 · category
    if variant.show_nature:
        edges = FORM_EDGES["head6"]
        contents = [
            cell_para(LABELS["name"], LABEL_STYLE), cell_para(info.name),
            cell_para(LABELS["nature"], LABEL_STYLE), cell_para(info.nature or ""),
            cell_para(LABELS["category"], LABEL_STYLE),
        ]
    else:
        edges = FORM_EDGES["head4_checkboxes" if variant.category_style == "checkboxes" else "head4"]
        contents = [cell_para(LABELS["name"], LABEL_STYLE), cell_para(info.name),
                    cell_para(LABELS["category"], LABEL_STYLE)]
    contents.append(cell_para(category_text(project, template, edges[-1] - edges[-2])))
    rows.append((cells(edges, contents), plain))

    # 2-3: 主管部门 · 实施单位; 计划开始日期 · 计划完成日期
    edges = FORM_EDGES["head4"]
    rows.append((cells(edges, [
        cell_para(LABELS["authority"], LABEL_STYLE), cell_para(project.authority),
        cell_para(LABELS["implementer"], LABEL_STYLE), cell_para(info.implementer),
    ]), plain))
    rows.append((cells(edges, [
        cell_para(LABELS["start"], LABEL_STYLE), cell_para(info.start.isoformat()),
        cell_para(LABELS["end"], LABEL_STYLE), cell_para(info.end.isoformat()),
    ]), plain))

    # 4-7: funding, label merged down 4 rows
    edges = FORM_EDGES["funding"]
    label = cell_para(fit(pattern(template, "funding_label", unit=unit), edges[1] - edges[0]), LABEL_STYLE)
    blank = cell_para("")
    f = FUNDING_LABELS
    pairs = [
        (cell_para(f["total"]), money(funding.total), cell_para(f["annual"]), money(funding.annual)),
        (cell_para(f["total_fiscal"]), money(funding.total_fiscal),
         cell_para(f["annual_appropriation"]), money(funding.annual_appropriation)),
        (blank, blank, cell_para(f["annual_carryover"]), money(funding.annual_carryover)),
        (cell_para(f["total_other"]), money(funding.total_other), cell_para(f["annual_other"]), money(funding.annual_other)),
    ]
    for i, pair in enumerate(pairs):
        first = label if i == 0 else blank
        rows.append((cells(edges, [first, *pair], {0: "restart" if i == 0 else "continue"}), plain))

    # 8-9: goals, label merged down 2 rows; headings, then the two texts side by side
    edges = FORM_EDGES["goals"]
    start, end = model.period
    rows.append((cells(edges, [
        cell_para(LABELS["goals"], LABEL_STYLE),
        cell_para(fit(pattern(template, "overall_goal_heading", start=start, end=end), edges[2] - edges[1]),
           HEAD_STYLE, keep_next=True),
        cell_para(fit(pattern(template, "annual_goal_heading", start=start, end=end), edges[3] - edges[2]),
           HEAD_STYLE, keep_next=True),
    ], {0: "restart"}), plain))
    overall = split_paragraphs(clean(model.goals.overall))
    annual = split_paragraphs(clean(model.goals.annual))
    lines = max(
        sum(line_count(p, edges[2] - edges[1]) for p in overall),
        sum(line_count(p, edges[3] - edges[2]) for p in annual),
    )
    kept = keep_whole(lines, GOALS_SPLIT_ABOVE)
    rows.append((cells(edges, [
        cell_para("", keep_next=kept), paragraphs(overall, keep_next=kept), paragraphs(annual, keep_next=kept),
    ], {0: "continue"}), {"min_height": ROW_HEIGHT * 2, "cant_split": kept}))

    return form_table_before_indicators(rows, kept)


def indicator_grid(project: ProjectFile, template: Template) -> list[int]:
    """The indicator table's columns: INDICATOR_GRID, with the value column widened (from
    三级指标, down to NAME_LEAST) until the longest value prints whole on one line."""
    values = [target_text(ind.target, template) for ind in project.model.indicators]
    donors = [(3, NAME_LEAST)]
    most = INDICATOR_GRID[4] + spare(INDICATOR_GRID, donors)
    return widen(INDICATOR_GRID, {4: value_width(values, most)}, donors)


def _indicator_rows(project: ProjectFile, template: Template, grid: list[int]) -> list[str]:
    """The rows of the indicator table: the heading row, then one row per 三级指标.

    The heading row is a row of its own (its 绩效指标 cell merged with nothing), so that
    where it repeats on a new page it heads the label column, whose cells below are one
    merged cell with no rule under the heading: no empty cell under 绩效指标.
    """
    indicators = list(project.model.indicators)
    w_label, w1, w2, w3, w_value = grid
    below_heading = {"no_border": ("top",)}

    heading = [
        cell(cell_para(LABELS["indicators"], LABEL_STYLE, keep_next=True), w_label, no_border=("bottom",)),
        *(cell(cell_para(h, HEAD_STYLE, keep_next=True), w) for h, w in zip(INDICATOR_HEADS, (w1, w2, w3))),
        cell(cell_para(fit(template.variant.indicator_value_heading, w_value), HEAD_STYLE, keep_next=True), w_value),
    ]
    rows = [row(heading, header=True, min_height=ROW_HEIGHT)]

    if not indicators:
        # a form without indicators still shows one empty line to fill in
        blank = cell_para("")
        rows.append(row([
            cell(blank, w_label, vmerge="restart", **below_heading),
            cell(blank, w1), cell(blank, w2), cell(blank, w3), cell(blank, w_value),
        ], min_height=INDICATOR_ROW_HEIGHT))
        return rows

    runs1, runs2 = indicator_groups(indicators)
    length1 = dict(runs1)
    length2 = dict(runs2)
    texts, lines = [], []
    for i, ind in enumerate(indicators):
        level1, level2, name = ind.level1.strip(), ind.level2.strip(), ind.name.strip()
        value = fit_value(target_text(ind.target, template), w_value)
        n = max(line_count(name, w3), line_count(value, w_value, fallback=True))
        if length1.get(i) == 1:
            n = max(n, line_count(level1, w1))
        if length2.get(i) == 1:
            n = max(n, line_count(level2, w2))
        texts.append((level1, level2, name, value))
        lines.append(n)
    names = {first: line_count(texts[first][1], w2) * LINE_HEIGHT for first, _ in runs2}
    keep, top = group_keeps([row_height(n) for n in lines], runs2, names)

    for i, (level1, level2, name, value) in enumerate(texts):
        k = keep[i]
        blank = cell_para("", keep_next=k)
        rows.append(row([
            cell(blank, w_label, vmerge="restart" if i == 0 else "continue", **below_heading),
            cell(cell_para(level1, keep_next=k), w1, vmerge="restart") if i in length1
            else cell(blank, w1, vmerge="continue"),
            cell(cell_para(level2, keep_next=k), w2, vmerge="restart", valign="top" if i in top else "center")
            if i in length2 else cell(blank, w2, vmerge="continue"),
            cell(cell_para(name, keep_next=k), w3),
            cell(cell_para(value, keep_next=k), w_value),
        ], min_height=INDICATOR_ROW_HEIGHT, cant_split=keep_whole(lines[i])))
    return rows


def declaration_title_xml(template: Template, number: int | None = None, *, page_break_before: bool = False) -> str:
    """The first paragraph of :func:`declaration_xml`: the title (on a new page with ``page_break_before``)."""
    return para(clean(declaration_title(template, number)), style="PDTitle", keep_next=True,
                page_break_before=page_break_before)


def _head_xml(project: ProjectFile, template: Template, number: int | None, page_break_before: bool) -> list[str]:
    """Title, year line, the form table and the spacer: everything before the indicator table."""
    return [
        declaration_title_xml(template, number, page_break_before=page_break_before),
        para(clean(year_line(project, template)), style="PDYear", keep_next=True),
        *_form_table(project, template),
    ]


def declaration_xml(
    project: ProjectFile,
    template: Template,
    *,
    number: int | None = None,
    page_break_before: bool = False,
) -> list[str]:
    """XML fragments of the form's body: title paragraph (numbered "填报表N" when
    variant.numbered_title and number given), year line, the table(s)."""
    grid = indicator_grid(project, template)
    return [
        *_head_xml(project, template, number, page_break_before),
        table(grid, _indicator_rows(project, template, grid)),
    ]


def build_declaration(project: ProjectFile, template: Template, *, number: int | None = None):
    """A python-docx Document holding the form (docxml.append moves big tables in linear time)."""
    document = new_document(template.reference, page_numbers=template.variant.project_page_numbers)
    append(document, *declaration_xml(project, template, number=number))
    return document
