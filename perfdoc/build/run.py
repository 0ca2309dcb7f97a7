"""The full build: plan every department, check every place it writes, then write.

1. Plan (perfdoc.build.plan): each department loaded, checked, its documents listed with their
   keys.  One department: here, and kept loaded (forked workers share it).  Several: in the
   worker pool, one department at a time per worker, each dropped once planned (memory stays
   flat in the number of departments).
2. Stop before writing anything when an input cannot be used, LibreOffice is missing for
   ``--pdf``, a template or an attachment cannot be used, or an output path is refused.
3. Render and write the projects' documents in chunks of a few projects (perfdoc.build.render),
   in this process (``-j 1``, or a small build) or in the pool, a few chunks at a time; each
   chunk also gives its projects' forms for the 汇总表, which this process compresses into it as
   they come, in order (_SummaryStream).  Once a department's chunks are back the parent writes
   the 汇总表, converts to PDF and writes the manifest, while the workers go on with the next
   department.

The bytes written do not depend on the number of workers: each document is rendered from the
same inputs; lists of what was written follow the departments' and projects' order.
"""

from __future__ import annotations

import hashlib
import math
import os
import zlib
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..build_pdf import keep_current_pdfs, pdf_name
from ..fsutil import atomic_write_bytes, clean_leftovers
from ..load import load_paths
from ..load.folders import project_names
from ..manifest import Outputs
from ..outdir import OutputRefused, check_department_folder, check_out_folder
from ..pool import default_jobs, release, worker_pool
from . import render
from .discover import Ref
from .plan import Plan, plan_department, render_summaries
from .record import Fresh
from .render import Chunk, ChunkResult, run_chunk, write_error
from .result import BuildResult, department_out_dir
from .workers import chunk_task, plan_task

__all__ = ["build_all"]

#: Fewer projects to render than this are rendered in this process (starting workers costs more).
SMALL = 6
#: Chunks given to the pool at a time, per worker.
WINDOW = 3
BROKEN = "生成文档的子进程意外退出（可能是内存不足）；可用 -j 1 在一个进程中生成"


def build_all(found: list, fresh: dict[int, Fresh], out: Path, *, force: bool, progress, pdf: bool,
              jobs: int | None, overwrite: bool) -> BuildResult:
    result = BuildResult()
    workers = jobs or default_jobs()
    refs = [(i, item) for i, item in enumerate(found) if isinstance(item, Ref) and i not in fresh]
    out_dirs = [department_out_dir(out, item.folder) for item in found if isinstance(item, Ref)]
    if len(set(out_dirs)) < len(out_dirs):
        workers = 1  # two departments write into one folder: one after the other, as named
    pool = worker_pool(workers) if workers > 1 and len(refs) > 1 and _files(refs) >= SMALL else None
    try:
        return _build(found, fresh, refs, out, result, pool, workers, force=force, progress=progress, pdf=pdf,
                      jobs=jobs, overwrite=overwrite)
    except BrokenProcessPool:
        result.errors.append(BROKEN)
        return result
    finally:
        if pool is not None:
            release(pool)
        render.held.clear()


def _files(refs) -> int:
    """How many project files the departments hold (a small build is planned in this process)."""
    count = 0
    for _, ref in refs:
        try:
            count += 1 if ref.partial else len(project_names(ref.folder))
        except OSError:
            count += 1
    return count


def _build(found, fresh, refs, out, result, pool, workers, *, force, progress, pdf, jobs, overwrite):
    single = len(refs) == 1 and len(found) == 1
    if pool is not None:  # the workers plan all departments but the last, which this process plans meanwhile
        futures = [pool.submit(plan_task, (ref, out, force, pdf)) for _, ref in refs[:-1]]
        last, ref = refs[-1]
        planned = {last: plan_department(ref, out, force=force, pdf=pdf, summaries=True, hold=False)}
        planned.update((i, future.result()) for (i, _), future in zip(refs, futures))
        planned = {i: planned[i] for i, _ in refs}
    else:
        planned = {i: plan_department(ref, out, force=force, pdf=pdf, summaries=not single, hold=single)
                   for i, ref in refs}
    plans: list[Plan | Fresh] = []
    for i, item in enumerate(found):
        if i in fresh:
            plans.append(fresh[i])
            result.projects += fresh[i].projects
        elif i in planned:
            plans.append(planned[i])
            result.problems += planned[i].problems
            result.projects += planned[i].projects
        else:  # a path that names no department: the loader says why
            result.problems += load_paths([item]).problems
    if result.input_fatal:
        return result
    if pdf:
        from ..build_pdf import check_converter

        missing = check_converter()
        if missing:
            result.errors.append(missing)
            return result
    unusable = []
    for plan in plans:
        if isinstance(plan, Plan):
            unusable += plan.unusable
            result.errors += plan.errors
        result.refused.update(plan.refused)
        result.forced.update(plan.forced)
    if unusable:
        result.problems += unusable
        return result
    building = [p for p in plans if isinstance(p, Plan) and not p.skip]
    outputs = _guard(plans, building, out, result, pdf=pdf, overwrite=overwrite)
    if outputs is None:
        return result
    _make(building, outputs, result, pool, workers, progress=progress, pdf=pdf, jobs=jobs)
    for plan in plans:
        if isinstance(plan, Fresh):  # unchanged since its last clean build
            clean_leftovers(plan.out_dir)
            result.unchanged += plan.unchanged
    return result


