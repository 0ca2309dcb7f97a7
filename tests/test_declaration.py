"""财政项目支出绩效目标申报表 (perfdoc/render/declaration.py), read back from the saved file.

Every example project of projects/2026-hongqiao, 2022-huacao and 2022-songjiang
is built, saved with to_bytes, reopened with python-docx and checked at the XML
level (lxml): title and year line, the cells of the heading rows, the grid and
spans, the vertical merges of the 一级/二级 columns against the indicator
groups, the repeated heading row, w:cantSplit, the effective East Asian font,
the amounts as each variant prints them.  Then the edges: no indicators, 150
indicators with 50 KB of goal text, odd characters, byte-identical rebuilds,
linear time.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from lxml import etree
from printed_examples import ORDER, TARGETS

from perfdoc.load import load_paths, load_project_text
from perfdoc.model import ProjectFile
from perfdoc.render.declaration import build_declaration, declaration_xml
from perfdoc.render.document import to_bytes
from perfdoc.render.docxml import W_NS
from perfdoc.render.template import Template, TemplateError, find_template

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "projects"
BASE = (Path(__file__).parent / "rules" / "_base.toml").read_text(encoding="utf-8")
W = f"{{{W_NS}}}"
TEXT_WIDTH = 9298  # A4 less two 2.3 cm margins, in twips
FOLDERS = ("2026-hongqiao", "2022-huacao", "2022-songjiang")
TABLE_STYLES = {"PDTable", "PDTableLeft", "PDTableHead"}


# -- loading and reading back -----------------------------------------------------------

_DEPARTMENTS: dict[str, object] = {}


def _department(folder: str):
    if folder not in _DEPARTMENTS:
        result = load_paths([PROJECTS / folder])
        assert len(result.departments) == 1, result.problems
        _DEPARTMENTS[folder] = result.departments[0]
    return _DEPARTMENTS[folder]


def _template(folder: str) -> Template:
    dep = _department(folder)
    return find_template(dep.model.layout.template, dep.path)


def _examples() -> list[tuple[str, str, int]]:
    """(folder, project key, number of its form) in the order of the 汇总表, written out."""
    return [(folder, key, number) for folder in FOLDERS for number, key in enumerate(ORDER[folder], start=1)]


def _project(folder: str, key: str) -> ProjectFile:
    return next(p for p in _department(folder).projects if p.key == key)


def _base_project(text: str = BASE) -> ProjectFile:
    project, problems = load_project_text(text, Path("项目.toml"))
    assert project is not None, problems
    return project


class Built:
    """A saved form, reopened: body children, the two tables, styles.xml."""

    def __init__(self, data: bytes):
        self.data = data
        self.document = docx.Document(io.BytesIO(data))
        body = self.document.element.body
        self.children = [c for c in body if c.tag != W + "sectPr"]
        self.tables = [c for c in self.children if c.tag == W + "tbl"]
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.styles = etree.fromstring(z.read("word/styles.xml"))

    @property
    def form(self):
        return self.tables[0]

    @property
    def indicators(self):
        return self.tables[1]


def _build(project: ProjectFile, template: Template, number: int | None = None) -> Built:
    return Built(to_bytes(build_declaration(project, template, number=number)))


def rows(tbl) -> list:
    return tbl.findall(W + "tr")


def cells(tr) -> list:
    return tr.findall(W + "tc")


def para_text(p) -> str:
    out = []
    for r in p.iter(W + "r"):
        for child in r:
            if child.tag == W + "t":
                out.append(child.text or "")
            elif child.tag == W + "br":
                out.append("\n")
            elif child.tag == W + "tab":
                out.append("\t")
    return "".join(out)


def text(el) -> str:
    """Text of a cell (paragraphs joined with \\n) or a paragraph."""
    if el.tag == W + "p":
        return para_text(el)
    return "\n".join(para_text(p) for p in el.findall(W + "p"))


def flat(el) -> str:
    """Text without the line breaks chosen for layout."""
    return text(el).replace("\n", "")


def row_texts(tr) -> list[str]:
    return [flat(tc) for tc in cells(tr)]


def span(tc) -> int:
    g = tc.find(f"{W}tcPr/{W}gridSpan")
    return int(g.get(W + "val")) if g is not None else 1


def vmerge(tc) -> str | None:
    v = tc.find(f"{W}tcPr/{W}vMerge")
    if v is None:
        return None
    return v.get(W + "val") or "continue"


def row_has(tr, prop: str) -> bool:
    return tr.find(f"{W}trPr/{W}{prop}") is not None


def grid(tbl) -> list[int]:
    return [int(g.get(W + "w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]


def merge_runs(tbl, column: int, first_row: int = 1) -> list[int]:
    """Lengths of the vertical merges in ``column`` from ``first_row`` on (every cell must take part)."""
    runs: list[int] = []
    for tr in rows(tbl)[first_row:]:
        state = vmerge(cells(tr)[column])
        if state == "restart":
            runs.append(1)
        else:
            assert state == "continue", f"cell without vMerge in column {column}"
            assert runs, "a merge continues without a restart"
            runs[-1] += 1
    return runs


def expected_groups(project: ProjectFile) -> tuple[list[int], list[int]]:
    inds = project.model.indicators
    level1 = [len(list(g)) for _, g in itertools.groupby(inds, key=lambda i: i.level1.strip())]
    level2 = [len(list(g)) for _, g in itertools.groupby(inds, key=lambda i: (i.level1.strip(), i.level2.strip()))]
    return level1, level2


def east_asian_font(styles, style_id: str) -> str | None:
    """The w:eastAsia font a paragraph of ``style_id`` gets: its style, then basedOn, then docDefaults."""
    by_id = {s.get(W + "styleId"): s for s in styles.findall(W + "style")}
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = by_id.get(style_id)
        if style is None:
            break
        fonts = style.find(f"{W}rPr/{W}rFonts")
        if fonts is not None and fonts.get(W + "eastAsia"):
            return fonts.get(W + "eastAsia")
        based = style.find(W + "basedOn")
        style_id = based.get(W + "val") if based is not None else None
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return fonts.get(W + "eastAsia") if fonts is not None else None


def money_as_printed(folder: str, amount) -> str:
    """Each variant's way of printing an amount, written out independently of perfdoc."""
    yuan = amount.yuan
    if folder == "2026-hongqiao":
        return f"{yuan:,.2f}"
    if folder == "2022-huacao":
        return f"{yuan / Decimal(10000):.2f}"
    return f"{yuan:.0f}"


