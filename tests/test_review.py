"""``perfdoc review``: check's findings as Word comments in the documents received.

For every example department: ``build --force``, then review its 汇总表 (with its 自评汇总 where
it has one) and, in a second run, each 申报表 alone.  The comments are exactly the findings
``perfdoc check`` reports on the example's own project files, each anchored around the text it
concerns (the value at the finding's line of the project file, as the form prints it); a
申报表 reviewed alone gets the findings of its project except those about the 经费说明 and the
self-evaluation, which it does not hold.  Taking the comments out of a reviewed copy gives
back the received document exactly.  A document made here with python-docx, in an arrangement
perfdoc does not write, gets exactly its three planted faults at their cells.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import tomli
from lxml import etree

from perfdoc.load import load_department

from conftest import PROJECTS, run_cli

EXAMPLES = sorted(p.name for p in PROJECTS.iterdir() if (p / "department.toml").is_file())
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Findings about the 经费说明 (not in a 申报表 reviewed alone) and about the self-evaluation.
NARRATIVE_CODES = {"PD503", "PD505", "PD104", "PD106"}
EVALUATION_CODES = {f"PD6{n:02d}" for n in range(1, 11)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    done = run_cli("build", "--force", "-o", str(out), *(str(PROJECTS / name) for name in EXAMPLES))
    assert done.returncode == 0, done.stderr
    return out


# -- reading a reviewed copy ------------------------------------------------------------------

def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def comments_of(path: Path) -> list[tuple[str, str]]:
    """(comment text, text of the range it covers) of each comment by perfdoc, in document order."""
    parts = parts_of(path)
    if "word/comments.xml" not in parts:
        return []
    texts = {}
    for c in etree.fromstring(parts["word/comments.xml"]).iter(W + "comment"):
        if c.get(W + "author") == "perfdoc":
            texts[c.get(W + "id")] = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
    open_ranges: dict[str, list[str]] = {}
    done: list[tuple[str, str]] = []
    for el in etree.fromstring(parts["word/document.xml"]).iter():
        if el.tag == W + "commentRangeStart" and el.get(W + "id") in texts:
            open_ranges[el.get(W + "id")] = []
        elif el.tag == W + "t":
            for chunks in open_ranges.values():
                chunks.append(el.text or "")
        elif el.tag == W + "commentRangeEnd" and el.get(W + "id") in open_ranges:
            done.append((texts[el.get(W + "id")], "".join(open_ranges.pop(el.get(W + "id")))))
    assert not open_ranges, "a comment range is not closed"
    return done


def _squash(text: str) -> str:
    return "".join(text.split())


def _without_line(message: str) -> str:
    """A PD303 message names the first occurrence: by line in the project file, by place in the document."""
    return re.sub(r"（第一次出现在[^）]*）", "", message)


def expected_text(problem: dict) -> str:
    """What the commented range must hold: the value at the finding's line of the example's project
    file (a number as the forms print it), the indicator table's heading for a missing 一级, the
    section's heading for an empty section of a project without [narrative]."""
    if problem["code"] == "PD503" and problem["line"] == 1:
        return re.search(r"“(.+?)”一节", problem["message"])[1]
    line = Path(problem["file"]).read_text("utf-8").splitlines()[problem["line"] - 1]
    if line.strip().startswith("[[indicators]]"):
        return "一级指标"
    value = tomli.loads("v =" + line.split("=", 1)[1], parse_float=Decimal)["v"]
    if isinstance(value, (int, Decimal)):
        return f"{Decimal(value):.2f}"
    return _squash(str(value))


