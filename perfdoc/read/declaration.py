"""Reading one 财政项目支出绩效目标申报表 (forms.md §1) back into project-file data.

The form is read by its labels, not by positions: a label (``项目名称``, ``计划开始日期``,
``其中：当年财政拨款`` …, compared as labels.norm does) introduces the cell to its right,
or the cell under it when the cell to its right is another label.  So perfdoc's own
layouts (shanghai, huacao-2022, songjiang-2022: the labels come from render/declaration.py
and the templates' variant.toml) and other arrangements of the same form read alike: one
table or two, labels in either width of punctuation, 一级/二级 merged or repeated, rows added
or left out.  The funding labels 财政资金 and 其他资金 belong to the total or to the year
by the heading (项目资金总额 / 年度资金申请总额) above them in their column, else before them.

Exact, or says where it is not: amounts are exact Decimals in 元 (from 万元 when the label
says so), dates must be dates, 项目性质 one of the three natures, check boxes must have one
box ticked; a value that cannot be read is left out of ``data`` and listed in ``unread``
with its text and its place.  Texts are kept as printed; an indicator's value
(年度指标值) is kept exactly as printed (``≥8000.00(人)`` on the shanghai layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..model import NATURES
from . import labels as L
from .formrows import Place, Row, Unread, clean_text, find_heading, flat, form_rows, indicator_rows, value_of
from .grid import Cell, Table

__all__ = ["Unread", "Place", "DeclarationRead", "is_declaration", "is_indicator_table", "read_declaration"]

_NEEDED = ("level1", "level2", "name")


@dataclass
class DeclarationRead:
    data: dict            # project-file shaped; amounts Decimal in 元, dates datetime.date
    unread: list[Unread]
    unit: str             # "元" or "万元" as printed on the form; "" when it prints none
    layout: str | None    # "shanghai" | "huacao-2022" | "songjiang-2022" | None (foreign)
    number: int | None    # 填报表N
    year: int | None      # from （2026年度）
    title: str
    printed: dict[str, str] = field(default_factory=dict)  # "funding.total" → "4,483,000.00"
    # where each key was read (the keys of ``data`` and of ``unread``, as "funding.total",
    # "indicators[3].target", "indicators[3]" for its row, "indicators" for the heading row,
    # "goals.period" for the 项目总目标 heading, "funding" for the 项目资金 label, "" for the form)
    places: dict[str, Place] = field(default_factory=dict)


def _is_label(text: str) -> bool:
    return bool(L.form_key(text) or L.funding_kind(text) or L.goal_heading(text) or L.indicator_head(text))


def _keys(table: Table) -> set[str]:
    found = set()
    for row in table.rows:
        for c in row:
            if c.continued or not c.text.strip() or len(c.text) > 40:
                continue
            found.add(L.form_key(c.text) or L.funding_kind(c.text) or "")
            found.add("head:" + (L.indicator_head(c.text) or ""))
            found.add(L.norm(c.text))
    return found


_SELFEVAL_MARKS = {"全年执行数", "实际完成值", "年初预算数", "实际完成情况"}


def is_declaration(table: Table) -> bool:
    """A table that starts a 申报表: 项目名称, 主管部门 / 实施单位 / a plan date, and a funding
    label or the indicator heading; nothing of a 自评表 (全年执行数, 实际完成值).  (A 汇总表's
    index of projects has 项目名称 and 年度资金申请总额 but none of the second kind.)"""
    keys = _keys(table)
    if keys & _SELFEVAL_MARKS:
        return False
    return ("name" in keys and bool(keys & {"authority", "implementer", "start", "end", "period"})
            and bool(keys & {"total", "annual", "block", "head:level1", "start", "end", "period"}))


def is_indicator_table(table: Table) -> bool:
    """A table holding a form's indicators without its head (perfdoc writes the indicator block
    as a table of its own): the indicator heading and no 项目名称."""
    keys = _keys(table)
    return ({"head:level1", "head:level2", "head:name"} <= keys and "name" not in keys
            and not keys & _SELFEVAL_MARKS)


class _Reader:
    def __init__(self, tables: list[Table], heading: Sequence[str]):
        self.rows = form_rows(tables)
        self.heading = [h for h in heading if h.strip()]
        self.data: dict = {"project": {}, "funding": {}, "goals": {}, "indicators": []}
        self.unread: list[Unread] = []
        self.printed: dict[str, str] = {}
        self.features: dict[str, object] = {}
        self.places: dict[str, Place] = {}
        if tables:
            first = tables[0]
            self.places[""] = Place(f"第 {first.index + 1} 个表格", first.element)

    # -- recording --------------------------------------------------------------------------------
    def put(self, section: str, key: str, value, cell: Cell, row: Row) -> None:
        table = self.data[section]
        if key in table and table[key] != value:
            self.unread.append(Unread(f"{section}.{key}", cell.text, row.where))
            return
        table[key] = value
        self.places.setdefault(f"{section}.{key}", row.place(cell))

    def miss(self, key: str, cell: Cell, row: Row) -> None:
        self.unread.append(Unread(key, cell.text, row.where))
        self.places.setdefault(key, row.place(cell))

    # -- the head of the form -----------------------------------------------------------------
    def title_and_year(self) -> tuple[str, int | None, int | None]:
        texts = list(self.heading)
        for row in self.rows:  # a title or year line typed into the table's first rows
            if len(row.own) == 1 and not _is_label(row.own[0].text):
                texts.append(row.own[0].text)
            elif row.own:
                break
        title, year, number = "", None, None
        for text in texts:  # the last title and year line before the form are its own
            if L.is_title(text, "申报表", "填报表", "目标表"):
                title, number = text.strip(), None
                for v in L.layouts().values():
                    number = number or L.title_number(text, v.declaration_title)
            year = L.year_of(text) or year
        return title, year, number

    def head(self, end: int) -> None:
        """The rows above the indicator heading, in reading order: each label takes its value
        cell, and a cell taken as a value is never read as a label (a 年度总体目标 reading
        ``年度目标``, a 项目类别 reading ``其他``)."""
        taken: set[int] = set()
        funding: list[tuple[int, int, str, str | None, tuple[Cell, Row] | None]] = []
        rows = self.rows[:end]
        for r, row in enumerate(rows):
            for j, c in enumerate(row.cells):
                if c.continued or not c.text.strip() or id(c) in taken:
                    continue
                key, kind, goal = L.form_key(c.text), L.funding_kind(c.text), L.goal_heading(c.text)
                unit = L.split_label(c.text)[1]
                if unit and (kind == "block" or "unit" not in self.features):
                    self.features["unit"] = unit
                found = None
                if kind:
                    if kind == "block":
                        self.features["funding_label"] = L.norm(c.text)
                        self.places.setdefault("funding", row.place(c))
                    else:
                        found = value_of(rows, r, j, _is_label)
                        funding.append((r, j, kind, unit, found))
                elif key in ("goals", "indicators"):
                    continue
                elif key:
                    found = self.head_value(rows, r, j, key)
                elif goal:
                    found = self.goal(rows, r, j, goal)
                if found is not None:
                    taken.add(id(found[0]))
        if "unit" not in self.features:
            for text in self.heading:
                unit = L.split_label(text)[1] if "单位" in L.norm(text) else None
                if unit:
                    self.features["unit"] = unit
        self.funding(funding)

    def head_value(self, rows: list[Row], r: int, j: int, key: str) -> tuple[Cell, Row] | None:
        if key == "nature":
            self.features["nature"] = True
        found = value_of(rows, r, j, lambda text: bool(L.form_key(text)))
        if found is None:
            return None
        cell, row = found
        text = cell.text.strip()
        if not text:
            return found
        if key in ("start", "end"):
            date = L.read_date(text)
            if date is None:
                self.miss(f"project.{key}", cell, row)
            else:
                self.put("project", key, date, cell, row)
        elif key == "period":
            dates = L.read_period(text)
            if dates is None:
                self.miss("project.start", cell, row)
            else:
                self.put("project", "start", dates[0], cell, row)
                self.put("project", "end", dates[1], cell, row)
        elif key in ("nature", "category"):
            value, readable = L.read_choice(text)
            if key == "category" and L.has_marks(text):
                self.features["checkboxes"] = tuple(o for o, _ in L.choice_options(text) or ())
            if not readable or value is None or (key == "nature" and value not in NATURES):
                self.miss(f"project.{key}", cell, row)
            else:
                self.put("project", key, value, cell, row)
        else:
            self.put("project", key, cell.text.strip(), cell, row)
        return found

    def goal(self, rows: list[Row], r: int, j: int, which: str) -> tuple[Cell, Row] | None:
        """A goal heading's text: under it when the row holds both headings (perfdoc's layout),
        else beside it (or under it, as any label)."""
        label = rows[r].cells[j]
        self.features[f"goal_{which}"] = L.norm(label.text)
        if which == "overall":
            period = L.goal_period(label.text)
            if period:
                self.data["goals"]["period"] = list(period)
                self.places.setdefault("goals.period", rows[r].place(label))
        others = {L.goal_heading(c.text) for c in rows[r].own if c is not label and c.text.strip()}
        found = None
        if others & {"overall", "annual"} - {which} and r + 1 < len(rows) and rows[r + 1].table is rows[r].table:
            below = next((c for c in rows[r + 1].cells if c.col == label.col and not c.continued), None)
            found = (below, rows[r + 1]) if below is not None else None
        else:
            found = value_of(rows, r, j, _is_label)
        if found is not None:
            self.put("goals", which, clean_text(found[0]), found[0], found[1])
        return found

    def funding(self, labels: list[tuple[int, int, str, str | None, tuple[Cell, Row] | None]]) -> None:
        heads = [(r, self.rows[r].cells[j].col, kind) for r, j, kind, _, _ in labels if kind in ("total", "annual")]
        form_unit = self.features.get("unit")
        for r, j, kind, own_unit, found in labels:
            if found is None:
                continue
            cell, row = found
            label = self.rows[r].cells[j]
            if kind in ("fiscal", "other"):
                group = _group(heads, r, label.col)
                if group is None:
                    if cell.text.strip():
                        self.miss("funding", cell, row)
                    continue
                key = {"fiscal": {"total": "total_fiscal", "annual": "annual_appropriation"},
                       "other": {"total": "total_other", "annual": "annual_other"}}[kind][group]
            else:
                key = {"total": "total", "annual": "annual", "appropriation": "annual_appropriation",
                       "carryover": "annual_carryover"}[kind]
            amount = L.read_amount(cell.text, own_unit or form_unit)
            if amount.blank:
                continue
            if amount.yuan is None:
                self.miss(f"funding.{key}", cell, row)
                continue
            self.put("funding", key, amount.yuan, cell, row)
            self.printed.setdefault(f"funding.{key}", cell.text.strip())

    # -- indicators -------------------------------------------------------------------------------
    def indicators(self, start: int) -> None:
        heading = self.rows[start]
        for c in heading.own:
            if L.indicator_head(c.text) == "target":
                self.features["value_heading"] = L.norm(c.text)
        found, odd = indicator_rows(self.rows, start, L.indicator_head, _NEEDED)
        self.places["indicators"] = heading.place()
        for cells, row in found:
            n = len(self.data["indicators"])
            self.places[f"indicators[{n}]"] = row.place()
            for role, cell in cells.items():
                self.places[f"indicators[{n}].{role}"] = row.place(cell)
            item = {
                "level1": flat(cells["level1"].text),
                "level2": flat(cells["level2"].text),
                "name": cells["name"].text.strip(),
            }
            if "target" in cells:
                item["target"] = L.one_line_value(cells["target"].text)
            self.data["indicators"].append(item)
        n = len(self.data["indicators"])
        for row in odd:
            self.unread.append(Unread(f"indicators[{n}]", " | ".join(c.text for c in row.own), row.where))
            self.places.setdefault(f"indicators[{n}]", row.place())

    # -- layout -----------------------------------------------------------------------------------
    def layout(self, title: str, number: int | None) -> str | None:
        f = self.features
        matches = []
        for name, v in L.layouts().items():
            base = L.norm(title)
            if number is not None:
                base = base[: len(base) - len(str(number))]
            if title and base != L.norm(v.declaration_title):
                continue
            if number is not None and not v.numbered_title:
                continue
            if bool(f.get("nature")) != v.show_nature:
                continue
            boxes = f.get("checkboxes")
            if (boxes is not None) != (v.category_style == "checkboxes"):
                continue
            if boxes is not None and not set(v.checkbox_options) <= set(boxes):
                continue  # the template's options are all printed (an unknown category is added)
            if f.get("goal_annual", L.norm(v.annual_goal_heading)) != L.norm(v.annual_goal_heading):
                continue
            if f.get("value_heading", L.norm(v.indicator_value_heading)) != L.norm(v.indicator_value_heading):
                continue
            matches.append(name)
        return matches[0] if len(matches) == 1 else None


def _group(heads: list[tuple[int, int, str]], r: int, col: int) -> str | None:
    """Whose part a 财政资金 / 其他资金 label is: the total's or the year's (see the module doc)."""
    above = [h for h in heads if h[1] == col and h[0] <= r]
    if above:
        return max(above)[2]
    before = [h for h in heads if (h[0], h[1]) < (r, col)]
    return max(before)[2] if before else None


def read_declaration(tables: list[Table], *, label: str, heading: Sequence[str] = ()) -> DeclarationRead:
    """Read the table(s) of ONE form (perfdoc writes two: the form and its indicator table).

    ``heading``: the texts of the paragraphs just before the form (its title and year line),
    when the caller has them.  ``label`` names the document (for the caller's messages).
    """
    reader = _Reader(list(tables), heading)
    start = find_heading(reader.rows, L.indicator_head, _NEEDED)
    reader.head(len(reader.rows) if start is None else start)
    if start is not None:
        reader.indicators(start)
    title, year, number = reader.title_and_year()
    if year is not None:
        reader.data["project"]["year"] = year
        period = reader.data["goals"].get("period")
        if period == [year, year]:
            del reader.data["goals"]["period"]
    unit = reader.features.get("unit") or ""
    return DeclarationRead(
        data=reader.data, unread=reader.unread, unit=str(unit), layout=reader.layout(title, number),
        number=number, year=year, title=title, printed=reader.printed, places=reader.places,
    )
