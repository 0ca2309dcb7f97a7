"""The text of a built Word document, for ``perfdoc textconv`` (git diff) and for tests.

In document order: a paragraph is one line; a table is one line per row with
its cells separated by `` | `` (a vertically merged cell that continues the
cell above prints empty; several paragraphs in one cell are joined by `` ¶ ``).
A tab prints as a tab, a line break inside a paragraph as a space.  Tracked
changes print the way git's word diff does: inserted text as ``{+…+}``,
deleted text as ``[-…-]`` (a built document has none; the 变更报告 has many).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .grid import _CONTAINERS, children as _children
from .package import W_NS, PackageError, open_package

__all__ = ["PackageError", "document_text", "body_lines", "paragraph_text", "CELL_SEPARATOR",
           "PARAGRAPH_SEPARATOR"]

W = f"{{{W_NS}}}"
CELL_SEPARATOR = " | "
PARAGRAPH_SEPARATOR = " ¶ "

_REVISIONS = {W + "ins": "ins", W + "del": "del", W + "moveTo": "ins", W + "moveFrom": "del"}


def _revision(node: etree._Element, paragraph: etree._Element) -> str:
    """"ins", "del" or "" for a piece of text: the nearest revision between it and its paragraph."""
    parent = node.getparent()
    while parent is not None and parent is not paragraph:
        state = _REVISIONS.get(parent.tag)
        if state:
            return state
        parent = parent.getparent()
    return ""


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text; inserted text as ``{+…+}`` and deleted text as ``[-…-]``."""
    pieces: list[tuple[str, str]] = []
    for node in p.iter(W + "t", W + "delText", W + "tab", W + "br", W + "cr"):
        tag = node.tag
        if tag in (W + "t", W + "delText"):
            text = node.text or ""
        elif tag == W + "tab":
            if node.getparent() is not None and node.getparent().tag != W + "r":
                continue  # a tab stop in w:pPr/w:tabs, not a character
            text = "\t"
        elif tag == W + "br" and node.get(W + "type") in ("page", "column"):
            continue
        else:
            text = " "
        if not text:
            continue
        state = _revision(node, p)
        if pieces and pieces[-1][0] == state:
            pieces[-1] = (state, pieces[-1][1] + text)
        else:
            pieces.append((state, text))
    out = []
    for state, text in pieces:
        if state == "ins":
            out.append("{+" + text + "+}")
        elif state == "del":
            out.append("[-" + text + "-]")
        else:
            out.append(text)
    return "".join(out)


def _continues(tc: etree._Element) -> bool:
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    return vm is not None and vm.get(W + "val", "continue") != "restart"


def _cell_text(tc: etree._Element) -> str:
    if _continues(tc):
        return ""
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == W + "p":
            parts.append(paragraph_text(block))
        else:
            parts.extend(_table_lines(block))
    return PARAGRAPH_SEPARATOR.join(parts)


def _table_lines(tbl: etree._Element) -> list[str]:
    lines = []
    for tr in _children(tbl, W + "tr"):
        lines.append(CELL_SEPARATOR.join(_cell_text(tc) for tc in _children(tr, W + "tc")))
    return lines


def _blocks(el: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables in order, looking through content controls and custom XML."""
    out = []
    for child in el:
        if child.tag in (W + "p", W + "tbl"):
            out.append(child)
        elif child.tag in _CONTAINERS:
            out.extend(_blocks(child))
    return out


def body_lines(body: etree._Element) -> list[str]:
    """The lines of a w:body (or any element holding paragraphs and tables)."""
    lines: list[str] = []
    for block in _blocks(body):
        if block.tag == W + "p":
            lines.append(paragraph_text(block))
        else:
            lines.extend(_table_lines(block))
    return lines


def document_text(source: str | Path | bytes, *, label: str | None = None) -> str:
    """The text of a .docx (a path or its bytes), one line per paragraph or table row, ending in a newline.

    The file is opened through :func:`perfdoc.read.package.open_package`: anything that is not
    a readable Word document raises :class:`PackageError` (a Chinese message naming the file).
    """
    body = open_package(source, label=label).body()
    lines = body_lines(body)
    return "".join(line + "\n" for line in lines)
