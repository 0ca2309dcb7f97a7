"""The Word 变更报告 for a reviewer: what changed between two department folders.

The report opens with a title, the two folders, the summary table (项目个数
and 年度资金申请总额 OLD → NEW, then one row per project with its 年度资金
and status) and the unchanged projects by name.  Then every added, removed,
renamed or changed project follows from a new page: a heading, one line on
what changed, and NEW's 经费说明 and 申报表 in the official layout (NEW
department's template) with real tracked changes against OLD
(:mod:`perfdoc.diff.tracked`): accepting every change in Word or WPS gives
exactly the documents ``perfdoc build`` writes for NEW, rejecting every change
those of OLD (rendered with the same template).  An added project is all
inserted, a removed one all deleted.

Only what the diff calls a change is a revision: a plain roll-over (the year,
plan dates and periods moved to NEW's year, see :mod:`perfdoc.diff.changes`)
prints as NEW's text (:mod:`perfdoc.diff.rolled`), so rejecting every change
gives OLD rolled over to NEW's year.  Amounts in the report's own text (the
summary table, the change lines) are written as the Shanghai forms write them,
with thousands separators and two decimals (``1,650,000.00``, a change as
``+80,000.00``), in the unit of NEW's forms.

Build XML once, parse once: the whole body is appended with one docxml.append.
"""

from __future__ import annotations

from decimal import Decimal

from docx.document import Document

from ..model import DepartmentFolder, Money, ProjectFile
from ..render.declaration import declaration_xml
from ..render.document import new_document
from ..render.docxml import Run, append, cell, para, row, table
from ..render.narrative import narrative_xml
from ..render.template import Template, find_template
from .changes import STATUS_LABELS, DepartmentDiff, FieldChange, ProjectDiff
from .rolled import as_compared
from .tracked import Revisions, by_indicator, by_position, track_changes

__all__ = ["build_report", "report_template", "REPORT_TITLE", "part_heading"]

REPORT_TITLE = "项目绩效文档变更报告"

#: Columns of the summary table: label · 原 · 新 · 变化 (the text width of A4 with 2.3 cm margins).
_GRID = (2698, 1800, 1800, 3000)
_NOTE = (
    "说明：以下每个有变化的项目从新的一页开始，按新版式排出经费说明和申报表，与原文件相比的改动标为修订"
    "（插入、删除），可在 Word 或 WPS 的“审阅”中逐条查看、接受或拒绝：全部接受即为新文件，全部拒绝即为原文件。"
)
_ROLLOVER_NOTE = (
    "单纯的年度顺延（预算年度、计划日期、项目总目标年度，以及只把年份顺延的文字）不算改动，已按新年度排出、"
    "不标修订；因此全部拒绝得到的是顺延到新年度的原文件。"
)
_INDICATOR_KINDS = (("added", "新增"), ("removed", "删除"), ("moved", "移动"), ("target", "指标值改动"))


def report_template(diff: DepartmentDiff) -> Template:
    """NEW department's template (raises TemplateError with a Chinese message)."""
    dep = diff.new
    return find_template(dep.model.layout.template if dep.model else None, dep.path)


def _unit(dep: DepartmentFolder, template: Template) -> str:
    if dep.model is not None and dep.model.layout.unit:
        return dep.model.layout.unit
    return template.variant.unit


def _numbers(dep: DepartmentFolder) -> dict[str, int]:
    """Each project's number in its department (as ``perfdoc build`` numbers the forms)."""
    return {p.key: i for i, p in enumerate(dep.ordered_projects(), start=1)}


def _amount(amount: Money, unit: str) -> str:
    """``1,650,000.00`` (元) or ``165.00`` (万元)."""
    return amount.format(unit)


def _signed(delta: Decimal, unit: str) -> str:
    """A change of an amount in 元, written in ``unit``: ``+80,000.00``, ``-1,000.00``."""
    sign = "+" if delta > 0 else "-"
    return sign + Money(abs(delta)).format(unit)


def _folder_line(prefix: str, label: str, dep: DepartmentFolder, count: int) -> str:
    year = f"{dep.year}年度，" if dep.year is not None else ""
    return f"{prefix}：{label or dep.path}（{dep.name}，{year}{count} 个项目）"


def _status_text(p: ProjectDiff) -> str:
    label = STATUS_LABELS.get(p.status, p.status)
    if p.status == "renamed" and p.pair.old is not None and p.pair.new is not None:
        return f"{label}（文件 {p.pair.old.key}.toml → {p.pair.new.key}.toml）"
    return label


def _rolled_over(p: ProjectDiff) -> bool:
    """Whether the project is in both folders with different budget years."""
    old, new = p.pair.old, p.pair.new
    return old is not None and new is not None and old.model.project.year != new.model.project.year


def _counts_text(diff: DepartmentDiff) -> str:
    counts = diff.counts
    parts = [f"{STATUS_LABELS[s]} {n}" for s, n in counts.items() if n]
    return "、".join(parts) if parts else "—"


