"""Where in the received documents a key of a project file was read: the anchor of a comment.

The form readers record, for every key they fill, the cell (or row, or form) it came from
(:class:`perfdoc.read.formrows.Place`); a 经费说明 is found again by its headings and
sub-item labels among the paragraphs the document splitter gave it.  A key path such as
``("indicators", 3, "target")`` is looked up as ``indicators[3].target``; a key that was
not read exactly is placed at the nearest enclosing element that was (the row, the
indicator heading row, the form's table, the section, the 经费说明's title), and finally at
the document's first paragraph: a finding is never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..read import labels as L
from ..read.declaration import DeclarationRead, read_declaration
from ..read.formrows import Place
from ..read.grid import Table, W
from ..read.narrative import Para, heading_index
from ..read.selfeval import SelfEvalRead
from ..read.summary import Part
from ..render.narrative import BASIS_ITEMS, BUDGET_ITEMS
from .sources import Received, squash

__all__ = ["Anchor", "ProjectPlaces", "first_anchor", "paragraph_anchor", "key_text"]

#: [narrative] keys by section (一、项目概述 … 七、绩效目标).
_SECTION_KEYS = ("overview", "basis", "implementer", "plan", "period", "budget", "goals")
_ITEMS = {"basis": BASIS_ITEMS, "budget": BUDGET_ITEMS}
_ITEM_NUMBER = r"(?:[(（]?[0-9]{1,2}[)）]?\s*[.．、,，]?|[一二三四五六七八九十]{1,2}\s*[、.．])?"
#: Indicator keys a 自评表 holds (the others come from the 申报表).
EVALUATION_FIELDS = ("weight", "actual", "score", "deviation")
_PARAGRAPH = re.compile(r"第 (\d+) 段")
_TABLE = re.compile(r"第 (\d+) 个表格")


@dataclass
class Anchor:
    """The range a comment covers: from ``start`` to ``end`` (a w:p, w:tc, w:tr or w:tbl each)."""

    doc: Received
    start: object
    end: object
    where: str      # in Chinese: "第 3 个表格第 5 行", "第 12 段"
    text: str = ""  # what the document shows there
    exact: bool = True  # False: the nearest enclosing element of a place that could not be found


def key_text(path: tuple) -> str:
    """``("indicators", 3, "target")`` → ``indicators[3].target``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _from_place(doc: Received, place: Place, exact: bool = True) -> Anchor | None:
    if place.element is None:
        return None
    return Anchor(doc, place.element, place.element, place.where, place.text, exact)


def _paragraph(doc: Received, where: str):
    m = _PARAGRAPH.fullmatch(where.strip())
    if m and 0 < int(m[1]) <= len(doc.paragraphs):
        return doc.paragraphs[int(m[1]) - 1]
    return None


def paragraph_anchor(doc: Received, where: str, exact: bool = True) -> Anchor | None:
    """The anchor of a body paragraph named ``第 N 段`` (or a table ``第 N 个表格``)."""
    para = _paragraph(doc, where)
    if para is not None and para.element is not None:
        return Anchor(doc, para.element, para.element, where, para.text, exact)
    m = _TABLE.fullmatch(where.strip())
    if m:
        tables = [b for b in doc.blocks if isinstance(b, Table)]
        n = int(m[1]) - 1
        if 0 <= n < len(tables) and tables[n].element is not None:
            return Anchor(doc, tables[n].element, tables[n].element, where, "", exact)
    return None


def first_anchor(doc: Received) -> Anchor:
    """The document's first paragraph: where a finding that belongs nowhere else is commented."""
    for number, para in enumerate(doc.paragraphs, start=1):
        if para.element is not None:
            return Anchor(doc, para.element, para.element, f"第 {number} 段", para.text, False)
    body = doc.package.body()
    first = next(body.iter(W + "p"))
    return Anchor(doc, first, first, "文档开头", "", False)


