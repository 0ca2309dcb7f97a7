"""The findings of ``perfdoc check`` on received documents, each with the place it concerns.

The documents of a group are assembled into project files exactly as ``perfdoc import``
writes them (its assembler and TOML writer), loaded from that text by perfdoc's loader and
checked by :func:`perfdoc.check.check_departments`.  A problem carries the line and column
of the generated text; the rule that reported it is run again on the same project to learn
the key path behind that line (a load problem's path comes from the model's validation),
and the path is looked up among the places the readers recorded (:mod:`.places`).

Findings about a part that was not received (the 经费说明 of a 申报表 reviewed alone) do not
apply to the documents and are counted apart, never commented.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import tomli
from pydantic import ValidationError

from ..check import check_departments, in_file_order, profile_of, rule_by_code
from ..check.base import Context
from ..importer.assemble import collect_projects
from ..importer.department import department_data, header_of, name_files
from ..importer.writer import department_text, key_path
from ..load.loader import load_bytes, project_key
from ..load.messages import field_label, validation_message
from ..model import Department, DepartmentFolder, Problem, Project, ProjectFile, Severity
from ..read.narrative import heading_index
from ..read.summary import known_templates
from ..render.template import find_template
from .advice import advice_for, rule_name
from .places import Anchor, ProjectPlaces, first_anchor, paragraph_anchor
from .sources import Received, ReviewFailure

__all__ = ["Finding", "GroupReview", "review_group"]

_LINE = re.compile(r"第 (\d+) 行")
_SECTION = re.compile(r"“([^”]{2,16})”一节")
_QUOTE = re.compile(r"“([^“”]{2,80})”")


@dataclass
class Finding:
    """One finding of check, with where it is commented (one place, or two for a fault between two)."""

    code: str
    name: str
    severity: Severity
    message: str
    project: str  # 项目名称; "" for the department (the 汇总表's title)
    anchors: list[Anchor]
    advice: str

    @property
    def label(self) -> str:
        return self.severity.label


@dataclass
class GroupReview:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[tuple[str, Problem]] = field(default_factory=list)  # (项目名称, problem): part not received
    projects: list[str] = field(default_factory=list)
    without_narrative: list[tuple[str, Received]] = field(default_factory=list)  # (项目名称, its 申报表's document)
    declared: list[tuple[str, Received]] = field(default_factory=list)  # (项目名称, its 申报表's document)
    # what the documents hold but belongs to no project reviewed (a second, different 申报表 of the same
    # name, text outside every form …): (document's label, where, text, why), as perfdoc import lists it
    not_reviewed: list[tuple[str, str, str, str]] = field(default_factory=list)


def _templates():
    found = known_templates()
    by_name = {t.folder.name: t for t in found}
    default = by_name.get("shanghai") or find_template(None)
    return by_name, default


def _project_file(project):
    """The text perfdoc import writes for ``project``."""
    from .. import importer

    return importer.project_file_text(project)


@dataclass
class _Loaded:
    dep: DepartmentFolder
    problems: list[Problem]
    files: dict[Path, tuple]  # virtual path → (ProjectImport or None, SourceFile, model class)


def _load(docs: list[Received]):
    """The group as perfdoc import would write it, loaded from that text (nothing is written)."""
    templates, default = _templates()
    parts = [d.parts for d in docs]
    collected = collect_projects(parts, templates=templates, default=default)
    if not collected.projects:
        raise ReviewFailure(f"{docs[0].label}：其中没有可以审核的申报表")
    projects = collected.projects
    name_files(projects)
    header = header_of(parts)
    problems: list[Problem] = []
    files: dict[Path, tuple] = {}
    source = model = None
    dep_path = Path("department.toml")
    if header is not None:
        data, _, trailing = department_data(parts, projects)
        text = department_text(data, trailing=trailing)
        source, model = load_bytes(dep_path, text.encode("utf-8"), Department, problems)
        if source is not None:
            files[dep_path] = (None, source, Department)
    dep = DepartmentFolder(Path("."), source if model is not None else None, model)
    for project in projects:
        text, _, _ = _project_file(project)
        path = Path(f"{project.stem}.toml")
        psource, pmodel = load_bytes(path, text.encode("utf-8"), Project, problems)
        if psource is not None:
            files[path] = (project, psource, Project)
        if pmodel is not None:
            dep.projects.append(ProjectFile(project_key(path), psource, pmodel, dep))
    return _Loaded(dep, problems, files), projects, header, collected.notes


def _rule_paths(loaded: _Loaded, problems: list[Problem]) -> dict[tuple, tuple]:
    """(file, code, line, col, message) → key path, by running each reporting rule again."""
    out: dict[tuple, tuple] = {}
    dep = loaded.dep
    wanted: dict[Path, set[str]] = {}
    for p in problems:
        wanted.setdefault(Path(p.file), set()).add(p.code)
    profile = profile_of(dep)
    def place(source, check) -> None:
        """Each finding of the rules that reported in ``source``, by where it was reported."""
        for code in wanted.get(Path(source.path), ()):
            try:
                rule = rule_by_code(code)()
            except KeyError:
                continue
            for f in check(rule):
                line, col = source.locate(f.path, value=f.value)
                out.setdefault((Path(source.path), code, line, col, f.message), tuple(f.path))

    for pf in dep.projects:
        ctx = Context(pf, dep if dep.model is not None else None, profile)
        place(pf.source, lambda rule: rule.check(ctx))
    if dep.model is not None and dep.source is not None:
        place(dep.source, lambda rule: rule.check_department(dep))
    return out


def _load_paths(loaded: _Loaded) -> dict[tuple, tuple]:
    """The same for the loader's problems: the model's validation errors, placed as the loader places them."""
    out: dict[tuple, tuple] = {}
    for path, (_, source, model_cls) in loaded.files.items():
        try:
            data = tomli.loads(source.text, parse_float=Decimal)
            model_cls.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                kind, message = validation_message(model_cls, error)
                loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
                line, col = source.locate(loc, value=kind != "missing")
                out.setdefault((path, "PD003" if kind == "missing" else "PD002", line, col, message), loc)
        except (tomli.TOMLDecodeError, ValueError, ArithmeticError, RecursionError):
            continue
    return out


def _at_line(source, line: int, col: int | None = None) -> tuple | None:
    """The longest key path recorded at ``line`` (and ``col``, when given)."""
    found = [path for path, (ln, key_col, value_col) in source.positions.keys.items()
             if ln == line and (col is None or col in (key_col, value_col))]
    return max(found, key=len) if found else None


def _department_anchor(docs: list[Received], header, path: tuple) -> Anchor:
    for doc in docs:
        if doc.parts.header is header and header is not None:
            where = header.sentence_where if path[-1:] == ("budget_units",) and header.sentence_where else header.where
            found = paragraph_anchor(doc, where)
            if found is not None:
                return found
    return first_anchor(docs[0])


def _rewrite_lines(message: str, source, places: ProjectPlaces | None) -> str:
    """``（第一次出现在第 76 行）``: a line of the generated text becomes the place in the document."""
    def place(m: re.Match) -> str:
        path = _at_line(source, int(m[1]))
        anchor = places.anchor(path) if path is not None and places is not None else None
        return anchor.where if anchor is not None else m[0]

    return _LINE.sub(place, message)


def _related(code: str, message: str) -> tuple | None:
    """The second place of a fault found between two (the 经费说明's amount against the form's)."""
    if code == "PD104":
        return ("funding", "total") if "申报表的项目资金总额" in message else ("funding", "annual")
    if code == "PD106" and "申报表的年度资金申请总额" in message:
        return ("funding", "annual")
    return None


def review_group(docs: list[Received]) -> GroupReview:
    """Check the projects of ``docs`` and place every finding in them."""
    loaded, projects, header, notes = _load(docs)
    problems = list(loaded.problems) + check_departments([loaded.dep])
    paths = _rule_paths(loaded, problems)
    paths.update(_load_paths(loaded))
    places = {f"{p.stem}.toml": ProjectPlaces(p, docs) for p in projects}
    result = GroupReview(projects=[p.name for p in projects])
    result.not_reviewed = [(n.file, n.where, n.text, n.reason.removesuffix("，未导入").removesuffix("未导入"))
                           for n in notes]
    replaced: set[tuple] = set()
    for p in projects:
        _unread_findings(p, places[f"{p.stem}.toml"], result, replaced)
    for p in projects:
        place = places[f"{p.stem}.toml"]
        if place.declaration is not None:
            result.declared.append((p.name, place.declaration[0]))
            if not place.has_narrative():
                result.without_narrative.append((p.name, place.declaration[0]))
    for problem in in_file_order(problems):
        file = Path(problem.file)
        entry = loaded.files.get(file)
        project, source = (entry[0], entry[1]) if entry else (None, None)
        key = (file, problem.code, problem.line, problem.col, problem.message)
        path = paths.get(key)
        if path is None and source is not None:
            path = _at_line(source, problem.line, problem.col) or ()
        path = tuple(path or ())
        if project is not None and problem.code == "PD003" and (project.stem, path) in replaced:
            continue  # the value is in the document, unreadable: said above at its cell
        where = places.get(file.name) if project is not None else None
        message = _rewrite_lines(problem.message, source, where) if source is not None else problem.message
        name = problem.name or rule_name(problem.code)
        advice = advice_for(problem.code)
        if project is None:  # department.toml: the 汇总表's title and sentence
            anchors = [_department_anchor(docs, header, path)]
            result.findings.append(Finding(problem.code, name, problem.severity, message, "", anchors, advice))
            continue
        unread = _unread_section(problem, where)
        if unread is not None:
            result.not_reviewed.append(unread)
            continue
        anchor = _anchor(problem, path, where)
        if anchor is None:
            result.skipped.append((project.name, problem))
            continue
        anchors = [anchor]
        other = _related(problem.code, problem.message)
        second = where.anchor(other) if other is not None else None
        if problem.code == "PD205" and header is not None:  # the form's year against the 汇总表's title
            second = _department_anchor(docs, header, ("department", "year"))
            message = message.replace("（department.toml）", "（汇总表标题）")
        if second is not None and second.start is not anchor.start:
            anchors.append(second)
        result.findings.append(Finding(problem.code, name, problem.severity, message, project.name, anchors, advice))
    return result


#: Keys of the forms (not the 经费说明's free text) whose unreadable value is a finding.
_FORM_KEYS = ("project", "funding", "goals", "indicators", "evaluation")


def _unreadable(project, text: str, path: tuple) -> str:
    """The loader's message for the value as the document prints it (PD002), else a plain one."""
    data = copy.deepcopy(project.data)
    node = data
    try:
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = text
        Project.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if tuple(error["loc"])[:len(path)] == path:
                return validation_message(Project, error)[1]
    except (KeyError, IndexError, TypeError):
        pass
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 60 else shown[:60] + "…"
    return f"{field_label(Project, path)}：表上的“{shown}”无法识别（没有勾选、勾选了多处，或与别处的同一项不一致），未能检查"


