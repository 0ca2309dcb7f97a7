"""department.toml and the project files' names, from what the documents say.

The name and year come from the 汇总表's (or 自评汇总's) title, ``budget_units`` from its
summary sentence, the default authority is the 主管部门 most projects print (projects that
print another keep their own), ``order`` is the document order, and ``[layout]`` is the
layout and unit the forms were recognised as.  A value no document holds is not invented:
it is left out with a :class:`~perfdoc.importer.assemble.Missing` saying so.
"""

from __future__ import annotations

from collections import Counter

from ..read.summary import DocumentParts, Header
from ..render.template import DEFAULT_TEMPLATE
from ..scaffold import safe_file_stem
from .assemble import Missing, ProjectImport

__all__ = ["department_data", "name_files", "header_of", "move_authority", "layout_notes"]


def header_of(docs: list[DocumentParts]) -> Header | None:
    """The first 汇总表 header, else the first 自评汇总 header."""
    for kind in ("summary", "selfeval_summary"):
        for doc in docs:
            if doc.header is not None and doc.header.kind == kind:
                return doc.header
    return None


def _most(values: list) -> object | None:
    """The most frequent value (the first seen among equals), or None."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def move_authority(projects: list[ProjectImport], default: str | None) -> None:
    """Drop ``project.authority`` where it is the department's default."""
    for p in projects:
        info = p.data.get("project", {})
        if default is not None and (info.get("authority") or "").strip() == default.strip():
            info.pop("authority", None)


def department_data(docs: list[DocumentParts], projects: list[ProjectImport]) -> tuple[dict, list[Missing], dict]:
    """(department.toml's data, what could not be found, trailing comments by key path)."""
    header = header_of(docs)
    missing: list[Missing] = []
    trailing: dict[tuple, str] = {}
    info: dict = {}
    label = next((d.label for d in docs if d.header is header), docs[0].label if docs else "") if header else (
        docs[0].label if docs else "")
    if header is not None:
        info["name"] = header.department
    else:
        missing.append(Missing("department.name", "", "", label,
                               "未找到：所给文件中没有汇总表标题（“…年度项目绩效目标汇总表”），请填写单位名称"))
    authority = _most([(p.data.get("project", {}).get("authority") or "").strip() for p in projects])
    if authority:
        info["authority"] = authority
        move_authority(projects, authority)
    year = header.year if header is not None else _most([p.year for p in projects])
    if year is not None:
        info["year"] = year
        if header is None:
            trailing[("department", "year")] = "取自各表的年度"
    else:
        missing.append(Missing("department.year", "", "", label, "未找到：所给文件中没有年度，请填写"))
    if header is not None and header.budget_units is not None:
        info["budget_units"] = header.budget_units
    layout = _most([p.layout for p in projects])
    unit = _most([p.unit for p in projects])
    data: dict = {"order": [p.stem for p in projects], "department": info, "layout": {}}
    data["layout"]["template"] = layout or DEFAULT_TEMPLATE
    if layout is None and projects:
        trailing[("layout", "template")] = "原文的版式不是 perfdoc 内置的版式，按默认版式生成；可改为自定义版式"
    if unit:
        data["layout"]["unit"] = unit
    missing += layout_notes(projects, data["layout"]["template"])
    return data, missing, trailing


def name_files(projects: list[ProjectImport], taken: set[str] = frozenset()) -> None:
    """Each project's file stem, as ``perfdoc new`` names it (safe_file_stem of the name); a name met
    twice gets ``-2``, ``-3`` …; ``taken`` (stems already in the folder, case-folded) are avoided."""
    used = {s.casefold() for s in taken}
    for p in projects:
        base = safe_file_stem(p.name or "未命名项目")
        stem, n = base, 1
        while stem.casefold() in used or stem.casefold() == "department":
            n += 1
            stem = safe_file_stem(f"{base}-{n}")
        used.add(stem.casefold())
        p.stem = stem


def layout_notes(projects: list[ProjectImport], template: str) -> list[Missing]:
    """Projects whose form was printed in another layout than the department's: their documents will
    look different when built, which the user should know."""
    return [Missing("", p.name, "", p.source, f"原表是 {p.layout} 版式，与单位的版式 {template} 不同，生成时按单位的版式")
            for p in projects if p.layout is not None and p.layout != template]
