"""``perfdoc import``: bad documents refused, the output folder rules, --into, and what cannot be read.

Bad documents (not a zip, a zip that is not Word, a meeting note, a zip bomb, a DOCTYPE with an
entity, a password) exit with 2, a Chinese message naming the file, and nothing written.  A value
that cannot be read is left out: its project file carries a comment where the key would be, the
command lists it, and exits with 1.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import ROOT, run_cli
from docx_samples import billion_laughs, external_entity, ole, package, zip_bomb
from libreoffice import SOFFICE, need_libreoffice
from perfdoc.load import load_department

DEPARTMENT = """\
[department]
name = "测试街道办事处"
authority = "测试区人民政府"
year = 2026

[layout]
template = "shanghai"
unit = "元"
"""

PROJECT = """\
[project]
name = "{name}"
year = 2026
category = "特定目标类"
nature = "经常性项目"
implementer = "测试街道办事处"
start = 2026-01-01
end = 2026-12-31

[funding]
total = 125000
total_fiscal = 125000
annual = 125000
annual_appropriation = 125000

[goals]
annual = "完成{name}。"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "{name}次数"
target = "≥2次"
"""


def _built(tmp_path: Path, names: list[str], tag: str = "dep") -> Path:
    """A department with one project per name, built; returns the output folder of its documents."""
    folder = tmp_path / "src" / tag
    folder.mkdir(parents=True)
    (folder / "department.toml").write_text(DEPARTMENT, "utf-8")
    for name in names:
        (folder / f"{name}.toml").write_text(PROJECT.format(name=name), "utf-8")
    out = tmp_path / "built"
    done = run_cli("build", "--force", str(folder), "-o", str(out))  # a small project: not every indicator level
    assert done.returncode == 0, done.stdout + done.stderr
    return out / tag


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- bad documents ----------------------------------------------------------------------------

def _meeting_note() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于推进社区党建工作的会议纪要")
    document.add_paragraph("时间：2026年3月5日")
    document.add_paragraph("会议议定：一、加强组织建设；二、做好经费保障。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "参会人员"
    table.cell(0, 1).text = "张三、李四"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _not_word_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


BAD = {
    "not_a_zip": (b"just some text, not a Word document\n", "不是 Word（.docx）文件"),
    "zip_not_word": (_not_word_zip(), "其中没有 word/document.xml"),
    "meeting_note": (_meeting_note(), "其中没有申报表、项目经费情况说明或自评表"),
    "zip_bomb": (zip_bomb(60), "可能是“压缩炸弹”"),
    "billion_laughs": (package(document=billion_laughs()), "声明了 DOCTYPE 或实体"),
    "external_entity": (package(document=external_entity()), "声明了 DOCTYPE 或实体"),
    "password": (ole(["EncryptionInfo", "EncryptedPackage"]), "设有打开密码"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_document_refused(kind, tmp_path):
    data, reason = BAD[kind]
    bad = tmp_path / f"{kind}.docx"
    bad.write_bytes(data)
    out = tmp_path / "out" / "dep"
    done = run_cli("import", str(bad), "-o", str(out))
    assert done.returncode == 2
    assert f"{kind}.docx" in done.stderr and reason in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out").exists()


def test_bad_document_among_good_ones_writes_nothing(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(BAD["billion_laughs"][0])
    out = tmp_path / "out"
    done = run_cli("import", str(built / "2026年度项目绩效目标汇总表.docx"), str(bad), "-o", str(out))
    assert done.returncode == 2
    assert "坏文件.docx：部件“word/document.xml”声明了 DOCTYPE 或实体" in done.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".perfdoc-tmp-")]


def test_missing_file(tmp_path):
    done = run_cli("import", str(tmp_path / "没有这个文件.docx"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "没有这个文件.docx" in done.stderr
    assert not (tmp_path / "out").exists()


# -- the output folder ------------------------------------------------------------------------

def test_non_empty_folder_refused(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "笔记.txt").write_text("别动我", "utf-8")
    done = run_cli("import", str(built / "2026年度项目绩效目标汇总表.docx"), "-o", str(out))
    assert done.returncode == 2
    assert f"文件夹 {out} 已存在且不是空的，不会覆盖" in done.stderr
    assert _tree(out) == {"笔记.txt": "别动我".encode()}


def test_empty_folder_used(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    out = tmp_path / "out"
    out.mkdir()
    done = run_cli("import", str(built / "2026年度项目绩效目标汇总表.docx"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(_tree(out)) == ["department.schema.json", "department.toml", "project.schema.json", "社区活动.toml"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".perfdoc-tmp-")]


def test_into_adds_new_projects_only(tmp_path):
    first = _built(tmp_path, ["社区活动", "党员教育"], "first")
    dep = tmp_path / "dep"
    done = run_cli("import", str(first / "2026年度项目绩效目标汇总表.docx"), "-o", str(dep))
    assert done.returncode == 0, done.stdout + done.stderr
    (dep / "社区活动.toml").write_text((dep / "社区活动.toml").read_text("utf-8") + "# 我的笔记\n", "utf-8")
    before = _tree(dep)
    second = _built(tmp_path, ["社区活动", "阵地建设"], "second")
    done = run_cli("import", str(second / "2026年度项目绩效目标汇总表.docx"), "-o", str(dep), "--into")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "  阵地建设.toml  阵地建设" in done.stdout
    assert "未导入  社区活动：文件夹中已有同名项目（社区活动.toml），不会覆盖" in done.stdout
    after = _tree(dep)
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == ["阵地建设.toml"]
    loaded = load_department(dep)
    assert not loaded.fatal
    assert sorted(p.model.name for p in loaded.departments[0].projects) == ["党员教育", "社区活动", "阵地建设"]


def test_into_all_new_exits_0_and_avoids_taken_file_names(tmp_path):
    first = _built(tmp_path, ["社区活动"], "first")
    dep = tmp_path / "dep"
    assert run_cli("import", str(first / "2026年度项目绩效目标汇总表.docx"), "-o", str(dep)).returncode == 0
    # a project file named like the new project, holding another project
    (dep / "阵地建设.toml").write_text(PROJECT.format(name="阵地建设（一期）"), "utf-8")
    second = _built(tmp_path, ["阵地建设"], "second")
    done = run_cli("import", str(second / "阵地建设-申报表.docx"), str(second / "阵地建设-经费说明.docx"),
                   "-o", str(dep), "--into")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已向" in done.stdout and "阵地建设-2.toml  阵地建设" in done.stdout
    assert PROJECT.format(name="阵地建设（一期）") == (dep / "阵地建设.toml").read_text("utf-8")
    text = (dep / "阵地建设-2.toml").read_text("utf-8")
    assert 'name = "阵地建设"' in text
    assert "authority" not in text  # the department's default


def test_into_needs_a_department_folder(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    done = run_cli("import", str(built / "2026年度项目绩效目标汇总表.docx"), "-o", str(tmp_path / "nothing"), "--into")
    assert done.returncode == 2
    assert "不是单位文件夹（其中没有 department.toml）" in done.stderr
    assert not (tmp_path / "nothing").exists()


# -- what cannot be read ----------------------------------------------------------------------

def _replace_text(docx_path: Path, old: str, new: str, target: Path) -> None:
    with zipfile.ZipFile(docx_path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count(old) == 1, old
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_unreadable_value_left_out_with_comment_and_exit_1(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    form = tmp_path / "社区活动-申报表.docx"
    _replace_text(built / "社区活动-申报表.docx", "2026-12-31", "2026-13-31", form)
    out = tmp_path / "out"
    done = run_cli("import", str(form), "-o", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    text = (out / "社区活动.toml").read_text("utf-8")
    lines = text.split("\n")
    line = lines.index("# end：导入时无法识别：“2026-13-31”（原文第 1 个表格第 3 行）") + 1
    assert lines[line - 2] == "start = 2026-01-01"
    assert f"{out / '社区活动.toml'}:{line}  project.end：无法识别“2026-13-31”（社区活动-申报表.docx 第 1 个表格第 3 行）" \
        in done.stdout
    # the department name is not in a single form: left out and said so
    department = (out / "department.toml").read_text("utf-8")
    assert "# name：导入时未找到：所给文件中没有汇总表标题（“…年度项目绩效目标汇总表”），请填写单位名称\n" in department
    check = run_cli("check", str(out))
    assert check.returncode == 2
    assert "缺少必填项 project.end" in check.stdout + check.stderr


def test_all_read_exit_0(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    out = tmp_path / "out"
    done = run_cli("import", str(built / "2026年度项目绩效目标汇总表.docx"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "无法识别" not in done.stdout
    assert "导入时" not in "".join(p.read_text("utf-8") for p in out.glob("*.toml"))
    assert run_cli("check", str(out)).returncode in (0, 1)


# -- .doc ---------------------------------------------------------------------------------------

def test_doc_without_libreoffice_says_what_to_install(tmp_path):
    doc = tmp_path / "旧申报表.doc"
    doc.write_bytes(ole(["WordDocument", "1Table"]))
    env = {k: v for k, v in os.environ.items() if k != "PERFDOC_SOFFICE"}
    env.update(PATH=str(Path(sys.executable).parent), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "perfdoc", "import", str(doc), "-o", str(tmp_path / "out")],
                          cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 2
    assert "旧申报表.doc：这是旧版 Word 97-2003 文档（.doc），读取它需要 LibreOffice" in done.stderr
    assert "libreoffice-writer-nogui" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.libreoffice
def test_doc_converted_through_libreoffice(tmp_path):
    need_libreoffice()
    built = _built(tmp_path, ["社区活动", "党员教育"])
    saved = tmp_path / "doc"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "doc", "--outdir", str(saved), str(built / "2026年度项目绩效目标汇总表.docx")],
                   check=True, capture_output=True, timeout=300)
    doc = saved / "2026年度项目绩效目标汇总表.doc"
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    out = tmp_path / "out"
    done = run_cli("import", str(doc), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    dep = load_department(out).departments[0]
    assert dep.model.department.name == "测试街道办事处"
    assert [p.model.name for p in dep.ordered_projects()] == ["党员教育", "社区活动"]  # the 汇总表 order
    assert all(str(p.model.funding.annual.yuan) == "125000.00" for p in dep.projects)


def test_project_in_the_index_without_its_form_is_listed(tmp_path):
    built = _built(tmp_path, ["党员教育", "社区活动"])
    document = docx.Document(built / "2026年度项目绩效目标汇总表.docx")
    assert [t.cell(0, 1).text for t in document.tables[:1]] == ["项目名称"]
    for table in document.tables[3:5]:  # the 申报表 of 社区活动: its form and its indicator table
        table._element.getparent().remove(table._element)
    cut = tmp_path / "缺一张表.docx"
    document.save(cut)
    out = tmp_path / "out"
    done = run_cli("import", str(cut), "-o", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "列在汇总表的项目目录中，但文中没有找到它的表，未导入：“社区活动”（缺一张表.docx 第 1 段）" in done.stdout
    assert "经费说明没有对应的申报表（所给文件中没有同名项目），未导入：“社区活动项目经费情况说明”" in done.stdout
    department = (out / "department.toml").read_text("utf-8")
    assert "# 导入时列在汇总表的项目目录中，但文中没有找到它的表，未导入：“社区活动”（缺一张表.docx 第 1 段）\n" in department
    assert [p.model.name for p in load_department(out).departments[0].projects] == ["党员教育"]


def test_form_of_another_layout_is_listed(tmp_path):
    built = _built(tmp_path, ["社区活动"])
    dep = tmp_path / "dep"
    dep.mkdir()
    (dep / "department.toml").write_text(DEPARTMENT.replace('"shanghai"', '"songjiang-2022"'), "utf-8")
    done = run_cli("import", str(built / "社区活动-申报表.docx"), "-o", str(dep), "--into")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "原表是 shanghai 版式，与单位的版式 songjiang-2022 不同，生成时按单位的版式：“社区活动”（社区活动-申报表.docx）" \
        in done.stdout
    assert (dep / "社区活动.toml").is_file()


# -- killed mid-way ---------------------------------------------------------------------------

def test_import_killed_while_writing_leaves_no_folder_and_the_next_run_cleans_up(tmp_path):
    import importlib.util
    import signal
    import time

    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    source = generate.generate(tmp_path / "src" / "big", 150)
    assert run_cli("build", str(source), "-o", str(tmp_path / "built")).returncode == 0
    summary = next((tmp_path / "built" / "big").glob("*汇总表.docx"))
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "perfdoc", "import", str(summary), "-o", "dep"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def writing() -> bool:  # the temporary folder holds some of the files
        return any(p.name.startswith(".perfdoc-tmp-") and len(os.listdir(p)) >= 10 for p in work.iterdir())

    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline and not writing():
        time.sleep(0.002)
    assert proc.poll() is None, "the import ended before it could be killed while writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert not (work / "dep").exists()
    assert [p.name for p in work.iterdir() if p.name.startswith(".perfdoc-tmp-")]
    done = run_cli("import", str(summary), "-o", "dep", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["dep"]
    assert len(load_department(work / "dep").departments[0].projects) == 150


def test_required_value_the_form_lacks_is_listed(tmp_path):
    """An empty 实施单位 cell: nothing to read, nothing invented; the file says so at the key."""
    built = _built(tmp_path, ["社区活动"])
    document = docx.Document(built / "社区活动-申报表.docx")
    cells = [c for row in document.tables[0].rows for c in row.cells if c.text == "测试街道办事处"]
    assert cells
    for cell in cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.text = ""
    form = tmp_path / "空实施单位.docx"
    document.save(form)
    dep = tmp_path / "dep"
    dep.mkdir()
    (dep / "department.toml").write_text(DEPARTMENT, "utf-8")
    done = run_cli("import", str(form), "-o", str(dep), "--into")
    assert done.returncode == 1, done.stdout + done.stderr
    text = (dep / "社区活动.toml").read_text("utf-8")
    assert "\n# implementer：导入时未找到：原表中没有这一项，请填写\nstart = 2026-01-01\n" in text
    assert "project.implementer：未找到：原表中没有这一项，请填写（空实施单位.docx）" in done.stdout


# -- a long document read by several processes ------------------------------------------------

def test_long_document_read_in_parallel_gives_the_same_files(tmp_path, monkeypatch):
    """Slices read by worker processes: the same files, the same places (第 N 个表格, 第 N 段) in the comments."""
    import importlib.util
    import re

    from perfdoc.importer import import_documents, parallel

    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    source = generate.generate(tmp_path / "src" / "big", 40)
    assert run_cli("build", str(source), "-o", str(tmp_path / "built")).returncode == 0
    summary = next((tmp_path / "built" / "big").glob("*汇总表.docx"))
    with zipfile.ZipFile(summary) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    last = xml.rindex("2026-12-31")  # the plan end of the last project: unreadable
    xml = xml[:last] + "2026-13-31" + xml[last + len("2026-12-31"):]
    end = xml.rindex("<w:sectPr")
    xml = xml[:end] + "<w:p><w:r><w:t>文末的一段说明</w:t></w:r></w:p>" + xml[end:]
    parts["word/document.xml"] = xml.encode("utf-8")
    changed = tmp_path / "汇总表.docx"
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)

    one = import_documents([changed], tmp_path / "one", jobs=1)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 100)
    calls = []
    real = parallel._cuts
    monkeypatch.setattr(parallel, "_cuts", lambda *a: calls.append(real(*a)) or calls[-1])
    two = import_documents([changed], tmp_path / "two", jobs=2)
    assert len(calls) == 1 and len(calls[0]) == 2  # read in two slices
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert [(w.file, [(line, m.key, m.where) for line, m in w.missing]) for w in one.written] == \
        [(w.file, [(line, m.key, m.where) for line, m in w.missing]) for w in two.written]
    department = (tmp_path / "two" / "department.toml").read_text("utf-8")
    tail = re.search(r"# 导入时不属于任何一张表，未导入：“文末的一段说明”（汇总表.docx 第 (\d+) 段）", department)
    assert tail and int(tail[1]) > 300
    last_project = (tmp_path / "two" / "项目0039.toml").read_text("utf-8")
    assert "# end：导入时无法识别：“2026-13-31”（原文第 80 个表格第 3 行）" in last_project  # 1: the index; project N: 2N, 2N+1
