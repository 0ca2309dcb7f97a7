"""The real-reader test of the 自评表: LibreOffice opens the built forms of projects/2024-xinzhuang
and the 自评汇总; pdftotext finds each project's name, its 总分 and every indicator; the page
counts are sane and the 自评汇总 is its first page plus every form."""

from __future__ import annotations

import re

import pytest
from conftest import PROJECTS
from libreoffice import need_libreoffice, pdf_pages, pdf_text, to_pdf

from perfdoc.build import output_names
from perfdoc.compose.selfeval_summary import build_selfeval_summary, selfeval_summary_file_name
from perfdoc.evaluate import score_project
from perfdoc.load import load_paths
from perfdoc.render.document import save_document
from perfdoc.render.selfeval import build_selfeval
from perfdoc.render.template import find_template

pytestmark = pytest.mark.libreoffice

TOTALS = {"社区党群服务中心工作": "97.97", "两新党建工作": "97.00"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    need_libreoffice()
    dep = load_paths([PROJECTS / "2024-xinzhuang"]).departments[0]
    template = find_template(dep.model.layout.template, dep.path)
    projects = dep.ordered_projects()
    scores = {p.key: score_project(p.model) for p in projects}
    out = tmp_path_factory.mktemp("selfeval")
    stems = output_names(projects)
    forms = {}
    for project in projects:
        path = out / f"{stems[project.key]}-自评表.docx"
        save_document(build_selfeval(project, template, scores[project.key]), path)
        forms[project.key] = path
    summary = out / selfeval_summary_file_name(dep)
    save_document(build_selfeval_summary(dep, projects, template, scores), summary)
    pdfs = to_pdf([*forms.values(), summary], tmp_path_factory.mktemp("pdf"))
    return dep, projects, {key: pdfs[path] for key, path in forms.items()}, pdfs[summary]


def test_reader_sees_names_totals_and_indicators(converted):
    _, projects, forms, _ = converted
    assert {p.model.name for p in projects} == set(TOTALS)
    for project in projects:
        m = project.model
        text = pdf_text(forms[project.key])
        assert "财政项目支出绩效自评表" in text and "（2024年度）" in text
        assert _squash(m.name) in text
        assert f"总分100.00{TOTALS[m.name]}" in text
        assert "评分等级优" in text
        assert "（万元）" in text
        for ind in m.indicators:
            assert _squash(ind.name) in text, ind.name
        pages = pdf_pages(forms[project.key])
        assert 1 <= pages <= 2 + len(m.indicators) // 8 + len(m.evaluation.outcome) // 1500, pages


def test_reader_sees_the_seed_figures(converted):
    _, projects, forms, _ = converted
    by_name = {p.model.name: p for p in projects}
    text = pdf_text(forms[by_name["社区党群服务中心工作"].key])
    for figure in ("417.32", "470.26", "468.77", "10.00", "99.68", "9.97"):
        assert figure in text
    text = pdf_text(forms[by_name["两新党建工作"].key])
    for figure in ("94.60", "61.05", "100.00"):
        assert figure in text


def test_summary_pages_equal_the_parts(converted):
    dep, projects, forms, summary = converted
    assert pdf_pages(summary) == 1 + sum(pdf_pages(pdf) for pdf in forms.values())
    text = pdf_text(summary)
    assert _squash(f"{dep.name}2024年度项目绩效自评汇总表") in text
    for project in projects:
        assert _squash(project.model.name) in text
        assert TOTALS[project.model.name] in text
