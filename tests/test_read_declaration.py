"""perfdoc.read.declaration: a 申报表 read back into project-file data.

Round trip for every example project (render with perfdoc → read → the project's values),
then forms perfdoc does not write, built here with python-docx: the whole form in one
table with the funding labels in one column, 一级/二级 repeated on every row with 万元
and other label spellings and check boxes, a 60-indicator form over three tables, a form
saved by a word processor (runs split mid-word, bookmarks, proofing marks, content
controls, fields, tracked changes), and values that cannot be read.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from lxml import etree

from perfdoc.load import load_paths
from perfdoc.read.declaration import is_declaration, is_indicator_table, read_declaration
from perfdoc.read.grid import Paragraph, Table, blocks
from perfdoc.read.package import open_package
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.template import find_template

ROOT = Path(__file__).resolve().parent.parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FUNDING_KEYS = ("total", "total_fiscal", "total_other", "annual", "annual_appropriation", "annual_carryover",
                "annual_other")


# -- helpers shared with test_read_selfeval ---------------------------------------------------

def parts(data: bytes) -> tuple[list[Table], list[str]]:
    """The tables of a document and the texts of the paragraphs before the first one."""
    found = blocks(open_package(data, label="测试.docx").body())
    tables = [b for b in found if isinstance(b, Table)]
    heading = []
    for b in found:
        if isinstance(b, Table):
            break
        heading.append(b.text)
    return tables, heading


def add_table(document, rows: list[list[str]]):
    """A table from rows of texts: "<" joins the cell to the one on its left, "^" to the one
    above (python-docx writes w:gridSpan and w:vMerge); "\\n" separates paragraphs."""
    n, m = len(rows), max(len(r) for r in rows)
    table = document.add_table(rows=n, cols=m)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text in ("<", "^"):
                continue
            cell = table.cell(i, j)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text in ("<", "^"):
                continue
            right = j
            while right + 1 < len(row) and row[right + 1] == "<":
                right += 1
            down = i
            while down + 1 < n and j < len(rows[down + 1]) and rows[down + 1][j] == "^":
                down += 1
            if right > j or down > i:
                table.cell(i, j).merge(table.cell(down, right))
    return table


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- round trip of the examples ---------------------------------------------------------------

def _examples():
    out = []
    for folder in sorted((ROOT / "projects").iterdir()):
        result = load_paths([folder])
        for dep in result.departments:
            for i, project in enumerate(dep.projects):
                out.append(pytest.param(folder.name, i, id=f"{folder.name}-{project.path.stem}"))
    return out


_LOADED: dict = {}


def _department(folder: str):
    if folder not in _LOADED:
        _LOADED[folder] = load_paths([ROOT / "projects" / folder]).departments[0]
    return _LOADED[folder]


def _lines(text: str) -> str:
    """A text as the form shows it: one paragraph per line that holds text."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.mark.parametrize(("folder", "index"), _examples())
def test_round_trip_of_every_example(folder, index):
    dep = _department(folder)
    template = find_template(dep.model.layout.template, dep.path)
    project = dep.projects[index]
    model = project.model
    tables, heading = parts(to_bytes(build_declaration(project, template, number=index + 1)))
    assert is_declaration(tables[0]) and not is_indicator_table(tables[0])
    assert is_indicator_table(tables[1]) and not is_declaration(tables[1])
    read = read_declaration(tables, label="x.docx", heading=heading)

    assert read.unread == []
    assert read.layout == dep.model.layout.template
    assert read.year == model.project.year
    assert read.number == (index + 1 if template.variant.numbered_title else None)
    info = read.data["project"]
    assert info["name"] == model.project.name
    assert info["year"] == model.project.year
    assert info["implementer"] == model.project.implementer
    assert info["authority"] == project.authority
    assert info["start"] == model.project.start and info["end"] == model.project.end
    assert info.get("category", "") == model.project.category
    if template.variant.show_nature:
        assert info.get("nature") == model.project.nature
    else:
        assert "nature" not in info
    unit = dep.model.layout.unit or template.variant.unit
    assert read.unit == unit
    for key in FUNDING_KEYS:
        assert read.data["funding"][key] == getattr(model.funding, key).yuan, key
        assert isinstance(read.data["funding"][key], Decimal)
    goals = read.data["goals"]
    assert goals["overall"] == _lines(model.goals.overall)
    assert goals["annual"] == _lines(model.goals.annual)
    if model.period != (model.project.year, model.project.year):
        assert goals["period"] == list(model.period)
    else:
        assert "period" not in goals
    assert len(read.data["indicators"]) == len(model.indicators)
    for got, ind in zip(read.data["indicators"], model.indicators):
        assert (got["level1"], got["level2"], got["name"]) == (ind.level1.strip(), ind.level2.strip(), ind.name.strip())
        printed = ind.target.system_style() if template.variant.target_style == "system" else ind.target.text.strip()
        assert got["target"] == printed


