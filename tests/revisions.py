"""Helpers for the tests of tracked changes and the Word 变更报告: accepting and rejecting every
revision the way Word does, the checks Word's schema and vertical merges ask for, and the
report's parts."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from perfdoc.diff.docx_report import part_heading
from perfdoc.diff.tracked import Revisions, track_changes
from perfdoc.load import load_paths
from perfdoc.render.declaration import build_declaration
from perfdoc.render.docxml import W_NS
from perfdoc.render.narrative import build_narrative
from perfdoc.read.text import body_lines

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "projects"
W = f"{{{W_NS}}}"
REVISION_TAGS = {W + "ins", W + "del", W + "tcPrChange"}


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), "utf-8")


def make_folders(base: Path) -> tuple[Path, Path]:
    """OLD and NEW 2022 松江 (same year): amounts, targets, indicators, texts and files changed."""
    old = base / "old" / "2022-songjiang"
    new = base / "new" / "2022-songjiang"
    shutil.copytree(PROJECTS / "2022-songjiang", old)
    shutil.copytree(PROJECTS / "2022-songjiang", new)

    # 业务培训: amounts raised, a target changed, an indicator removed, a sentence edited
    p = new / "业务培训.toml"
    edit_file(p, "total = 290000 ", "total = 350000 ")
    edit_file(p, "total_fiscal = 290000", "total_fiscal = 350000")
    edit_file(p, 'annual = "290000.00"', 'annual = "350000.00"')
    edit_file(p, "annual_appropriation = 290000", "annual_appropriation = 350000")
    edit_file(p, 'target = ">=50家"', 'target = ">=55家"')
    edit_file(p, '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "时效指标"\nname = "培训开展及时率"\ntarget = "及时"\n\n', "")
    edit_file(p, "一般在8月至9月实施。", "一般在7月至9月实施，全年不少于两期。")

    # 宣传与推广: the file renamed; the first indicator of a group removed, one added at the head
    # of another group (both change a cell's vertical merge); the annual goal in two paragraphs
    p = new / "宣传与推广.toml"
    edit_file(p, '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "基层党组织参与情况"\n'
                 'target = ">=50家"\n\n', "")
    edit_file(p, '[[indicators]]\nlevel1 = "效益指标"',
              '[[indicators]]\nlevel1 = "效益指标"\nlevel2 = "社会效益指标"\nname = "宣传覆盖面"\ntarget = "扩大"\n\n'
              '[[indicators]]\nlevel1 = "效益指标"')
    edit_file(p, "为城市精细化管理贡献力量。\"\n\n[[indicators]]",
              "为城市精细化管理贡献力量。\n\n全年开展主题宣传不少于4次。\"\"\"\n\n[[indicators]]")
    edit_file(p, 'annual = "通过组织中心组学习', 'annual = """通过组织中心组学习')
    p.rename(new / "宣传推广.toml")

    # 疫情防控 removed; 防疫物资保障 added
    p = new / "疫情防控.toml"
    added = new / "防疫物资保障.toml"
    p.rename(added)
    edit_file(added, 'name = "疫情防控"', 'name = "防疫物资保障"')
    edit_file(added, 'target = ">=30家"', 'target = ">=40家"')

    edit_file(new / "department.toml", 'order = ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]',
              'order = ["党组织建设", "宣传推广", "业务培训", "防疫物资保障"]')
    return old, new


def load_department(folder: Path):
    result = load_paths([folder])
    assert not result.fatal and len(result.departments) == 1, result.problems
    return result.departments[0]


def document_body(data: bytes) -> etree._Element:
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


def own_lines(project, template, number) -> list[str]:
    """The text of the project's own 经费说明 and 申报表, as perfdoc build writes them."""
    if project is None:
        return []
    return (body_lines(build_narrative(project, template, number=number).element.body)
            + body_lines(build_declaration(project, template, number=number).element.body))


def report_parts(lines: list[str], diff) -> dict[str, list[str]]:
    """Each changed project's part of the report (after its heading and change line)."""
    changed = [p for p in diff.projects if p.status != "unchanged"]
    heads = [part_heading(n, p) for n, p in enumerate(changed, start=1)]
    at = [lines.index(h) for h in heads]
    assert at == sorted(at)
    ends = at[1:] + [len(lines)]
    return {p.pair.key: lines[a + 2:b] for p, a, b in zip(changed, at, ends)}


def project_numbers(dep) -> dict[str, int]:
    return {p.key: i for i, p in enumerate(dep.ordered_projects(), start=1)}


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


# -- tracked changes between two renderings ---------------------------------------------

def wrap(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')


def assert_round_trip(old_parts, new_parts, row_keys=()) -> etree._Element:
    """Tracking NEW against OLD: accepting gives NEW's text, rejecting OLD's; merges valid."""
    body = wrap(track_changes(old_parts, new_parts, Revisions(), row_keys=row_keys))
    new_lines = body_lines(wrap("".join(new_parts or [])))
    old_lines = body_lines(wrap("".join(old_parts or [])))
    assert body_lines(resolve(body, "ins")) == new_lines
    assert body_lines(resolve(body, "del")) == old_lines
    for view in (body, resolve(body, "ins"), resolve(body, "del")):
        assert_merges_valid(view)
    assert_word_order(body)
    ids = [el.get(W + "id") for el in body.iter() if el.tag in REVISION_TAGS]
    assert len(ids) == len(set(ids))
    return body
