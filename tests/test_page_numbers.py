"""Page numbers (GB/T 9704 style ``— 1 —``) on the 汇总表 and 自评汇总, none on single documents."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS
from libreoffice import need_libreoffice, to_pdf

from perfdoc.build import build
from perfdoc.render.template import TemplateError, find_template


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _sect(document_xml: str) -> str:
    return document_xml[document_xml.rindex("<w:sectPr"):]


def _footer_text(xml: str) -> str:
    """A footer's visible text with the PAGE field shown as {PAGE} (its cached result dropped)."""
    xml = re.sub(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", "<w:t>{PAGE}</w:t>", xml)
    xml = re.sub(r'<w:fldChar w:fldCharType="separate"/>.*?<w:fldChar w:fldCharType="end"/>', "", xml, flags=re.S)
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))


@pytest.fixture(scope="module")
def songjiang(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = build([PROJECTS / "2022-songjiang"], out, force=True)
    assert not result.errors
    return out / "2022-songjiang"


def test_summary_has_centred_page_number_field(songjiang):
    parts = _parts(songjiang / "2022年度项目绩效目标汇总表.docx")
    sect = _sect(parts["word/document.xml"])
    refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"/>', sect))
    assert set(refs) == {"default", "even"}
    rels = parts["word/_rels/document.xml.rels"]
    target = re.search(rf'Id="{refs["default"]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{refs["default"]}"', rels)
    footer = parts["word/" + (target.group(1) or target.group(2))]
    assert _footer_text(footer) == "— {PAGE} —"
    assert '<w:jc w:val="center"/>' in footer
    assert "<w:evenAndOddHeaders" not in parts["word/settings.xml"]


def test_single_project_documents_have_no_page_numbers(songjiang):
    for name in ("党组织建设-申报表.docx", "党组织建设-经费说明.docx"):
        assert "<w:footerReference" not in _sect(_parts(songjiang / name)["word/document.xml"]), name


def _department_with_variant(tmp_path: Path, example: str, layout: str, key: str, value: str) -> Path:
    """A copy of an example department whose layout (copied beside it) sets ``key = value``."""
    dep = tmp_path / "dep"
    shutil.copytree(PROJECTS / example, dep)
    folder = shutil.copytree(find_template(layout).folder, dep / "版式")
    settings = folder / "variant.toml"
    text = re.sub(rf'(?m)^{key} = "[^"]*"', f'{key} = "{value}"', settings.read_text("utf-8"))
    assert f'{key} = "{value}"' in text
    settings.write_text(text, "utf-8")
    toml = dep / "department.toml"
    toml.write_text(re.sub(r'template\s*=\s*"[^"]*"', 'template = "版式"', toml.read_text("utf-8")), "utf-8")
    assert 'template = "版式"' in toml.read_text("utf-8")
    return dep


def test_outside_mode_puts_odd_pages_right_and_even_pages_left(tmp_path):
    dep = _department_with_variant(tmp_path, "2022-songjiang", "songjiang-2022", "page_numbers", "outside")
    result = build([dep], tmp_path / "out", force=True)
    assert not result.errors
    parts = _parts(tmp_path / "out" / "dep" / "2022年度项目绩效目标汇总表.docx")
    assert "<w:evenAndOddHeaders/>" in parts["word/settings.xml"]
    sect = _sect(parts["word/document.xml"])
    refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"/>', sect))
    rels = parts["word/_rels/document.xml.rels"]

    def footer(kind: str) -> str:
        m = re.search(rf'<Relationship [^>]*Id="{refs[kind]}"[^>]*/>', rels)
        return parts["word/" + re.search(r'Target="([^"]+)"', m.group(0)).group(1)]

    assert '<w:jc w:val="right"/>' in footer("default") and '<w:jc w:val="center"/>' not in footer("default")
    assert '<w:jc w:val="left"/>' in footer("even")


def test_fast_path_and_python_docx_path_agree_on_page_numbers():
    from lxml import etree

    from perfdoc.render.document import new_document, render_bytes, to_bytes
    from perfdoc.render.docxml import append, para

    reference = find_template("shanghai").reference
    for mode in ("none", "center", "outside"):
        fast = render_bytes(reference, [para("正文")], title="t", subject="s", page_numbers=mode)
        document = new_document(reference, page_numbers=mode)
        append(document, para("正文"))
        slow = to_bytes(document, title="t", subject="s")
        for name in ("word/document.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"):
            with zipfile.ZipFile(io.BytesIO(fast)) as f, zipfile.ZipFile(io.BytesIO(slow)) as s:
                a, b = (etree.tostring(etree.fromstring(z.read(name)), method="c14n") for z in (f, s))
            assert a == b, (mode, name)


def test_variant_page_numbers_must_be_a_known_mode(tmp_path):
    layout = shutil.copytree(find_template("shanghai").folder, tmp_path / "版式")
    (layout / "variant.toml").write_text('[variant]\npage_numbers = "bottom"\n', "utf-8")
    with pytest.raises(TemplateError) as info:
        find_template(str(layout))
    assert "page_numbers" in str(info.value) and "center" in str(info.value)


@pytest.mark.libreoffice
def test_libreoffice_prints_page_numbers_one_to_n(songjiang, tmp_path):
    need_libreoffice()
    summary = songjiang / "2022年度项目绩效目标汇总表.docx"
    single = songjiang / "党组织建设-申报表.docx"
    pdfs = to_pdf([summary, single], tmp_path / "pdf")
    import subprocess

    def numbers(pdf: Path) -> list[int]:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        return [int(n) for n in re.findall(r"^\s*—\s*(\d+)\s*—\s*$", text, re.M)]

    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdfs[summary])], capture_output=True,
                                                            text=True).stdout).group(1))
    assert pages > 1
    assert numbers(pdfs[summary]) == list(range(1, pages + 1))
    assert numbers(pdfs[single]) == []


def test_a_variant_may_number_single_project_documents_too(tmp_path):
    dep = _department_with_variant(tmp_path, "2022-huacao", "huacao-2022", "project_page_numbers", "center")
    assert not build([dep], tmp_path / "out", force=True).errors
    for docx in (tmp_path / "out" / "dep").glob("*.docx"):
        sect = _sect(_parts(docx)["word/document.xml"])
        assert '<w:footerReference w:type="default"' in sect, docx.name