def check_problems(folder: Path) -> list[dict]:
    done = run_cli("check", str(folder), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["problems"]


def assert_comments_are(problems: list[dict], comments: list[tuple[str, str]]) -> None:
    """Each problem is one comment: its level, code and message, anchored around its text."""
    assert len(comments) == len(problems), (len(comments), len(problems))
    left = list(comments)
    for p in problems:
        level = {"error": "错误", "warning": "警告"}[p["severity"]]
        head = f"【{level} {p['code']}】{_without_line(p['message'])}"
        match = next((c for c in left if _without_line(c[0].split("\n")[0]) == head), None)
        assert match is not None, (head, [c[0].split("\n")[0] for c in left])
        left.remove(match)
        assert expected_text(p) in _squash(match[1]), (p["code"], p["message"], expected_text(p), match[1])
        assert "合格示例：" in match[0]


def review(*files: Path, out: Path, fmt: str = "json"):
    return run_cli("review", *map(str, files), "-o", str(out), "--format", fmt)


# -- the examples -----------------------------------------------------------------------------

def _summaries(built: Path, name: str) -> list[Path]:
    folder = built / name
    return sorted(folder.glob("*年度项目绩效目标汇总表.docx")) + sorted(folder.glob("*年度项目绩效自评汇总.docx"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_table_gets_every_finding_of_check(name, built, tmp_path):
    documents = _summaries(built, name)
    done = review(*documents, out=tmp_path / "out")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    problems = check_problems(PROJECTS / name)
    comments = []
    for doc in report["documents"]:
        found = comments_of(tmp_path / "out" / Path(doc["reviewed"]).name)
        assert len(found) == doc["comments"] == len(doc["findings"])
        comments += found
    assert_comments_are(problems, comments)
    assert report["summary"]["findings"] == len(problems)
    # the 自评汇总 holds the self-evaluation's findings, the 汇总表 the others
    for doc in report["documents"]:
        codes = {f["code"] for f in doc["findings"]}
        assert bool(codes & EVALUATION_CODES) == ("自评汇总" in doc["file"] and bool(codes)), (doc["file"], codes)
    for doc in report["documents"]:
        assert_copy_is_original_plus_comments(Path(doc["file"]), tmp_path / "out" / Path(doc["reviewed"]).name)


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_declaration_alone_gets_the_findings_it_holds(name, built, tmp_path):
    documents = sorted((built / name).glob("*-申报表.docx"))
    done = review(*documents, out=tmp_path / "out")
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    names = {Path(p.source.path).name: p.model.name for p in load_department(PROJECTS / name).departments[0].projects}
    problems = check_problems(PROJECTS / name)
    assert len(report["documents"]) == len(documents) == len(names)
    for doc in report["documents"]:
        assert len(doc["projects"]) == 1
        mine = [p for p in problems if names[Path(p["file"]).name] == doc["projects"][0]
                and p["code"] not in NARRATIVE_CODES | EVALUATION_CODES]
        assert_comments_are(mine, comments_of(tmp_path / "out" / Path(doc["reviewed"]).name))
        assert doc["without_narrative"] == doc["projects"]
        assert_copy_is_original_plus_comments(Path(doc["file"]), tmp_path / "out" / Path(doc["reviewed"]).name)


def test_a_narrative_sent_apart_is_reviewed_with_its_declaration(built, tmp_path):
    folder = built / "2022-songjiang"
    done = review(folder / "疫情防控-申报表.docx", folder / "疫情防控-经费说明.docx", out=tmp_path / "out", fmt="text")
    assert done.returncode == 1, done.stderr
    assert comments_of(tmp_path / "out" / "疫情防控-申报表-审核.docx") == []
    (text, anchored), = comments_of(tmp_path / "out" / "疫情防控-经费说明-审核.docx")
    assert text.startswith("【警告 PD505】立项依据没有写出文件")
    assert anchored == "1.文件依据：根据市委、区委相关会议精神。"
    assert "未审核" not in done.stdout


# -- the reviewed copy is the received document plus comments -----------------------------------

def _c14n(xml: bytes | etree._Element) -> bytes:
    root = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    return etree.tostring(root, method="c14n")


def strip_comments(document: bytes, ids: set[str]) -> bytes:
    root = etree.fromstring(document)
    for el in list(root.iter(W + "commentRangeStart", W + "commentRangeEnd")):
        if el.get(W + "id") in ids:
            el.getparent().remove(el)
    for ref in list(root.iter(W + "commentReference")):
        run = ref.getparent()
        if ref.get(W + "id") in ids and len(run) == 1:
            run.getparent().remove(run)
    return _c14n(root)


def assert_copy_is_original_plus_comments(original: Path, reviewed: Path) -> None:
    before, after = parts_of(original), parts_of(reviewed)
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(reviewed) as b:
        assert [i.filename for i in b.infolist()][:len(a.infolist())] == [i.filename for i in a.infolist()]
    def comment_ids(parts: dict) -> set[str]:
        if "word/comments.xml" not in parts:
            return set()
        return {c.get(W + "id") for c in etree.fromstring(parts["word/comments.xml"]).iter(W + "comment")}

    ids = comment_ids(after) - comment_ids(before)  # the comments perfdoc added
    changed = {"word/document.xml"}
    if "word/comments.xml" in before and ids:  # a comments part already there: its comments kept as they were
        old = etree.fromstring(before["word/comments.xml"])
        kept = etree.fromstring(after["word/comments.xml"])
        assert [_c14n(c) for c in kept][:len(old)] == [_c14n(c) for c in old]
        assert all(c.get(W + "author") == "perfdoc" for c in list(kept)[len(old):])
    if ids:
        new = "word/comments.xml" not in before
        changed |= {"word/comments.xml"} | ({"[Content_Types].xml", "word/_rels/document.xml.rels"} if new else set())
        assert set(after) - set(before) == ({"word/comments.xml"} if new else set())
    for name, data in before.items():
        if name not in changed:
            assert after[name] == data, name
    assert strip_comments(after["word/document.xml"], ids) == _c14n(before["word/document.xml"])
    if ids and "word/comments.xml" not in before:
        types = etree.fromstring(after["[Content_Types].xml"])
        added = [o for o in types if o.get("PartName") == "/word/comments.xml"]
        assert len(added) == 1
        types.remove(added[0])
        assert _c14n(types) == _c14n(before["[Content_Types].xml"])
        rels = etree.fromstring(after["word/_rels/document.xml.rels"])
        added = [r for r in rels if r.get("Type", "").endswith("/comments")]
        assert len(added) == 1 and added[0].get("Target") == "comments.xml"
        rels.remove(added[0])
        assert _c14n(rels) == _c14n(before["word/_rels/document.xml.rels"])


# -- a document perfdoc did not write --------------------------------------------------------------

def add_table(document, rows: list[list[str]]):
    """A table from rows of texts: "<" joins the cell to the one on its left, "^" to the one above."""
    n, m = len(rows), max(len(r) for r in rows)
    table = document.add_table(rows=n, cols=m)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text not in ("<", "^"):
                table.cell(i, j).text = text
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text in ("<", "^"):
                continue
            right, down = j, i
            while right + 1 < len(row) and row[right + 1] == "<":
                right += 1
            while down + 1 < n and j < len(rows[down + 1]) and rows[down + 1][j] == "^":
                down += 1
            if right > j or down > i:
                table.cell(i, j).merge(table.cell(down, right))


def foreign_form(faults: bool = True, comment: bool = False) -> bytes:
    """The whole form in one table, 一级/二级 repeated on every row; three faults planted: the
    total is not its parts (PD101), a 率 counted in 个 (PD401), a 三级 twice (PD303).  With
    ``comment``, the title carries a comment by someone else (张三)."""
    d = docx.Document()
    title = d.add_paragraph("财政项目支出绩效目标申报表")
    if comment:
        d.add_comment(title.runs, text="请核对标题", author="张三", initials="张")
    d.add_paragraph("（2024年度）")
    add_table(d, [
        ["项目名称", "社区服务项目", "项目类别", "特定目标类"],
        ["项目性质", "一次性项目", "主管部门", "上海市闵行区某街道办事处"],
        ["实施单位", "闵行区某街道社区服务中心", "项目负责人", "张三"],
        ["计划开始日期", "2024.01.01", "计划完成日期", "2024.12.31"],
        ["项目资金(元)", "项目资金总额", "1,650,000.00" if faults else "1,600,000.00", "<"],
        ["^", "其中:财政资金", "1,500,000.00", "<"],
        ["^", "其他资金", "100,000.00", "<"],
        ["^", "年度资金申请总额", "1,600,000.00", "<"],
        ["^", "其中:当年财政拨款", "1,500,000.00", "<"],
        ["^", "上年结转资金", "0.00", "<"],
        ["^", "其他资金", "100,000.00", "<"],
        ["项目绩效目标", "项目总目标", "全年为辖区居民提供社区服务。", "<"],
        ["^", "年度目标", "全年开展社区服务活动12场，服务8000人次。", "<"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "服务人次", "≥8000人"],
        ["产出指标", "数量指标", "活动场次", "=12场"],
        ["产出指标", "质量指标", "服务完成率", "=100个" if faults else "=100%"],
        ["效益指标", "社会效益指标", "居民参与社区活动人次", "≥5000人"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"],
        ["满意度指标", "服务对象满意度指标", "居民满意度" if faults else "活动参与人员满意度", "≥95%"],
    ])
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _cell_of_comment(path: Path) -> list[tuple[str, int, int]]:
    """(comment's first line, row, column) of each comment: the table cell its range starts in."""
    root = etree.fromstring(parts_of(path)["word/document.xml"])
    texts = {c[0].split("\n")[0] for c in comments_of(path)}
    heads = {}
    for c in etree.fromstring(parts_of(path)["word/comments.xml"]).iter(W + "comment"):
        heads[c.get(W + "id")] = "".join(t.text or "" for t in next(c.iter(W + "p")).iter(W + "t"))
    out = []
    rows = list(next(root.iter(W + "tbl")).iter(W + "tr"))
    for start in root.iter(W + "commentRangeStart"):
        tc = next(a for a in start.iterancestors(W + "tc"))
        tr = tc.getparent()
        out.append((heads[start.get(W + "id")], rows.index(tr), [c for c in tr if c.tag == W + "tc"].index(tc)))
    assert {h for h, _, _ in out} == texts
    return out


def test_foreign_form_gets_its_three_planted_faults_at_their_cells(tmp_path):
    form = tmp_path / "收到的申报表.docx"
    form.write_bytes(foreign_form())
    done = review(form, out=tmp_path / "审核结果", fmt="text")
    assert done.returncode == 1, done.stderr
    reviewed = tmp_path / "审核结果" / "收到的申报表-审核.docx"
    assert sorted(_cell_of_comment(reviewed)) == sorted([
        ("【错误 PD101】项目资金总额 1,650,000.00 元 ≠ 财政资金 1,500,000.00 元 + 其他资金 100,000.00 元"
         "（= 1,600,000.00 元，相差 50,000.00 元）", 4, 2),
        ("【警告 PD401】“服务完成率”是比率，指标值却用计数单位“个”：=100个（应为 %）", 16, 3),
        ("【错误 PD303】三级指标“居民满意度”重复（第一次出现在第 1 个表格第 19 行）", 19, 2),
    ])
    assert [anchored for _, anchored in comments_of(reviewed)] == ["1,650,000.00", "=100个", "居民满意度"]
    assert_copy_is_original_plus_comments(form, reviewed)
    comments = [text for text, _ in comments_of(reviewed)]
    assert comments[1].split("\n")[1] == "合格示例：三级指标名称“就业保障金发放完成率”；年度指标值“=100.00(%)”。"
    assert done.stdout.splitlines()[0].endswith("收到的申报表-审核.docx：发现 3 个问题（错误 2 个，警告 1 个）")