class _Narrative:
    """A 经费说明's paragraphs by section and sub-item."""

    def __init__(self, doc: Received, part: Part):
        self.doc = doc
        self.part = part
        self.headings: dict[int, Para] = {}
        self.sections: dict[int, list[Para]] = {}
        current: list[Para] | None = None
        for p in part.paras:
            index = heading_index(p.text)
            if index is not None:
                if index not in self.headings:
                    self.headings[index] = p
                    self.sections[index] = []
                current = self.sections[index]
                continue
            if current is not None and p.text.strip():
                current.append(p)

    def _span(self, paras: list[Para], exact: bool = True, quote: str = "") -> Anchor | None:
        paras = [p for p in paras if _paragraph(self.doc, p.where) is not None]
        if quote:
            inside = [p for p in paras if quote in p.text]
            if len(inside) == 1:
                paras = inside
        if not paras:
            return None
        first, last = _paragraph(self.doc, paras[0].where), _paragraph(self.doc, paras[-1].where)
        if first.element is None or last.element is None:
            return None
        where = paras[0].where if len(paras) == 1 else f"{paras[0].where}至{paras[-1].where.removeprefix('第 ')}"
        return Anchor(self.doc, first.element, last.element, where, paras[0].text, exact)

    def title(self) -> Anchor:
        if self.part.title:
            found = paragraph_anchor(self.doc, self.part.where, exact=False)
            if found is not None:
                return found
        first = self._span(self.part.paras[:1], exact=False)
        return first or first_anchor(self.doc)

    def heading(self, index: int) -> Anchor | None:
        para = self.headings.get(index)
        return self._span([para]) if para is not None else None

    def _items(self, index: int, key: str) -> list[Para]:
        """The paragraphs of sub-item ``key`` of a section (``text``: those before the first item)."""
        items = _ITEMS[_SECTION_KEYS[index]]
        heads = [(k, re.compile(r"^\s*" + _ITEM_NUMBER + r"\s*" + r"\s*".join(map(re.escape, label)) + r"\s*[:：]"))
                 for k, label in items]
        found: dict[str, list[Para]] = {}
        current = "text"
        for p in self.sections.get(index, []):
            for k, head in heads:
                if head.match(p.text):
                    current = k
                    break
            found.setdefault(current, []).append(p)
        return found.get(key, [])

    def anchor(self, path: tuple, quote: str = "") -> Anchor:
        """``("narrative", "basis", "documents")`` → its paragraphs; else the section, else the title."""
        key = path[1] if len(path) > 1 else None
        if key == "subject":
            key = "overview"
        if key not in _SECTION_KEYS:
            return self.title()
        index = _SECTION_KEYS.index(key)
        if len(path) > 2 and key in _ITEMS:
            found = self._span(self._items(index, path[2]), quote=quote)
            if found is not None:
                return found
        found = self._span(self.sections.get(index, []), exact=len(path) <= 2, quote=quote)
        if found is not None:
            return found
        return self.heading(index) or self.title()

    def section(self, index: int) -> Anchor:
        """A section named by a finding (empty or missing): its heading, else the 经费说明's title."""
        return self.heading(index) or self.title()


