"""The Word 变更报告 (perfdoc/diff/docx_report.py) and its tracked changes (perfdoc/diff/tracked.py).

Two department folders are made from projects/2022-songjiang: in NEW an amount
is raised, a target changed, indicators removed and added (some at the head of
a merged group, so that a cell's vertical merge changes), a narrative sentence
edited, a goal split into two paragraphs, a project added, one removed and one
file renamed; one project stays as it was.  The report is saved, reopened with
lxml, and every revision accepted (and, separately, rejected) the way Word does
it: each changed project's part then reads exactly as NEW's (OLD's) own
经费说明 and 申报表.  Then the revision attributes, the unchanged projects,
byte-identical rebuilds, the vertical merges, the order of the elements Word
insists on, LibreOffice; and every pair of example projects tracked against
each other.

Then a year rolled over with ``perfdoc next-year``: the roll-over alone is no
revision at all; with real edits on top, only the edits are revisions,
accepting gives the edited documents and rejecting the ones next-year made.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from libreoffice import SOFFICE, need_libreoffice, pdf_text, to_pdf
from perfdoc.diff.changes import diff_departments
from perfdoc.diff.docx_report import REPORT_TITLE, build_report, part_heading, report_template
from perfdoc.diff.tracked import AUTHOR, DATE, Revisions, by_indicator, by_position, track_changes
from perfdoc.load import load_paths, load_project_text
from perfdoc.nextyear import roll_over
from perfdoc.render.declaration import build_declaration, declaration_xml
from perfdoc.render.document import to_bytes
from perfdoc.render.docxml import W_NS
from perfdoc.render.narrative import build_narrative, narrative_xml
from perfdoc.render.template import find_template
from perfdoc.render.text import body_lines, document_text

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "projects"
BASE = (Path(__file__).parent / "rules" / "_base.toml").read_text(encoding="utf-8")
W = f"{{{W_NS}}}"
REVISION_TAGS = {W + "ins", W + "del", W + "tcPrChange"}


# -- the two folders ---------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _make_folders(base: Path) -> tuple[Path, Path]:
    old = base / "old" / "2022-songjiang"
    new = base / "new" / "2022-songjiang"
    shutil.copytree(PROJECTS / "2022-songjiang", old)
    shutil.copytree(PROJECTS / "2022-songjiang", new)

    # 业务培训: amounts raised, a target changed, an indicator removed, a sentence edited
    p = new / "业务培训.toml"
    _edit(p, "total = 290000 ", "total = 350000 ")
    _edit(p, "total_fiscal = 290000", "total_fiscal = 350000")
    _edit(p, 'annual = "290000.00"', 'annual = "350000.00"')
    _edit(p, "annual_appropriation = 290000", "annual_appropriation = 350000")
    _edit(p, 'target = ">=50家"', 'target = ">=55家"')
    _edit(p, '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "时效指标"\nname = "培训开展及时率"\ntarget = "及时"\n\n', "")
    _edit(p, "一般在8月至9月实施。", "一般在7月至9月实施，全年不少于两期。")

    # 宣传与推广: the file renamed; the first indicator of a group removed, one added at the head
    # of another group (both change a cell's vertical merge); the annual goal in two paragraphs
    p = new / "宣传与推广.toml"
    _edit(p, '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "基层党组织参与情况"\n'
             'target = ">=50家"\n\n', "")
    _edit(p, '[[indicators]]\nlevel1 = "效益指标"',
          '[[indicators]]\nlevel1 = "效益指标"\nlevel2 = "社会效益指标"\nname = "宣传覆盖面"\ntarget = "扩大"\n\n'
          '[[indicators]]\nlevel1 = "效益指标"')
    _edit(p, "为城市精细化管理贡献力量。\"\n\n[[indicators]]",
          "为城市精细化管理贡献力量。\n\n全年开展主题宣传不少于4次。\"\"\"\n\n[[indicators]]")
    _edit(p, 'annual = "通过组织中心组学习', 'annual = """通过组织中心组学习')
    p.rename(new / "宣传推广.toml")

    # 疫情防控 removed; 防疫物资保障 added
    p = new / "疫情防控.toml"
    added = new / "防疫物资保障.toml"
    p.rename(added)
    _edit(added, 'name = "疫情防控"', 'name = "防疫物资保障"')
    _edit(added, 'target = ">=30家"', 'target = ">=40家"')

    _edit(new / "department.toml", 'order = ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]',
          'order = ["党组织建设", "宣传推广", "业务培训", "防疫物资保障"]')
    return old, new


