"""Golden documents: one of each kind and variant, compared at the XML-part level."""

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
