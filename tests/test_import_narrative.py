"""Importing 项目经费情况说明: foreign documents made with python-docx, perfdoc's own texts, the writer.

A 经费说明 written by hand (python-docx, not perfdoc's renderer) is paired with its 申报表 by the
project name in its title or in its 项目概述 sentence; its sections are found by their headings
(with or without numbers, any punctuation and spacing), its sub-items by their labels; the
sentences perfdoc generates (the 项目概述 frame, ``从…至…。``, the note after 七、绩效目标) are not
copied into the project file.  Text is kept character for character, a paragraph a line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from conftest import run_cli
from perfdoc.importer.writer import Comment, project_text
from perfdoc.load import load_department, load_project_text

DEPARTMENT = """\
[department]
name = "测试街道办事处"
authority = "测试区人民政府"
year = 2026

[layout]
template = "{template}"
"""

PROJECT = """\
[project]
name = "测试项目"
year = 2026
category = "特定目标类"
implementer = "测试街道办事处"
start = 2026-01-01
end = 2026-12-31

[funding]
total = 125000
total_fiscal = 125000
annual = 125000
annual_appropriation = 125000

[goals]
annual = "完成培训2次。"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "培训次数"
target = "≥2次"
"""


def _build(tmp_path: Path, project: str = PROJECT, template: str = "shanghai") -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "department.toml").write_text(DEPARTMENT.format(template=template), "utf-8")
    (folder / "测试项目.toml").write_text(project, "utf-8")
    out = tmp_path / "built"
    done = run_cli("build", "--force", str(folder), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "src"


def _docx(tmp_path: Path, name: str, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(path)
    return path


def _import(tmp_path: Path, *files: Path, code: int = 0):
    """Import ``files`` into a department folder (so that its name, not in a single form, is known)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "department.toml").write_text(DEPARTMENT.format(template="shanghai"), "utf-8")
    done = run_cli("import", *map(str, files), "-o", str(out), "--into")
    assert done.returncode == code, done.stdout + done.stderr
    loaded = load_department(out)
    return done, out, loaded.departments[0].projects[0]


FOREIGN = [
    "测试项目项目经费情况说明",
    "项目概述",  # no number
    "区级机关工作党委拟于2026年1月至2026年12月实施测试项目项目，主要实施内容为开展“红色”培训；组织活动。"
    "经测算，预算资金12.5万元，现将项目的事前绩效评估情况报告如下：",
    "二 、 立项依据：",  # spaces and a colon
    "1. 文件依据：《中国共产党支部工作条例（试行）》。",
    "2、工作职能：负责辖区党员教育。",
    "　　第二段职能说明，前有全角空格。",
    "（六）年度预算安排",
    "资金测算:本年度预算12.5万元,其中培训8万元。",  # no number, half-width colon
    "七．绩效目标",
    "完成培训2次，\"参训\"人数不少于100人。",
    "（包括总目标、年度目标、分解目标等，具体见表格）",
]


def test_foreign_narrative_with_some_sections(tmp_path):
    built = _build(tmp_path)
    narrative = _docx(tmp_path, "经费说明.docx", FOREIGN)
    done, out, project = _import(tmp_path, built / "测试项目-申报表.docx", narrative)
    n = project.model.narrative
    assert n.subject == "区级机关工作党委"
    assert n.overview == "开展“红色”培训；组织活动"
    assert n.basis.documents == "《中国共产党支部工作条例（试行）》。"
    assert n.basis.duties == "负责辖区党员教育。\n第二段职能说明，前有全角空格。\n"
    assert n.basis.text is None
    assert n.budget.calculation == "本年度预算12.5万元,其中培训8万元。"
    assert n.budget.source is None and n.budget.schedule is None and n.budget.text is None
    assert n.goals == "完成培训2次，\"参训\"人数不少于100人。"
    assert n.implementer is None and n.plan is None and n.period is None
    text = (out / "测试项目.toml").read_text("utf-8")
    assert "# 项目经费情况说明导入自 经费说明.docx\n" in text
    assert "具体见表格" not in text and "经测算" not in text


def test_narrative_paired_by_its_overview_sentence(tmp_path):
    """A title without the project name (项目经费情况说明1): the 项目概述 sentence names the project."""
    built = _build(tmp_path)
    paragraphs = ["项目经费情况说明1"] + FOREIGN[1:3] + ["三、实施主体", "街道党建办"]
    narrative = _docx(tmp_path, "说明1.docx", paragraphs)
    _, _, project = _import(tmp_path, narrative, built / "测试项目-申报表.docx")
    assert project.model.narrative.implementer == "街道党建办"
    assert project.model.narrative.subject == "区级机关工作党委"