def _department(folder: Path):
    result = load_paths([folder])
    assert not result.fatal and len(result.departments) == 1, result.problems
    return result.departments[0]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    return _make_folders(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def diff(folders):
    return diff_departments(_department(folders[0]), _department(folders[1]))


@pytest.fixture(scope="module")
def report(diff) -> bytes:
    return to_bytes(build_report(diff))


def _body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.find(W + "body")


# -- accepting and rejecting, as Word does ---------------------------------------------

def resolve(body: etree._Element, keep: str) -> etree._Element:
    """A copy of ``body`` with every revision accepted (keep="ins") or rejected (keep="del").

    Rows marked with the other kind go; text in the other kind's w:ins/w:del goes and
    this kind's is unwrapped (rejecting, w:delText becomes w:t); a cell's properties
    are NEW's (accept) or those kept in w:tcPrChange (reject); a paragraph whose mark
    goes is joined to the next paragraph; a table without rows goes.
    """
    body = copy.deepcopy(body)
    drop = "del" if keep == "ins" else "ins"
    for tr in list(body.iter(W + "tr")):
        trpr = tr.find(W + "trPr")
        if trpr is None:
            continue
        if trpr.find(W + drop) is not None:
            tr.getparent().remove(tr)
            continue
        for marker in trpr.findall(W + keep):
            trpr.remove(marker)
    for change in list(body.iter(W + "tcPrChange")):
        tcpr = change.getparent()
        if keep == "ins":
            tcpr.remove(change)
        else:
            old = change.find(W + "tcPr")
            for child in list(tcpr):
                tcpr.remove(child)
            for child in list(old):
                tcpr.append(child)
    joined = []
    for p in body.iter(W + "p"):
        rpr = p.find(f"{W}pPr/{W}rPr")
        if rpr is None:
            continue
        if rpr.find(W + drop) is not None:
            joined.append(p)
        for tag in (keep, drop):
            for marker in rpr.findall(W + tag):
                rpr.remove(marker)
    for el in list(body.iter(W + drop)):
        el.getparent().remove(el)
    for el in list(body.iter(W + keep)):
        parent = el.getparent()
        at = parent.index(el)
        for k, child in enumerate(list(el)):
            parent.insert(at + k, child)
        parent.remove(el)
    if keep == "del":
        for t in body.iter(W + "delText"):
            t.tag = W + "t"
    for p in joined:
        content = [c for c in p if c.tag != W + "pPr"]
        following = p.getnext()
        if content:
            assert following is not None and following.tag == W + "p", "a joined paragraph has no next paragraph"
            at = 1 if following.find(W + "pPr") is not None else 0
            for k, child in enumerate(content):
                following.insert(at + k, child)
        p.getparent().remove(p)
    for tbl in list(body.iter(W + "tbl")):
        if tbl.find(W + "tr") is None:
            tbl.getparent().remove(tbl)
    return body


def _own_lines(project, template, number) -> list[str]:
    """The text of the project's own 经费说明 and 申报表, as perfdoc build writes them."""
    if project is None:
        return []
    return (body_lines(build_narrative(project, template, number=number).element.body)
            + body_lines(build_declaration(project, template, number=number).element.body))


def _parts(lines: list[str], diff) -> dict[str, list[str]]:
    """Each changed project's part of the report (after its heading and change line)."""
    changed = [p for p in diff.projects if p.status != "unchanged"]
    heads = [part_heading(n, p) for n, p in enumerate(changed, start=1)]
    at = [lines.index(h) for h in heads]
    assert at == sorted(at)
    ends = at[1:] + [len(lines)]
    return {p.pair.key: lines[a + 2:b] for p, a, b in zip(changed, at, ends)}


def _numbers(dep) -> dict[str, int]:
    return {p.key: i for i, p in enumerate(dep.ordered_projects(), start=1)}


# -- the report ------------------------------------------------------------------------

def test_statuses(diff):
    assert {p.name: p.status for p in diff.projects} == {
        "党组织建设": "unchanged", "宣传与推广": "renamed", "业务培训": "changed",
        "防疫物资保障": "added", "疫情防控": "removed",
    }


def test_title_and_summary_table(report):
    lines = document_text(report).splitlines()
    assert lines[0] == REPORT_TITLE
    assert lines[1].startswith("原：") and lines[2].startswith("新：")
    assert "项目个数 | 4 | 4 | 新增 1、删除 1、改名 1、修改 1、未变 1" in lines
    # amounts as the Shanghai forms write them, whatever the layout of the forms below
    assert "年度资金申请总额（元） | 1,650,000.00 | 1,710,000.00 | +60,000.00（+3.64%）" in lines
    assert "业务培训 | 290,000.00 | 350,000.00 | 修改" in lines
    assert "防疫物资保障 | — | 20,000.00 | 新增" in lines
    assert "疫情防控 | 20,000.00 | — | 删除" in lines
    assert "宣传与推广 | 320,000.00 | 320,000.00 | 改名（文件 宣传与推广.toml → 宣传推广.toml）" in lines
    assert ("改动：项目资金总额 290,000.00 → 350,000.00（+60,000.00）；项目资金总额 · 财政资金 290,000.00 → "
            "350,000.00（+60,000.00）；年度资金申请总额 290,000.00 → 350,000.00（+60,000.00）；") in "\n".join(lines)


def test_accepting_every_revision_gives_new(report, diff):
    template = report_template(diff)
    numbers = _numbers(diff.new)
    parts = _parts(body_lines(resolve(_body(report), "ins")), diff)
    assert set(parts) == {"宣传推广", "业务培训", "防疫物资保障", "疫情防控"}
    for p in diff.projects:
        if p.status == "unchanged":
            continue
        new = p.pair.new
        expected = _own_lines(new, template, numbers[new.key] if new else None)
        assert parts[p.pair.key] == expected, p.name


def test_rejecting_every_revision_gives_old(report, diff):
    template = report_template(diff)
    numbers = _numbers(diff.old)
    parts = _parts(body_lines(resolve(_body(report), "del")), diff)
    for p in diff.projects:
        if p.status == "unchanged":
            continue
        old = p.pair.old
        expected = _own_lines(old, template, numbers[old.key] if old else None)
        assert parts[p.pair.key] == expected, p.name


def test_changes_are_tracked_where_they_are(report):
    text = document_text(report)
    # a value in a cell: OLD's above NEW's, in two paragraphs (the first one's mark inserted and deleted)
    assert "[->=50家-] ¶ {+>=55家+}" in text
    assert "项目资金总额 | [-290000-] ¶ {+350000+} | 年度资金申请总额 | [-290000-] ¶ {+350000+}" in text
    assert "一般在[-8-]{+7+}月至9月实施{+，全年不少于两期+}。" in text
    assert "{+宣传覆盖面+}" in text and "[-基层党组织参与情况-]" in text and "[-培训开展及时率-]" in text
    assert "{+全年开展主题宣传不少于4次。+}" in text
    # the added project is all inserted, the removed one all deleted
    assert "{+防疫物资保障项目经费情况说明+}" in text or "{+项目经费情况说明4+}" in text
    assert "[-参与活动的党组织数量-]" in text and "{+参与活动的党组织数量+}" in text


def test_every_revision_has_author_fixed_date_and_unique_id(report):
    body = _body(report)
    revisions = [el for el in body.iter() if el.tag in REVISION_TAGS]
    assert len(revisions) > 50
    ids = [el.get(W + "id") for el in revisions]
    assert all(i is not None and i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)
    for el in revisions:
        assert el.get(W + "author") == AUTHOR == "perfdoc"
        assert el.get(W + "date") == DATE == "2000-01-01T00:00:00Z"
    kinds = {(el.getparent().tag, el.tag) for el in revisions}
    assert (W + "trPr", W + "ins") in kinds and (W + "trPr", W + "del") in kinds  # rows
    assert (W + "rPr", W + "ins") in kinds and (W + "rPr", W + "del") in kinds  # paragraph marks
    assert (W + "p", W + "ins") in kinds and (W + "p", W + "del") in kinds  # text
    assert (W + "tcPr", W + "tcPrChange") in kinds  # a vertical merge changed


def test_unchanged_projects_by_name_only(report, diff):
    text = document_text(report)
    assert "未变的项目（1 个）：党组织建设。" in text
    unchanged = next(p.pair.new for p in diff.projects if p.status == "unchanged")
    assert unchanged.model.goals.annual[:30] not in text
    assert "党组织建设（" not in text  # no part of its own
    assert text.count("党组织建设") == 2  # the summary table and the list


def test_deterministic_bytes(folders, report):
    again = to_bytes(build_report(diff_departments(_department(folders[0]), _department(folders[1]))))
    assert again == report


def test_opens_with_python_docx(report):
    document = docx.Document(io.BytesIO(report))
    assert document.paragraphs[0].text == REPORT_TITLE


def _vmerge(tc) -> str | None:
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    if vm is None:
        return None
    return "restart" if vm.get(W + "val") == "restart" else "continue"


def _span(tc) -> int:
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    return int(span.get(W + "val")) if span is not None else 1


def assert_merges_valid(body: etree._Element) -> None:
    """Every continued cell has a merged cell of the same width directly above it."""
    for tbl in body.iter(W + "tbl"):
        above: dict[int, tuple[int, str | None]] = {}
        for tr in tbl.findall(W + "tr"):
            here = {}
            col = 0
            for tc in tr.findall(W + "tc"):
                span, vm = _span(tc), _vmerge(tc)
                if vm == "continue":
                    assert col in above and above[col][1] is not None and above[col][0] == span, \
                        etree.tostring(tr, encoding="unicode")[:300]
                here[col] = (span, vm)
                col += span
            above = here


def test_vertical_merges_valid_in_every_view(report):
    body = _body(report)
    assert_merges_valid(body)
    assert_merges_valid(resolve(body, "ins"))
    assert_merges_valid(resolve(body, "del"))


def assert_word_order(body: etree._Element) -> None:
    """Where Word wants the revision elements (ECMA-376 sequences) and what they hold."""
    for el in body.iter(W + "ins", W + "del"):
        parent = el.getparent()
        if parent.tag == W + "rPr":  # a paragraph mark: first in its w:rPr (w:ins before w:del), under w:pPr
            assert parent.getparent().tag == W + "pPr"
            assert parent.index(el) == 0 or el.tag == W + "del" and el.getprevious().tag == W + "ins"
            assert len(el) == 0
        elif parent.tag == W + "trPr":  # a row: after the row's other properties
            assert all(c.tag in (W + "ins", W + "del", W + "trPrChange") for c in el.itersiblings())
            assert len(el) == 0
        else:
            assert parent.tag == W + "p" and len(el) > 0
            for r in el:
                assert r.tag == W + "r"
                texts = {c.tag for c in r}
                if el.tag == W + "del":
                    assert W + "t" not in texts and W + "delText" in texts | {W + "tab", W + "br"} or texts <= {
                        W + "rPr", W + "tab", W + "br"}
                else:
                    assert W + "delText" not in texts
    for change in body.iter(W + "tcPrChange"):
        assert change.getparent().tag == W + "tcPr" and change.getnext() is None
        assert [c.tag for c in change] == [W + "tcPr"]
    for p in body.iter(W + "p"):
        children = [c.tag for c in p]
        if W + "pPr" in children:
            assert children.index(W + "pPr") == 0


def test_revision_elements_where_word_wants_them(report):
    assert_word_order(_body(report))


@pytest.mark.libreoffice
def test_libreoffice_converts_the_report(tmp_path, report):
    path = tmp_path / "变更报告.docx"
    path.write_bytes(report)
    pdf = to_pdf([path], tmp_path / "pdf")[path]
    text = pdf_text(pdf)
    assert REPORT_TITLE in text
    assert "项目个数" in text and "年度资金申请总额" in text
    assert "业务培训290,000.00350,000.00修改" in text  # the summary table: two cells
    # LibreOffice shows the revisions: in a cell the deleted value, then (below it) the inserted one
    assert "项目资金总额290000350000" in text and ">=50家>=55家" in text
    assert "防疫物资保障" in text


@pytest.mark.libreoffice
def test_libreoffice_reads_the_revisions(tmp_path, report):
    """Saved again by LibreOffice, the report still holds the revisions: LibreOffice read them as such."""
    need_libreoffice()
    path = tmp_path / "变更报告.docx"
    path.write_bytes(report)
    out = tmp_path / "resaved"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=600)
    body = _body((out / path.name).read_bytes())
    revisions = [el for el in body.iter(W + "ins", W + "del")]
    assert {el.get(W + "author") for el in revisions} == {"perfdoc"}
    assert {el.get(W + "date") for el in revisions} == {"2000-01-01T00:00:00Z"}
    rows = {el.tag for el in revisions if el.getparent().tag == W + "trPr"}
    assert rows == {W + "ins", W + "del"}
    deleted = "".join(t.text or "" for t in body.iter(W + "delText"))
    assert "培训开展及时率" in deleted and "290000" in deleted


