"""Write templates/<variant>/reference.docx: A4 portrait, margins, and the styles perfdoc uses.

Run once after changing a style here:  python tools/make_references.py
Users edit the generated reference.docx in Word or WPS instead of this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfdoc.render.document import new_document, to_bytes  # noqa: E402
from perfdoc.fsutil import atomic_write_bytes  # noqa: E402

# name: (font, size pt, bold, align, first-line indent twips, space after pt, line spacing)
STYLES = {
    "PDTitle": ("宋体", 18, True, "center", None, 6, None),
    "PDYear": ("宋体", 12, False, "center", None, 6, None),
    "PDTable": ("宋体", 10.5, False, "center", None, 0, None),
    "PDTableLeft": ("宋体", 10.5, False, "both", None, 0, None),
    "PDTableHead": ("宋体", 10.5, True, "center", None, 0, None),
    "PDNarrativeTitle": ("宋体", 18, True, "center", None, 12, None),
    "PDHeading": ("黑体", 14, False, "left", 560, 0, 1.5),
    "PDBody": ("仿宋", 14, False, "both", 560, 0, 1.5),
    "PDSummaryTitle": ("宋体", 20, True, "center", None, 12, None),
    "PDPageNumber": ("宋体", 14, False, "center", None, 0, None),  # GB/T 9704: 4号半角宋体, — 1 —
}


def set_fonts(rpr_owner, font: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def make() -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)  # A4 portrait
    section.top_margin = section.bottom_margin = Twips(1440)  # 2.54 cm
    section.left_margin = section.right_margin = Twips(1304)  # 2.3 cm
    section.header_distance = section.footer_distance = Twips(851)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element, "宋体")
    # document defaults: East Asian font and language for anything without a style
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.attrib.pop(qn(attr.replace("w:", "w:") + "Theme"), None)
    fonts.attrib.clear()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "宋体")

    for name, (font, size, bold, align, indent, after, line) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        set_fonts(style.element, font)
        fmt = style.paragraph_format
        fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                         "both": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(after)
        if indent:
            fmt.first_line_indent = Twips(indent)
        if line:
            fmt.line_spacing = line
        else:
            fmt.line_spacing = 1.0
    _page_number_footers(section)
    _trim(document)
    return to_bytes(new_document(_bytes(document), page_numbers="center"), title="perfdoc reference")


def _page_number_footers(section) -> None:
    """``— PAGE —`` centred in the default and the even-page footer (GB/T 9704).

    perfdoc keeps them for the 汇总表 and the 自评汇总, removes them from single-project
    documents, and realigns them for ``page_numbers = "outside"`` (odd right, even left).
    """
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = "PDPageNumber"
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("— ")
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = paragraph.add_run()
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                run.text = text
        paragraph.add_run(" —")


#: Styles kept from python-docx's default template besides ours: the defaults every document needs.
_KEEP = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def _trim(document) -> None:
    """Drop what makes every build slow and nothing shows: latent styles (350 KB), the
    stylesWithEffects copy, customXml, the thumbnail and python-docx's unused styles."""
    styles = document.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for style in list(styles.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        value = name.get(qn("w:val")) if name is not None else ""
        if value not in _KEEP and not style.get(qn("w:styleId"), "").startswith("PD"):
            styles.remove(style)
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid) if hasattr(part, "drop_rel") else None
            part.rels.pop(rid, None)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid, None)


def _bytes(document) -> bytes:
    import io

    raw = io.BytesIO()
    document.save(raw)
    return raw.getvalue()


if __name__ == "__main__":
    data = make()
    for folder in sorted((ROOT / "templates").iterdir()):
        if (folder / "variant.toml").is_file():
            atomic_write_bytes(folder / "reference.docx", data)
            print(f"wrote {folder / 'reference.docx'}")
