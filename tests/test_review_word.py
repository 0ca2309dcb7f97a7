"""Reviewed copies as word processors see them: valid Open XML (the validator @ooxml-tools/validate,
run through npx), opened by LibreOffice with every comment shown at its place; documents saved by
LibreOffice, and Word 97-2003 documents converted by it, are reviewed alike."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

import requires
from conftest import PROJECTS
from libreoffice import SOFFICE, need_libreoffice
from test_review import (assert_comments_are, built, check_problems, comments_of, foreign_form,  # noqa: F401
                         review)

VALIDATOR = "@ooxml-tools/validate"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def need_validator() -> None:
    """Skip without npx (Node.js); a failure under CI or PERFDOC_REQUIRE_VALIDATOR=1."""
    if shutil.which("npx"):
        return
    if requires.required_by_ci("PERFDOC_REQUIRE_VALIDATOR"):
        pytest.fail("npx (Node.js) is missing, but CI or PERFDOC_REQUIRE_VALIDATOR=1 requires the validator to run")
    pytest.skip("npx (Node.js) is not installed")


def validate(path: Path) -> list:
    """The validator's errors for ``path`` (its exit code is always 0: the JSON says)."""
    done = subprocess.run(["npx", "--yes", VALIDATOR, "--of", "json", str(path)], capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, NO_COLOR="1"))
    assert done.stdout.strip().startswith("["), done.stdout + done.stderr
    return json.loads(done.stdout)


def soffice(files: list[Path], target: str, outdir: Path) -> list[Path]:
    need_libreoffice()
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{outdir / 'lo-profile'}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=600)
    out = [outdir / f"{f.stem}.{target.split(':')[0]}" for f in files]
    assert all(p.is_file() for p in out), list(outdir.iterdir())
    return out


def _reviewed(tmp_path: Path, built: Path) -> list[Path]:
    """Reviewed copies of: a foreign form (a new comments part), the same with a comment by someone
    else (appended to), and the 汇总表 with the most comments (89, in cells, rows and headings)."""
    fresh, commented = tmp_path / "申报表.docx", tmp_path / "有批注的申报表.docx"
    fresh.write_bytes(foreign_form())
    commented.write_bytes(foreign_form(comment=True))
    documents = [fresh, commented, built / "2026-hongqiao" / "2026年度项目绩效目标汇总表.docx"]
    done = review(*documents, out=tmp_path / "out")
    assert done.returncode == 1, done.stderr
    return [tmp_path / "out" / Path(d["reviewed"]).name for d in json.loads(done.stdout)["documents"]]


def test_reviewed_copies_pass_the_open_xml_validator(tmp_path, built):
    need_validator()
    reviewed = _reviewed(tmp_path, built)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(validate, reviewed))
    for path, errors in zip(reviewed, results):
        assert errors == [], (path.name, errors[:3])
    assert all(comments_of(p) for p in reviewed)


def test_the_validator_finds_a_broken_comment(tmp_path):
    """The validator is not silent: a comment reference without its id is an error."""
    need_validator()
    form = tmp_path / "申报表.docx"
    form.write_bytes(foreign_form())
    assert review(form, out=tmp_path / "out").returncode == 1
    reviewed = tmp_path / "out" / "申报表-审核.docx"
    import zipfile

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(reviewed) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b'<w:commentReference w:id="0"/>', b"<w:commentReference/>")
            target.writestr(info, data)
    assert [e["id"] for e in validate(broken)] == ["Sch_MissRequiredAttribute"]


@pytest.mark.libreoffice
def test_libreoffice_shows_every_comment_at_its_place(tmp_path, built):
    form = tmp_path / "申报表.docx"
    form.write_bytes(foreign_form())
    songjiang = built / "2022-songjiang" / "2022年度项目绩效目标汇总表.docx"
    assert review(form, songjiang, out=tmp_path / "out").returncode == 1
    reviewed = [tmp_path / "out" / "申报表-审核.docx", tmp_path / "out" / "2022年度项目绩效目标汇总表-审核.docx"]
    for docx_path, odt in zip(reviewed, soffice(reviewed, "odt", tmp_path / "odt")):
        import zipfile

        with zipfile.ZipFile(odt) as z:
            content = etree.fromstring(z.read("content.xml"))
        shown = []
        for note in content.iter(_OFFICE + "annotation"):
            author = note.findtext(_DC + "creator")
            text = "\n".join("".join(p.itertext()) for p in note.iter(_TEXT + "p"))
            paragraph = note.getparent()
            while paragraph.tag not in (_TEXT + "p", _TEXT + "h"):
                paragraph = paragraph.getparent()
            bare = copy.deepcopy(paragraph)  # the paragraph's own text, without the notes in it
            for inner in list(bare.iter(_OFFICE + "annotation")):
                inner.clear(keep_tail=True)  # the text after a note is the paragraph's
            shown.append((author, text, "".join(bare.itertext())))
        expected = comments_of(docx_path)
        assert len(shown) == len(expected)
        for (author, text, where), (comment, anchored) in zip(shown, expected):
            assert author == "perfdoc" and text == comment
            assert anchored.split("\n")[0][:10] in where, (where, anchored)


@pytest.mark.libreoffice
def test_documents_saved_by_libreoffice_are_reviewed_alike(tmp_path, built):
    names = ["2022-songjiang", "2026-hongqiao"]
    sources = []
    for name in names:
        original = next((built / name).glob("*年度项目绩效目标汇总表.docx"))
        copy = tmp_path / "src" / name / original.name
        copy.parent.mkdir(parents=True)
        shutil.copy(original, copy)
        sources.append(copy)
    for name, source in zip(names, sources):
        saved, = soffice([source], "docx:MS Word 2007 XML", tmp_path / "saved" / name)
        assert saved.read_bytes() != source.read_bytes()
        done = review(saved, out=tmp_path / "out" / name)
        assert done.returncode == 1, done.stderr
        reviewed = tmp_path / "out" / name / Path(json.loads(done.stdout)["documents"][0]["reviewed"]).name
        assert_comments_are(check_problems(PROJECTS / name), comments_of(reviewed))


@pytest.mark.libreoffice
def test_a_word_97_document_is_converted_and_reviewed(tmp_path, built):
    """A .doc is read through LibreOffice; the reviewed copy is the converted .docx plus comments.
    (What LibreOffice makes of a .doc is its own: the comments are the findings on that.)"""
    old, = soffice([built / "2022-songjiang" / "业务培训-申报表.docx"], "doc", tmp_path / "doc")
    assert old.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    done = review(old, out=tmp_path / "out")
    assert done.returncode == 1, done.stderr
    doc, = json.loads(done.stdout)["documents"]
    assert doc["converted"] is True and doc["reviewed"].endswith("/业务培训-申报表-审核.docx")
    assert doc["projects"] == ["业务培训"] and doc["findings"]
    assert len(comments_of(tmp_path / "out" / "业务培训-申报表-审核.docx")) == len(doc["findings"])
    assert "原文是 Word 97-2003 文档（.doc），审核后的文件是 LibreOffice 转换成的 .docx 加上批注。" in (
        tmp_path / "out" / "审核意见.md").read_text("utf-8")
