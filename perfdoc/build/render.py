"""Render and write projects' documents: a share of a department's projects at a time (a Chunk),
in this process or in a worker.

A Chunk names the projects and the kinds of document each needs; the department comes from
the ``held`` registry (this process loaded it, or inherited it from the parent when forked) or
is loaded here, department.toml and the chunk's project files only.  Each document is written
atomically; the writes (each ends with an fsync) run on a few threads while the next document
renders.  The result names each document written with its key and sha256, for the parent's
manifest, and the first error, if any.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import atomic_write_bytes, os_reason
from ..manifest import input_hash as _hash

__all__ = ["Chunk", "ChunkResult", "run_chunk", "held", "project_documents", "write_error"]

#: Departments loaded in this process (or inherited from the parent), by folder: (DepartmentFolder,
#: Template, {project file: ProjectFile}).  Set only for a build of one department.
held: dict[str, tuple] = {}
_templates: dict[str, object] = {}
#: Threads writing documents while the next one renders (an fsync waits for the disk, not the CPU).
WRITERS = 1
_writers: tuple[int, ThreadPoolExecutor] | None = None


def writers() -> ThreadPoolExecutor:
    """This process's writing threads (started once; a forked worker starts its own)."""
    global _writers
    if _writers is None or _writers[0] != os.getpid():
        _writers = (os.getpid(), ThreadPoolExecutor(WRITERS, thread_name_prefix="perfdoc-write"))
    return _writers[1]


@dataclass
class Chunk:
    dept: int  # the department's position in the build
    folder: Path
    template: Path  # the template folder the plan found
    out_dir: Path
    #: (index, project file, number, stem, kinds of document, its number in the 汇总表 or None when the
    #: 汇总表 does not need its forms)
    items: list[tuple[int, Path, int, str, list[str], int | None]]


@dataclass
class ChunkResult:
    dept: int
    first: int  # the index of the chunk's first project
    done: list[tuple[int, list[tuple[str, str, str]]]] = field(default_factory=list)  # index, (name, key, sha256)
    names: list[str] = field(default_factory=list)  # the projects' names, for the progress bar
    errors: list[tuple[int, str]] = field(default_factory=list)  # (index, message) of a text that failed
    parts: list[tuple[int, bytes]] = field(default_factory=list)  # (index, its forms in the 汇总表, as UTF-8 XML)
    write_error: tuple[int, str] | None = None  # (index, message): the disk refused; the chunk stopped


def write_error(exc: OSError, folder: Path) -> str:
    """``无法写入 out/x/a.docx：磁盘已满（ENOSPC）``: the file (or the folder) and why, in Chinese."""
    where = os.fsdecode(exc.filename) if exc.filename else str(folder)
    return f"无法写入 {where}：{os_reason(exc)}"


def project_documents(dep, template, project, number: int, kinds: list[str], stem: str,
                      summary: int | None = None, parts_out: list | None = None):
    """(file name, bytes) of each document of ``kinds`` of a project, rendered in order.

    With ``summary`` (the project's number in the 汇总表) its forms as the 汇总表 prints them are
    put in ``parts_out``: the same XML as its own documents', each title on a new page."""
    from ..check import profile_of
    from ..compose.summary import summary_project_xml
    from ..evaluate import score_project
    from ..render.declaration import declaration_title_xml, declaration_xml
    from ..render.document import render_bytes
    from ..render.narrative import narrative_title_xml, narrative_xml
    from ..render.selfeval import selfeval_xml
    from .plan import KINDS

    name = project.model.name
    forms = {}
    for kind in kinds:
        suffix, title = KINDS[kind]
        if kind == "selfeval":
            score = score_project(project.model, profile_of(dep).method)
            parts = selfeval_xml(project, template, score)
        elif kind == "narrative":
            parts = forms[kind] = narrative_xml(project, template, number=number)
        else:
            parts = forms[kind] = declaration_xml(project, template, number=number)
        yield f"{stem}{suffix}", render_bytes(template.reference, parts, title=f"{name} {title}", subject=dep.name,
                                              page_numbers=template.variant.project_page_numbers)
    if summary is not None:
        if summary == number and len(forms) == 2:
            parts_out += [narrative_title_xml(project, template, number, page_break_before=True),
                          *forms["narrative"][1:],
                          declaration_title_xml(template, number, page_break_before=True),
                          *forms["declaration"][1:]]
        else:
            parts_out += summary_project_xml(project, template, summary)


def _department(chunk: Chunk):
    """(department, template, {file: project}) for the chunk: held, or loaded now."""
    found = held.get(os.fsdecode(chunk.folder))
    if found is not None:
        return found
    from ..load.loader import load_project_files
    from ..render.template import Template

    loaded = load_project_files(chunk.folder, [item[1] for item in chunk.items])
    dep = loaded.departments[0] if loaded.departments else None
    key = os.fsdecode(chunk.template)
    if key not in _templates:
        _templates[key] = Template.load(chunk.template)
    projects = {os.fsdecode(p.path): p for p in dep.projects} if dep is not None else {}
    return dep, _templates[key], projects


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Render and write the chunk's documents (a template text that fails is told per project)."""
    from ..render.template import TemplateError
    from .plan import code_fingerprint

    result = ChunkResult(chunk.dept, chunk.items[0][0])
    dep, template, projects = _department(chunk)
    common = _hash(code_fingerprint(), template.fingerprint, dep.source.text if dep and dep.source else "")
    pending = []  # (index, name, key, sha256, the write): written while the next documents render
    for index, path, number, stem, kinds, summary in chunk.items:
        project = projects.get(os.fsdecode(path))
        if project is None:  # changed since it was planned and cannot be loaded now
            result.errors.append((index, f"{path}：生成过程中文件被修改，已无法读取；请重新生成"))
            continue
        result.names.append(project.model.name)
        key = _hash(common, project.source.text, str(number), stem)
        forms: list[str] = []
        try:
            for name, data in project_documents(dep, template, project, number, kinds, stem, summary, forms):
                write = writers().submit(atomic_write_bytes, chunk.out_dir / name, data)
                pending.append((index, name, key, hashlib.sha256(data).hexdigest(), write))
        except TemplateError as exc:  # a text that fails only with this data (an undefined name…)
            result.errors.append((index, str(exc)))
        if summary is not None:
            result.parts.append((index, "".join(forms).encode("utf-8")))  # bytes: sent as they are
        if any(write.done() and write.exception() is not None for *_, write in pending):
            break  # the disk refused a file: this chunk stops (the others see the same disk)
    done: dict[int, list] = {}
    for index, name, key, digest, write in pending:
        exc = write.exception()  # waits for the write
        if exc is None:
            done.setdefault(index, []).append((name, key, digest))
        elif result.write_error is None:
            if not isinstance(exc, OSError):
                raise exc
            result.write_error = (index, write_error(exc, chunk.out_dir))
    result.done = sorted(done.items())
    return result
