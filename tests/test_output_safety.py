"""Outputs where they belong: the output folder checked before anything is written, only files
perfdoc wrote replaced, file names that every file system takes, a corrupt manifest rebuilt.

Each refusal is exit code 2 with a Chinese line naming the path, no traceback, nothing written
anywhere and no input changed (the whole folder is compared before and after).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS, run_cli
from disks import leftovers, snapshot

from perfdoc.scaffold import safe_file_stem

SUMMARY = "2022年度项目绩效目标汇总表.docx"
DECLARATION = "“两新”组织党建经费-申报表.docx"
NARRATIVE = "“两新”组织党建经费-经费说明.docx"
DOCS = sorted([SUMMARY, DECLARATION, NARRATIVE])


@pytest.fixture
def work(tmp_path) -> Path:
    """A working folder with projects/2022-huacao (one project, three documents)."""
    shutil.copytree(PROJECTS / "2022-huacao", tmp_path / "projects" / "2022-huacao")
    return tmp_path


def _build(work: Path, *args: str, cwd: Path | None = None):
    return run_cli("build", *args, "--force", cwd=cwd or work)


def _refused(work: Path, *args: str, message: str, cwd: Path | None = None) -> None:
    """``build ARGS`` is refused with ``message``; nothing in ``work`` changes."""
    before = snapshot(work)
    r = _build(work, *args, cwd=cwd)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr == f"perfdoc: {message}\n未写入任何文件。\n"
    assert r.stdout == ""
    assert snapshot(work) == before


def _docs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".docx"))


# -- the output folder -------------------------------------------------------------------------

def test_default_out_beside_projects_is_used(work):
    r = run_cli("build", "projects", "--force", cwd=work)
    assert r.returncode == 0, r.stderr
    assert _docs(work / "out" / "2022-huacao") == DOCS


def test_out_that_is_an_input_file_is_refused(work):
    _refused(work, "projects/2022-huacao", "-o", "projects/2022-huacao/department.toml",
             message="输出文件夹 projects/2022-huacao/department.toml 是输入文件，不是文件夹；请用 -o 指定一个文件夹，如 -o out")


def test_out_that_is_a_file_is_refused(work):
    (work / "说明.txt").write_text("我的笔记", "utf-8")
    _refused(work, "projects/2022-huacao", "-o", "说明.txt",
             message="输出文件夹 说明.txt 是一个文件，不是文件夹；请用 -o 指定一个文件夹，如 -o out")
    _refused(work, "projects/2022-huacao", "-o", "说明.txt/子文件夹",
             message=f"无法在 说明.txt/子文件夹 中输出：{(work / '说明.txt').resolve()} 是一个文件，不是文件夹")


def test_out_that_is_the_projects_folder_is_refused(work):
    _refused(work, "projects/2022-huacao", "-o", "projects",
             message="文档要写入的文件夹 projects/2022-huacao 中有输入文件（单位文件夹或项目文件所在的文件夹），"
                     "生成的文档会与输入文件混在一起；请换一个输出文件夹，如 -o out")


def test_out_that_is_the_department_folder_is_refused(work):
    _refused(work, "projects/2022-huacao", "-o", "projects/2022-huacao",
             message="输出文件夹 projects/2022-huacao 中有输入文件（单位文件夹或项目文件所在的文件夹），"
                     "生成的文档会与输入文件混在一起；请换一个输出文件夹，如 -o out")
    dep = work / "projects" / "2022-huacao"
    _refused(work, "-o", ".", cwd=dep,
             message="输出文件夹 . 中有输入文件（单位文件夹或项目文件所在的文件夹），"
                     "生成的文档会与输入文件混在一起；请换一个输出文件夹，如 -o out")


def test_default_out_inside_a_department_folder_is_used(work):
    """``cd 单位文件夹; perfdoc build`` writes 单位文件夹/out/单位文件夹/: a folder without inputs."""
    dep = work / "projects" / "2022-huacao"
    r = _build(work, cwd=dep)
    assert r.returncode == 0, r.stderr
    assert _docs(dep / "out" / "2022-huacao") == DOCS


def test_department_folder_in_out_that_links_outside_is_refused(work):
    outside = work / "别处"
    outside.mkdir()
    (work / "out").mkdir()
    (work / "out" / "2022-huacao").symlink_to(outside)
    _refused(work, "projects/2022-huacao", message=f"out/2022-huacao 是指向输出文件夹之外（{outside.resolve()}）的符号链接；"
                                                   "perfdoc 只写入输出文件夹之内，请删除这个链接或换一个输出文件夹")
    assert list(outside.iterdir()) == []


def test_department_folder_in_out_that_links_inside_out_is_used(work):
    (work / "out" / "真实").mkdir(parents=True)
    (work / "out" / "2022-huacao").symlink_to("真实")
    assert _build(work, "projects/2022-huacao").returncode == 0
    assert _docs(work / "out" / "真实") == DOCS


def test_department_folder_in_out_that_is_a_file_or_another_department_is_refused(work):
    (work / "out").mkdir()
    (work / "out" / "2022-huacao").write_text("不是文件夹", "utf-8")
    _refused(work, "projects/2022-huacao", message="out/2022-huacao 已存在且不是文件夹，perfdoc 要把这个单位的文档写在同名文件夹中；"
                                                   "请移走它或换一个输出文件夹")
    (work / "out" / "2022-huacao").unlink()
    shutil.copytree(PROJECTS / "2022-songjiang", work / "out" / "2022-huacao")
    _refused(work, "projects/2022-huacao", message="文档要写入的文件夹 out/2022-huacao 是一个单位文件夹（有 department.toml）；"
                                                   "请换一个输出文件夹，如 -o out")


# -- files in the output folder -------------------------------------------------------------------

def test_a_file_perfdoc_did_not_write_is_not_replaced(work):
    folder = work / "out" / "2022-huacao"
    folder.mkdir(parents=True)
    (folder / DECLARATION).write_bytes(b"my own declaration")
    _refused(work, "projects/2022-huacao",
             message=f"out/2022-huacao/{DECLARATION} 已存在，且不是 perfdoc 生成的（或生成后被修改保存过），perfdoc 不会覆盖它；"
                     "请移走它、换一个名称，或加 --overwrite 覆盖")
    r = _build(work, "projects/2022-huacao", "--overwrite")
    assert r.returncode == 0, r.stderr
    assert (folder / DECLARATION).read_bytes().startswith(b"PK")


def test_a_link_at_an_output_path_is_refused_and_never_written_through(work):
    secret = work / "secret.docx"
    secret.write_bytes(b"secret")
    folder = work / "out" / "2022-huacao"
    folder.mkdir(parents=True)
    (folder / SUMMARY).symlink_to(secret)
    _refused(work, "projects/2022-huacao",
             message=f"out/2022-huacao/{SUMMARY} 是符号链接（指向 {secret.resolve()}），perfdoc 不会写到链接指向的地方；"
                     "请移走它、换一个名称，或加 --overwrite 覆盖（用生成的文件替换这个链接）")
    assert _build(work, "projects/2022-huacao", "--overwrite").returncode == 0
    assert not (folder / SUMMARY).is_symlink() and (folder / SUMMARY).read_bytes().startswith(b"PK")
    assert secret.read_bytes() == b"secret"


def test_a_folder_at_an_output_path_is_refused_even_with_overwrite(work):
    (work / "out" / "2022-huacao" / NARRATIVE).mkdir(parents=True)
    message = f"out/2022-huacao/{NARRATIVE} 是一个文件夹，perfdoc 要在这里写入一个文件；请移走它或换一个名称"
    _refused(work, "projects/2022-huacao", message=message)
    _refused(work, "projects/2022-huacao", "--overwrite", message=message)


def _saved_by(path: Path, who: str) -> None:
    """The document as if opened and saved in Word by ``who`` (docProps/core.xml says so)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(
        b"<cp:lastModifiedBy>perfdoc</cp:lastModifiedBy>", f"<cp:lastModifiedBy>{who}</cp:lastModifiedBy>".encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_without_a_manifest_perfdocs_own_documents_are_recognised(work):
    folder = work / "out" / "2022-huacao"
    assert _build(work, "projects/2022-huacao").returncode == 0
    (folder / ".perfdoc-build.json").unlink()
    r = _build(work, "projects/2022-huacao")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "已写入 3 个文件到 out/。\n"
    # one saved in Word since: not perfdoc's any more
    (folder / ".perfdoc-build.json").unlink()
    _saved_by(folder / NARRATIVE, "张三")
    _refused(work, "projects/2022-huacao",
             message=f"out/2022-huacao/{NARRATIVE} 已存在，且不是 perfdoc 生成的（或生成后被修改保存过），perfdoc 不会覆盖它；"
                     "请移走它、换一个名称，或加 --overwrite 覆盖")


def test_a_stale_document_changed_by_hand_is_kept(work):
    folder = work / "out" / "2022-huacao"
    assert _build(work, "projects/2022-huacao").returncode == 0
    project = work / "projects" / "2022-huacao" / "两新组织党建经费.toml"
    project.write_text(project.read_text("utf-8").replace('name = "“两新”组织党建经费"', 'name = "新名称"'), "utf-8")
    (folder / NARRATIVE).write_bytes(b"changed by hand")
    r = _build(work, "projects/2022-huacao", "-v")
    assert r.returncode == 0, r.stderr
    assert f"删除 out/2022-huacao/{DECLARATION}" in r.stdout
    assert (folder / NARRATIVE).read_bytes() == b"changed by hand"
    assert _docs(folder) == sorted([SUMMARY, "新名称-申报表.docx", "新名称-经费说明.docx", NARRATIVE])


# -- a corrupt manifest means a rebuild ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "[]",
    '"outputs"',
    '{"outputs": []}',
    '{"outputs": {"a.docx": "不是表"}}',
    '{"outputs": {"a.docx": {"input": 1, "sha256": null}}}',
    "{不是 JSON",
    "\ufeff\x00\x00",
    "[" * 100_000,
], ids=["list", "string", "outputs-list", "string-entry", "wrong-types", "not-json", "nul", "deep"])
def test_a_corrupt_manifest_is_rebuilt(work, text):
    folder = work / "out" / "2022-huacao"
    assert _build(work, "projects/2022-huacao").returncode == 0
    (folder / ".perfdoc-build.json").write_text(text, "utf-8")
    r = _build(work, "projects/2022-huacao")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "已写入 3 个文件到 out/。\n"
    manifest = json.loads((folder / ".perfdoc-build.json").read_text("utf-8"))
    assert sorted(manifest["outputs"]) == DOCS
    assert _build(work, "projects/2022-huacao").stdout == "没有变化：out/ 中的 3 个文件都是最新的，未重写任何文件。\n"