def test_overview_that_is_not_the_sentence_is_commented(tmp_path):
    built = _build(tmp_path)
    narrative = _docx(tmp_path, "经费说明.docx", [
        "测试项目项目经费情况说明", "我们单位的一些前言。",
        "一、项目概述", "本项目用于开展党员培训。", "五、实施周期", "全年。"])
    done, out, project = _import(tmp_path, built / "测试项目-申报表.docx", narrative, code=1)
    assert project.model.narrative.overview is None
    assert project.model.narrative.period == "全年。"
    text = (out / "测试项目.toml").read_text("utf-8")
    assert "# overview：导入时无法识别：“本项目用于开展党员培训。”（经费说明.docx 第 4 段）\n" in text
    assert "# narrative：导入时无法识别：“我们单位的一些前言。”（经费说明.docx 第 2 段）\n" in text
    assert "narrative.overview：无法识别“本项目用于开展党员培训。”（经费说明.docx 第 4 段）" in done.stdout


def test_overview_with_other_figures_is_not_taken(tmp_path):
    """The 项目概述 sentence with another amount than the 申报表's is not perfdoc's sentence for it."""
    built = _build(tmp_path)
    sentence = FOREIGN[2].replace("12.5万元", "13万元")
    narrative = _docx(tmp_path, "经费说明.docx", ["测试项目项目经费情况说明", "一、项目概述", sentence])
    done, out, project = _import(tmp_path, built / "测试项目-申报表.docx", narrative, code=1)
    assert project.model.narrative is None or project.model.narrative.overview is None
    assert "预算资金13万元" in (out / "测试项目.toml").read_text("utf-8")


def test_narrative_without_its_form_is_listed(tmp_path):
    built = _build(tmp_path)
    other = _docx(tmp_path, "别的项目.docx", ["别的项目项目经费情况说明", "三、实施主体", "某某科"])
    done = run_cli("import", str(built / "测试项目-申报表.docx"), str(other), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "经费说明没有对应的申报表（所给文件中没有同名项目），未导入：“别的项目项目经费情况说明”（别的项目.docx 第 1 段）" \
        in done.stdout


MULTI = PROJECT + '''
[narrative]
subject = "党建办"
overview = """
第一行内容；
第二行 “引号” 和 \\"直引号\\"
"""
implementer = "街道党建办（牵头）"
plan = """
1.日常运营：每周开放5天。
2.主题活动：全年12次。
"""
period = "2026年全年，分两期实施。"
goals = "服务党员8000人次以上。"

[narrative.basis]
text = "依据如下："
documents = "《条例》"

[narrative.budget]
source = "财政拨款。"
schedule = """
上半年完成一期；
下半年完成二期。
"""
'''


@pytest.mark.parametrize("template", ["shanghai", "songjiang-2022", "huacao-2022"])
def test_perfdoc_narrative_round_trips_exactly(template, tmp_path):
    built = _build(tmp_path, MULTI, template)
    out = tmp_path / "imported"
    done = run_cli("import", str(next(built.glob("*汇总表.docx"))), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    project = load_department(out).departments[0].projects[0]
    n = project.model.narrative
    assert n.subject == "党建办"
    assert n.overview == "第一行内容；\n第二行 “引号” 和 \"直引号\"\n"
    assert n.implementer == "街道党建办（牵头）"
    assert n.plan == "1.日常运营：每周开放5天。\n2.主题活动：全年12次。\n"
    assert n.period == "2026年全年，分两期实施。"
    assert n.goals == "服务党员8000人次以上。"
    assert (n.basis.text, n.basis.documents, n.basis.duties) == ("依据如下：", "《条例》", None)
    assert (n.budget.calculation, n.budget.source) == (None, "财政拨款。")
    assert n.budget.schedule == "上半年完成一期；\n下半年完成二期。\n"


# -- the writer -------------------------------------------------------------------------------

TRICKY = [
    'a "quoted" word',
    "ends with a quote\"",
    'three """ quotes',
    "back\\slash \\n not a newline",
    "tab\there",
    "第一段\n第二段\n\n第四段",
    "“全角引号”、（括号）、——破折号……",
    "x" * 200,
]


@pytest.mark.parametrize("text", TRICKY)
def test_writer_keeps_every_text_exactly(text):
    data = {
        "project": {"name": text.split("\n")[0], "year": 2026, "implementer": "单位", "start": dt.date(2026, 1, 1),
                    "end": dt.date(2026, 12, 31)},
        "funding": {"total": "1,000.00", "total_fiscal": "1,000.00", "annual": "1,000.00",
                    "annual_appropriation": "1,000.00"},
        "goals": {"overall": text, "annual": text},
        "narrative": {"plan": text, "basis": {"documents": text}},
        "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "次数", "target": "≥2次",
                        "weight": Decimal("5.00"), "deviation": text}],
    }
    written = project_text(data)
    project, problems = load_project_text(written)
    assert project is not None, (written, problems)
    m = project.model
    for value in (m.goals.overall, m.goals.annual, m.narrative.plan, m.narrative.basis.documents,
                  m.indicators[0].deviation):
        assert value.strip("\n") == text.strip("\n")
    assert m.project.name == text.split("\n")[0]
    assert str(m.indicators[0].weight) == "5.00"


