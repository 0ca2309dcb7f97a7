"""Reading one 财政项目支出绩效自评表 (forms.md §4) back into ``[evaluation]`` data.

As the declaration reader does, by labels: 项目名称, 主管部门, 实施单位; the funding block
by its column heads (年初预算数 全年预算数 全年执行数 分值 执行率(%) 得分, from
render/selfeval.py) and its row labels (年度资金总额： 其中：当年财政拨款 上年结转资金 其他资金),
in the unit of its label (``项目资金（万元）``); 预期目标 and 实际完成情况; the indicator rows by
their heads (一级指标 … 偏差原因分析及改进措施); 总分 and 评分等级.  Amounts are exact
Decimals in 元, weights and scores Decimals as printed; a value that cannot be read is
left out and listed in ``unread`` with its text and place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from ..model.numbers import PLAIN_NUMBER
from ..render.selfeval import FUNDING_HEADS, INDICATOR_HEADS, SELFEVAL_TITLE
from . import labels as L
from .formrows import Place, Row, Unread, cell_at, clean_text, find_heading, flat, form_rows, indicator_rows, value_of
from .grid import Cell, Table

__all__ = ["Unread", "Place", "SelfEvalRead", "is_selfeval", "is_selfeval_indicators", "read_selfeval"]

_NEEDED = ("level1", "level2", "name", "actual")
_GRADES = ("优", "良", "中", "差")

#: Funding column heads (render/selfeval.FUNDING_HEADS) → what each holds.
_FUNDING_ROLES = dict(zip((L.split_label(h)[0] for h in FUNDING_HEADS),
                          ("initial", "adjusted", "executed", "weight", "rate", "score")))
#: Indicator heads past the declaration's (render/selfeval.INDICATOR_HEADS, then 偏差原因…).
_EXTRA_HEADS = dict(zip((L.norm(h) for h in INDICATOR_HEADS[4:]), ("actual", "weight", "score")))


@dataclass
class SelfEvalRead:
    name: str                  # 项目名称
    evaluation: dict           # [evaluation]: "outcome", "funding" {total/appropriation/carryover/other:
                               #   {initial, adjusted, executed} Decimal in 元}, "total", "grade"
    indicators: list[dict]     # [{"level1","level2","name","target","weight","actual","score","deviation"}]
    unread: list[Unread]
    year: int | None
    title: str = ""
    authority: str | None = None
    implementer: str | None = None
    expected: str | None = None    # 预期目标 (the project's goals.annual)
    unit: str = ""                 # "元" / "万元" of the funding label; "" when none printed
    budget: dict = field(default_factory=dict)    # the 年度资金总额 row's 分值, 执行率, 得分 as printed (Decimal)
    printed: dict[str, str] = field(default_factory=dict)  # "evaluation.funding.total.initial" → "417.32"
    # where each key was read: "evaluation.funding.total.initial", "evaluation.total", "evaluation.outcome",
    # "indicators[3].actual" (N: the index in ``indicators``), "indicators[3]" for its row, "indicators"
    # for the heading row, "evaluation.funding" for the funding heads' row, "" for the form
    places: dict[str, Place] = field(default_factory=dict)


def _head(text: str) -> str | None:
    """Roles of the indicator table's heads."""
    core = L.split_label(text)[0]
    if core in _EXTRA_HEADS or core in ("实际值", "完成值", "实际完成指标值"):
        return _EXTRA_HEADS.get(core, "actual")
    if core in ("权重", "分值(权重)"):
        return "weight"
    if core.startswith("偏差原因"):
        return "deviation"
    return L.indicator_head(text)


def _goal_head(text: str) -> str | None:
    core = L.split_label(text)[0]
    if core in ("预期目标", "年度预期目标", "预期"):
        return "expected"
    if core in ("实际完成情况", "实际完成", "完成情况"):
        return "outcome"
    return None


def _row_kind(text: str) -> str | None:
    kind = L.funding_kind(text)
    return {"annual": "total", "total": "total", "appropriation": "appropriation", "fiscal": "appropriation",
            "carryover": "carryover", "other": "other"}.get(kind or "")


def _is_label(text: str) -> bool:
    return bool(L.form_key(text) or L.funding_kind(text) or _goal_head(text) or L.goal_heading(text)
                or L.split_label(text)[0] in _FUNDING_ROLES or _head(text) or L.norm(text) in ("总分", "评分等级"))


def _marks(table: Table) -> set[str]:
    return {L.split_label(c.text)[0] for row in table.rows for c in row if not c.continued and len(c.text) <= 40}


