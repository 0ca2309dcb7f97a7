"""The forms as a reader sees them on paper (issue 10, items 2 and 3).

自评表: the value columns are wide enough for the longest value, so that ``=100.00(%)``
never prints as ``=100.00(`` / ``%)``; a value too wide even so breaks before its bracket;
the last page holds more than a row or two with the totals.  申报表 and 自评表: no row and
no 二级 name breaks across pages, no empty cell under 绩效指标 where the heading repeats,
and one rule where the goals block meets the indicator table.

The XML tests read the built documents; the LibreOffice tests print them to PDF and read
the lines and pages back with pdftotext.  Widths are the printed widths at 10.5 pt in
twips, measured once from the fonts a reader without 宋体 gets (DejaVu Sans for figures
and Latin, Noto Sans CJK, 1 em, for CJK and ≥ ≤) and written out here.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PROJECTS
from test_declaration import BASE, TEXT_WIDTH, W, Built, cells, grid, row_has, rows, text, vmerge

from perfdoc.evaluate import score_project
from perfdoc.load import load_paths, load_project_text
from perfdoc.model import ProjectFile
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.selfeval import build_selfeval
from perfdoc.render.template import find_template

#: Left plus right cell margin (twips).
MARGINS = 170

#: Printed widths (twips at 10.5 pt) in the fallback fonts, measured from DejaVuSans.ttf
#: and NotoSansCJK (fontTools: advance widths × 210 / units per em).
PRINTED = {
    "=100.00(%)": 1274,
    "100.00(%)": 1098,
    "≤80.00(元/人/月)": 1747,
    "≥100000.00(人次)": 1929,
    "≥100000.00": 1346,
    "100000.00": 1136,
}


# -- building ------------------------------------------------------------------------------

def _department(folder: str):
    result = load_paths([PROJECTS / folder])
    assert len(result.departments) == 1, result.problems
    dep = result.departments[0]
    return dep, find_template(dep.model.layout.template, dep.path)


def _xinzhuang(name: str) -> Built:
    dep, template = _department("2024-xinzhuang")
    project = next(p for p in dep.projects if p.model.name == name)
    return Built(to_bytes(build_selfeval(project, template, score_project(project.model))))


def _hongqiao(key: str) -> Built:
    dep, template = _department("2026-hongqiao")
    project = next(p for p in dep.projects if p.key == key)
    return Built(to_bytes(build_declaration(project, template)))


_EVALUATION = """
[evaluation]
outcome = "全年各项工作按计划完成。"

[evaluation.funding]
total = { initial = 1020000, adjusted = 1000000, executed = 990000 }
appropriation = { initial = 1020000, adjusted = 1000000, executed = 990000 }
carryover = { initial = 0, adjusted = 0, executed = 0 }
other = { initial = 0, adjusted = 0, executed = 0 }
"""


def _project(indicators: list[tuple[str, str, str, str, str]], weight: str) -> ProjectFile:
    """The rules' base project with ``indicators`` (一级, 二级, name, target, actual)."""
    head = BASE[: BASE.index("[[indicators]]")]
    body = "".join(
        f'\n[[indicators]]\nlevel1 = "{l1}"\nlevel2 = "{l2}"\nname = "{name}"\ntarget = "{target}"\n'
        f'actual = "{actual}"\nweight = {weight}\n'
        for l1, l2, name, target, actual in indicators
    )
    project, problems = load_project_text(head + body + _EVALUATION, Path("项目.toml"))
    assert project is not None, problems
    return project


#: A long project: 45 indicators in 7 groups, long names and long values.
LONG_PLAN = [("成本指标", "经济成本指标", 7), ("产出指标", "数量指标", 7), ("产出指标", "质量指标", 7),
             ("产出指标", "时效指标", 6), ("效益指标", "社会效益指标", 6), ("效益指标", "可持续影响指标", 6),
             ("满意度指标", "服务对象满意度指标", 6)]
LONG_VALUES = [("≥100000.00(人次)", "100000.00(人次)"), ("=100.00(%)", "100.00(%)"),
               ("≤80.00(元/人/月)", "80.00(元/人/月)"), ("及时", "达成指标"),
               ("按实际工作人数按月足额发放", "按月足额发放"), ("2026年12月前完成", "2026年11月完成")]


