"""财政项目支出绩效自评表 (perfdoc/render/selfeval.py) and the 自评汇总
(perfdoc/compose/selfeval_summary.py), read back from the saved files.

The two projects of the 2024 莘庄 seed (projects/2024-xinzhuang) are scored with perfdoc.evaluate,
built, saved, reopened and checked cell by cell against what the seed prints; then
the structure (grid, vertical merges against the indicator groups, the repeated
heading, w:cantSplit, fonts from styles), the edges (no indicators, 100 indicators,
a long 实际完成情况), byte-identical rebuilds and linear time.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from docx_compare import assert_matches_golden
from printed_examples import ACTUALS, TARGETS
from test_declaration import (
    BASE, TABLE_STYLES, TEXT_WIDTH, W, Built, cells, east_asian_font, flat, grid,
    para_text, row_has, row_texts, rows, span, text, vmerge,
)

from perfdoc.compose.selfeval_summary import build_selfeval_summary, selfeval_summary_file_name
from perfdoc.evaluate import score_project
from perfdoc.load import load_paths, load_project_text
from perfdoc.model import ProjectFile
from perfdoc.render.document import to_bytes
from perfdoc.render.selfeval import build_selfeval, selfeval_xml
from perfdoc.render.template import find_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "projects" / "2024-xinzhuang"

#: What the seed prints for each project (by project name): the 年度资金总额 row
#: (年初预算数 全年预算数 全年执行数 分值 执行率 得分), every indicator's 分值 and 得分,
#: 总分 and 评分等级.
EXPECTED = {
    "社区党群服务中心工作": {
        "total_row": ["417.32", "470.26", "468.77", "10.00", "99.68", "9.97"],
        "appropriation_row": ["417.32", "470.26", "468.77", "-", "99.68", "-"],
        "weights": ["5.00", "5.00", "5.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00",
                    "6.00", "6.00", "7.00"],
        "scores": ["5.00", "5.00", "5.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00",
                   "5.00", "5.00", "7.00"],
        "total": "97.97",
        "grade": "优",
        "goal": ["2024年通过开展不少于5次党群阵地主题活动，走访慰问不少于100名春节、七一困难党员、老党员，"
                 "推动社区党群服务中心党建工作。"],
        # 实际完成情况: the beginning and the end of each paragraph (the texts are long)
        "outcome": [("……菜单和同上一堂党课等特色", "师讲座20余期。"), ("5、整合园区线上线下教育资源", "1130多人次。")],
        "deviations": [""] * 13,
    },
    "两新党建工作": {
        "total_row": ["94.60", "61.05", "61.05", "10.00", "100.00", "10.00"],
        "appropriation_row": ["94.60", "61.05", "61.05", "-", "100.00", "-"],
        "weights": ["5.00", "5.00", "5.00", "8.00", "8.00", "8.00", "8.00", "8.00", "5.00", "5.00",
                    "5.00", "5.00", "5.00", "5.00", "5.00"],
        "scores": ["5.00", "4.00", "5.00", "8.00", "8.00", "8.00", "8.00", "8.00", "5.00", "5.00",
                   "5.00", "4.00", "4.00", "5.00", "5.00"],
        "total": "97.00",
        "grade": "优",
        "goal": ["2024年计划开展2次“两新”党组织书记学习培训，2次及以上“两新”党员主题教育活动，"
                 "切实推动“两新”党建工作取得实效的同时加强人文关怀，提升党员“内动力”情况。"],
        "outcome": [("1、围绕街面、企业、产业三种", "新”、党员群众。"), ("2、选优配强党组织班子，遴选", "党组织帮扶指导。"),
                    ("3、完成2次“两企三新”书记", "常工作规范有序。")],
        "deviations": ["", "有部分新成立按照区委组织不能评定为三星及以上支部，发放津贴低于300元。"] + [""] * 13,
    },
}

FUNDING_HEADS = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"]
INDICATOR_HEADS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                   "偏差原因分析及改进措施"]


# -- the 2024 莘庄 department ----------------------------------------------------------------

@pytest.fixture(scope="module")
def xinzhuang():
    result = load_paths([EXAMPLE])
    assert not result.fatal and len(result.departments) == 1, result.problems
    dep = result.departments[0]
    template = find_template(dep.model.layout.template, dep.path)
    projects = dep.ordered_projects()
    scores = {p.key: score_project(p.model) for p in projects}
    return dep, template, projects, scores


@pytest.fixture(scope="module")
def built(xinzhuang) -> dict[str, tuple[ProjectFile, Built]]:
    dep, template, projects, scores = xinzhuang
    return {p.model.name: (p, Built(to_bytes(build_selfeval(p, template, scores[p.key])))) for p in projects}


def _runs(body: list, column: int) -> list[int]:
    """Lengths of the vertical merges in ``column`` of the indicator rows (each must take part)."""
    runs: list[int] = []
    for tr in body:
        state = vmerge(cells(tr)[column])
        assert state in ("restart", "continue"), f"an indicator cell without vMerge in column {column}"
        if state == "restart":
            runs.append(1)
        else:
            assert runs, "a merge continues without a restart"
            runs[-1] += 1
    return runs


def _form(b: Built):
    return b.tables[0]


def _indicators(b: Built):
    return b.tables[1]


def test_both_seed_projects_are_there(built):
    assert set(built) == set(EXPECTED)


NAMES = sorted(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
class TestSeedProject:
    def test_title_year_and_body_order(self, built, name):
        _, b = built[name]
        assert [c.tag.split("}")[1] for c in b.children] == ["p", "p", "tbl", "p", "tbl"]
        title, year, _, spacer, _ = b.children
        assert text(title) == "财政项目支出绩效自评表"
        assert text(year) == "（2024年度）"
        assert title.find(f"{W}pPr/{W}pStyle").get(W + "val") == "PDTitle"
        assert year.find(f"{W}pPr/{W}pStyle").get(W + "val") == "PDYear"
        assert text(spacer) == "" and spacer.find(f"{W}pPr/{W}spacing").get(W + "line") == "2"

    def test_head_rows(self, built, name):
        project, b = built[name]
        form = rows(_form(b))
        assert len(form) == 9
        assert row_texts(form[0]) == ["项目名称", name]
        assert row_texts(form[1]) == ["主管部门", project.authority, "实施单位", project.model.project.implementer]
        assert project.authority.startswith("上海市莘庄工业区管理委员会")

    def test_funding_block_as_the_seed_prints_it(self, built, name):
        _, b = built[name]
        form = rows(_form(b))
        expected = EXPECTED[name]
        assert row_texts(form[2]) == ["项目资金（万元）", "", *FUNDING_HEADS]
        assert row_texts(form[3]) == ["", "年度资金总额：", *expected["total_row"]]
        assert row_texts(form[4]) == ["", "其中：当年财政拨款", *expected["appropriation_row"]]
        assert row_texts(form[5]) == ["", "上年结转资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]
        assert row_texts(form[6]) == ["", "其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]
        # the label is merged down the 5 rows of the block, the goals label down its 2
        assert [vmerge(cells(tr)[0]) for tr in form] == [
            None, None, "restart", "continue", "continue", "continue", "continue", "restart", "continue"]
        # the unit label breaks at its bracket
        assert text(cells(form[2])[0]) == "项目资金\n（万元）"

    def test_goals_block(self, built, name):
        project, b = built[name]
        form = rows(_form(b))
        assert row_texts(form[7]) == ["年度总体目标", "预期目标", "实际完成情况"]
        goal, outcome = cells(form[8])[1:]
        assert [para_text(p) for p in goal.findall(W + "p")] == EXPECTED[name]["goal"]
        paragraphs = [para_text(p) for p in outcome.findall(W + "p")]
        assert [(p[:14], p[-8:]) for p in paragraphs] == EXPECTED[name]["outcome"]
        assert "".join(paragraphs) == project.model.evaluation.outcome.replace("\n", "")

    def test_indicators_as_the_seed_prints_them(self, built, name):
        project, b = built[name]
        inds = project.model.indicators
        expected = EXPECTED[name]
        table_rows = rows(_indicators(b))
        assert row_texts(table_rows[0]) == INDICATOR_HEADS
        body, (total, grade) = table_rows[1:-2], table_rows[-2:]
        assert len(body) == len(inds)
        assert [row_texts(tr)[5] for tr in body] == expected["weights"]
        assert [row_texts(tr)[6] for tr in body] == expected["scores"]
        for tr, ind in zip(body, inds):
            assert row_texts(tr)[2] == ind.name.strip()
        assert [row_texts(tr)[3] for tr in body] == TARGETS[("2024-xinzhuang", project.key)]
        assert [row_texts(tr)[4] for tr in body] == ACTUALS[project.key]
        assert [row_texts(tr)[7] for tr in body] == expected["deviations"]
        assert row_texts(total) == ["总分", "100.00", expected["total"], ""]
        assert row_texts(grade) == ["评分等级", expected["grade"]]
        assert [span(tc) for tc in cells(total)] == [5, 1, 1, 1]
        assert [span(tc) for tc in cells(grade)] == [5, 3]

    def test_merges_follow_the_groups(self, built, name):
        project, b = built[name]
        inds = project.model.indicators
        level1 = [len(list(g)) for _, g in itertools.groupby(inds, key=lambda i: i.level1.strip())]
        level2 = [len(list(g)) for _, g in itertools.groupby(inds, key=lambda i: (i.level1.strip(), i.level2.strip()))]
        tbl = _indicators(b)
        body = rows(tbl)[1:-2]
        assert _runs(body, 0) == level1 and _runs(body, 1) == level2
        assert vmerge(cells(body[0])[0]) == "restart"
        assert len(level1) == 4  # 成本 产出 效益 满意度
        for tr, ind in zip(body, inds):
            c = cells(tr)
            assert flat(c[0]) == (ind.level1 if vmerge(c[0]) == "restart" else "")
            assert flat(c[1]) == (ind.level2 if vmerge(c[1]) == "restart" else "")
        # no merge in the other columns, nor in the heading or the total rows
        for tr in rows(tbl):
            assert all(vmerge(tc) is None for tc in cells(tr)[2:])
        assert all(vmerge(tc) is None for tr in (rows(tbl)[0], *rows(tbl)[-2:]) for tc in cells(tr))

    def test_header_cant_split_and_grid(self, built, name):
        _, b = built[name]
        ind_rows = rows(_indicators(b))
        assert [row_has(tr, "tblHeader") for tr in ind_rows] == [True] + [False] * (len(ind_rows) - 1)
        assert not any(row_has(tr, "tblHeader") for tr in rows(_form(b)))
        assert all(row_has(tr, "cantSplit") for tr in ind_rows)
        assert all(row_has(tr, "cantSplit") for tr in rows(_form(b))[:8])
        for tbl in b.tables:
            g = grid(tbl)
            assert sum(g) == TEXT_WIDTH
            assert tbl.find(f"{W}tblPr/{W}tblW").get(W + "w") == str(TEXT_WIDTH)
            assert tbl.find(f"{W}tblPr/{W}tblLayout").get(W + "type") == "fixed"
            for tr in rows(tbl):
                col = 0
                for tc in cells(tr):
                    width = int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w"))
                    assert width == sum(g[col:col + span(tc)])
                    col += span(tc)
                assert col == len(g)
        assert len(grid(_indicators(b))) == 8

    def test_fonts_come_from_styles(self, built, name):
        _, b = built[name]
        used = set()
        for tbl in b.tables:
            for p in tbl.iter(W + "p"):
                style = p.find(f"{W}pPr/{W}pStyle")
                assert style is not None
                used.add(style.get(W + "val"))
            assert tbl.find(f".//{W}r/{W}rPr/{W}rFonts") is None
        assert used <= TABLE_STYLES
        for style_id in used | {"PDTitle", "PDYear"}:
            assert east_asian_font(b.styles, style_id) == "宋体"

    def test_byte_identical(self, xinzhuang, built, name):
        _, template, _, scores = xinzhuang
        project, b = built[name]
        assert to_bytes(build_selfeval(project, template, scores[project.key])) == b.data


# -- goldens ---------------------------------------------------------------------------------

def test_goldens(xinzhuang):
    _, template, projects, scores = xinzhuang
    assert len(projects) == 2
    for project in projects:
        data = to_bytes(build_selfeval(project, template, scores[project.key]))
        assert_matches_golden(f"2024-xinzhuang-{project.key}-selfeval", data)


# -- the 自评汇总 ------------------------------------------------------------------------------

def test_summary(xinzhuang):
    dep, template, projects, scores = xinzhuang
    assert selfeval_summary_file_name(dep) == "2024年度项目绩效自评汇总.docx"
    data = to_bytes(build_selfeval_summary(dep, projects, template, scores))
    b = Built(data)
    assert text(b.children[0]) == f"{dep.name}2024年度项目绩效自评汇总表"
    assert b.children[0].find(f"{W}pPr/{W}pStyle").get(W + "val") == "PDSummaryTitle"
    index = b.tables[0]
    assert row_texts(rows(index)[0]) == ["序号", "项目名称", "执行率(%)", "总分", "评分等级"]
    assert row_has(rows(index)[0], "tblHeader")
    by_name = {row_texts(tr)[1]: row_texts(tr) for tr in rows(index)[1:]}
    assert by_name["社区党群服务中心工作"][2:] == ["99.68", "97.97", "优"]
    assert by_name["两新党建工作"][2:] == ["100.00", "97.00", "优"]
    assert [row_texts(tr)[0] for tr in rows(index)[1:]] == ["1", "2"]
    assert [row_texts(tr)[1] for tr in rows(index)[1:]] == ["社区党群服务中心工作", "两新党建工作"]
    # then each form from a new page, in order: index + (form, indicators) per project
    assert len(b.tables) == 1 + 2 * len(projects)
    titles = [p for p in b.children if p.tag == W + "p" and text(p) == "财政项目支出绩效自评表"]
    assert len(titles) == len(projects)
    assert all(t.find(f"{W}pPr/{W}pageBreakBefore") is not None for t in titles)
    pairs = list(zip(b.tables[1::2], b.tables[2::2]))
    assert [row_texts(rows(form)[0]) for form, _ in pairs] == [["项目名称", "社区党群服务中心工作"],
                                                               ["项目名称", "两新党建工作"]]
    # the same body as the forms built one by one
    for project, (form, inds) in zip(projects, pairs):
        alone = Built(to_bytes(build_selfeval(project, template, scores[project.key])))
        assert [row_texts(tr) for tr in rows(inds)] == [row_texts(tr) for tr in rows(alone.tables[1])]
    assert to_bytes(build_selfeval_summary(dep, projects, template, scores)) == data


def test_summary_leaves_out_projects_without_a_score(xinzhuang):
    dep, template, projects, scores = xinzhuang
    some = {projects[1].key: scores[projects[1].key]}
    b = Built(to_bytes(build_selfeval_summary(dep, projects, template, some)))
    assert [row_texts(tr)[1] for tr in rows(b.tables[0])[1:]] == ["两新党建工作"]
    assert len(b.tables) == 3
    empty = Built(to_bytes(build_selfeval_summary(dep, projects, template, {})))
    assert empty.tables == [] and len(empty.children) == 1


# -- edges -----------------------------------------------------------------------------------

_EVALUATION = """
[evaluation]
outcome = '''{outcome}'''