def is_selfeval(table: Table) -> bool:
    """A table that starts a 自评表: 项目名称 and 全年执行数 or 实际完成值."""
    marks = _marks(table)
    return "项目名称" in marks and bool(marks & {"全年执行数", "实际完成值", "年初预算数"})


def is_selfeval_indicators(table: Table) -> bool:
    """A 自评表's indicator table without its head (perfdoc writes it as a table of its own)."""
    marks = _marks(table)
    return "项目名称" not in marks and {"一级指标", "三级指标", "实际完成值"} <= marks


def _number(text: str) -> tuple[Decimal | None, bool]:
    """(value, blank) of a printed weight, score or rate: ``5.00``, ``99.68``, ``99.68%``; ``-`` is blank."""
    shown = unicodedata.normalize("NFKC", text or "").strip()
    if shown in ("", "-", "—", "/", "－"):
        return None, True
    shown = re.sub(r"\s+", "", shown).rstrip("%分")
    if PLAIN_NUMBER.fullmatch(shown) and len(shown) <= 20:
        return Decimal(shown), False
    return None, False


class _Reader:
    def __init__(self, tables: list[Table], heading: Sequence[str]):
        self.rows = form_rows(tables)
        self.heading = [h for h in heading if h.strip()]
        self.unread: list[Unread] = []
        self.head: dict[str, str] = {}
        self.goals: dict[str, str] = {}
        self.evaluation: dict = {}
        self.budget: dict = {}
        self.printed: dict[str, str] = {}
        self.unit: str | None = None
        self.places: dict[str, Place] = {}
        if tables:
            self.places[""] = Place(f"第 {tables[0].index + 1} 个表格", tables[0].element)

    def miss(self, key: str, cell: Cell, row: Row) -> None:
        self.unread.append(Unread(key, cell.text, row.where))
        self.places.setdefault(key, row.place(cell))

    def form(self, end: int) -> None:
        """The rows above the indicator heading: each label takes its value cell (a cell taken as
        a value is never read as a label); the funding rows under the funding heads."""
        columns: dict[str, int] = {}
        heads_row = None
        taken: set[int] = set()
        rows = self.rows[:end]
        for r, row in enumerate(rows):
            for j, c in enumerate(row.cells):
                if c.continued or not c.text.strip() or id(c) in taken:
                    continue
                core, unit = L.split_label(c.text)[:2]
                if unit and (L.funding_kind(c.text) == "block" or self.unit is None):
                    self.unit = unit
                if core in _FUNDING_ROLES:
                    columns[_FUNDING_ROLES[core]] = c.col
                    heads_row = r if heads_row is None else heads_row
                    self.places.setdefault("evaluation.funding", row.place())
                    continue
                key, goal = L.form_key(c.text), _goal_head(c.text)
                if goal:
                    found = self._goal_text(rows, r, j)
                elif key in ("name", "authority", "implementer"):
                    found = value_of(rows, r, j, lambda text: bool(L.form_key(text)))
                else:
                    continue
                if found is None:
                    continue
                taken.add(id(found[0]))
                if goal:
                    self.goals.setdefault(goal, clean_text(found[0]))
                    self.places.setdefault("evaluation.outcome" if goal == "outcome" else "goals.annual",
                                           found[1].place(found[0]))
                elif found[0].text.strip():
                    self.head.setdefault(key, found[0].text.strip())
        for row in rows[heads_row + 1:] if heads_row is not None else []:
            for c in row.own:
                kind = _row_kind(c.text) if c.text.strip() and id(c) not in taken else None
                if kind:
                    self.funding_row(kind, row, columns)
                    break

    @staticmethod
    def _goal_text(rows: list[Row], r: int, j: int) -> tuple[Cell, Row] | None:
        """Under 预期目标 when its row also holds 实际完成情况 (perfdoc's layout), else as any label."""
        label = rows[r].cells[j]
        both = {_goal_head(c.text) for c in rows[r].own if c.text.strip()} >= {"expected", "outcome"}
        if both and r + 1 < len(rows) and rows[r + 1].table is rows[r].table:
            below = next((c for c in rows[r + 1].cells if c.col == label.col and not c.continued), None)
            return (below, rows[r + 1]) if below is not None else None
        return value_of(rows, r, j, _is_label)

    def funding_row(self, kind: str, row: Row, columns: dict[str, int]) -> None:
        values: dict[str, Decimal] = {}
        self.places.setdefault(f"evaluation.funding.{kind}", row.place())
        for role, col in columns.items():
            cell = cell_at(row, col)
            if cell is None or cell.continued:
                continue
            key = f"evaluation.funding.{kind}.{role}"
            if role in ("initial", "adjusted", "executed"):
                amount = L.read_amount(cell.text, self.unit)
                if amount.yuan is not None:
                    values[role] = amount.yuan
                    self.printed[key] = cell.text.strip()
                    self.places.setdefault(key, row.place(cell))
                elif not amount.blank:
                    self.miss(key, cell, row)
            elif kind == "total":
                number, blank = _number(cell.text)
                if number is not None:
                    self.budget[role] = number
                elif not blank:
                    self.miss(key, cell, row)
        if values:
            self.evaluation.setdefault("funding", {}).setdefault(kind, values)

    def indicators(self, start: int) -> list[dict]:
        found, odd = indicator_rows(self.rows, start, _head, _NEEDED, stop=_totals)
        out: list[dict] = []
        self.places["indicators"] = self.rows[start].place()
        for cells, row in found:
            n = len(out)
            self.places[f"indicators[{n}]"] = row.place()
            for role, cell in cells.items():
                self.places[f"indicators[{n}].{role}"] = row.place(cell)
            item: dict = {"level1": flat(cells["level1"].text), "level2": flat(cells["level2"].text),
                          "name": cells["name"].text.strip()}
            for role in ("target", "actual"):
                if role in cells and cells[role].text.strip():
                    item[role] = L.one_line_value(cells[role].text)
            for role in ("weight", "score"):
                if role in cells:
                    number, blank = _number(cells[role].text)
                    if number is not None:
                        item[role] = number
                    elif not blank:
                        self.miss(f"indicators[{n}].{role}", cells[role], row)
            if "deviation" in cells and cells["deviation"].text.strip():
                item["deviation"] = clean_text(cells["deviation"])
            out.append(item)
        for row in odd:
            self.unread.append(Unread(f"indicators[{len(out)}]", " | ".join(c.text for c in row.own), row.where))
            self.places.setdefault(f"indicators[{len(out)}]", row.place())
        heading = self.rows[start]
        score_col = next((c.col for c in heading.own if _head(c.text) == "score"), None)
        self.totals(start, score_col)
        return out

    def totals(self, start: int, score_col: int | None) -> None:
        for row in self.rows[start:]:
            own = row.own
            if not own:
                continue
            label = L.norm(own[0].text)
            if label == "总分":
                cell = cell_at(row, score_col) if score_col is not None else None
                if cell is None or cell is own[0]:
                    filled = [c for c in own[1:] if c.text.strip()]
                    cell = filled[-1] if filled else None
                if cell is not None:
                    number, blank = _number(cell.text)
                    if number is not None:
                        self.evaluation["total"] = number
                        self.places["evaluation.total"] = row.place(cell)
                    elif not blank:
                        self.miss("evaluation.total", cell, row)
            elif label == "评分等级" and len(own) > 1 and own[1].text.strip():
                grade = own[1].text.strip()
                if grade in _GRADES:
                    self.evaluation["grade"] = grade
                    self.places["evaluation.grade"] = row.place(own[1])
                else:
                    self.miss("evaluation.grade", own[1], row)


