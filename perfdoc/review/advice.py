"""What a reviewer asks for, in short: each rule's good example (its docstring's 合格 block)
told with the form's own labels instead of TOML keys.

``[funding]`` / ``total = 1020000`` / ``total_fiscal = 1000000`` becomes
``项目资金总额 1020000；项目资金总额中的财政资金 1000000``: the label of each key is the
first part of the model's description of that field; a value is shown as written
(strings without their quotes); a comment after a value is kept in brackets.
"""

from __future__ import annotations

import functools
import inspect
import re
from decimal import Decimal

import tomli
from pydantic import BaseModel

from ..check import rule_by_code
from ..check.codes import LOAD_CODES
from ..load.messages import nested_model
from ..model import Project

__all__ = ["advice_for", "rule_name", "good_example"]

#: What a reviewer asks for when the loader (not a rule) found the fault.
_LOAD_ADVICE = {
    "PD002": "请按表上栏目的要求改正此处的值（日期、金额、选项等）。",
    "PD003": "请补填此处缺少的内容。",
    "PD004": "请删除或改正表上不属于该栏目的内容。",
}
_HEADER = re.compile(r"^\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?$")
_ASSIGN = re.compile(r"^([A-Za-z0-9_.]+)\s*=\s*(.+?)$")


def _label(description: str, key: str) -> str:
    if not description:
        return key
    short = re.split(r"[，；：（(]", description, maxsplit=1)[0].strip()
    return re.sub(r"^\d+\.", "", short) or key


def _field(model: type[BaseModel] | None, key: str) -> tuple[str, type[BaseModel] | None]:
    """(label, nested model) of ``key`` in ``model``; the key itself when the model does not know it."""
    if model is None or key not in model.model_fields:
        return key, None
    info = model.model_fields[key]
    return _label(info.description or "", key), nested_model(info.annotation)


def _model_at(root: type[BaseModel], dotted: str) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in dotted.split("."):
        model = _field(model, part)[1] if model is not None else None
    return model


def _value_text(value, model: type[BaseModel] | None) -> str:
    if isinstance(value, dict):
        return "、".join(f"{_field(model, k)[0]} {_value_text(v, _field(model, k)[1])}" for k, v in value.items())
    if isinstance(value, list):
        return "—".join(_value_text(v, None) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


def _split_comment(line: str) -> tuple[str, str]:
    """(assignment, comment) of a line: a ``#`` outside quotes starts the comment."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def _example_block(doc: str) -> list[str]:
    """The lines of the 合格 block of a rule's docstring."""
    lines = doc.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "合格::"), None)
    if start is None:
        return []
    out = []
    for line in lines[start + 1:]:
        if line.strip() and not line.startswith((" ", "\t")):
            break
        out.append(line.strip())
    return [line for line in out if line]


def good_example(doc: str, root: type[BaseModel] = Project) -> str:
    """The 合格 example of a docstring in short form, e.g. ``项目资金总额 1020000；…``."""
    prefix = ""
    items = []
    for line in _example_block(doc):
        body, comment = _split_comment(line)
        if not body or body == "...":
            if comment and items:
                items[-1] += f"（{comment}）"
            continue
        header = _HEADER.match(body)
        if header:
            prefix = header[1]
            continue
        assign = _ASSIGN.match(body)
        if not assign:
            continue
        key, raw = assign[1], assign[2]
        try:
            value = tomli.loads(f"v = {raw}", parse_float=Decimal)["v"]
        except tomli.TOMLDecodeError:
            value = raw
        dotted = f"{prefix}.{key}" if prefix else key
        parent = dotted.rsplit(".", 1)[0] if "." in dotted else ""
        model = _model_at(root, parent) if parent else root
        if parent and model is None and root is Project:
            model = _model_at(Project, f"project.{parent}") or _model_at(Project, f"indicators.{parent}")
        leaf = dotted.rsplit(".", 1)[-1]
        if model is root and leaf not in root.model_fields:  # a bare key of an indicator or [project]
            for table in ("indicators", "project", "funding", "goals"):
                sub = _model_at(root, table)
                if sub is not None and leaf in sub.model_fields:
                    model = sub
                    break
        label, sub = _field(model, leaf)
        shown = _value_text(value, sub)
        text = f"{label}{shown}" if shown.startswith("“") else f"{label} {shown}"
        items.append(text + (f"（{comment}）" if comment else ""))
    return "；".join(items)


@functools.lru_cache(maxsize=None)
def advice_for(code: str) -> str:
    """What to ask for: ``合格示例：…`` from the rule's docstring (a load code: a fixed request)."""
    if code in _LOAD_ADVICE:
        return _LOAD_ADVICE[code]
    try:
        rule = rule_by_code(code)
    except KeyError:
        return ""
    example = good_example(inspect.getdoc(rule) or "")
    return f"合格示例：{example.rstrip('。')}。" if example else ""


def rule_name(code: str) -> str:
    try:
        return rule_by_code(code).name
    except KeyError:
        return next((c.name for c in LOAD_CODES if c.code == code), "")