def test_a_manifest_naming_other_files_touches_none_of_them(work):
    import hashlib

    folder = work / "out" / "2022-huacao"
    assert _build(work, "projects/2022-huacao").returncode == 0
    victim, note = work / "victim.txt", folder / "笔记.txt"
    victim.write_text("不能删", "utf-8")
    note.write_text("不能删", "utf-8")
    digest = hashlib.sha256("不能删".encode()).hexdigest()
    entries = {name: {"input": "x", "sha256": digest} for name in ("../../victim.txt", "笔记.txt", ".perfdoc-build.json")}
    (folder / ".perfdoc-build.json").write_text(json.dumps({"outputs": entries}), "utf-8")
    assert _build(work, "projects/2022-huacao").returncode == 0
    assert victim.read_text("utf-8") == "不能删" and note.read_text("utf-8") == "不能删"


def test_a_manifest_that_is_a_folder_is_refused(work):
    (work / "out" / "2022-huacao" / ".perfdoc-build.json").mkdir(parents=True)
    _refused(work, "projects/2022-huacao",
             message="out/2022-huacao/.perfdoc-build.json 是 perfdoc 的生成记录文件名，但它是一个文件夹或特殊文件，"
                     "perfdoc 不会删除它；请移走它后重新生成")


def test_a_manifest_that_is_a_link_is_replaced_not_written_through(work):
    target = work / "别人的.json"
    target.write_text('{"outputs": {}}', "utf-8")
    folder = work / "out" / "2022-huacao"
    folder.mkdir(parents=True)
    (folder / ".perfdoc-build.json").symlink_to(target)
    assert _build(work, "projects/2022-huacao").returncode == 0
    assert not (folder / ".perfdoc-build.json").is_symlink()
    assert target.read_text("utf-8") == '{"outputs": {}}'


