"""Tracked changes (perfdoc/diff/tracked.py, tracked_text.py) between any two renderings.

Every pair of example projects, paragraphs added and removed in a cell, indicator rows added,
removed, reordered and repeated, changed vertical merges, escaping, and a changed value in a
cell: tracking NEW against OLD, accepting every revision gives NEW's text and rejecting every
revision OLD's, with valid merges and the elements where Word wants them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from revisions import PROJECTS, W, assert_round_trip, load_department, wrap

from perfdoc.diff.tracked import Revisions, by_indicator, by_position, track_changes
from perfdoc.load import load_project_text
from perfdoc.render.declaration import declaration_xml
from perfdoc.render.narrative import narrative_xml
from perfdoc.render.template import find_template
from perfdoc.read.text import body_lines

BASE = (Path(__file__).parent / "rules" / "_base.toml").read_text(encoding="utf-8")


def _examples():
    out = []
    for folder in ("2026-hongqiao", "2022-huacao", "2022-songjiang"):
        out += load_department(PROJECTS / folder).ordered_projects()
    return out


EXAMPLES = _examples()
DECLARATION_KEYS = (by_position, by_indicator)


@pytest.mark.parametrize("template_name", ["shanghai", "songjiang-2022", "huacao-2022"])
def test_every_pair_of_example_projects(template_name):
    template = find_template(template_name)
    narratives = [narrative_xml(p, template, number=i) for i, p in enumerate(EXAMPLES, 1)]
    declarations = [declaration_xml(p, template, number=i, page_break_before=True)
                    for i, p in enumerate(EXAMPLES, 1)]
    n = len(EXAMPLES)
    for i in range(n):
        for j in (i + 1, i + 3, i + 7):
            a, b = i, j % n
            if a == b:
                continue
            assert_round_trip(narratives[a], narratives[b])
            assert_round_trip(declarations[a], declarations[b], DECLARATION_KEYS)
    # added and removed
    assert_round_trip(None, narratives[0])
    assert_round_trip(declarations[0], None, DECLARATION_KEYS)


def _with_goal(text: str):
    goal = 'overall = "以创建模范机关为目标，进一步做实做强“1号先锋”机关党建品牌。"'
    assert goal in BASE
    project, problems = load_project_text(BASE.replace(goal, f"overall = '''{text}'''"), Path("项目.toml"))
    assert project is not None, problems
    return project


GOALS = [
    "第一段。",
    "第一段。\n\n第二段。",
    "第一段改了。\n\n第二段。\n\n第三段。",
    "完全不同的一段话，没有一个字相同吗？",
    "",
    "甲\n\n乙\n\n丙\n\n丁",
]


@pytest.mark.parametrize("old", range(len(GOALS)))
@pytest.mark.parametrize("new", range(len(GOALS)))
def test_paragraphs_added_and_removed_in_a_cell(old, new):
    template = find_template("shanghai")
    parts = [declaration_xml(_with_goal(GOALS[k]), template) for k in (old, new)]
    body = assert_round_trip(parts[0], parts[1], DECLARATION_KEYS)
    # every cell still ends with a paragraph mark that is in both versions
    for tc in body.iter(W + "tc"):
        last = [c for c in tc if c.tag == W + "p"][-1]
        assert last.find(f"{W}pPr/{W}rPr/{W}ins") is None and last.find(f"{W}pPr/{W}rPr/{W}del") is None


def _with_indicators(indicators: list[tuple[str, str, str, str]]):
    head = BASE.split("[[indicators]]")[0]
    tail = BASE.split("[[indicators]]")[-1]
    tail = tail[tail.find("\n["):] if "\n[" in tail else ""
    body = "".join(f'[[indicators]]\nlevel1 = "{a}"\nlevel2 = "{b}"\nname = "{c}"\ntarget = "{d}"\n\n'
                   for a, b, c, d in indicators)
    project, problems = load_project_text(head + body + tail, Path("项目.toml"))
    assert project is not None, problems
    return project


A = ("产出指标", "数量指标", "活动次数", "≥10次")
B = ("产出指标", "数量指标", "参与人数", "≥100人")
C = ("产出指标", "质量指标", "合格率", "=100%")
D = ("效益指标", "社会效益指标", "覆盖率", "≥90%")
E = ("满意度指标", "服务对象满意度指标", "满意度", "≥95%")
INDICATOR_CASES = [
    ([A, B, C, D, E], [B, C, D, E]),  # the head of a group removed: B starts the group
    ([B, C, D, E], [A, B, C, D, E]),  # a new head: B continues the group
    ([A, B, C, D, E], [A, C, D, E]),
    ([A, B, C], [D, E]),
    ([A, B, C, D, E], []),  # no indicators: one empty row
    ([], [A, B]),
    ([A, B, C, D, E], [E, D, C, B, A]),  # reversed
    ([A, A, B], [A, B, B]),  # repeated keys
    ([A, B, C, D, E], [A, B, C, D, (E[0], E[1], E[2], "≥98%")]),
]


@pytest.mark.parametrize("old,new", INDICATOR_CASES)
def test_indicator_rows(old, new):
    template = find_template("shanghai")
    parts = [declaration_xml(_with_indicators(x), template) for x in (old, new)]
    assert_round_trip(parts[0], parts[1], DECLARATION_KEYS)


def test_a_changed_head_of_group_keeps_old_merge_in_tcprchange():
    template = find_template("shanghai")
    old, new = (declaration_xml(_with_indicators(x), template) for x in ([A, B, C, D, E], [B, C, D, E]))
    body = wrap(track_changes(old, new, Revisions(), row_keys=DECLARATION_KEYS))
    changes = list(body.iter(W + "tcPrChange"))
    assert changes
    # B: NEW starts the 一级 group (restart), OLD continued it
    new_vm = changes[0].getparent().find(W + "vMerge")
    old_vm = changes[0].find(f"{W}tcPr/{W}vMerge")
    assert new_vm.get(W + "val") == "restart" and old_vm is not None and old_vm.get(W + "val") is None


def test_unchanged_parts_have_no_revisions():
    template = find_template("shanghai")
    project = EXAMPLES[0]
    rev = Revisions()
    xml = track_changes(declaration_xml(project, template), declaration_xml(project, template), rev,
                        row_keys=DECLARATION_KEYS)
    assert rev.count == 0 and "<w:ins " not in xml and "<w:del " not in xml
    assert body_lines(wrap(xml)) == body_lines(wrap("".join(declaration_xml(project, template))))


def test_characters_that_need_escaping():
    template = find_template("shanghai")
    old = narrative_xml(_with_goal("a < b & c"), template)
    new = narrative_xml(_with_goal("a <= b && c > d"), template)
    assert_round_trip(old, new)
    old = declaration_xml(_with_goal("甲 <乙> & “丙”"), template)
    new = declaration_xml(_with_goal("甲 <丁> & “丙” ]]>"), template)
    assert_round_trip(old, new, DECLARATION_KEYS)


def _one_cell(*paragraphs: str) -> list[str]:
    from perfdoc.render.docxml import cell, para, row, table

    return [table([1800], [row([cell([para(t, style="PDTable") for t in paragraphs], 1800)])])]


@pytest.mark.parametrize("old, new, expected", [
    ("1020000", "1100000", "[-1020000-] ¶ {+1100000+}"),  # not 10200001100000
    ("≥50家", "≥55家", "[-≥50家-] ¶ {+≥55家+}"),
    ("2023-12-31", "2023-06-30", "[-2023-12-31-] ¶ {+2023-06-30+}"),
    # running text keeps a character-level diff
    ("全年开展活动，不少于4次。", "全年开展活动，不少于6次。", "全年开展活动，不少于[-4-]{+6+}次。"),
    ("", "1100000", "{+1100000+}"),
])
def test_a_changed_value_in_a_cell_shows_old_above_new(old, new, expected):
    body = assert_round_trip(_one_cell(old), _one_cell(new))
    assert body_lines(body) == [expected]


@pytest.mark.parametrize("old, new", [
    (("100", "200"), ("150",)),
    (("150",), ("100", "200")),
    (("100", "200", "300"), ("甲", "150")),
    (("全年不少于2次。", "100"), ("全年不少于3次。", "150", "200")),
])
def test_changed_values_among_paragraphs_added_and_removed_in_a_cell(old, new):
    assert_round_trip(_one_cell(*old), _one_cell(*new))


def test_old_value_above_new_in_two_paragraphs_of_which_the_first_goes_either_way():
    body = wrap(track_changes(_one_cell("1020000"), _one_cell("1100000"), Revisions()))
    first, second = body.iter(W + "p")
    assert [m.tag for m in first.find(f"{W}pPr/{W}rPr")] == [W + "ins", W + "del"]
    assert "".join(t.text for t in first.iter(W + "delText")) == "1020000"
    assert second.find(f"{W}pPr/{W}rPr") is None
    assert "".join(t.text for t in second.iter(W + "t")) == "1100000"
    assert [t.getparent().getparent().tag for t in second.iter(W + "t")] == [W + "ins"]
