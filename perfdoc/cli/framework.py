"""perfdoc's Typer app, group and command classes: help pages and usage errors in Chinese.

Every subcommand registered with ``app.command`` uses ``PerfdocCommand``; the group runs the
whole command line and prints any usage error itself (``errors.show_usage_error``) instead of
Click's ``Error: …`` text, and any OS error no command caught (a full disk, no permission, a
closed pipe) as one Chinese line naming the file, with exit code 2 and no traceback.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from .. import exitcodes
from .errors import Abort, ClickException, UsageError, show_usage_error, suggest
from .helpfmt import help_page, usage_line
from .params import install_light_coercion

__all__ = ["PerfdocTyper", "PerfdocGroup", "PerfdocCommand"]


class _Chinese:
    """Help page, usage line and extra-argument check shared by the group and the commands."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(help_page(self, ctx, formatter.width))

    def format_usage(self, ctx, formatter) -> None:
        formatter.write(f"用法：{usage_line(self, ctx)}\n")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            install_light_coercion([option])
        return option

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # left-over words are reported below, in Chinese
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as exc:
            if exc.ctx is None:  # the option parser raises without the context: the message needs it
                exc.ctx, exc.cmd = ctx, self
            raise
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise UsageError(f"多余的参数：{' '.join(rest)}", ctx)
        return rest


class PerfdocCommand(_Chinese, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        install_light_coercion(self.params)  # no pydantic for plain option values (params.py)


class PerfdocGroup(_Chinese, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        install_light_coercion(self.params)

    def resolve_command(self, ctx, args: list[str]):
        name = args[0] if args else ""
        if (name and not name.startswith("-") and self.get_command(ctx, name) is None
                and not ctx.resilient_parsing):
            known = [n for n in self.list_commands(ctx) if not self.get_command(ctx, n).hidden]
            hint = suggest(name, known) or f"；可用的命令：{'、'.join(known)}"
            raise UsageError(f"没有命令“{name}”{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra: Any):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        _open_missing_streams()
        stdout = sys.stdout
        sys.stdout = _Marked(stdout)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()  # a full disk behind ``> file`` shows here, not after the exit
        except ClickException as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("已中止。", err=True)
            sys.exit(exitcodes.USAGE)
        except OSError as exc:
            sys.exit(_os_error(exc, stdout))
        finally:
            if isinstance(sys.stdout, _Marked):
                sys.stdout = stdout
        sys.exit(code if isinstance(code, int) else exitcodes.OK)


class _Marked:
    """Standard output (or its byte buffer), whose write errors carry ``perfdoc_stdout``."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except OSError as exc:
            exc.perfdoc_stdout = True
            raise

    def flush(self):
        try:
            return self._stream.flush()
        except OSError as exc:
            exc.perfdoc_stdout = True
            raise

    @property
    def buffer(self):
        """The byte stream below (textconv writes bytes), marked the same way."""
        return _Marked(self._stream.buffer)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _open_missing_streams() -> None:
    """Standard input, output or error closed by the caller (``>&-``): /dev/null in their place, so
    that output is dropped and no file perfdoc opens gets their numbers."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", errors="replace", closefd=False))


def _os_error(exc: OSError, stdout) -> int:
    """An OS error no command caught: a Chinese line on stderr naming the file, exit code 2.

    Output that cannot be written ends the command: quietly with exit code 1 when the reader of
    a pipe has gone (``| head``, as Click does), with one line and exit code 2 otherwise
    (``> /dev/full``); what is still buffered is dropped, so Python does not report it again
    at exit."""
    from ..fsutil import os_reason

    if getattr(exc, "perfdoc_stdout", False) or exc.errno == errno.EPIPE:
        _drop(stdout)
        if exc.errno == errno.EPIPE:
            return exitcodes.FAULTS
        message = f"perfdoc: 无法写出结果（标准输出）：{os_reason(exc)}"
    elif exc.filename:
        where = os.fsdecode(exc.filename)
        also = f" → {os.fsdecode(exc.filename2)}" if exc.filename2 else ""
        message = f"perfdoc: {where}{also}：{os_reason(exc)}"
    else:
        message = f"perfdoc: 操作失败：{os_reason(exc)}"
    try:
        typer.echo(message, err=True)
    except (OSError, ValueError):
        _drop(sys.stderr)
    return exitcodes.USAGE


def _drop(stream) -> None:
    """Point a standard stream at /dev/null: its buffered text is discarded at exit without an error."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


class PerfdocTyper(typer.Typer):
    """A Typer whose commands are ``PerfdocCommand`` unless a command names another class."""

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any):
        return super().command(name, cls=cls or PerfdocCommand, **kwargs)
