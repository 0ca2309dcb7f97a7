"""Assembling projects from the forms read out of the given documents.

Every 申报表 becomes a project (in document order, file after file); its 经费说明 is the one
just before it in the same document (as in a 汇总表), or else the one whose title or
项目概述 names it; a 自评表 is merged into the project of the same name as ``[evaluation]``
(weight, actual, score where it differs from the rule's, deviation on each indicator).
Amounts are written as the document prints them.  Whatever could not be read, or could not
be placed, is kept as a :class:`Missing` so that the command lists it and the file carries
a comment where the value would be.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Money
from ..model.scoring import TEN, ScoringMethod, is_satisfaction
from ..model.target import Target
from ..read.declaration import DeclarationRead, Unread, read_declaration
from ..read.narrative import NarrativeRead, read_narrative
from ..read.selfeval import SelfEvalRead, read_selfeval
from ..read.summary import DocumentParts, Header, Part
from ..render.common import money_text
from ..render.template import Template

__all__ = ["Missing", "ProjectImport", "Collected", "collect_projects", "squash"]

_FUNDING_KEYS = ("total", "total_fiscal", "total_other", "annual", "annual_appropriation", "annual_carryover",
                 "annual_other")
_ROW_KEYS = ("initial", "adjusted", "executed")


def squash(text: str | None) -> str:
    return "".join((text or "").split())


@dataclass
class Missing:
    """A value left out: ``key`` in the file (``funding.annual``), what the document holds, where."""

    key: str
    text: str
    where: str
    file: str  # the document it comes from
    reason: str = "无法识别"  # 无法识别 / 未导入 …

    @property
    def place(self) -> str:
        return f"{self.file} {self.where}" if self.where else self.file


@dataclass
class ProjectImport:
    name: str
    data: dict
    source: str  # the document its 申报表 comes from
    layout: str | None
    unit: str
    year: int | None
    missing: list[Missing] = field(default_factory=list)
    narrative_from: str | None = None
    evaluation_from: str | None = None
    stem: str = ""
    template: Template | None = None  # the recognised layout's, for amounts the document does not print
    printed: dict[str, str] = field(default_factory=dict)  # "funding.total" → "4,483,000.00"
    evaluation_unit: str = "元"
    evaluation_read: SelfEvalRead | None = None
    declaration_read: DeclarationRead | None = None
    amounts_printed: bool = False  # the amounts in data are the printed texts already
    where: str = ""  # where its 申报表 starts in its document

    def amounts_as_printed(self) -> None:
        """Turn the amounts (Decimal 元) into the text the document prints, in its unit (once)."""
        if self.amounts_printed:
            return
        self.amounts_printed = True
        funding = self.data.get("funding")
        if isinstance(funding, dict):
            out = {"unit": "万元"} if self.unit == "万元" else {}
            for key in _FUNDING_KEYS:
                if funding.get(key) is not None:
                    out[key] = _amount(funding[key], self.unit, self.printed.get(f"funding.{key}"), self.template)
            self.data["funding"] = out
        rows = (self.data.get("evaluation") or {}).get("funding")
        if isinstance(rows, dict):
            unit = self.evaluation_unit
            out = {"unit": "万元"} if unit == "万元" else {}
            for row_key, row in rows.items():
                if isinstance(row, dict):
                    out[row_key] = {k: _amount(row[k], unit, self.printed.get(f"evaluation.funding.{row_key}.{k}"),
                                               self.template) for k in _ROW_KEYS if row.get(k) is not None}
            self.data["evaluation"]["funding"] = out


@dataclass
class Collected:
    projects: list[ProjectImport] = field(default_factory=list)
    notes: list[Missing] = field(default_factory=list)  # what belongs to no project
    by_name: dict[str, ProjectImport] = field(default_factory=dict)  # squashed 项目名称 → project


def _missing(unread: list[Unread], file: str, prefix: str = "") -> list[Missing]:
    return [Missing(prefix + u.key if prefix and u.key else u.key, u.text, u.where, file) for u in unread]


def _amount(value, unit: str, printed: str | None, template: Template | None) -> str | None:
    """An amount (Decimal in 元) as the document prints it, in ``unit``."""
    if value is None:
        return None
    money = Money(Decimal(value))
    if printed:
        try:
            if Money.parse(printed.strip(), unit) == money:
                return printed.strip()
        except ValueError:
            pass
    if template is not None:
        return money_text(money, template, unit)
    return money.format(unit, separators=unit == "元", places=2)


def _declaration_project(read: DeclarationRead, part: Part, file: str, year: int | None,
                         templates: dict[str, Template]) -> ProjectImport:
    data = copy.deepcopy(read.data)
    info = data.setdefault("project", {})
    name = (info.get("name") or "").strip()
    year = info.get("year") or read.year or part.year or year
    if year is not None:
        info["year"] = year
    unit = read.unit if read.unit in ("元", "万元") else "元"
    project = ProjectImport(name, data, file, read.layout, unit, year, _missing(read.unread, file),
                            template=templates.get(read.layout or ""), printed=dict(read.printed),
                            declaration_read=read, where=part.where)
    if year is None:
        project.missing.append(Missing("project.year", "", "", file, "原文中没有年度（（2026年度）一行）"))
    return project


def _apply_narrative(project: ProjectImport, read: NarrativeRead, file: str) -> None:
    if read.data:
        project.data["narrative"] = read.data
    project.missing += _missing(read.unread, file)
    project.narrative_from = file


def _merge_selfeval(project: ProjectImport, read: SelfEvalRead, file: str, method: ScoringMethod,
                    templates: dict[str, Template]) -> None:
    """``[evaluation]`` and each indicator's weight, actual, score (when not the rule's) and deviation."""
    evaluation = copy.deepcopy(read.evaluation)
    project.evaluation_unit = read.unit if read.unit in ("元", "万元") else project.unit
    project.printed.update(read.printed)
    project.data["evaluation"] = evaluation
    project.missing += _missing(read.unread, file)
    project.evaluation_from = file
    project.evaluation_read = read
    indicators = project.data.setdefault("indicators", [])
    free: dict[tuple, list[int]] = {}
    for i, ind in enumerate(indicators):
        free.setdefault(_key(ind), []).append(i)
    for n, found in enumerate(read.indicators):
        slots = free.get(_key(found))
        if not slots:
            project.missing.append(Missing("indicators", " | ".join(
                str(found.get(k) or "") for k in ("level1", "level2", "name", "target")), found.get("where", ""), file,
                "自评表上的这条指标在申报表中没有"))
            continue
        target = indicators[slots.pop(0)]
        for key in ("weight", "actual", "deviation"):
            if found.get(key) not in (None, ""):
                target[key] = found[key]
        stated = found.get("score")
        if stated is not None and _differs(target, stated, method):
            target["score"] = stated


def _differs(indicator: dict, stated, method: ScoringMethod) -> bool:
    """The score on the form is not what the rule gives (so it must be written to keep the figure)."""
    try:
        target = Target.parse(str(indicator.get("target") or ""))
        actual = Target.parse(str(indicator["actual"])) if indicator.get("actual") not in (None, "") else None
        weight = Decimal(str(indicator["weight"])) if indicator.get("weight") is not None else None
    except (ValueError, ArithmeticError):
        return True
    probe = type("Probe", (), {"level1": indicator.get("level1", ""), "name": indicator.get("name", "")})()
    computed = method.indicator_score(target, actual, weight, is_satisfaction(probe))
    if computed is None:
        return True
    return Decimal(str(stated)).quantize(Decimal("0.01")) != Decimal(computed).quantize(Decimal("0.01"))


def _key(indicator: dict) -> tuple:
    return tuple(squash(str(indicator.get(k) or "")) for k in ("level1", "level2", "name"))


_DECLARED = ("project", "funding", "goals", "indicators")


def _declared(project: ProjectImport) -> dict:
    return {k: project.data.get(k) for k in _DECLARED}


def _add(result: Collected, project: ProjectImport, where: str) -> ProjectImport | None:
    """Add a project; the same 申报表 met again (the 汇总表 and a single form) is the one already added,
    another 申报表 of the same name is noted and left out."""
    same = result.by_name.get(squash(project.name))
    if same is None:
        result.projects.append(project)
        result.by_name[squash(project.name)] = project
        return project
    if _declared(same) == _declared(project):
        return same
    result.notes.append(Missing("", project.name, where, project.source,
                                f"与{same.source}中的同名项目内容不同（重复的申报表），未导入"))
    return None


def _attach(project: ProjectImport | None, part: Part, file: str, result: Collected, templates, default) -> None:
    """The 经费说明 just before a 申报表 in the same document."""
    if project is None:
        return
    read = _read(part, project, templates, default)
    if project.narrative_from is None:
        _apply_narrative(project, read, file)
    elif read.data != project.data.get("narrative", {}):
        result.notes.append(Missing("", part.title, part.where, file,
                                    f"与{project.narrative_from}中的经费说明内容不同（重复的经费说明），未导入"))


@dataclass
class DocumentRead:
    """What one document (or one slice of a long one) holds, before the projects of all documents meet."""

    label: str
    header: Header | None
    projects: list[ProjectImport] = field(default_factory=list)
    notes: list[Missing] = field(default_factory=list)
    loose: list[tuple[Part, str]] = field(default_factory=list)  # 经费说明 not just before their 申报表
    selfevals: list[tuple[SelfEvalRead, Part, str]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # the squashed names of the forms read (for the index table)


def read_document(doc: DocumentParts, *, templates: dict[str, Template], default: Template,
                  year: int | None = None) -> DocumentRead:
    """Read every form of one document: 申报表 with the 经费说明 just before each, 自评表 kept for later."""
    result = Collected()
    out = DocumentRead(doc.label, doc.header, notes=result.notes)
    year = doc.header.year if doc.header is not None else year
    pending: Part | None = None  # a 经费说明 waiting for the 申报表 after it
    for part in doc.parts:
        if part.kind != "narrative" and not part.tables:
            result.notes.append(Missing("", part.title, part.where, doc.label, "标题下面没有表格，未导入"))
            continue
        if part.kind == "narrative":
            if pending is not None:
                out.loose.append((pending, doc.label))
            pending = part
        elif part.kind == "declaration":
            read = read_declaration(part.tables, label=doc.label, heading=part.heading)
            project = _add(result, _declaration_project(read, part, doc.label, year, templates), part.where)
            out.seen.append(squash(read.data.get("project", {}).get("name")))
            if pending is not None:
                if pending.name is None or project is None or squash(pending.name) == squash(project.name):
                    _attach(project, pending, doc.label, result, templates, default)
                else:
                    out.loose.append((pending, doc.label))
                pending = None
        elif part.kind == "selfeval":
            if pending is not None:
                out.loose.append((pending, doc.label))
                pending = None
            out.selfevals.append((read_selfeval(part.tables, label=doc.label, heading=part.heading), part, doc.label))
            out.seen.append(squash(out.selfevals[-1][0].name))
    if pending is not None:
        out.loose.append((pending, doc.label))
    for where, text in doc.leftover:
        result.notes.append(Missing("", text, where, doc.label, "不属于任何一张表，未导入"))
    out.projects = result.projects
    return out


def _merge(result: Collected, project: ProjectImport, where: str) -> None:
    """A project read from one document into all of them (the same 申报表 in two documents counts once)."""
    kept = _add(result, project, where)
    if kept is not None and kept is not project and kept.narrative_from is None and project.narrative_from:
        kept.data["narrative"] = project.data.get("narrative", {})
        kept.narrative_from = project.narrative_from
        kept.missing += [m for m in project.missing if m.key.startswith("narrative")]


def finish(reads: list[DocumentRead], *, templates: dict[str, Template], default: Template,
           method: ScoringMethod = TEN) -> Collected:
    """The projects of all documents: duplicates once, loose 经费说明 paired by name, 自评表 merged,
    the 汇总表's index compared with the forms found."""
    result = Collected()
    seen: dict[str, list[str]] = {}
    for read in reads:
        for project in read.projects:
            _merge(result, project, project.where)
        result.notes += read.notes
        seen.setdefault(read.label, []).extend(read.seen)
    for read in reads:
        if read.header is not None:
            for name in read.header.names:
                if squash(name) not in seen.get(read.label, ()):
                    result.notes.append(Missing("", name, read.header.where, read.label,
                                                "列在汇总表的项目目录中，但文中没有找到它的表，未导入"))
    for read in reads:
        for part, file in read.loose:
            _pair_narrative(part, file, result, templates, default)
    for read in reads:
        for self_read, part, file in read.selfevals:
            match = result.by_name.get(squash(self_read.name))
            if match is None:
                result.notes.append(Missing("", self_read.name, part.where, file,
                                            "自评表没有对应的申报表（所给文件中没有同名项目），未导入"))
            elif match.evaluation_read is None:
                _merge_selfeval(match, self_read, file, method, templates)
            elif (match.evaluation_read.evaluation, match.evaluation_read.indicators) != (
                    self_read.evaluation, self_read.indicators):
                result.notes.append(Missing("", self_read.name, part.where, file,
                                            f"与{match.evaluation_from}中的自评表内容不同（重复的自评表），未导入"))
    return result