[evaluation.funding]
total = {{ initial = 1020000, adjusted = 1000000, executed = 950000 }}
appropriation = {{ initial = 1020000, adjusted = 1000000, executed = 950000 }}
carryover = {{ initial = 0, adjusted = 0, executed = 0 }}
other = {{ initial = 0, adjusted = 0, executed = 0 }}
"""


def _evaluated(indicators: list[tuple[str, str, str]], outcome: str = "全年各项工作按计划完成。",
               weight: str = "0.90") -> ProjectFile:
    """The rules' base project with ``indicators`` (一级, 二级, name) and an evaluation."""
    head = BASE[: BASE.index("[[indicators]]")]
    body = "".join(
        f'\n[[indicators]]\nlevel1 = "{l1}"\nlevel2 = "{l2}"\nname = "{name}"\ntarget = "≥90%"\n'
        f'actual = "{"95" if i % 4 else "81"}%"\nweight = {weight}\n'
        for i, (l1, l2, name) in enumerate(indicators)
    )
    project, problems = load_project_text(head + body + _EVALUATION.format(outcome=outcome), Path("项目.toml"))
    assert project is not None, problems
    return project


def _build(project: ProjectFile) -> Built:
    template = find_template("shanghai")
    return Built(to_bytes(build_selfeval(project, template, score_project(project.model))))


