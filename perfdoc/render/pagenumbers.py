"""Page numbers in the style of GB/T 9704 (公文格式): ``— 1 —`` in the footer.

The footers live in the template's reference.docx (a ``PAGE`` field, style PDPageNumber),
so a user restyles them in Word or WPS.  Each document kind asks for one of three modes:

* ``none``: no page numbers (the footer references are removed from the section);
* ``center``: the default footer on every page, centred as in the reference;
* ``outside``: odd pages right, even pages left (公文's 单页码居右、双页码居左), through
  Word's 奇偶页不同 setting and the reference's even-page footer.

The 汇总表 and the 自评汇总 take the variant's ``page_numbers`` (default ``center``), a
single project's documents its ``project_page_numbers`` (default ``none``).
"""

from __future__ import annotations

import re

__all__ = ["MODES", "section_tail", "settings_xml", "footer_xml", "footer_parts"]

MODES = ("none", "center", "outside")

_FOOTER_REF = re.compile(r"<w:footerReference\b[^>]*/>")
_EVEN_ODD = re.compile(r"<w:evenAndOddHeaders\b[^>]*/>")
_JC = re.compile(r'<w:jc w:val="[^"]*"/>')


def section_tail(tail: str, mode: str) -> str:
    """The body's closing ``w:sectPr…</w:body></w:document>`` for ``mode``."""
    return _FOOTER_REF.sub("", tail) if mode == "none" else tail


def settings_xml(settings: str, mode: str) -> str:
    """word/settings.xml with 奇偶页不同 on for ``outside`` (other modes keep the reference's setting)."""
    if mode != "outside" or _EVEN_ODD.search(settings):
        return settings
    from docx.oxml.parser import parse_xml
    from lxml import etree

    root = parse_xml(settings.encode("utf-8"))
    root.evenAndOddHeaders_val = True  # python-docx places it where CT_Settings' sequence wants it
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


def footer_xml(footer: str, mode: str, *, even: bool) -> str:
    """A footer part aligned for ``mode``: ``outside`` puts odd pages right and even pages left."""
    if mode != "outside":
        return footer
    jc = f'<w:jc w:val="{"left" if even else "right"}"/>'
    if _JC.search(footer):
        return _JC.sub(jc, footer)
    # w:jc stands before w:rPr in a paragraph's properties (CT_PPr's sequence)
    footer = re.sub(r"(<w:pPr>(?:(?!</w:pPr>).)*?)(<w:rPr\b|</w:pPr>)", lambda m: m.group(1) + jc + m.group(2),
                    footer, flags=re.S)
    return re.sub(r"(<w:p(?:\s[^>]*)?>)(?!<w:pPr>)", lambda m: f"{m.group(1)}<w:pPr>{jc}</w:pPr>", footer)


def footer_parts(tail: str, rels: str) -> dict[str, bool]:
    """The footer parts the section uses: part name (``word/footer1.xml``) -> is the even-page one."""
    targets = {m["id"]: m["target"] for m in re.finditer(
        r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]+)")(?=[^>]*\bTarget="(?P<target>[^"]+)")[^>]*/>', rels)}
    parts = {}
    for m in re.finditer(r'<w:footerReference\b(?=[^>]*\bw:type="(?P<type>[^"]+)")(?=[^>]*\br:id="(?P<id>[^"]+)")',
                         tail):
        target = targets.get(m["id"], "")
        if target:
            parts["word/" + target.lstrip("/").removeprefix("word/")] = m["type"] == "even"
    return parts
