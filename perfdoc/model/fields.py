"""Field types shared by the project and department schemas: text, dates, money, targets.

Each is an ``Annotated`` type: a validator that turns TOML values into the
model's value types with a Chinese error message, and a JSON Schema that
editors (taplo / Even Better TOML) use for completion and hover help.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import PlainValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from .money import Money, MoneyError
from .numbers import MAX_DIGITS, PLAIN_NUMBER, decimal_places, digit_span, digit_words, foreign_digit
from .shown import clip
from .target import Target, misgrouped

__all__ = ["Text", "PlanDate", "MoneyField", "TargetField", "Score", "MAX_TEXT"]

#: Longest text accepted in one field (characters); longer is a paste accident.
MAX_TEXT = 20000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
#: Bidirectional embeddings, overrides and isolates: they make text show in another order than it is.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SUSPECT = re.compile(f"{_CONTROL.pattern}|{_BIDI.pattern}")
#: Characters that show nothing although they are not white space (Hangul fillers, braille blank).
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("perfdoc", message)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _error(f"应为文字（带引号的字符串），而不是{_describe(value)}")
    if len(value) > MAX_TEXT:
        raise _error(f"文字过长：{len(value)} 个字符，超过上限 {MAX_TEXT}")
    if _SUSPECT.search(value):  # one pass over the text in the common case, where there is none
        bad = _CONTROL.search(value)
        if bad:
            raise _error(f"文字中含有控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），请删除")
        bad = _BIDI.search(value)
        raise _error(f"文字中含有双向文字控制符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），"
                     f"它使文字显示的顺序与实际不同，请删除")
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if value and _invisible(value[0]) and all(map(_invisible, value)):
        return ""  # only zero-width or other invisible characters: as good as empty
    return value


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _BLANK or unicodedata.category(ch) == "Cf"


_DATE = re.compile(r"^\s*([0-9]{4})\s*[-./年]\s*([0-9]{1,2})\s*[-./月]\s*([0-9]{1,2})\s*日?\s*$")


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE.match(value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise _error(f"日期“{value}”不存在") from None
        digit = foreign_digit(value)
        if digit:
            raise _error(f"日期“{clip(value, 40)}”中有{digit_words(digit)}，请用半角数字 0-9 书写，如 2026-01-01")
        raise _error(f"“{clip(value, 40)}”不是日期，应写作 2026-01-01")
    raise _error(f"应为日期（如 2026-01-01），而不是{_describe(value)}")


def _money(value: object, info: ValidationInfo) -> Money:
    unit = (info.data or {}).get("unit", "元") if info is not None else "元"
    try:
        return Money.parse(value, unit if unit in ("元", "万元") else "元")
    except MoneyError as exc:
        raise _error(str(exc)) from None


def _target(value: object) -> Target:
    if isinstance(value, bool):
        raise _error("指标值应为文字，如 \"≥95%\" 或 \"及时\"，而不是布尔值")
    if isinstance(value, (int, Decimal, float)):
        value = str(value)
    text = _text(value)
    digit = foreign_digit(text)
    if digit:
        raise _error(f"指标值“{clip(text, 40)}”中有{digit_words(digit)}，请用半角数字 0-9 书写")
    target = Target.parse(text)
    if target.number is not None and (not target.number.is_finite() or digit_span(target.number) > MAX_DIGITS):
        raise _error(f"指标值“{clip(text, 40)}”中的数字位数过多（最多 {MAX_DIGITS} 位）")
    grouped = misgrouped(text) if target.kind != "quantitative" else None
    if grouped:
        raise _error(f"指标值“{clip(text, 40)}”中“{clip(grouped, 40)}”的千位分隔符“,”位置不对（应每三位一个，如 1,000）")
    return target


def _score(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise _error(f"应为数字，而不是{_describe(value)}")
    if isinstance(value, str):
        text = value.strip()
        digit = foreign_digit(text)
        if digit:
            raise _error(f"“{clip(value, 40)}”中有{digit_words(digit)}，请用半角数字 0-9 书写")
        if not PLAIN_NUMBER.fullmatch(text):
            raise _error(f"“{clip(value, 40)}”不是数字")
        number = Decimal(text)
    else:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number < 0 or number > 100:
        raise _error(f"分值应在 0 到 100 之间，而不是 {clip(value, 40)}")
    if decimal_places(number) > 2:
        raise _error(f"分值最多两位小数（表上印两位），而不是 {clip(value, 40)}")
    return number.copy_abs() if number.is_zero() else number


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float, Decimal)):
        return f"数字 {clip(value, 40)}"
    if isinstance(value, dict):
        return "表（table）"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return f"日期/时间 {value}"
    return "其他类型的值"


Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string"})]
PlanDate = Annotated[
    dt.date,
    PlainValidator(_date),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": r"^\d{4}[-.]\d{1,2}[-.]\d{1,2}$"}]}),
]
MoneyField = Annotated[
    Money,
    PlainValidator(_money),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^[¥￥]?\s*[0-9][0-9,，\s]*(\.[0-9]+)?\s*(元|万元)?$"}]}),
]
TargetField = Annotated[Target, PlainValidator(_target), WithJsonSchema({"type": "string"})]
Score = Annotated[Decimal, PlainValidator(_score), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})]