# -- every example project ------------------------------------------------------------------

EXAMPLES = _examples()


@pytest.fixture(scope="module")
def built() -> dict[tuple[str, str], Built]:
    out = {}
    for folder, key, number in EXAMPLES:
        out[(folder, key)] = _build(_project(folder, key), _template(folder), number)
    return out


def test_examples_found():
    counts = {folder: sum(1 for f, _, _ in EXAMPLES if f == folder) for folder in FOLDERS}
    assert counts == {"2026-hongqiao": 9, "2022-huacao": 1, "2022-songjiang": 4}


@pytest.mark.parametrize("folder,key,number", EXAMPLES, ids=[f"{f}/{k}" for f, k, _ in EXAMPLES])
class TestExample:
    def test_body_order_title_and_year(self, built, folder, key, number):
        b = built[(folder, key)]
        tags = [c.tag.split("}")[1] for c in b.children]
        assert tags == ["p", "p", "tbl", "p", "tbl"]
        title, year, _, spacer, _ = b.children
        project = _project(folder, key)
        expected_title = {
            "2022-songjiang": f"财政项目支出绩效目标填报表{number}",
        }.get(folder, "财政项目支出绩效目标申报表")
        assert text(title) == expected_title
        assert title.find(f"{W}pPr/{W}pStyle").get(W + "val") == "PDTitle"
        assert text(year) == f"（{project.model.project.year}年度）"
        assert year.find(f"{W}pPr/{W}pStyle").get(W + "val") == "PDYear"
        # the paragraph between the tables shows nothing
        assert text(spacer) == ""
        assert spacer.find(f"{W}pPr/{W}spacing").get(W + "line") == "2"

    def test_heading_rows(self, built, folder, key, number):
        b = built[(folder, key)]
        project = _project(folder, key)
        info = project.model.project
        variant = _template(folder).variant
        form = rows(b.form)
        assert len(form) == 9
        first = row_texts(form[0])
        if folder == "2026-hongqiao":
            assert first == ["项目名称", info.name, "项目性质", info.nature, "项目类别", info.category]
        elif folder == "2022-huacao":
            assert first[:3] == ["项目名称", info.name, "项目类别"]
            category = re.sub(r"\s*\n\s*", "  ", text(cells(form[0])[3]))
            assert category == "专项资金 □  经常性项目 ☑  一次性项目 □"
        else:
            assert first == ["项目名称", info.name, "项目类别", info.category]
        assert row_texts(form[1]) == ["主管部门", project.authority, "实施单位", info.implementer]
        assert project.authority  # from department.toml
        assert row_texts(form[2]) == ["计划开始日期", info.start.isoformat(), "计划完成日期", info.end.isoformat()]
        start, end = project.model.period
        assert row_texts(form[7]) == ["项目绩效目标", f"项目总目标（{start}年-{end}年）", variant.annual_goal_heading]
        heading = rows(b.indicators)[0]
        assert row_texts(heading) == ["绩效指标", "一级指标", "二级指标", "三级指标", variant.indicator_value_heading]

    def test_funding_block(self, built, folder, key, number):
        b = built[(folder, key)]
        f = _project(folder, key).model.funding
        money = lambda m: money_as_printed(folder, m)  # noqa: E731
        form = rows(b.form)
        unit = "万元" if folder == "2022-huacao" else "元"
        assert row_texts(form[3]) == [f"项目资金（{unit}）", "项目资金总额", money(f.total), "年度资金申请总额", money(f.annual)]
        assert row_texts(form[4]) == ["", "其中：财政资金", money(f.total_fiscal), "其中：当年财政拨款", money(f.annual_appropriation)]
        assert row_texts(form[5]) == ["", "", "", "上年结转资金", money(f.annual_carryover)]
        assert row_texts(form[6]) == ["", "其他资金", money(f.total_other), "其他资金", money(f.annual_other)]
        # the label is merged down the 4 rows; so is 项目绩效目标 down its 2
        assert [vmerge(cells(tr)[0]) for tr in form[3:9]] == ["restart", "continue", "continue", "continue",
                                                               "restart", "continue"]
        assert [vmerge(cells(tr)[0]) for tr in form[:3]] == [None, None, None]

    def test_goal_texts(self, built, folder, key, number):
        b = built[(folder, key)]
        goals = _project(folder, key).model.goals
        texts = cells(rows(b.form)[8])
        # paragraphs written in 项目总目标 and 年度总体目标 (2026 虹桥 has no 总目标 text; its cell
        # holds one empty paragraph); one example has two paragraphs of 年度总体目标
        counts = (0, 2) if key == "综合党委两企三新党建" else {"2026-hongqiao": (0, 1)}.get(folder, (1, 1))
        for tc, source, count in ((texts[1], goals.overall, counts[0]), (texts[2], goals.annual, counts[1])):
            paragraphs = tc.findall(W + "p")
            # each line written is a paragraph of its own, as written (blank lines only separate)
            lines = [line.strip() for line in source.splitlines() if line.strip()]
            assert len(lines) == count
            assert [para_text(p) for p in paragraphs] == (lines or [""])
            assert {p.find(f"{W}pPr/{W}pStyle").get(W + "val") for p in paragraphs} == {"PDTableLeft"}

    def test_grid_and_spans(self, built, folder, key, number):
        b = built[(folder, key)]
        for tbl in b.tables:
            g = grid(tbl)
            assert sum(g) == TEXT_WIDTH
            assert tbl.find(f"{W}tblPr/{W}tblW").get(W + "w") == str(TEXT_WIDTH)
            assert tbl.find(f"{W}tblPr/{W}tblLayout").get(W + "type") == "fixed"
            for tr in rows(tbl):
                col = 0
                for tc in cells(tr):
                    n = span(tc)
                    width = int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w"))
                    assert width == sum(g[col:col + n])
                    col += n
                assert col == len(g)
        spans = [[span(tc) for tc in cells(tr)] for tr in rows(b.form)]
        # the grid is the union of the rows' edges: 项目性质/实施单位/计划完成日期, the right half of
        # the funding block and 年度总体目标 share one edge (5369 twips from the left)
        expected = {
            "2026-hongqiao": (8, [1, 2, 1, 1, 2, 1], [1, 3, 1, 3], [1, 1, 2, 2, 2], [1, 3, 4]),
            "2022-huacao": (7, [1, 2, 1, 3], [1, 3, 1, 2], [1, 1, 2, 2, 1], [1, 3, 3]),
            "2022-songjiang": (6, [1, 2, 1, 2], [1, 2, 1, 2], [1, 1, 1, 2, 1], [1, 2, 3]),
        }[folder]
        columns, head, people, funding, goals = expected
        assert len(grid(b.form)) == columns
        assert spans == [head, people, people, funding, funding, funding, funding, goals, goals]
        edge = lambda i, row: sum(grid(b.form)[:sum(spans[row][:i])])  # noqa: E731
        assert edge(2, 1) == edge(2, 2) == edge(3, 3) == edge(2, 7) == 5369
        # the indicator table: 5 columns, one cell each
        assert len(grid(b.indicators)) == 5
        assert {tuple(span(tc) for tc in cells(tr)) for tr in rows(b.indicators)} == {(1, 1, 1, 1, 1)}

    def test_indicator_rows_and_merges(self, built, folder, key, number):
        b = built[(folder, key)]
        project = _project(folder, key)
        inds = project.model.indicators
        table_rows = rows(b.indicators)
        assert len(table_rows) == len(inds) + 1
        level1, level2 = expected_groups(project)
        assert merge_runs(b.indicators, 1) == level1
        assert merge_runs(b.indicators, 2) == level2
        # 绩效指标 heads its column; the cells under it are one merge over every indicator row
        assert merge_runs(b.indicators, 0) == [len(inds)]
        assert flat(cells(table_rows[0])[0]) == "绩效指标"
        for tr, ind in zip(table_rows[1:], inds):
            c = cells(tr)
            assert flat(c[0]) == ""
            assert flat(c[1]) == (ind.level1.strip() if vmerge(c[1]) == "restart" else "")
            assert flat(c[2]) == (ind.level2.strip() if vmerge(c[2]) == "restart" else "")
            assert flat(c[3]) == ind.name.strip()
        assert [flat(cells(tr)[4]) for tr in table_rows[1:]] == TARGETS[(folder, key)]

    def test_header_and_cant_split(self, built, folder, key, number):
        b = built[(folder, key)]
        header = [row_has(tr, "tblHeader") for tr in rows(b.indicators)]
        assert header == [True] + [False] * (len(header) - 1)
        assert not any(row_has(tr, "tblHeader") for tr in rows(b.form))
        assert all(row_has(tr, "cantSplit") for tr in rows(b.indicators))
        form = rows(b.form)
        assert all(row_has(tr, "cantSplit") for tr in form[:8])
        # the row of the goal texts is kept whole when short, may break when long
        goals = _project(folder, key).model.goals
        longest = max(len(goals.overall), len(goals.annual))
        if longest <= 100:
            assert row_has(form[8], "cantSplit")
        elif longest >= 300:
            assert not row_has(form[8], "cantSplit")

    def test_fonts_come_from_styles(self, built, folder, key, number):
        b = built[(folder, key)]
        used = set()
        for tbl in b.tables:
            for p in tbl.iter(W + "p"):
                style = p.find(f"{W}pPr/{W}pStyle")
                assert style is not None, "a table paragraph without a style"
                used.add(style.get(W + "val"))
            # nothing hard-coded in the runs
            assert tbl.find(f".//{W}r/{W}rPr/{W}rFonts") is None
        assert used <= TABLE_STYLES
        for style_id in used | {"PDTitle", "PDYear"}:
            assert east_asian_font(b.styles, style_id) == "宋体", style_id