class ProjectPlaces:
    """The places of one project's keys in the documents of its group."""

    def __init__(self, project, docs: list[Received]):
        self.project = project
        by_label = {d.label: d for d in docs}
        self.docs = docs
        self.declaration = self._declaration(by_label.get(project.source))
        self.narrative = self._narrative(by_label.get(project.narrative_from or ""))
        self.evaluation: tuple[Received, SelfEvalRead] | None = None
        self.eval_index: dict[int, int] = {}
        read = project.evaluation_read
        doc = by_label.get(project.evaluation_from or "")
        if read is not None and doc is not None:
            self.evaluation = (doc, read)
            self._match_indicators(read)

    # -- finding the parts again ---------------------------------------------------------------
    def _declaration(self, doc: Received | None) -> tuple[Received, Part, DeclarationRead] | None:
        if doc is None:
            return None
        kept = getattr(self.project, "declaration_read", None)  # the importer's read of this 申报表
        first = kept.places.get("") if kept is not None else None
        for part in doc.parts.parts if first is not None else ():
            if part.kind == "declaration" and part.tables and part.tables[0].element is first.element:
                return doc, part, kept
        for part in doc.parts.parts:
            if part.kind == "declaration" and part.tables:
                read = read_declaration(part.tables, label=doc.label, heading=part.heading)
                if squash(read.data.get("project", {}).get("name")) == squash(self.project.name):
                    return doc, part, read
        return None

    def _narrative(self, doc: Received | None) -> _Narrative | None:
        """The 经费说明 the importer paired: the one just before the 申报表, else by its title, else by
        its 项目概述 naming the project."""
        if doc is None:
            return None
        parts = doc.parts.parts
        name = squash(self.project.name)
        if self.declaration is not None and self.declaration[0] is doc:
            at = next(i for i, p in enumerate(parts) if p is self.declaration[1])
            before = parts[at - 1] if at > 0 else None
            if before is not None and before.kind == "narrative" and (
                    before.name is None or squash(before.name) == name):
                return _Narrative(doc, before)
        narratives = [p for p in parts if p.kind == "narrative"]
        for part in narratives:
            if part.name is not None and squash(part.name) == name:
                return _Narrative(doc, part)
        for part in narratives:
            if name and name in "".join(squash(p.text) for p in part.paras[:4]):
                return _Narrative(doc, part)
        return None

    def _match_indicators(self, read: SelfEvalRead) -> None:
        """Which 自评表 row is which indicator (as the importer merges them: by 一级, 二级, 三级)."""
        def key(ind: dict) -> tuple:
            return tuple(squash(str(ind.get(k) or "")) for k in ("level1", "level2", "name"))

        free: dict[tuple, list[int]] = {}
        for i, ind in enumerate(self.project.data.get("indicators", [])):
            free.setdefault(key(ind), []).append(i)
        for n, found in enumerate(read.indicators):
            slots = free.get(key(found))
            if slots:
                self.eval_index[slots.pop(0)] = n

    # -- anchors -----------------------------------------------------------------------------------
    def form(self) -> Anchor | None:
        if self.declaration is None:
            return None
        doc, part, read = self.declaration
        place = read.places.get("")
        return _from_place(doc, place, exact=False) if place is not None else None

    def title(self) -> Anchor | None:
        """The 申报表's title paragraph (else its table)."""
        if self.declaration is None:
            return None
        doc, part, _ = self.declaration
        return paragraph_anchor(doc, part.where) or self.form()

    def year_line(self) -> Anchor | None:
        """The 申报表's year line （2026年度）, else its title."""
        if self.declaration is None:
            return None
        doc, part, _ = self.declaration
        para = _paragraph(doc, part.where)
        if para is not None:
            at = next((i for i, p in enumerate(doc.paragraphs) if p is para), None)
            for number in range(at, min(at + 4, len(doc.paragraphs))):
                candidate = doc.paragraphs[number]
                if candidate.element is not None and L.year_of(candidate.text) is not None:
                    return Anchor(doc, candidate.element, candidate.element, f"第 {number + 1} 段", candidate.text)
        return self.title()

    @staticmethod
    def _lookup(doc: Received, places: dict[str, Place], path: tuple) -> Anchor | None:
        for n in range(len(path), -1, -1):
            place = places.get(key_text(path[:n]))
            if place is not None:
                found = _from_place(doc, place, exact=n == len(path))
                if found is not None:
                    return found
        return None

    def has_narrative(self) -> bool:
        return self.narrative is not None

    def anchor(self, path: tuple, quote: str = "") -> Anchor | None:
        """Where ``path`` is in the documents; None when the part it belongs to was not received
        (a 经费说明 key of a 申报表 reviewed alone)."""
        head = path[0] if path else None
        if head == "narrative":
            return self.narrative.anchor(path, quote) if self.narrative is not None else None
        if self.evaluation is not None and (head == "evaluation" or (
                head == "indicators" and len(path) >= 3 and path[2] in EVALUATION_FIELDS)):
            doc, read = self.evaluation
            if head == "indicators":
                n = self.eval_index.get(path[1])
                path = ("indicators", n, *path[2:]) if n is not None else ("indicators",)
            found = self._lookup(doc, read.places, path)
            if found is not None:
                return found
        if path == ("project", "year"):
            return self.year_line()
        if self.declaration is not None:
            doc, _, read = self.declaration
            found = self._lookup(doc, read.places, path)
            if found is not None:
                return found
        if self.docs:
            return first_anchor(self.docs[0])
        return None

    def section(self, index: int) -> Anchor | None:
        return self.narrative.section(index) if self.narrative is not None else None
