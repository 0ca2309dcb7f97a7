"""The build's tasks for worker processes (``build -j N``); the pool itself is perfdoc/pool.py."""

from __future__ import annotations

from ..pool import default_jobs, release, worker_pool

__all__ = ["worker_pool", "release", "default_jobs", "plan_task", "chunk_task", "summary_task"]


def plan_task(args):
    """Plan a department in a worker: the 汇总表 rendered, the loaded projects dropped."""
    from .plan import plan_department

    ref, out, force, pdf = args
    return plan_department(ref, out, force=force, pdf=pdf, summaries=True, hold=False)


def chunk_task(chunk):
    from .render import run_chunk

    return run_chunk(chunk)


def summary_task(job) -> bytes:
    """The 汇总表's bytes from its XML fragments (its head, then every project's forms)."""
    from ..render.document import render_bytes

    parts, (title, subject, reference, page_numbers) = job
    return render_bytes(reference, parts, title=title, subject=subject, page_numbers=page_numbers)
