"""财政项目支出绩效目标申报表 (forms.md §1): one form per project.

A title (``财政项目支出绩效目标申报表``, or ``…填报表N`` for a numbered variant),
the year line, then two bordered tables of the same width:

* the form proper: 项目名称 / 主管部门 / 计划日期 rows, the funding block
  (label merged down 4 rows) and the goals block (label merged down 2 rows);
* the indicator block: label ``绩效指标`` merged down every row, a heading row
  marked ``w:tblHeader`` and one row per 三级指标, with the 一级 and 二级 cells
  merged vertically over their consecutive rows.

The indicator block is a table of its own because Word and LibreOffice repeat
heading rows only from the top of a table; a 1 pt paragraph (``docxml.spacer``)
keeps the two tables from being joined.

Rows carry ``w:cantSplit``, so that an indicator never breaks across a page,
with two exceptions (see ``_keep_whole``): the row of the two goal texts when
they are long (more than about 9 lines), because a tall row kept whole leaves
half a page blank and strands the goal headings above it; and any row too tall
for a page, which Word would otherwise cut off at the foot of the page.

Each table is built as one XML string (docxml) and parsed once, so a form with
hundreds of indicators costs linear time (build_declaration also moves the
indicator rows into the document one by one; see there).  Fonts come from the paragraph styles
of the template's reference.docx; project text is escaped by docxml and never
formatted, so a ``{{ x }}`` typed by a user prints as it is.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from ..model import Indicator, ProjectFile
from .common import money_text, printed_unit, split_paragraphs, target_text
from .docxml import append, cell, para, row, spacer, table
from .document import new_document
from .template import Template, TemplateError

__all__ = [
    "declaration_xml", "build_declaration", "declaration_title", "year_line",
    "category_text", "indicator_groups", "TEXT_WIDTH", "FORM_EDGES", "INDICATOR_GRID",
]

#: Text width of the page: A4 (11906 twips) less two 2.3 cm margins (1304 twips).
TEXT_WIDTH = 9298

#: Width of the left label column (项目名称, 计划开始日期, 项目资金（元）, 绩效指标): six
#: characters of 10.5 pt (1260 twips) plus the cell margins (2 × 85).
LABEL = 1440

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
#: lines up with the amount column of the funding block).
INDICATOR_GRID = (LABEL, 1260, 1700, 3049, 1849)

#: Cell margins set by docxml.table (left + right).
_CELL_MARGINS = 170

#: Least row heights (twips): 0.7 cm for the form's rows, 0.6 cm for an indicator.
ROW_HEIGHT = 397
INDICATOR_ROW_HEIGHT = 340

#: Estimated height of a line of 10.5 pt text; the heights above which the goals
#: row (about 9 lines) and any other row (about 33 lines, well short of the 13958
#: twips of an A4 page body less a repeated heading) may break across pages.
LINE_HEIGHT = 273
GOALS_SPLIT_ABOVE = 2400
SPLIT_ABOVE = 9000

LABEL_STYLE = "PDTable"
VALUE_STYLE = "PDTable"
TEXT_STYLE = "PDTableLeft"
HEAD_STYLE = "PDTableHead"

CHECKED, UNCHECKED = "☑", "□"

#: XML 1.0 forbids these characters; the model refuses them in files, this is a last guard.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


# -- variant patterns ---------------------------------------------------------------

def _pattern(template: Template, setting: str, **values) -> str:
    """A variant.toml pattern filled with ``values`` (fixed data, never project text as source)."""
    pattern = getattr(template.variant, setting)
    try:
        return string.Formatter().vformat(pattern, (), values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        usable = "、".join("{" + k + "}" for k in values) or "无"
        raise TemplateError(
            f"版式 {template.folder.name} 的 {setting}“{pattern}”有误（可用 {usable}）：{exc}"
        ) from None


def declaration_title(template: Template, number: int | None = None) -> str:
    """``财政项目支出绩效目标申报表``; ``…填报表3`` when the variant numbers its forms."""
    title = template.variant.declaration_title
    if template.variant.numbered_title and number is not None:
        title = f"{title}{number}"
    return title


def year_line(project: ProjectFile, template: Template) -> str:
    return _pattern(template, "year_line", year=project.model.project.year)


# -- cells --------------------------------------------------------------------------

_WIDE = re.compile("[\u2010-\u2bff\u2e80-\U0010ffff]")


def _width_estimate(text: str) -> int:
    """Printed width in twips at 10.5 pt: full-width characters 210, others 105.

    Curly quotes, ≥, □ and CJK are full width in 宋体.  An estimate, used to
    choose where a label breaks and whether a row is tall.
    """
    return 105 * (len(text) + len(_WIDE.findall(text)))


def _lines(text: str, width: int) -> int:
    """Estimated number of printed lines of ``text`` in a cell ``width`` twips wide."""
    room = max(width - _CELL_MARGINS, 210)
    return sum(max(1, -(-_width_estimate(line) // room)) for line in text.split("\n"))


def _fit(text: str, width: int) -> str:
    """A short label or heading that does not fit on one line, broken at its bracket.

    ``项目资金（万元）`` → ``项目资金`` / ``（万元）``; ``年度（/项目）指标值`` →
    ``年度（/项目）`` / ``指标值``; anything else is left to the word processor.
    """
    room = width - _CELL_MARGINS
    if "\n" in text or _width_estimate(text) <= room:
        return text
    close = max(text.find("）"), text.find(")"))
    if 0 < close < len(text) - 1 and _width_estimate(text[: close + 1]) <= room:
        return text[: close + 1] + "\n" + text[close + 1:]
    for bracket in ("（", "("):
        at = text.find(bracket)
        if at > 0:
            return text[:at] + "\n" + text[at:]
    return text


def category_text(project: ProjectFile, template: Template, width: int | None = None) -> str:
    """项目类别: as written, or as check boxes ``专项资金 □  经常性项目 ☑  一次性项目 □``.

    With check boxes, a category that is none of the options is added as a
    checked option of its own, so that it is never lost.  When ``width`` (the
    cell's width in twips) is given, the options are packed into lines that fit,
    so that a line breaks between two options, never inside one.
    """
    category = _clean(project.model.project.category).strip()
    variant = template.variant
    if variant.category_style != "checkboxes":
        return category
    options = [_clean(o) for o in variant.checkbox_options]
    items = [f"{o} {CHECKED if o == category else UNCHECKED}" for o in options]
    if category and category not in options:
        items.append(f"{category} {CHECKED}")
    if width is None:
        return "  ".join(items)
    room = width - _CELL_MARGINS
    lines: list[str] = []
    for item in items:
        if lines and _width_estimate(lines[-1] + "  " + item) <= room:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return "\n".join(lines)


def _p(text: str, style: str = VALUE_STYLE, *, keep_next: bool = False) -> str:
    return para(_clean(text), style=style, keep_next=keep_next)


def _paragraphs(parts: list[str], style: str = TEXT_STYLE) -> str:
    """A long text (split_paragraphs) as several paragraphs in one cell; one empty paragraph if none."""
    if not parts:
        return para("", style=style)
    return "".join(para(p, style=style) for p in parts)


@dataclass(frozen=True)
class _Cell:
    left: int   # edge, twips from the left of the table
    right: int
    xml: str    # paragraphs
    vmerge: str | None = None


def _cells(edges: tuple[int, ...], contents: list[str], vmerge: dict[int, str] | None = None) -> list[_Cell]:
    """Cells between consecutive ``edges``, one per content."""
    assert len(edges) == len(contents) + 1, (edges, contents)
    vmerge = vmerge or {}
    return [_Cell(edges[i], edges[i + 1], contents[i], vmerge.get(i)) for i in range(len(contents))]


def _grid_table(rows: list[tuple[list[_Cell], dict]]) -> str:
    """A table whose grid is the union of the edges of its rows."""
    edges = sorted({c.left for cells, _ in rows for c in cells} | {c.right for cells, _ in rows for c in cells})
    index = {x: i for i, x in enumerate(edges)}
    grid = [b - a for a, b in zip(edges, edges[1:])]
    out = []
    for cells, options in rows:
        xml = [
            cell(c.xml, c.right - c.left, span=index[c.right] - index[c.left], vmerge=c.vmerge)
            for c in cells
        ]
        out.append(row(xml, **options))
    return table(grid, out)


# -- the form -----------------------------------------------------------------------

def _form_table(project: ProjectFile, template: Template) -> str:
    model = project.model
    info = model.project
    funding = model.funding
    variant = template.variant
    unit = printed_unit(project, template)
    plain = {"min_height": ROW_HEIGHT}

    def money(amount) -> str:
        return _p(money_text(amount, template, unit))

    rows: list[tuple[list[_Cell], dict]] = []

    # 1: 项目名称 · name · (项目性质 · nature ·) 项目类别 · category
    if variant.show_nature:
        edges = FORM_EDGES["head6"]
        contents = [
            _p("项目名称", LABEL_STYLE), _p(info.name),
            _p("项目性质", LABEL_STYLE), _p(info.nature or ""),
            _p("项目类别", LABEL_STYLE),
        ]
    else:
        edges = FORM_EDGES["head4_checkboxes" if variant.category_style == "checkboxes" else "head4"]
        contents = [_p("项目名称", LABEL_STYLE), _p(info.name), _p("项目类别", LABEL_STYLE)]
    contents.append(_p(category_text(project, template, edges[-1] - edges[-2])))
    rows.append((_cells(edges, contents), plain))

    # 2-3: 主管部门 · 实施单位; 计划开始日期 · 计划完成日期
    edges = FORM_EDGES["head4"]
    rows.append((_cells(edges, [
        _p("主管部门", LABEL_STYLE), _p(project.authority),
        _p("实施单位", LABEL_STYLE), _p(info.implementer),
    ]), plain))
    rows.append((_cells(edges, [
        _p("计划开始日期", LABEL_STYLE), _p(info.start.isoformat()),
        _p("计划完成日期", LABEL_STYLE), _p(info.end.isoformat()),
    ]), plain))

    # 4-7: funding, label merged down 4 rows
    edges = FORM_EDGES["funding"]
    label = _p(_fit(_pattern(template, "funding_label", unit=unit), edges[1] - edges[0]), LABEL_STYLE)
    blank = _p("")
    pairs = [
        (_p("项目资金总额"), money(funding.total), _p("年度资金申请总额"), money(funding.annual)),
        (_p("其中：财政资金"), money(funding.total_fiscal), _p("其中：当年财政拨款"), money(funding.annual_appropriation)),
        (blank, blank, _p("上年结转资金"), money(funding.annual_carryover)),
        (_p("其他资金"), money(funding.total_other), _p("其他资金"), money(funding.annual_other)),
    ]
    for i, pair in enumerate(pairs):
        first = label if i == 0 else blank
        rows.append((_cells(edges, [first, *pair], {0: "restart" if i == 0 else "continue"}), plain))

    # 8-9: goals, label merged down 2 rows; headings, then the two texts side by side
    edges = FORM_EDGES["goals"]
    start, end = model.period
    rows.append((_cells(edges, [
        _p("项目绩效目标", LABEL_STYLE),
        _p(_fit(_pattern(template, "overall_goal_heading", start=start, end=end), edges[2] - edges[1]),
           HEAD_STYLE, keep_next=True),
        _p(_fit(_pattern(template, "annual_goal_heading", start=start, end=end), edges[3] - edges[2]),
           HEAD_STYLE, keep_next=True),
    ], {0: "restart"}), plain))
    overall = split_paragraphs(_clean(model.goals.overall))
    annual = split_paragraphs(_clean(model.goals.annual))
    lines = max(
        sum(_lines(p, edges[2] - edges[1]) for p in overall),
        sum(_lines(p, edges[3] - edges[2]) for p in annual),
    )
    rows.append((_cells(edges, [
        blank, _paragraphs(overall), _paragraphs(annual),
    ], {0: "continue"}), {"min_height": ROW_HEIGHT * 2, "cant_split": _keep_whole(lines, GOALS_SPLIT_ABOVE)}))

    return _grid_table(rows)


def _keep_whole(lines: int, limit: int = SPLIT_ABOVE) -> bool:
    """Whether a row of about ``lines`` printed lines carries w:cantSplit.

    A row kept whole that does not fit in what is left of a page moves to the
    next page; one taller than a page is cut off by Word at the foot of the page
    (and LibreOffice may drop its end).  Rows taller than ``limit`` twips may
    therefore break.
    """
    return lines * LINE_HEIGHT <= limit


def indicator_groups(indicators: list[Indicator]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Runs of consecutive indicators with the same 一级, and with the same (一级, 二级).

    Each run is ``(first index, length)``.  A 二级 run never crosses a 一级 boundary.
    """
    def runs(keys: list) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for i, key in enumerate(keys):
            if i and key == keys[i - 1]:
                first, length = out[-1]
                out[-1] = (first, length + 1)
            else:
                out.append((i, 1))
        return out

    level1 = [ind.level1.strip() for ind in indicators]
    level2 = [(ind.level1.strip(), ind.level2.strip()) for ind in indicators]
    return runs(level1), runs(level2)


def _indicator_rows(project: ProjectFile, template: Template) -> list[str]:
    """The rows of the indicator table: the heading row, then one row per 三级指标."""
    indicators = list(project.model.indicators)
    w_label, w1, w2, w3, w_value = INDICATOR_GRID
    blank = _p("")

    heading = [
        cell(_p("绩效指标", LABEL_STYLE), w_label, vmerge="restart"),
        cell(_p("一级指标", HEAD_STYLE, keep_next=True), w1),
        cell(_p("二级指标", HEAD_STYLE, keep_next=True), w2),
        cell(_p("三级指标", HEAD_STYLE, keep_next=True), w3),
        cell(_p(_fit(template.variant.indicator_value_heading, w_value), HEAD_STYLE, keep_next=True), w_value),
    ]
    rows = [row(heading, header=True, min_height=ROW_HEIGHT)]

    if not indicators:
        # a form without indicators still shows one empty line to fill in
        rows.append(row([
            cell(blank, w_label, vmerge="continue"),
            cell(blank, w1), cell(blank, w2), cell(blank, w3), cell(blank, w_value),
        ], min_height=INDICATOR_ROW_HEIGHT))
        return rows

    runs1, runs2 = indicator_groups(indicators)
    length1 = dict(runs1)
    length2 = dict(runs2)
    for i, ind in enumerate(indicators):
        level1, level2 = ind.level1.strip(), ind.level2.strip()
        name = ind.name.strip()
        value = target_text(ind.target, template)
        lines = max(_lines(name, w3), _lines(value, w_value))
        if length1.get(i) == 1:
            lines = max(lines, _lines(level1, w1))
        if length2.get(i) == 1:
            lines = max(lines, _lines(level2, w2))
        rows.append(row([
            cell(blank, w_label, vmerge="continue"),
            cell(_p(level1), w1, vmerge="restart") if i in length1 else cell(blank, w1, vmerge="continue"),
            cell(_p(level2), w2, vmerge="restart") if i in length2 else cell(blank, w2, vmerge="continue"),
            cell(_p(name), w3),
            cell(_p(value), w_value),
        ], min_height=INDICATOR_ROW_HEIGHT, cant_split=_keep_whole(lines)))
    return rows


def _head_xml(project: ProjectFile, template: Template, number: int | None, page_break_before: bool) -> list[str]:
    """Title, year line, the form table and the spacer: everything before the indicator table."""
    return [
        para(_clean(declaration_title(template, number)), style="PDTitle", keep_next=True,
             page_break_before=page_break_before),
        para(_clean(year_line(project, template)), style="PDYear", keep_next=True),
        _form_table(project, template),
        spacer(),
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
    return [
        *_head_xml(project, template, number, page_break_before),
        table(list(INDICATOR_GRID), _indicator_rows(project, template)),
    ]


def build_declaration(project: ProjectFile, template: Template, *, number: int | None = None):
    """A python-docx Document holding the form (docxml.append moves big tables in linear time)."""
    document = new_document(template.reference)
    append(document, *declaration_xml(project, template, number=number))
    return document
