"""Tracked changes inside paragraphs: reading the renderer's runs, writing them as revisions.

A paragraph is read as a list of atoms (one per character, tab or break, each
with its run's ``w:rPr``).  Two versions of a paragraph are written as NEW
with revisions against OLD:

* a paragraph of running text gets a character-level diff
  (:func:`perfdoc.diff.textdiff.text_diff`): equal text as plain runs, inserted
  text in ``w:ins``, deleted text in ``w:del`` (``w:delText``), each run keeping
  its ``w:rPr``;
* a *value* in a table cell (an amount, a date, an indicator value: one line
  without spaces or sentence punctuation) is replaced whole, OLD's value above
  NEW's, so that a narrow cell shows the two one above the other rather than
  run together (``1020000`` / ``1100000``, not ``10200001100000``): OLD's
  value deleted in a paragraph of its own, then NEW's inserted in the
  paragraph that stays.  The first paragraph's mark is inserted and deleted at
  once (as Word writes a mark one reviewer inserted and another deleted), so
  that accepting every revision and rejecting every revision both remove it.
  (LibreOffice 7.4 keeps only the deletion of such a mark: accepting there
  gives NEW, rejecting leaves an empty line under OLD's value.);
* a paragraph only in NEW (OLD) has all its text inserted (deleted) and, unless
  the caller says otherwise, its paragraph mark too (``w:pPr/w:rPr/w:ins`` or
  ``w:del``).

Every revision carries ``w:author="perfdoc"``, the fixed date
``2000-01-01T00:00:00Z`` (the build date is not content) and a ``w:id``
unique in the document (:class:`Revisions` hands them out).
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence
from xml.sax.saxutils import escape

from lxml import etree

from ..render.docxml import W_NS
from .textdiff import text_diff

__all__ = ["AUTHOR", "DATE", "Revisions"]

AUTHOR = "perfdoc"
DATE = "2000-01-01T00:00:00Z"

W = f"{{{W_NS}}}"
_DECL = f' xmlns:w="{W_NS}"'
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, remove_blank_text=False)

#: Characters that make a cell's paragraph running text rather than a value.
_SENTENCE = set("，。；！？;!?")


class Revisions:
    """Hands out w:id values, unique in the document; every revision has the same author and date."""

    def __init__(self, author: str = AUTHOR, date: str = DATE, first_id: int = 1):
        self.author = author
        self.date = date
        self._next = first_id
        self.count = 0

    def _id(self) -> int:
        value = self._next
        self._next += 1
        self.count += 1
        return value

    def attrs(self) -> str:
        """The attributes of a new revision, as XML text."""
        return f'w:id="{self._id()}" w:author="{escape(self.author, {chr(34): "&quot;"})}" w:date="{self.date}"'

    def attrib(self) -> dict[str, str]:
        """The attributes of a new revision, for lxml."""
        return {W + "id": str(self._id()), W + "author": self.author, W + "date": self.date}


# -- reading the renderer's XML -------------------------------------------------------

def parse(parts: Sequence[str]) -> list[etree._Element]:
    """docxml fragments as elements (paragraphs and tables)."""
    root = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{"".join(parts)}</w:body>', _PARSER)
    return [child for child in root if isinstance(child.tag, str)]


def xml(el: etree._Element | None) -> str:
    """An element as XML text, without the namespace declaration lxml adds to its start tag."""
    if el is None:
        return ""
    text = etree.tostring(el, encoding="unicode", with_tail=False)
    end = text.index(">")
    return text[:end].replace(_DECL, "", 1) + text[end:]


@dataclass(frozen=True)
class _Atom:
    char: str  # the character compared (a tab is "\t", a break "\n", other objects "\ufffc")
    rpr: str  # the run's w:rPr as XML ("" when none)
    special: str | None = None  # the element's XML for a tab or a break; None for text


@dataclass
class Para:
    """A paragraph read: its element, properties, style, atoms and text."""

    el: etree._Element
    ppr: etree._Element | None
    style: str
    atoms: list[_Atom]
    text: str

    @cached_property
    def grams(self) -> Counter:
        return _grams(self.text)


def read_para(el: etree._Element) -> Para:
    """A w:p of the renderer's output (runs of w:t, w:tab, w:br; anything else is dropped)."""
    ppr = el.find(W + "pPr")
    style_el = ppr.find(W + "pStyle") if ppr is not None else None
    style = style_el.get(W + "val", "") if style_el is not None else ""
    atoms: list[_Atom] = []
    for r in el:
        if r.tag != W + "r":
            continue
        rpr = xml(r.find(W + "rPr"))
        for child in r:
            tag = child.tag
            if tag == W + "t":
                atoms.extend(_Atom(ch, rpr) for ch in child.text or "")
            elif tag == W + "tab":
                atoms.append(_Atom("\t", rpr, "<w:tab/>"))
            elif tag in (W + "br", W + "cr"):
                atoms.append(_Atom("\n", rpr, xml(child)))
            elif tag in (W + "noBreakHyphen", W + "softHyphen", W + "sym"):
                atoms.append(_Atom("\ufffc", rpr, xml(child)))
    return Para(el, ppr, style, atoms, "".join(a.char for a in atoms))