def test_amounts_as_the_seeds_print_them(built):
    cases = {
        ("2026-hongqiao", "综合党委两企三新党建"): "987,000.00",
        ("2022-huacao", "两新组织党建经费"): "29.20",
        ("2022-songjiang", "党组织建设"): "1020000",
    }
    for (folder, key), amount in cases.items():
        first_funding_row = row_texts(rows(built[(folder, key)].form)[3])
        assert first_funding_row[4] == amount
        assert first_funding_row[2] == amount


def test_huacao_check_boxes(built):
    b = built[("2022-huacao", "两新组织党建经费")]
    first = cells(rows(b.form)[0])
    assert len(first) == 4  # no 项目性质
    category = text(first[3])
    assert re.sub(r"\s*\n\s*", "  ", category) == "专项资金 □  经常性项目 ☑  一次性项目 □"
    # a line breaks between two options, never inside one
    for line in category.split("\n"):
        assert re.fullmatch(r"(\S+ [□☑])(  \S+ [□☑])*", line), line
    assert flat(rows(b.form)[7].findall(W + "tc")[1]) == "项目总目标（2022年-2024年）"


def test_check_boxes_keep_an_unlisted_category():
    template = find_template("huacao-2022")
    b = _build(_base_project(), template)  # category 特定目标类
    category = re.sub(r"\s+", " ", text(cells(rows(b.form)[0])[3]))
    assert category.count("☑") == 1
    assert "特定目标类 ☑" in category
    assert category.count("□") == 3


