"""Rows of a form's tables, and what the form readers (declaration.py, selfeval.py) do alike:
say where a row is, find the value a label introduces, read the indicator rows under their
heading row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .grid import Cell, Table

__all__ = ["Unread", "Place", "Row", "form_rows", "cell_at", "value_of", "find_heading", "indicator_rows",
           "title_rows", "clean_text", "flat"]


@dataclass
class Unread:
    key: str    # TOML path in the project file: "funding.annual", "indicators[3].target"
    text: str   # what the document holds there, verbatim
    where: str  # in Chinese: "第 2 个表格第 5 行"


@dataclass(frozen=True)
class Place:
    """Where a value was read: for review comments anchored at it."""

    where: str      # in Chinese: "第 2 个表格第 5 行"
    element: object  # the w:tc of the cell, the w:tr of a row or the w:tbl of a form (None when unknown)
    text: str = ""  # what the document shows there


@dataclass
class Row:
    table: Table
    index: int          # 0-based row in its table
    cells: list[Cell]

    @property
    def where(self) -> str:
        return f"第 {self.table.index + 1} 个表格第 {self.index + 1} 行"

    @property
    def element(self):
        """The w:tr of the row (None when the table was made without its elements)."""
        trs = self.table.row_elements
        return trs[self.index] if self.index < len(trs) else None

    def place(self, cell: Cell | None = None) -> Place:
        """The place of ``cell`` in this row, or of the whole row."""
        if cell is not None:
            return Place(self.where, cell.element, cell.text)
        return Place(self.where, self.element, " | ".join(c.text for c in self.own))

    @property
    def own(self) -> list[Cell]:
        """The cells that are not the continuation of a cell above."""
        return [c for c in self.cells if not c.continued]

    @property
    def empty(self) -> bool:
        return not any(c.text.strip() for c in self.own)


def form_rows(tables: list[Table]) -> list[Row]:
    return [Row(t, i, cells) for t in tables for i, cells in enumerate(t.rows)]


def flat(text: str) -> str:
    """A short label-like value (一级/二级指标) on one line: its line breaks and ends removed."""
    return "".join(part.strip() for part in text.split("\n"))


def clean_text(cell: Cell) -> str:
    """A long text (goals, 实际完成情况) as the cell holds it: its paragraphs joined by "\\n",
    empty paragraphs at either end left out; each paragraph kept character for character."""
    paragraphs = list(cell.paragraphs)
    while paragraphs and not paragraphs[0].strip():
        paragraphs.pop(0)
    while paragraphs and not paragraphs[-1].strip():
        paragraphs.pop()
    return "\n".join(p.rstrip() for p in paragraphs)


def cell_at(row: Row, col: int) -> Cell | None:
    """The cell of ``row`` covering grid column ``col``."""
    for c in row.cells:
        if c.col <= col < c.col + c.span:
            return c
    return None


def value_of(rows: list[Row], r: int, j: int, is_label: Callable[[str], bool]) -> tuple[Cell, Row] | None:
    """The value cell of the label ``rows[r].cells[j]``: the next cell to its right when that is
    no label; else (or when it is empty in a row of headings over a row of values) the cell
    under the label, in the next row at the same column, when that is no label."""
    row = rows[r]
    label = row.cells[j]
    below_row = rows[r + 1] if r + 1 < len(rows) and rows[r + 1].table is row.table else None
    below = None
    if below_row is not None:
        below = next((c for c in below_row.cells if c.col == label.col and not c.continued
                      and not is_label(c.text)), None)
    if j + 1 < len(row.cells):
        right = row.cells[j + 1]
        if not right.continued and not is_label(right.text):
            if right.text.strip() or below is None or not _headings_over_values(row, below_row, is_label):
                return right, row
    return (below, below_row) if below is not None else None


def _headings_over_values(row: Row, below: Row, is_label: Callable[[str], bool]) -> bool:
    """``row`` holds only labels (and empty cells) and ``below`` no label at all."""
    return (all(is_label(c.text) for c in row.own if c.text.strip())
            and not any(is_label(c.text) for c in below.own if c.text.strip()))


def find_heading(rows: list[Row], head_of: Callable[[str], str | None], needed: tuple[str, ...]) -> int | None:
    """The index of the first row whose headings (``head_of``) include all of ``needed``."""
    for i, row in enumerate(rows):
        roles = {head_of(c.text) for c in row.own if c.text.strip()}
        if all(n in roles for n in needed):
            return i
    return None


def _columns(row: Row, head_of: Callable[[str], str | None]) -> dict[str, tuple[int, int]]:
    """role → (grid column, ordinal of the cell in its row) of a heading row."""
    out: dict[str, tuple[int, int]] = {}
    for k, c in enumerate(row.cells):
        role = head_of(c.text) if not c.continued else None
        if role and role not in out:
            out[role] = (c.col, k)
    return out


def title_rows(row: Row) -> bool:
    """A row of one cell across the table (a title, a year line, a note)."""
    return len(row.own) == 1 and len(row.cells) == 1


_NOTES = ("备注", "说明", "填表说明", "填报说明", "填报人", "审核人", "联系人", "联系电话", "填报日期")


def _note(row: Row) -> bool:
    """A row of remarks under a form (备注, 填表说明：…, 填报人 …): no indicator, nothing to read."""
    first = "".join(row.own[0].text.split()) if row.own else ""
    return first in _NOTES or first.startswith(tuple(n + c for n in _NOTES + ("注",) for c in ":："))


def indicator_rows(rows: list[Row], start: int, head_of: Callable[[str], str | None], needed: tuple[str, ...],
                   stop: Callable[[Row], bool] = lambda row: False
                   ) -> tuple[list[tuple[dict[str, Cell], Row]], list[Row]]:
    """The indicator rows after the heading ``rows[start]``: for each, its cells by role; and the
    rows with text that fit no column (a cell across two roles' columns).  A repeated heading row
    is skipped; a table without a heading row that follows goes by the cells' order when it has
    as many cells as the heading; ``stop`` ends the block (总分 on a 自评表)."""
    heading = rows[start]
    columns = _columns(heading, head_of)
    width = len(heading.cells)
    out: list[tuple[dict[str, Cell], Row]] = []
    odd: list[Row] = []
    table = heading.table
    for row in rows[start + 1:]:
        if stop(row):
            break
        if find_heading([row], head_of, needed) is not None:
            columns, width, table = _columns(row, head_of), len(row.cells), row.table
            continue
        if row.empty or _note(row):
            continue
        cells: dict[str, Cell] = {}
        if row.table is table:
            for role, (col, _) in columns.items():
                c = cell_at(row, col)
                if c is not None:
                    cells[role] = c
        elif len(row.cells) == width:  # a table of its own, without heading
            cells = {role: row.cells[k] for role, (_, k) in columns.items()}
        owners = [id(c) for c in cells.values()]
        if not cells or len(set(owners)) < len(owners) or any(not cells.get(n) for n in needed if n != "target"):
            if any(c.text.strip() for c in row.own):
                odd.append(row)
            continue
        out.append((cells, row))
    return out, odd
