"""Printing a DepartmentDiff: terminal (rich), Markdown (for a merge request) and JSON.

The terminal output starts with a summary table (projects and 年度资金申请总额
old → new, the number of projects added, removed, renamed, changed and
unchanged), then each changed project: amounts with change and %, indicator
changes, then texts with insertions green and underlined and deletions red and
struck through.  Without colour (``--no-color``, or stdout not a terminal) the
text diff is marked as git's ``--word-diff`` does: ``[-删除-]{+插入+}``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from decimal import Decimal
from typing import TextIO

from ..model import Indicator, Money
from .changes import (
    INDICATOR_LABELS, STATUS_LABELS, STATUSES, DepartmentDiff, FieldChange, IndicatorChange, ProjectDiff,
)
from .textdiff import TextSpan

__all__ = ["diff_dict", "diff_json", "diff_markdown", "print_diff", "JSON_VERSION"]

#: Bumped when a key of the JSON output changes meaning or is removed.
JSON_VERSION = 1
#: Characters of unchanged text kept on each side of an edit in terminal and Markdown output.
CONTEXT = 30
_INLINE = 60  # a text this short (old + new) is shown on the label's line


# -- formatting ---------------------------------------------------------------------

def _money(m: Money | None) -> str:
    return "—" if m is None else m.format("元")


def _signed_money(delta: Decimal) -> str:
    text = Money(abs(delta)).format("元")
    return f"+{text}" if delta > 0 else (f"-{text}" if delta < 0 else "0.00")


def _signed_percent(p: Decimal | None) -> str:
    if p is None:
        return "—"
    return f"+{p}%" if p > 0 else f"{p}%"


def _number(d: Decimal) -> str:
    text = f"{d.normalize():f}"
    return text


def _signed_number(d: Decimal) -> str:
    text = _number(d)
    return f"+{text}" if d > 0 else text


def _value(v: object) -> str:
    if v is None or v == "" or v == []:
        return "（未填）"
    if isinstance(v, Money):
        return v.format("元")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return f"{v[0]}年—{v[1]}年"
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v))
    return str(v)


def _target(ind: Indicator | None) -> str:
    return ind.target.text.strip() if ind is not None else ""


def _group(key: tuple | None) -> str:
    return " / ".join(key[:2]) if key else ""


def _target_delta(c: IndicatorChange) -> str:
    if c.delta is None:
        return ""
    return f"{_signed_number(c.delta)}{(' ' + c.unit) if c.unit else ''}"


def _project_title(p: ProjectDiff) -> str:
    pair = p.pair
    if p.status == "renamed":
        return f"{p.name}（文件 {pair.old.key}.toml → {pair.new.key}.toml）"
    return f"{p.name}（{pair.key}.toml）"


def _trimmed(spans: list[TextSpan], context: int = CONTEXT) -> list[TextSpan]:
    """Long unchanged runs shortened to ``context`` characters around the edits, "…" for the rest."""
    out: list[TextSpan] = []
    last = len(spans) - 1
    for i, s in enumerate(spans):
        if s.op != "equal" or len(s.text) <= 2 * context + 1:
            out.append(s)
        elif i == 0 and last > 0:
            out.append(TextSpan("equal", "…" + s.text[-context:]))
        elif i == last and last > 0:
            out.append(TextSpan("equal", s.text[:context] + "…"))
        elif 0 < i < last:
            out.append(TextSpan("equal", s.text[:context] + "…" + s.text[-context:]))
        else:
            out.append(s)
    return out


def _is_inline(c: FieldChange) -> bool:
    return len(str(c.old)) + len(str(c.new)) <= _INLINE and "\n" not in str(c.old) + str(c.new)


def _counts_line(diff: DepartmentDiff, sep: str = " · ") -> str:
    counts = diff.counts
    return sep.join(f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUSES)


# -- JSON ---------------------------------------------------------------------------

def _json_value(v: object):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, Money):
        return f"{v.yuan:.2f}"
    if isinstance(v, Decimal):
        return _number(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return str(v)


def _json_indicator(ind: Indicator | None) -> dict | None:
    if ind is None:
        return None
    return {"level1": ind.level1, "level2": ind.level2, "name": ind.name, "target": ind.target.text}


def _json_field(c: FieldChange) -> dict:
    return {
        "path": list(c.path),
        "label": c.label,
        "kind": c.kind,
        "old": _json_value(c.old),
        "new": _json_value(c.new),
        "delta": None if c.delta is None else f"{c.delta:.2f}",
        "percent": None if c.percent is None else f"{c.percent:.2f}",
        "spans": None if c.spans is None else [[s.op, s.text] for s in c.spans],
    }


def _json_indicator_change(c: IndicatorChange) -> dict:
    return {
        "kind": c.kind,
        "key": list(c.key),
        "old_key": list(c.old_key) if c.old_key else None,
        "old": _json_indicator(c.old),
        "new": _json_indicator(c.new),
        "delta": None if c.delta is None else _number(c.delta),
        "unit": c.unit,
    }


def _json_project(p: ProjectDiff) -> dict:
    pair = p.pair
    return {
        "key": pair.key,
        "old_key": pair.old.key if pair.old else None,
        "new_key": pair.new.key if pair.new else None,
        "name": p.name,
        "old_name": pair.old.model.name if pair.old else None,
        "status": p.status,
        "old_annual": _json_value(p.old_annual),
        "new_annual": _json_value(p.new_annual),
        "fields": [_json_field(c) for c in p.fields],
        "indicators": [_json_indicator_change(c) for c in p.indicators],
    }


def diff_dict(diff: DepartmentDiff) -> dict:
    """The diff as plain JSON-able data (keys documented in the README)."""
    def side(dep, label, count, total):
        return {"path": label, "name": dep.name, "year": dep.year, "projects": count, "total": _json_value(total)}

    return {
        "version": JSON_VERSION,
        "changed": diff.changed,
        "old": side(diff.old, diff.old_label, diff.old_count, diff.old_total),
        "new": side(diff.new, diff.new_label, diff.new_count, diff.new_total),
        "total_delta": f"{diff.total_delta:.2f}",
        "total_percent": None if diff.total_percent is None else f"{diff.total_percent:.2f}",
        "counts": diff.counts,
        "department": [_json_field(c) for c in diff.fields],
        "projects": [_json_project(p) for p in diff.projects],
    }


def diff_json(diff: DepartmentDiff) -> str:
    return json.dumps(diff_dict(diff), ensure_ascii=False, indent=2)


# -- Markdown -----------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|~&")
_MD_LINE_START = re.compile(r"^(\s*)([#=+-]|\d+[.)](?=\s|$))")


def _md(text: str) -> str:
    """Escape Markdown in running text: emphasis, links, HTML, table pipes."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _md_line(line: str) -> str:
    """Escape what would start a heading or a list at the start of a line."""
    m = _MD_LINE_START.match(line)
    if not m:
        return line
    mark = m.group(2)
    return line[: m.start(2)] + (mark[:-1] + "\\" + mark[-1] if mark[-1] in ".)" else "\\" + mark) + line[m.end(2):]