# -- a year rolled over: only real edits are revisions ------------------------------------

def _make_rolled(base: Path) -> tuple[Path, Path, Path, Path]:
    """OLD (2022), ROLLED (perfdoc next-year), RENAMED (ROLLED with one file renamed), EDITED (ROLLED edited)."""
    old = base / "2022" / "2022-songjiang"
    shutil.copytree(PROJECTS / "2022-songjiang", old)
    rolled = base / "2023" / "2023-songjiang"
    rolled.parent.mkdir()
    roll_over(old, rolled)
    renamed = base / "renamed" / "2023-songjiang"
    shutil.copytree(rolled, renamed)
    (renamed / "宣传与推广.toml").rename(renamed / "宣传推广.toml")
    _edit(renamed / "department.toml", '"宣传与推广"', '"宣传推广"')
    edited = base / "edited" / "2023-songjiang"
    shutil.copytree(rolled, edited)
    p = edited / "党组织建设.toml"  # the amounts of the issue: 1020000 → 1100000
    for key in ("total", "total_fiscal", "annual", "annual_appropriation"):
        _edit(p, f"\n{key} = 1020000 ", f"\n{key} = 1100000 ")
    _edit(edited / "业务培训.toml", "一般在8月至9月实施。", "一般在7月至9月实施。")
    _edit(edited / "业务培训.toml", 'target = ">=50家"', 'target = ">=55家"')
    return old, rolled, renamed, edited