def collect_projects(docs: list[DocumentParts], *, templates: dict[str, Template], default: Template,
                     method: ScoringMethod = TEN) -> Collected:
    """Projects from every 申报表, with their 经费说明 and 自评表; notes for what found no project."""
    reads = [read_document(doc, templates=templates, default=default) for doc in docs]
    return finish(reads, templates=templates, default=default, method=method)


def _template_for(project: ProjectImport, part: Part, templates: dict[str, Template], default: Template) -> Template:
    return templates.get(project.layout or "") or part.template or default


def _read(part: Part, project: ProjectImport, templates: dict[str, Template], default: Template) -> NarrativeRead:
    return read_narrative(part.paras, template=_template_for(project, part, templates, default),
                          project=project.data, title=part.title)


def _pair_narrative(part: Part, file: str, result: Collected, templates: dict[str, Template],
                    default: Template) -> None:
    """A 经费说明 not next to its 申报表: the project its title names, else the one whose 项目概述 sentence
    (name, dates, amount) it is."""
    ordered = sorted(result.projects, key=lambda p: p.narrative_from is not None)
    if part.name is not None:
        named = next((p for p in ordered if squash(p.name) == squash(part.name)), None)
        if named is not None:
            _attach(named, part, file, result, templates, default)
            return
    for project in ordered:
        if not squash(project.name) or squash(project.name) not in "".join(squash(p.text) for p in part.paras[:4]):
            continue
        read = _read(part, project, templates, default)
        if "narrative.overview" not in {u.key for u in read.unread}:
            _attach(project, part, file, result, templates, default)
            return
    result.notes.append(Missing("", part.title or (part.paras[0].text if part.paras else ""), part.where, file,
                                "经费说明没有对应的申报表（所给文件中没有同名项目），未导入"))
