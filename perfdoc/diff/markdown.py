"""The diff as Markdown, for a merge request: a summary table, then a section per changed project."""

from __future__ import annotations

import re
import unicodedata

from . import fmt
from .changes import INDICATOR_LABELS, STATUS_LABELS, DepartmentDiff, FieldChange, IndicatorChange
from .textdiff import TextSpan

__all__ = ["diff_markdown"]

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
    for s in fmt.trimmed(spans):
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
            lines.append(f"| {_cell(c.label)} | {fmt.money(c.old)} | {fmt.money(c.new)} | "
                         f"{fmt.signed_money(c.delta)} | {fmt.signed_percent(c.percent)} |")
    if values:
        lines += ["", "| 项目 | 旧 | 新 |", "|---|---|---|"]
        for c in values:
            lines.append(f"| {_cell(c.label)} | {_cell(fmt.value(c.old))} | {_cell(fmt.value(c.new))} |")
    for c in texts:
        if fmt.is_inline(c):
            lines += ["", f"**{_md(c.label)}**：{_md_spans(c.spans)}"]
        else:
            lines += ["", f"**{_md(c.label)}**", "", _md_quote(_md_spans(c.spans))]


def _md_indicators(changes: list[IndicatorChange], lines: list[str]) -> None:
    if not changes:
        return
    lines += ["", "| 指标变化 | 一级指标 / 二级指标 | 三级指标 | 旧 | 新 | 变化 |", "|---|---|---|---|---|---|"]
    for c in changes:
        group = fmt.group(c.key)
        if c.kind == "moved":
            group = f"{fmt.group(c.old_key)} → {fmt.group(c.key)}"
        old = fmt.target(c.old) if c.kind != "moved" else ""
        new = fmt.target(c.new) if c.kind != "moved" else ""
        lines.append(f"| {INDICATOR_LABELS[c.kind]} | {_cell(group)} | {_cell(c.key[2])} | {_cell(old)} | "
                     f"{_cell(new)} | {_cell(fmt.target_delta(c))} |")


def diff_markdown(diff: DepartmentDiff) -> str:
    """Markdown for a merge request: a summary table, then a section per changed project."""
    lines = [f"## 项目绩效文档变化：{_md(diff.old_label)} → {_md(diff.new_label)}", ""]
    lines += ["| | 旧 | 新 | 变化 |", "|---|--:|--:|--:|"]
    lines.append(f"| 单位 | {_cell(diff.old.name)} | {_cell(diff.new.name)} | |")
    lines.append(f"| 预算年度 | {diff.old.year or '—'} | {diff.new.year or '—'} | |")
    count_delta = diff.new_count - diff.old_count
    lines.append(f"| 项目数 | {diff.old_count} | {diff.new_count} | {count_delta:+d} |")
    lines.append(f"| 年度资金申请总额（元） | {fmt.money(diff.old_total)} | {fmt.money(diff.new_total)} | "
                 f"{fmt.signed_money(diff.total_delta)}（{fmt.signed_percent(diff.total_percent)}） |")
    lines += ["", f"项目：{fmt.counts_line(diff, '，')}。"]
    if not diff.changed:
        lines += ["", "没有变化。"]
    if diff.fields:
        lines += ["", "### 单位设置（department.toml）"]
        _md_fields(diff.fields, lines)
    for p in diff.projects:
        if not p.changed:
            continue
        lines += ["", f"### {STATUS_LABELS[p.status]}：{_md(fmt.project_title(p))}"]
        if p.status in ("added", "removed"):
            amount = p.new_annual if p.status == "added" else p.old_annual
            lines += ["", f"年度资金申请总额 {fmt.money(amount)} 元。"]
            continue
        if p.status == "renamed" and not (p.fields or p.indicators):
            lines += ["", "内容没有变化。"]
        _md_fields(p.fields, lines)
        _md_indicators(p.indicators, lines)
    return "\n".join(lines) + "\n"