def _totals(row: Row) -> bool:
    return bool(row.own) and L.norm(row.own[0].text) in ("总分", "评分等级")


def read_selfeval(tables: list[Table], *, label: str, heading: Sequence[str] = ()) -> SelfEvalRead:
    """Read the table(s) of ONE 自评表 (perfdoc writes two: the form and its indicator table).

    ``heading``: the texts of the paragraphs just before it (title, year line) when the caller has
    them.  ``label`` names the document (for the caller's messages)."""
    reader = _Reader(list(tables), heading)
    start = find_heading(reader.rows, _head, _NEEDED)
    reader.form(len(reader.rows) if start is None else start)
    indicators = reader.indicators(start) if start is not None else []
    if "outcome" in reader.goals:
        reader.evaluation["outcome"] = reader.goals["outcome"]
    title, year = "", None
    texts = list(reader.heading) + [r.own[0].text for r in reader.rows[:2] if len(r.own) == 1]
    for text in texts:  # the last title and year line before the form are its own
        if L.is_title(text, L.norm(SELFEVAL_TITLE), "自评表"):
            title = text.strip()
        year = L.year_of(text) or year
    return SelfEvalRead(
        name=reader.head.get("name", ""), evaluation=reader.evaluation, indicators=indicators,
        unread=reader.unread, year=year, title=title, authority=reader.head.get("authority"),
        implementer=reader.head.get("implementer"), expected=reader.goals.get("expected"),
        unit=reader.unit or "", budget=reader.budget, printed=reader.printed, places=reader.places,
    )
