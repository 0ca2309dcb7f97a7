"""项目经费情况说明 (perfdoc/render/narrative.py) against the 2022 松江 seed narratives.

The expected texts are copied from the real submission 中共上海市松江区区级机关工作委员会
《2022年财政支出项目绩效目标申报表》 (项目经费情况说明1..4); each built document is saved, reopened with python-docx
and read back.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from perfdoc.load import load_paths, load_project_text
from perfdoc.model import Money, ProjectFile
from perfdoc.render.document import to_bytes
from perfdoc.render.docxml import W_NS
from perfdoc.render.narrative import HEADINGS, build_narrative, narrative_xml
from perfdoc.render.template import Template, find_template

ROOT = Path(__file__).resolve().parent.parent
SONGJIANG = ROOT / "projects" / "2022-songjiang"
W = f"{{{W_NS}}}"

#: The seed's numbering: 项目经费情况说明N ↔ project file.
SEED_NUMBERS = {"党组织建设": 1, "宣传与推广": 2, "业务培训": 3, "疫情防控": 4}

#: 项目经费情况说明1, section by section, as printed in the seed (leading blanks
#: removed; the seed's stray space in “共同组 织实施” is a PDF artefact).
PARTY_BUILDING = {
    "一、项目概述": [
        "区区级机关工作党委拟于2022年1月至2022年12月实施党组织建设项目，主要实施内容为建设“1号先锋”党建品牌，"
        "以及各基层党组织特色党建品牌；加强本委和基层党组织阵地建设，加强各基层党支部建设；组织开展机关群团工作，"
        "以党建带群建；保障机关党员活动室的运行维护等。经测算，预算资金102万元，现将项目的事前绩效评估情况报告如下：",
    ],
    "二、立项依据": [
        "1.文件依据：《中国共产党党和国家机关基层组织工作条例》和《中共上海市委关于贯彻〈中国共产党党和国家机关基层组织工作条例〉的实施办法》、"
        "《中国共产党党组工作条例》、《中国共产党组织工作条例》等文件精神。",
        "2.工作职能：区级机关工作党委是区委主管区级机关党的工作的工作机关，主要职责有贯彻执行党的路线、方针、政策及区委的决策和工作部署，"
        "研究制定区级机关党的建设规划及其相关工作并组织实施；负责区级机关系统党建工作，指导区级机关各基层党组织做好党的思想政治建设、"
        "宣传工作和精神文明建设；负责区级机关党的纪律检查工作、领导区级机关系统工会、共青团、妇女等群众团体的工作等。",
    ],
    "三、实施主体": ["区级机关工作党委组织科、纪检科"],
    "四、实施方案": [
        "实施内容和计划：项目内容主要指党建阵地建设和群团工作这两大部分，其中以创建“1号先锋”党建品牌为主要内容的党建阵地建设贯穿全年，"
        "有“1号先锋”品牌和各基层党组织品牌建设、组织基地建设、“七一”主题活动以及赴外地、外区进行党建调研、公益助学、以及微信公众号运维等。"
        "群团工作是以党建带群建的方式，在“三八”节、“五四”节前后与机关妇联、机关团工委联合组织相关活动，另外每年暑期与团区委共同组织实施“爱心暑托班”。",
    ],
    "五、实施周期": ["从2022年1月至2022年12月。"],
    "六、年度预算安排": [
        "1.资金测算：按照往年的活动规模与参加人数，整个项目预算为102万，其中党建阵地建设预算56万，群团工作预算为46万。",
        "2.资金类型：项目所需预算资金来源均为财政拨款。",
        "3.执行计划：根据本项目的实施情况来看，党建阵地建设需要全年逐步推进；群团工作是针对相关活动的时间节点分别在3月、5月和8月完成。",
    ],
    "七、绩效目标": ["（包括总目标、年度目标、分解目标等，具体见表格）"],
}

GOALS_NOTE = "（包括总目标、年度目标、分解目标等，具体见表格）"


# -- helpers ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def songjiang() -> dict[str, ProjectFile]:
    result = load_paths([SONGJIANG])
    assert not result.fatal
    (department,) = result.departments
    projects = {p.key: p for p in department.ordered_projects()}
    assert set(projects) == set(SEED_NUMBERS)
    return projects


@pytest.fixture(scope="module")
def template() -> Template:
    return find_template("songjiang-2022")


def reopen(document) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_bytes(document)))


def paragraphs(document) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, after a save and reopen."""
    return [(p.style.style_id, p.text) for p in reopen(document).paragraphs]