def _long() -> ProjectFile:
    indicators, n = [], 0
    for level1, level2, count in LONG_PLAN:
        for _ in range(count):
            target, actual = LONG_VALUES[n % len(LONG_VALUES)]
            name = f"党群服务阵地建设及各类主题活动开展情况第{n + 1}项" if n % 3 == 0 else f"指标{n + 1}"
            indicators.append((level1, level2, name, target, actual))
            n += 1
    return _project(indicators, weight="2")


def _paragraphs_keep_next(tr) -> list[bool]:
    return [p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(W + "p")]


def _kept(tr) -> bool:
    """The row stays on the page of the next one: every paragraph in it has w:keepNext."""
    flags = _paragraphs_keep_next(tr)
    assert all(flags) or not any(flags), "a row with w:keepNext on some of its paragraphs only"
    return all(flags)


def _border(el, edge: str) -> str | None:
    found = el.find(f"{W}{edge}")
    return found.get(W + "val") if found is not None else None


def _cell_border(tc, edge: str) -> str | None:
    borders = tc.find(f"{W}tcPr/{W}tcBorders")
    return _border(borders, edge) if borders is not None else None


def _table_border(tbl, edge: str) -> str | None:
    return _border(tbl.find(f"{W}tblPr/{W}tblBorders"), edge)


# -- 自评表: values printed whole -------------------------------------------------------------

def test_selfeval_value_columns_hold_each_value_whole():
    b = _xinzhuang("两新党建工作")
    table = b.tables[1]
    columns = grid(table)
    assert sum(columns) == TEXT_WIDTH
    # 年度指标值 holds =100.00(%), 实际完成值 100.00(%), on one line
    assert columns[3] - MARGINS >= PRINTED["=100.00(%)"]
    assert columns[4] - MARGINS >= PRINTED["100.00(%)"]
    by_name = {text(cells(tr)[2]).replace("\n", ""): tr for tr in rows(table)[1:-2]}
    quality = cells(by_name["两新党支部书记津贴发放准确性"])
    assert [text(quality[3]), text(quality[4])] == ["=100.00(%)", "100.00(%)"]
    # ≥300.00(元/人/月) is wider than any room the form can give: it breaks before its bracket
    allowance = cells(by_name["“两新”党支部书记津贴标准"])
    assert [text(allowance[3]), text(allowance[4])] == ["≥300.00\n(元/人/月)", "296.00\n(元/人/月)"]
    # the room comes from the 偏差原因 column, whose heading then takes three lines
    assert text(cells(rows(table)[0])[7]) == "偏差原因\n分析及\n改进措施"
    assert columns[7] >= 4 * 210 + MARGINS


def test_selfeval_long_value_breaks_before_its_bracket_only():
    project = _long()
    b = Built(to_bytes(build_selfeval(project, find_template("shanghai"), score_project(project.model))))
    table = b.tables[1]
    columns = grid(table)
    assert sum(columns) == TEXT_WIDTH
    first = cells(rows(table)[1])
    assert [text(first[3]), text(first[4])] == ["≥100000.00\n(人次)", "100000.00\n(人次)"]
    assert columns[3] - MARGINS >= PRINTED["≥100000.00"]
    assert columns[4] - MARGINS >= PRINTED["100000.00"]
    second = cells(rows(table)[2])
    assert [text(second[3]), text(second[4])] == ["=100.00(%)", "100.00(%)"]
    assert columns[3] - MARGINS >= PRINTED["=100.00(%)"]


def test_declaration_value_column_holds_long_values():
    project = _project([("成本指标", "经济成本指标", "人均补贴标准", "≤80.00(元/人/月)", "80.00(元/人/月)"),
                        ("产出指标", "数量指标", "服务人次", "≥100000.00(人次)", "100000.00(人次)")], weight="45")
    b = Built(to_bytes(build_declaration(project, find_template("shanghai"))))
    table = b.indicators
    columns = grid(table)
    assert sum(columns) == TEXT_WIDTH
    assert columns[4] - MARGINS >= PRINTED["≥100000.00(人次)"] >= PRINTED["≤80.00(元/人/月)"]
    assert [text(cells(tr)[4]) for tr in rows(table)[1:]] == ["≤80.00(元/人/月)", "≥100000.00(人次)"]


