"""Building bordered form tables: column edges, cells spanning grid columns, label
fitting, row heights and page breaking, indicator groups.  Shared by the forms
(申报表, 自评表, the 汇总表's index tables); each form module keeps its own layout.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from ..model import Indicator
from .docxml import cell, para, row, spacer, table
from .template import Template, TemplateError

#: Text width of the page: A4 (11906 twips) less two 2.3 cm margins (1304 twips).
TEXT_WIDTH = 9298

#: Width of the left label column (项目名称, 计划开始日期, 项目资金（元）, 绩效指标): six
#: characters of 10.5 pt (1260 twips) plus the cell margins (2 × 85).
LABEL = 1440

#: Cell margins set by docxml.table (left + right).
CELL_MARGINS = 170

#: Least row heights (twips): 0.7 cm for the form's rows, 0.6 cm for an indicator.
ROW_HEIGHT = 397
INDICATOR_ROW_HEIGHT = 340

#: Estimated height of a line of 10.5 pt text; the heights above which the goals
#: row (about 17 lines) and any other row (about 33 lines, well short of the 13958
#: twips of an A4 page body less a repeated heading) may break across pages.  A form
#: starts on a new page, and its rows above the goal texts take about 4500 twips: a
#: row of goal texts up to GOALS_SPLIT_ABOVE is kept whole, with the indicator heading
#: and the first indicator group, on the first page; a taller one would leave a large
#: blank and may break.
LINE_HEIGHT = 273
GOALS_SPLIT_ABOVE = 4800
SPLIT_ABOVE = 9000

LABEL_STYLE = "PDTable"
VALUE_STYLE = "PDTable"
TEXT_STYLE = "PDTableLeft"
HEAD_STYLE = "PDTableHead"

#: XML 1.0 forbids these characters; the model refuses them in files, this is a last guard.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def pattern(template: Template, setting: str, **values) -> str:
    """A variant.toml pattern filled with ``values`` (fixed data, never project text as source)."""
    pattern = getattr(template.variant, setting)
    try:
        return string.Formatter().vformat(pattern, (), values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        usable = "、".join("{" + k + "}" for k in values) or "无"
        raise TemplateError(
            f"版式 {template.folder.name} 的 {setting}“{pattern}”有误（可用 {usable}）：{exc}"
        ) from None


# -- cells --------------------------------------------------------------------------

_WIDE = re.compile("[\u2010-\u2bff\u2e80-\U0010ffff]")

#: Half-width characters where the reader has no 宋体: LibreOffice and Word then print
#: Latin letters and figures in a font such as DejaVu Sans, whose digits are 0.64 em
#: (134 twips at 10.5 pt) where 宋体's are 0.5 em; punctuation is thinner, ``%`` and
#: ``=`` are broader.  Used for the values, which must print whole on any machine.
_THIN = re.compile(r"[ .,:;'()\[\]/\\|!\-]")
_BROAD = re.compile("[%=+<>@#&~mwMW]")


def width_estimate(text: str, *, fallback: bool = False) -> int:
    """Printed width in twips at 10.5 pt: full-width characters 210, others 105.

    Curly quotes, ≥, □ and CJK are full width in 宋体.  An estimate, used to
    choose where a label breaks and whether a row is tall.  ``fallback``
    measures half-width characters in the wider fallback font (see _THIN).
    """
    wide = len(_WIDE.findall(text))
    if not fallback:
        return 105 * (len(text) + wide)
    thin, broad = len(_THIN.findall(text)), len(_BROAD.findall(text))
    return 210 * wide + 82 * thin + 200 * broad + 134 * (len(text) - wide - thin - broad)


def line_count(text: str, width: int, *, fallback: bool = False) -> int:
    """Estimated number of printed lines of ``text`` in a cell ``width`` twips wide."""
    room = max(width - CELL_MARGINS, 210)
    return sum(max(1, -(-width_estimate(line, fallback=fallback) // room)) for line in text.split("\n"))


def fit(text: str, width: int, *, fallback: bool = False) -> str:
    """A short label or heading that does not fit on one line, broken at its bracket.

    ``项目资金（万元）`` → ``项目资金`` / ``（万元）``; ``年度（/项目）指标值`` →
    ``年度（/项目）`` / ``指标值``; anything else is left to the word processor.
    """
    room = width - CELL_MARGINS
    if "\n" in text or width_estimate(text, fallback=fallback) <= room:
        return text
    close = max(text.find("）"), text.find(")"))
    if 0 < close < len(text) - 1 and width_estimate(text[: close + 1], fallback=fallback) <= room:
        return text[: close + 1] + "\n" + text[close + 1:]
    for bracket in ("（", "("):
        at = text.find(bracket)
        if at > 0:
            return text[:at] + "\n" + text[at:]
    return text


def cell_para(text: str, style: str = VALUE_STYLE, *, keep_next: bool = False) -> str:
    return para(clean(text), style=style, keep_next=keep_next)


def paragraphs(parts: list[str], style: str = TEXT_STYLE, *, keep_next: bool = False) -> str:
    """A long text (split_paragraphs) as several paragraphs in one cell; one empty paragraph if none."""
    if not parts:
        return para("", style=style, keep_next=keep_next)
    return "".join(para(p, style=style, keep_next=keep_next) for p in parts)


@dataclass(frozen=True)
class Cell:
    left: int   # edge, twips from the left of the table
    right: int
    xml: str    # paragraphs
    vmerge: str | None = None


def cells(edges: tuple[int, ...], contents: list[str], vmerge: dict[int, str] | None = None) -> list[Cell]:
    """Cells between consecutive ``edges``, one per content."""
    assert len(edges) == len(contents) + 1, (edges, contents)
    vmerge = vmerge or {}
    return [Cell(edges[i], edges[i + 1], contents[i], vmerge.get(i)) for i in range(len(contents))]


def grid_table(rows: list[tuple[list[Cell], dict]], *, no_border: tuple[str, ...] = ()) -> str:
    """A table whose grid is the union of the edges of its rows (``no_border``: see docxml.table)."""
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
    return table(grid, out, no_border=no_border)


def form_table_before_indicators(rows: list[tuple[list[Cell], dict]], goals_kept: bool) -> list[str]:
    """The form table (ending with the row of the goal texts) and the paragraph after it.

    The form table and the indicator table meet at one rule: the indicator table's top,
    which its heading needs where it repeats on a new page.  So the form table draws no
    bottom rule, and its last row, kept whole (``goals_kept``), stays on the page of the
    indicator heading (w:keepNext on its paragraphs and on the spacer): no page ends on
    the open foot of the form table.  A row of goal texts too tall to be kept whole may
    break across pages, and a row cut at the foot of a page shows its own bottom border:
    then the form table keeps its bottom rule, and the 0.1 pt spacer lays the two rules
    on one another.
    """
    return [grid_table(rows, no_border=("bottom",) if goals_kept else ()), spacer(keep_next=goals_kept)]


def keep_whole(lines: int, limit: int = SPLIT_ABOVE) -> bool:
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


# -- values printed whole ---------------------------------------------------------------

#: A run that no line may break: figures, operators, Latin letters, and a bracket
#: group with what it holds (``≥8000.00(人次)``, ``>=95%``).  A line may break
#: between two CJK characters outside brackets, so a free phrase is not one run.
_UNBROKEN = re.compile("(?:[(（][^)）\\s]*[)）]|[^\\s(（）)\u2e80-\u9fff\uf900-\ufaff])+")


def value_width(texts, most: int | None = None) -> int:
    """The width (twips, cell margins included) of a column that prints each unbreakable
    run of ``texts`` on one line, in the fallback font.  A run that would need more than
    ``most`` counts as broken before its bracket (fit_value): ``≥100000.00`` / ``(人次)``."""
    def need(run: str) -> int:
        return width_estimate(run, fallback=True) + CELL_MARGINS

    widths = [CELL_MARGINS]
    for text in texts:
        for run in _UNBROKEN.findall(text):
            width = need(run)
            if most is not None and width > most:
                width = max(need(part) for part in fit(run, most, fallback=True).split("\n"))
            widths.append(width)
    return max(widths)


def spare(widths: tuple[int, ...], donors: list[tuple[int, int]]) -> int:
    """The room ``donors`` ([(index, least width)]) can give to other columns."""
    return sum(max(0, widths[i] - least) for i, least in donors)


def fit_value(text: str, width: int) -> str:
    """A value as printed in a column ``width`` twips wide: a run too wide for it is
    broken before its bracket (``≥100000.00`` / ``(人次)``), never inside its figures."""
    room = width - CELL_MARGINS
    return _UNBROKEN.sub(
        lambda m: m[0] if width_estimate(m[0], fallback=True) <= room else fit(m[0], width, fallback=True), text,
    )


def widen(widths: tuple[int, ...], wants: dict[int, int], donors: list[tuple[int, int]]) -> list[int]:
    """Column widths where the columns of ``wants`` ({index: width}) grow to the width
    they want, taking room from ``donors`` ([(index, least width)], first donor first);
    when the donors cannot give it all, each column gets a share of what they can give
    in proportion to what it asked.  The total width does not change."""
    out = list(widths)
    asked = {i: max(0, want - out[i]) for i, want in sorted(wants.items())}
    needed = sum(asked.values())
    room = min(needed, spare(widths, donors))
    if not room:
        return out
    given = 0
    for n, (i, ask) in enumerate(asked.items()):
        share = room - given if n == len(asked) - 1 else ask * room // needed
        out[i] += share
        given += share
    for i, least in donors:
        take = min(room, max(0, out[i] - least))
        out[i] -= take
        room -= take
    return out


# -- page breaking --------------------------------------------------------------------

#: A 二级 group whose rows are estimated at most this tall (a quarter of an A4 page
#: body) is kept on one page; a taller one keeps together the rows that hold its name.
KEEP_GROUP_BELOW = 3500


def row_height(lines: int) -> int:
    """Estimated height (twips) of an indicator row of ``lines`` printed lines."""
    return max(INDICATOR_ROW_HEIGHT, lines * LINE_HEIGHT)


def group_keeps(heights: list[int], runs: list[tuple[int, int]], name_heights: dict[int, int]) -> tuple[list[bool], set[int]]:
    """Which indicator rows stay on the page of the row after them, and which 二级 groups
    print their name at the top of the cell.

    ``heights`` are the rows' estimated heights, ``runs`` the 二级 groups (first, length),
    ``name_heights`` the height of each group's name by its first row.  A group's merged
    cell must never carry its name across a page break: a short group is kept on one page
    (its name centred, as on the real forms); a tall one prints its name at the top and
    keeps together as many of its first rows as the name needs.
    """
    keep = [False] * len(heights)
    top: set[int] = set()
    for first, length in runs:
        end = first + length - 1
        if sum(heights[first:end + 1]) > KEEP_GROUP_BELOW:
            top.add(first)
            covered, end_kept = heights[first], first
            while covered < name_heights.get(first, 0) and end_kept < end:
                end_kept += 1
                covered += heights[end_kept]
            end = end_kept
        for i in range(first, end):
            keep[i] = True
    return keep, top
