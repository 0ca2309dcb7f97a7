"""Splitting a Word document into the forms it holds: a 汇总表, a 自评汇总, or single forms.

The counterpart of :mod:`perfdoc.compose.summary` and :mod:`perfdoc.compose.selfeval_summary`.
A 汇总表 is its title (the template's ``summary_title``), the summary sentence (``summary``),
an index table, then per project its 经费说明 (title and seven headings) and its 申报表 (title,
year line, the form's tables), and attachments at the end.  A 自评汇总 is its title, an index
table and the 自评表.  A document holding one 申报表, one 经费说明 or one 自评表 (or several,
in any order) is read the same way, without the header.

Parts are found in document order (:func:`perfdoc.read.grid.blocks`): a 经费说明 starts at its
title or at ``一、项目概述``; a 申报表 at its title or at a table the declaration reader
recognises; a 自评表 likewise.  The fixed texts come from the templates and the render
modules, never typed here.  What belongs to no part is kept in ``leftover`` so that the
importer can say what it did not import.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..compose.selfeval_summary import selfeval_summary_title
from ..render.selfeval import SELFEVAL_TITLE
from ..render.template import Template, TemplateError, builtin_templates_dir, find_template
from .declaration import is_declaration, is_indicator_table
from .grid import Paragraph, Table
from .narrative import Para, _literal, heading_index, title_pattern
from .selfeval import is_selfeval, is_selfeval_indicators

__all__ = ["Part", "Header", "DocumentParts", "split_document", "known_templates", "paragraph_where",
           "table_where", "part_starter"]

_DEPARTMENT, _YEAR, _UNITS, _COUNT, _TOTAL = ("\ue010单位\ue011", "\ue012年\ue013", "\ue014数\ue015",
                                              "\ue016个\ue017", "\ue018额\ue019")
_GROUPS = {_DEPARTMENT: r"(?P<department>.+?)", _YEAR: r"(?P<year>[0-9]{4})", _UNITS: r"(?P<units>[0-9]{1,5})",
           _COUNT: r"(?P<count>[0-9]{1,6})", _TOTAL: r"(?P<total>[0-9][0-9,，]*(?:\.[0-9]+)?)"}
#: A title, heading or year line is a short paragraph.
_SHORT = 120


def paragraph_where(number: int) -> str:
    return f"第 {number} 段"


def table_where(table: Table, row: int | None = None) -> str:
    return f"第 {table.index + 1} 个表格" + (f"第 {row + 1} 行" if row is not None else "")


@dataclass
class Part:
    """One form in a document: ``kind`` is ``declaration``, ``narrative`` or ``selfeval``."""

    kind: str
    title: str = ""
    where: str = ""
    name: str | None = None  # the project name in a narrative title ({name})
    number: int | None = None  # 填报表N / 项目经费情况说明N
    year: int | None = None  # the year line （2026年度）
    paras: list[Para] = field(default_factory=list)  # a narrative's paragraphs after its title
    tables: list[Table] = field(default_factory=list)  # a form's tables
    heading: list[str] = field(default_factory=list)  # a form's title, year line … (the paragraphs before its table)
    template: Template | None = None  # the template whose texts matched the title, when one did
    closed: bool = False  # a form whose tables were followed by text: what follows is not its own


@dataclass
class Header:
    """What the title and summary sentence of a 汇总表 / 自评汇总 say."""

    kind: str  # "summary" or "selfeval_summary"
    title: str
    where: str
    department: str
    year: int
    template: Template | None = None
    budget_units: int | None = None
    sentence: str = ""
    sentence_where: str = ""
    count: int | None = None
    names: list[str] = field(default_factory=list)  # 项目名称 of the index table, in order


@dataclass
class DocumentParts:
    label: str
    header: Header | None
    parts: list[Part]
    leftover: list[tuple[str, str]] = field(default_factory=list)  # (where, text) of what is no form's


@functools.cache
def _builtin() -> tuple[Template, ...]:
    folder = builtin_templates_dir()
    found = []
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        try:
            found.append(find_template(str(sub)))
        except TemplateError:
            continue
    return tuple(found)


def known_templates(first: Template | None = None) -> list[Template]:
    """``first`` (the department's template, when importing into one), then the built-in ones."""
    out = [first] if first is not None else []
    return out + [t for t in _builtin() if first is None or t.folder != first.folder]


def _marked(text: str) -> re.Pattern:
    out, i = [], 0
    for m in re.finditer("|".join(map(re.escape, _GROUPS)), text):
        out.append(_literal(text[i:m.start()]))
        out.append(_GROUPS[m[0]] + r"\s*")
        i = m.end()
    out.append(_literal(text[i:]))
    return re.compile(r"\s*" + "".join(out) + r"\Z", re.S)


def _render(template: Template, name: str, **data) -> str | None:
    try:
        return template.text(name, **data)
    except TemplateError:
        return None


class _Patterns:
    """The fixed texts of the known templates, as patterns."""

    def __init__(self, templates: list[Template]):
        self.templates = templates
        self.summary_titles = []
        self.sentences = []
        self.narrative_titles = []
        self.declaration_titles = []
        self.year_lines = []
        for t in templates:
            title = _render(t, "summary_title", department=_DEPARTMENT, year=_YEAR)
            if title and _DEPARTMENT in title and _YEAR in title:
                self.summary_titles.append((_marked(title), t))
            sentence = _render(t, "summary", budget_units=_UNITS, year=_YEAR, count=_COUNT, total_wan=_TOTAL)
            if sentence:
                self.sentences.append((_marked(sentence), t))
            self.narrative_titles.append((title_pattern(t), t))
            self.declaration_titles.append((re.compile(
                r"\s*" + _literal(t.variant.declaration_title) + r"(?P<number>[0-9]{0,4})\s*\Z"), t))
            line = t.variant.year_line.replace("{year}", _YEAR)
            self.year_lines.append(_marked(line))
        self.selfeval_summary = _marked(selfeval_summary_title(SimpleNamespace(name=_DEPARTMENT, year=_YEAR), []))
        self.selfeval_title = re.compile(r"\s*" + _literal(SELFEVAL_TITLE) + r"\s*\Z")

    def header(self, text: str, where: str) -> Header | None:
        for pattern, t in self.summary_titles:
            m = pattern.match(text)
            if m:
                return Header("summary", text.strip(), where, m["department"].strip(), int(m["year"]), t)
        m = self.selfeval_summary.match(text)
        if m:
            return Header("selfeval_summary", text.strip(), where, m["department"].strip(), int(m["year"]))
        return None

    def sentence(self, text: str, header: Header) -> bool:
        ordered = sorted(self.sentences, key=lambda pt: pt[1] is not header.template)
        for pattern, t in ordered:
            m = pattern.match(text)
            if m and int(m["year"]) == header.year:
                header.budget_units = int(m["units"])
                header.count = int(m["count"])
                header.sentence = text.strip()
                header.template = header.template or t
                return True
        return False

    def narrative_title(self, text: str) -> tuple[str | None, int | None, Template] | None:
        if len(text) > _SHORT or heading_index(text) is not None:
            return None
        for pattern, t in self.narrative_titles:
            m = pattern.match(text)
            if m:
                groups = m.groupdict()
                number = groups.get("number")
                name = groups.get("name")
                return (name.strip() if name else None), (int(number) if number else None), t
        return None

    def declaration_title(self, text: str) -> tuple[int | None, Template] | None:
        if len(text) > _SHORT:
            return None
        for pattern, t in self.declaration_titles:
            m = pattern.match(text)
            if m:
                return (int(m["number"]) if m["number"] else None), t
        return None

    def year(self, text: str) -> int | None:
        if len(text) > _SHORT:
            return None
        for pattern in self.year_lines:
            m = pattern.match(text)
            if m:
                return int(m["year"])
        return None


def _index_names(table: Table) -> list[str]:
    """项目名称 of an index table (the column headed 项目名称; not the 合计 row)."""
    if not table.rows:
        return []
    column = next((c.col for c in table.rows[0] if "".join(c.text.split()) == "项目名称"), None)
    if column is None:
        return []
    names = []
    for row in table.rows[1:]:
        cell = next((c for c in row if c.col == column), None)
        if cell is not None and cell.text.strip() and not cell.continued:
            names.append(cell.text.strip())
    return names


def split_document(blocks: list[Paragraph | Table], *, label: str, templates: list[Template]) -> DocumentParts:
    """The header (when the document is a 汇总表 or 自评汇总), the forms, and what is neither."""
    patterns = _Patterns(templates)
    result = DocumentParts(label, None, [])
    current: Part | None = None
    number = 0
    started = False  # a form has been seen: what comes before the first is the header

    def leftover(where: str, text: str) -> None:
        if text.strip():
            result.leftover.append((where, text.strip()))

    def start(part: Part) -> Part:
        nonlocal started, last
        started = True
        result.parts.append(part)
        if part.kind != "narrative":
            last = part
        return part

    last: Part | None = None  # the last form (申报表 or 自评表), for a table that continues it
    kinds: dict[int, str | None] = {}  # id(table) → what it is (_kind), worked out once
    for block in blocks:
        if isinstance(block, Table):
            where = table_where(block)
            if not started and result.header is not None and not result.header.names:
                result.header.names = _index_names(block)
                continue
            kind = kinds[id(block)] = _kind(block)
            opens = kind in ("declaration", "selfeval")
            if (current is not None and current.kind != "narrative" and not current.closed
                    and not (opens and any(kinds.get(id(t)) in ("declaration", "selfeval") for t in current.tables))):
                current.tables.append(block)
            elif last is not None and current is None and (
                    (last.kind == "declaration" and kind == "indicators")
                    or (last.kind == "selfeval" and kind == "selfeval_indicators")):
                last.tables.append(block)  # the indicators of the form before, after a line of text
            elif opens:
                current = start(Part(kind, where=where, tables=[block]))
            else:
                leftover(where, "\n".join(" | ".join(c.text for c in row if not c.continued) for row in block.rows))
            continue
        number += 1
        where = paragraph_where(number)
        text = block.text.strip()
        if not text:
            continue
        if not started and result.header is None and not result.parts:
            header = patterns.header(text, where)
            if header is not None:
                result.header = header
                continue
        if (not started and result.header is not None and result.header.kind == "summary"
                and not result.header.sentence and patterns.sentence(text, result.header)):
            result.header.sentence_where = where
            continue
        found = patterns.narrative_title(text)
        if found is not None:
            name, num, t = found
            current = start(Part("narrative", title=text, where=where, name=name, number=num, template=t))
            continue
        declared = patterns.declaration_title(text)
        if declared is not None:
            num, t = declared
            current = start(Part("declaration", title=text, where=where, number=num, template=t, heading=[text]))
            continue
        if patterns.selfeval_title.match(text):
            current = start(Part("selfeval", title=text, where=where, heading=[text]))
            continue
        heading = heading_index(text)
        if heading is not None:
            again = heading == 0 and current is not None and any(heading_index(p.text) == 0 for p in current.paras)
            if current is None or current.kind != "narrative" or again:
                current = start(Part("narrative", where=where))
            current.paras.append(Para(text, where))
            continue
        if current is not None and current.kind == "narrative":
            current.paras.append(Para(text, where))
            continue
        if current is not None and not current.tables:
            current.heading.append(text)  # the year line, 单位：元 … between the title and the table
            year = patterns.year(text)
            if year is not None and current.year is None:
                current.year = year
            continue
        if current is not None:
            current.closed = True  # text after a form's tables: the form has ended
            current = None
        leftover(where, text)
    return result


def _kind(table: Table) -> str | None:
    """``declaration`` or ``selfeval`` for a table that starts a form; ``indicators`` or
    ``selfeval_indicators`` for the indicator table of the form before; else None."""
    if is_indicator_table(table):
        return "indicators"
    if is_declaration(table):
        return "declaration"
    if is_selfeval_indicators(table):
        return "selfeval_indicators"
    if is_selfeval(table):
        return "selfeval"
    return None


def part_starter(templates: list[Template]):
    """A test of a paragraph's text: does a form begin with it (a 经费说明's title or first heading, a
    申报表's or 自评表's title)?"""
    patterns = _Patterns(templates)

    def starts(text: str) -> bool:
        text = text.strip()
        return bool(text) and (patterns.narrative_title(text) is not None or heading_index(text) == 0
                               or patterns.declaration_title(text) is not None
                               or bool(patterns.selfeval_title.match(text)))
    return starts
