"""Reading a long document on several cores.

A 汇总表 of hundreds of projects is read slice by slice in worker processes forked from this
one (they have the parsed document already; nothing is sent to them): the body is cut just
after a table where the next paragraph begins a form (a 经费说明's title …), so that every
form lies whole in one slice and :mod:`perfdoc.read.grid` carries nothing across a cut.  Each
worker turns its slice into blocks, splits them into forms and reads them
(:func:`perfdoc.importer.assemble.read_document`), and sends back only what the import keeps:
the projects' data, what could not be read, the 经费说明 and 自评表 still to be paired.  Places
(``第 3 个表格第 5 行``, ``第 12 段``) are counted within a slice and moved on by the paragraphs and
tables of the slices before it, so that the result is the one a single process gives.
"""

from __future__ import annotations

import re

from ..read.grid import W, Paragraph, Table, blocks
from ..read.summary import part_starter, split_document
from ..render.template import Template
from .assemble import DocumentRead, read_document

__all__ = ["read_in_parallel", "PARALLEL_FROM", "MAX_JOBS"]

#: Body elements from which reading in several processes is worth starting them (about 80 projects).
PARALLEL_FROM = 2000
MAX_JOBS = 4
_TABLE = re.compile(r"第 (\d+) 个表格")
_PARAGRAPH = re.compile(r"第 (\d+) 段")

_job: tuple | None = None  # what the forked workers read: (slices, label, templates, default, year)


class _Slice(list):
    """Some of the body's children, read by grid.blocks as if they were a body of their own."""


def _quick_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _cuts(children: list, parts: int, starts) -> list[tuple[int, int]]:
    """About ``parts`` slices of equal length, each cut just after a table before a form's first paragraph."""
    size = len(children) / parts
    bounds, begin = [], 0
    for i in range(1, parts):
        at = max(int(i * size), begin + 1)
        while at < len(children) and not (children[at - 1].tag == W + "tbl" and children[at].tag == W + "p"
                                           and starts(_quick_text(children[at]))):
            at += 1
        if at >= len(children):
            break
        bounds.append((begin, at))
        begin = at
    bounds.append((begin, len(children)))
    return bounds


def _light(read: DocumentRead) -> DocumentRead:
    """What can travel back from a worker: no templates, no XML elements, no tables already read."""
    if read.header is not None:
        read.header.template = None
    for project in read.projects:
        project.template = None
        project.declaration_read = None
    for part, _ in read.loose:
        part.template, part.tables = None, []
    for self_read, part, _ in read.selfevals:
        part.template, part.tables = None, []
        if hasattr(self_read, "places"):
            self_read.places = {}
    return read


def _read_slice(index: int) -> tuple[DocumentRead, int, int]:
    slices, label, templates, default, year = _job
    found = blocks(_Slice(slices[index]))
    doc = split_document(found, label=label, templates=list(templates.values()))
    read = read_document(doc, templates=templates, default=default, year=year)
    paragraphs = sum(isinstance(b, Paragraph) for b in found)
    tables = sum(isinstance(b, Table) for b in found)
    return _light(read), paragraphs, tables


def _shift(where: str, paragraphs: int, tables: int) -> str:
    where = _TABLE.sub(lambda m: f"第 {int(m[1]) + tables} 个表格", where)
    return _PARAGRAPH.sub(lambda m: f"第 {int(m[1]) + paragraphs} 段", where)


def _move(read: DocumentRead, paragraphs: int, tables: int, templates: dict[str, Template]) -> None:
    """Places counted from the start of the slice, counted from the start of the document."""
    for project in read.projects:
        project.template = templates.get(project.layout or "")
        project.where = _shift(project.where, paragraphs, tables)
        for m in project.missing:
            m.where = _shift(m.where, paragraphs, tables)
    for m in read.notes:
        m.where = _shift(m.where, paragraphs, tables)
    for part, _ in read.loose + [(part, file) for _, part, file in read.selfevals]:
        part.where = _shift(part.where, paragraphs, tables)
        for p in part.paras:
            p.where = _shift(p.where, paragraphs, tables)
    for self_read, _, _ in read.selfevals:
        for u in self_read.unread:
            u.where = _shift(u.where, paragraphs, tables)


def read_in_parallel(body, label: str, *, templates: dict[str, Template], default: Template,
                     jobs: int) -> list[DocumentRead] | None:
    """The document read slice by slice in ``jobs`` processes; None when one process is as good (a short
    document, one core, no place to cut) or the workers cannot be started."""
    global _job
    import multiprocessing

    children = list(body)
    if jobs < 2 or len(children) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return None  # a spawned worker would not have the document
    bounds = _cuts(children, min(jobs, MAX_JOBS), part_starter(list(templates.values())))
    if len(bounds) < 2:
        return None
    head = split_document(blocks(_Slice(children[:min(200, bounds[0][1])])), label=label,
                          templates=list(templates.values())).header
    from ..pool import worker_pool

    _job = ([children[a:b] for a, b in bounds], label, templates, default, head.year if head else None)
    try:
        with worker_pool(len(bounds)) as pool:
            results = list(pool.map(_read_slice, range(len(bounds))))
    except (OSError, RuntimeError):
        return None
    finally:
        _job = None
    out, paragraphs, tables = [], 0, 0
    for read, n_paragraphs, n_tables in results:
        _move(read, paragraphs, tables, templates)
        out.append(read)
        paragraphs += n_paragraphs
        tables += n_tables
    return out