# -- diff --docx ------------------------------------------------------------------------------------

def _diff(work: Path, *args: str):
    return run_cli("diff", "projects/2022-huacao", "projects/2022-songjiang", "--docx", *args, cwd=work)


def test_diff_docx_refuses_an_input_a_folder_and_a_file_it_did_not_write(work):
    shutil.copytree(PROJECTS / "2022-songjiang", work / "projects" / "2022-songjiang")
    (work / "别人的.docx").write_bytes(b"not mine")
    for target, message in (
        ("projects/2022-songjiang/department.toml", "projects/2022-songjiang/department.toml 是输入文件，perfdoc 不会覆盖它；请换一个文件名"),
        ("projects", "projects 是一个文件夹，perfdoc 要在这里写入一个文件；请移走它或换一个名称"),
        ("别人的.docx", "别人的.docx 已存在，且不是 perfdoc 生成的（或生成后被修改保存过），perfdoc 不会覆盖它；"
                       "请移走它、换一个名称，或加 --overwrite 覆盖"),
    ):
        before = snapshot(work)
        r = _diff(work, target)
        assert r.returncode == 2 and r.stderr == f"perfdoc: {message}\n", r.stderr
        assert snapshot(work) == before
    assert _diff(work, "别人的.docx", "--overwrite").returncode == 1
    assert (work / "别人的.docx").read_bytes().startswith(b"PK")
    r = _diff(work, "别人的.docx")  # now perfdoc's own report: replaced without asking
    assert r.returncode == 1 and r.stderr == "已写入 别人的.docx\n"
    assert not leftovers(work)


