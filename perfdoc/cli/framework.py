"""perfdoc's Typer app, group and command classes: help pages and usage errors in Chinese.

Every subcommand registered with ``app.command`` uses ``PerfdocCommand``; the group runs the
whole command line and prints any usage error itself (``errors.show_usage_error``) instead of
Click's ``Error: …`` text.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from .. import exitcodes
from .errors import Abort, ClickException, UsageError, show_usage_error, suggest
from .helpfmt import help_page, usage_line

__all__ = ["PerfdocTyper", "PerfdocGroup", "PerfdocCommand"]


class _Chinese:
    """Help page, usage line and extra-argument check shared by the group and the commands."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(help_page(self, ctx, formatter.width))

    def format_usage(self, ctx, formatter) -> None:
        formatter.write(f"用法：{usage_line(self, ctx)}\n")

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
    pass


class PerfdocGroup(_Chinese, TyperGroup):
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
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("已中止。", err=True)
            sys.exit(exitcodes.USAGE)
        sys.exit(code if isinstance(code, int) else exitcodes.OK)


class PerfdocTyper(typer.Typer):
    """A Typer whose commands are ``PerfdocCommand`` unless a command names another class."""

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any):
        return super().command(name, cls=cls or PerfdocCommand, **kwargs)