def sections(document) -> tuple[str, dict[str, list[str]]]:
    """The title and, per heading, the body paragraphs below it."""
    paras = paragraphs(document)
    (title_style, title), rest = paras[0], paras[1:]
    assert title_style == "PDNarrativeTitle"
    out: dict[str, list[str]] = {}
    current = None
    for style, text in rest:
        if style == "PDHeading":
            current = text
            out[current] = []
        else:
            assert style == "PDBody", (style, text)
            assert current is not None
            out[current].append(text)
    return title, out


def render(project: ProjectFile, template: Template, **kwargs) -> tuple[str, dict[str, list[str]]]:
    return sections(build_narrative(project, template, **kwargs))


def project_text(key: str) -> str:
    return (SONGJIANG / f"{key}.toml").read_text(encoding="utf-8")


def load_text(text: str) -> ProjectFile:
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    return project


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def without_narrative(text: str) -> str:
    """The project file cut before its first [narrative…] table."""
    match = re.search(r"^\[narrative", text, re.M)
    assert match
    return text[: match.start()]


# -- the four seed narratives ----------------------------------------------------------

@pytest.mark.parametrize("key", list(SEED_NUMBERS))
def test_title_numbered_and_headings_in_order(songjiang, template, key):
    number = SEED_NUMBERS[key]
    title, body = render(songjiang[key], template, number=number)
    assert title == f"项目经费情况说明{number}"
    assert list(body) == list(HEADINGS)
    assert HEADINGS == ("一、项目概述", "二、立项依据", "三、实施主体", "四、实施方案",
                        "五、实施周期", "六、年度预算安排", "七、绩效目标")


def test_title_without_number(songjiang, template):
    title, _ = render(songjiang["党组织建设"], template)
    assert title == "项目经费情况说明"


def test_title_with_name_in_shanghai_template(songjiang):
    title, body = render(songjiang["党组织建设"], find_template("shanghai"), number=1)
    assert title == "党组织建设项目经费情况说明"
    assert list(body) == list(HEADINGS)


def test_party_building_is_the_seed_text(songjiang, template):
    _, body = render(songjiang["党组织建设"], template, number=1)
    assert body == PARTY_BUILDING


def test_overview_sentence_exact(songjiang, template):
    _, body = render(songjiang["党组织建设"], template, number=1)
    assert body["一、项目概述"] == [
        "区区级机关工作党委拟于2022年1月至2022年12月实施党组织建设项目，主要实施内容为建设“1号先锋”党建品牌，"
        "以及各基层党组织特色党建品牌；加强本委和基层党组织阵地建设，加强各基层党支部建设；组织开展机关群团工作，"
        "以党建带群建；保障机关党员活动室的运行维护等。经测算，预算资金102万元，现将项目的事前绩效评估情况报告如下："
    ]