# -- file names every file system takes ------------------------------------------------------------

@pytest.mark.parametrize("name, stem", [
    ("党组织建设", "党组织建设"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("COM1 ", "_COM1"),
    ("LPT9. .", "_LPT9"),
    ("AUX.docx", "_AUX.docx"),
    ("PRN", "_PRN"),
    ("CONSOLE", "CONSOLE"),
    ("党建\u202e经费", "党建经费"),
    ("党建\u200b\u200d经费\ufeff", "党建经费"),
    ("\u200b\u200c", "_"),
    ("Cafe\u0301", "Café"),
    ("../../a/b:c*d", "___a_b_c_d"),
    (".perfdoc-tmp-1-x", "perfdoc-tmp-1-x"),
    ("x" * 300, "x" * 189 + "~0d4e2ca9e9"),
    ("长" * 100, "长" * 63 + "~ac68c4830a"),
])
def test_safe_file_stem(name, stem):
    assert safe_file_stem(name) == stem


def _rename(work: Path, name: str) -> None:
    project = work / "projects" / "2022-huacao" / "两新组织党建经费.toml"
    project.write_text(project.read_text("utf-8").replace('name = "“两新”组织党建经费"', f'name = "{name}"'), "utf-8")


def test_a_very_long_project_name_is_shortened_to_fit_the_file_system(work):
    _rename(work, "很长的项目名称" * 40)  # 840 bytes in UTF-8
    r = _build(work, "projects/2022-huacao", "-v")
    assert r.returncode == 0, r.stdout + r.stderr
    names = _docs(work / "out" / "2022-huacao")
    assert len(names) == 3
    for name in names:
        assert len(name.encode("utf-8")) <= 255, name
    assert names == sorted(["很长的项目名称" * 9 + "~ee65444fb5-申报表.docx", "很长的项目名称" * 9 + "~ee65444fb5-经费说明.docx",
                            SUMMARY])


@pytest.mark.parametrize("name, stem", [
    ("CON.党建", "_CON.党建"),
    ("党建\\u200b经费\\u200d", "党建经费"),  # zero-width characters, written as TOML escapes
])
def test_reserved_and_invisible_characters_in_names(work, name, stem):
    _rename(work, name)
    os.rename(work / "projects" / "2022-huacao", work / "projects" / "NUL")
    r = _build(work, "projects/NUL")
    assert r.returncode == 0, r.stdout + r.stderr
    assert _docs(work / "out" / "_NUL") == sorted([f"{stem}-申报表.docx", f"{stem}-经费说明.docx", SUMMARY])


def test_new_with_a_long_name_writes_a_file_the_file_system_takes(tmp_path):
    r = run_cli("new", "很长的项目名称" * 40, "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    [path] = tmp_path.glob("*.toml")
    assert len(path.name.encode("utf-8")) <= 255
    assert path.name == "很长的项目名称" * 9 + "~ee65444fb5.toml"


@pytest.mark.parametrize("name, file", [
    ("党建\u202e经费", "党建经费.toml"),
    ("AUX", "_AUX.toml"),
    ("e\u0301", "\u00e9.toml"),
])
def test_new_writes_a_safe_file_name(tmp_path, name, file):
    r = run_cli("new", name, "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.glob("*.toml")] == [file]


@pytest.mark.libreoffice
def test_pdfs_without_a_manifest_are_recognised_and_a_foreign_pdf_is_kept(work):
    from libreoffice import need_libreoffice

    need_libreoffice()
    folder = work / "out" / "2022-huacao"
    assert _build(work, "projects/2022-huacao", "--pdf", "-j", "1").returncode == 0
    (folder / ".perfdoc-build.json").unlink()
    r = _build(work, "projects/2022-huacao", "--pdf", "-j", "1")
    assert r.returncode == 0, r.stderr
    (folder / ".perfdoc-build.json").unlink()
    (folder / "2022年度项目绩效目标汇总表.pdf").write_bytes(b"%PDF-1.4 another program's file")
    _refused(work, "projects/2022-huacao", "--pdf",
             message="out/2022-huacao/2022年度项目绩效目标汇总表.pdf 已存在，且不是 perfdoc 生成的（或生成后被修改保存过），"
                     "perfdoc 不会覆盖它；请移走它、换一个名称，或加 --overwrite 覆盖")
