"""Worker processes: ``build -j N``, ``check -j N``, ``import``.

A pool of N processes, forked where the system can (they start at once and share what the
parent already imported, and loaded: a department held for the build), spawned elsewhere.
Workers ignore Ctrl-C (the parent stops the build) and die with the parent: a build killed with
``kill -9`` leaves no process writing behind it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["worker_pool", "release", "default_jobs", "spread", "forks"]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def forks() -> bool:
    """Whether workers start by fork (Linux: at once, sharing what this process imported and
    loaded) rather than spawn (macOS, Windows: each starts Python and imports perfdoc again)."""
    return hasattr(os, "fork") and sys.platform not in ("darwin", "win32")


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork" if forks() else "spawn")


def worker_pool(jobs: int, *, context=None, spreading: tuple | None = None):
    """A ProcessPoolExecutor of ``jobs`` workers (``spreading``: the workers of :func:`spread`).
    What this process holds now is frozen for the garbage collector (gc.freeze, until
    :func:`release`): a forked worker then shares those pages instead of copying each one the
    collector would touch."""
    import gc
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context or _context(), initializer=_start_worker,
                               initargs=(os.getpid(), spreading))


def release(pool) -> None:
    """Shut ``pool`` down (running tasks finish, waiting ones are dropped) and unfreeze the collector."""
    import gc

    pool.shutdown(wait=True, cancel_futures=True)
    gc.unfreeze()


#: A worker of :func:`spread`: (bounds, function, tasks), set when it starts.
_spreading_with: tuple | None = None


def _start_worker(parent: int, spreading: tuple | None = None) -> None:
    global _spreading_with
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before this worker was ready
        os._exit(1)
    _spreading_with = spreading


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


def spread(function, tasks: list, jobs: int) -> list:
    """``[function(task) for task in tasks]``, over ``jobs`` processes: this one and ``jobs - 1`` workers.

    Every process takes the next task left when it is free: the workers from the front, this
    process from the back, from a pair of shared counters.  So no core waits while there is
    work, and the results of this process's tasks are not sent between processes.  The tasks
    of a worker that dies (its results lost with it) are done by this process.  ``function``
    and the tasks must be picklable (a module-level function, plain data).
    """
    if jobs <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    from concurrent.futures.process import BrokenProcessPool

    context = _context()
    bounds = context.Array("q", [0, len(tasks)])  # the next task from the front, the end of those left
    workers = min(jobs, len(tasks)) - 1
    pool = worker_pool(workers, context=context, spreading=(bounds, function, tasks))
    results: dict[int, object] = {}
    try:
        futures = [pool.submit(_spreading) for _ in range(workers)]
        while (i := _take(bounds, front=False)) is not None:
            results[i] = function(tasks[i])
        for future in futures:
            try:
                results.update(future.result())
            except BrokenProcessPool:
                pass  # what it did is lost: done below
    finally:
        with bounds.get_lock():  # stopped early (Ctrl-C): the workers take nothing more
            bounds[0] = bounds[1]
        release(pool)
    return [results[i] if i in results else function(task) for i, task in enumerate(tasks)]


def _spreading() -> dict[int, object]:
    """A worker's part of :func:`spread`: tasks from the front until none is left."""
    bounds, function, tasks = _spreading_with
    done = {}
    while (i := _take(bounds, front=True)) is not None:
        done[i] = function(tasks[i])
    return done


def _take(bounds, *, front: bool) -> int | None:
    """The index of the next task left (from the front or from the back), or None."""
    with bounds.get_lock():
        first, end = bounds[0], bounds[1]
        if first >= end:
            return None
        if front:
            bounds[0] = first + 1
            return first
        bounds[1] = end - 1
        return end - 1
