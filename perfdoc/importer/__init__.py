"""``perfdoc import``: Word documents a unit already has become a department folder.

The files are read (:mod:`.sources`), split into their forms (:mod:`perfdoc.read.summary`),
read by the form readers and assembled into projects (:mod:`.assemble`) and a department
(:mod:`.department`), written by the one canonical TOML writer (:mod:`.writer`) and put in
place all at once after the loader has read them back (:mod:`.output`).  Nothing is
guessed: a value that could not be read is left out, its file carries a comment where it
would be, and the result lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..load import DEPARTMENT_FILE, load_department
from ..model import Project
from ..model.scoring import TEN
from ..read.summary import known_templates, split_document
from ..render.template import Template, TemplateError, department_template, find_template
from ..scaffold import DEPARTMENT_SCHEMA_FILE, SCHEMA_FILE
from ..model.schema import schema_json
from .assemble import DocumentRead, Missing, ProjectImport, finish, read_document, squash
from .parallel import read_in_parallel
from .department import department_data, layout_notes, move_authority, name_files
from .output import OutputError, check_new_folder, write_into_folder, write_new_folder
from .sources import SourceError, open_source
from .writer import Comment, department_text, key_path, model_fields, project_text

__all__ = ["ImportFailure", "ImportResult", "Written", "import_documents", "project_file_text"]


class ImportFailure(Exception):
    """Nothing was written (exit code 2); ``message`` is Chinese, ``problems`` carry file:line."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class Written:
    file: str  # the file name in FOLDER
    name: str  # 项目名称 ("" for department.toml)
    missing: list[tuple[int, Missing]] = field(default_factory=list)  # (line of its comment, what)


@dataclass
class ImportResult:
    folder: Path
    into: bool
    written: list[Written] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (项目名称, existing file) with --into
    notes: list[Missing] = field(default_factory=list)  # what belongs to no file

    @property
    def missing_count(self) -> int:
        return sum(len(w.missing) for w in self.written) + len(self.notes) + len(self.skipped)


#: The document's text quoted in a comment is cut after this many characters (a paste accident may be huge).
_COMMENT_TEXT = 500


def _clip(text: str) -> str:
    return text if len(text) <= _COMMENT_TEXT else f"{text[:_COMMENT_TEXT]}…（共 {len(text)} 字）"


def _comment(m: Missing, primary: str) -> str:
    m = Missing(m.key, _clip(m.text), m.where, m.file, m.reason)
    leaf = next((p for p in reversed(key_path(m.key)) if isinstance(p, str)), m.key) if m.key else ""
    where = ("原文" if m.file == primary else f"{_name(m.file)} ") + m.where if m.where else ""
    head = f"{leaf}：" if leaf else ""
    if m.reason == "无法识别":
        return f"{head}导入时无法识别：“{m.text}”" + (f"（{where}）" if where else "")
    quoted = f"：“{m.text}”" if m.text else ""
    return f"{head}导入时{m.reason}{quoted}" + (f"（{where}）" if where else "")


def _name(label: str) -> str:
    """A document as named in the files written: its file name."""
    return Path(label).name or label


def _invalid(data: dict) -> list[tuple[tuple, str]]:
    """(key path, message) of the values the model refuses (a missing required key is not one)."""
    try:
        Project.model_validate(data)
    except ValidationError as exc:
        return [(tuple(e["loc"]), e["msg"]) for e in exc.errors(include_url=False) if e["type"] != "missing"]
    return []


def _take(data, path: tuple):
    """Remove the value at ``path`` from ``data``; return it (None when there is none)."""
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    try:
        return node.pop(path[-1]) if isinstance(node, (dict, list)) else None
    except (KeyError, IndexError, TypeError):
        return None


