"""Chinese messages for TOML syntax errors and schema validation errors."""

from __future__ import annotations

import ast
import difflib
import re
import typing

from pydantic import BaseModel

from ..model.shown import clip

__all__ = ["toml_message", "validation_message", "field_label", "dotted_path", "nested_model", "unknown_key_message"]

# Every message tomli raises (tomli/_parser.py), most specific first.  A message that names
# something (a key, a character) has it after the English prefix; ``{0}`` is that, made
# readable by ``_named``.
_TOML: list[tuple[re.Pattern, str]] = [(re.compile(pattern), chinese) for pattern, chinese in [
    (r"Expected '=' after a key", "键后面缺少“=”"),
    (r"Invalid value", "值无法识别（文字需加引号，如 name = \"项目名称\"）"),
    (r"Unclosed array", "数组缺少右方括号“]”"),
    (r"Unclosed inline table", "内联表缺少右花括号“}”"),
    (r"Cannot overwrite a value", "同一个键重复定义（或给已有的值再次赋值）"),
    (r"Cannot declare (.+) twice", "表重复定义：[{0}] 写了两次（同一个表头只能写一次）"),
    (r"Cannot mutate immutable namespace (.+)", "{0} 是内联表或数组，写完后不能再添加键"),
    (r"Cannot redefine namespace (.+)", "用点号写的键与已有的表 [{0}] 重复"),
    (r"Duplicate inline table key (.+)", "内联表中的键“{0}”重复"),
    (r"Invalid statement", "无法识别的语句"),
    (r"Unterminated string", "字符串缺少结束引号"),
    (r"Illegal character (.+)", "字符串中含有不允许的字符 {0}（控制字符请删除；换行请用三个引号的多行文字）"),
    (r"Found invalid character (.+)", "含有不允许的字符 {0}（注释和字符串中不能有控制字符）"),
    (r"Invalid date or datetime", "日期或时间格式错误或不存在（应写作 2026-01-01）"),
    (r"Invalid initial character for a key part", "键名无法识别（含有非法字符？键名请用英文，如 name）"),
    (r"Expected '\]' at the end of a table declaration", "表头缺少右方括号“]”"),
    (r"Expected '\]\]' at the end of an array declaration", "表数组头缺少“]]”"),
    (r"Expected newline or end of document after a statement", "一行只能写一个键值对（值后面多了内容）"),
    (r"Expected \"'''\"", "多行文字缺少结束的三个单引号"),
    (r"Expected \"'\"", "字符串缺少结束的单引号"),
    (r"Expected (.+)", "缺少“{0}”"),
    (r"Unescaped '\\' in a string", "字符串中的反斜杠“\\”需写作“\\\\”"),
    (r"Invalid hex value", "转义序列（\\u 或 \\U）后面的十六进制数字无效"),
    (r"Escaped character is not a Unicode scalar value", "转义序列表示的不是有效的 Unicode 字符"),
    (r"Escaped character", "转义序列无效"),
    (r"Unescaped", "字符串中含有未转义的字符"),
    (r"Unclosed", "括号或引号没有闭合"),
]]


def _named(text: str) -> str:
    """What a tomli message names, readable: ``('a', 'b')`` → ``a.b``, ``'\\x1b'`` → ``U+001B``."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return clip(text)
    if isinstance(value, tuple):
        return clip(".".join(str(part) for part in value))
    if isinstance(value, str) and len(value) == 1 and (not value.isprintable() or value.isspace()):
        return f"U+{ord(value):04X}"
    return clip(str(value))


def toml_message(msg: str) -> str:
    """tomli's English message in Chinese; never the English itself."""
    for pattern, chinese in _TOML:
        m = pattern.match(msg)
        if m and m.groups():
            return "TOML 语法错误：" + chinese.format(*(_named(group) for group in m.groups()))
        if m:
            return "TOML 语法错误：" + chinese
    return "TOML 语法错误：无法识别的内容"


def nested_model(annotation) -> type[BaseModel] | None:
    """The table model inside a field's annotation (``list[Indicator] | None`` → Indicator), if any."""
    try:
        return _NESTED[annotation]
    except (KeyError, TypeError):  # not yet seen, or not hashable
        pass
    found = _nested_model(annotation)
    try:
        _NESTED[annotation] = found
    except TypeError:
        pass
    return found


#: nested_model's answers: the loader asks for every key of every file.
_NESTED: dict = {}