def test_printed_targets_and_amounts_of_the_shanghai_layout_as_printed():
    dep = _department("2024-xinzhuang")
    template = find_template(dep.model.layout.template, dep.path)
    project = next(p for p in dep.projects if p.model.project.name == "社区党群服务中心工作")
    read = read_declaration(parts(to_bytes(build_declaration(project, template)))[0], label="x")
    targets = [i["target"] for i in read.data["indicators"]]
    assert targets[:5] == ["≤80.00(元/人)", "=2000.00(元/人)", "≤15.00(元/份)", "≥5.00(次)", "≥100.00(人)"]
    assert read.unit == "万元"
    assert read.printed["funding.total"] == "417.32"
    assert read.data["funding"]["total"] == Decimal("4173200")
    assert read.title == ""  # no heading given, none in the table


# -- foreign forms ----------------------------------------------------------------------------

def one_table_form() -> bytes:
    """The whole form in one table, four columns, the funding labels one under another."""
    d = docx.Document()
    # what comes before the form: text mentioning a 申报表 and a year, then the title and year line
    d.add_paragraph("七、绩效目标")
    d.add_paragraph("2022年起实施，详见申报表")
    d.add_paragraph("财政项目支出绩效目标申报表")
    d.add_paragraph("（2023年度）")
    add_table(d, [
        ["项目名称", "社区服务项目", "项目类别", "特定目标类"],
        ["项目性质", "一次性项目", "主管部门", "上海市闵行区财政局"],
        ["实施单位", "闵行区社区服务中心", "项目负责人", "张三"],
        ["计划开始日期", "2023.01.01", "计划完成日期", "2023.12.31"],
        ["项目资金(元)", "项目资金总额", "1,650,000.00", "<"],
        ["^", "其中:财政资金", "1,500,000.00", "<"],
        ["^", "其他资金", "150,000.00", "<"],
        ["^", "年度资金申请总额", "1,650,000.00", "<"],
        ["^", "其中:当年财政拨款", "1,200,000.00", "<"],
        ["^", "上年结转资金", "300,000.00", "<"],
        ["^", "其他资金", "150,000.00", "<"],
        ["项目绩效目标", "项目总目标", "总目标第一段。\n“第二段”，含全角标点；", "<"],
        ["^", "年度目标", "年度目标文字（2023年）。", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "服务人次", "≥8000人"],
        ["^", "^", "活动场次", "=12场"],
        ["^", "质量指标", "服务合格率", "≥95%"],
        ["效益指标", "社会效益指标", "居民获得感", "提升"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"],
        ["备注", "无", "<", "<"],
    ])
    return saved(d)


def test_one_table_form():
    tables, heading = parts(one_table_form())
    assert len(tables) == 1 and is_declaration(tables[0])
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert (read.title, read.year, read.number, read.unit, read.layout) == (
        "财政项目支出绩效目标申报表", 2023, None, "元", None)
    assert read.data["project"] == {
        "name": "社区服务项目", "category": "特定目标类", "nature": "一次性项目",
        "authority": "上海市闵行区财政局", "implementer": "闵行区社区服务中心",
        "start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31), "year": 2023,
    }
    assert read.data["funding"] == {
        "total": Decimal("1650000.00"), "total_fiscal": Decimal("1500000.00"), "total_other": Decimal("150000.00"),
        "annual": Decimal("1650000.00"), "annual_appropriation": Decimal("1200000.00"),
        "annual_carryover": Decimal("300000.00"), "annual_other": Decimal("150000.00"),
    }
    assert read.printed["funding.annual_carryover"] == "300,000.00"
    assert read.data["goals"] == {"overall": "总目标第一段。\n“第二段”，含全角标点；", "annual": "年度目标文字（2023年）。"}
    assert read.data["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "服务人次", "target": "≥8000人"},
        {"level1": "产出指标", "level2": "数量指标", "name": "活动场次", "target": "=12场"},
        {"level1": "产出指标", "level2": "质量指标", "name": "服务合格率", "target": "≥95%"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "居民获得感", "target": "提升"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "居民满意度", "target": "≥90%"},
    ]


def repeated_levels_form() -> bytes:
    """万元 with other label spellings, check boxes before their options, dates in 年月日,
    一级/二级 repeated on every row of a second table."""
    d = docx.Document()
    d.add_paragraph("2024年度财政项目支出绩效目标申报表")
    add_table(d, [
        ["项目名称", "老年助餐服务", "<", "项目类别", "☑专项资金 □经常性项目 □一次性项目", "<"],
        ["主管部门", "上海市闵行区华漕镇人民政府", "<", "实施单位", "华漕镇社区事务受理服务中心", "<"],
        ["计划开始日期", "2024年1月1日", "<", "计划完成日期", "2024年12月31日", "<"],
        ["项目资金 （万元）", "项目资金总额", "29.20", "年度资金申请总额", "12.345678", "<"],
        ["^", "其中:财政拨款", "29.2", "其中:财政拨款", "10", "<"],
        ["^", "其他资金", "0", "上年结转资金", "2.345678", "<"],
        ["^", "", "", "其他资金", "-", "<"],
        ["项目绩效目标", "项目总目标（2024年-2026年）", "<", "年度总体目标", "<", "<"],
        ["^", "三年内建成助餐点12个。", "<", "全年提供助餐服务。\n  二段缩进保留", "<", "<"],
    ])
    d.add_paragraph("")
    add_table(d, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "助餐人数", "≥300人"],
        ["产出指标", "数量指标", "助餐天数", "=250天"],
        ["产出指标", "时效指标", "送餐及时率", "≥98%"],
        ["成本指标", "经济成本指标", "每餐补贴标准", "≤15元/餐"],
        ["效益指标", "社会效益指标", "老年人生活质量", "明显改善"],
        ["满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%"],
    ])
    return saved(d)


