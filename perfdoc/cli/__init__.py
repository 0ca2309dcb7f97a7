"""The command line: a thin layer that parses options, calls one core function, prints, exits.

``perfdoc --version`` alone is answered here, before Typer and the commands are imported (it
needs nothing else); everything else goes to the Typer app (``app``, in root.py, imported on
first use).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from .. import __version__

__all__ = ["app", "main"]


def __getattr__(name: str):
    if name == "app":
        from .root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    if sys.argv[1:] == ["--version"] and sys.stdout is not None:
        try:
            sys.stdout.write(f"perfdoc {__version__}\n")
            sys.stdout.flush()
        except OSError as exc:  # as the app says it (framework): one Chinese line, exit code 2
            from .framework import _os_error

            exc.perfdoc_stdout = True
            sys.exit(_os_error(exc, sys.stdout))
        sys.exit(0)
    from .root import app

    try:
        app(prog_name="perfdoc")  # also under ``python -m perfdoc``: the name a user types
    except SystemExit as exc:
        _exit(exc)
    _exit(SystemExit(0))


def _exit(exc: SystemExit) -> NoReturn:
    """End the process with ``exc``'s exit code at once: the output flushed and the exit handlers
    run, as at a normal exit, but the objects of a big check or build not freed one by one (the
    system takes the memory back).  Only when nothing else is running and ``exc`` carries a
    code: else (a thread still writing, a message to print, output that cannot be flushed) the
    normal exit."""
    import threading

    if not isinstance(exc.code, (int, type(None))) or threading.active_count() > 1:
        raise exc
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise exc from None
    import atexit

    atexit._run_exitfuncs()
    os._exit(exc.code or 0)
