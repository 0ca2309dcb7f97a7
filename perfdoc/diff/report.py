"""Printing a DepartmentDiff in the terminal (rich); Markdown (:mod:`perfdoc.diff.markdown`) and JSON
(:mod:`perfdoc.diff.jsondiff`) have their own modules, re-exported here, and share the wording of
values (:mod:`perfdoc.diff.fmt`).

The terminal output starts with a summary table (projects and 年度资金申请总额
old → new, the number of projects added, removed, renamed, changed and
unchanged), then each changed project: amounts with change and %, indicator
changes, then texts with insertions green and underlined and deletions red and
struck through.  Without colour (``--no-color``, or stdout not a terminal) the
text diff is marked as git's ``--word-diff`` does: ``[-删除-]{+插入+}``.
"""

from __future__ import annotations

import sys
from typing import TextIO

from . import fmt
from .changes import INDICATOR_LABELS, STATUS_LABELS, DepartmentDiff, FieldChange, IndicatorChange
from .jsondiff import JSON_VERSION, diff_dict, diff_json
from .markdown import diff_markdown
from .textdiff import TextSpan

__all__ = ["diff_dict", "diff_json", "diff_markdown", "print_diff", "JSON_VERSION"]


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
    for s in fmt.trimmed(spans):
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
            line = Text(f"  {c.label}：{fmt.money(c.old)} → ")
            line.append(fmt.money(c.new), style="bold" if styled else "")
            line.append(" 元（")
            line.append(f"{fmt.signed_money(c.delta)}，{fmt.signed_percent(c.percent)}",
                        style=("green" if c.delta > 0 else "red") if styled else "")
            line.append("）")
            console.print(line)
    for c in fields:
        if c.kind == "value":
            line = Text(f"  {c.label}：")
            line.append(fmt.value(c.old))
            line.append(" → ")
            line.append(fmt.value(c.new), style="bold" if styled else "")
            console.print(line)
    for c in fields:
        if c.kind != "text":
            continue
        if fmt.is_inline(c):
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
            line.append(f"  {fmt.group(c.key)} / {name}：{fmt.target(c.new)}")
        elif c.kind == "removed":
            line.append(f"  {fmt.group(c.key)} / {name}：{fmt.target(c.old)}")
        elif c.kind == "moved":
            line.append(f"  {name}：{fmt.group(c.old_key)} → {fmt.group(c.key)}")
        else:
            line.append(f"  {fmt.group(c.key)} / {name}：{fmt.target(c.old)} → {fmt.target(c.new)}")
            if c.delta is not None:
                line.append(f"（{fmt.target_delta(c)}）")
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
    table.add_row("年度资金申请总额（元）", fmt.money(diff.old_total), fmt.money(diff.new_total),
                  f"{fmt.signed_money(diff.total_delta)}（{fmt.signed_percent(diff.total_percent)}）")
    console.print(table)
    console.print(Text(f"项目：{fmt.counts_line(diff)}"))
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
        head.append(fmt.project_title(p), style=bold)
        console.print(head)
        if p.status in ("added", "removed"):
            amount = p.new_annual if p.status == "added" else p.old_annual
            console.print(Text(f"  年度资金申请总额 {fmt.money(amount)} 元"))
            continue
        if p.status == "renamed" and not (p.fields or p.indicators):
            console.print(Text("  内容没有变化"))
        _rich_fields(console, [c for c in p.fields if c.kind != "text"], styled)
        _rich_indicators(console, p.indicators, styled)
        _rich_fields(console, [c for c in p.fields if c.kind == "text"], styled)

