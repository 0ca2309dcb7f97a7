"""Help pages in Chinese: ``用法：``, ``参数：``, ``选项：``, ``命令：``, ``[默认：…]``, Chinese metavars.

Typer (≥ 0.26 carries its own copy of Click) writes its help words as literal English strings,
not through a translation catalogue, so perfdoc's command classes write the whole page
themselves from the parameters' declarations.  Line widths count a Chinese character as two
columns, and a line never breaks inside a word (see ``textwidth``).
"""

from __future__ import annotations

import inspect
from enum import Enum

from .textwidth import pad, width, wrap

__all__ = ["help_page", "usage_line", "metavar", "param_label", "choices", "type_name", "HELP_TEXT"]

HELP_TEXT = "显示此帮助并退出"
#: The longest first column before the description moves to the next line.
_FIRST_COLUMN = 30
#: Chinese names for a value of each type, when a parameter declares no metavar.
_TYPE_NAMES = {"Path": "路径", "str": "文本", "int": "整数", "float": "数值", "bool": "是否",
               "path": "路径", "text": "文本", "integer": "整数", "file": "文件", "directory": "文件夹"}


def choices(param) -> list[str] | None:
    """The values a parameter accepts, when it is a choice (an Enum), else None."""
    found = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if found is None:
        found = getattr(getattr(param, "type", None), "choices", None)
    if not found:
        return None
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in found]


def type_name(param) -> str:
    """The Chinese name of the parameter's value type: 路径, 文本, 整数…."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if annotation is not None:
        args = getattr(annotation, "__args__", None)
        if args and len(args) == 1:  # list[Path] -> Path
            annotation = args[0]
        name = getattr(annotation, "__name__", "")
    else:
        name = getattr(getattr(param, "type", None), "name", "")
    return _TYPE_NAMES.get(name, "值")


def _is_value_option(param) -> bool:
    return not getattr(param, "is_flag", False) and not getattr(param, "count", False)


def metavar(param) -> str:
    """What stands for the parameter's value: its declared metavar, ``[a|b]`` for a choice, or its type."""
    declared = getattr(param, "metavar", None)
    if declared:
        return declared
    options = choices(param)
    if options:
        return "[" + "|".join(options) + "]"
    return type_name(param)


def _many(param) -> bool:
    return param.nargs != 1


def param_label(param) -> str:
    """How messages name a parameter: ``--format`` for an option, its metavar for an argument."""
    if param.param_type_name == "option":
        return max(param.opts, key=len) if param.opts else metavar(param)
    return metavar(param)


def _usage_piece(param) -> str:
    name = metavar(param) + ("…" if _many(param) else "")
    return name if param.required else f"[{name}]"


def usage_line(command, ctx) -> str:
    """``perfdoc check [选项] [路径…]``"""
    pieces = [ctx.command_path]
    params = command.get_params(ctx)
    if any(p.param_type_name == "option" and not getattr(p, "hidden", False) for p in params):
        pieces.append("[选项]")
    pieces += [_usage_piece(p) for p in params if p.param_type_name == "argument" and not getattr(p, "hidden", False)]
    if hasattr(command, "commands"):
        pieces.append("命令 …")
    return " ".join(pieces)


def _default_text(param) -> str | None:
    shown = getattr(param, "show_default", False)
    if isinstance(shown, str):  # a default described in words: show_default="当前文件夹"
        return shown
    if not shown or getattr(param, "is_flag", False):
        return None
    default = param.default
    if default is None or callable(default) or default in ("", (), [], False):
        return None
    if isinstance(default, Enum):
        default = default.value
    if isinstance(default, (list, tuple)):
        return "、".join(str(d.value if isinstance(d, Enum) else d) for d in default)
    return str(default)  # a Path prints as the user would type it: out, .