def _summary_table(diff: DepartmentDiff, unit: str) -> str:
    g = _GRID

    def cells(texts: list[str], style: str = "PDTable", first: str = "PDTableLeft") -> list[str]:
        return [cell(para(t, style=first if i == 0 else style), w) for i, (t, w) in enumerate(zip(texts, g))]

    delta, percent = diff.total_delta, diff.total_percent
    change = _signed(delta, unit) if delta else "不变"
    if delta and percent is not None:
        change += f"（{'+' if percent > 0 else ''}{percent}%）"
    rows = [
        row(cells(["", "原", "新", "变化"], "PDTableHead", "PDTableHead"), header=True),
        row(cells(["项目个数", str(diff.old_count), str(diff.new_count), _counts_text(diff)])),
        row(cells([f"年度资金申请总额（{unit}）", _amount(diff.old_total, unit), _amount(diff.new_total, unit),
                   change])),
        row(cells(["项目名称", f"原年度资金（{unit}）", f"新年度资金（{unit}）", "状态"], "PDTableHead", "PDTableHead")),
    ]
    for p in diff.projects:
        old = _amount(p.old_annual, unit) if p.old_annual is not None else "—"
        new = _amount(p.new_annual, unit) if p.new_annual is not None else "—"
        rows.append(row(cells([p.name, old, new, _status_text(p)])))
    return table(list(g), rows)


def _value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（空）"
    if value is None or value == "":
        return "（空）"
    return str(value)


def _field_text(change: FieldChange, unit: str) -> str:
    if change.kind == "money":
        return (f"{change.label} {_amount(change.old, unit)} → {_amount(change.new, unit)}"
                f"（{_signed(change.delta, unit)}）")
    if change.kind == "text":
        return change.label
    return f"{change.label} {_value(change.old)} → {_value(change.new)}"


def _change_line(p: ProjectDiff, unit: str, revisions: int) -> str:
    if p.status == "added":
        return "新增的项目：以下经费说明和申报表全文为插入的修订。"
    if p.status == "removed":
        return "删除的项目：以下为原项目的经费说明和申报表，全文为删除的修订。"
    parts = [_field_text(c, unit) for c in p.fields]
    kinds = [f"{label} {n} 条" for kind, label in _INDICATOR_KINDS
             if (n := sum(1 for c in p.indicators if c.kind == kind))]
    if kinds:
        parts.append("三级指标" + "、".join(kinds))
    if p.status == "renamed":
        parts.insert(0, f"项目文件由 {p.pair.old.key}.toml 改名为 {p.pair.new.key}.toml")
    line = "改动：" + ("；".join(parts) if parts else "无") + "。"
    if not revisions:
        line += "这些改动不影响经费说明和申报表的文字。"
    return line


def part_heading(number: int, p: ProjectDiff) -> str:
    """The heading of a project's part of the report: ``2. 业务培训（修改）``."""
    return f"{number}. {p.name}（{STATUS_LABELS.get(p.status, p.status)}）"


def _render(project: ProjectFile | None, template: Template, number: int | None) -> tuple[list[str], list[str]] | None:
    if project is None:
        return None
    return (
        narrative_xml(project, template, number=number),
        declaration_xml(project, template, number=number, page_break_before=True),
    )


def _project_part(p: ProjectDiff, number: int, template: Template, unit: str, rev: Revisions,
                  old_numbers: dict[str, int], new_numbers: dict[str, int]) -> list[str]:
    old, new = as_compared(p), p.pair.new
    old_xml = _render(old, template, old_numbers.get(old.key) if old else None)
    new_xml = _render(new, template, new_numbers.get(new.key) if new else None)
    before = rev.count
    narrative = track_changes(old_xml[0] if old_xml else None, new_xml[0] if new_xml else None, rev)
    declaration = track_changes(old_xml[1] if old_xml else None, new_xml[1] if new_xml else None, rev,
                                row_keys=(by_position, by_indicator))
    return [
        para(Run(part_heading(number, p), bold=True), style="PDHeading", keep_next=True, page_break_before=True),
        para(_change_line(p, unit, rev.count - before), style="PDBody"),
        narrative,
        declaration,
    ]


def build_report(diff: DepartmentDiff) -> Document:
    """The 变更报告 as a python-docx Document (save with render.document.to_bytes).

    Raises TemplateError (message in Chinese) when NEW's template cannot be used.
    """
    template = report_template(diff)
    unit = _unit(diff.new, template)
    document = new_document(template.reference)
    parts = [
        para(REPORT_TITLE, style="PDSummaryTitle"),
        para(_folder_line("原", diff.old_label, diff.old, diff.old_count), style="PDBody", align="left"),
        para(_folder_line("新", diff.new_label, diff.new, diff.new_count), style="PDBody", align="left"),
        _summary_table(diff, unit),
    ]
    if diff.fields:
        parts.append(para("单位设置（department.toml）的改动：" + "；".join(
            _field_text(c, unit) for c in diff.fields) + "。", style="PDBody"))
    unchanged = [p.name for p in diff.projects if p.status == "unchanged"]
    if unchanged:
        parts.append(para(f"未变的项目（{len(unchanged)} 个）：{'、'.join(unchanged)}。", style="PDBody"))
    changed = [p for p in diff.projects if p.status != "unchanged"]
    if changed:
        parts.append(para(_NOTE + (_ROLLOVER_NOTE if any(_rolled_over(p) for p in changed) else ""),
                          style="PDBody"))
    else:
        parts.append(para("各项目的内容都没有变化。", style="PDBody"))
    rev = Revisions()
    old_numbers, new_numbers = _numbers(diff.old), _numbers(diff.new)
    for number, p in enumerate(changed, start=1):
        parts += _project_part(p, number, template, unit, rev, old_numbers, new_numbers)
    append(document, *parts)
    return document
