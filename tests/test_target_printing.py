"""How a 年度指标值 and a multi-line text are printed (issue 10, items 1 and 14).

A target written without an operator prints exactly as written in every layout
(``12个月``, ``500米``); the ``shanghai`` layout normalises only a target written
with an operator (``≥8000人`` → ``≥8000.00(人)``).  Checks and scoring still read
``12个月`` as the quantity ``=12``.  Every line of a narrative or goal text is its own
paragraph.  Expected values are written out literally; the example projects' columns
are in printed_examples.py.
"""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import PROJECTS, run_cli
from printed_examples import ACTUALS, ORDER, TARGETS
from test_declaration import BASE, W, Built, cells, flat, para_text, row_texts, rows

from perfdoc.check import check_departments
from perfdoc.evaluate import score_project
from perfdoc.load import load_paths, load_project_text
from perfdoc.model import DepartmentFolder, Target
from perfdoc.model.scoring import indicator_score
from perfdoc.render.common import split_paragraphs
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.narrative import build_narrative
from perfdoc.render.selfeval import build_selfeval
from perfdoc.render.template import find_template

LAYOUTS = ("shanghai", "huacao-2022", "songjiang-2022")


# -- the value type ----------------------------------------------------------------------------

@pytest.mark.parametrize("written,printed", [
    # no operator: exactly as written (trimmed), whatever the unit
    ("12个月", "12个月"),
    ("500米", "500米"),
    ("985米", "985米"),
    ("12", "12"),
    ("100%", "100%"),
    ("90%", "90%"),
    ("0 起", "0 起"),
    ("¥ 60, 000", "¥ 60, 000"),
    ("  12个月 ", "12个月"),
    ("100% (2 人)", "100% (2 人)"),
    # an operator: the system's style, two decimals and the unit in brackets
    ("≥8000人", "≥8000.00(人)"),
    (">=95%", "≥95.00(%)"),
    ("＝3次", "=3.00(次)"),
    ("=2(人)", "=2.00(人)"),
    ("≥85(%)", "≥85.00(%)"),
    ("≤80.00(元/人)", "≤80.00(元/人)"),
    ("≥2", "≥2.00"),
    ("<=80元/人", "≤80.00(元/人)"),
    # more decimals than two are kept, never rounded away
    ("≥0.125(元)", "≥0.125(元)"),
    ("=1.5万人", "=1.50(万人)"),
    # other kinds as written
    ("提升", "提升"),
    ("全年不少于2次", "全年不少于2次"),
    ("2024年12月前完成", "2024年12月前完成"),
    ("", ""),
])
def test_system_style(written, printed):
    assert Target.parse(written).system_style() == printed


def test_a_target_without_operator_is_still_read_as_a_quantity():
    t = Target.parse("12个月")
    assert (t.kind, t.op, t.effective_op, t.number, t.unit) == ("quantitative", None, "=", Decimal("12"), "个月")
    assert t.same_meaning(Target.parse("=12(个月)"))
    # scored like "=12个月": 9 of 12 months earn three quarters of the weight
    assert indicator_score(t, Target.parse("9个月"), Decimal("8")) == Decimal("6.00")
    assert indicator_score(t, Target.parse("12个月"), Decimal("8")) == Decimal("8.00")


def test_checks_read_a_target_without_operator():
    """PD401 (a rate in a count unit) and PD402 (a percentage over 100) see values without operator."""
    text = BASE.replace('target = "=100%"', 'target = "100个"').replace('target = "≥90%"', 'target = "120%"')
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    found = check_departments([DepartmentFolder(Path("."), None, None, [project])])
    assert sorted({p.code for p in found} & {"PD401", "PD402"}) == ["PD401", "PD402"]


# -- the forms ---------------------------------------------------------------------------------

def _project(targets: list[str], *, evaluation: bool = False):
    """The rules' base project with the 7 targets replaced in order (and an evaluation)."""
    head, rest = BASE.split("[[indicators]]", 1)
    blocks = ("[[indicators]]" + rest).split("[narrative]")[0].split("[[indicators]]")[1:]
    body = ""
    for block, target in zip(blocks, targets, strict=True):
        lines = [line for line in block.splitlines() if not line.startswith("target")]
        extra = f'actual = "{target}"\nweight = 10\n' if evaluation else ""
        body += "[[indicators]]" + "\n".join(lines).rstrip() + f'\ntarget = "{target}"\n{extra}\n'
    text = head + body + "[narrative]" + BASE.split("[narrative]", 1)[1]
    if evaluation:
        text += """
[evaluation]
outcome = "全年各项工作按计划完成。"

[evaluation.funding]
total = { initial = 1020000, adjusted = 1020000, executed = 1020000 }
appropriation = { initial = 1020000, adjusted = 1020000, executed = 1020000 }
"""
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    return project