def _guard(plans, building: list[Plan], out: Path, result: BuildResult, *, pdf: bool, overwrite: bool):
    """Check every place the build would write before writing anything: the output folder, each
    department's folder in it, and each file (outdir).  The Outputs of each department built, or
    None (with the reasons in ``result.errors``) when anything is refused."""
    inputs: set[Path] = set()
    for plan in plans:
        if isinstance(plan, (Plan, Fresh)):
            inputs |= plan.inputs
    try:
        out_real = check_out_folder(out, inputs)
    except OutputRefused as exc:
        result.errors.append(exc.message)
        result.stopped = True
        return None
    found, refusals = [], []
    for plan in plans:
        if not isinstance(plan, Fresh) and plan not in building:
            continue
        try:
            check_department_folder(out_real, plan.out_dir, inputs)
        except OutputRefused as exc:
            refusals.append(exc.message)
            continue
        if isinstance(plan, Plan):
            outputs = Outputs(plan.out_dir)
            found.append(outputs)
            names = plan.names + ([pdf_name(n) for n in plan.names] if pdf else [])
            refusals += outputs.refusals(names, inputs, overwrite=overwrite)
    if refusals:
        result.errors += refusals
        result.stopped = True
        return None
    return found


def _chunks(number: int, plan: Plan, size: int) -> list[Chunk]:
    parts = plan.summary_head is not None  # the 汇总表 takes every project's forms from the chunks
    items = [(p.index, p.path, p.number, p.stem, p.todo, p.index + 1 if parts else None)
             for p in plan.built if p.todo or parts]
    return [Chunk(number, plan.ref.folder, plan.template_folder, plan.out_dir, items[i:i + size])
            for i in range(0, len(items), size)]


def _make(building: list[Plan], outputs: list[Outputs], result: BuildResult, pool, workers: int, *,
          progress, pdf: bool, jobs: int | None) -> None:
    """Render, write and finish the departments' documents; what was done goes into ``result``."""
    todo = sum(1 for plan in building for p in plan.built if p.todo or plan.summary_head is not None)
    use_pool = workers > 1 and todo >= SMALL
    size = max(1, min(8, math.ceil(todo / (workers * 4)))) if use_pool else 8
    chunks = [c for number, plan in enumerate(building) for c in _chunks(number, plan, size)]
    total = sum(len(plan.built) for plan in building)
    done = total - todo
    results: list[list[ChunkResult]] = [[] for _ in building]
    left = [sum(1 for c in chunks if c.dept == number) for number in range(len(building))]
    created = []
    reports: list[list[str] | None] = [None] * len(building)  # each department's errors, once finished
    streams: dict[int, _SummaryStream] = {}  # the departments whose 汇总表 is being put together

    def stream(number: int) -> _SummaryStream | None:
        """Department ``number``'s 汇总表 being put together: begun at its first chunk (a zlib stream
        holds a quarter of a megabyte: only the departments being built have one)."""
        plan = building[number]
        if plan.summary_name and number not in streams:
            streams[number] = _SummaryStream(plan, chunks, number)
        return streams.get(number)

    for number, plan in enumerate(building):
        if plan.held is not None:
            dep, template, _ = plan.held
            render.held[os.fsdecode(plan.ref.folder)] = (dep, template, {os.fsdecode(p.path): p for p in dep.projects})
        created.append(not os.path.lexists(plan.out_dir))
        clean_leftovers(plan.out_dir)
        for name in (n for p in plan.built for n in p.kept):
            outputs[number].keep(name)
        for name in plan.summary_kept:
            outputs[number].keep(name)

    def finish_ready() -> None:
        """Finish each department whose chunks are all back, while the workers go on with the others."""
        for number, plan in enumerate(building):
            if left[number] == 0 and reports[number] is None:
                summary = stream(number)
                if summary is not None and not any(c.errors or c.write_error for c in results[number]):
                    plan.summary_bytes[plan.summary_name] = summary.bytes()
                streams.pop(number, None)  # its forms for the 汇总表 let go: memory stays flat over a district
                reports[number] = _finish(plan, outputs[number], results[number], created[number], pdf=pdf, jobs=jobs)
                results[number] = []

    def collect(chunk_result: ChunkResult) -> None:
        nonlocal done
        summary = stream(chunk_result.dept)
        if summary is not None:
            summary.add(chunk_result.parts)
        chunk_result.parts = []
        results[chunk_result.dept].append(chunk_result)
        left[chunk_result.dept] -= 1
        done += len(chunk_result.names)
        if progress and chunk_result.names:
            progress(done, total, chunk_result.names[-1])

    if use_pool and pool is None:
        pool = worker_pool(workers)  # forked now: the workers share the department held above
        owned = pool
    else:
        owned = None
    try:
        if use_pool:
            # A few chunks at a time, so that a department's 汇总表 is put together (and its forms let go)
            # soon after its last chunk, not behind every other department's: memory stays flat.
            waiting = iter(chunks)
            pending = {}

            def top_up() -> None:
                while len(pending) < WINDOW * workers:
                    chunk = next(waiting, None)
                    if chunk is None:
                        return
                    pending[pool.submit(chunk_task, chunk)] = None

            top_up()
            _render_held(building)  # the parent renders the 自评汇总 while the workers render the projects
            finish_ready()
            while pending:
                complete, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in complete:
                    del pending[future]
                    collect(future.result())
                finish_ready()
                top_up()
        else:
            _render_held(building)
            finish_ready()
            for chunk in chunks:
                collect(run_chunk(chunk))
                finish_ready()
    except BrokenProcessPool:  # a worker was killed: what the others wrote is recorded, the rest is not made
        for number, report in enumerate(reports):
            if report is None:
                for chunk in results[number]:
                    for _, documents in chunk.done:
                        for name, key, digest in documents:
                            outputs[number].wrote(name, key, digest)
                outputs[number].abandon()
                reports[number] = []
        result.errors.append(BROKEN)
    finally:
        if owned is not None:
            release(owned)
    for number, report in enumerate(reports):  # in the departments' order, whatever order they finished in
        result.errors += report
        result.written += outputs[number].written
        result.unchanged += outputs[number].unchanged
        result.removed += outputs[number].removed