def _hundred() -> ProjectFile:
    plan = [("成本指标", "经济成本指标", 5), ("产出指标", "数量指标", 40), ("产出指标", "质量指标", 20),
            ("产出指标", "时效指标", 10), ("效益指标", "社会效益指标", 15), ("产出指标", "时效指标", 3),
            ("满意度指标", "服务对象满意度指标", 7)]
    inds = [(l1, l2, f"{l2}第{i + 1}项" + ("（名称较长，需要在单元格中折行显示）" if i % 3 == 0 else ""))
            for l1, l2, n in plan for i in range(n)]
    assert len(inds) == 100
    return _evaluated(inds)


def test_no_indicators():
    b = _build(_evaluated([]))
    table_rows = rows(_indicators(b))
    assert len(table_rows) == 4  # heading, one empty line, 总分, 评分等级
    assert row_texts(table_rows[1]) == [""] * 8
    assert row_texts(table_rows[2]) == ["总分", "10.00", "9.50", ""]
    assert row_texts(table_rows[3]) == ["评分等级", "差"]
    # the budget in 元, as the shanghai variant prints it
    assert row_texts(rows(_form(b))[3]) == ["", "年度资金总额：", "1,020,000.00", "1,000,000.00", "950,000.00",
                                            "10.00", "95.00", "9.50"]
    assert row_texts(rows(_form(b))[2])[0] == "项目资金（元）"