def test_numbered_title_only_with_a_number_and_a_numbered_variant():
    project = _base_project()
    songjiang = find_template("songjiang-2022")
    shanghai = find_template("shanghai")
    assert text(Built(to_bytes(build_declaration(project, songjiang, number=7))).children[0]) == "财政项目支出绩效目标填报表7"
    assert text(Built(to_bytes(build_declaration(project, songjiang))).children[0]) == "财政项目支出绩效目标填报表"
    assert text(Built(to_bytes(build_declaration(project, shanghai, number=7))).children[0]) == "财政项目支出绩效目标申报表"


def test_page_break_before():
    project = _base_project()
    template = find_template("shanghai")
    first = declaration_xml(project, template, page_break_before=True)[0]
    assert "<w:pageBreakBefore/>" in first
    assert "pageBreakBefore" not in declaration_xml(project, template)[0]


def test_project_without_department():
    """A lone project file: no 主管部门 to print, the variant's unit (元)."""
    b = _build(_base_project(), find_template("shanghai"))
    assert row_texts(rows(b.form)[1])[:2] == ["主管部门", ""]
    assert row_texts(rows(b.form)[3])[2] == "1,020,000.00"


def test_bad_variant_pattern_is_a_template_error():
    template = find_template("shanghai")
    broken = dataclasses.replace(template, variant=dataclasses.replace(template.variant,
                                                                       overall_goal_heading="项目总目标（{begin}年）"))
    with pytest.raises(TemplateError, match="overall_goal_heading"):
        declaration_xml(_base_project(), broken)


