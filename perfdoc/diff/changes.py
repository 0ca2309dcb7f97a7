"""What changed between two department folders: the diff model and its computation.

Every change is reported exactly once:

* projects added, removed, renamed (a renamed file whose content also changed is
  "renamed" and lists its changes), changed or unchanged (pairs from
  :func:`perfdoc.diff.match.match_projects`);
* every funding amount that changed, compared as :class:`Money` (1020000 and
  "1,020,000.00" are equal), with the change in 元 and in %;
* indicators matched by (一级, 二级, 三级 name), names compared without
  whitespace: added, removed, moved to another group (one change, not removed
  plus added), target changed by meaning (:meth:`Target.same_meaning`);
* texts as a character-level diff (:mod:`perfdoc.diff.textdiff`), compared
  paragraph by paragraph as they are printed, so re-wrapping a line is no change;
* dates and other values as "value" changes.

A plain roll-over is no change: between two different years, the year fields,
plan dates moved by exactly the difference in years, ``goals.period`` moved by
the same amount (or kept, for a multi-year project) and texts whose only change
is every year moved by that amount ("从2022年1月至2022年12月" →
"从2023年1月至2023年12月").  ``[evaluation]`` and an indicator's weight, actual
value, score and deviation are not compared: another year's self-evaluation is
not a change of plan.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..model import DepartmentFolder, Indicator, Money, ProjectFile
from ..render.common import split_paragraphs
from ..render.narrative import OVERVIEW_TAIL
from .match import ProjectPair, match_projects
from .textdiff import TextSpan, text_diff

__all__ = [
    "TextSpan", "FieldChange", "IndicatorChange", "ProjectDiff", "DepartmentDiff",
    "diff_departments", "diff_projects", "STATUSES", "STATUS_LABELS", "INDICATOR_LABELS",
]

#: Project statuses in the order they are counted and printed.
STATUSES = ("added", "removed", "renamed", "changed", "unchanged")
STATUS_LABELS = {"added": "新增", "removed": "删除", "renamed": "改名", "changed": "修改", "unchanged": "未变"}
INDICATOR_LABELS = {"added": "新增", "removed": "删除", "moved": "移动", "target": "指标值"}

_PERCENT = Decimal("0.01")


@dataclass
class FieldChange:
    path: tuple  # key path, e.g. ("funding", "annual"), ("narrative", "budget", "calculation")
    label: str  # Chinese label, e.g. "年度资金申请总额", "六、年度预算安排 · 1.资金测算"
    kind: str  # "money" | "text" | "value"
    old: object
    new: object
    delta: Decimal | None = None  # money: new - old in 元
    percent: Decimal | None = None  # money: change in %, 2 decimals (None when old is 0)
    spans: list[TextSpan] | None = None  # text: the character/word-level diff


@dataclass
class IndicatorChange:
    kind: str  # "added" | "removed" | "moved" | "target"
    key: tuple  # (level1, level2, name) of NEW (or OLD for removed)
    old: Indicator | None
    new: Indicator | None
    delta: Decimal | None = None  # target number change when both quantitative with the same op and unit
    unit: str = ""

    @property
    def old_key(self) -> tuple | None:
        return _display_key(self.old) if self.old is not None else None


@dataclass
class ProjectDiff:
    pair: ProjectPair
    status: str  # "added" | "removed" | "renamed" | "changed" | "unchanged"
    fields: list[FieldChange]
    indicators: list[IndicatorChange]

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"

    @property
    def name(self) -> str:
        return self.pair.name

    @property
    def old_annual(self) -> Money | None:
        return self.pair.old.model.funding.annual if self.pair.old else None

    @property
    def new_annual(self) -> Money | None:
        return self.pair.new.model.funding.annual if self.pair.new else None


@dataclass
class DepartmentDiff:
    old: DepartmentFolder
    new: DepartmentFolder
    projects: list[ProjectDiff]
    old_count: int
    new_count: int
    old_total: Money  # 年度资金申请总额 summed
    new_total: Money
    #: department.toml changes (name, default authority, layout, order of the 汇总表, attachments)
    fields: list[FieldChange] = field(default_factory=list)
    #: how the two folders are named in reports (a git revision shows as "REV:path")
    old_label: str = ""
    new_label: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(p.changed for p in self.projects)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for p in self.projects:
            counts[p.status] += 1
        return counts

    @property
    def total_delta(self) -> Decimal:
        return self.new_total.yuan - self.old_total.yuan

    @property
    def total_percent(self) -> Decimal | None:
        return _percent(self.old_total, self.new_total)


# -- helpers ----------------------------------------------------------------------

def _percent(old: Money, new: Money) -> Decimal | None:
    if not old.yuan:
        return None
    return ((new.yuan - old.yuan) * 100 / old.yuan).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def _squash(text: str) -> str:
    return "".join(text.split())


def _canonical(text: str | None) -> str:
    """A text as it is printed: its paragraphs, one per line (re-wrapping is no change)."""
    return "\n".join(split_paragraphs(text or ""))


_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _shift_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + years), text)


def _shift_date(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def _display_key(ind: Indicator) -> tuple:
    return (ind.level1.strip(), ind.level2.strip(), ind.name.strip())


def _match_key(ind: Indicator) -> tuple:
    return (_squash(ind.level1), _squash(ind.level2), _squash(ind.name))


class _Collector:
    """Collects the field changes of one project (or of department.toml)."""

    def __init__(self, shift: int):
        self.shift = shift  # years between OLD and NEW (0: the same year)
        self.changes: list[FieldChange] = []

    def money(self, path: tuple, label: str, old: Money, new: Money) -> None:
        if old != new:
            self.changes.append(FieldChange(path, label, "money", old, new,
                                            delta=new.yuan - old.yuan, percent=_percent(old, new)))

    def text(self, path: tuple, label: str, old: str | None, new: str | None, *, paragraphs: bool = True) -> None:
        a = _canonical(old) if paragraphs else (old or "").strip()
        b = _canonical(new) if paragraphs else (new or "").strip()
        if a == b or (self.shift and _shift_years(a, self.shift) == b):
            return
        self.changes.append(FieldChange(path, label, "text", a, b, spans=text_diff(a, b)))

    def value(self, path: tuple, label: str, old: object, new: object) -> None:
        if old != new:
            self.changes.append(FieldChange(path, label, "value", old, new))


# -- projects -----------------------------------------------------------------------

_FUNDING = (
    ("total", "项目资金总额"),
    ("total_fiscal", "项目资金总额 · 财政资金"),
    ("total_other", "项目资金总额 · 其他资金"),
    ("annual", "年度资金申请总额"),
    ("annual_appropriation", "年度资金 · 当年财政拨款"),
    ("annual_carryover", "年度资金 · 上年结转资金"),
    ("annual_other", "年度资金 · 其他资金"),
)

_NARRATIVE = (
    (("subject",), "一、项目概述 · 实施主体简称"),
    (("overview",), "一、项目概述"),
    (("basis", "documents"), "二、立项依据 · 1.文件依据"),
    (("basis", "duties"), "二、立项依据 · 2.工作职能"),
    (("basis", "text"), "二、立项依据"),
    (("implementer",), "三、实施主体"),
    (("plan",), "四、实施方案"),
    (("period",), "五、实施周期"),
    (("budget", "calculation"), "六、年度预算安排 · 1.资金测算"),
    (("budget", "source"), "六、年度预算安排 · 2.资金类型"),
    (("budget", "schedule"), "六、年度预算安排 · 3.执行计划"),
    (("budget", "text"), "六、年度预算安排"),
    (("goals",), "七、绩效目标"),
)


def _narrative_value(project: ProjectFile, path: tuple) -> str | None:
    value = project.model.narrative
    for key in path:
        if value is None:
            return None
        value = getattr(value, key, None)
    return value


@functools.lru_cache(maxsize=16)
def _template(folder: str, name: str):
    from ..render.template import find_template

    return find_template(name, Path(folder))


def _printed_period(project: ProjectFile, written: str | None) -> str | None:
    """五、实施周期 as printed: the text written, else the template's sentence for the plan dates, so that
    writing out the sentence perfdoc prints anyway (an imported document) is no change."""
    from ..render.template import TemplateError

    dep = project.department
    if (written and written.strip()) or dep is None or dep.model is None:
        return written
    try:
        template = _template(str(dep.path), dep.model.layout.template)
        return template.text("period", start=project.model.project.start, end=project.model.project.end)
    except TemplateError:
        return written


def _field_changes(old: ProjectFile, new: ProjectFile, dep_shift: int) -> list[FieldChange]:
    a, b = old.model, new.model
    shift = b.project.year - a.project.year
    c = _Collector(shift)
    c.text(("project", "name"), "项目名称", a.project.name, b.project.name, paragraphs=False)
    if shift != dep_shift:  # a year that did not move with the department's
        c.value(("project", "year"), "预算年度", a.project.year, b.project.year)
    c.text(("project", "category"), "项目类别", a.project.category, b.project.category, paragraphs=False)
    c.text(("project", "nature"), "项目性质", a.project.nature, b.project.nature, paragraphs=False)
    if a.project.authority is not None or b.project.authority is not None:
        # a change of the department's default authority is reported once, for department.toml
        c.text(("project", "authority"), "主管部门", old.authority, new.authority, paragraphs=False)
    c.text(("project", "implementer"), "实施单位", a.project.implementer, b.project.implementer, paragraphs=False)
    for key, label in (("start", "计划开始日期"), ("end", "计划完成日期")):
        was, now = getattr(a.project, key), getattr(b.project, key)
        if now != _shift_date(was, shift):
            c.value(("project", key), label, was, now)
    for key, label in _FUNDING:
        c.money(("funding", key), label, getattr(a.funding, key), getattr(b.funding, key))
    was, now = tuple(a.period), tuple(b.period)
    rolled = (was[0] + shift, was[1] + shift)
    kept = shift and now == was and was[0] != was[1]
    if now != rolled and not kept:
        c.value(("goals", "period"), "项目总目标起止年度", was, now)
    c.text(("goals", "overall"), "项目总目标", a.goals.overall, b.goals.overall)
    c.text(("goals", "annual"), "年度总体目标", a.goals.annual, b.goals.annual)
    for path, label in _NARRATIVE:
        was, now = _narrative_value(old, path), _narrative_value(new, path)
        if path == ("period",) and bool((was or "").strip()) != bool((now or "").strip()):
            was, now = _printed_period(old, was), _printed_period(new, now)
        elif path == ("overview",):  # printed inside a sentence that ends it: its closing 。 is not printed
            was, now = (was or "").strip().rstrip(OVERVIEW_TAIL), (now or "").strip().rstrip(OVERVIEW_TAIL)
        c.text(("narrative",) + path, label, was, now)
    return c.changes


def _target_delta(old: Indicator, new: Indicator) -> tuple[Decimal | None, str]:
    t0, t1 = old.target, new.target
    if t0.is_quantitative and t1.is_quantitative and t0.effective_op == t1.effective_op and t0.unit == t1.unit:
        return t1.number - t0.number, t1.unit
    return None, t1.unit if t1.is_quantitative else ""


def _indicator_changes(old: list[Indicator], new: list[Indicator]) -> list[IndicatorChange]:
    """Pairs by (一级, 二级, 三级), then by the 三级 name alone (moved).

    A key may repeat (a duplicated 三级指标): an indicator is paired first with one
    that has the same target, then with the next one in order.
    """
    partner: dict[int, int] = {}  # new index -> old index
    moved: set[int] = set()
    for key_of, is_move in ((_match_key, False), (lambda ind: _squash(ind.name), True)):
        free: dict[object, list[int]] = {}
        taken = set(partner.values())
        for i, ind in enumerate(old):
            if i not in taken:
                free.setdefault(key_of(ind), []).append(i)
        for same_target in (True, False):
            for j, ind in enumerate(new):
                if j in partner:
                    continue
                slots = free.get(key_of(ind))
                if not slots:
                    continue
                pick = next((i for i in slots if old[i].target.same_meaning(ind.target)), None) \
                    if same_target else slots[0]
                if pick is None:
                    continue
                slots.remove(pick)
                partner[j] = pick
                if is_move:
                    moved.add(j)
    used = set(partner.values())
    changes: list[IndicatorChange] = []
    for j, ind in enumerate(new):
        key = _display_key(ind)
        if j not in partner:
            changes.append(IndicatorChange("added", key, None, ind,
                                           unit=ind.target.unit if ind.target.is_quantitative else ""))
            continue
        was = old[partner[j]]
        if j in moved:
            changes.append(IndicatorChange("moved", key, was, ind))
        if not was.target.same_meaning(ind.target):
            delta, unit = _target_delta(was, ind)
            changes.append(IndicatorChange("target", key, was, ind, delta=delta, unit=unit))
    for i, ind in enumerate(old):
        if i not in used:
            changes.append(IndicatorChange("removed", _display_key(ind), ind, None,
                                           unit=ind.target.unit if ind.target.is_quantitative else ""))
    return changes


def diff_projects(pair: ProjectPair, dep_shift: int | None = None) -> ProjectDiff:
    """The changes of one pair of projects (``dep_shift``: years between the two departments)."""
    if pair.old is None or pair.new is None:
        return ProjectDiff(pair, "added" if pair.old is None else "removed", [], [])
    if dep_shift is None:
        dep_shift = pair.new.model.project.year - pair.old.model.project.year
    fields = _field_changes(pair.old, pair.new, dep_shift)
    indicators = _indicator_changes(pair.old.model.indicators, pair.new.model.indicators)
    if pair.status == "renamed":
        status = "renamed"
    else:
        status = "changed" if fields or indicators else "unchanged"
    return ProjectDiff(pair, status, fields, indicators)


# -- departments --------------------------------------------------------------------

def _department_changes(old: DepartmentFolder, new: DepartmentFolder, pairs: list[ProjectPair],
                        shift: int) -> list[FieldChange]:
    c = _Collector(shift)
    a, b = old.model, new.model
    if a is not None and b is not None:
        c.text(("department", "name"), "单位名称", a.department.name, b.department.name, paragraphs=False)
        c.text(("department", "authority"), "默认主管部门", a.department.authority, b.department.authority,
               paragraphs=False)
        c.value(("department", "budget_units"), "预算单位数", a.department.budget_units, b.department.budget_units)
        c.value(("layout", "template"), "版式", a.layout.template.strip(), b.layout.template.strip())
        c.value(("layout", "unit"), "申报表金额单位", a.layout.unit, b.layout.unit)
        c.value(("attachments",), "汇总表附件", [x.strip() for x in a.attachments], [x.strip() for x in b.attachments])
    # the order of the 汇总表, among the projects in both (adding or removing one is not a reorder)
    both = [p for p in pairs if p.old is not None and p.new is not None]
    old_index = {id(p): i for i, p in enumerate(old.ordered_projects())}
    in_old_order = sorted(both, key=lambda p: old_index.get(id(p.old), 0))
    if [id(p) for p in in_old_order] != [id(p) for p in both]:
        c.value(("order",), "汇总表中的项目顺序", [p.name for p in in_old_order], [p.name for p in both])
    return c.changes


def diff_departments(old: DepartmentFolder, new: DepartmentFolder) -> DepartmentDiff:
    """Compare two department folders: OLD (an earlier year or revision) and NEW."""
    pairs = match_projects(old, new)
    if old.year is not None and new.year is not None:
        shift = new.year - old.year
    else:
        shift = None  # a lone folder without department.toml: each project's own years
    projects = [diff_projects(pair, shift) for pair in pairs]
    return DepartmentDiff(
        old=old, new=new, projects=projects,
        old_count=len(old.projects), new_count=len(new.projects),
        old_total=Money.sum(p.model.funding.annual for p in old.projects),
        new_total=Money.sum(p.model.funding.annual for p in new.projects),
        fields=_department_changes(old, new, pairs, shift or 0),
        old_label=str(old.path), new_label=str(new.path),
    )