def test_writer_order_and_comments():
    data = {
        "funding": {"annual_appropriation": "2.00", "total": "2.00", "unit": "万元"},
        "project": {"end": dt.date(2026, 12, 31), "name": "甲", "year": 2026},
    }
    comments = [Comment(("funding", "total_fiscal"), "total_fiscal：导入时无法识别：“二万”（原文第 1 个表格第 5 行）"),
                Comment(("narrative", "overview"), "overview：导入时无法识别：“前言”（原文第 3 段）")]
    text = project_text(data, comments=comments)
    assert text == (
        '[project]\nname = "甲"\nyear = 2026\nend = 2026-12-31\n\n'
        '[funding]\nunit = "万元"\ntotal = "2.00"\n'
        "# total_fiscal：导入时无法识别：“二万”（原文第 1 个表格第 5 行）\n"
        'annual_appropriation = "2.00"\n\n'
        "[narrative]\n# overview：导入时无法识别：“前言”（原文第 3 段）\n"
    )
    assert [c.line for c in comments] == [9, 13]


# -- diff: 五、实施周期 as printed --------------------------------------------------------------

@pytest.mark.parametrize(("period", "code"), [("从2026年1月至2026年12月。", 0), ("从2026年1月至2026年6月。", 1)])
def test_diff_period_written_as_generated_is_no_change(period, code, tmp_path):
    for name, text in (("a", PROJECT), ("b", PROJECT + f'\n[narrative]\nperiod = "{period}"\n')):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "department.toml").write_text(DEPARTMENT.format(template="shanghai"), "utf-8")
        (folder / "测试项目.toml").write_text(text, "utf-8")
    done = run_cli("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert done.returncode == code, done.stdout + done.stderr
    if code:
        assert "五、实施周期" in done.stdout


@pytest.mark.parametrize(("overview", "code"), [("开展培训。", 0), ("开展培训；", 0), ("开展培训活动", 1)])
def test_diff_overview_closing_punctuation_is_no_change(overview, code, tmp_path):
    """一、项目概述 prints the overview inside its sentence, without its closing 。: an import that
    reads it back without the 。 has not changed it."""
    for name, text in (("a", '\n[narrative]\noverview = "开展培训"\n'), ("b", f'\n[narrative]\noverview = "{overview}"\n')):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "department.toml").write_text(DEPARTMENT.format(template="shanghai"), "utf-8")
        (folder / "测试项目.toml").write_text(PROJECT + text, "utf-8")
    done = run_cli("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert done.returncode == code, done.stdout + done.stderr


def test_text_the_model_refuses_is_left_out_with_a_short_comment(tmp_path):
    """A section longer than a project file takes (20000 characters): left out, said where, quoted in part."""
    built = _build(tmp_path)
    narrative = _docx(tmp_path, "经费说明.docx", ["测试项目项目经费情况说明", "三、实施主体", "街道" * 10001])
    done, out, project = _import(tmp_path, built / "测试项目-申报表.docx", narrative, code=1)
    assert project.model.narrative is None or project.model.narrative.implementer is None
    text = (out / "测试项目.toml").read_text("utf-8")
    comment = next(line for line in text.split("\n") if line.startswith("# implementer："))
    assert comment == ("# implementer：导入时无法使用（文字过长：20002 个字符，超过上限 20000）：“" + "街道" * 250
                       + "…（共 20002 字）”")
    assert "narrative.implementer：无法使用（文字过长：20002 个字符，超过上限 20000）" in done.stdout