def _nested_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = nested_model(arg)
        if found:
            return found
    return None


def _table_name(loc: tuple) -> str:
    """``[narrative.budget]``, ``[[indicators]]`` (the 2nd one: ``[[indicators]]（第 2 条）``), or 文件顶层."""
    if not loc:
        return "文件顶层"
    if isinstance(loc[-1], int):
        return f"[[{dotted_path(loc[:-1])}]]（第 {loc[-1] + 1} 条）"
    return f"[{dotted_path(loc)}]"


def unknown_key_message(model: type[BaseModel], loc: tuple, key: str) -> str:
    """``未知的键“nmae”，是不是 name？`` — or, with nothing close, the keys that the table allows."""
    known = list(model.model_fields)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close:  # case slips: NAME, Name
        close = [k for k in known if k.lower() == key.lower()][:1]
    if close:
        return f"未知的键“{clip(key)}”，是不是 {close[0]}？"
    return f"未知的键“{clip(key)}”（{_table_name(loc)} 中可用的键：{'、'.join(known)}）"


def dotted_path(loc: tuple) -> str:
    """``indicators[2].weight`` for ("indicators", 1, "weight"): array items counted from 1."""
    dotted: list[str] = []
    for part in loc:
        if isinstance(part, int):
            dotted[-1:] = [f"{dotted[-1] if dotted else ''}[{part + 1}]"]
        else:
            dotted.append(str(part))
    return ".".join(dotted)


def field_label(root: type[BaseModel], loc: tuple) -> str:
    """``project.name（项目名称）`` for a validation location."""
    model: type[BaseModel] | None = root
    description = ""
    dotted: list[str] = []
    for part in loc:
        if isinstance(part, int):
            dotted[-1] = f"{dotted[-1]}[{part + 1}]" if dotted else f"[{part + 1}]"
            continue
        dotted.append(str(part))
        if model is not None and part in model.model_fields:
            info = model.model_fields[part]
            description = info.description or ""
            model = nested_model(info.annotation)
        else:
            model = None
            description = ""
    label = ".".join(dotted)
    return f"{label}（{description}）" if description else label


def validation_message(root: type[BaseModel], error: dict) -> tuple[str, str]:
    """(kind, Chinese message) for one pydantic error; kind is missing/type."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    label = field_label(root, loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "missing", f"缺少必填项 {label}"
    if kind == "perfdoc":
        return "type", f"{label}：{error['msg']}"
    if kind == "value_error":
        msg = error["msg"].removeprefix("Value error, ")
        return "type", f"{label}：{msg}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "type", f"{label} 应为整数，而不是 {_show(value)}"
    if kind in ("greater_than_equal", "greater_than"):
        return "type", f"{label} 应不小于 {ctx.get('ge', ctx.get('gt'))}，而不是 {_show(value)}"
    if kind in ("less_than_equal", "less_than"):
        return "type", f"{label} 应不大于 {ctx.get('le', ctx.get('lt'))}，而不是 {_show(value)}"
    if kind == "literal_error":
        expected = re.sub(r"'([^']*)'", r"“\1”", str(ctx.get("expected", ""))).replace(" or ", " 或 ")
        return "type", f"{label} 只能是 {expected}，而不是 {_show(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "type", f"{label} 应为表（如 [{loc[-1] if loc else ''}] 或 {{ … }}），而不是 {_show(value)}"
    if kind == "list_type":
        return "type", f"{label} 应为数组（如 [\"a\", \"b\"] 或多个 [[{loc[-1] if loc else ''}]]），而不是 {_show(value)}"
    if kind == "tuple_type":
        return "type", f"{label} 应为两个年度组成的数组，如 [2024, 2026]，而不是 {_show(value)}"
    if kind in ("too_short", "too_long"):
        return "type", f"{label} 的元素个数不对：应为 {ctx.get('max_length', ctx.get('min_length'))} 个"
    if kind in ("string_type", "bool_type", "bool_parsing"):
        return "type", f"{label} 的类型不对：{_show(value)}"
    return "type", f"{label} 的值无效：{_show(value)}"  # never pydantic's English message


def _show(value) -> str:
    if isinstance(value, bool):
        return "布尔值 " + ("true" if value else "false")
    if isinstance(value, str):
        return f"“{clip(value, 40)}”"
    if isinstance(value, dict):
        return "表"
    if isinstance(value, list):
        return "数组"
    return clip(value, 40)
