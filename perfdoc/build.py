"""``perfdoc build``: every project's 申报表 and 经费说明 (and 自评表 once evaluated), the
department's 汇总表 (and 自评汇总),
into out/<department folder>/.

Top of the pipeline: load → check → render / compose → write atomically.
Projects with error-level faults are refused unless ``force`` (and then the
汇总表, which would be incomplete, is not written either).

Builds are incremental: out/<department>/.perfdoc-build.json records, for each
file written, a hash of everything it was made from (the project file,
department.toml, the template's files, perfdoc's code, the project's position)
and of the file itself.  A rebuild with nothing changed rewrites nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .check import check_departments, profile_of
from .load import LoadResult, load_paths
from .build_pdf import convert_department, keep_current_pdfs, pdf_name
from .fsutil import clean_leftovers, os_reason
from .manifest import MANIFEST, Outputs, input_hash as _hash
from .model import DepartmentFolder, Problem, ProjectFile, Severity
from .outdir import OutputRefused, check_department_folder, check_out_folder, department_inputs
from .compose.attachments import attachment_problems
from .render.template import Template, TemplateError, department_template
from .scaffold import safe_file_stem

__all__ = ["BuildResult", "build", "output_names", "department_out_dir", "MANIFEST"]

DECLARATION_SUFFIX = "-申报表.docx"
NARRATIVE_SUFFIX = "-经费说明.docx"
SELFEVAL_SUFFIX = "-自评表.docx"


@dataclass
class BuildResult:
    loaded: LoadResult
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    refused: dict[str, list[Problem]] = field(default_factory=dict)  # project file -> its errors
    forced: dict[str, list[Problem]] = field(default_factory=dict)  # built despite its errors (force)
    errors: list[str] = field(default_factory=list)  # departments that could not be built
    stopped: bool = False  # an output path was refused (errors say which): nothing was written

    @property
    def fatal(self) -> bool:
        return self.loaded.fatal or bool(self.errors)


def department_out_dir(out: Path, dep: DepartmentFolder) -> Path:
    return Path(out) / safe_file_stem(dep.path.resolve().name)


def output_names(projects: list[ProjectFile]) -> dict[str, str]:
    """File stem for each project (by key): its name made safe; unique within the department."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for project in projects:
        stem = safe_file_stem(project.model.name)
        if stem.lower() in used:
            stem = safe_file_stem(f"{stem}_{safe_file_stem(project.key)}")
        used.add(stem.lower())
        names[project.key] = stem
    return names


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """The code that shapes the documents: a new renderer means new documents."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for sub in ("model", "evaluate", "render", "compose"):
        for path in sorted((package / sub).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(
    paths: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    pdf: bool = False,
    jobs: int | None = None,
    overwrite: bool = False,
) -> BuildResult:
    """Build ``paths`` into ``out``; with ``pdf`` also a PDF beside every document (``jobs``
    LibreOffice converters side by side, default: the number of cores).

    Nothing is written when the output folder or any file in it is refused (perfdoc.outdir):
    a file perfdoc did not write is replaced only with ``overwrite``."""
    loaded = load_paths(list(paths))
    result = BuildResult(loaded)
    if loaded.fatal:
        return result
    if pdf:
        from .build_pdf import check_converter

        missing = check_converter()
        if missing:
            result.errors.append(missing)
            return result
    errors_by_file: dict[Path, list[Problem]] = {}
    for p in check_departments(loaded.departments):
        if p.severity is Severity.ERROR:
            errors_by_file.setdefault(Path(p.file), []).append(p)
    for dep in loaded.departments:  # an error in department.toml (a placeholder name) is on every document
        dep_errors = errors_by_file.get(Path(dep.source.path), []) if dep.source else []
        for project in dep.projects if dep_errors else []:
            errors_by_file[Path(project.path)] = dep_errors + errors_by_file.get(Path(project.path), [])

    plans = []
    unusable: list[Problem] = []
    for dep in loaded.departments:
        try:
            template = department_template(dep)
        except TemplateError as exc:  # a template or an attachment that cannot be used: nothing is built
            unusable += exc.problems
            result.errors += [] if exc.problems else [f"{dep.path}: {exc}"]
            continue
        if not dep.partial:  # the 汇总表 would take the attachments
            unusable += attachment_problems(dep)
        projects = dep.ordered_projects()
        refused = [p for p in projects if errors_by_file.get(Path(p.path)) and not force]
        for p in refused:
            result.refused[str(p.path)] = errors_by_file[Path(p.path)]
        if force:
            result.forced.update((str(p.path), errors_by_file[Path(p.path)])
                                 for p in projects if errors_by_file.get(Path(p.path)))
        plans.append((dep, template, projects, refused))

    if unusable:
        loaded.problems.extend(unusable)
        return result

    inputs: set[Path] = set()
    for dep, template, _, _ in plans:
        inputs |= department_inputs(dep.path, dep.model.attachments if dep.model else (), template.folder)
    departments = _guard(plans, out, inputs, result, pdf=pdf, overwrite=overwrite)
    if departments is None:
        return result

    total = sum(len(projects) - len(refused) for _, _, projects, refused in plans)
    done = 0
    for (dep, template, projects, refused), outputs in zip(plans, departments):
        created = not os.path.lexists(outputs.folder)
        try:
            clean_leftovers(outputs.folder)
            try:
                done = _build_department(dep, template, projects, refused, outputs, result, progress, done, total)
            except TemplateError as exc:  # a text that fails only with this data (an undefined name…)
                result.errors.append(str(exc))
            if pdf:
                convert_department(outputs, workers=jobs, errors=result.errors)
            else:
                keep_current_pdfs(outputs)
            outputs.close(partial=dep.partial)
        except OutputRefused as exc:
            result.errors.append(exc.message)
            outputs.abandon()
        except OSError as exc:
            result.errors.append(_write_error(exc, outputs.folder))
            outputs.abandon()
            if created:
                _remove_if_empty(outputs.folder)
    return result


def _guard(plans, out: Path, inputs: set[Path], result: BuildResult, *, pdf: bool, overwrite: bool):
    """Check every place the build would write before writing anything: the output folder, each
    department's folder in it, and each file (outdir).  The Outputs of each department, or None
    (with the reasons in ``result.errors``) when anything is refused."""
    try:
        out_real = check_out_folder(out, inputs)
    except OutputRefused as exc:
        result.errors.append(exc.message)
        result.stopped = True
        return None
    departments, refusals = [], []
    for dep, _, projects, refused in plans:
        outputs = Outputs(department_out_dir(out, dep), result)
        departments.append(outputs)
        try:
            check_department_folder(out_real, outputs.folder, inputs)
        except OutputRefused as exc:
            refusals.append(exc.message)
            continue
        names = _planned_names(dep, projects, refused)
        names += [pdf_name(n) for n in names] if pdf else []
        refusals += outputs.refusals(names, inputs, overwrite=overwrite)
    if refusals:
        result.errors += refusals
        result.stopped = True
        return None
    return departments


def _planned_names(dep: DepartmentFolder, projects: list[ProjectFile], refused: list[ProjectFile]) -> list[str]:
    """The documents _build_department writes for ``dep`` (to be checked before any is written)."""
    from .compose.selfeval_summary import selfeval_summary_file_name
    from .compose.summary import summary_file_name
    from .evaluate import score_project

    stems = output_names(projects)
    names, scored = [], False
    for project in projects:
        if project in refused:
            continue
        names += [stems[project.key] + NARRATIVE_SUFFIX, stems[project.key] + DECLARATION_SUFFIX]
        if score_project(project.model) is not None:
            scored = True
            names.append(stems[project.key] + SELFEVAL_SUFFIX)
    if not (refused or not projects or dep.model is None or dep.partial):
        names.append(summary_file_name(dep))
        if scored:
            names.append(selfeval_summary_file_name(dep))
    return names


def _write_error(exc: OSError, folder: Path) -> str:
    """``无法写入 out/x/a.docx：磁盘已满（ENOSPC）``: the file (or the folder) and why, in Chinese.
    The files written before are whole (and in the manifest); the one being written left nothing."""
    where = os.fsdecode(exc.filename) if exc.filename else str(folder)
    return f"无法写入 {where}：{os_reason(exc)}"


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _build_department(dep, template: Template, projects, refused, outputs: Outputs, result: BuildResult,
                      progress, done: int, total: int) -> int:
    from .render.declaration import declaration_xml
    from .render.document import render_bytes
    from .evaluate import score_project
    from .render.narrative import narrative_xml
    from .render.selfeval import selfeval_xml

    common = _hash(_code_fingerprint(), template.fingerprint, dep.source.text if dep.source else "")
    stems = output_names(projects)
    keys = []
    scores = {}
    numbers = _numbers(dep)
    for project in projects:
        number = numbers[project.key]
        key = _hash(common, project.source.text, str(number), stems[project.key])
        keys.append(key)
        if project in refused:
            continue
        done += 1
        if progress:
            progress(done, total, project.model.name)
        name = project.model.name
        for suffix, parts, title in (
            (NARRATIVE_SUFFIX, narrative_xml, "项目经费情况说明"),
            (DECLARATION_SUFFIX, declaration_xml, "绩效目标申报表"),
        ):
            file_name = f"{stems[project.key]}{suffix}"
            if not outputs.up_to_date(file_name, key):
                outputs.write(file_name, key, lambda: render_bytes(
                    template.reference, parts(project, template, number=number), title=f"{name} {title}", subject=dep.name,
                    page_numbers=template.variant.project_page_numbers))
        score = score_project(project.model, profile_of(dep).method)  # 10号 or 101号, as the department chose
        if score is not None:  # the year is over: the 自评表
            scores[project.key] = score
            file_name = f"{stems[project.key]}{SELFEVAL_SUFFIX}"
            if not outputs.up_to_date(file_name, key):
                outputs.write(file_name, key, lambda: render_bytes(
                    template.reference, selfeval_xml(project, template, score), title=f"{name} 绩效自评表", subject=dep.name,
                    page_numbers=template.variant.project_page_numbers))
    if refused or not projects or dep.model is None or dep.partial:
        return done  # a 汇总表 of some of the projects would be wrong
    _build_summary(dep, template, projects, keys, outputs, result)
    if scores:
        _build_selfeval_summary(dep, template, projects, keys, scores, outputs)
    return done


def _numbers(dep: DepartmentFolder) -> dict[str, int]:
    """Each project's position in the department (松江's 填报表N), also when only one file was named."""
    keys = [p.key for p in dep.projects]
    if dep.partial:
        keys += [p.stem for p in dep.path.glob("*.toml") if p.name != "department.toml" and not p.name.startswith(".")]
    return {key: i for i, key in enumerate(dep.order_keys(keys), start=1)}


def _build_selfeval_summary(dep, template, projects, keys, scores, outputs: Outputs) -> None:
    from .compose.selfeval_summary import build_selfeval_summary, selfeval_summary_file_name
    from .render.document import to_bytes

    file_name = selfeval_summary_file_name(dep)
    key = _hash("selfeval-summary", *keys)
    if not outputs.up_to_date(file_name, key):
        outputs.write(file_name, key, lambda: to_bytes(build_selfeval_summary(dep, projects, template, scores),
                                                       title=file_name.removesuffix(".docx"), subject=dep.name))


def _build_summary(dep, template, projects, keys, outputs: Outputs, result: BuildResult) -> None:
    from .compose.attachments import attachments_digest, open_attachments
    from .compose.summary import SummaryError, summary_bytes, summary_file_name

    attachments, problems = open_attachments(dep)
    if problems:  # changed since the build began
        result.errors.append(str(SummaryError(problems)))
        return
    key = _hash("summary", *keys, attachments_digest(attachments))
    file_name = summary_file_name(dep)
    if outputs.up_to_date(file_name, key):
        return
    try:
        outputs.write(file_name, key, lambda: summary_bytes(dep, projects, template))
    except SummaryError as exc:
        result.errors.append(str(exc))