WRITTEN = ["≤80元/人", "12个月", "500米", "2026年12月前完成", "100%", "健全", "≥8000人"]

PRINTED = {
    "shanghai": ["≤80.00(元/人)", "12个月", "500米", "2026年12月前完成", "100%", "健全", "≥8000.00(人)"],
    "huacao-2022": ["≤80元/人", "12个月", "500米", "2026年12月前完成", "100%", "健全", "≥8000人"],
    "songjiang-2022": ["≤80元/人", "12个月", "500米", "2026年12月前完成", "100%", "健全", "≥8000人"],
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_declaration_prints_targets_without_operator_as_written(layout):
    b = Built(to_bytes(build_declaration(_project(WRITTEN), find_template(layout))))
    assert [flat(cells(tr)[4]) for tr in rows(b.indicators)[1:]] == PRINTED[layout]


def test_selfeval_prints_targets_without_operator_as_written():
    project = _project(WRITTEN, evaluation=True)
    b = Built(to_bytes(build_selfeval(project, find_template("shanghai"), score_project(project.model))))
    body = rows(b.tables[1])[1:-2]
    assert [row_texts(tr)[3] for tr in body] == PRINTED["shanghai"]


def test_built_and_read_back_with_textconv(tmp_path):
    """A user's department in the shanghai layout: build, then read the 申报表 back as git would."""
    dep = tmp_path / "单位"
    dep.mkdir()
    (dep / "department.toml").write_text(
        '[department]\nname = "测试单位"\nauthority = "测试主管部门"\nyear = 2026\nbudget_units = 1\n\n'
        '[layout]\ntemplate = "shanghai"\n', "utf-8")
    (dep / "党组织建设.toml").write_text(BASE.replace('target = "≥30家"', 'target = "12个月"'), "utf-8")
    out = tmp_path / "out"
    r = run_cli("build", str(dep), "-o", str(out), "--force")
    assert r.returncode == 0, r.stdout + r.stderr
    forms = sorted(out.rglob("*申报表.docx"))
    assert len(forms) == 1
    r = run_cli("textconv", str(forms[0]))
    assert r.returncode == 0, r.stderr
    assert "党组织特色活动 | 12个月" in r.stdout
    assert "≤80.00(元/人)" in r.stdout
    assert "=12.00" not in r.stdout


# -- every example, column by column ------------------------------------------------------------

def _examples():
    return [(folder, key) for folder, keys in ORDER.items() for key in keys]


@pytest.fixture(scope="module")
def departments():
    out = {}
    for folder in ORDER:
        result = load_paths([PROJECTS / folder])
        assert len(result.departments) == 1, result.problems
        out[folder] = result.departments[0]
    return out


def test_every_example_is_listed(departments):
    assert sorted(_examples()) == sorted(TARGETS)
    for folder, dep in departments.items():
        assert sorted(p.key for p in dep.projects) == sorted(ORDER[folder])


@pytest.mark.parametrize("folder,key", _examples(), ids=[f"{f}/{k}" for f, k in _examples()])
def test_example_declaration_targets(departments, folder, key):
    dep = departments[folder]
    project = next(p for p in dep.projects if p.key == key)
    template = find_template(dep.model.layout.template, dep.path)
    b = Built(to_bytes(build_declaration(project, template)))
    assert [flat(cells(tr)[4]) for tr in rows(b.indicators)[1:]] == TARGETS[(folder, key)]


@pytest.mark.parametrize("key", ORDER["2024-xinzhuang"])
def test_xinzhuang_selfeval_targets_and_actuals(departments, key):
    dep = departments["2024-xinzhuang"]
    project = next(p for p in dep.projects if p.key == key)
    template = find_template(dep.model.layout.template, dep.path)
    b = Built(to_bytes(build_selfeval(project, template, score_project(project.model))))
    body = rows(b.tables[1])[1:-2]
    assert [row_texts(tr)[3] for tr in body] == TARGETS[("2024-xinzhuang", key)]
    assert [row_texts(tr)[4] for tr in body] == ACTUALS[key]


# -- paragraphs --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,paragraphs", [
    (None, []),
    ("", []),
    (" \n\n ", []),
    ("一段。", ["一段。"]),
    ("第一阶段采购物资，\n分批发放。", ["第一阶段采购物资，", "分批发放。"]),
    ("总述：\n1.社区\n2.道口\n另起一段。", ["总述：", "1.社区", "2.道口", "另起一段。"]),
    ("（1）甲\n（2）乙\n一、丙\n1、丁\n戊", ["（1）甲", "（2）乙", "一、丙", "1、丁", "戊"]),
    ("\n  前有空格  \n\n\n后一段\r\n末行\n", ["前有空格", "后一段", "末行"]),
])
def test_split_paragraphs(text, paragraphs):
    assert split_paragraphs(text) == paragraphs