# -- page breaks ----------------------------------------------------------------------------

def test_selfeval_groups_and_last_rows_stay_together():
    b = _xinzhuang("两新党建工作")
    body = rows(b.tables[1])[1:-2]
    assert all(row_has(tr, "cantSplit") for tr in rows(b.tables[1]))
    # groups: 成本 3 · 数量 3 · 质量 2 · 时效 2 · 社会效益 3 · 可持续 1 · 满意度 1; each kept on one
    # page (every row but a group's last stays with the next), and the last three rows go with 总分.
    # The 成本 group is taller than a quarter page (its 偏差原因 takes 9 lines, four characters
    # a line): it may break, its name printed at the top of its cell, within its first row.
    assert [_kept(tr) for tr in body] == [False, False, False, True, True, False, True, False, True, False,
                                          True, True, True, True, True]
    assert [cells(tr)[1].find(f"{W}tcPr/{W}vAlign").get(W + "val") for tr in body[:4]] == ["top", "center",
                                                                                          "center", "center"]
    total, grade = rows(b.tables[1])[-2:]
    assert _kept(total) and not _kept(grade)


def test_declaration_second_level_names_never_cross_a_page():
    b = _hongqiao("人才系列计划")
    body = rows(b.indicators)[1:]
    assert all(row_has(tr, "cantSplit") for tr in rows(b.indicators))
    # 成本 1 · 数量 2 · 质量 4 · 时效 3 · 社会效益 4 · 可持续 2 · 服务对象满意度 2
    assert [_kept(tr) for tr in body] == [False, True, False, True, True, True, False, True, True, False,
                                          True, True, True, False, True, False, True, False]
    assert {cells(tr)[2].find(f"{W}tcPr/{W}vAlign").get(W + "val") for tr in body} == {"center"}


def test_a_group_taller_than_a_quarter_page_prints_its_name_at_the_top():
    plan = [("产出指标", "数量指标", f"活动{n}", "≥2次", "3次") for n in range(1, 31)]
    b = Built(to_bytes(build_declaration(_project(plan, weight="3"), find_template("shanghai"))))
    body = rows(b.indicators)[1:]
    assert cells(body[0])[2].find(f"{W}tcPr/{W}vAlign").get(W + "val") == "top"
    # its name takes one line, within its first row: no row is held to the next
    assert not any(_kept(tr) for tr in body)


# -- the label column and the junction -------------------------------------------------------

@pytest.mark.parametrize("form", ["人才系列计划", "long"])
def test_no_empty_cell_under_the_label_where_the_heading_repeats(form):
    if form == "long":
        table = Built(to_bytes(build_declaration(_long(), find_template("shanghai")))).indicators
    else:
        table = _hongqiao(form).indicators
    heading, *body = rows(table)
    label = cells(heading)[0]
    assert text(label) == "绩效指标" and row_has(heading, "tblHeader")
    # the heading's label cell is merged with nothing and has no rule under it ...
    assert vmerge(label) is None and _cell_border(label, "bottom") == "nil"
    # ... and the cells under it are one merge with no rule on top: on every page one cell
    assert [vmerge(cells(tr)[0]) for tr in body] == ["restart"] + ["continue"] * (len(body) - 1)
    assert {_cell_border(cells(tr)[0], "top") for tr in body} == {"nil"}
    assert {text(cells(tr)[0]) for tr in body} == {""}


def test_one_rule_between_the_goals_and_the_indicators():
    b = _hongqiao("区域化党建")
    form, indicators = b.tables
    spacer = b.children[3]
    assert _table_border(form, "bottom") == "nil"
    assert _table_border(indicators, "top") == "single"
    # the goals row is kept whole and on the page of the indicator heading
    goals = rows(form)[-1]
    assert row_has(goals, "cantSplit") and _kept(goals)
    assert spacer.find(f"{W}pPr/{W}keepNext") is not None
    assert spacer.find(f"{W}pPr/{W}spacing").get(W + "line") == "2"


