"""Building bordered form tables: column edges, cells spanning grid columns, label
fitting, row heights and page breaking, indicator groups.  Shared by the forms
(申报表, 自评表, the 汇总表's index tables); each form module keeps its own layout.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from ..model import Indicator
from .docxml import cell, para, row, table
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
#: row (about 9 lines) and any other row (about 33 lines, well short of the 13958
#: twips of an A4 page body less a repeated heading) may break across pages.
LINE_HEIGHT = 273
GOALS_SPLIT_ABOVE = 2400
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


def width_estimate(text: str) -> int:
    """Printed width in twips at 10.5 pt: full-width characters 210, others 105.

    Curly quotes, ≥, □ and CJK are full width in 宋体.  An estimate, used to
    choose where a label breaks and whether a row is tall.
    """
    return 105 * (len(text) + len(_WIDE.findall(text)))


def line_count(text: str, width: int) -> int:
    """Estimated number of printed lines of ``text`` in a cell ``width`` twips wide."""
    room = max(width - CELL_MARGINS, 210)
    return sum(max(1, -(-width_estimate(line) // room)) for line in text.split("\n"))


def fit(text: str, width: int) -> str:
    """A short label or heading that does not fit on one line, broken at its bracket.

    ``项目资金（万元）`` → ``项目资金`` / ``（万元）``; ``年度（/项目）指标值`` →
    ``年度（/项目）`` / ``指标值``; anything else is left to the word processor.
    """
    room = width - CELL_MARGINS
    if "\n" in text or width_estimate(text) <= room:
        return text
    close = max(text.find("）"), text.find(")"))
    if 0 < close < len(text) - 1 and width_estimate(text[: close + 1]) <= room:
        return text[: close + 1] + "\n" + text[close + 1:]
    for bracket in ("（", "("):
        at = text.find(bracket)
        if at > 0:
            return text[:at] + "\n" + text[at:]
    return text


def cell_para(text: str, style: str = VALUE_STYLE, *, keep_next: bool = False) -> str:
    return para(clean(text), style=style, keep_next=keep_next)


def paragraphs(parts: list[str], style: str = TEXT_STYLE) -> str:
    """A long text (split_paragraphs) as several paragraphs in one cell; one empty paragraph if none."""
    if not parts:
        return para("", style=style)
    return "".join(para(p, style=style) for p in parts)


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


def grid_table(rows: list[tuple[list[Cell], dict]]) -> str:
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
