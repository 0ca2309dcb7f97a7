"""The PDF converter pool (perfdoc/convert): batches, time-outs, retries, fonts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from libreoffice import need_libreoffice

from perfdoc.convert import ConvertError, convert_to_pdf, find_soffice
from perfdoc.convert.fonts import fontconfig_xml

FAKE = textwrap.dedent("""\
    #!{python}
    # A stand-in for soffice: converts by copying, hangs on a document that says HANG,
    # crashes on one that says CRASH the first time it is seen.
    import sys, time, pathlib
    args = sys.argv[1:]
    out = pathlib.Path(args[args.index("--outdir") + 1])
    log = pathlib.Path({log!r})
    with log.open("a") as fh:
        fh.write("start %d\\n" % sum(1 for a in args if a.endswith(".docx")))
    for arg in [a for a in args if a.endswith(".docx")][:243]:  # LibreOffice 7.4 stops after ~250 silently
        data = pathlib.Path(arg).read_bytes()
        if b"HANG" in data:
            time.sleep(3600)
        marker = pathlib.Path({log!r} + ".crashed")
        if b"CRASH" in data and not marker.exists():
            marker.write_text("x")
            sys.exit(3)
        (out / (pathlib.Path(arg).stem + ".pdf")).write_bytes(b"%PDF-1.4\\n" + data + b"\\n%%EOF\\n")
""")


@pytest.fixture
def fake(tmp_path):
    log = tmp_path / "soffice.log"
    script = tmp_path / "soffice"
    script.write_text(FAKE.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    return script, log


def _docs(folder: Path, contents: list[bytes]) -> list[tuple[Path, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for i, data in enumerate(contents):
        docx = folder / f"文件{i}.docx"
        docx.write_bytes(data)
        jobs.append((docx, folder / f"文件{i}.pdf"))
    return jobs


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".perfdoc-tmp-")]


def test_one_process_per_worker_not_per_file(tmp_path, fake):
    script, log = fake
    jobs = _docs(tmp_path / "out", [b"doc %d" % i for i in range(7)])
    result = convert_to_pdf(jobs, tmp_path / "out", workers=2, soffice=str(script))
    assert sorted(result.converted) == sorted(pdf for _, pdf in jobs)
    assert not result.failed
    starts = log.read_text().split("\n")[:-1]
    assert len(starts) == 2 and sorted(int(s.split()[1]) for s in starts) == [3, 4]
    for i, (_, pdf) in enumerate(jobs):
        assert pdf.read_bytes() == b"%%PDF-1.4\ndoc %d\n%%%%EOF\n" % i
    assert _leftovers(tmp_path) == []


def test_long_batches_are_split_over_several_starts_of_one_worker(tmp_path, fake):
    """LibreOffice silently stops after about 250 documents on one command line."""
    script, log = fake
    jobs = _docs(tmp_path / "out", [b"doc %d" % i for i in range(450)])
    result = convert_to_pdf(jobs, tmp_path / "out", workers=1, soffice=str(script))
    assert not result.failed
    assert len(result.converted) == 450 and all(pdf.is_file() for _, pdf in jobs)
    assert log.read_text().split("\n")[:-1] == ["start 200", "start 200", "start 50"]


def test_a_hung_converter_is_killed_retried_once_then_reported(tmp_path, fake):
    script, log = fake
    jobs = _docs(tmp_path / "out", [b"ok 0", b"HANG", b"ok 2", b"ok 3"])
    old_pdf = jobs[1][1]
    old_pdf.write_bytes(b"%PDF old")  # a PDF of the document's previous content must not survive
    result = convert_to_pdf(jobs, tmp_path / "out", workers=1, timeout=1.5, soffice=str(script))
    assert sorted(result.converted) == sorted([jobs[0][1], jobs[2][1], jobs[3][1]])
    assert list(result.failed) == [jobs[1][0]]
    assert "没有响应" in result.failed[jobs[1][0]]
    assert not old_pdf.exists()
    # first run: all four; the hung one alone; the others together
    assert log.read_text().split("\n")[:-1] == ["start 4", "start 1", "start 2"] or \
        log.read_text().split("\n")[:-1] == ["start 4", "start 2", "start 1"]
    assert _leftovers(tmp_path) == []


def test_a_crash_is_retried_and_then_succeeds(tmp_path, fake):
    script, _ = fake
    jobs = _docs(tmp_path / "out", [b"ok", b"CRASH", b"ok too"])
    result = convert_to_pdf(jobs, tmp_path / "out", workers=1, soffice=str(script))
    assert not result.failed
    assert all(pdf.is_file() for _, pdf in jobs)


def test_without_libreoffice_the_message_names_the_package(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("PERFDOC_SOFFICE", raising=False)
    with pytest.raises(ConvertError) as info:
        find_soffice()
    assert "libreoffice-writer-nogui" in str(info.value)
    assert "LibreOffice" in str(info.value)


def test_fontconfig_maps_chinese_families_to_sc_faces(tmp_path):
    if not shutil.which("fc-match"):
        pytest.skip("fc-match not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(fontconfig_xml(), "utf-8")
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}

    def match(family: str) -> str:
        return subprocess.run(["fc-match", "-f", "%{family[0]}", family], env=env, capture_output=True,
                              text=True, check=True).stdout

    if "Noto Serif CJK SC" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        pytest.skip("fonts-noto-cjk not installed")
    for family in ("宋体", "SimSun", "仿宋", "仿宋_GB2312", "FangSong"):
        assert match(family) == "Noto Serif CJK SC", family
    for family in ("黑体", "SimHei", "微软雅黑"):
        assert match(family) == "Noto Sans CJK SC", family


def _probe(path: Path, font: str) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    run = document.add_paragraph().add_run("骨直角误关")
    run.font.size = Pt(40)
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    document.save(path)


def _raster(pdf: Path) -> bytes:
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "-png", str(pdf), str(stem)], check=True)
    png = next(pdf.parent.glob(stem.name + "*.png"))
    return png.read_bytes()


@pytest.mark.libreoffice
def test_songti_is_drawn_with_simplified_chinese_glyphs(tmp_path):
    """Glyphs, not names: pdffonts calls every Noto CJK subset …jp…, so compare pictures."""
    need_libreoffice()
    folder = tmp_path / "out"
    folder.mkdir()
    faces = {"song": "宋体", "sc": "Noto Serif CJK SC", "jp": "Noto Serif CJK JP", "hei": "黑体",
             "sans_sc": "Noto Sans CJK SC"}
    for name, font in faces.items():
        _probe(folder / f"{name}.docx", font)
    result = convert_to_pdf([(folder / f"{n}.docx", folder / f"{n}.pdf") for n in faces], folder, workers=2)
    assert not result.failed
    pictures = {name: _raster(folder / f"{name}.pdf") for name in faces}
    assert pictures["song"] == pictures["sc"], "宋体 is not drawn with Noto Serif CJK SC"
    assert pictures["song"] != pictures["jp"], "宋体 is drawn with the Japanese glyph forms"
    assert pictures["hei"] == pictures["sans_sc"], "黑体 is not drawn with Noto Sans CJK SC"
    assert pictures["hei"] != pictures["song"], "黑体 and 宋体 look the same: 黑体 must be a sans"
