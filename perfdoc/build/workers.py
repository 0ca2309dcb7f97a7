"""The build's tasks for worker processes (``build -j N``); the pool itself is perfdoc/pool.py."""

from __future__ import annotations

__all__ = ["plan_task", "chunk_task"]


def plan_task(args):
    """Plan a department in a worker: the 汇总表 rendered, the loaded projects dropped."""
    from .plan import plan_department

    ref, out, force, pdf = args
    return plan_department(ref, out, force=force, pdf=pdf, summaries=True, hold=False)


def chunk_task(chunk):
    from .render import run_chunk

    return run_chunk(chunk)