def test_hundred_indicators():
    project = _hundred()
    score = score_project(project.model)
    b = _build(project)
    table_rows = rows(_indicators(b))
    assert len(table_rows) == 1 + 100 + 2
    body = table_rows[1:-2]
    assert _runs(body, 0) == [5, 70, 15, 3, 7]  # 产出指标 comes back after 效益指标: a new merge
    assert _runs(body, 1) == [5, 40, 20, 10, 15, 3, 7]
    assert [row_has(tr, "tblHeader") for tr in table_rows].count(True) == 1
    assert all(row_has(tr, "cantSplit") for tr in table_rows)
    # weights 0.90 each; 81% of 90% scores 0.81
    assert {row_texts(tr)[5] for tr in body} == {"0.90"}
    assert {row_texts(tr)[6] for tr in body} == {"0.90", "0.81"}
    assert row_texts(table_rows[-2]) == ["总分", "100.00", f"{score.total:.2f}", ""]
    assert f"{score.total:.2f}" == "97.25"  # 9.50 + 75 × 0.90 + 25 × 0.81


def test_merges_of_the_hundred_match_the_declaration_groups():
    from perfdoc.render.formtable import indicator_groups

    project = _hundred()
    body = rows(_indicators(_build(project)))[1:-2]
    runs1, runs2 = indicator_groups(project.model.indicators)
    assert [i for i, tr in enumerate(body) if vmerge(cells(tr)[0]) == "restart"] == [first for first, _ in runs1]
    assert [i for i, tr in enumerate(body) if vmerge(cells(tr)[1]) == "restart"] == [first for first, _ in runs2]


