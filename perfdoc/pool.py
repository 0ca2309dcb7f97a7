"""Worker processes: ``build -j N``, ``check -j N``, ``import``.

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

__all__ = ["worker_pool", "release", "default_jobs", "spread"]


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


def spread(function, tasks: list, jobs: int) -> list:
    """``[function(task) for task in tasks]``, over ``jobs`` processes: this one and ``jobs - 1`` workers.

    The workers take tasks from the front, this process from the back (each task it takes before
    a worker has started it), so no core waits while there is work and no result of this
    process's tasks is sent between processes.  A worker that dies leaves its task to this process.
    ``function`` and the tasks must be picklable (module-level function, plain data).
    """
    if jobs <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    from concurrent.futures.process import BrokenProcessPool

    pool = worker_pool(min(jobs, len(tasks)) - 1)
    results: list = [None] * len(tasks)
    done = [False] * len(tasks)
    try:
        futures = [pool.submit(function, task) for task in tasks]
        for i in reversed(range(len(tasks))):
            if not futures[i].cancel():  # a worker has it: so has it every task before
                break
            results[i], done[i] = function(tasks[i]), True
        for i, future in enumerate(futures):
            if not done[i]:
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    results[i] = function(tasks[i])
                done[i] = True
    finally:
        release(pool)
    return results