def test_goals_that_may_break_keep_their_rule_and_the_spacer_lays_the_rules_together():
    # the 实际完成情况 of 两新党建工作 runs over 25 lines: the row may break, and a row cut at the
    # foot of a page shows its bottom rule; the two rules lie 0.1 pt apart
    b = _xinzhuang("两新党建工作")
    form, indicators = b.tables
    assert not row_has(rows(form)[-1], "cantSplit") and not _kept(rows(form)[-1])
    assert _table_border(form, "bottom") == "single" and _table_border(indicators, "top") == "single"
    assert b.children[3].find(f"{W}pPr/{W}spacing").get(W + "line") == "2"


# -- a real reader ------------------------------------------------------------------------------

def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *args, str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def _pages(pdf: Path) -> list[str]:
    """Each page's text without whitespace."""
    return ["".join(page.split()) for page in _pdftotext(pdf).split("\f")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from libreoffice import need_libreoffice, to_pdf

    need_libreoffice()
    out = tmp_path_factory.mktemp("layout")
    docs = {
        "两新党建工作": _xinzhuang("两新党建工作"),
        "社区党群服务中心工作": _xinzhuang("社区党群服务中心工作"),
        "人才系列计划": _hongqiao("人才系列计划"),
    }
    long = _long()
    docs["long-selfeval"] = Built(to_bytes(build_selfeval(long, find_template("shanghai"), score_project(long.model))))
    docs["long-declaration"] = Built(to_bytes(build_declaration(long, find_template("shanghai"))))
    paths = {}
    for name, b in docs.items():
        paths[name] = out / f"{name}.docx"
        paths[name].write_bytes(b.data)
    pdfs = to_pdf(list(paths.values()), tmp_path_factory.mktemp("pdf"))
    return {name: pdfs[path] for name, path in paths.items()}, long


@pytest.mark.libreoffice
def test_libreoffice_prints_no_value_cut_inside(printed):
    pdfs, _ = printed
    for name, pdf in pdfs.items():
        lines = [line.strip() for line in _pdftotext(pdf).splitlines()]
        assert lines, name
        for line in lines:
            assert not line.endswith(("(", "（")), (name, line)
            assert not line.startswith(("%)", ")", "）")), (name, line)
    seen = {name: set(_pdftotext(pdf).split()) | {line.strip() for line in _pdftotext(pdf).splitlines()}
            for name, pdf in pdfs.items()}

    def on_one_line(name: str, token: str) -> bool:
        return any(token in line for line in seen[name])

    for token in ("=100.00(%)", "100.00(%)", "≥80.00(%)", "90.00(%)", "≤80.00", "(元/人次)", "≥300.00", "(元/人/月)"):
        assert on_one_line("两新党建工作", token), token
    for name in ("long-selfeval", "long-declaration"):
        for token in ("=100.00(%)", "100.00(%)", "≥100000.00"):
            assert on_one_line(name, token), (name, token)
    assert on_one_line("long-declaration", "≥100000.00(人次)")
    assert on_one_line("long-declaration", "≤80.00(元/人/月)")


@pytest.mark.libreoffice
def test_libreoffice_keeps_each_second_level_name_on_one_page(printed):
    pdfs, long = printed
    pages = _pages(pdfs["人才系列计划"])
    assert len(pages) >= 2
    assert any("服务对象满意度指标" in page for page in pages)
    for name in ("long-selfeval", "long-declaration"):
        pages = _pages(pdfs[name])
        assert len(pages) >= 3, name
        for _, level2, _ in LONG_PLAN:
            assert any(level2 in page for page in pages), (name, level2)
        # every indicator reaches the page
        text_ = "".join(pages)
        for ind in long.model.indicators:
            assert ind.name in text_


@pytest.mark.libreoffice
def test_libreoffice_last_page_has_rows_with_the_totals(printed):
    pdfs, long = printed
    pages = [page for page in _pages(pdfs["两新党建工作"]) if page]
    last = pages[-1]
    assert "总分100.0097.00" in last and "评分等级优" in last
    names = ["两新党组织参与度提高", "两新党建工作机制健全性", "两新党支部书记满意度"]
    assert all(name in last for name in names)
    pages = [page for page in _pages(pdfs["long-selfeval"]) if page]
    assert "总分" in pages[-1]
    assert sum(ind.name in pages[-1] for ind in long.model.indicators) >= 3
