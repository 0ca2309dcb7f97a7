"""Editing one TOML file in place with tomlkit: comments, key order and layout survive.

Only values change (a year, a date, the items of goals.period) and the
self-evaluation goes: the [evaluation] table with what is inside it, and the
keys actual, score and deviation of each indicator.  Comment lines that sat
after the last key of an [evaluation] table, just above the next table, are
about that next table: they are kept.

After the edit the new text is read back with tomli and compared with the old
data changed in exactly those places, so that the roll-over can never change
anything else without failing loudly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import tomli
import tomlkit
from tomlkit.items import AoT, Comment, Date, DateTime, Item, Null, String, Table, Whitespace

from .dates import DateShiftError, shift_date, shift_date_text
from .plan import Decision

__all__ = ["EditError", "Removed", "roll_project_text", "roll_department_text", "EVALUATION_KEYS"]

#: What an indicator loses: the self-evaluation of the year that ended.
EVALUATION_KEYS = ("actual", "score", "deviation")


class EditError(Exception):
    """The file cannot be edited; ``path`` is the key path concerned (may be empty)."""

    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass
class Removed:
    """The self-evaluation taken out of one project file."""

    evaluation: bool = False
    indicators: dict[int, list[str]] = field(default_factory=dict)  # indicator index → keys removed

    def __bool__(self) -> bool:
        return self.evaluation or bool(self.indicators)


# -- tomlkit values ---------------------------------------------------------------

def _parse_value(raw: str) -> Item:
    return tomlkit.parse(f"v = {raw}\n")["v"]


def _next_year(item: object, where: tuple) -> Item | int:
    """A year (an integer, or digits in a string for goals.period), one more."""
    if isinstance(item, bool):
        raise EditError("年度应为整数", where)
    if isinstance(item, int):
        return int(item) + 1
    if isinstance(item, str) and item.strip().isdigit():
        return _replace_string(item, item.replace(item.strip(), str(int(item) + 1), 1))
    if isinstance(item, float) and item.is_integer():
        return _parse_value(repr(float(item) + 1))
    raise EditError(f"年度“{item}”无法加一", where)


def _replace_string(old: String, new_value: str) -> Item:
    """A string item with ``new_value``, in the quotes the user chose."""
    raw = old.as_string()
    for quote in ('"""', "'''", '"', "'"):
        if raw.startswith(quote) and raw.endswith(quote) and len(raw) >= 2 * len(quote):
            if raw[len(quote): len(raw) - len(quote)] == str(old):  # no escapes: keep the quotes
                return _parse_value(quote + new_value + quote)
            break
    return tomlkit.string(new_value)


def _shift_date_item(item: object, where: tuple) -> Item:
    try:
        if isinstance(item, (Date, DateTime)):
            raw = item.as_string()
            new = shift_date(item.unwrap())
            return _parse_value(f"{new.year:04d}-{new.month:02d}-{new.day:02d}" + raw[10:])
        if isinstance(item, String):
            return _replace_string(item, shift_date_text(str(item)))
    except DateShiftError as exc:
        raise EditError(str(exc), where) from None
    raise EditError("计划日期应为日期（如 2026-01-01）", where)


# -- tables -------------------------------------------------------------------------

def _get(container, key: str):
    return container[key] if key in container else None


def _is_header(key, item) -> bool:
    """A [table] or [[array]] in the body (not a dotted key, not an inline table)."""
    return isinstance(item, (Table, AoT)) and key is not None and not key.is_dotted()


def _last_leaf(item) -> Table:
    """The table whose body comes last in the text, within a [table] or [[array]]."""
    while True:
        if isinstance(item, AoT):
            item = item.body[-1]
            continue
        entries = [(k, v) for k, v in item.value.body if not isinstance(v, Null)]
        if entries and _is_header(*entries[-1]):
            item = entries[-1][1]
            continue
        return item


def _trailing_comments(table: Table) -> list[Item]:
    """The comment lines (with the blank lines between them) after the last key of ``table``."""
    tail: list[Item] = []
    for key, value in reversed(table.value.body):
        if isinstance(value, Null):
            continue
        if key is None and isinstance(value, (Comment, Whitespace)):
            tail.append(value)
            continue
        break
    tail.reverse()
    while tail and not isinstance(tail[0], Comment):
        tail.pop(0)
    return tail