def _cell(text: str) -> str:
    return _md(text).replace("\n", "<br>")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PSZ" or ch.isspace()


def _md_mark(op: str, text: str) -> str:
    """One line's piece of an insertion or deletion; whitespace stays outside the markers."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if op == "insert":
        marked = f"<ins>{_md(core)}</ins>"
    elif _punct(core[0]) or _punct(core[-1]):
        marked = f"<del>{_md(core)}</del>"  # ~~ next to punctuation is not parsed as strikethrough
    else:
        marked = f"~~{_md(core)}~~"
    return lead + marked + trail


def _md_spans(spans: list[TextSpan]) -> str:
    out: list[str] = []
    for s in _trimmed(spans):
        if s.op == "delete":
            out.append(_md_mark("delete", s.text.replace("\n", "↵")))
        else:
            pieces = s.text.split("\n")
            rendered = [_md_mark(s.op, piece) if s.op == "insert" else _md(piece) for piece in pieces]
            out.append("\n".join(rendered))
    return "".join(out)


def _md_quote(text: str) -> str:
    return "\n>\n".join(f"> {_md_line(line)}" if line else ">" for line in text.split("\n"))


def _md_fields(p_fields: list[FieldChange], lines: list[str]) -> None:
    money = [c for c in p_fields if c.kind == "money"]
    values = [c for c in p_fields if c.kind == "value"]
    texts = [c for c in p_fields if c.kind == "text"]
    if money:
        lines += ["", "| 资金（元） | 旧 | 新 | 变化 | 变化率 |", "|---|--:|--:|--:|--:|"]
        for c in money:
            lines.append(f"| {_cell(c.label)} | {_money(c.old)} | {_money(c.new)} | "
                         f"{_signed_money(c.delta)} | {_signed_percent(c.percent)} |")
    if values:
        lines += ["", "| 项目 | 旧 | 新 |", "|---|---|---|"]
        for c in values:
            lines.append(f"| {_cell(c.label)} | {_cell(_value(c.old))} | {_cell(_value(c.new))} |")
    for c in texts:
        if _is_inline(c):
            lines += ["", f"**{_md(c.label)}**：{_md_spans(c.spans)}"]
        else:
            lines += ["", f"**{_md(c.label)}**", "", _md_quote(_md_spans(c.spans))]


def _md_indicators(changes: list[IndicatorChange], lines: list[str]) -> None:
    if not changes:
        return
    lines += ["", "| 指标变化 | 一级指标 / 二级指标 | 三级指标 | 旧 | 新 | 变化 |", "|---|---|---|---|---|---|"]
    for c in changes:
        group = _group(c.key)
        if c.kind == "moved":
            group = f"{_group(c.old_key)} → {_group(c.key)}"
        old = _target(c.old) if c.kind != "moved" else ""
        new = _target(c.new) if c.kind != "moved" else ""
        lines.append(f"| {INDICATOR_LABELS[c.kind]} | {_cell(group)} | {_cell(c.key[2])} | {_cell(old)} | "
                     f"{_cell(new)} | {_cell(_target_delta(c))} |")


def diff_markdown(diff: DepartmentDiff) -> str:
    """Markdown for a merge request: a summary table, then a section per changed project."""
    lines = [f"## 项目绩效文档变化：{_md(diff.old_label)} → {_md(diff.new_label)}", ""]
    lines += ["| | 旧 | 新 | 变化 |", "|---|--:|--:|--:|"]
    lines.append(f"| 单位 | {_cell(diff.old.name)} | {_cell(diff.new.name)} | |")
    lines.append(f"| 预算年度 | {diff.old.year or '—'} | {diff.new.year or '—'} | |")
    count_delta = diff.new_count - diff.old_count
    lines.append(f"| 项目数 | {diff.old_count} | {diff.new_count} | {count_delta:+d} |")
    lines.append(f"| 年度资金申请总额（元） | {_money(diff.old_total)} | {_money(diff.new_total)} | "
                 f"{_signed_money(diff.total_delta)}（{_signed_percent(diff.total_percent)}） |")
    lines += ["", f"项目：{_counts_line(diff, '，')}。"]
    if not diff.changed:
        lines += ["", "没有变化。"]
    if diff.fields:
        lines += ["", "### 单位设置（department.toml）"]
        _md_fields(diff.fields, lines)
    for p in diff.projects:
        if not p.changed:
            continue
        lines += ["", f"### {STATUS_LABELS[p.status]}：{_md(_project_title(p))}"]
        if p.status in ("added", "removed"):
            amount = p.new_annual if p.status == "added" else p.old_annual
            lines += ["", f"年度资金申请总额 {_money(amount)} 元。"]
            continue
        if p.status == "renamed" and not (p.fields or p.indicators):
            lines += ["", "内容没有变化。"]
        _md_fields(p.fields, lines)
        _md_indicators(p.indicators, lines)
    return "\n".join(lines) + "\n"


# -- terminal -----------------------------------------------------------------------

def _console(out: TextIO, color: bool | None):
    from rich.console import Console

    if color is False:
        console = Console(file=out, force_terminal=False, color_system=None, highlight=False, emoji=False)
    elif color is True:
        console = Console(file=out, force_terminal=True, color_system="standard", highlight=False, emoji=False)
    else:
        console = Console(file=out, highlight=False, emoji=False)
    styled = console.is_terminal and console.color_system is not None
    return console, styled


def _rich_spans(spans: list[TextSpan], styled: bool):
    from rich.text import Text

    text = Text()
    for s in _trimmed(spans):
        if s.op == "equal":
            text.append(s.text)
        elif s.op == "delete":
            body = s.text.replace("\n", "↵")
            text.append(body, style="red strike") if styled else text.append(f"[-{body}-]")
        else:
            text.append(s.text, style="green underline") if styled else text.append(f"{{+{s.text}+}}")
    return text


def _rich_fields(console, fields: list[FieldChange], styled: bool) -> None:
    from rich.text import Text

    for c in fields:
        if c.kind == "money":
            line = Text(f"  {c.label}：{_money(c.old)} → ")
            line.append(_money(c.new), style="bold" if styled else "")
            line.append(" 元（")
            line.append(f"{_signed_money(c.delta)}，{_signed_percent(c.percent)}",
                        style=("green" if c.delta > 0 else "red") if styled else "")
            line.append("）")
            console.print(line)
    for c in fields:
        if c.kind == "value":
            line = Text(f"  {c.label}：")
            line.append(_value(c.old))
            line.append(" → ")
            line.append(_value(c.new), style="bold" if styled else "")
            console.print(line)
    for c in fields:
        if c.kind != "text":
            continue
        if _is_inline(c):
            line = Text(f"  {c.label}：")
            line.append_text(_rich_spans(c.spans, styled))
            console.print(line)
        else:
            console.print(Text(f"  {c.label}：", style="bold" if styled else ""))
            body = _rich_spans(c.spans, styled)
            for line in body.wrap(console, max(console.width - 4, 20)):
                line.rstrip()
                console.print(Text("    ").append_text(line), soft_wrap=True)


def _rich_indicators(console, changes: list[IndicatorChange], styled: bool) -> None:
    from rich.text import Text

    marks = {"added": ("+", "green"), "removed": ("-", "red"), "moved": ("↷", "yellow"), "target": ("~", "yellow")}
    for c in changes:
        mark, colour = marks[c.kind]
        line = Text("  ")
        line.append(f"{mark} {INDICATOR_LABELS[c.kind]}指标" if c.kind != "target" else f"{mark} 指标值",
                    style=colour if styled else "")
        name = c.key[2]
        if c.kind == "added":
            line.append(f"  {_group(c.key)} / {name}：{_target(c.new)}")
        elif c.kind == "removed":
            line.append(f"  {_group(c.key)} / {name}：{_target(c.old)}")
        elif c.kind == "moved":
            line.append(f"  {name}：{_group(c.old_key)} → {_group(c.key)}")
        else:
            line.append(f"  {_group(c.key)} / {name}：{_target(c.old)} → {_target(c.new)}")
            if c.delta is not None:
                line.append(f"（{_target_delta(c)}）")
        console.print(line)


def print_diff(diff: DepartmentDiff, out: TextIO | None = None, color: bool | None = None) -> None:
    """The terminal report; ``color=None``: colour when ``out`` is a terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console, styled = _console(out or sys.stdout, color)
    bold = "bold" if styled else ""
    for side, label, dep in (("旧", diff.old_label, diff.old), ("新", diff.new_label, diff.new)):
        line = Text(f"{side}：")
        line.append(label, style=bold)
        line.append(f"（{dep.name}，{dep.year or '—'} 年度）")
        console.print(line)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
    table.add_column("", overflow="fold")
    for head in ("旧", "新", "变化"):
        table.add_column(head, justify="right", no_wrap=True)
    table.add_row("项目数", str(diff.old_count), str(diff.new_count), f"{diff.new_count - diff.old_count:+d}")
    table.add_row("年度资金申请总额（元）", _money(diff.old_total), _money(diff.new_total),
                  f"{_signed_money(diff.total_delta)}（{_signed_percent(diff.total_percent)}）")
    console.print(table)
    console.print(Text(f"项目：{_counts_line(diff)}"))
    if not diff.changed:
        console.print(Text("没有变化。", style="green" if styled else ""))
        return
    if diff.fields:
        console.print()
        console.print(Text("■ 单位设置（department.toml）", style=bold))
        _rich_fields(console, diff.fields, styled)
    colours = {"added": "green", "removed": "red", "renamed": "cyan", "changed": "yellow"}
    for p in diff.projects:
        if not p.changed:
            continue
        console.print()
        head = Text("■ ")
        head.append(f"【{STATUS_LABELS[p.status]}】", style=colours[p.status] if styled else "")
        head.append(_project_title(p), style=bold)
        console.print(head)
        if p.status in ("added", "removed"):
            amount = p.new_annual if p.status == "added" else p.old_annual
            console.print(Text(f"  年度资金申请总额 {_money(amount)} 元"))
            continue
        if p.status == "renamed" and not (p.fields or p.indicators):
            console.print(Text("  内容没有变化"))
        _rich_fields(console, [c for c in p.fields if c.kind != "text"], styled)
        _rich_indicators(console, p.indicators, styled)
        _rich_fields(console, [c for c in p.fields if c.kind == "text"], styled)
