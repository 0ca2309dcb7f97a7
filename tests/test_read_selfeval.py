"""perfdoc.read.selfeval: a 自评表 read back into [evaluation] data.

The 2024 莘庄 projects round-trip (render with perfdoc → read → the project's evaluation
and the figures perfdoc printed), and a 自评表 perfdoc does not write, built with python-docx
(one table, 元, other label spellings), is read field by field; values that cannot be read
are listed with their place.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
from test_read_declaration import add_table, parts, saved

from perfdoc.evaluate import score_project
from perfdoc.load import load_paths
from perfdoc.model import Target
from perfdoc.read.declaration import is_declaration, is_indicator_table
from perfdoc.read.selfeval import is_selfeval, is_selfeval_indicators, read_selfeval
from perfdoc.render.document import to_bytes
from perfdoc.render.selfeval import build_selfeval
from perfdoc.render.template import find_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "projects" / "2024-xinzhuang"


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def department():
    return load_paths([EXAMPLE]).departments[0]


@pytest.mark.parametrize("name", ["社区党群服务中心工作", "两新党建工作"])
def test_round_trip_of_the_xinzhuang_projects(department, name):
    project = next(p for p in department.projects if p.model.project.name == name)
    template = find_template(department.model.layout.template, department.path)
    model = project.model
    score = score_project(model)
    tables, heading = parts(to_bytes(build_selfeval(project, template, score)))
    assert [is_selfeval(t) for t in tables] == [True, False]
    assert [is_selfeval_indicators(t) for t in tables] == [False, True]
    assert [is_declaration(t) or is_indicator_table(t) for t in tables] == [False, False]
    read = read_selfeval(tables, label="x.docx", heading=heading)

    assert read.unread == []
    assert (read.name, read.year, read.title, read.unit) == (name, 2024, "财政项目支出绩效自评表", "万元")
    assert read.authority == project.authority
    assert read.implementer == model.project.implementer
    assert read.expected == _lines(model.goals.annual)
    evaluation = read.evaluation
    assert evaluation["outcome"] == _lines(model.evaluation.outcome)
    for key in ("total", "appropriation", "carryover", "other"):
        row = getattr(model.evaluation.funding, key)
        assert evaluation["funding"][key] == {
            "initial": row.initial.yuan, "adjusted": row.adjusted.yuan, "executed": row.executed.yuan}, key
    assert evaluation["total"] == score.total == model.evaluation.total
    assert evaluation["grade"] == score.grade == model.evaluation.grade
    assert read.budget == {"weight": score.budget_weight, "rate": score.budget_rate, "score": score.budget_score}
    assert len(read.indicators) == len(model.indicators)
    for got, ind, result in zip(read.indicators, model.indicators, score.indicators):
        assert (got["level1"], got["level2"], got["name"]) == (ind.level1, ind.level2, ind.name)
        assert got["target"] == ind.target.system_style()
        assert Target.parse(got["actual"]).same_meaning(ind.actual)
        assert got["weight"] == ind.weight
        assert got["score"] == result.score
        if ind.score is not None:
            assert got["score"] == ind.score
        assert got.get("deviation") == (_lines(ind.deviation) if ind.deviation else None)


def test_the_seed_figures_as_printed(department):
    project = next(p for p in department.projects if p.model.project.name == "两新党建工作")
    template = find_template(department.model.layout.template, department.path)
    tables, heading = parts(to_bytes(build_selfeval(project, template, score_project(project.model))))
    read = read_selfeval(tables, label="x", heading=heading)
    assert read.printed["evaluation.funding.total.initial"] == "94.60"
    assert read.evaluation["funding"]["total"] == {
        "initial": Decimal("946000"), "adjusted": Decimal("610500"), "executed": Decimal("610500")}
    assert read.indicators[1] == {
        "level1": "成本指标", "level2": "经济成本指标", "name": "“两新”党支部书记津贴标准",
        "target": "≥300.00(元/人/月)", "actual": "296.00(元/人/月)", "weight": Decimal("5.00"),
        "score": Decimal("4.00"), "deviation": "有部分新成立按照区委组织不能评定为三星及以上支部，发放津贴低于300元。",
    }
    assert (read.evaluation["total"], read.evaluation["grade"]) == (Decimal("97.00"), "优")


def foreign_selfeval(grade: str = "良", score: str = "4", expected: str = "全年服务8000人次。",
                     outcome: str = "全年服务8120人次。\n举办活动12场。") -> bytes:
    """A 自评表 in one table, amounts in 元, other spellings of the labels."""
    d = docx.Document()
    d.add_paragraph("2023年度财政项目支出绩效自评表")
    add_table(d, [
        ["项目名称", "社区服务项目", "<", "<", "<", "<", "<", "<"],
        ["主管部门", "上海市闵行区民政局", "<", "<", "实施单位", "闵行区社区服务中心", "<", "<"],
        ["项目资金(元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"],
        ["^", "年度资金总额", "1,650,000.00", "1,600,000.00", "1,520,000.00", "10", "95.00%", "9.5"],
        ["^", "其中:财政拨款", "1,500,000.00", "1,450,000.00", "1,400,000.00", "-", "96.55", "-"],
        ["^", "其他资金", "150,000.00", "150,000.00", "120,000.00", "-", "80.00", "-"],
        ["年度总体目标", "预期目标", "<", "<", "实际完成情况", "<", "<", "<"],
        ["^", expected, "<", "<", outcome, "<", "<", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "服务人次", "≥8000人", "8120人", "50", "50", ""],
        ["效益指标", "社会效益指标", "居民获得感", "提升", "有所提升", "30", score, "宣传不足，\n下年加强。"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "92%", "10", "10", ""],
        ["总分", "<", "<", "<", "<", "100", "93.5", ""],
        ["评分等级", "<", "<", "<", "<", grade, "<", "<"],
    ])
    return saved(d)


def test_a_foreign_selfeval_field_by_field():
    tables, heading = parts(foreign_selfeval())
    assert is_selfeval(tables[0]) and not is_declaration(tables[0])
    read = read_selfeval(tables, label="x", heading=heading)
    assert read.unread == []
    assert (read.name, read.year, read.unit) == ("社区服务项目", 2023, "元")
    assert (read.authority, read.implementer) == ("上海市闵行区民政局", "闵行区社区服务中心")
    assert read.expected == "全年服务8000人次。"
    assert read.evaluation == {
        "funding": {
            "total": {"initial": Decimal("1650000.00"), "adjusted": Decimal("1600000.00"),
                      "executed": Decimal("1520000.00")},
            "appropriation": {"initial": Decimal("1500000.00"), "adjusted": Decimal("1450000.00"),
                              "executed": Decimal("1400000.00")},
            "other": {"initial": Decimal("150000.00"), "adjusted": Decimal("150000.00"),
                      "executed": Decimal("120000.00")},
        },
        "outcome": "全年服务8120人次。\n举办活动12场。",
        "total": Decimal("93.5"),
        "grade": "良",
    }
    assert read.budget == {"weight": Decimal("10"), "rate": Decimal("95.00"), "score": Decimal("9.5")}
    assert read.printed["evaluation.funding.other.executed"] == "120,000.00"
    assert read.indicators == [
        {"level1": "产出指标", "level2": "数量指标", "name": "服务人次", "target": "≥8000人", "actual": "8120人",
         "weight": Decimal("50"), "score": Decimal("50")},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "居民获得感", "target": "提升", "actual": "有所提升",
         "weight": Decimal("30"), "score": Decimal("4"), "deviation": "宣传不足，\n下年加强。"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "居民满意度", "target": "≥90%",
         "actual": "92%", "weight": Decimal("10"), "score": Decimal("10")},
    ]


def test_unreadable_grade_and_score_are_listed():
    tables, heading = parts(foreign_selfeval(grade="A", score="四分"))
    read = read_selfeval(tables, label="x", heading=heading)
    assert [(u.key, u.text, u.where) for u in read.unread] == [
        ("indicators[1].score", "四分", "第 1 个表格第 11 行"),
        ("evaluation.grade", "A", "第 1 个表格第 14 行"),
    ]
    assert "grade" not in read.evaluation
    assert "score" not in read.indicators[1]


def test_texts_that_read_like_labels_are_texts():
    tables, heading = parts(foreign_selfeval(expected="年度目标", outcome="完成情况"))
    read = read_selfeval(tables, label="x", heading=heading)
    assert read.unread == []
    assert (read.expected, read.evaluation["outcome"]) == ("年度目标", "完成情况")
