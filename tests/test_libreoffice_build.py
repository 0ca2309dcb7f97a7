"""The real-reader test: LibreOffice opens every built example document; pdftotext finds
each project's name, its amounts as printed and every indicator; page counts are sane."""

from __future__ import annotations

import re

import pytest
from conftest import PROJECTS, run_cli
from libreoffice import need_libreoffice, pdf_pages, pdf_text, to_pdf
from printed_examples import ANNUAL, NAMES, ORDER, TARGETS

from perfdoc.load import load_paths

pytestmark = pytest.mark.libreoffice


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    need_libreoffice()
    out = tmp_path_factory.mktemp("out")
    r = run_cli("build", "projects", "--force", "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    docs = sorted(out.rglob("*.docx"))
    assert docs
    return out, to_pdf(docs, tmp_path_factory.mktemp("pdf"))


@pytest.mark.parametrize("folder", ["2022-songjiang", "2026-hongqiao", "2022-huacao"])
def test_reader_sees_names_amounts_and_indicators(converted, folder):
    out, pdfs = converted
    dep = load_paths([PROJECTS / folder]).departments[0]
    projects = {p.key: p for p in dep.projects}
    for key in ORDER[folder]:
        m = projects[key].model
        name, stem = NAMES[(folder, key)]
        declaration = pdfs[out / folder / f"{stem}-申报表.docx"]
        text = pdf_text(declaration)
        assert _squash(name) in text
        # 项目资金总额, 年度资金申请总额 and 当年财政拨款 are one amount in every example
        assert ANNUAL[(folder, key)] in text
        for ind in m.indicators:
            assert _squash(ind.name) in text, ind.name
        for target in TARGETS[(folder, key)]:
            assert _squash(target) in text, target
        pages = pdf_pages(declaration)
        assert 1 <= pages <= 2 + len(m.indicators) // 12, pages
        narrative = pdfs[out / folder / f"{stem}-经费说明.docx"]
        ntext = pdf_text(narrative)
        assert "一、项目概述" in ntext and "七、绩效目标" in ntext
        assert 1 <= pdf_pages(narrative) <= 6


@pytest.mark.parametrize("folder", ["2022-songjiang", "2026-hongqiao", "2022-huacao"])
def test_summary_pages_equal_the_parts(converted, folder):
    """The 汇总表 is the intro page plus every project's 经费说明 and 申报表, each from a new page."""
    out, pdfs = converted
    summary = next(pdf for doc, pdf in pdfs.items() if doc.parent.name == folder and doc.name.endswith("汇总表.docx"))
    parts = [pdf for doc, pdf in pdfs.items() if doc.parent.name == folder and not doc.name.endswith("汇总表.docx")]
    assert len(parts) == 2 * len(ORDER[folder])  # a 经费说明 and a 申报表 per project
    assert pdf_pages(summary) == 1 + sum(pdf_pages(p) for p in parts)
    text = pdf_text(summary)
    for key in ORDER[folder]:
        assert _squash(NAMES[(folder, key)][0]) in text
