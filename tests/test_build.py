"""perfdoc build: files, names, refusal, determinism, incremental rebuilds, the 汇总表."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from lxml import etree
from conftest import PROJECTS, run_cli

from perfdoc.build import MANIFEST, build
from perfdoc.load import load_paths
from perfdoc.render.declaration import build_declaration
from perfdoc.render.template import find_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _copy(folder: str, tmp_path: Path) -> Path:
    target = tmp_path / folder
    shutil.copytree(PROJECTS / folder, target)
    return target


def _snapshot(out: Path) -> dict[str, float]:
    snapshot = {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*.docx")}
    assert snapshot, f"no document built in {out}"
    return snapshot


def test_build_writes_every_document_with_safe_names(tmp_path):
    out = tmp_path / "out"
    r = run_cli("build", "projects", "--force", "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.docx"))
    assert "2022-songjiang/党组织建设-申报表.docx" in names
    assert "2022-songjiang/党组织建设-经费说明.docx" in names
    assert "2022-songjiang/2022年度项目绩效目标汇总表.docx" in names
    assert "2026-hongqiao/2026年度项目绩效目标汇总表.docx" in names
    loaded = load_paths([PROJECTS])
    evaluated = [p for p in loaded.projects if p.model.evaluation is not None]
    with_evaluations = {id(p.department) for p in evaluated}
    assert len(names) == 2 * len(loaded.projects) + len(loaded.departments) + len(evaluated) + len(with_evaluations)
    assert "2024-xinzhuang/社区党群服务中心工作-自评表.docx" in names
    assert "2024-xinzhuang/2024年度项目绩效自评汇总.docx" in names
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


def test_build_refuses_projects_with_errors(tmp_path):
    out = tmp_path / "out"
    r = run_cli("build", "projects/2026-hongqiao", "-o", str(out))
    assert r.returncode == 1
    assert "未生成" in r.stdout and "PD303" in r.stdout
    built = {p.name for p in (out / "2026-hongqiao").glob("*.docx")}
    assert "党群服务站-申报表.docx" in built  # warnings only: built
    assert "区域化党建-申报表.docx" not in built  # duplicated indicators: refused
    assert not any("汇总表" in n for n in built)  # an incomplete 汇总表 is not written


def test_project_name_cannot_escape_out(tmp_path):
    dep = _copy("2022-huacao", tmp_path)
    path = dep / "两新组织党建经费.toml"
    path.write_text(path.read_text("utf-8").replace('name = "“两新”组织党建经费"', 'name = "../../a/b:c*d"'), "utf-8")
    assert 'name = "../../a/b:c*d"' in path.read_text("utf-8")
    out = tmp_path / "out"
    result = build([dep], out, force=True)
    assert result.written
    for written in result.written:
        assert out.resolve() in written.resolve().parents
        assert ":" not in written.name and "/" not in written.name


def test_same_input_gives_byte_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build([PROJECTS / "2022-songjiang"], a)
    build([PROJECTS / "2022-songjiang"], b)
    files = sorted(p.relative_to(a) for p in a.rglob("*.docx"))
    assert files
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_incremental_rebuilds(tmp_path):
    dep = _copy("2022-songjiang", tmp_path)
    out = tmp_path / "out"
    first = build([dep], out)
    assert len(first.written) == 9 and (out / dep.name / MANIFEST).is_file()
    before = _snapshot(out)

    again = build([dep], out)
    assert again.written == [] and len(again.unchanged) == 9
    assert _snapshot(out) == before
    r = run_cli("build", str(dep), "-o", str(out))
    assert r.returncode == 0 and "没有变化" in r.stdout

    # one project changed: its two documents and the 汇总表, nothing else
    path = dep / "宣传与推广.toml"
    path.write_text(path.read_text("utf-8").replace('target = ">=50家"', 'target = ">=60家"'), "utf-8")
    changed = build([dep], out)
    assert sorted(p.name for p in changed.written) == sorted(
        ["宣传与推广-申报表.docx", "宣传与推广-经费说明.docx", "2022年度项目绩效目标汇总表.docx"])

    # a file changed or deleted in out/ by hand is rewritten
    (out / dep.name / "疫情防控-申报表.docx").unlink()
    assert [p.name for p in build([dep], out).written] == ["疫情防控-申报表.docx"]

    # a changed template counts as a change: every document is rebuilt
    shutil.copytree(PROJECTS.parent / "templates" / "songjiang-2022", dep / "我的版式")
    text = (dep / "department.toml").read_text("utf-8").replace('template = "songjiang-2022"', 'template = "我的版式"')
    (dep / "department.toml").write_text(text, "utf-8")
    assert len(build([dep], out).written) == 9
    assert build([dep], out).written == []
    texts = dep / "我的版式" / "texts" / "goals_note.j2"
    texts.write_text("（具体见表格）\n", "utf-8")
    assert len(build([dep], out).written) == 9

    # a removed project: its documents go, the 汇总表 is rebuilt
    (dep / "疫情防控.toml").unlink()
    result = build([dep], out)
    assert sorted(p.name for p in result.removed) == ["疫情防控-申报表.docx", "疫情防控-经费说明.docx"]
    assert not (out / dep.name / "疫情防控-申报表.docx").exists()


# -- the 汇总表 ------------------------------------------------------------------

def _summary(tmp_path, folder: str, **kw) -> tuple[docx.document.Document, list]:
    out = tmp_path / "out"
    result = build([PROJECTS / folder], out, force=True, **kw)
    assert not result.errors
    dep = load_paths([PROJECTS / folder]).departments[0]
    path = next((out / folder).glob("*汇总表.docx"))
    return docx.Document(str(path)), dep.ordered_projects()


def _paragraph_texts(document) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]


def test_summary_songjiang_figures_order_and_page_breaks(tmp_path):
    document, projects = _summary(tmp_path, "2022-songjiang")
    texts = _paragraph_texts(document)
    assert texts[0] == "中共上海市松江区区级机关工作委员会2022年度项目绩效目标汇总表"
    assert texts[1] == ("按照本区预算绩效管理工作的总体要求，本部门1个预算单位开展了2022年项目预算绩效目标编报工作，"
                        "编报绩效目标的项目4个，涉及项目预算资金165.00万元。")
    titles = [t for t in texts if t.startswith("项目经费情况说明") or t.startswith("财政项目支出绩效目标填报表")]
    assert titles == ["项目经费情况说明1", "财政项目支出绩效目标填报表1", "项目经费情况说明2", "财政项目支出绩效目标填报表2",
                      "项目经费情况说明3", "财政项目支出绩效目标填报表3", "项目经费情况说明4", "财政项目支出绩效目标填报表4"]
    body = document.element.body
    breaks = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert len(breaks) == 8  # every narrative and every form starts a new page
    starts = ["".join(t.text for t in p.iter(f"{W}t")) for p in breaks]
    assert starts == titles


def test_summary_hongqiao_has_nine_projects_and_intact_tables(tmp_path):
    document, projects = _summary(tmp_path, "2026-hongqiao")
    texts = _paragraph_texts(document)
    # 987,000 + 250,000 + 13,849,700 + 410,000 + 120,000 + 200,000 + 600,000 + 1,023,400 + 628,000 元
    assert "编报绩效目标的项目9个，涉及项目预算资金1806.81万元。" in texts[1]
    index = document.tables[0]
    assert [row.cells[1].text for row in index.rows[1:-1]] == [
        '综合党委"两企三新"党建', "区域化党建", "党群服务站", "制度外用工经费", "残保金", "规范化建设", "人才系列计划",
        "街区专项经费", "综合党委制度外用工经费"]
    # every project's two tables are in the 汇总表 exactly as in its own 申报表 (merges included)
    template = find_template("shanghai")
    summary_tables = document.element.body.findall(f"{W}tbl")[1:]
    assert len(summary_tables) == 2 * 9
    for i, project in enumerate(projects):
        own = build_declaration(project, template, number=i + 1).element.body.findall(f"{W}tbl")
        assert len(own) == 2
        for mine, theirs in zip(summary_tables[2 * i: 2 * i + 2], own):
            assert etree.tostring(mine) == etree.tostring(theirs), project.model.name
        vmerges = own[1].findall(f".//{W}vMerge")
        assert len(vmerges) >= len(project.model.indicators)


def test_summary_appends_attachments_with_their_styles(tmp_path):
    dep = _copy("2022-huacao", tmp_path)
    (dep / "附件").mkdir()
    foreign = docx.Document()
    style = foreign.styles.add_style("外来样式", 1)
    foreign.add_paragraph("附件一：华漕镇两新组织名单", style=style)
    foreign.save(dep / "附件" / "名单.docx")
    text = (dep / "department.toml").read_text("utf-8")
    (dep / "department.toml").write_text('attachments = ["附件/名单.docx"]\n' + text, "utf-8")
    out = tmp_path / "out"
    result = build([dep], out)
    assert not result.errors, result.errors
    document = docx.Document(str(next((out / dep.name).glob("*汇总表.docx"))))
    texts = [p.text for p in document.paragraphs]
    assert texts[-1] == "附件一：华漕镇两新组织名单"
    assert document.paragraphs[-1].style.name == "外来样式"

    # a missing attachment is a clear error at its line of department.toml, not a crash
    (dep / "附件" / "名单.docx").unlink()
    r = run_cli("build", str(dep), "-o", str(out))
    where = f"{dep / 'department.toml'}:1:16: 错误 PD009 "
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
    assert where + "附件“附件/名单.docx”不能使用：附件不存在" in r.stdout
    # an unreadable one too
    (dep / "附件" / "名单.docx").write_text("这不是 Word 文件", "utf-8")
    r = run_cli("build", str(dep), "-o", str(out))
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
    assert where + "附件“附件/名单.docx”不能使用：不是 Word（.docx）文件：不是 zip 压缩包，或已损坏" in r.stdout


@pytest.mark.parametrize("bad", ['template = "不存在的版式"'])
def test_unknown_template_is_a_clear_error(tmp_path, bad):
    dep = _copy("2022-huacao", tmp_path)
    text = (dep / "department.toml").read_text("utf-8").replace('template = "huacao-2022"', bad)
    (dep / "department.toml").write_text(text, "utf-8")
    r = run_cli("build", str(dep), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
    assert f"{dep / 'department.toml'}:11:12: 错误 PD008 找不到版式“不存在的版式”" in r.stdout


def test_building_one_project_file_leaves_the_rest_of_out_alone(tmp_path):
    dep = _copy("2022-songjiang", tmp_path)
    out = tmp_path / "out"
    build([dep], out)
    before = _snapshot(out)
    path = dep / "宣传与推广.toml"
    path.write_text(path.read_text("utf-8").replace('target = ">=50家"', 'target = ">=60家"'), "utf-8")
    result = build([path], out)
    assert sorted(p.name for p in result.written) == ["宣传与推广-申报表.docx", "宣传与推广-经费说明.docx"]
    assert result.removed == []
    after = _snapshot(out)
    assert set(after) == set(before)  # nothing deleted, the 汇总表 of all four projects kept
    # a full build afterwards brings the 汇总表 up to date and rewrites nothing else
    assert [p.name for p in build([dep], out).written] == ["2022年度项目绩效目标汇总表.docx"]


def test_built_files_get_the_usual_mode(tmp_path):
    import os

    mask = os.umask(0)
    os.umask(mask)
    out = tmp_path / "out"
    build([PROJECTS / "2022-huacao"], out, force=True)
    files = sorted(out.rglob("*.docx"))
    assert files, "nothing was built"
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask
