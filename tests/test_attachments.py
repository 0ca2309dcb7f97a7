"""perfdoc/compose/attachments.py: an attachment lies inside the department folder and is a
usable Word document; otherwise a PD009 problem at its own line of department.toml."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from docx_samples import CONTENT_TYPES, package

from perfdoc.compose.attachments import attachments_digest, open_attachments
from perfdoc.load import load_paths

VALID = Path(__file__).resolve().parent / "bad_inputs" / "valid" / "测试项目.toml"


def _department(tmp_path: Path, names: list[str]):
    dep = tmp_path / "单位" / "2026-测试"
    dep.mkdir(parents=True)
    (dep / "测试项目.toml").write_text(VALID.read_text("utf-8"), "utf-8")
    listed = "".join(f"    {name!r},\n".replace("'", '"') for name in names)
    (dep / "department.toml").write_text(
        f'attachments = [\n{listed}]\n\n[department]\nname = "测试单位"\nyear = 2026\n', "utf-8")
    return dep


def _load(dep: Path):
    result = load_paths([dep])
    assert not result.fatal, result.problems
    return result.departments[0]


def _document(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))


@pytest.mark.parametrize("name,reason", [
    ("/etc/passwd", "附件必须放在单位文件夹内，这里要写相对单位文件夹的路径，不能写绝对路径"),
    ("C:\\\\Users\\\\x.docx", "附件必须放在单位文件夹内，这里要写相对单位文件夹的路径，不能写绝对路径"),
    ("\\\\\\\\server\\\\share\\\\x.docx", "附件必须放在单位文件夹内，这里要写相对单位文件夹的路径，不能写绝对路径"),
    ("附件/../../外面.docx", "附件必须放在单位文件夹内，路径中的“..”不能跳出单位文件夹"),
    ("..", "附件必须放在单位文件夹内，路径中的“..”不能跳出单位文件夹"),
    ("   ", "附件的路径是空的"),
    ("没有.docx", "附件不存在"),
])
def test_where_an_attachment_may_be(tmp_path, name, reason):
    dep = _department(tmp_path, ["附件/好.docx", name])
    _document(dep / "附件" / "好.docx", "好")
    _document(tmp_path / "单位" / "外面.docx", "外面")
    found, problems = open_attachments(_load(dep))
    assert [a.name for a in found] == ["附件/好.docx"]
    [p] = problems
    assert (p.file.name, p.line, p.col, p.code) == ("department.toml", 3, 5, "PD009")
    assert p.message.endswith(f"不能使用：{reason}") and p.fatal


def test_links_inside_are_fine_links_out_are_not(tmp_path):
    dep = _department(tmp_path, ["里面.docx", "外面.docx", "坏链接.docx"])
    _document(dep / "附件" / "真的.docx", "真的")
    _document(tmp_path / "外面.docx", "外面")
    (dep / "里面.docx").symlink_to("附件/真的.docx")
    (dep / "外面.docx").symlink_to(tmp_path / "外面.docx")
    (dep / "坏链接.docx").symlink_to("不存在.docx")
    found, problems = open_attachments(_load(dep))
    assert [a.name for a in found] == ["里面.docx"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "附件“外面.docx”不能使用：附件必须放在单位文件夹内，它是指向单位文件夹以外的符号链接"),
        (4, "附件“坏链接.docx”不能使用：找不到文件"),
    ]


def test_a_folder_a_fifo_and_a_package_python_docx_refuses(tmp_path):
    dep = _department(tmp_path, ["附件", "管道.docx", "模板.docx"])
    (dep / "附件").mkdir()
    os.mkfifo(dep / "管道.docx")
    # a Word template (.dotx) renamed: python-docx refuses its content type
    types = CONTENT_TYPES.replace("document.main+xml", "template.main+xml")
    (dep / "模板.docx").write_bytes(package({"[Content_Types].xml": types}))
    found, problems = open_attachments(_load(dep))
    assert found == []
    assert [p.message for p in problems] == [
        "附件“附件”不能使用：这是一个文件夹，附件应是 Word（.docx）文件",
        "附件“管道.docx”不能使用：这是一个管道（FIFO），不是普通文件",
        "附件“模板.docx”不能使用：python-docx 无法打开它（请在 Word 中打开后另存为 .docx）",
    ]


def test_the_digest_follows_the_bytes(tmp_path):
    dep = _department(tmp_path, ["附件/a.docx"])
    _document(dep / "附件" / "a.docx", "一")
    first = attachments_digest(open_attachments(_load(dep))[0])
    assert attachments_digest(open_attachments(_load(dep))[0]) == first
    _document(dep / "附件" / "a.docx", "二")
    assert attachments_digest(open_attachments(_load(dep))[0]) != first