def _runs(atoms: Sequence[_Atom], *, deleted: bool = False) -> str:
    """Runs for ``atoms``: one run per stretch of the same w:rPr (w:delText when deleted)."""
    tag = "w:delText" if deleted else "w:t"
    out = []
    for rpr, group in itertools.groupby(atoms, key=lambda a: a.rpr):
        body: list[str] = []
        text: list[str] = []
        for atom in group:
            if atom.special is None:
                text.append(atom.char)
                continue
            if text:
                body.append(f'<{tag} xml:space="preserve">{escape("".join(text))}</{tag}>')
                text = []
            body.append(atom.special)
        if text:
            body.append(f'<{tag} xml:space="preserve">{escape("".join(text))}</{tag}>')
        out.append(f"<w:r>{rpr}{''.join(body)}</w:r>")
    return "".join(out)


# -- writing paragraphs ---------------------------------------------------------------

@dataclass
class POut:
    """A paragraph to write: its w:pPr (an element of OLD or NEW), its runs, its mark's state."""

    ppr: etree._Element | None
    runs: list[str]
    mark: str  # "eq", "ins", "del" or "insdel" (inserted, then deleted: gone in either view)

    def xml(self, rev: Revisions) -> str:
        return f"<w:p>{ppr_with_mark(self.ppr, self.mark, rev)}{''.join(self.runs)}</w:p>"


def ppr_with_mark(ppr: etree._Element | None, mark: str, rev: Revisions) -> str:
    """A paragraph's properties with its mark inserted and/or deleted (``mark``), or as they are ("eq")."""
    if mark == "eq":
        return xml(ppr)
    holder = etree.Element(W + "holder", nsmap={"w": W_NS})
    ppr = copy.deepcopy(ppr) if ppr is not None else None
    if ppr is None:
        ppr = etree.SubElement(holder, W + "pPr")
    else:
        holder.append(ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = etree.SubElement(ppr, W + "rPr")
        later = [c for c in ppr if c.tag in (W + "sectPr", W + "pPrChange")]
        if later:
            later[0].addprevious(rpr)
    # w:ins, then w:del, come first in a paragraph mark's properties
    for at, tag in enumerate(("ins", "del") if mark == "insdel" else (mark,)):
        rpr.insert(at, etree.Element(W + tag, rev.attrib()))
    return xml(ppr)


def _inserted_runs(atoms: Sequence[_Atom], rev: Revisions) -> str:
    return f"<w:ins {rev.attrs()}>{_runs(atoms)}</w:ins>" if atoms else ""


def _deleted_runs(atoms: Sequence[_Atom], rev: Revisions) -> str:
    return f"<w:del {rev.attrs()}>{_runs(atoms, deleted=True)}</w:del>" if atoms else ""


def whole_para(p: Para, state: str, rev: Revisions, *, mark: bool = True) -> POut:
    """A paragraph only in NEW (state "ins") or only in OLD ("del"); ``mark``: its mark too."""
    runs = _inserted_runs(p.atoms, rev) if state == "ins" else _deleted_runs(p.atoms, rev)
    return POut(p.ppr, [runs] if runs else [], state if mark else "eq")


def is_value(text: str) -> bool:
    """One line without spaces or sentence punctuation: an amount, a date, an indicator value."""
    return bool(text) and not any(ch.isspace() or ch in _SENTENCE for ch in text)


def paired_para(old: Para, new: Para, rev: Revisions, *, in_cell: bool = False) -> list[POut]:
    """NEW's paragraph with revisions against OLD's: one paragraph, or two for a value in a cell."""
    if old.text == new.text:
        return [POut(new.ppr, [_runs(new.atoms)] if new.atoms else [], "eq")]
    if in_cell and is_value(old.text) and is_value(new.text):
        return [POut(new.ppr, [_deleted_runs(old.atoms, rev)], "insdel"),
                POut(new.ppr, [_inserted_runs(new.atoms, rev)], "eq")]
    runs: list[str] = []
    i = j = 0
    for span in text_diff(old.text, new.text):
        n = len(span.text)
        if span.op == "equal":
            runs.append(_runs(new.atoms[j:j + n]))
            i += n
            j += n
        elif span.op == "delete":
            runs.append(_deleted_runs(old.atoms[i:i + n], rev))
            i += n
        else:
            runs.append(_inserted_runs(new.atoms[j:j + n], rev))
            j += n
    assert i == len(old.atoms) and j == len(new.atoms), "text_diff lost text"
    return [POut(new.ppr, runs, "eq")]


# -- how alike two paragraphs are -----------------------------------------------------

def _grams(text: str) -> Counter:
    """The character pairs of a text (its characters when shorter than two)."""
    if len(text) < 2:
        return Counter(text)
    return Counter(text[k:k + 2] for k in range(len(text) - 1))


def similarity(a: Para, b: Para) -> float:
    """Dice's coefficient of the character pairs: 1 for the same text, near 0 for unrelated ones.

    Linear in the lengths, so that pairing the paragraphs of a long replaced stretch stays fast.
    """
    if a.text == b.text:
        return 1.0
    if not a.text or not b.text:
        return 0.0
    ga, gb = a.grams, b.grams
    return 2 * sum((ga & gb).values()) / (sum(ga.values()) + sum(gb.values()))
