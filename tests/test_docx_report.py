"""The Word 变更报告 (perfdoc/diff/docx_report.py).

Two department folders are made from projects/2022-songjiang: in NEW an amount
is raised, a target changed, indicators removed and added (some at the head of
a merged group, so that a cell's vertical merge changes), a narrative sentence
edited, a goal split into two paragraphs, a project added, one removed and one
file renamed; one project stays as it was.  The report is saved, reopened with
lxml, and every revision accepted (and, separately, rejected) the way Word does
it: each changed project's part then reads exactly as NEW's (OLD's) own
经费说明 and 申报表.  Then the revision attributes, the unchanged projects,
byte-identical rebuilds, the vertical merges, the order of the elements Word
insists on, LibreOffice.  A year rolled over: test_docx_report_rollover.py;
the tracked changes themselves: test_tracked.py.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from revisions import (
    REVISION_TAGS, W, assert_merges_valid, assert_word_order, document_body, load_department, make_folders, own_lines,
    project_numbers, report_parts, resolve,
)

from libreoffice import SOFFICE, need_libreoffice, pdf_text, to_pdf
from perfdoc.diff.changes import diff_departments
from perfdoc.diff.docx_report import REPORT_TITLE, build_report, report_template
from perfdoc.diff.tracked import AUTHOR, DATE
from perfdoc.render.document import to_bytes
from perfdoc.read.text import body_lines, document_text


# -- the two folders (revisions.make_folders) --------------------------------------------

@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    return make_folders(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def diff(folders):
    return diff_departments(load_department(folders[0]), load_department(folders[1]))


@pytest.fixture(scope="module")
def report(diff) -> bytes:
    return to_bytes(build_report(diff))


# -- the report ------------------------------------------------------------------------

def test_statuses(diff):
    assert {p.name: p.status for p in diff.projects} == {
        "党组织建设": "unchanged", "宣传与推广": "renamed", "业务培训": "changed",
        "防疫物资保障": "added", "疫情防控": "removed",
    }


def test_title_and_summary_table(report):
    lines = document_text(report).splitlines()
    assert lines[0] == REPORT_TITLE
    assert lines[1].startswith("原：") and lines[2].startswith("新：")
    assert "项目个数 | 4 | 4 | 新增 1、删除 1、改名 1、修改 1、未变 1" in lines
    # amounts as the Shanghai forms write them, whatever the layout of the forms below
    assert "年度资金申请总额（元） | 1,650,000.00 | 1,710,000.00 | +60,000.00（+3.64%）" in lines
    assert "业务培训 | 290,000.00 | 350,000.00 | 修改" in lines
    assert "防疫物资保障 | — | 20,000.00 | 新增" in lines
    assert "疫情防控 | 20,000.00 | — | 删除" in lines
    assert "宣传与推广 | 320,000.00 | 320,000.00 | 改名（文件 宣传与推广.toml → 宣传推广.toml）" in lines
    assert ("改动：项目资金总额 290,000.00 → 350,000.00（+60,000.00）；项目资金总额 · 财政资金 290,000.00 → "
            "350,000.00（+60,000.00）；年度资金申请总额 290,000.00 → 350,000.00（+60,000.00）；") in "\n".join(lines)


def test_accepting_every_revision_gives_new(report, diff):
    template = report_template(diff)
    numbers = project_numbers(diff.new)
    parts = report_parts(body_lines(resolve(document_body(report), "ins")), diff)
    assert set(parts) == {"宣传推广", "业务培训", "防疫物资保障", "疫情防控"}
    for p in diff.projects:
        if p.status == "unchanged":
            continue
        new = p.pair.new
        expected = own_lines(new, template, numbers[new.key] if new else None)
        assert parts[p.pair.key] == expected, p.name


def test_rejecting_every_revision_gives_old(report, diff):
    template = report_template(diff)
    numbers = project_numbers(diff.old)
    parts = report_parts(body_lines(resolve(document_body(report), "del")), diff)
    for p in diff.projects:
        if p.status == "unchanged":
            continue
        old = p.pair.old
        expected = own_lines(old, template, numbers[old.key] if old else None)
        assert parts[p.pair.key] == expected, p.name


def test_changes_are_tracked_where_they_are(report):
    text = document_text(report)
    # a value in a cell: OLD's above NEW's, in two paragraphs (the first one's mark inserted and deleted)
    assert "[->=50家-] ¶ {+>=55家+}" in text
    assert "项目资金总额 | [-290000-] ¶ {+350000+} | 年度资金申请总额 | [-290000-] ¶ {+350000+}" in text
    assert "一般在[-8-]{+7+}月至9月实施{+，全年不少于两期+}。" in text
    assert "{+宣传覆盖面+}" in text and "[-基层党组织参与情况-]" in text and "[-培训开展及时率-]" in text
    assert "{+全年开展主题宣传不少于4次。+}" in text
    # the added project is all inserted, the removed one all deleted
    assert "{+防疫物资保障项目经费情况说明+}" in text or "{+项目经费情况说明4+}" in text
    assert "[-参与活动的党组织数量-]" in text and "{+参与活动的党组织数量+}" in text


def test_every_revision_has_author_fixed_date_and_unique_id(report):
    body = document_body(report)
    revisions = [el for el in body.iter() if el.tag in REVISION_TAGS]
    assert len(revisions) > 50
    ids = [el.get(W + "id") for el in revisions]
    assert all(i is not None and i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)
    for el in revisions:
        assert el.get(W + "author") == AUTHOR == "perfdoc"
        assert el.get(W + "date") == DATE == "2000-01-01T00:00:00Z"
    kinds = {(el.getparent().tag, el.tag) for el in revisions}
    assert (W + "trPr", W + "ins") in kinds and (W + "trPr", W + "del") in kinds  # rows
    assert (W + "rPr", W + "ins") in kinds and (W + "rPr", W + "del") in kinds  # paragraph marks
    assert (W + "p", W + "ins") in kinds and (W + "p", W + "del") in kinds  # text
    assert (W + "tcPr", W + "tcPrChange") in kinds  # a vertical merge changed


def test_unchanged_projects_by_name_only(report, diff):
    text = document_text(report)
    assert "未变的项目（1 个）：党组织建设。" in text
    unchanged = next(p.pair.new for p in diff.projects if p.status == "unchanged")
    assert unchanged.model.goals.annual[:30] not in text
    assert "党组织建设（" not in text  # no part of its own
    assert text.count("党组织建设") == 2  # the summary table and the list


def test_deterministic_bytes(folders, report):
    again = to_bytes(build_report(diff_departments(load_department(folders[0]), load_department(folders[1]))))
    assert again == report


def test_opens_with_python_docx(report):
    document = docx.Document(io.BytesIO(report))
    assert document.paragraphs[0].text == REPORT_TITLE


def test_vertical_merges_valid_in_every_view(report):
    body = document_body(report)
    assert_merges_valid(body)
    assert_merges_valid(resolve(body, "ins"))
    assert_merges_valid(resolve(body, "del"))


def test_revision_elements_where_word_wants_them(report):
    assert_word_order(document_body(report))


@pytest.mark.libreoffice
def test_libreoffice_converts_the_report(tmp_path, report):
    path = tmp_path / "变更报告.docx"
    path.write_bytes(report)
    pdf = to_pdf([path], tmp_path / "pdf")[path]
    text = pdf_text(pdf)
    assert REPORT_TITLE in text
    assert "项目个数" in text and "年度资金申请总额" in text
    assert "业务培训290,000.00350,000.00修改" in text  # the summary table: two cells
    # LibreOffice shows the revisions: in a cell the deleted value, then (below it) the inserted one
    assert "项目资金总额290000350000" in text and ">=50家>=55家" in text
    assert "防疫物资保障" in text


@pytest.mark.libreoffice
def test_libreoffice_reads_the_revisions(tmp_path, report):
    """Saved again by LibreOffice, the report still holds the revisions: LibreOffice read them as such."""
    need_libreoffice()
    path = tmp_path / "变更报告.docx"
    path.write_bytes(report)
    out = tmp_path / "resaved"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=600)
    body = document_body((out / path.name).read_bytes())
    revisions = [el for el in body.iter(W + "ins", W + "del")]
    assert {el.get(W + "author") for el in revisions} == {"perfdoc"}
    assert {el.get(W + "date") for el in revisions} == {"2000-01-01T00:00:00Z"}
    rows = {el.tag for el in revisions if el.getparent().tag == W + "trPr"}
    assert rows == {W + "ins", W + "del"}
    deleted = "".join(t.text or "" for t in body.iter(W + "delText"))
    assert "培训开展及时率" in deleted and "290000" in deleted

def test_unique_ids_across_the_report(report):
    ids = [int(el.get(W + "id")) for el in document_body(report).iter() if el.tag in REVISION_TAGS]
    assert sorted(ids) == list(range(1, len(ids) + 1))


def test_report_needs_a_usable_template(folders):
    from perfdoc.render.template import TemplateError

    old, new = load_department(folders[0]), load_department(folders[1])
    new.model.layout.template = "没有这个版式"
    with pytest.raises(TemplateError, match="找不到版式"):
        build_report(diff_departments(old, new))


def test_no_changes_at_all(folders):
    old = load_department(folders[0])
    again = load_department(folders[0])
    report = to_bytes(build_report(diff_departments(old, again)))
    text = document_text(report)
    assert "各项目的内容都没有变化。" in text
    assert not [el for el in document_body(report).iter() if el.tag in REVISION_TAGS]
    assert re.search(r"未变的项目（4 个）", text)
