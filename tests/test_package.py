"""perfdoc/read/package.py: the one way to open an untrusted Word document.

Every hostile file is refused with a PackageError whose message is Chinese and
names the file, quickly and without inflating or expanding anything past the caps.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from docx_samples import (
    W_NS, billion_laughs, document_xml, encrypted_zip, external_entity, lying_bomb, many_entries, ole, package,
    zip_bomb,
)

from perfdoc.read import package as pkg
from perfdoc.read import PackageError, open_package, read_limited
from perfdoc.read.text import document_text


def _refused(source, label="文件.docx", **kw) -> str:
    started = time.monotonic()
    with pytest.raises(PackageError) as info:
        open_package(source, label=label, **kw).verify()
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert message.startswith(f"{label}：") and info.value.label == label
    return info.value.reason


def test_a_word_document_opens():
    p = open_package(package(), label="好.docx")
    assert p.main == "word/document.xml"
    assert set(p.names) == {"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
    assert p.verify() is p
    assert [t.text for t in p.body().iter(f"{{{W_NS}}}t")] == ["第一段", "第二段"]
    assert document_text(package()) == "第一段\n第二段\n"


def test_part_names_ignore_case_and_a_leading_slash():
    p = open_package(package(), label="好.docx")
    assert p.part("/WORD/Document.xml") == p.part("word/document.xml")
    assert p.has("[content_types].xml") and not p.has("word/styles.xml")
    assert _refused_part(p, "word/styles.xml") == "其中没有部件“word/styles.xml”"


def _refused_part(p, name):
    with pytest.raises(PackageError) as info:
        p.part(name)
    return info.value.reason


def test_the_main_part_follows_the_package_relationship():
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="/word/document2.xml"/></Relationships>')
    data = package({"_rels/.rels": rels, "word/document.xml": None, "word/document2.xml": document_xml("另一个")})
    assert open_package(data, label="x").main == "word/document2.xml"
    assert document_text(data) == "另一个\n"


@pytest.mark.parametrize("data,reason", [
    (b"", "文件是空的，不是 Word（.docx）文件"),
    (b"project = 1\n", "不是 Word（.docx）文件：不是 zip 压缩包，或已损坏"),
    (b"%PDF-1.7\n...", "这是 PDF 文件，不是 Word（.docx）文件"),
    (b"{\\rtf1\\ansi ...}", "这是 RTF 文件，不是 Word（.docx）文件；请在 Word 或 WPS 中另存为 .docx"),
    (b'<?xml version="1.0"?><w:wordDocument/>', "这是 XML 或网页文件，不是 Word（.docx）文件；请在 Word 或 WPS 中另存为 .docx"),
    (b"PK\x03\x04broken", "不是 Word（.docx）文件：zip 压缩包不完整或已损坏"),
    (ole(["Root Entry", "WordDocument", "1Table"]),
     "这是旧版 Word 97-2003 文档（.doc），不是 .docx；请在 Word 或 WPS 中另存为 .docx"),
    (ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]),
     "这是设有打开密码（已加密）的 Office 文档，无法读取；请在 Word 或 WPS 中取消密码后另存为 .docx"),
    (ole(["Root Entry", "Workbook"]), "这是 Office 97-2003 格式的文件，不是 Word（.docx）文件"),
])
def test_not_a_zip_says_what_it_is(data, reason):
    assert _refused(data) == reason


def test_a_zip_that_is_not_a_word_document():
    assert _refused(package({"word/document.xml": None})) == "不是 Word（.docx）文件：其中没有 word/document.xml（正文）"
    assert _refused(package({"word/document.xml": None, "xl/workbook.xml": "<workbook/>"})) == \
        "这是 Excel 工作簿，不是 Word（.docx）文件"
    assert _refused(package(document=f'<w:document xmlns:w="{W_NS}"/>')) == \
        "正文（word/document.xml）中没有 w:body，不是 Word 文档"
    strict = '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:x/></w:document>'
    assert _refused(package(document=strict)) == "这是“Strict Open XML”格式的 Word 文档，请在 Word 中另存为普通的 .docx"
    # without ``word`` any zip package opens (import may read other parts)
    assert open_package(package({"word/document.xml": None}), label="x", word=False).names


@pytest.mark.parametrize("document", [billion_laughs(), external_entity()], ids=["billion-laughs", "external"])
def test_doctype_and_entities_are_refused(document):
    reason = _refused(package(document=document))
    assert reason.startswith("部件“word/document.xml”声明了 DOCTYPE 或实体")


def test_doctype_in_another_part_is_refused_by_verify():
    styles = '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "b">]><w:styles xmlns:w="x">&a;</w:styles>'
    data = package({"word/styles.xml": styles})
    open_package(data, label="x")  # the body is fine…
    assert _refused(data).startswith("部件“word/styles.xml”声明了 DOCTYPE")  # …but verify reads every part


def test_doctype_after_a_comment_and_in_utf16_is_refused():
    hidden = '<?xml version="1.0"?><!-- x --><!DOCTYPE d [<!ENTITY e "x">]>' + document_xml("a").split("?>", 1)[1]
    assert "DOCTYPE" in _refused(package(document=hidden))
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "x">]>'
             + document_xml("&e;").split("?>", 1)[1]).encode("utf-16")
    assert "DOCTYPE" in _refused(package(document=utf16))


def test_broken_xml():
    assert _refused(package(document="<w:document")) == \
        "部件“word/document.xml”已损坏：不是有效的 XML，或嵌套过深、文字过长（第 1 行）"
    deep = f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:sdt>" * 5000 + "</w:sdt>" * 5000 + "</w:body></w:document>"
    assert "嵌套过深" in _refused(package(document=deep))


def test_zip_bomb_is_refused_before_it_inflates():
    data = zip_bomb(60)
    assert len(data) < 1024 * 1024
    assert _refused(data) == "部件“word/document.xml”解压后超过 50 MB 的上限（可能是“压缩炸弹”），不是正常的 Word 文档"


def test_a_part_that_inflates_past_its_declared_size_is_refused():
    """The central directory says 100 bytes; the data inflates to 60 MB: never read past 100."""
    assert _refused(lying_bomb(60)) == "部件“word/document.xml”已损坏，无法解压"


def test_inflating_is_capped_while_reading(monkeypatch):
    """The cap holds while reading too, not only against the declared size."""
    data = package(document=document_xml("长" * 5000))
    p = open_package(data, label="x")
    monkeypatch.setattr(pkg, "MAX_PART_BYTES", 1000)
    with pytest.raises(PackageError, match="解压后超过"):
        p.part("word/document.xml")


def test_all_parts_together_are_capped(monkeypatch):
    monkeypatch.setattr(pkg, "MAX_TOTAL_BYTES", 3000)
    data = package({f"word/media/{i}.bin": b"x" * 1000 for i in range(4)})
    assert _refused(data).startswith("解压后共 0.0 MB，超过 0 MB 的上限（可能是“压缩炸弹”）")


def test_too_many_parts_and_encrypted_parts():
    assert _refused(many_entries(10_001)) == "zip 压缩包中的条目过多（10002 个，最多 10000 个），不是正常的 Word 文档"
    assert _refused(encrypted_zip()) == "部件“word/document.xml”设有密码（已加密），无法读取"


def test_hostile_part_names_are_shown_escaped():
    data = package({"word/\x1b]0;标题\x07.xml": "<x"})
    reason = _refused(data)
    assert "\x1b" not in reason and "\x07" not in reason
    assert "word/\\x1b]0;标题\\x07.xml" in reason


# -- files that are not files ------------------------------------------------------------------

def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    assert _refused(fifo) == "这是一个管道（FIFO），不是普通文件"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_devices_are_refused(tmp_path):
    assert _refused("/dev/zero") == "这是一个设备文件，不是普通文件"
    link = tmp_path / "零.docx"
    link.symlink_to("/dev/urandom")
    assert _refused(link) == "这是一个设备文件，不是普通文件"


def test_folders_missing_files_and_loops(tmp_path):
    assert _refused(tmp_path) == "这是一个文件夹，不是文件"
    assert _refused(tmp_path / "没有.docx") == "找不到文件"
    loop = tmp_path / "环.docx"
    loop.symlink_to(loop)
    assert _refused(loop) == "符号链接循环，无法打开"


def test_huge_file_is_refused_from_its_size(tmp_path):
    big = tmp_path / "大.docx"
    with open(big, "wb") as f:
        f.truncate(300 * 1024 * 1024)  # sparse: nothing is written or read
    assert _refused(big) == "文件过大（300.0 MB），超过 200 MB 的上限"


def test_read_limited_caps_what_it_reads(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(PackageError, match="文件过大"):
        read_limited(path, 99)


def test_the_label_defaults_to_the_path_made_printable(tmp_path):
    name = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.docx"))  # not UTF-8
    with pytest.raises(PackageError) as info:
        open_package(name)
    assert str(info.value).endswith("/\\xff\\xfe.docx：找不到文件")
    str(info.value).encode("utf-8")  # printable in any UTF-8 terminal