def test_other_overviews_use_data_amounts(songjiang, template):
    # The seed writes “约29万元”/“约2万元” and “，经测算”: perfdoc writes the sentence from the data.
    expected = {
        "宣传与推广": "区级机关工作党委拟于2022年1月至2022年12月实施宣传与推广项目，主要实施内容为精神文明建设项目和宣传资料购买。"
                 "经测算，预算资金32万元，现将项目的事前绩效评估情况报告如下：",
        "业务培训": "区级机关工作党委拟于2022年1月至2022年12月实施业务培训项目，主要实施内容为党组织书记和条线干部培训，"
                "以及机关年轻干部党性锻炼训练营。经测算，预算资金29万元，现将项目的事前绩效评估情况报告如下：",
        "疫情防控": "区级机关工作党委拟于2022年1月至2022年12月实施疫情防控项目，主要实施内容为应对新冠疫情的相关物资购买。"
                "经测算，预算资金2万元，现将项目的事前绩效评估情况报告如下：",
    }
    for key, sentence in expected.items():
        _, body = render(songjiang[key], template, number=SEED_NUMBERS[key])
        assert body["一、项目概述"] == [sentence]


def test_epidemic_single_paragraph_budget(songjiang, template):
    _, body = render(songjiang["疫情防控"], template, number=4)
    assert body["六、年度预算安排"] == ["根据疫情实际发生情况，进行防疫物资购买及防疫志愿者慰问。"]
    assert body["五、实施周期"] == ["2022年1月至12月"]
    assert body["三、实施主体"] == ["区级机关党委办公室"]
    assert body["七、绩效目标"] == [
        "通过实施该项目做好新冠疫情防控工作，提高自我防范能力;在发动机关党员干部志愿者参加社区、道口抗疫、"
        "开展“我为群众办实事”中做好相关物资保障。",
        GOALS_NOTE,
    ]


def test_publicity_sections(songjiang, template):
    _, body = render(songjiang["宣传与推广"], template, number=2)
    assert body["五、实施周期"] == ["实施周期：2022年1月至12月"]
    assert body["六、年度预算安排"] == [
        "1.资金测算：根据往年惯例，第一部分预算为20万元，第二部分12万元。",
        "2.资金类型：预算资金来源为财政拨款。",
        "3.执行计划：该项目涉及为全年工作，按照年度计划每季度推进并做好绩效跟踪。",
    ]
    assert body["七、绩效目标"][-1] == GOALS_NOTE
    assert len(body["七、绩效目标"]) == 2


# -- data drives the fixed sentences ----------------------------------------------------

def test_amount_follows_annual_funding(template):
    text = project_text("党组织建设")
    text = replace_once(text, "annual = 1020000 ", "annual = 1023400 ")
    _, body = render(load_text(text), template, number=1)
    (sentence,) = body["一、项目概述"]
    assert "经测算，预算资金102.34万元，" in sentence
    assert "102万元" not in sentence


def test_amount_follows_model_change(songjiang, template):
    project = load_text(project_text("疫情防控"))
    project.model.funding.annual = Money(1023400)
    _, body = render(project, template)
    assert "预算资金102.34万元" in body["一、项目概述"][0]


def test_amount_in_wan_unit(template):
    text = project_text("业务培训")
    text = replace_once(text, '[funding]                    # 单位：元，照表填写',
                        '[funding]\nunit = "万元"')
    for old, new in [("= 290000 ", "= 29 "), ('"290000.00"', '"29.5"'), ("= 290000\n", "= 29\n")]:
        text = text.replace(old, new)
    _, body = render(load_text(text), template)
    assert "预算资金29.5万元" in body["一、项目概述"][0]


def test_dates_and_subject_follow_project(template):
    text = project_text("疫情防控")
    text = replace_once(text, "start = 2022-01-01", "start = 2022-03-15")
    text = replace_once(text, "end = 2022-12-31", "end = 2023-06-30")
    text = replace_once(text, 'subject = "区级机关工作党委"\n', "")
    text = replace_once(text, 'period = "2022年1月至12月"\n', "")
    _, body = render(load_text(text), template)
    assert body["一、项目概述"][0].startswith(
        "中共上海市松江区区级机关工作委员会拟于2022年3月至2023年6月实施疫情防控项目，主要实施内容为应对新冠疫情的相关物资购买。"
    )
    assert body["五、实施周期"] == ["从2022年3月至2023年6月。"]