@pytest.fixture(scope="module")
def rolled_folders(tmp_path_factory):
    return _make_rolled(tmp_path_factory.mktemp("rolled"))


def _report_of(old: Path, new: Path):
    diff = diff_departments(_department(old), _department(new))
    return diff, to_bytes(build_report(diff))


def test_a_roll_over_alone_has_no_revisions(rolled_folders):
    old, _, renamed, _ = rolled_folders
    diff, report = _report_of(old, renamed)
    assert [p.status for p in diff.projects].count("renamed") == 1
    assert not [el for el in _body(report).iter() if el.tag in REVISION_TAGS]
    text = document_text(report)
    assert "1. 宣传与推广（改名）" in text
    assert "改动：项目文件由 宣传与推广.toml 改名为 宣传推广.toml。这些改动不影响经费说明和申报表的文字。" in text
    assert "（2023年度）" in text and "计划开始日期 | 2023-01-01 | 计划完成日期 | 2023-12-31" in text
    assert "项目总目标（2023年-2023年）" in text
    assert "单纯的年度顺延" in text and "全部拒绝得到的是顺延到新年度的原文件" in text


def test_next_year_output_against_its_source_has_no_revisions(rolled_folders):
    old, rolled, _, _ = rolled_folders
    _, report = _report_of(old, rolled)
    assert not [el for el in _body(report).iter() if el.tag in REVISION_TAGS]
    assert "未变的项目（4 个）" in document_text(report)


