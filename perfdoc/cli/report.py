"""Printing problems: ``path:line:col: 错误 CODE 消息``, the source line and a caret; or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, TextIO

from ..model import Problem, Severity
from .textwidth import width

__all__ = ["print_problems", "problems_json", "summary_line", "display_path"]


def display_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _source_lines(problems: Iterable[Problem]) -> dict[Path, list[str]]:
    cache: dict[Path, list[str]] = {}
    for p in problems:
        if p.file not in cache:
            try:
                cache[p.file] = [ln.removesuffix("\r") for ln in Path(p.file).read_text("utf-8-sig").split("\n")]
            except (OSError, UnicodeDecodeError, ValueError):
                cache[p.file] = []
    return cache


def _colour(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def print_problems(problems: list[Problem], out: TextIO = sys.stdout, color: bool | None = None) -> None:
    if color is None:
        color = out.isatty()
    sources = _source_lines(problems)
    for p in problems:
        sev = "31" if p.severity is Severity.ERROR else "33"
        where = f"{display_path(p.file)}:{p.line}:{p.col}:"
        level = _colour(f"{p.severity.label} {p.code}", sev + ";1", color)  # the word survives a pipe
        out.write(f"{_colour(where, '1', color)} {level} {p.message}\n")
        lines = sources.get(p.file) or []
        if 1 <= p.line <= len(lines):
            text = lines[p.line - 1].replace("\t", " ")
            if len(text) > 160:
                text = text[:160] + "…"
            gutter = f"{p.line:>5} | "
            out.write(f"{gutter}{text}\n")
            caret_at = width(text[: max(p.col - 1, 0)])
            out.write(" " * (len(gutter) - 2) + "| " + " " * caret_at + _colour("^", sev, color) + "\n")


def summary_line(problems: list[Problem], projects: int) -> str:
    if not problems:
        return f"未发现问题（检查了 {projects} 个项目）。"
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    return f"发现 {len(problems)} 个问题（错误 {errors} 个，警告 {warnings} 个），涉及 {files} 个文件；共检查 {projects} 个项目。"


def problems_json(problems: list[Problem], projects: int) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    doc = {
        "problems": [dict(p.as_dict(), file=display_path(p.file)) for p in problems],
        "summary": {"projects": projects, "problems": len(problems), "errors": errors, "warnings": len(problems) - errors},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