def _remove_evaluation(doc) -> bool:
    """Delete every [evaluation] piece of the document; keep comments that introduce the next table."""
    if "evaluation" not in doc:
        return False
    body = doc.body
    rescue: list[tuple[int, Table | None, list[Item]]] = []  # (index, table to append to, comments)
    for i, (key, item) in enumerate(body):
        if key is None or key.key != "evaluation" or not _is_header(key, item):
            continue
        comments = _trailing_comments(_last_leaf(item))
        if comments:
            before = [v for k, v in body[:i] if _is_header(k, v) and k.key != "evaluation"]
            rescue.append((i, _last_leaf(before[-1]) if before else None, comments))
    for _, leaf, comments in rescue:
        if leaf is not None:  # at the end of the table before: just above the next table
            for comment in comments:
                leaf.add(comment)
    del doc["evaluation"]
    for i, leaf, comments in rescue:
        if leaf is None:
            # no table before it (it was the first table): the comments go where it was;
            # tomlkit leaves a Null in the place of a deleted item
            if not (body[i][0] is None and isinstance(body[i][1], Null)):
                raise EditError("无法在保留注释的前提下删除 [evaluation]", ("evaluation",))
            body[i] = (None, Whitespace("".join(c.as_string() for c in comments)))
    return True


def _remove_indicator_keys(doc) -> dict[int, list[str]]:
    removed: dict[int, list[str]] = {}
    indicators = _get(doc, "indicators")
    if indicators is None:
        return removed
    for i, table in enumerate(indicators):
        if not hasattr(table, "keys"):
            continue
        keys = [k for k in EVALUATION_KEYS if k in table]
        for k in keys:
            del table[k]
        if keys:
            removed[i] = keys
    return removed


# -- whole files --------------------------------------------------------------------

def _parse(text: str):
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # noqa: BLE001 - tomli read it; tomlkit's own parser refused it
        raise EditError(f"无法在保留注释和格式的前提下修改此文件（{exc}）") from None
    if tomlkit.dumps(doc) != text:
        raise EditError("无法在保留注释和格式的前提下修改此文件（文件写法特殊，原样读写不一致）")
    return doc


def _trim_end(new: str, old: str) -> str:
    """After removing the last table, end the file as it ended before (one newline, not three)."""
    ending = old[len(old.rstrip("\r\n")):]
    return re.sub(r"(\r?\n[ \t]*)*\Z", "", new) + ending if new.strip() else new


def _load(text: str) -> dict:
    return tomli.loads(text, parse_float=Decimal)


def roll_department_text(text: str) -> str:
    doc = _parse(text)
    department = _get(doc, "department")
    if department is None or "year" not in department:
        raise EditError("缺少 department.year", ("department", "year"))
    department["year"] = _next_year(department["year"], ("department", "year"))
    new = tomlkit.dumps(doc)
    expected = _load(text)
    expected["department"]["year"] += 1
    _verify(new, expected)
    return new


def roll_project_text(text: str, decision: Decision) -> tuple[str, Removed]:
    """The project file for the new year, and what self-evaluation was removed."""
    doc = _parse(text)
    expected = _load(text)
    project = _get(doc, "project")
    if project is None or "year" not in project:
        raise EditError("缺少 project.year", ("project", "year"))
    project["year"] = _next_year(project["year"], ("project", "year"))
    expected["project"]["year"] += 1
    if decision.move_plan:
        for key in ("start", "end"):
            if key in project:
                project[key] = _shift_date_item(project[key], ("project", key))
                expected["project"][key] = _expected_date(expected["project"][key])
    goals = _get(doc, "goals")
    period = _get(goals, "period") if goals is not None else None
    if decision.move_period and period is not None:
        for i in range(len(period)):
            period[i] = _next_year(period[i], ("goals", "period", i))
        expected["goals"]["period"] = [_expected_year(v) for v in expected["goals"]["period"]]
    removed = Removed()
    removed.indicators = _remove_indicator_keys(doc)
    for i, keys in removed.indicators.items():
        for k in keys:
            del expected["indicators"][i][k]
    removed.evaluation = _remove_evaluation(doc)
    expected.pop("evaluation", None)
    new = tomlkit.dumps(doc)
    if removed.evaluation:
        new = _trim_end(new, text)
    _verify(new, expected)
    return new, removed


def _expected_date(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return shift_date(value)
    return shift_date_text(value)


def _expected_year(value):
    if isinstance(value, str):
        return value.replace(value.strip(), str(int(value) + 1), 1)
    return type(value)(value + 1)


def _verify(new: str, expected: dict) -> None:
    """The edited text holds exactly the expected data (a guard against a mis-edit)."""
    try:
        got = _load(new)
    except tomli.TOMLDecodeError as exc:
        raise EditError(f"修改后的文件不是有效的 TOML（{exc}），已放弃；这是 perfdoc 的缺陷，请报告") from None
    if got != expected:
        raise EditError("修改后的文件内容与预期不符，已放弃；这是 perfdoc 的缺陷，请报告")

