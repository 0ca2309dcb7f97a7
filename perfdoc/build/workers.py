"""The build's worker processes (``build -j N``).

A pool of N processes, forked where the system can (they start at once and share what the
parent already imported, and loaded: a department held for the build), spawned elsewhere.
Workers ignore Ctrl-C (the parent stops the build) and die with the parent: a build killed with
``kill -9`` leaves no process writing behind it.
"""

from __future__ import annotations

import os
import signal
import threading
import time

__all__ = ["worker_pool", "release", "default_jobs", "plan_task", "chunk_task", "summary_task"]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_pool(jobs: int):
    """A ProcessPoolExecutor of ``jobs`` workers.  What this process holds now is frozen for the garbage
    collector (gc.freeze, until :func:`release`): a forked worker then shares those pages instead of
    copying each one the collector would touch."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(),))


def release(pool) -> None:
    """Shut ``pool`` down (running tasks finish, waiting ones are dropped) and unfreeze the collector."""
    import gc

    pool.shutdown(wait=True, cancel_futures=True)
    gc.unfreeze()


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before this worker was ready
        os._exit(1)


def _die_with_parent() -> bool:
    """Linux: the kernel kills this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


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
