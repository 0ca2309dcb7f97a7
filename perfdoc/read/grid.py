"""A Word document's body as blocks, its tables as rows of cells on their grid.

Whatever program wrote the document (Word, WPS, LibreOffice, python-docx,
perfdoc), a table is read as rows of :class:`Cell`: ``w:gridSpan`` and the old
``w:hMerge`` resolved into a first grid column and a span (``w:gridBefore``
counted), a ``w:vMerge`` continuation marked and given the text of the cell
it continues.  Text is the *accepted* text: inserted text kept, deleted and
moved-away text dropped, a field's result (not its code), content controls,
smart tags, custom XML and hyperlinks looked through, a text box's paragraphs
kept after the paragraph that anchors it.  A table nested in a cell stays out
of the list of tables; its text is part of the cell's paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .package import W_NS

__all__ = ["Cell", "Table", "Paragraph", "blocks", "tables", "paragraph_text", "W"]

W = f"{{{W_NS}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

#: Elements whose content is read as if they were not there.
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
#: Inline elements whose content is text of the paragraph.
_INLINE = _CONTAINERS | {W + "r", W + "ins", W + "moveTo", W + "hyperlink", W + "fldSimple", W + "dir",
                         W + "bdo", W + "ruby", W + "rubyBase", W + "oMath", W + "oMathPara"}
#: Removed text (tracked deletions and the origin of a move), a field's code, ruby annotations,
#: properties: never text.
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "delInstrText", W + "rt",
         W + "rPr", W + "pPr", W + "sdtPr", W + "sdtEndPr", W + "customXmlPr", W + "smartTagPr"}

#: Characters of the symbol fonts that forms use for check boxes (w:sym w:font w:char).
_SYMBOLS = {
    ("wingdings", 0xFE): "☑", ("wingdings", 0xFD): "☒", ("wingdings", 0x78): "☒",
    ("wingdings", 0xA8): "□", ("wingdings", 0x6F): "□", ("wingdings", 0x71): "□",
    ("wingdings", 0xFC): "✓", ("wingdings", 0xFB): "✗",
    ("wingdings 2", 0x52): "☑", ("wingdings 2", 0x54): "☒", ("wingdings 2", 0xA3): "□",
    ("wingdings 2", 0x2A): "□", ("wingdings 2", 0x50): "✓", ("wingdings 2", 0x4F): "✗",
}


@dataclass
class Cell:
    text: str              # the cell's accepted text, its paragraphs joined by "\n"
    paragraphs: list[str]  # the cell's paragraphs (accepted text)
    col: int               # first grid column (gridSpan resolved; w:gridBefore counted)
    span: int              # grid columns covered
    continued: bool = False  # a w:vMerge continuation: text is that of the cell it continues
    # the w:tc showing the text (for a continuation: the cell it continues); not compared
    element: object = field(default=None, compare=False, repr=False)


@dataclass
class Table:
    index: int             # 0-based, in document order among all tables (nested tables excluded)
    rows: list[list[Cell]] = field(default_factory=list)
    element: object = None  # the w:tbl lxml element
    row_elements: list = field(default_factory=list, compare=False, repr=False)  # the w:tr of each of ``rows``


@dataclass
class Paragraph:
    text: str
    style: str | None      # w:pStyle value
    element: object = None


# -- text of a paragraph ------------------------------------------------------------------------

def _in_font(font: str, code: int) -> str:
    """A character of a symbol font as the character it shows: a check box, else a private-use
    character (visibly not text, never guessed)."""
    if code >= 0xF000:
        code -= 0xF000
    known = _SYMBOLS.get((font, code))
    if known:
        return known
    if font.startswith(("wingdings", "webdings", "symbol")):
        return chr(0xF000 + code)
    return chr(code)


def _symbol(node: etree._Element) -> str:
    font = (node.get(W + "font") or "").strip().lower()
    try:
        code = int(node.get(W + "char") or "", 16)
    except ValueError:
        return ""
    return _in_font(font, code)


_R_PR, _R_FONTS, _ASCII, _H_ANSI = W + "rPr", W + "rFonts", W + "ascii", W + "hAnsi"
_P_PR, _P_STYLE, _VAL, _DEL, _MOVE_FROM = W + "pPr", W + "pStyle", W + "val", W + "del", W + "moveFrom"


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    """The child ``tag`` that the schema puts first (w:pPr, w:rPr, w:tcPr): looked at directly,
    searched only when something else comes first."""
    if len(el) and el[0].tag == tag:
        return el[0]
    return el.find(tag)


def _symbol_font(t: etree._Element) -> str | None:
    """The symbol font (Wingdings …) of the run holding a w:t, when the run sets one: WPS and
    older Word write a check box as the letter of that font (``þ`` in Wingdings is ☑)."""
    run = t.getparent()
    props = _first(run, _R_PR) if run is not None else None
    fonts = props.find(_R_FONTS) if props is not None else None
    if fonts is None:
        return None
    font = (fonts.get(_ASCII) or fonts.get(_H_ANSI) or "").strip().lower()
    return font if font.startswith(("wingdings", "webdings", "symbol")) else None


def _text(t: etree._Element) -> str:
    text = t.text or ""
    # only a character below U+0100 or in the private use area can be a symbol font's letter
    font = _symbol_font(t) if text and (min(text) < "\u0100" or max(text) >= "\uf000") else None
    if font is None:
        return text
    return "".join(_in_font(font, ord(ch)) if ord(ch) < 0x100 or ord(ch) >= 0xF000 else ch for ch in text)


def _alternate(node: etree._Element) -> list[etree._Element]:
    """The one branch of mc:AlternateContent to read: the first choice, else the fallback."""
    choice = node.find(_MC + "Choice")
    if choice is not None:
        return list(choice)
    fallback = node.find(_MC + "Fallback")
    return list(fallback) if fallback is not None else []


def _walk(node: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
    for child in node:
        _node(child, out, boxes)


def _node(child: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
    tag = child.tag
    if not isinstance(tag, str) or tag in _SKIP:
        return
    if tag == W + "t":
        out.append(_text(child))
    elif tag in (W + "tab", W + "ptab"):
        out.append("\t")
    elif tag == W + "br":
        if child.get(W + "type") not in ("page", "column"):
            out.append("\n")
    elif tag == W + "cr":
        out.append("\n")
    elif tag == W + "noBreakHyphen":
        out.append("\u2011")
    elif tag == W + "sym":
        out.append(_symbol(child))
    elif tag == W + "txbxContent":
        boxes.append(child)
    elif tag == _MC + "AlternateContent":
        for part in _alternate(child):
            _node(part, out, boxes)
    elif tag in _INLINE or tag == W + "p":
        _walk(child, out, boxes)
    else:
        # drawings, pictures, shapes: only a text box inside them holds text
        for box in child.iter(W + "txbxContent"):
            if not _inside_fallback(box, child):
                boxes.append(box)


def _inside_fallback(node: etree._Element, top: etree._Element) -> bool:
    """True when ``node`` lies in an mc:Fallback (or a second mc:Choice) below ``top``: the same
    text box as the chosen branch, which must be read once."""
    parent = node.getparent()
    while parent is not None and parent is not top:
        if parent.tag == _MC + "Fallback":
            return True
        if parent.tag == _MC + "Choice" and parent.getparent().find(_MC + "Choice") is not parent:
            return True
        parent = parent.getparent()
    return False


def _paragraph(p: etree._Element) -> tuple[str, list[etree._Element]]:
    out: list[str] = []
    boxes: list[etree._Element] = []
    _walk(p, out, boxes)
    return "".join(out), boxes


def paragraph_text(p: etree._Element) -> str:
    """The accepted text of one w:p (a text box's text not included): tabs as "\\t", line breaks as "\\n"."""
    return _paragraph(p)[0]


def _properties(p: etree._Element) -> tuple[str | None, bool]:
    """(w:pStyle value, whether the paragraph mark's deletion is tracked: the paragraph then runs
    on into the next one)."""
    props = _first(p, _P_PR)
    if props is None:
        return None, False
    style = mark = None
    for child in props:
        if child.tag == _P_STYLE and style is None:
            style = child
        elif child.tag == _R_PR and mark is None:
            mark = child
    deleted = mark is not None and (mark.find(_DEL) is not None or mark.find(_MOVE_FROM) is not None)
    return (style.get(_VAL) if style is not None else None), deleted


# -- blocks -------------------------------------------------------------------------------------

def _block_elements(el: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables in order, looking through content controls and custom XML."""
    out = []
    for child in el:
        if child.tag in (W + "p", W + "tbl"):
            out.append(child)
        elif child.tag in _CONTAINERS or child.tag in (W + "ins", W + "moveTo"):
            out.extend(_block_elements(child))
        elif child.tag == _MC + "AlternateContent":
            for part in _alternate(child):
                if part.tag in (W + "p", W + "tbl"):
                    out.append(part)
                else:
                    out.extend(_block_elements(part))
    return out


def children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in _CONTAINERS:
            out.extend(children(child, tag))
    return out


def _sequence(el: etree._Element, top: bool) -> list[Paragraph | Table]:
    """Paragraphs and tables of a body, cell or text box in order.  A paragraph whose mark was
    deleted (tracked) is joined to the next; a text box's paragraphs follow the paragraph that
    anchors it.  ``top``: tables become :class:`Table` (numbered from 0); else their cells'
    paragraphs are taken in."""
    out: list[Paragraph | Table] = []
    pending: Paragraph | None = None
    count = 0
    for block in _block_elements(el):
        if block.tag == W + "tbl":
            if pending is not None and pending.text:
                out.append(pending)
            pending = None
            rows, trs = _rows(block)
            if top:
                out.append(Table(count, rows, block, trs))
                count += 1
            else:
                out.extend(Paragraph(t, None, None) for row in rows for c in row if not c.continued
                           for t in c.paragraphs)
            continue
        text, boxes = _paragraph(block)
        if pending is not None:
            text = pending.text + text
            pending = None
        style, deleted = _properties(block)
        para = Paragraph(text, style, block)
        if deleted:
            pending = para
        else:
            out.append(para)
        for box in boxes:
            out.extend(_sequence(box, False))
    if pending is not None and pending.text:
        out.append(pending)
    return out


def _paragraphs(el: etree._Element) -> list[Paragraph]:
    """The paragraphs of a cell or a text box, nested tables' and text boxes' included."""
    return _sequence(el, False)  # type: ignore[return-value]


def blocks(body: etree._Element) -> list[Paragraph | Table]:
    """Body-level paragraphs and tables in document order (content controls, custom XML and smart
    tags unwrapped; a text box's paragraphs after the paragraph that anchors it)."""
    return _sequence(body, True)


def tables(body: etree._Element) -> list[Table]:
    """The body's tables in document order (tables nested in cells excluded)."""
    return [b for b in blocks(body) if isinstance(b, Table)]


# -- rows and cells -----------------------------------------------------------------------------

def _int(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        value = int(el.get(_VAL) or default)
    except ValueError:
        return default
    return value if 0 <= value <= 10_000 else default


def _row_deleted(tr: etree._Element) -> bool:
    return tr.find(f"{W}trPr/{W}del") is not None


_TC, _TC_PR, _CELL_DEL, _GRID_SPAN = W + "tc", W + "tcPr", W + "cellDel", W + "gridSpan"
_H_MERGE, _V_MERGE = W + "hMerge", W + "vMerge"
_CELL_KEYS = {_CELL_DEL, _GRID_SPAN, _H_MERGE, _V_MERGE}


def _cell_properties(tc: etree._Element) -> dict:
    """The w:tcPr children the grid needs (cellDel, gridSpan, hMerge, vMerge), by tag, in one pass."""
    props = _first(tc, _TC_PR)
    if props is None:
        return {}
    found = {}
    for child in props:
        if child.tag in _CELL_KEYS and child.tag not in found:
            found[child.tag] = child
    return found


def _rows(tbl: etree._Element) -> tuple[list[list[Cell]], list[etree._Element]]:
    """The rows of cells, and the w:tr of each."""
    rows: list[list[Cell]] = []
    trs: list[etree._Element] = []
    above: dict[int, Cell] = {}  # the cell starting at each grid column in the previous row
    for tr in children(tbl, W + "tr"):
        if _row_deleted(tr):
            continue
        col = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        row: list[Cell] = []
        for tc in children(tr, _TC):
            found = _cell_properties(tc)
            if _CELL_DEL in found:
                continue
            span = max(1, _int(found.get(_GRID_SPAN), 1))
            hmerge = found.get(_H_MERGE)
            if hmerge is not None and hmerge.get(_VAL, "continue") != "restart" and row:
                row[-1].span += span  # old horizontal merge: this cell belongs to the one before
                col += span
                continue
            vmerge = found.get(_V_MERGE)
            origin = above.get(col)
            if (vmerge is not None and vmerge.get(_VAL, "continue") != "restart"
                    and origin is not None):
                cell = Cell(origin.text, list(origin.paragraphs), col, span, True, origin.element)
            else:
                texts = [p.text for p in _paragraphs(tc)]
                cell = Cell("\n".join(texts), texts, col, span, False, tc)
            row.append(cell)
            col += span
        rows.append(row)
        trs.append(tr)
        above = {c.col: c for c in row}
    return rows, trs