@pytest.mark.parametrize("tail", ["。", "；", "，", "。\n", "；。 "])
def test_overview_trailing_punctuation_dropped(template, tail):
    text = project_text("疫情防控")
    text = replace_once(text, 'overview = "应对新冠疫情的相关物资购买"',
                        f'overview = """应对新冠疫情的相关物资购买{tail}"""')
    _, body = render(load_text(text), template)
    assert "主要实施内容为应对新冠疫情的相关物资购买。经测算" in body["一、项目概述"][0]


# -- user text is data, never template source, never XML ----------------------------------

def test_user_template_syntax_prints_literally(template):
    text = project_text("疫情防控")
    text = replace_once(text, 'overview = "应对新冠疫情的相关物资购买"',
                        'overview = "购买{{ name }}物资{% if x %}甲{% endif %}和{# 注 #}"')
    text = replace_once(text, 'implementer = "区级机关党委办公室"', 'implementer = "{{ subject }}办公室"')
    _, body = render(load_text(text), template)
    assert "主要实施内容为购买{{ name }}物资{% if x %}甲{% endif %}和{# 注 #}。经测算" in body["一、项目概述"][0]
    assert body["三、实施主体"] == ["{{ subject }}办公室"]


def test_subject_with_template_syntax_prints_literally(template):
    text = project_text("疫情防控")
    text = replace_once(text, 'subject = "区级机关工作党委"', 'subject = "{{ annual_wan }}科"')
    _, body = render(load_text(text), template)
    assert body["一、项目概述"][0].startswith("{{ annual_wan }}科拟于2022年1月")


def test_xml_special_characters(template):
    text = project_text("疫情防控")
    text = replace_once(text, 'implementer = "区级机关党委办公室"',
                        'implementer = "A&B <科> \\"办\\" ]]> &amp;"')
    _, body = render(load_text(text), template)
    assert body["三、实施主体"] == ['A&B <科> "办" ]]> &amp;']


# -- missing sections and sub-items ---------------------------------------------------------

def test_project_without_narrative(template):
    project = load_text(without_narrative(project_text("疫情防控")))
    assert project.model.narrative is None
    title, body = render(project, template, number=7)
    assert title == "项目经费情况说明7"
    assert list(body) == list(HEADINGS)
    assert body["一、项目概述"] == [
        "中共上海市松江区区级机关工作委员会拟于2022年1月至2022年12月实施疫情防控项目。"
        "经测算，预算资金2万元，现将项目的事前绩效评估情况报告如下："
    ]
    assert body["五、实施周期"] == ["从2022年1月至2022年12月。"]
    assert body["七、绩效目标"] == [GOALS_NOTE]
    for heading in ("二、立项依据", "三、实施主体", "四、实施方案", "六、年度预算安排"):
        assert body[heading] == [], heading


def test_empty_narrative_table(template):
    project = load_text(without_narrative(project_text("疫情防控")) + '\n[narrative]\nimplementer = "  "\n')
    _, body = render(project, template)
    assert body["三、实施主体"] == []
    assert body["五、实施周期"] == ["从2022年1月至2022年12月。"]


def test_sub_items_numbered_consecutively(template):
    text = without_narrative(project_text("疫情防控")) + '''
[narrative.basis]
duties = "工作职能文字。"

[narrative.budget]
source = "财政拨款。"
schedule = "全年实施。"
'''
    _, body = render(load_text(text), template)
    assert body["二、立项依据"] == ["1.工作职能：工作职能文字。"]
    assert body["六、年度预算安排"] == ["1.资金类型：财政拨款。", "2.执行计划：全年实施。"]


def test_basis_as_plain_text(template):
    text = without_narrative(project_text("疫情防控")) + '''
[narrative.basis]
text = """
区发改委《关于疫情防控项目的批复》。

1.《传染病防治法》
2.市委相关会议精神
"""
'''
    _, body = render(load_text(text), template)
    assert body["二、立项依据"] == [
        "区发改委《关于疫情防控项目的批复》。",
        "1.《传染病防治法》",
        "2.市委相关会议精神",
    ]


