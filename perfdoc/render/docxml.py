"""WordprocessingML built as strings and parsed once.

python-docx's ``table.cell()`` and ``cell.merge()`` are O(n) per call, so a form
built cell by cell is quadratic.  Here a whole table is one XML string, parsed
once with lxml and appended to the body.  Fonts come from the styles of the
template's reference.docx (which set ``w:eastAsia``); runs carry only what
differs (bold, size).

All widths are in twips (1/20 pt); sizes in half-points.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = [
    "W_NS", "Run", "run", "para", "cell", "row", "table", "spacer", "append", "page_break",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{W_NS}"'
_TBL = f"{{{W_NS}}}tbl"
_TR = f"{{{W_NS}}}tr"


@dataclass
class Run:
    text: str
    bold: bool = False
    size: int | None = None  # half-points
    font: str | None = None  # a font for all scripts, East Asian included
    underline: bool = False


def _text_xml(text: str) -> str:
    """Text of a run: tabs and line breaks become w:tab / w:br."""
    if "\n" not in text and "\t" not in text:  # most texts: one w:t
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def run(r: Run | str) -> str:
    if isinstance(r, str):
        r = Run(r)
    props = []
    if r.font:
        f = escape(r.font, {'"': "&quot;"})
        props.append(f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>')
    if r.bold:
        props.append("<w:b/><w:bCs/>")
    if r.underline:
        props.append('<w:u w:val="single"/>')
    if r.size:
        props.append(f'<w:sz w:val="{r.size}"/><w:szCs w:val="{r.size}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_text_xml(r.text)}</w:r>"


def para(
    content: str | Run | list[Run | str] = "",
    *,
    style: str | None = None,
    align: str | None = None,  # left, center, right, both
    keep_next: bool = False,
    page_break_before: bool = False,
    indent_first: int | None = None,  # twips; 2 characters of 16pt = 640
    space_before: int | None = None,
    space_after: int | None = None,
) -> str:
    runs = content if isinstance(content, list) else [content]
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if space_before is not None or space_after is not None:
        attrs = ""
        if space_before is not None:
            attrs += f' w:before="{space_before}"'
        if space_after is not None:
            attrs += f' w:after="{space_after}"'
        props.append(f"<w:spacing{attrs}/>")
    if indent_first is not None:
        props.append(f'<w:ind w:firstLine="{indent_first}"/>')
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    if type(content) is str:  # one plain run (most cells): what run(Run(content)) writes
        body = f"<w:r>{_text_xml(content)}</w:r>" if content else ""
    else:
        body = "".join(run(r) for r in runs if (r.text if isinstance(r, Run) else r))
    return f"<w:p>{ppr}{body}</w:p>"


def cell(
    paragraphs: str | list[str],
    width: int,
    *,
    span: int = 1,
    vmerge: str | None = None,  # "restart" or "continue"
    valign: str = "center",
    no_border: tuple[str, ...] = (),  # edges drawn by no rule: "top", "bottom"
) -> str:
    """A table cell.  ``paragraphs`` is para() XML; a cell must hold at least one paragraph.

    ``no_border`` names the edges of this cell that show no rule, whatever the table's
    borders say (a cell border wins over the table's).
    """
    if isinstance(paragraphs, list):
        paragraphs = "".join(paragraphs)
    if not paragraphs:
        paragraphs = "<w:p/>"
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    if no_border:
        edges = "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right") if edge in no_border)
        props.append(f"<w:tcBorders>{edges}</w:tcBorders>")
    props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paragraphs}</w:tc>"


def row(cells: list[str], *, header: bool = False, cant_split: bool = True, min_height: int | None = None) -> str:
    props = []
    if cant_split:
        props.append("<w:cantSplit/>")
    if min_height:
        props.append(f'<w:trHeight w:val="{min_height}" w:hRule="atLeast"/>')
    if header:
        props.append("<w:tblHeader/>")
    trpr = f"<w:trPr>{''.join(props)}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def table(
    grid: list[int], rows: list[str], *, style: str | None = None, border: int = 4, no_border: tuple[str, ...] = (),
) -> str:
    """A bordered table with fixed layout and fixed column widths (``grid`` in twips).

    ``no_border`` names the table's outer edges that show no rule ("top", "bottom").
    """
    width = sum(grid)
    edges = "".join(
        f'<w:{edge} w:val="nil"/>' if edge in no_border else
        f'<w:{edge} w:val="single" w:sz="{border}" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    style_xml = f'<w:tblStyle w:val="{style}"/>' if style else ""
    tblpr = (
        f"<w:tblPr>{style_xml}<w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        f"<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr>"
    )
    tblgrid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid) + "</w:tblGrid>"
    return f"<w:tbl>{tblpr}{tblgrid}{''.join(rows)}</w:tbl>"


def spacer(*, keep_next: bool = False) -> str:
    """A paragraph that shows nothing (0.1 pt, no spacing): keeps two tables apart (Word and
    LibreOffice join tables that touch) while their borders meet, with no gap in the rules."""
    keep = "<w:keepNext/>" if keep_next else ""
    return (
        f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="2" w:lineRule="exact"/>'
        '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
    )


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def append(document, *xml_parts: str) -> None:
    """Parse XML fragments (paragraphs and tables) and append them to the body, before w:sectPr."""
    from docx.oxml import parse_xml

    body = document.element.body
    sect = body.sectPr
    fragment = parse_xml(f"<w:body {_NSDECL}>{''.join(xml_parts)}</w:body>")
    for child in list(fragment):
        # lxml moves a large subtree between documents in quadratic time: move a table
        # without its rows, then the rows one by one (linear).
        rows = []
        if child.tag == _TBL:
            rows = [r for r in child if r.tag == _TR]
            for r in rows:
                child.remove(r)
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
        for r in rows:
            child.append(r)
