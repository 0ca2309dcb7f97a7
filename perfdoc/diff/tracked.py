"""Real tracked changes (修订) between two renderings of the same document part.

OLD and NEW are rendered by the same renderer (docxml strings); this module
merges them into NEW carrying WordprocessingML revisions against OLD, so that
Word's and WPS's 审阅 pane lists every change and can accept or reject it.
This module aligns blocks, rows and cells; what happens inside a pair of
paragraphs is :mod:`perfdoc.diff.tracked_text`'s.

* blocks (paragraphs and tables) are aligned in order: paragraphs by their
  style and text (difflib), tables by their position among the tables;
  paragraphs of a replaced block are paired when they have the same style and
  look alike (or one for one when the counts agree);
* a paragraph only in NEW (OLD) is inserted (deleted) with its paragraph mark,
  so that rejecting (accepting) leaves no empty paragraph behind.  The last
  paragraph mark of a table cell can be neither inserted nor deleted, so a
  cell whose tail is inserted or deleted has its marks shifted the way Word
  writes them;
* table rows are aligned by a key (the caller's: by position for the form, by
  (一级, 二级, 三级) for the indicators); a row only in NEW is an inserted row
  (``w:trPr/w:ins``), a row only in OLD a deleted row (``w:trPr/w:del``, its
  text in ``w:delText``), a row in both is merged cell by cell;
* a cell whose properties differ (a ``w:vMerge`` that starts a group in one
  version and continues it in the other) keeps NEW's ``w:tcPr`` with OLD's in
  ``w:tcPrChange``.  Every row keeps its own version's vertical merges, so
  accepting every change gives exactly NEW and rejecting every change exactly
  OLD, both with a valid merge structure.  (LibreOffice 7.4 reads the text
  and row revisions but ignores ``w:tcPrChange``: rejecting there restores
  OLD's text with NEW's merges.)

Row properties (``w:cantSplit``, heights) are NEW's and are not tracked: they
follow from the text.  The input is the renderer's output: paragraphs of runs
(``w:t``, ``w:tab``, ``w:br``) and tables; anything else inside a paragraph is
dropped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable, Hashable, Sequence

from lxml import etree

from ..render.docxml import W_NS
from .tracked_text import (
    AUTHOR, DATE, POut, Para, Revisions, paired_para, parse, ppr_with_mark, read_para, similarity, whole_para, xml,
)

__all__ = ["AUTHOR", "DATE", "Revisions", "track_changes", "by_position", "by_indicator", "RowKey"]

W = f"{{{W_NS}}}"

#: Paragraphs of a replaced block are paired when at least this similar (:func:`similarity`).
_PAIR_RATIO = 0.4
#: Above this many paragraph comparisons in one replaced block, pair by position.
_PAIR_LIMIT = 2500

#: (row index, texts of the row's cells, merged cells showing their group's text) -> key
RowKey = Callable[[int, list[str]], Hashable]


def by_position(index: int, texts: list[str]) -> Hashable:
    """Rows aligned by position (the form: the same rows in every version)."""
    return index


def by_indicator(index: int, texts: list[str]) -> Hashable:
    """The indicator table: the heading row, then rows keyed by (一级, 二级, 三级)."""
    if index == 0:
        return ("heading",)
    return tuple("".join(t.split()) for t in texts[1:4])


# -- blocks: paragraphs and tables ----------------------------------------------------

@dataclass
class _Block:
    el: etree._Element
    para: Para | None = None  # for a paragraph
    table: int = -1  # for a table: its position among the tables of the sequence

    @property
    def key(self) -> Hashable:
        if self.para is not None:
            return ("p", self.para.style, self.para.text)
        return ("tbl", self.table)


def _blocks(elements: Sequence[etree._Element]) -> list[_Block]:
    out = []
    tables = 0
    for el in elements:
        if el.tag == W + "p":
            out.append(_Block(el, para=read_para(el)))
        elif el.tag == W + "tbl":
            out.append(_Block(el, table=tables))
            tables += 1
    return out


def _pairable(a: _Block, b: _Block) -> bool:
    if a.para is None or b.para is None:
        return a.para is None and b.para is None
    return a.para.style == b.para.style


def _pairs(old: list[_Block], new: list[_Block]) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, of the blocks of a replaced stretch."""
    if len(old) == len(new):
        return [(i, i) for i in range(len(old)) if _pairable(old[i], new[i])]
    if len(old) * len(new) > _PAIR_LIMIT:
        return [(i, i) for i in range(min(len(old), len(new))) if _pairable(old[i], new[i])]

    def score(a: _Block, b: _Block) -> float:
        if not _pairable(a, b):
            return 0.0
        if a.para is None:
            return 1.0
        s = similarity(a.para, b.para)
        return s if s >= _PAIR_RATIO else 0.0

    m, n = len(old), len(new)
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            s = score(old[i], new[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], (best[i + 1][j + 1] + s) if s else 0.0)
    pairs = []
    i = j = 0
    while i < m and j < n:
        s = score(old[i], new[j])
        if s and best[i][j] == best[i + 1][j + 1] + s:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _align(old: list[_Block], new: list[_Block]) -> list[tuple[_Block | None, _Block | None]]:
    """Blocks of OLD and NEW in merged order: (old, new) pairs, (old, None) deleted, (None, new) inserted.

    In a replaced stretch deleted blocks come before inserted ones.
    """
    out: list[tuple[_Block | None, _Block | None]] = []
    matcher = SequenceMatcher(None, [x.key for x in old], [x.key for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        if tag == "delete":
            out += [(old[i], None) for i in range(i1, i2)]
            continue
        if tag == "insert":
            out += [(None, new[j]) for j in range(j1, j2)]
            continue
        a, b = old[i1:i2], new[j1:j2]
        pairs = _pairs(a, b)
        i = j = 0
        for pi, pj in pairs + [(len(a), len(b))]:
            out += [(x, None) for x in a[i:pi]]
            out += [(None, y) for y in b[j:pj]]
            if pi < len(a):
                out.append((a[pi], b[pj]))
            i, j = pi + 1, pj + 1
    return out


def _track_blocks(old: Sequence[etree._Element], new: Sequence[etree._Element], rev: Revisions,
                  *, in_cell: bool, row_keys: Sequence[RowKey] = ()) -> str:
    """NEW's blocks with tracked changes against OLD's, as XML text."""
    items: list[POut | str] = []
    for a, b in _align(_blocks(old), _blocks(new)):
        block = b if b is not None else a
        if block.para is None:  # a table
            key = row_keys[block.table] if block.table < len(row_keys) else by_position
            items.append(_track_table(a.el if a else None, b.el if b else None, rev, key))
        elif a is None:
            items.append(whole_para(b.para, "ins", rev))
        elif b is None:
            items.append(whole_para(a.para, "del", rev))
        else:
            items += paired_para(a.para, b.para, rev, in_cell=in_cell)
    if in_cell:
        _fix_cell_tail(items)
    return "".join(x if isinstance(x, str) else x.xml(rev) for x in items)


def _fix_cell_tail(items: list[POut | str]) -> None:
    """The last paragraph mark of a cell survives both accepting and rejecting.

    After the last paragraph whose mark is in both versions (E), the tail holds
    inserted and/or deleted paragraphs.  Only deleted: E's mark is deleted and
    the last one's kept; only inserted: E's mark is inserted and the last one's
    kept; both (deleted before inserted): the last deleted paragraph's runs
    join the first inserted paragraph and the last inserted mark is kept.
    """
    if not items or any(isinstance(x, str) for x in items):
        return
    paras: list[POut] = items  # type: ignore[assignment]
    last_eq = max((k for k, p in enumerate(paras) if p.mark == "eq"), default=-1)
    tail = list(range(last_eq + 1, len(paras)))
    if not tail:
        return
    dels = [k for k in tail if paras[k].mark == "del"]
    inss = [k for k in tail if paras[k].mark == "ins"]
    if dels and inss:
        last_del, first_ins = dels[-1], inss[0]
        if last_del + 1 != first_ins:
            return  # not the order _align writes (deleted, then inserted)
        paras[first_ins].runs = paras[last_del].runs + paras[first_ins].runs
        paras[-1].mark = "eq"
        del items[last_del]
    elif last_eq >= 0:
        paras[last_eq].mark = paras[-1].mark
        paras[-1].mark = "eq"


# -- tables ---------------------------------------------------------------------------

def _cells(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if c.tag == W + "tc"]


def _span(tc: etree._Element) -> int:
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    try:
        return int(span.get(W + "val", "1")) if span is not None else 1
    except ValueError:
        return 1


def _vmerge(tc: etree._Element) -> str | None:
    """"restart", "continue" or None."""
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    if vm is None:
        return None
    return "restart" if vm.get(W + "val") == "restart" else "continue"


def _cell_text(tc: etree._Element) -> str:
    return "\n".join(read_para(p).text for p in tc if p.tag == W + "p")


def _row_texts(rows: list[etree._Element]) -> list[list[str]]:
    """Each row's cell texts; a continued merged cell shows the text of its group's first cell."""
    above: dict[int, str] = {}
    out = []
    for tr in rows:
        texts = []
        col = 0
        for tc in _cells(tr):
            if _vmerge(tc) == "continue":
                text = above.get(col, "")
            else:
                text = _cell_text(tc)
                above[col] = text
            texts.append(text)
            col += _span(tc)
        out.append(texts)
    return out


def _shape(tr: etree._Element) -> tuple[int, ...]:
    return tuple(_span(tc) for tc in _cells(tr))


def _continued(tr: etree._Element) -> int:
    return sum(1 for tc in _cells(tr) if _vmerge(tc) == "continue")


def _trpr_with_mark(tr: etree._Element, mark: str, rev: Revisions) -> str:
    holder = etree.Element(W + "holder", nsmap={"w": W_NS})
    trpr = tr.find(W + "trPr")
    if trpr is None:
        trpr = etree.SubElement(holder, W + "trPr")
    else:
        trpr = copy.deepcopy(trpr)
        holder.append(trpr)
    marker = etree.SubElement(trpr, W + mark, rev.attrib())
    change = trpr.find(W + "trPrChange")
    if change is not None:
        change.addprevious(marker)
    return xml(trpr)


def _whole_row(tr: etree._Element, state: str, rev: Revisions) -> str:
    """A row only in NEW (state "ins") or only in OLD ("del"): the row and all its text marked."""
    trpr = _trpr_with_mark(tr, state, rev)
    cells = []
    for tc in _cells(tr):
        body = []
        for child in tc:
            if child.tag == W + "p":
                body.append(whole_para(read_para(child), state, rev, mark=False).xml(rev))
            elif child.tag == W + "tbl":
                body.append(_whole_table(child, state, rev))
        cells.append(f"<w:tc>{xml(tc.find(W + 'tcPr'))}{''.join(body) or '<w:p/>'}</w:tc>")
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def _table_head(tbl: etree._Element) -> str:
    return xml(tbl.find(W + "tblPr")) + xml(tbl.find(W + "tblGrid"))


def _whole_table(tbl: etree._Element, state: str, rev: Revisions) -> str:
    rows = [_whole_row(tr, state, rev) for tr in tbl if tr.tag == W + "tr"]
    return f"<w:tbl>{_table_head(tbl)}{''.join(rows)}</w:tbl>"


def _tcpr_with_change(old_tc: etree._Element, new_tc: etree._Element, rev: Revisions) -> str:
    old_pr, new_pr = old_tc.find(W + "tcPr"), new_tc.find(W + "tcPr")
    new_xml = xml(new_pr)
    if xml(old_pr) == new_xml:
        return new_xml
    inner = "".join(xml(c) for c in old_pr) if old_pr is not None else ""
    change = f"<w:tcPrChange {rev.attrs()}><w:tcPr>{inner}</w:tcPr></w:tcPrChange>"
    if not new_xml or new_xml.endswith("/>") and "</w:tcPr>" not in new_xml:
        return f"<w:tcPr>{change}</w:tcPr>"
    return new_xml[: -len("</w:tcPr>")] + change + "</w:tcPr>"


def _paired_row(old: etree._Element, new: etree._Element, rev: Revisions) -> str:
    cells = []
    for a, b in zip(_cells(old), _cells(new)):
        tcpr = _tcpr_with_change(a, b, rev)
        body = _track_blocks([c for c in a if c.tag != W + "tcPr"], [c for c in b if c.tag != W + "tcPr"],
                             rev, in_cell=True)
        cells.append(f"<w:tc>{tcpr}{body or '<w:p/>'}</w:tc>")
    return f"<w:tr>{xml(new.find(W + 'trPr'))}{''.join(cells)}</w:tr>"


def _track_table(old: etree._Element | None, new: etree._Element | None, rev: Revisions, key: RowKey) -> str:
    if old is None:
        return _whole_table(new, "ins", rev)
    if new is None:
        return _whole_table(old, "del", rev)
    if xml(old.find(W + "tblGrid")) != xml(new.find(W + "tblGrid")):
        # another grid: the old table deleted, the new one inserted, kept apart by a paragraph
        return (_whole_table(old, "del", rev) + f"<w:p>{ppr_with_mark(None, 'ins', rev)}</w:p>"
                + _whole_table(new, "ins", rev))
    old_rows = [tr for tr in old if tr.tag == W + "tr"]
    new_rows = [tr for tr in new if tr.tag == W + "tr"]
    old_keys = [(key(i, texts), _shape(tr)) for i, (tr, texts) in enumerate(zip(old_rows, _row_texts(old_rows)))]
    new_keys = [(key(i, texts), _shape(tr)) for i, (tr, texts) in enumerate(zip(new_rows, _row_texts(new_rows)))]
    rows: list[str] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [_paired_row(old_rows[i], new_rows[j], rev) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        deleted = [_whole_row(tr, "del", rev) for tr in old_rows[i1:i2]]
        inserted = [_whole_row(tr, "ins", rev) for tr in new_rows[j1:j2]]
        # a first inserted row that continues a merged group above goes first (it merges with its group)
        if deleted and inserted and _continued(new_rows[j1]) > _continued(old_rows[i1]):
            rows += inserted + deleted
        else:
            rows += deleted + inserted
    return f"<w:tbl>{_table_head(new)}{''.join(rows)}</w:tbl>"


# -- entry point ----------------------------------------------------------------------

def track_changes(old_parts: Sequence[str] | None, new_parts: Sequence[str] | None, rev: Revisions,
                  *, row_keys: Sequence[RowKey] = ()) -> str:
    """NEW (docxml fragments) with tracked changes against OLD, as XML for docxml.append.

    ``old_parts`` None: everything is inserted; ``new_parts`` None: OLD, everything
    deleted.  ``row_keys`` gives, for the first, second … table, how its rows are
    aligned (default :func:`by_position`).
    """
    old = parse(old_parts) if old_parts else []
    new = parse(new_parts) if new_parts else []
    return _track_blocks(old, new, rev, in_cell=False, row_keys=row_keys)