def test_after_a_roll_over_only_the_edits_are_revisions(rolled_folders):
    old, _, _, edited = rolled_folders
    diff, report = _report_of(old, edited)
    text = document_text(report)
    assert "年度资金申请总额（元） | 1,650,000.00 | 1,730,000.00 | +80,000.00（+4.85%）" in text
    assert "党组织建设 | 1,020,000.00 | 1,100,000.00 | 修改" in text
    assert ("项目资金总额 | [-1020000-] ¶ {+1100000+} | 年度资金申请总额 | [-1020000-] ¶ {+1100000+}"
            in text)
    assert "一般在[-8-]{+7+}月至9月实施。" in text
    assert "[->=50家-] ¶ {+>=55家+}" in text
    assert "预算资金[-102-]{+110+}万元" in text
    # the years are NEW's, as plain text
    assert "（2023年度）" in text and "计划开始日期 | 2023-01-01 | 计划完成日期 | 2023-12-31" in text
    assert "拟于2023年1月至2023年12月实施" in text
    body = _body(report)
    deleted = "".join(t.text or "" for t in body.iter(W + "delText"))
    inserted = "".join(t.text or "" for el in body.iter(W + "ins") for t in el.iter(W + "t"))
    assert "2022" not in deleted and "2023" not in inserted
    # nothing else is a revision: 预算资金 102 万元, the four amounts of the form, 8月, the target
    assert deleted == "102" + "1020000" + "1020000" + "1020000" + "1020000" + "8" + ">=50家"
    assert inserted == "110" + "1100000" + "1100000" + "1100000" + "1100000" + "7" + ">=55家"


