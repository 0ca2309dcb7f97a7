"""The one canonical TOML writer of imported files: the model's key order, comments at keys.

A project file (or department.toml) is written from a nested dict shaped like the file:
tables in the order of the model's fields (the scaffold's order), scalar keys before
sub-tables, ``[[indicators]]`` one after another, the rows of ``[evaluation.funding]`` as
inline tables.  Texts of several lines (or long ones) are multi-line strings, one paragraph
a line; every string is escaped so that the loader reads back exactly the text given.  A
value that could not be read is not written: a comment stands where its key would be
(``# annual：导入时无法识别：“……”（原文第 3 个表格第 5 行）``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel

from ..model import Department, Project
from ..model.project import EvaluationRow

__all__ = ["Comment", "write_toml", "project_text", "department_text", "key_path", "toml_string", "model_of",
           "model_fields"]

#: Strings longer than this (characters) are written as multi-line strings even on one line.
LONG_TEXT = 60
#: Tables written inline, as in project-format.md.
_INLINE = (EvaluationRow,)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_ML_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class Comment:
    """A comment at ``path`` (a key, or a table when it names one): ``text`` may span lines."""

    path: tuple
    text: str
    line: int = 0  # set by write_toml: the line (1-based) of the comment's first line in the file


def key_path(key: str) -> tuple:
    """``"indicators[3].target"`` → ``("indicators", 3, "target")`` (the index as written, 0-based)."""
    out: list = []
    for part in key.split("."):
        m = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part)
        if not m:
            out.append(part)
            continue
        if m[1]:
            out.append(m[1])
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m[2]))
    return tuple(out)


def _escape_char(ch: str) -> str:
    return {"\b": r"\b", "\t": r"\t", "\n": r"\n", "\f": r"\f", "\r": r"\r"}.get(ch, f"\\u{ord(ch):04X}")


def toml_string(text: str) -> str:
    """A basic string on one line: ``"…"`` with ``\\``, ``"`` and control characters escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROL.sub(lambda m: _escape_char(m[0]), body) + '"'


def _multiline(text: str) -> str:
    """A multi-line basic string whose value is ``text`` + a final newline (paragraphs stay lines)."""
    body = text.replace("\\", "\\\\")
    if '""' in body or body.endswith('"'):
        body = body.replace('"', '\\"')
    body = _ML_CONTROL.sub(lambda m: _escape_char(m[0]), body)
    return '"""\n' + body + '\n"""'


#: Texts that may be written over several lines (paragraphs): the rest stay on one line.
_PARAGRAPHS = {("goals", "overall"), ("goals", "annual"), ("evaluation", "outcome"), ("indicators", "deviation")}


def _paragraphs(path: tuple) -> bool:
    keys = tuple(p for p in path if not isinstance(p, int))
    return keys[:1] == ("narrative",) or keys in _PARAGRAPHS