def _unread_findings(project, places: ProjectPlaces, result: GroupReview, replaced: set[tuple]) -> None:
    """A value of the forms the readers could not read is a finding (PD002) at its cell; it replaces
    the loader's PD003 for the same key (the value is there, but not usable)."""
    for m in project.missing:
        if m.reason != "无法识别" or not m.key:
            continue
        path = key_path(m.key)
        if path[:1] not in [(k,) for k in _FORM_KEYS] or not isinstance(path[-1], str):
            continue
        anchor = places.anchor(path)
        if anchor is None:
            continue
        message = _unreadable(project, m.text, path)
        replaced.add((project.stem, path))
        result.findings.append(Finding("PD002", rule_name("PD002"), Severity.ERROR, message, project.name, [anchor],
                                       advice_for("PD002")))


_SECTION_KEYS = ("overview", "basis", "implementer", "plan", "period", "budget", "goals")


def _unread_section(problem: Problem, places: ProjectPlaces) -> tuple[str, str, str, str] | None:
    """An "empty" section of the 经费说明 whose text the reader could not take in (a 项目概述 that is
    not the layout's sentence): not a fault of the document, but not checked either."""
    if problem.code != "PD503" or places.narrative is None:
        return None
    m = _SECTION.search(problem.message)
    index = heading_index(m[1]) if m else None
    paras = places.narrative.sections.get(index) if index is not None else None
    key = f"narrative.{_SECTION_KEYS[index]}" if index is not None else ""
    unread = any(u.reason == "无法识别" and (u.key == key or u.key.startswith(key + "."))
                 for u in places.project.missing)
    if not paras or not unread:
        return None
    heading = places.narrative.headings[index]
    return (places.narrative.doc.label, heading.where, paras[0].text,
            f"“{m[1]}”一节的文字未能读入（不是版式的固定句子），没有检查")


def _anchor(problem: Problem, path: tuple, places: ProjectPlaces) -> Anchor | None:
    if problem.code == "PD301":
        path = ("indicators",)  # a missing 一级: the indicator table's heading row
    if problem.code == "PD503" and path[:1] == ("narrative",):
        if not places.has_narrative():
            return None
        m = _SECTION.search(problem.message)
        index = heading_index(m[1]) if m else None
        if index is not None:
            return places.section(index)
    quote = ""
    if path[:1] == ("narrative",):
        m = _QUOTE.search(problem.message)
        quote = m[1] if m else ""
    return places.anchor(path, quote)
