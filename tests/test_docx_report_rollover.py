"""The Word 变更报告 across a year rolled over with ``perfdoc next-year``.

The roll-over alone is no revision at all; with real edits on top, only the edits are revisions,
accepting every revision gives the edited documents and rejecting them the ones next-year made.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revisions import (
    PROJECTS, REVISION_TAGS, W, document_body, edit_file, load_department, make_folders, own_lines,
    project_numbers, report_parts, resolve,
)

from perfdoc.diff.changes import diff_departments
from perfdoc.diff.docx_report import build_report, report_template
from perfdoc.nextyear import roll_over
from perfdoc.render.document import to_bytes
from perfdoc.read.text import body_lines, document_text


def _make_rolled(base: Path) -> tuple[Path, Path, Path, Path]:
    """OLD (2022), ROLLED (perfdoc next-year), RENAMED (ROLLED with one file renamed), EDITED (ROLLED edited)."""
    old = base / "2022" / "2022-songjiang"
    shutil.copytree(PROJECTS / "2022-songjiang", old)
    rolled = base / "2023" / "2023-songjiang"
    rolled.parent.mkdir()
    roll_over(old, rolled)
    renamed = base / "renamed" / "2023-songjiang"
    shutil.copytree(rolled, renamed)
    (renamed / "宣传与推广.toml").rename(renamed / "宣传推广.toml")
    edit_file(renamed / "department.toml", '"宣传与推广"', '"宣传推广"')
    edited = base / "edited" / "2023-songjiang"
    shutil.copytree(rolled, edited)
    p = edited / "党组织建设.toml"  # the amounts of the issue: 1020000 → 1100000
    for key in ("total", "total_fiscal", "annual", "annual_appropriation"):
        edit_file(p, f"\n{key} = 1020000 ", f"\n{key} = 1100000 ")
    edit_file(edited / "业务培训.toml", "一般在8月至9月实施。", "一般在7月至9月实施。")
    edit_file(edited / "业务培训.toml", 'target = ">=50家"', 'target = ">=55家"')
    return old, rolled, renamed, edited


@pytest.fixture(scope="module")
def rolled_folders(tmp_path_factory):
    return _make_rolled(tmp_path_factory.mktemp("rolled"))


def _report_of(old: Path, new: Path):
    diff = diff_departments(load_department(old), load_department(new))
    return diff, to_bytes(build_report(diff))


def test_a_roll_over_alone_has_no_revisions(rolled_folders):
    old, _, renamed, _ = rolled_folders
    diff, report = _report_of(old, renamed)
    assert [p.status for p in diff.projects].count("renamed") == 1
    assert not [el for el in document_body(report).iter() if el.tag in REVISION_TAGS]
    text = document_text(report)
    assert "1. 宣传与推广（改名）" in text
    assert "改动：项目文件由 宣传与推广.toml 改名为 宣传推广.toml。这些改动不影响经费说明和申报表的文字。" in text
    assert "（2023年度）" in text and "计划开始日期 | 2023-01-01 | 计划完成日期 | 2023-12-31" in text
    assert "项目总目标（2023年-2023年）" in text
    assert "单纯的年度顺延" in text and "全部拒绝得到的是顺延到新年度的原文件" in text


def test_next_year_output_against_its_source_has_no_revisions(rolled_folders):
    old, rolled, _, _ = rolled_folders
    _, report = _report_of(old, rolled)
    assert not [el for el in document_body(report).iter() if el.tag in REVISION_TAGS]
    assert "未变的项目（4 个）" in document_text(report)


def test_after_a_roll_over_only_the_edits_are_revisions(rolled_folders):
    old, _, _, edited = rolled_folders
    diff, report = _report_of(old, edited)
    text = document_text(report)
    assert "年度资金申请总额（元） | 1,650,000.00 | 1,730,000.00 | +80,000.00（+4.85%）" in text
    assert "党组织建设 | 1,020,000.00 | 1,100,000.00 | 修改" in text
    assert ("项目资金总额 | [-1020000-] ¶ {+1100000+} | 年度资金申请总额 | [-1020000-] ¶ {+1100000+}"
            in text)
    assert "一般在[-8-]{+7+}月至9月实施。" in text
    assert "[->=50家-] ¶ {+>=55家+}" in text
    assert "预算资金[-102-]{+110+}万元" in text
    # the years are NEW's, as plain text
    assert "（2023年度）" in text and "计划开始日期 | 2023-01-01 | 计划完成日期 | 2023-12-31" in text
    assert "拟于2023年1月至2023年12月实施" in text
    body = document_body(report)
    deleted = "".join(t.text or "" for t in body.iter(W + "delText"))
    inserted = "".join(t.text or "" for el in body.iter(W + "ins") for t in el.iter(W + "t"))
    assert "2022" not in deleted and "2023" not in inserted
    # nothing else is a revision: 预算资金 102 万元, the four amounts of the form, 8月, the target
    assert deleted == "102" + "1020000" + "1020000" + "1020000" + "1020000" + "8" + ">=50家"
    assert inserted == "110" + "1100000" + "1100000" + "1100000" + "1100000" + "7" + ">=55家"


def test_after_a_roll_over_accepting_gives_new_and_rejecting_the_rolled_over_old(rolled_folders):
    """Accepting every revision gives EDITED's documents; rejecting them, those next-year made."""
    old, rolled, _, edited = rolled_folders
    diff, report = _report_of(old, edited)
    template = report_template(diff)
    accepted = report_parts(body_lines(resolve(document_body(report), "ins")), diff)
    rejected = report_parts(body_lines(resolve(document_body(report), "del")), diff)
    assert set(accepted) == set(rejected) == {"党组织建设", "业务培训"}
    new_dep, rolled_dep = load_department(edited), load_department(rolled)
    for dep, parts in ((new_dep, accepted), (rolled_dep, rejected)):
        numbers = project_numbers(dep)
        for project in dep.projects:
            if project.key in parts:
                assert parts[project.key] == own_lines(project, template, numbers[project.key]), project.key


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    return make_folders(tmp_path_factory.mktemp("report"))


def test_old_as_compared_keeps_exactly_the_reported_changes(rolled_folders, folders):
    """OLD as the report renders it differs from NEW in what the diff reports, and in nothing else."""
    from perfdoc.diff.changes import diff_projects
    from perfdoc.diff.match import ProjectPair
    from perfdoc.diff.rolled import as_compared

    old, _, _, edited = rolled_folders
    for a, b in ((old, edited), folders):
        for p in diff_departments(load_department(a), load_department(b)).projects:
            if p.pair.old is None or p.pair.new is None:
                continue
            again = diff_projects(ProjectPair(as_compared(p), p.pair.new, "matched"), 0)
            assert [(c.path, c.old, c.new) for c in again.fields] == [(c.path, c.old, c.new) for c in p.fields]
            assert again.indicators == p.indicators