def test_repeated_levels_wan_yuan_and_other_spellings():
    tables, heading = parts(repeated_levels_form())
    assert is_declaration(tables[0]) and is_indicator_table(tables[1])
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert (read.title, read.year, read.unit, read.layout) == ("2024年度财政项目支出绩效目标申报表", 2024, "万元", None)
    assert read.data["project"] == {
        "name": "老年助餐服务", "category": "专项资金", "authority": "上海市闵行区华漕镇人民政府",
        "implementer": "华漕镇社区事务受理服务中心", "start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31),
        "year": 2024,
    }
    # 万元 to 元 exactly; "-" is no value
    assert read.data["funding"] == {
        "total": Decimal("292000"), "total_fiscal": Decimal("292000"), "total_other": Decimal("0"),
        "annual": Decimal("123456.78"), "annual_appropriation": Decimal("100000"),
        "annual_carryover": Decimal("23456.78"),
    }
    assert str(read.data["funding"]["annual"]) == "123456.78"
    assert read.printed["funding.annual"] == "12.345678"
    assert read.data["goals"] == {"period": [2024, 2026], "overall": "三年内建成助餐点12个。",
                                  "annual": "全年提供助餐服务。\n  二段缩进保留"}
    assert [(i["level1"], i["level2"], i["name"], i["target"]) for i in read.data["indicators"]] == [
        ("产出指标", "数量指标", "助餐人数", "≥300人"),
        ("产出指标", "数量指标", "助餐天数", "=250天"),
        ("产出指标", "时效指标", "送餐及时率", "≥98%"),
        ("成本指标", "经济成本指标", "每餐补贴标准", "≤15元/餐"),
        ("效益指标", "社会效益指标", "老年人生活质量", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%"),
    ]


LEVELS = (("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"))


def sixty_indicator_form() -> bytes:
    """60 indicators over two tables (the heading repeated on the second), 一级/二级 merged in
    groups of 20; dates 2023年01月01日."""
    d = docx.Document()
    d.add_paragraph("财政项目支出绩效目标填报表7")
    d.add_paragraph("（2023年度）")
    add_table(d, [
        ["项目名称", "街道综合治理", "项目类别", "经常性项目"],
        ["主管部门", "上海市松江区人民政府", "实施单位", "松江区某街道办事处"],
        ["计划开始日期", "2023年01月01日", "计划完成日期", "2023年12月31日"],
        ["项目资金（元）", "项目资金总额", "1020000", "年度资金申请总额"],
        ["^", "1020000", "其中：当年财政拨款", "1020000"],
        ["项目绩效目标", "项目总目标（2023年-2023年）", "年度总目标", "<"],
        ["^", "总目标。", "年度目标。", "<"],
    ])
    d.add_paragraph("")
    rows = [["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]]
    for i in range(30):
        level1, level2 = LEVELS[i // 20]
        rows.append(["" if i == 0 else "^", level1 if i % 20 == 0 else "^", level2 if i % 20 == 0 else "^",
                     f"第{i + 1}项指标", f"≥{i + 1}次"])
    add_table(d, rows)
    d.add_paragraph("")
    rows = [["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]]
    for i in range(30, 60):
        level1, level2 = LEVELS[i // 20]
        rows.append(["" if i == 30 else "^", level1 if i % 20 == 0 or i == 30 else "^",
                     level2 if i % 20 == 0 or i == 30 else "^", f"第{i + 1}项指标", f"≥{i + 1}次"])
    add_table(d, rows)
    return saved(d)


def test_sixty_indicators_over_three_tables():
    tables, heading = parts(sixty_indicator_form())
    assert [is_declaration(t) for t in tables] == [True, False, False]
    assert [is_indicator_table(t) for t in tables] == [False, True, True]
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert (read.title, read.number, read.year, read.unit) == ("财政项目支出绩效目标填报表7", 7, 2023, "元")
    assert read.data["project"]["start"] == dt.date(2023, 1, 1)
    assert read.data["project"]["end"] == dt.date(2023, 12, 31)
    assert read.data["project"]["implementer"] == "松江区某街道办事处"
    # 项目资金总额's value is under it (the row is full): the label over its value
    assert read.data["funding"] == {"total": Decimal("1020000"), "annual": Decimal("1020000"),
                                    "annual_appropriation": Decimal("1020000")}
    assert read.data["goals"] == {"overall": "总目标。", "annual": "年度目标。"}
    indicators = read.data["indicators"]
    assert len(indicators) == 60
    assert indicators[0] == {"level1": "产出指标", "level2": "数量指标", "name": "第1项指标", "target": "≥1次"}
    assert indicators[19] == {"level1": "产出指标", "level2": "数量指标", "name": "第20项指标", "target": "≥20次"}
    assert indicators[20] == {"level1": "效益指标", "level2": "社会效益指标", "name": "第21项指标", "target": "≥21次"}
    assert indicators[30] == {"level1": "效益指标", "level2": "社会效益指标", "name": "第31项指标", "target": "≥31次"}
    assert indicators[59] == {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "第60项指标",
                              "target": "≥60次"}
    assert [i["name"] for i in indicators] == [f"第{n}项指标" for n in range(1, 61)]


# -- a document saved by a word processor -----------------------------------------------------

def _xml(fragment: str) -> etree._Element:
    return etree.fromstring(f'<w:root xmlns:w="{W_NS}">{fragment}</w:root>')[0]


def _replace_paragraph(cell, fragment: str) -> None:
    p = cell._tc.find(W + "p")
    p.getparent().replace(p, _xml(fragment))


def word_processor_form() -> bytes:
    d = docx.Document()
    d.add_paragraph("财政项目支出绩效目标申报表")
    d.add_paragraph("（2025年度）")
    table = add_table(d, [
        ["项目名称", "x", "项目类别", "专项资金 □  经常性项目 ☑  一次性项目 □"],
        ["主管部门", "上海市青浦区教育局", "实施单位", "x"],
        ["计划开始日期", "2025-01-01", "计划完成日期", "x"],
        ["项目资金（元）", "项目资金总额", "x", "<"],
        ["^", "年度资金申请总额", "80,000.00", "<"],
        ["^", "其中：当年财政拨款", "80,000.00", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "x", "x"],
        ["产出指标", "数量指标", "删去的指标", "=1次"],
        ["效益指标", "社会效益指标", "教师满意度", "x"],
    ])
    rows = table.rows
    # the label split mid-word, with a bookmark and proofing marks; the name in a content control
    _replace_paragraph(rows[0].cells[0], (
        '<w:p><w:proofErr w:type="spellStart"/><w:r><w:t>项</w:t></w:r><w:bookmarkStart w:id="1" w:name="n"/>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t>目名</w:t></w:r><w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="1"/>'
        '<w:r><w:t>称</w:t></w:r></w:p>'))
    _replace_paragraph(rows[0].cells[1], (
        '<w:p><w:sdt><w:sdtPr><w:alias w:val="项目名称"/></w:sdtPr><w:sdtContent>'
        '<w:r><w:t>校园</w:t></w:r><w:r><w:t xml:space="preserve">安全 </w:t></w:r><w:r><w:t>建设</w:t></w:r>'
        '</w:sdtContent></w:sdt></w:p>'))
    # the implementer changed with tracked changes
    _replace_paragraph(rows[1].cells[3], (
        '<w:p><w:r><w:t>青浦区</w:t></w:r><w:del w:id="2" w:author="甲"><w:r><w:delText>旧名称中学</w:delText></w:r>'
        '</w:del><w:ins w:id="3" w:author="甲"><w:r><w:t>实验中学</w:t></w:r></w:ins></w:p>'))
    # the end date from a field's result, the total from a simple field
    _replace_paragraph(rows[2].cells[3], (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "yyyy-MM-dd" </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2025-12-</w:t></w:r><w:r><w:t>31</w:t>'
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'))
    _replace_paragraph(rows[3].cells[2], (
        '<w:p><w:fldSimple w:instr=" =SUM(BELOW) "><w:r><w:t>80,000.00</w:t></w:r></w:fldSimple></w:p>'))
    # an indicator whose name and value were edited, and a row deleted with tracked changes
    _replace_paragraph(rows[7].cells[2], (
        '<w:p><w:r><w:t>安防设</w:t></w:r><w:moveFrom w:id="4" w:author="甲"><w:r><w:t>移走的字</w:t></w:r></w:moveFrom>'
        '<w:r><w:t>备数</w:t></w:r></w:p>'))
    _replace_paragraph(rows[7].cells[3], (
        '<w:p><w:del w:id="5" w:author="甲"><w:r><w:delText>≤</w:delText></w:r></w:del>'
        '<w:ins w:id="6" w:author="甲"><w:r><w:t>≥</w:t></w:r></w:ins><w:r><w:t>20台</w:t></w:r></w:p>'))
    trpr = rows[8]._tr.get_or_add_trPr()
    trpr.append(_xml('<w:del w:id="7" w:author="甲"/>'))
    # a value typed in a text box in its cell
    _replace_paragraph(rows[9].cells[3], (
        '<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>提升</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>'))
    return saved(d)


def test_word_processor_markup():
    tables, heading = parts(word_processor_form())
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert read.data["project"] == {
        "name": "校园安全 建设", "category": "经常性项目", "authority": "上海市青浦区教育局",
        "implementer": "青浦区实验中学", "start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31), "year": 2025,
    }
    assert read.data["funding"] == {"total": Decimal("80000.00"), "annual": Decimal("80000.00"),
                                    "annual_appropriation": Decimal("80000.00")}
    assert read.data["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "安防设备数", "target": "≥20台"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "教师满意度", "target": "提升"},
    ]
    everything = repr(read)
    for gone in ("旧名称中学", "移走的字", "删去的指标", "≤", "DATE", "SUM"):
        assert gone not in everything


# -- what cannot be read --------------------------------------------------------------------------

def test_unreadable_values_are_listed_with_their_place_never_guessed():
    d = docx.Document()
    d.add_paragraph("财政项目支出绩效目标申报表")
    add_table(d, [
        ["项目名称", "测试项目", "项目性质", "长期项目"],
        ["项目类别", "☑专项资金 ☑经常性项目", "实施单位", "某中心"],
        ["计划开始日期", "2023年13月1日", "计划完成日期", "年底"],
        ["项目资金（万元）", "项目资金总额", "约30万", "<"],
        ["^", "年度资金申请总额", "12.3456789", "<"],
        ["^", "其中:财政资金", "30", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "次数", "≥ 3 次（暂定）"],
        ["跨四栏的一行文字", "<", "<", "<"],
        ["备注：以上为暂定", "<", "<", "<"],
    ])
    tables, heading = parts(saved(d))
    read = read_declaration(tables, label="x", heading=heading)
    assert [(u.key, u.text, u.where) for u in read.unread] == [
        ("project.nature", "长期项目", "第 1 个表格第 1 行"),
        ("project.category", "☑专项资金 ☑经常性项目", "第 1 个表格第 2 行"),
        ("project.start", "2023年13月1日", "第 1 个表格第 3 行"),
        ("project.end", "年底", "第 1 个表格第 3 行"),
        ("funding.total", "约30万", "第 1 个表格第 4 行"),
        ("funding.annual", "12.3456789", "第 1 个表格第 5 行"),
        ("indicators[1]", "跨四栏的一行文字", "第 1 个表格第 9 行"),
    ]
    assert read.data["project"] == {"name": "测试项目", "implementer": "某中心"}
    # 财政资金 under 年度资金申请总额 in its column: the year's appropriation
    assert read.data["funding"] == {"annual_appropriation": Decimal("300000")}
    # a value that cannot be told apart is kept verbatim
    assert read.data["indicators"] == [{"level1": "产出指标", "level2": "数量指标", "name": "次数",
                                        "target": "≥ 3 次（暂定）"}]


def test_no_unit_printed_amounts_are_not_guessed():
    d = docx.Document()
    add_table(d, [
        ["项目名称", "无单位项目", "实施单位", "某中心"],
        ["项目资金", "项目资金总额", "300000", "<"],
        ["^", "年度资金申请总额", "30万元", "<"],
    ])
    tables, heading = parts(saved(d))
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unit == ""
    assert read.data["funding"] == {"annual": Decimal("300000")}  # the amount that says its unit
    assert [(u.key, u.text, u.where) for u in read.unread] == [("funding.total", "300000", "第 1 个表格第 2 行")]


def test_a_selfeval_an_index_or_a_meeting_note_is_no_declaration():
    d = docx.Document()
    add_table(d, [["会议名称", "周例会"], ["时间", "2023年1月1日"]])
    add_table(d, [["项目名称", "x"], ["实施单位", "y"], ["项目资金（万元）", "年初预算数"], ["^", "全年执行数"]])
    # a 汇总表's index of projects
    add_table(d, [["序号", "项目名称", "项目类别", "年度资金申请总额（元）"], ["1", "人才系列计划", "特定目标类", "600,000.00"],
                  ["合计", "<", "<", "600,000.00"]])
    tables, _ = parts(saved(d))
    assert [is_declaration(t) for t in tables] == [False, False, False]
    assert [is_indicator_table(t) for t in tables] == [False, False, False]


def test_funding_as_headings_over_values_and_the_unit_above_the_table():
    d = docx.Document()
    d.add_paragraph("财政项目支出绩效目标申报表")
    d.add_paragraph("单位：万元")
    add_table(d, [
        ["项目名称", "道路养护", "<", "<", "<"],
        ["实施单位", "某区路政所", "<", "<", "<"],
        ["项目资金", "项目资金总额", "财政资金", "其他资金", ""],
        ["^", "120", "100", "20", ""],
        ["^", "年度资金申请总额", "当年财政拨款", "上年结转资金", "其他资金"],
        ["^", "45.5", "30", "5.5", "10"],
    ])
    tables, heading = parts(saved(d))
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert read.unit == "万元"
    assert read.data["funding"] == {
        "total": Decimal("1200000"), "total_fiscal": Decimal("1000000"), "total_other": Decimal("200000"),
        "annual": Decimal("455000"), "annual_appropriation": Decimal("300000"),
        "annual_carryover": Decimal("55000"), "annual_other": Decimal("100000"),
    }


def test_an_empty_value_is_not_taken_from_the_row_below():
    d = docx.Document()
    add_table(d, [
        ["项目名称", "道路养护", "项目类别", ""],
        ["主管部门", "某区建设局", "实施单位", "某区路政所"],
        ["计划开始日期", "2023-01-01", "计划完成日期", "2023-12-31"],
    ])
    tables, heading = parts(saved(d))
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert read.data["project"] == {"name": "道路养护", "authority": "某区建设局", "implementer": "某区路政所",
                                    "start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)}


EDGE_PROJECT = '''
[project]
name = "“两新”党建（二期）"
year = 2026
nature = "阶段性项目"
category = "专项资金"
authority = "上海市闵行区财政局"
implementer = "闵行区社区服务中心"
start = 2024-01-01
end = 2026-12-31

[funding]
total = "10,308,000.00"
total_fiscal = "10,000,000.00"
total_other = "308,000.00"
annual = "3,498,000.55"
annual_appropriation = "3,000,000.55"
annual_carryover = "498,000.00"
annual_other = 0

[goals]
period = [2024, 2026]
overall = """第一段：“引号”、（括号）；分号。

  第二段 with ASCII, 100%."""
annual = "年度目标"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "服务人次"
target = "≥123456789人次/年"

[[indicators]]
level1 = "产出指标"
level2 = "时效指标"
name = "补贴发放"
target = "按实际工作人数按月足额发放，全年不少于12次，覆盖全部在职人员及退休人员"
'''


@pytest.mark.parametrize("layout", ["shanghai", "huacao-2022", "songjiang-2022"])
def test_a_multi_year_project_with_long_values_in_each_layout(layout):
    from perfdoc.load import load_project_text

    project, problems = load_project_text(EDGE_PROJECT, Path("项目.toml"))
    assert project is not None, problems
    tables, heading = parts(to_bytes(build_declaration(project, find_template(layout), number=12)))
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert read.layout == layout
    assert read.number == (12 if layout == "songjiang-2022" else None)
    expected = {"name": "“两新”党建（二期）", "category": "专项资金", "authority": "上海市闵行区财政局",
                "implementer": "闵行区社区服务中心", "start": dt.date(2024, 1, 1), "end": dt.date(2026, 12, 31),
                "year": 2026}
    if layout == "shanghai":
        expected["nature"] = "阶段性项目"
    assert read.data["project"] == expected
    assert read.data["funding"] == {
        "total": Decimal("10308000.00"), "total_fiscal": Decimal("10000000.00"), "total_other": Decimal("308000.00"),
        "annual": Decimal("3498000.55"), "annual_appropriation": Decimal("3000000.55"),
        "annual_carryover": Decimal("498000.00"), "annual_other": Decimal("0"),
    }
    assert read.printed["funding.annual"] == {"shanghai": "3,498,000.55", "huacao-2022": "349.800055",
                                              "songjiang-2022": "3498000.55"}[layout]
    assert read.data["goals"] == {"period": [2024, 2026], "overall": "第一段：“引号”、（括号）；分号。\n第二段 with ASCII, 100%.",
                                  "annual": "年度目标"}
    targets = [i["target"] for i in read.data["indicators"]]
    assert targets == [
        "≥123456789.00(人次/年)" if layout == "shanghai" else "≥123456789人次/年",
        "按实际工作人数按月足额发放，全年不少于12次，覆盖全部在职人员及退休人员",
    ]


def test_a_form_without_indicators_has_none():
    from perfdoc.load import load_project_text

    text = EDGE_PROJECT.split("[[indicators]]")[0]
    project, problems = load_project_text(text, Path("项目.toml"))
    tables, heading = parts(to_bytes(build_declaration(project, find_template("shanghai"))))
    read = read_declaration(tables, label="x", heading=heading)
    assert read.unread == []
    assert read.data["indicators"] == []


@pytest.mark.parametrize(("boxes", "layout", "category"), [
    ("专项资金 □  经常性项目 ☑  一次性项目 □", "huacao-2022", "经常性项目"),
    ("专项资金 □  经常性项目 □  一次性项目 □  党建项目 ☑", "huacao-2022", "党建项目"),
    ("特定目标类 ☑  其他 □", None, "特定目标类"),
])
def test_the_check_box_layout_is_told_by_the_template_options(boxes, layout, category):
    d = docx.Document()
    d.add_paragraph("财政项目支出绩效目标申报表")
    d.add_paragraph("（2022年度）")
    add_table(d, [
        ["项目名称", "某项目", "项目类别", boxes],
        ["主管部门", "某镇人民政府", "实施单位", "某中心"],
        ["项目绩效目标", "项目总目标（2022年-2022年）", "年度总体目标", "<"],
        ["^", "总目标", "年度", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
    ])
    tables, heading = parts(saved(d))
    read = read_declaration(tables, label="x", heading=heading)
    assert (read.layout, read.data["project"]["category"]) == (layout, category)