def test_long_outcome_may_break_across_pages():
    sentence = "围绕年度重点任务，完善工作机制，提升服务能级，确保各项目标按期完成。"
    outcome = "\n\n".join(f"{n}、" + sentence * 20 for n in range(1, 16))  # about 10,000 characters
    project = _evaluated([("产出指标", "数量指标", "活动场次")], outcome=outcome, weight="90")
    b = _build(project)
    goals = rows(_form(b))[8]
    paragraphs = cells(goals)[2].findall(W + "p")
    assert [para_text(p) for p in paragraphs] == [f"{n}、" + sentence * 20 for n in range(1, 16)]
    assert not row_has(goals, "cantSplit")  # taller than a page: may break
    assert all(row_has(tr, "cantSplit") for tr in rows(_form(b))[:8])
    short = _build(_evaluated([("产出指标", "数量指标", "活动场次")], weight="90"))
    assert row_has(rows(_form(short))[8], "cantSplit")


def test_missing_budget_rows_are_shown_empty():
    project = _evaluated([])
    project.model.evaluation.funding.carryover = None
    project.model.evaluation.funding.other = None
    b = _build(project)
    form = rows(_form(b))
    assert row_texts(form[5]) == ["", "上年结转资金", "", "", "", "-", "", "-"]
    assert row_texts(form[6]) == ["", "其他资金", "", "", "", "-", "", "-"]


def test_page_break_before():
    project = _evaluated([])
    template = find_template("shanghai")
    first = selfeval_xml(project, template, score_project(project.model), page_break_before=True)[0]
    assert "<w:pageBreakBefore/>" in first
    assert "<w:pageBreakBefore/>" not in selfeval_xml(project, template, score_project(project.model))[0]


def test_unit_of_the_funding_block(tmp_path):
    """[layout] unit wins; else the unit [evaluation.funding] is written in; else the variant's."""
    from perfdoc.render.selfeval import selfeval_unit

    template = find_template("shanghai")
    plain = _evaluated([])
    assert selfeval_unit(plain, template) == "元"
    wan = _evaluated([])
    text_ = wan.source.text.replace("[evaluation.funding]\n", '[evaluation.funding]\nunit = "万元"\n')
    text_ = text_.replace("1020000, adjusted = 1000000, executed = 950000", "102, adjusted = 100, executed = 95")
    wan, problems = load_project_text(text_, Path("项目.toml"))
    assert wan is not None, problems
    assert selfeval_unit(wan, template) == "万元"
    form = rows(_form(_build(wan)))
    assert row_texts(form[2])[0] == "项目资金（万元）"
    assert row_texts(form[3])[2:5] == ["102.00", "100.00", "95.00"]
    # a department that prints 元 on its forms says so in [layout]
    (tmp_path / "department.toml").write_text(
        '[department]\nname = "某单位"\nyear = 2026\n\n[layout]\nunit = "元"\n', "utf-8")
    (tmp_path / "项目.toml").write_text(text_, "utf-8")
    dep = load_paths([tmp_path]).departments[0]
    assert selfeval_unit(dep.projects[0], template) == "元"
    assert row_texts(rows(_form(_build(dep.projects[0])))[3])[2] == "1,020,000.00"