def test_multi_paragraph_texts(template):
    text = without_narrative(project_text("疫情防控")) + '''
[narrative]
plan = """
第一阶段采购物资，
分批发放。

第二阶段慰问志愿者。
1.社区
2.道口
"""
goals = """
做好防控。

保障物资。
"""

[narrative.budget]
calculation = """
物资1万元。

慰问1万元。
"""
'''
    _, body = render(load_text(text), template)
    assert body["四、实施方案"] == [
        "实施内容和计划：第一阶段采购物资，",
        "分批发放。",
        "第二阶段慰问志愿者。",
        "1.社区",
        "2.道口",
    ]
    assert body["六、年度预算安排"] == ["1.资金测算：物资1万元。", "慰问1万元。"]
    assert body["七、绩效目标"] == ["做好防控。", "保障物资。", GOALS_NOTE]


# -- XML: styles, keepNext, page break, fonts -----------------------------------------------

def _body_xml(document) -> etree._Element:
    data = to_bytes(document)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_paragraph_styles_and_keep_next(songjiang, template):
    root = _body_xml(build_narrative(songjiang["党组织建设"], template, number=1))
    paras = root.findall(f"{W}body/{W}p")
    styles = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in paras]
    assert styles[0] == "PDNarrativeTitle"
    assert styles.count("PDHeading") == 7
    assert set(styles[1:]) == {"PDHeading", "PDBody"}
    for p, style in zip(paras, styles):
        keep = p.find(f"{W}pPr/{W}keepNext") is not None
        assert keep == (style in ("PDHeading", "PDNarrativeTitle"))
        # Fonts come from the styles: runs carry no rFonts of their own.
        assert p.find(f".//{W}rPr/{W}rFonts") is None
        assert p.find(f"{W}pPr/{W}pageBreakBefore") is None


def test_styles_fonts(songjiang, template):
    data = to_bytes(build_narrative(songjiang["党组织建设"], template, number=1))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))

    def east_asia(style_id: str) -> str:
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        assert style is not None, style_id
        return style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")

    assert east_asia("PDBody") == "仿宋"
    assert east_asia("PDHeading") == "黑体"


def test_page_break_before(songjiang, template):
    project = songjiang["党组织建设"]
    plain = narrative_xml(project, template, number=1)
    broken = narrative_xml(project, template, number=1, page_break_before=True)
    assert len(plain) == len(broken)
    assert "<w:pageBreakBefore/>" in broken[0]
    assert not any("pageBreakBefore" in x for x in plain)
    assert broken[1:] == plain[1:]


def test_narrative_xml_is_paragraphs(songjiang, template):
    parts = narrative_xml(songjiang["业务培训"], template, number=3)
    assert all(p.startswith("<w:p>") and p.endswith("</w:p>") for p in parts)
    assert "项目经费情况说明3" in parts[0]


def test_several_narratives_in_one_document(songjiang, template):
    from perfdoc.render.docxml import append
    from perfdoc.render.document import new_document

    document = new_document(template.reference)
    for key, number in SEED_NUMBERS.items():
        append(document, *narrative_xml(songjiang[key], template, number=number, page_break_before=number > 1))
    titles = [t for s, t in paragraphs(document) if s == "PDNarrativeTitle"]
    assert titles == [f"项目经费情况说明{n}" for n in (1, 2, 3, 4)]


# -- determinism ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", list(SEED_NUMBERS))
def test_deterministic_bytes(template, key):
    def build() -> bytes:
        (department,) = load_paths([SONGJIANG]).departments
        project = next(p for p in department.projects if p.key == key)
        fresh = Template.load(template.folder)
        return to_bytes(build_narrative(project, fresh, number=SEED_NUMBERS[key]))

    assert build() == build()
