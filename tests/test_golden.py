"""Golden documents: one of each kind and variant, compared at the XML-part level.

The single documents (申报表, 经费说明) of each variant; the 汇总表, the 自评汇总 and the Word 变更报告.
"""

from __future__ import annotations

import pytest
from conftest import PROJECTS
from docx_compare import assert_matches_golden

from perfdoc.load import load_paths
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.narrative import build_narrative
from perfdoc.render.template import find_template

CASES = [
    ("2022-songjiang", "党组织建设", 1),
    ("2026-hongqiao", "区域化党建", 2),
    ("2022-huacao", "两新组织党建经费", 1),
]


def _project(folder: str, key: str):
    dep = load_paths([PROJECTS / folder]).departments[0]
    project = next(p for p in dep.projects if p.key == key)
    return project, find_template(dep.model.layout.template, dep.path)


@pytest.mark.parametrize("folder, key, number", CASES)
def test_declaration_golden(folder, key, number):
    project, template = _project(folder, key)
    assert_matches_golden(f"{folder}-{key}-declaration", to_bytes(build_declaration(project, template, number=number)))


@pytest.mark.parametrize("folder, key, number", CASES)
def test_narrative_golden(folder, key, number):
    project, template = _project(folder, key)
    assert_matches_golden(f"{folder}-{key}-narrative", to_bytes(build_narrative(project, template, number=number)))


# -- the whole-department documents -------------------------------------------------------

def _department(folder):
    result = load_paths([folder])
    assert not result.fatal and len(result.departments) == 1, result.problems
    dep = result.departments[0]
    return dep, find_template(dep.model.layout.template, dep.path)


def test_summary_golden():
    """The 汇总表 of 2022 松江: title, summary sentence, index table, four projects."""
    from perfdoc.compose.summary import summary_bytes

    dep, template = _department(PROJECTS / "2022-songjiang")
    projects = dep.ordered_projects()
    assert [p.key for p in projects] == ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]
    assert_matches_golden("2022-songjiang-summary", summary_bytes(dep, projects, template))


def test_selfeval_summary_golden():
    """The 自评汇总 of 2024 莘庄: title, index table of scores, both 自评表."""
    from perfdoc.compose.selfeval_summary import build_selfeval_summary
    from perfdoc.evaluate import score_project

    dep, template = _department(PROJECTS / "2024-xinzhuang")
    projects = dep.ordered_projects()
    scores = {p.key: score_project(p.model) for p in projects}
    assert len(projects) == 2 and all(scores.values())
    assert_matches_golden("2024-xinzhuang-selfeval-summary",
                          to_bytes(build_selfeval_summary(dep, projects, template, scores)))


def _replace(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r}"
    path.write_text(text.replace(old, new), "utf-8")


def test_change_report_golden(tmp_path):
    """The Word 变更报告 of a real edit: 2022 华漕 rolled over to 2023, then amounts, a target, a goal and
    the indicators changed (the roll-over itself is no revision)."""
    import shutil

    from perfdoc.diff.changes import diff_departments
    from perfdoc.diff.docx_report import build_report
    from perfdoc.nextyear import roll_over

    old = tmp_path / "2022-huacao"
    shutil.copytree(PROJECTS / "2022-huacao", old)
    new = tmp_path / "2023-huacao"
    roll_over(old, new)
    project = new / "两新组织党建经费.toml"
    for key in ("total", "total_fiscal", "annual", "annual_appropriation"):
        _replace(project, f'\n{key} = "29.20"', f'\n{key} = "31.50"')
    _replace(project, 'target = "≥2"', 'target = "≥3"')
    _replace(project, "举办镇级“两新”组织党组织书记", "每年举办两期镇级“两新”组织党组织书记")
    _replace(project, 'name = "两新党建阵地建设务实度"\ntarget = "优化"',
             'name = "两新党员先锋作用发挥"\ntarget = "增强"')
    diff = diff_departments(_department(old)[0], _department(new)[0])
    diff.old_label, diff.new_label = "2022-huacao", "2023-huacao"  # not the temporary folders
    assert [p.status for p in diff.projects] == ["changed"]
    assert_matches_golden("2022-huacao-2023-change-report", to_bytes(build_report(diff)))


def test_golden_mismatch_reports_a_readable_diff_and_keeps_the_file(monkeypatch):
    monkeypatch.delenv("PERFDOC_UPDATE_GOLDEN", raising=False)
    project, template = _project("2022-huacao", "两新组织党建经费")
    project.model.indicators[0].name = "改过的指标名称"
    with pytest.raises(AssertionError) as info:
        assert_matches_golden("2022-huacao-两新组织党建经费-declaration", to_bytes(build_declaration(project, template)))
    message = str(info.value)
    assert "+" in message and "改过的指标名称" in message
    assert "_failures" in message


@pytest.mark.parametrize("folder, key, number", CASES)
def test_fast_path_equals_python_docx_path(folder, key, number):
    """build writes XML straight into the zip; the content equals the python-docx path."""
    from docx_compare import pretty_parts

    from perfdoc.render.declaration import declaration_xml
    from perfdoc.render.document import render_bytes
    from perfdoc.render.narrative import narrative_xml

    project, template = _project(folder, key)
    for xml, build_doc in ((declaration_xml, build_declaration), (narrative_xml, build_narrative)):
        fast = render_bytes(template.reference, xml(project, template, number=number), title="t", subject="s")
        slow = to_bytes(build_doc(project, template, number=number), title="t", subject="s")
        assert pretty_parts(fast) == pretty_parts(slow)