def _record(param, help_option) -> tuple[str, str]:
    """The two columns of a parameter's line: its names and metavar, its help with the default."""
    if param.param_type_name == "argument":
        first = metavar(param) + ("…" if _many(param) else "")
        options = choices(param)
        if options and getattr(param, "metavar", None):  # 种类 [project|department]
            first += " [" + "|".join(options) + "]"
    else:
        names = sorted(param.opts, key=lambda o: (len(o) - len(o.lstrip("-")), o))
        first = ", ".join(names)
        if _is_value_option(param):
            first += " " + metavar(param) + ("…" if param.nargs > 1 else "")
        if param.secondary_opts:
            first += " / " + ", ".join(param.secondary_opts)
    text = HELP_TEXT if param is help_option else inspect.cleandoc(param.help or "")
    extra = []
    default = _default_text(param)
    if default is not None:
        extra.append(f"默认：{default}")
    if param.required and param.param_type_name == "option":
        extra.append("必填")
    if extra:
        text = f"{text}  [{'；'.join(extra)}]" if text else f"[{'；'.join(extra)}]"
    return first, text


_ITEM = ("- ", "* ", "• ")
_SENTENCE_END = ("。", "！", "？", "：")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(head: str, tail: str) -> str:
    """Two pieces of one sentence: a space only between two Latin words, as a person types it."""
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return f"{head} {tail}"
    return head + tail


def _logical_lines(text: str) -> list[str]:
    """The help text's lines as the author meant them: a line broken in mid-sentence joins the
    line before; a sentence, a list item (``- …``) and a ``\\b`` block's line stay on their own."""
    out: list[str] = []
    keep = False  # inside a block marked by a \b line: lines are not joined, except a list item's
    item = False
    for raw in inspect.cleandoc(text).partition("\f")[0].splitlines():
        body = raw.strip()
        if body == "\b":
            keep = True
            continue
        if not body:
            out.append("")
            keep = item = False
            continue
        previous = out[-1] if out else ""
        continues = bool(previous.strip()) and not body.startswith(_ITEM) and (
            (item and _indent(raw) > _indent(previous)) if keep
            else not previous.rstrip().endswith(_SENTENCE_END))
        if continues:
            out[-1] = _join(previous.rstrip(), body)
        else:
            out.append(raw.rstrip())
            item = body.startswith(_ITEM)
    return out


def _paragraphs(text: str, columns: int, indent: str) -> list[str]:
    """The help text wrapped to ``columns``; a list item's continuation lines hang under its text."""
    out: list[str] = []
    for line in _logical_lines(text):
        if not line:
            out.append("")
            continue
        lead = " " * _indent(line)
        body = line.strip()
        hang = "  " if body.startswith(_ITEM) else ""
        out += wrap(body, columns, indent + lead, indent + lead + hang)
    return out


def _definitions(rows: list[tuple[str, str]], columns: int, indent: str = "  ") -> list[str]:
    if not rows:
        return []
    first = min(max(width(r[0]) for r in rows), _FIRST_COLUMN) + 2
    out: list[str] = []
    for name, text in rows:
        room = max(columns - width(indent) - first, 20)
        lines = _paragraphs(text, room, "") if text else []
        if width(name) + 2 > first:
            out.append(indent + name)
            out += [indent + " " * first + line if line else "" for line in lines]
            continue
        head = lines[0] if lines else ""
        out.append((indent + pad(name, first) + head).rstrip())
        out += [indent + " " * first + line if line else "" for line in lines[1:]]
    return out


def _short_help(command) -> str:
    if command.short_help:
        return inspect.cleandoc(command.short_help)
    lines = [ln for ln in inspect.cleandoc(command.help or "").splitlines() if ln.strip() != "\b"]
    return lines[0].strip() if lines else ""


def help_page(command, ctx, columns: int) -> str:
    """The whole ``--help`` page of a command or of the group."""
    out = wrap(usage_line(command, ctx), columns, "用法：", "      ")
    if command.help:
        out.append("")
        out += _paragraphs(command.help, columns, "  ")
    help_option = command.get_help_option(ctx)
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    for title, kind in (("参数", "argument"), ("选项", "option")):
        rows = [_record(p, help_option) for p in params if p.param_type_name == kind]
        if rows:
            out += ["", f"{title}："] + _definitions(rows, columns)
    commands = getattr(command, "commands", None)
    if commands:
        rows = [(name, _short_help(cmd)) for name in command.list_commands(ctx)
                if (cmd := command.get_command(ctx, name)) is not None and not cmd.hidden]
        out += ["", "命令："] + _definitions(rows, columns)
    if command.epilog:
        out.append("")
        out += _paragraphs(command.epilog, columns, "  ")
    return "\n".join(out) + "\n"
