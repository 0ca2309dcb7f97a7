"""Command-line mistakes told in Chinese: unknown commands and options, missing or wrong values.

Typer's parser raises Click's exception classes with English messages; perfdoc's command
classes catch them (``framework``) and ``describe`` writes the message again in Chinese from
the exception's own fields (the option, the parameter, the value given), not from its text.
"""

from __future__ import annotations

import difflib
import re
import sys
from typing import TextIO

import typer

from .helpfmt import choices, param_label, type_name, usage_line

__all__ = ["describe", "show_usage_error", "suggest", "UsageError", "ClickException", "Abort"]

# The exception classes of the Click that typer uses (its own copy since typer 0.26, click before).
_exceptions = sys.modules[typer.BadParameter.__module__]
ClickException = _exceptions.ClickException
UsageError = _exceptions.UsageError
BadParameter = _exceptions.BadParameter
MissingParameter = _exceptions.MissingParameter
NoSuchOption = _exceptions.NoSuchOption
BadOptionUsage = _exceptions.BadOptionUsage
BadArgumentUsage = _exceptions.BadArgumentUsage
FileError = getattr(_exceptions, "FileError", ())
NoArgsIsHelpError = getattr(_exceptions, "NoArgsIsHelpError", ())
Abort = typer.Abort

_CJK = re.compile(r"[\u3400-\u9fff]")


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + " 或 " + words[-1]


def suggest(word: str, known: list[str]) -> str:
    """``，是不是要用 check？`` when ``word`` looks like a known name, else an empty string."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"，是不是要用 {close[0]}？" if close else ""


def _params(ctx) -> list:
    if ctx is None:
        return []
    return list(ctx.command.get_params(ctx))


def _option(ctx, name: str):
    for param in _params(ctx):
        if param.param_type_name == "option" and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _who(param) -> str:
    """``选项 --format`` or ``参数“名称”``."""
    if param is None:
        return "参数"
    label = param_label(param)
    return f"选项 {label}" if param.param_type_name == "option" else f"参数“{label}”"


def _then(text: str) -> str:
    """A space between a Latin word and the Chinese that follows it, as the rest of perfdoc writes."""
    return text + " " if text[-1:].isascii() else text


def _given(exc) -> str | None:
    """The value the user wrote, when the parser kept it (typer validates with pydantic)."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # noqa: BLE001 - any failure here only loses the value from the message
            return None
        if found and isinstance(found[0].get("input"), (str, int, float)):
            return str(found[0]["input"])
    return None


def _accepts(param) -> str:
    """``，可选 text 或 json`` for a choice, ``，应是 1 到 64 之间的整数`` for a number, else nothing."""
    options = choices(param)
    if options:
        return f"，可选 {_or(options)}"
    kind = type_name(param)
    if kind not in ("整数", "数值"):
        return ""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"，应是 {low} 到 {high} 之间的{kind}"
    if low is not None:
        return f"，应是不小于 {low} 的{kind}"
    if high is not None:
        return f"，应是不大于 {high} 的{kind}"
    return f"，应是{kind}"


def describe(exc) -> str:
    """The exception's message in Chinese."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoSuchOption):
        known = sorted({o for p in _params(ctx) for o in (*p.opts, *p.secondary_opts) if o.startswith("-")})
        return f"没有选项“{exc.option_name}”" + (suggest(exc.option_name, known) or "")
    if isinstance(exc, BadOptionUsage):
        param = _option(ctx, exc.option_name)
        if param is not None and (getattr(param, "is_flag", False) or getattr(param, "count", False)):
            return f"选项 {exc.option_name} 不接受值"
        return f"选项 {exc.option_name} 后面要写一个值" + (_accepts(param) if param is not None else "")
    if isinstance(exc, MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "option":
            return f"缺少选项 {param_label(param)}" + _accepts(param)
        return f"缺少{_who(param)}" + (_accepts(param) if param is not None else "")
    if isinstance(exc, BadArgumentUsage):
        return f"参数的个数不对：{exc.message}" if _CJK.search(exc.message) else "参数的个数不对"
    if isinstance(exc, BadParameter):
        who = _who(exc.param)
        if _CJK.search(exc.message):  # perfdoc's own reason, already in Chinese
            return f"{who}：{exc.message}"
        given = _given(exc)
        value = f"的值“{given}”无效" if given is not None else "的值无效"
        return _then(who) + value + (_accepts(exc.param) if exc.param is not None else "")
    if FileError and isinstance(exc, FileError):
        return f"无法打开文件“{exc.ui_filename}”"
    message = exc.format_message()
    if message.rstrip(".") == "Missing command":
        return "缺少命令"
    return message


def show_usage_error(exc, file: TextIO | None = None) -> None:
    """``perfdoc: 消息``, then the usage line and where to read the help."""
    file = file or sys.stderr
    ctx = getattr(exc, "ctx", None)
    if NoArgsIsHelpError and isinstance(exc, NoArgsIsHelpError):
        typer.echo(exc.format_message(), file=file)
        return
    typer.echo(f"perfdoc: {describe(exc)}", file=file)
    if ctx is not None and isinstance(exc, UsageError):
        typer.echo(f"用法：{usage_line(ctx.command, ctx)}", file=file)
        if ctx.command.get_help_option(ctx) is not None:
            typer.echo(f"查看帮助：{ctx.command_path} {ctx.help_option_names[-1]}", file=file)