def test_after_a_roll_over_accepting_gives_new_and_rejecting_the_rolled_over_old(rolled_folders):
    """Accepting every revision gives EDITED's documents; rejecting them, those next-year made."""
    old, rolled, _, edited = rolled_folders
    diff, report = _report_of(old, edited)
    template = report_template(diff)
    accepted = _parts(body_lines(resolve(_body(report), "ins")), diff)
    rejected = _parts(body_lines(resolve(_body(report), "del")), diff)
    assert set(accepted) == set(rejected) == {"党组织建设", "业务培训"}
    new_dep, rolled_dep = _department(edited), _department(rolled)
    for dep, parts in ((new_dep, accepted), (rolled_dep, rejected)):
        numbers = _numbers(dep)
        for project in dep.projects:
            if project.key in parts:
                assert parts[project.key] == _own_lines(project, template, numbers[project.key]), project.key


def test_old_as_compared_keeps_exactly_the_reported_changes(rolled_folders, folders):
    """OLD as the report renders it differs from NEW in what the diff reports, and in nothing else."""
    from perfdoc.diff.changes import diff_projects
    from perfdoc.diff.match import ProjectPair
    from perfdoc.diff.rolled import as_compared

    old, _, _, edited = rolled_folders
    for a, b in ((old, edited), folders):
        for p in diff_departments(_department(a), _department(b)).projects:
            if p.pair.old is None or p.pair.new is None:
                continue
            again = diff_projects(ProjectPair(as_compared(p), p.pair.new, "matched"), 0)
            assert [(c.path, c.old, c.new) for c in again.fields] == [(c.path, c.old, c.new) for c in p.fields]
            assert again.indicators == p.indicators


# -- tracked changes between any two renderings -----------------------------------------

def _wrap(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')


def assert_round_trip(old_parts, new_parts, row_keys=()) -> etree._Element:
    """Tracking NEW against OLD: accepting gives NEW's text, rejecting OLD's; merges valid."""
    body = _wrap(track_changes(old_parts, new_parts, Revisions(), row_keys=row_keys))
    new_lines = body_lines(_wrap("".join(new_parts or [])))
    old_lines = body_lines(_wrap("".join(old_parts or [])))
    assert body_lines(resolve(body, "ins")) == new_lines
    assert body_lines(resolve(body, "del")) == old_lines
    for view in (body, resolve(body, "ins"), resolve(body, "del")):
        assert_merges_valid(view)
    assert_word_order(body)
    ids = [el.get(W + "id") for el in body.iter() if el.tag in REVISION_TAGS]
    assert len(ids) == len(set(ids))
    return body


def _examples():
    out = []
    for folder in ("2026-hongqiao", "2022-huacao", "2022-songjiang"):
        out += _department(PROJECTS / folder).ordered_projects()
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
    body = _wrap(track_changes(old, new, Revisions(), row_keys=DECLARATION_KEYS))
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
    assert body_lines(_wrap(xml)) == body_lines(_wrap("".join(declaration_xml(project, template))))


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


def test_old_value_above_new_in_two_paragraphs_of_which_the_first_goes_either_way():
    body = _wrap(track_changes(_one_cell("1020000"), _one_cell("1100000"), Revisions()))
    first, second = body.iter(W + "p")
    assert [m.tag for m in first.find(f"{W}pPr/{W}rPr")] == [W + "ins", W + "del"]
    assert "".join(t.text for t in first.iter(W + "delText")) == "1020000"
    assert second.find(f"{W}pPr/{W}rPr") is None
    assert "".join(t.text for t in second.iter(W + "t")) == "1100000"
    assert [t.getparent().getparent().tag for t in second.iter(W + "t")] == [W + "ins"]


def test_unique_ids_across_the_report(report):
    ids = [int(el.get(W + "id")) for el in _body(report).iter() if el.tag in REVISION_TAGS]
    assert sorted(ids) == list(range(1, len(ids) + 1))


def test_report_needs_a_usable_template(folders):
    from perfdoc.render.template import TemplateError

    old, new = _department(folders[0]), _department(folders[1])
    new.model.layout.template = "没有这个版式"
    with pytest.raises(TemplateError, match="找不到版式"):
        build_report(diff_departments(old, new))


def test_no_changes_at_all(folders):
    old = _department(folders[0])
    again = _department(folders[0])
    report = to_bytes(build_report(diff_departments(old, again)))
    text = document_text(report)
    assert "各项目的内容都没有变化。" in text
    assert not [el for el in _body(report).iter() if el.tag in REVISION_TAGS]
    assert re.search(r"未变的项目（4 个）", text)