# -- edges -------------------------------------------------------------------------------------

def _without_indicators(text: str) -> str:
    return text[: text.index("[[indicators]]")] + text[text.index("[narrative]"):]


def _indicator_toml(level1: str, level2: str, name: str, target: str) -> str:
    q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    return f"\n[[indicators]]\nlevel1 = {q(level1)}\nlevel2 = {q(level2)}\nname = {q(name)}\ntarget = {q(target)}\n"


def test_no_indicators():
    project = _base_project(_without_indicators(BASE))
    assert project.model.indicators == []
    b = _build(project, find_template("shanghai"))
    table_rows = rows(b.indicators)
    assert len(table_rows) == 2  # the heading and one empty line
    assert row_texts(table_rows[1]) == ["", "", "", "", ""]
    assert merge_runs(b.indicators, 0) == [1]
    assert row_has(table_rows[0], "tblHeader")
    assert all(row_has(tr, "cantSplit") for tr in table_rows)


#: 150 indicators in groups of uneven size; 产出指标 comes back after 效益指标 (a new
#: merge, not a continuation), and 数量指标 follows itself under another 一级.
GROUP_PLAN = [
    ("成本指标", "经济成本指标", 1), ("产出指标", "数量指标", 40), ("成本指标", "数量指标", 3),
    ("产出指标", "数量指标", 7), ("产出指标", "质量指标", 30), ("产出指标", "时效指标", 19),
    ("效益指标", "社会效益指标", 25), ("产出指标", "时效指标", 2), ("效益指标", "可持续影响指标", 12),
    ("满意度指标", "服务对象满意度指标", 11),
]

