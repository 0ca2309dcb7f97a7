"""Opening the documents given to ``perfdoc review``, and grouping them.

Each file is opened the one guarded way (:func:`perfdoc.read.open_package`: size caps, no
entities, a real Word document; every part read and parsed once, so that a damaged part is
refused before anything is written); a Word 97-2003 ``.doc`` is converted by LibreOffice
first, as ``perfdoc import`` does.  The body is split into its forms
(:func:`perfdoc.read.summary.split_document`).

A document holding a 申报表 (a 汇总表, a single 申报表) is reviewed on its own; a document
holding only 经费说明 or 自评表 is reviewed together with the given document that holds the
申报表 of the same project (it cannot be checked without it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..read import PackageError, open_package, printable, read_limited
from ..read.declaration import read_declaration
from ..read.grid import Paragraph, Table, blocks
from ..read.package import MAX_FILE_BYTES, Package
from ..read.selfeval import read_selfeval
from ..read.summary import DocumentParts, known_templates, split_document

__all__ = ["ReviewFailure", "Received", "open_received", "group_documents", "squash"]


class ReviewFailure(Exception):
    """Nothing was written (exit code 2); ``message`` is Chinese and names the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def squash(text: str | None) -> str:
    return "".join((text or "").split())


@dataclass(eq=False)
class Received:
    """One document as received: its package (parts kept as they are) and what it holds."""

    path: Path
    label: str  # the file as the user named it
    package: Package
    blocks: list[Paragraph | Table]
    parts: DocumentParts
    converted: bool = False  # a .doc read through LibreOffice
    paragraphs: list[Paragraph] = field(default_factory=list)  # body paragraphs: "第 N 段" is [N - 1]

    @property
    def declarations(self) -> list[str]:
        """The project names of its 申报表."""
        names = []
        for part in self.parts.parts:
            if part.kind == "declaration" and part.tables:
                read = read_declaration(part.tables, label=self.label, heading=part.heading)
                names.append(squash(read.data.get("project", {}).get("name")))
        return names

    def other_names(self) -> list[str]:
        """The project names its 经费说明 titles and 自评表 give (for a document without 申报表)."""
        names = []
        for part in self.parts.parts:
            if part.kind == "narrative" and part.name:
                names.append(squash(part.name))
            elif part.kind == "selfeval" and part.tables:
                names.append(squash(read_selfeval(part.tables, label=self.label, heading=part.heading).name))
        return [n for n in names if n]

    def opening(self) -> str:
        """The first paragraphs' text (a 经费说明's 项目概述 names its project)."""
        texts = []
        for part in self.parts.parts:
            if part.kind == "narrative":
                texts.extend(p.text for p in part.paras[:4])
        return squash("".join(texts))


def _convert(path: Path, label: str) -> bytes:
    from ..importer.sources import SourceError, _convert_doc

    try:
        return _convert_doc(path, label)
    except SourceError as exc:
        raise ReviewFailure(exc.message) from None


def open_received(path: Path) -> Received:
    """Open one received document; ReviewFailure (a Chinese message naming it) when it cannot be used."""
    from ..importer.sources import is_word97

    path = Path(path)
    label = printable(os.fsdecode(path))
    try:
        data = read_limited(path, MAX_FILE_BYTES, label)
        converted = is_word97(data)
        if converted:
            data = _convert(path, label)
        package = open_package(data, label=label).verify()
        body = package.body()
    except PackageError as exc:
        raise ReviewFailure(str(exc)) from None
    found = blocks(body)
    parts = split_document(found, label=label, templates=known_templates())
    if not parts.parts:
        raise ReviewFailure(f"{label}：其中没有申报表、项目经费情况说明或自评表，不是可以审核的文档")
    paragraphs = [b for b in found if isinstance(b, Paragraph)]
    return Received(path, label, package, found, parts, converted, paragraphs)


def group_documents(received: list[Received]) -> list[list[Received]]:
    """Groups reviewed together: each document with a 申报表, with the documents (经费说明, 自评表
    alone) whose projects it declares.  ReviewFailure for a document whose project is declared
    in none of the given documents."""
    groups: list[list[Received]] = []
    names: list[list[str]] = []
    lone: list[Received] = []
    for doc in received:
        declared = doc.declarations
        if declared:
            groups.append([doc])
            names.append(declared)
        else:
            lone.append(doc)
    for doc in lone:
        wanted = doc.other_names()
        opening = doc.opening()
        matches = [i for i, declared in enumerate(names)
                   if any(n in declared for n in wanted) or (not wanted and any(n and n in opening for n in declared))]
        # the single form of the project rather than a 汇总表 that holds its 经费说明 already
        match = min(matches, key=lambda i: (len(names[i]), i)) if matches else None
        if match is None:
            raise ReviewFailure(
                f"{doc.label}：其中只有项目经费情况说明或自评表，没有申报表；审核需要该项目的申报表，"
                "请把它的申报表（或汇总表）与它一同审核")
        groups[match].append(doc)
    return groups