def _render_held(building: list[Plan]) -> None:
    for plan in building:
        if plan.held is not None and plan.summaries:
            dep, template, scores = plan.held
            render_summaries(plan, dep, dep.ordered_projects(), template, scores)


def _finish(plan: Plan, outputs: Outputs, chunks: list[ChunkResult], created: bool, *, pdf: bool,
            jobs: int | None) -> list[str]:
    """Record what the workers wrote; write the 汇总表, convert to PDF and write the manifest.  The
    errors, in Chinese."""
    errors: list[str] = []
    failed: tuple[int, str] | None = None  # the first document the disk refused
    failures: list[tuple[int, str]] = []  # texts that failed with a project's data
    for chunk in sorted(chunks, key=lambda c: c.first):
        for _, documents in chunk.done:
            for name, key, digest in documents:
                outputs.wrote(name, key, digest)
        failures += chunk.errors
        if chunk.write_error is not None and (failed is None or chunk.write_error[0] < failed[0]):
            failed = chunk.write_error
    messages = list(dict.fromkeys(message for _, message in sorted(failures)))
    try:
        if failed is not None:
            errors += messages
            raise _WriteFailed(failed[1])
        if not messages and not plan.summary_stops:  # a 汇总表 of some of the projects would be wrong
            for name, key, kind in plan.summaries:
                data = plan.summary_bytes.get(name)
                if data is not None:
                    outputs.allow(name)
                    atomic_write_bytes(outputs.folder / name, data)
                    outputs.wrote(name, key, hashlib.sha256(data).hexdigest())
        if plan.summary_error and not messages:
            messages.append(plan.summary_error)
        errors += messages
        if pdf:
            from ..build_pdf import convert_department

            convert_department(outputs, workers=jobs, errors=errors)
        else:
            keep_current_pdfs(outputs)
        if not errors:  # a clean build: the next one may skip it all
            outputs.record = plan.record
        outputs.close(partial=plan.ref.partial)
    except OutputRefused as exc:
        errors.append(exc.message)
        outputs.abandon()
    except (_WriteFailed, OSError) as exc:
        errors.append(str(exc) if isinstance(exc, _WriteFailed) else write_error(exc, outputs.folder))
        outputs.abandon()
        if created:
            _remove_if_empty(outputs.folder)
    plan.summary_bytes.clear()
    return errors


class _SummaryStream:
    """A department's 汇总表 put together while its chunks come back: its head first, then each
    project's forms in the department's order as soon as those before them are in (render/document.py
    compresses them as they come).  Ready moments after the last chunk, and only the forms that
    came early are held."""

    def __init__(self, plan: Plan, chunks: list[Chunk], number: int):
        from ..render.document import StreamedBody

        title, subject, reference, page_numbers = plan.summary_doc
        head = zlib.decompress(plan.summary_head)
        self.body = StreamedBody(reference, [head], title=title, subject=subject, page_numbers=page_numbers)
        self.order = sorted(item[0] for c in chunks if c.dept == number for item in c.items if item[5] is not None)
        self.next = 0  # position in ``order`` of the next form the body takes
        self.early: dict[int, bytes] = {}

    def add(self, parts: list[tuple[int, bytes]]) -> None:
        self.early.update(parts)
        while self.next < len(self.order) and self.order[self.next] in self.early:
            self.body.add(self.early.pop(self.order[self.next]))
            self.next += 1

    def bytes(self) -> bytes | None:
        """The 汇总表, or None when a project's forms never came (its chunk stopped)."""
        return self.body.bytes() if self.next == len(self.order) else None


class _WriteFailed(Exception):
    """A worker could not write a document: ``str()`` is the message (perfdoc.build.render.write_error)."""


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