ODD = 'A “quoted” <b>bold</b> & {{ x }} {% if %} ]]> \\ 😀 ＆'


def _long_goal(prefix: str, chars: int) -> str:
    sentence = "围绕年度重点任务，完善工作机制，提升服务能级，确保各项目标按期完成。"
    body = (sentence * (chars // len(sentence) + 1))[:chars]
    # several paragraphs: blank lines and numbered lines
    parts = [body[i:i + 1500] for i in range(0, len(body), 1500)]
    return "\n\n".join(f"{n}.{prefix}{p}" if n % 2 else p for n, p in enumerate(parts, start=1))


@pytest.fixture(scope="module")
def big() -> tuple[ProjectFile, Built]:
    text = _without_indicators(BASE)
    head, tail = text.split("[narrative]")
    for level1, level2, count in GROUP_PLAN:
        for i in range(count):
            name = f"{level2}第{i + 1}项" + ("（名称较长，需要在单元格中折行显示）" if i % 3 == 0 else "")
            target = ["≥95%", "=100.00(%)", "及时", "按实际工作人数按月足额发放", "{{ x }}"][i % 5]
            head += _indicator_toml(level1, level2, name, target)
    overall = _long_goal("总目标", 9000)
    annual = _long_goal("年度目标", 9000)
    head = head.replace(
        'overall = "以创建模范机关为目标，进一步做实做强“1号先锋”机关党建品牌。"',
        "overall = '''" + overall + "'''",
    ).replace(
        'annual = "组织开展党组织特色活动和群团活动，加强党建阵地建设，提升机关党建工作水平。"',
        "annual = '''" + annual + "'''",
    )
    project = _base_project(head + "[narrative]" + tail)
    assert len(project.model.indicators) == 150
    assert len((project.model.goals.overall + project.model.goals.annual).encode()) > 50_000
    return project, _build(project, find_template("shanghai"))


def test_150_indicators_and_50kb_of_goals(big):
    project, b = big
    table_rows = rows(b.indicators)
    assert len(table_rows) == 151
    level1, level2 = expected_groups(project)
    assert level1 == [1, 40, 3, 7 + 30 + 19, 25, 2, 12, 11]
    assert level2 == [count for _, _, count in GROUP_PLAN]
    assert merge_runs(b.indicators, 1) == level1
    assert merge_runs(b.indicators, 2) == level2
    assert merge_runs(b.indicators, 0) == [150]
    assert [row_has(tr, "tblHeader") for tr in table_rows].count(True) == 1
    assert all(row_has(tr, "cantSplit") for tr in table_rows)
    # the goal texts, paragraph by paragraph
    goal_cells = cells(rows(b.form)[8])
    # _long_goal writes 6 paragraphs of 1500 characters, separated by blank lines
    assert [para_text(p) for p in goal_cells[1].findall(W + "p")] == project.model.goals.overall.split("\n\n")
    assert [para_text(p) for p in goal_cells[2].findall(W + "p")] == project.model.goals.annual.split("\n\n")
    assert len(goal_cells[1].findall(W + "p")) == len(goal_cells[2].findall(W + "p")) == 6
    # a row taller than a page may break across pages (Word would cut it off otherwise)
    assert not row_has(rows(b.form)[8], "cantSplit")
    assert all(row_has(tr, "cantSplit") for tr in rows(b.form)[:8])


def test_odd_characters_print_as_written():
    text_ = BASE.replace('name = "党组织建设"', "name = '''" + ODD + "'''")
    text_ = text_.replace('name = "群众满意度"', "name = '''" + ODD + "'''")
    text_ = text_.replace('target = "≥95%"', "target = '''{{ x }}'''")
    text_ = text_.replace('implementer = "中共上海市松江区区级机关工作委员会"',
                          'implementer = "第一行\\n第二行\\t制表"', 1)
    project = _base_project(text_)
    b = _build(project, find_template("shanghai"))
    assert flat(cells(rows(b.form)[0])[1]) == ODD
    last = row_texts(rows(b.indicators)[-1])
    assert last[3:] == [ODD, "{{ x }}"]
    assert text(cells(rows(b.form)[1])[3]) == "第一行\n第二行\t制表"


def test_empty_texts():
    text_ = BASE.replace('overall = "以创建模范机关为目标，进一步做实做强“1号先锋”机关党建品牌。"', 'overall = ""')
    text_ = text_.replace('annual = "组织开展党组织特色活动和群团活动，加强党建阵地建设，提升机关党建工作水平。"', 'annual = "  \\n\\n "')
    text_ = text_.replace('category = "特定目标类"', 'category = ""').replace('nature = "经常性项目"\n', "")
    text_ = text_.replace('target = "健全"', 'target = ""')
    project = _base_project(text_)
    b = _build(project, find_template("shanghai"))
    assert row_texts(rows(b.form)[0]) == ["项目名称", "党组织建设", "项目性质", "", "项目类别", ""]
    assert row_texts(rows(b.form)[8]) == ["", "", ""]
    assert "健全" not in [flat(c) for tr in rows(b.indicators) for c in cells(tr)]


def test_a_very_long_indicator_row_may_break():
    long_name = "很长的三级指标名称" * 600  # 5400 characters: taller than a page in a 3049-twip column
    project = _base_project(BASE.replace('name = "群众满意度"', f'name = "{long_name}"'))
    b = _build(project, find_template("shanghai"))
    table_rows = rows(b.indicators)
    assert flat(cells(table_rows[-1])[3]) == long_name
    assert not row_has(table_rows[-1], "cantSplit")
    assert all(row_has(tr, "cantSplit") for tr in table_rows[:-1])


@pytest.mark.parametrize("folder", FOLDERS)
def test_byte_identical(folder):
    project = _department(folder).ordered_projects()[0]
    template = _template(folder)
    first = to_bytes(build_declaration(project, template, number=1))
    second = to_bytes(build_declaration(project, template, number=1))
    assert first == second


def test_big_form_is_byte_identical(big):
    project, b = big
    assert to_bytes(build_declaration(project, find_template("shanghai"))) == b.data


def _many(n: int) -> ProjectFile:
    project = _base_project()
    model = project.model.model_copy()  # shallow: Money does not deep-copy
    template_ind = model.indicators
    model.indicators = [
        template_ind[i % len(template_ind)].model_copy(update={"name": f"指标{i}"}) for i in range(n)
    ]
    return ProjectFile(project.key, project.source, model)


@pytest.mark.parametrize("n", [0, 1, 19, 150])
def test_build_is_append_of_declaration_xml(n):
    """build_declaration is new_document + append(declaration_xml): the same bytes for any size."""
    from perfdoc.render.docxml import append
    from perfdoc.render.document import new_document

    template = find_template("shanghai")
    project = _many(n)
    expected = new_document(template.reference)
    append(expected, *declaration_xml(project, template))
    assert to_bytes(build_declaration(project, template)) == to_bytes(expected)


# -- a real reader --------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_libreoffice_shows_all_of_a_long_form(big, tmp_path):
    from libreoffice import pdf_pages, pdf_text, to_pdf

    project, b = big
    path = tmp_path / "big.docx"
    path.write_bytes(b.data)
    pdf = to_pdf([path], tmp_path)[path]
    seen = pdf_text(pdf)
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    # every paragraph of both goals and every indicator name reaches the page
    for paragraph in project.model.goals.overall.split("\n\n") + project.model.goals.annual.split("\n\n"):
        assert squash(paragraph[:40]) in seen and squash(paragraph[-40:]) in seen
    for ind in project.model.indicators:
        assert squash(ind.name) in seen
    assert 4 <= pdf_pages(pdf) <= 20