def _narrative_body(project) -> dict[str, list[str]]:
    document = docx.Document(io.BytesIO(to_bytes(build_narrative(project, find_template("shanghai")))))
    out: dict[str, list[str]] = {}
    current = None
    for p in document.paragraphs[1:]:
        if p.style.style_id == "PDHeading":
            current = p.text
            out[current] = []
        else:
            out[current].append(p.text)
    return out


def test_narrative_lines_are_paragraphs():
    text = BASE.replace('goals = "以创建模范机关为目标，具体见表格。"',
                        'goals = """以创建模范机关为目标，\n具体见表格。"""')
    text = text.replace(
        'implementer = "区级机关工作党委组织科、纪检科"',
        'implementer = """区级机关工作党委组织科、\\\n纪检科"""',  # a TOML line continuation joins
    )
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    body = _narrative_body(project)
    assert body["四、实施方案"] == [
        "实施内容和计划：项目内容主要指党建阵地建设和群团工作这两大部分。",
        "1.党建阵地建设：全年逐步推进。",
        "2.群团工作：3月、5月和8月分别开展。",
    ]
    assert body["三、实施主体"] == ["区级机关工作党委组织科、纪检科"]
    assert body["七、绩效目标"] == ["以创建模范机关为目标，", "具体见表格。", "（包括总目标、年度目标、分解目标等，具体见表格）"]


def test_overview_lines_are_paragraphs_after_the_lead_in():
    text = BASE.replace(
        'overview = "建设“1号先锋”党建品牌，以及各基层党组织特色党建品牌；加强本委和基层党组织阵地建设。经测算，预算资金102万元。"',
        'overview = """建设“1号先锋”党建品牌；\n加强阵地建设。"""',
    )
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    assert _narrative_body(project)["一、项目概述"] == [
        "中共上海市松江区区级机关工作委员会拟于2026年1月至2026年12月实施党组织建设项目，主要实施内容为建设“1号先锋”党建品牌；",
        "加强阵地建设。经测算，预算资金102万元，现将项目的事前绩效评估情况报告如下：",
    ]


def test_goal_cell_lines_are_paragraphs():
    text = BASE.replace(
        'annual = "组织开展党组织特色活动和群团活动，加强党建阵地建设，提升机关党建工作水平。"',
        'annual = """组织开展党组织特色活动，\n加强党建阵地建设。\n1.提升机关党建工作水平。"""',
    )
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    b = Built(to_bytes(build_declaration(project, find_template("shanghai"))))
    annual = cells(rows(b.form)[8])[2]
    assert [para_text(p) for p in annual.findall(W + "p")] == [
        "组织开展党组织特色活动，", "加强党建阵地建设。", "1.提升机关党建工作水平。"]


# -- the change report ---------------------------------------------------------------------------

def test_diff_prints_targets_as_written_and_sees_a_new_line(tmp_path):
    """`perfdoc diff`: a target printed as the user wrote it; a line broken in two is a change."""
    old = Path(shutil.copytree(PROJECTS / "2026-hongqiao", tmp_path / "old"))
    new = Path(shutil.copytree(PROJECTS / "2026-hongqiao", tmp_path / "new"))
    path = new / "残保金.toml"
    text = path.read_text("utf-8")
    assert text.count('target = "90%"') == 1
    assert text.count("通过经费扶持") == 1
    text = text.replace('target = "90%"', 'target = "95%"').replace("通过经费扶持", "\\n通过经费扶持")
    path.write_text(text, "utf-8")
    r = run_cli("diff", str(old), str(new), "--no-color")
    assert r.returncode == 1, r.stdout + r.stderr  # 1: there are changes
    assert "受益人员满意度：90% → 95%" in r.stdout
    assert "=90.00" not in r.stdout and "=95.00" not in r.stdout
    assert "年度总体目标：" in r.stdout
    assert "修改 1 · 未变 8" in r.stdout