def _key_text(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _drop_empty(data: dict, model) -> None:
    """Leave out the empty texts of optional keys (an empty cell): the default says the same."""
    _, fields = model_fields(model)
    for key in list(data):
        if key not in fields:
            continue
        value = data[key]
        sub, many, required = fields[key]
        if isinstance(value, dict) and sub is not None:
            _drop_empty(value, sub)
        elif isinstance(value, list) and many:
            for item in value:
                if isinstance(item, dict):
                    _drop_empty(item, sub)
        elif isinstance(value, str) and not value.strip() and not required:
            del data[key]


def _absent(data: dict, model, path: tuple = ()) -> list[tuple]:
    """Paths of the required keys that ``data`` lacks (in the tables it has, and the required tables)."""
    out = []
    slots, fields = model_fields(model)
    for key in slots:
        sub, many, required = fields[key]
        if key not in data:
            if required:
                out.append(path + (key,))
        elif isinstance(data[key], dict) and sub is not None and not many:
            out += _absent(data[key], sub, path + (key,))
        elif isinstance(data[key], list) and many:
            for i, item in enumerate(data[key]):
                if isinstance(item, dict):
                    out += _absent(item, sub, path + (key, i))
    return out


def project_file_text(project: ProjectImport, *, validate: bool = True) -> tuple[str, list[Comment], list[Missing]]:
    """The text of one project file, after taking out what the model refuses (``validate``; without it, the
    folder's read-back check finds such a value, and the file is made again with it)."""
    project.amounts_as_printed()
    data = project.data
    _drop_empty(data, Project)
    missing = list(project.missing)
    said = {m.key for m in missing}
    for path in _absent(data, Project):
        key = _key_text(path)
        if key not in said and not any(key.startswith(k + ".") or key.startswith(k + "[") for k in said if k):
            missing.append(Missing(key, "", "", project.source, "未找到：原表中没有这一项，请填写"))
    for _ in range(5 if validate else 0):
        refused = _invalid(data)
        if not refused:
            break
        for loc, message in refused:
            value = _take(data, loc)
            if value is not None:
                missing.append(Missing(_key_text(loc), str(value), "", project.source,
                                       f"无法使用（{message.removeprefix('Value error, ')}）"))
    comments = [Comment(key_path(m.key) if m.key else (), _comment(m, project.source)) for m in missing]
    head = ["#:schema ./project.schema.json", f"由 perfdoc import 导入自 {_name(project.source)}"]
    for what, file in (("项目经费情况说明", project.narrative_from), ("自评表", project.evaluation_from)):
        if file and file != project.source:
            head.append(f"{what}导入自 {_name(file)}")
    return project_text(data, comments=comments, head=head), comments, missing


_project_file = project_file_text  # the name perfdoc review used first


def _templates(into_template: Template | None) -> tuple[dict[str, Template], Template]:
    found = known_templates(into_template)
    by_name = {t.folder.name: t for t in found}
    default = into_template or next((t for t in found if t.folder.name == "shanghai"), None)
    if default is None:
        default = find_template(None)
    return by_name, default


def _into_department(folder: Path):
    if not (folder / DEPARTMENT_FILE).is_file():
        raise ImportFailure(f"{folder} 不是单位文件夹（其中没有 {DEPARTMENT_FILE}）；--into 须指向已有的单位文件夹")
    loaded = load_department(folder)
    # a folder just made with perfdoc init has no project yet (PD006): that is what --into is for
    fatal = [p for p in loaded.problems if p.fatal and Path(p.file).name == DEPARTMENT_FILE and p.code != "PD006"]
    if fatal or not loaded.departments or loaded.departments[0].model is None:
        raise ImportFailure(f"{folder / DEPARTMENT_FILE} 有错误，无法向它添加项目：", fatal)
    return loaded.departments[0]


def _read_source(source, templates: dict[str, Template], default: Template, jobs: int) -> list[DocumentRead]:
    """One document read: a long one by several processes (``jobs``), else here."""
    reads = read_in_parallel(source.body, source.label, templates=templates, default=default, jobs=jobs)
    if reads is None:
        doc = split_document(source.blocks, label=source.label, templates=list(templates.values()))
        reads = [read_document(doc, templates=templates, default=default)] if doc.parts else []
    if not any(r.projects or r.loose or r.selfevals or r.notes for r in reads):
        raise ImportFailure(f"{source.label}：其中没有申报表、项目经费情况说明或自评表，不是可以导入的文档")
    return reads


def import_documents(files: list[Path], folder: Path, *, into: bool = False, jobs: int | None = None) -> ImportResult:
    """Read ``files`` and write the department folder ``folder`` (or add to it with ``into``); a long document
    is read by ``jobs`` processes (default: one per core)."""
    if jobs is None:
        from ..pool import default_jobs

        jobs = default_jobs()
    folder = Path(folder)
    dep = None
    if into:
        dep = _into_department(folder)
    else:
        try:
            check_new_folder(folder)
        except OutputError as exc:
            raise ImportFailure(exc.message) from None
    try:
        into_template = department_template(dep) if dep is not None else None
    except TemplateError as exc:
        raise ImportFailure(f"单位文件夹的版式无法使用：{exc}") from None
    templates, default = _templates(into_template)
    reads = []
    for path in files:
        try:
            source = open_source(path)
        except SourceError as exc:
            raise ImportFailure(exc.message) from None
        reads += _read_source(source, templates, default, jobs)
    method = TEN
    if dep is not None:
        from ..check.profiles import profile_of

        method = profile_of(dep).method
    collected = finish(reads, templates=templates, default=default, method=method)

    if not collected.projects:
        reasons = "；".join(f"{n.file} {n.where}：{n.reason}" for n in collected.notes[:3])
        raise ImportFailure("所给文件中没有申报表，无法生成项目文件（自评表、经费说明须与其申报表一同导入）"
                            + (f"：{reasons}" if reasons else ""))
    result = ImportResult(folder, into, notes=list(collected.notes))
    projects = collected.projects
    if dep is not None:
        existing = {squash(p.model.name): p for p in dep.projects}
        keep = []
        for p in projects:
            if squash(p.name) in existing:
                result.skipped.append((p.name, existing[squash(p.name)].path.name))
            else:
                keep.append(p)
        projects = keep
        taken = {p.key for p in dep.projects}
        try:
            taken |= {f.stem for f in folder.iterdir()}
        except OSError:
            pass
        name_files(projects, taken)
        authority = dep.model.department.authority if dep.model else None
        move_authority(projects, authority)
        result.notes += layout_notes(projects, dep.model.layout.template.strip())
    else:
        name_files(projects)
    texts: dict[str, str] = {}
    allowed: set[str] = set()
    if dep is None:
        data, missing, trailing = department_data(reads, projects)
        comments = [Comment(key_path(m.key), _comment(m, m.file)) for m in missing]
        comments += [Comment(("attachments",), _comment(n, "")) for n in collected.notes]
        text = department_text(data, comments=comments, trailing=trailing,
                               head=["#:schema ./department.schema.json", "由 perfdoc import 导入"])
        texts[DEPARTMENT_FILE] = text
        written = Written(DEPARTMENT_FILE, "", _lines(text, comments, missing))
        if missing:
            allowed.add(DEPARTMENT_FILE)
        result.written.append(written)
        result.notes = []  # listed with department.toml, at their comments
        written.missing += _lines(text, comments[len(missing):], collected.notes)
    made = {}
    for project in projects:
        made[f"{project.stem}.toml"] = project, project_file_text(project, validate=False)
    # the JSON Schemas the first lines of the files name (as perfdoc init and perfdoc new write them)
    for schema, kind in ((SCHEMA_FILE, "project"), (DEPARTMENT_SCHEMA_FILE, "department")):
        if dep is None or (kind == "project" and not (folder / schema).exists()):
            texts[schema] = schema_json(kind)
    if dep is not None and not projects:
        return result  # every project is in the folder already: nothing to add
    for attempt in (1, 2):
        for name, (project, (text, _, missing)) in made.items():
            texts[name] = text
            if missing:
                allowed.add(name)
        try:
            if dep is None:
                write_new_folder(folder, texts, allowed)
            else:
                write_into_folder(folder, texts, allowed)
            break
        except OutputError as exc:
            refused = {Path(p.file).name for p in exc.problems} & set(made)
            if attempt == 2 or not refused:
                raise ImportFailure(exc.message, exc.problems) from None
            for name in refused:  # a value the model refuses: taken out, with its comment, and written again
                project = made[name][0]
                made[name] = project, project_file_text(project)
    for name, (project, (text, comments, missing)) in made.items():
        result.written.append(Written(name, project.name, _lines(text, comments, missing)))
    return result


def _lines(text: str, comments: list[Comment], missing: list[Missing]) -> list[tuple[int, Missing]]:
    """The line of each comment in the written file, paired with what it says is missing."""
    return [(c.line, m) for c, m in zip(comments, missing)]