def _value(value, multiline: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if multiline and ("\n" in value.strip("\n") or len(value) > LONG_TEXT):
            return _multiline(value.strip("\n"))
        return toml_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


@functools.cache
def model_of(annotation) -> tuple[type[BaseModel] | None, bool]:
    """(the model class a field holds, whether it is a list of them)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple) and args:
        model, _ = model_of(args[0])
        return model, model is not None
    if args:
        for arg in args:
            model, many = model_of(arg)
            if model is not None:
                return model, many
        return None, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


@functools.cache
def model_fields(model: type[BaseModel] | None) -> tuple[tuple[str, ...], dict[str, tuple]]:
    """A model's keys in order, and for each (the model it holds, whether a list of them, whether required)."""
    if model is None:
        return (), {}
    return tuple(model.model_fields), {k: (*model_of(f.annotation), f.is_required())
                                       for k, f in model.model_fields.items()}


def _comment_line(line: str) -> str:
    line = _CONTROL.sub(lambda m: _escape_char(m[0]), line).rstrip()
    return "# " + line if line else "#"


class _Writer:
    def __init__(self, comments: list[Comment], trailing: dict[tuple, str]):
        self.out: list[str] = []
        self.comments = comments
        self.used: set[int] = set()
        self.trailing = trailing
        self.at: dict[int, int] = {}  # id(comment) -> index in out

    def comments_at(self, path: tuple, *, exact: bool = True) -> list[Comment]:
        if len(self.used) == len(self.comments):
            return []
        found = []
        for i, c in enumerate(self.comments):
            if i in self.used:
                continue
            if c.path == path or (not exact and c.path[:len(path)] == path):
                self.used.add(i)
                found.append(c)
        return found

    def emit_comments(self, comments: list[Comment]) -> None:
        for c in comments:
            self.at[id(c)] = len(self.out)
            self.out.extend(_comment_line(line) for line in c.text.split("\n"))

    def table(self, path: tuple, data: dict, model: type[BaseModel] | None, header: str | None) -> None:
        slots, fields = model_fields(model)
        keys = [k for k in slots if k in data] + [k for k in data if k not in fields]
        scalars, tables = [], []
        for k in keys:
            sub, many, _ = fields.get(k, (None, False, False))
            if isinstance(data[k], dict) and not (sub is not None and issubclass(sub, _INLINE)):
                tables.append((k, sub, False))
            elif isinstance(data[k], list) and data[k] and all(isinstance(v, dict) for v in data[k]) and many:
                tables.append((k, sub, True))
            else:
                scalars.append(k)
        if header is not None:
            if self.out:
                self.out.append("")
            self.out.append(header + self.trailing_text(path))
        self.emit_comments(self.comments_at(path))
        written = set()
        for k in list(slots) + [k for k in scalars if k not in fields]:
            if k in scalars and k not in written:
                written.add(k)
                self.emit_comments(self.comments_at(path + (k,), exact=False) if not isinstance(data[k], list)
                                   else self.comments_at(path + (k,)))
                value = _value(data[k], _paragraphs(path + (k,)))
                self.out.append(f"{_key(k)} = {value}{self.trailing_text(path + (k,))}")
            elif k not in data and k in fields:
                sub = fields[k][0]
                if sub is None or issubclass(sub, _INLINE):
                    self.emit_comments(self.comments_at(path + (k,), exact=False))
        for k, sub, many in tables:
            name = ".".join(_key(str(p)) for p in path + (k,))
            if many:
                for i, item in enumerate(data[k]):
                    self.table(path + (k, i), item, sub, f"[[{name}]]")
            else:
                self.table(path + (k,), data[k], sub, f"[{name}]")

    def trailing_text(self, path: tuple) -> str:
        note = self.trailing.get(path)
        return f"  # {note}" if note else ""


def write_toml(data: dict, model: type[BaseModel], *, comments: list[Comment] = (), trailing: dict | None = None,
               head: list[str] = ()) -> str:
    """The file's text: ``head`` lines (comments, without ``#``) first, then the tables.

    ``comments`` go at their key (or at the top of their table, or of the file when neither
    exists in ``data``: a table holding only comments is written with its header).
    """
    data = _with_tables(dict(data), [c.path for c in comments], model)
    writer = _Writer(list(comments), dict(trailing or {}))
    for line in head:
        writer.out.append(line if line.startswith("#") else "# " + line)
    writer.table((), data, model, None)
    rest = [c for i, c in enumerate(writer.comments) if i not in writer.used]
    if rest:
        writer.out.append("")
        writer.emit_comments(rest)
    starts, line = [], 1
    for entry in writer.out:
        starts.append(line)
        line += entry.count("\n") + 1
    for c in writer.comments:
        if id(c) in writer.at:
            c.line = starts[writer.at[id(c)]]
    return "\n".join(writer.out) + "\n"


def _with_tables(data: dict, paths: list[tuple], model: type[BaseModel]) -> dict:
    """Create the (empty) tables a comment needs to stand in, e.g. [narrative] for narrative.overview."""
    for path in paths:
        node, cls = data, model
        for i, part in enumerate(path[:-1] if len(path) > 1 else path):
            if isinstance(part, int) or not isinstance(node, dict):
                break
            fields = cls.model_fields if cls is not None else {}
            if part not in fields:
                break
            sub, many = model_of(fields[part].annotation)
            if sub is None or many or issubclass(sub, _INLINE):
                break
            if part not in node:
                node[part] = {}
            elif not isinstance(node[part], dict):
                break
            else:
                node[part] = dict(node[part])
            node, cls = node[part], sub
    return data


def project_text(data: dict, **kwargs) -> str:
    return write_toml(data, Project, **kwargs)


def department_text(data: dict, **kwargs) -> str:
    return write_toml(data, Department, **kwargs)

