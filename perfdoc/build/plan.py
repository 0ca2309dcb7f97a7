"""What a build makes of one department, decided before anything is written.

Load and check the department, find its template, and list every document it gets with the
hash of everything that document is made from (its ``key``): the documents whose key and bytes
match the manifest are kept; the others are rendered later, by this process or a worker.  The
汇总表's head (title, sentence, index) is rendered here, its projects' forms by the chunks
that render their documents; a 汇总表 with attachments, and the 自评汇总, are rendered whole
(they need every project loaded).  A Plan is small and can be sent between processes; the
loaded department is kept in it only when asked.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..check import check_departments, profile_of
from ..compose.attachments import attachment_problems, attachments_digest, open_attachments
from ..evaluate import score_project
from ..load import load_paths
from ..load.folders import project_names
from ..manifest import input_hash as _hash, read_manifest
from ..model import Problem, Severity
from ..outdir import department_inputs, resolved
from ..render.template import DEFAULT_TEMPLATE, TemplateError, _candidates, department_template
from . import record as rec
from .discover import Ref
from .result import DECLARATION_SUFFIX, NARRATIVE_SUFFIX, SELFEVAL_SUFFIX, department_out_dir, output_names

__all__ = ["Plan", "ProjectPlan", "plan_department", "render_summaries", "code_fingerprint", "KINDS"]

#: A project's documents: kind -> (file name suffix, title after the project's name).
KINDS = {
    "narrative": (NARRATIVE_SUFFIX, "项目经费情况说明"),
    "declaration": (DECLARATION_SUFFIX, "绩效目标申报表"),
    "selfeval": (SELFEVAL_SUFFIX, "绩效自评表"),
}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The code that shapes the documents: a new renderer means new documents."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for sub in ("model", "evaluate", "render", "compose"):
        for path in sorted((package / sub).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class ProjectPlan:
    index: int  # position in the department's order
    path: Path
    name: str  # the project's name (shown while building)
    number: int  # its position among all the folder's projects (松江's 填报表N)
    stem: str  # its documents' file name stem
    key: str
    todo: list[str]  # the kinds of document to render (not up to date)
    kept: list[str]  # the file names of its documents that are up to date


@dataclass
class Plan:
    ref: Ref
    out_dir: Path | None = None
    problems: list[Problem] = field(default_factory=list)  # what loading found
    projects: int = 0
    unusable: list[Problem] = field(default_factory=list)  # a template or an attachment that cannot be used
    errors: list[str] = field(default_factory=list)
    skip: bool = False  # nothing of this department is built (its template cannot be found)
    refused: dict[str, list[Problem]] = field(default_factory=dict)
    forced: dict[str, list[Problem]] = field(default_factory=dict)
    inputs: set[Path] = field(default_factory=set)
    names: list[str] = field(default_factory=list)  # every document planned, in the order it is written
    template_folder: Path | None = None
    built: list[ProjectPlan] = field(default_factory=list)  # projects built (not refused), in order
    summaries: list[tuple[str, str, str]] = field(default_factory=list)  # (file name, key, kind) to render
    summary_kept: list[str] = field(default_factory=list)
    summary_bytes: dict[str, bytes] = field(default_factory=dict)  # rendered, written after the projects
    summary_error: str | None = None
    summary_stops: bool = False  # the 汇总表's text failed: no 自评汇总 either (as the error stops the build of both)
    #: The 汇总表 made of the projects' forms as the chunks render them ("summary-parts"): the XML before
    #: them (UTF-8, zlib-compressed: a district's plans are all held until its last department is
    #: built), and what render_bytes needs (title, subject, the reference document, page numbers).
    summary_head: bytes | None = None
    summary_doc: tuple[str, str, bytes, str] | None = None
    summary_name: str | None = None  # the file name of that 汇总表
    record: dict | None = None  # for the manifest, when the department builds cleanly
    keys: list[str] = field(default_factory=list)
    scored: bool = False
    held: tuple | None = None  # (department, template, scores) when kept loaded

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


def plan_department(ref: Ref, out: Path, *, force: bool, pdf: bool, summaries: bool, hold: bool) -> Plan:
    """Load, check and plan ``ref``; with ``summaries`` render the 汇总表 now; with ``hold`` keep the
    loaded department in the plan (else only what another process needs)."""
    plan = Plan(ref)
    listing = None if ref.partial else _listing(ref.folder)
    loaded = load_paths([ref.path])
    plan.problems = loaded.problems
    plan.projects = len(loaded.projects)
    if loaded.fatal or not loaded.departments:
        return plan
    dep = loaded.departments[0]
    plan.out_dir = department_out_dir(out, dep)
    errors_by_file: dict[Path, list[Problem]] = {}
    for p in check_departments([dep], errors_only=True):
        if p.severity is Severity.ERROR:
            errors_by_file.setdefault(Path(p.file), []).append(p)
    dep_errors = errors_by_file.get(Path(dep.source.path), []) if dep.source else []
    for project in dep.projects if dep_errors else []:  # an error in department.toml is on every document
        errors_by_file[Path(project.path)] = dep_errors + errors_by_file.get(Path(project.path), [])

    candidates = _template_candidates(dep)
    found = rec.template_folder_of(candidates)
    template_files = _hash_tree(found)
    try:
        template = department_template(dep)
    except TemplateError as exc:  # a template or an attachment that cannot be used: nothing is built
        plan.unusable += exc.problems
        plan.errors += [] if exc.problems else [f"{dep.path}: {exc}"]
        plan.skip = True
        return plan
    plan.template_folder = template.folder
    attachment_files = None
    if not dep.partial:  # the 汇总表 would take the attachments
        attachment_files = rec.file_hashes(_attachment_paths(dep))
        plan.unusable += attachment_problems(dep)
    projects = dep.ordered_projects()
    refused = [p for p in projects if errors_by_file.get(Path(p.path)) and not force]
    for p in refused:
        plan.refused[str(p.path)] = errors_by_file[Path(p.path)]
    if force:
        plan.forced.update((str(p.path), errors_by_file[Path(p.path)]) for p in projects if errors_by_file.get(Path(p.path)))
    plan.inputs = department_inputs(dep.path, dep.model.attachments if dep.model else (), template.folder)

    old = read_manifest(plan.out_dir / ".perfdoc-build.json")
    common = _hash(code_fingerprint(), template.fingerprint, dep.source.text if dep.source else "")
    stems = output_names(projects)
    numbers = _numbers(dep)
    method = profile_of(dep).method
    scores = {}
    for index, project in enumerate(projects):
        number, stem = numbers[project.key], stems[project.key]
        key = _hash(common, project.source.text, str(number), stem)
        plan.keys.append(key)
        if project in refused:
            continue
        score = score_project(project.model, method)  # 10号 or 101号, as the department chose
        kinds = ["narrative", "declaration"] + (["selfeval"] if score is not None else [])
        if score is not None:
            scores[project.key] = score
        item = ProjectPlan(index, Path(project.path), project.model.name, number, stem, key, [], [])
        for kind in kinds:
            name = stem + KINDS[kind][0]
            plan.names.append(name)
            if _up_to_date(plan.out_dir, old, name, key):
                item.kept.append(name)
            else:
                item.todo.append(kind)
        plan.built.append(item)
    plan.scored = bool(scores)
    if not (refused or not projects or dep.model is None or dep.partial):
        _plan_summaries(plan, dep, projects, template, old)
    if summaries:
        render_summaries(plan, dep, projects, template, scores)
    if hold:
        plan.held = (dep, template, scores)
    if listing is not None and attachment_files is not None:
        plan.record = _record(plan, dep, listing, candidates, template_files, attachment_files, pdf=pdf, force=force)
    return plan


def _up_to_date(folder: Path, old: dict, name: str, key: str) -> bool:
    entry = old.get(name)
    return bool(entry) and entry["input"] == key and rec.sha256_of(folder / name) == entry["sha256"]


def _plan_summaries(plan: Plan, dep, projects, template, old: dict) -> None:
    from ..compose.summary import SummaryError, summary_file_name, summary_head_xml

    attachments, problems = open_attachments(dep)
    name = summary_file_name(dep)
    plan.names.append(name)
    if problems:  # changed since the build began
        plan.summary_error = str(SummaryError(problems))
    else:
        key = _hash("summary", *plan.keys, attachments_digest(attachments))
        if _up_to_date(plan.out_dir, old, name, key):
            plan.summary_kept.append(name)
        elif attachments:  # appended with python-docx: rendered whole
            plan.summaries.append((name, key, "summary"))
        else:  # the projects' forms come from the chunks, rendered once for both
            try:
                plan.summary_head = zlib.compress("".join(summary_head_xml(dep, projects, template)).encode("utf-8"), 1)
            except TemplateError as exc:  # a text that fails only with this data (an undefined name…)
                plan.summary_error, plan.summary_stops = str(exc), True
            else:
                plan.summaries.append((name, key, "summary-parts"))
                plan.summary_name = name
                plan.summary_doc = (name.removesuffix(".docx"), dep.name, template.reference,
                                    template.variant.page_numbers)
    if plan.scored:
        from ..compose.selfeval_summary import selfeval_summary_file_name

        name = selfeval_summary_file_name(dep)
        plan.names.append(name)
        key = _hash("selfeval-summary", *plan.keys)
        if _up_to_date(plan.out_dir, old, name, key):
            plan.summary_kept.append(name)
        else:
            plan.summaries.append((name, key, "selfeval-summary"))


def render_summaries(plan: Plan, dep, projects, template, scores) -> None:
    """Render the 汇总表 and 自评汇总 that are not up to date into ``plan.summary_bytes``."""
    from ..compose.selfeval_summary import build_selfeval_summary
    from ..compose.summary import SummaryError, summary_bytes
    from ..render.document import to_bytes

    for name, _key, kind in plan.summaries:
        try:
            if kind == "summary":
                plan.summary_bytes[name] = summary_bytes(dep, projects, template)
            elif kind == "selfeval-summary":
                plan.summary_bytes[name] = to_bytes(build_selfeval_summary(dep, projects, template, scores),
                                                    title=name.removesuffix(".docx"), subject=dep.name)
        except SummaryError as exc:  # an attachment changed since the build began
            plan.summary_error = plan.summary_error or str(exc)
        except TemplateError as exc:  # a text that fails only with this data: no summary after it
            plan.summary_error = plan.summary_error or str(exc)
            plan.summary_stops = plan.summary_stops or kind == "summary"
            break


def _numbers(dep) -> dict[str, int]:
    """Each project's position in the department (松江's 填报表N), also when only one file was named."""
    keys = [p.key for p in dep.projects]
    if dep.partial:
        keys += [p.stem for p in dep.path.glob("*.toml") if p.name != "department.toml" and not p.name.startswith(".")]
    return {key: i for i, key in enumerate(dep.order_keys(keys), start=1)}


# -- the record of a clean build ------------------------------------------------------------------

def _listing(folder: Path) -> list[str] | None:
    try:
        return project_names(folder)
    except OSError:
        return None


def _template_candidates(dep) -> list[tuple[str, bool]]:
    """Where the template is looked for, in order, and whether each place holds one now."""
    name = dep.model.layout.template if dep.model else None
    name = (name or DEFAULT_TEMPLATE).strip() or DEFAULT_TEMPLATE
    return [(os.fsdecode(folder), rec.is_template(folder)) for folder in _candidates(name, dep.path)]


def _hash_tree(folder: str | None) -> dict[str, str] | None:
    """The files of a template folder (resolved, as outdir.department_inputs lists them), hashed."""
    if folder is None:
        return None
    try:
        files = sorted(resolved(p) for p in Path(folder).rglob("*") if p.is_file())
    except OSError:
        return None
    return rec.file_hashes(files)


def _attachment_paths(dep) -> list[Path]:
    names = dep.model.attachments if dep.model is not None else []
    return sorted({resolved(Path(dep.path) / name) for name in names if isinstance(name, str) and "\x00" not in name})


def _record(plan: Plan, dep, listing, candidates, template_files, attachment_files, *, pdf: bool, force: bool):
    texts = rec.texts_record(dep.path, [s for s in [dep.source, *(p.source for p in dep.projects)] if s is not None])
    folder = rec.template_folder_of(candidates)
    if (texts is None or template_files is None or folder is None or Path(folder) != Path(plan.template_folder)
            or sorted(texts) != sorted(listing + ["department.toml"])):
        return None
    return {
        "folder": os.fsdecode(dep.path), "cwd": os.getcwd(), "code": rec.code_fingerprint(), "pdf": pdf,
        "force": force, "listing": listing, "texts": texts, "candidates": [list(c) for c in candidates],
        "attachments": list(dep.model.attachments), "inputs": sorted(map(str, plan.inputs)),
        "files": {**template_files, **attachment_files}, "projects": plan.projects,
        "refused": [[f, [rec.problem_doc(p) for p in ps]] for f, ps in plan.refused.items()],  # in order
        "forced": [[f, [rec.problem_doc(p) for p in ps]] for f, ps in plan.forced.items()],
    }
