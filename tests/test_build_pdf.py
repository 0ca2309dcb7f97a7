"""``perfdoc build --pdf``: a PDF beside every document, incremental, in SC fonts, page-numbered."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS
from libreoffice import need_libreoffice, pdf_pages, pdf_text
from printed_examples import ANNUAL, NAMES, ORDER, TARGETS

from perfdoc.build import build
from perfdoc.convert import convert_to_pdf

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"

pytestmark = pytest.mark.libreoffice


def _names(folder: Path, suffix: str) -> set[str]:
    return {p.name.removesuffix(suffix) for p in folder.iterdir() if p.name.endswith(suffix)}


@pytest.fixture(scope="module")
def songjiang(tmp_path_factory):
    need_libreoffice()
    out = tmp_path_factory.mktemp("pdf")
    result = build([PROJECTS / "2022-songjiang"], out, force=True, pdf=True, jobs=2)
    assert not result.errors, result.errors
    return out, result


def test_a_pdf_beside_every_document(songjiang):
    out, result = songjiang
    folder = out / "2022-songjiang"
    docx = _names(folder, ".docx")
    assert len(docx) == 9  # 4 projects × (申报表, 经费说明) + 汇总表
    assert _names(folder, ".pdf") == docx
    assert not [p for p in folder.iterdir() if p.name.startswith(".perfdoc-tmp-")]
    for stem in docx:
        assert (folder / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_the_pdfs_hold_every_name_amount_and_target(songjiang):
    out, _ = songjiang
    folder = out / "2022-songjiang"
    summary = pdf_text(folder / "2022年度项目绩效目标汇总表.pdf")
    for key in ORDER["2022-songjiang"]:
        name, stem = NAMES[("2022-songjiang", key)]
        declaration = pdf_text(folder / f"{stem}-申报表.pdf")
        for text in (name, ANNUAL[("2022-songjiang", key)], *TARGETS[("2022-songjiang", key)]):
            needle = re.sub(r"\s+", "", text)
            assert needle in declaration, (key, text)
            assert needle in summary, (key, text)


def test_every_indicator_name_and_amount_of_the_files_is_in_the_pdfs(songjiang):
    """Names and amounts as the user wrote them in the project files (read with tomllib, not perfdoc)."""
    import tomllib

    out, _ = songjiang
    folder = out / "2022-songjiang"
    for key in ORDER["2022-songjiang"]:
        data = tomllib.loads((PROJECTS / "2022-songjiang" / f"{key}.toml").read_text("utf-8"))
        text = pdf_text(folder / f"{NAMES[('2022-songjiang', key)][1]}-申报表.pdf")
        names = [i["name"] for i in data["indicators"]]
        assert names and all(re.sub(r"\s+", "", n) in text for n in names), key
        for field in ("total", "total_fiscal", "total_other", "annual", "annual_appropriation", "annual_carryover",
                      "annual_other"):
            amount = str(data["funding"][field]).replace(",", "")
            # the 2022 松江 form prints whole 元 (places = 0): "320000.00" as 320000
            assert amount.removesuffix(".00") in text, (key, field, amount)


def test_the_summary_is_its_parts_plus_one_page(songjiang):
    out, _ = songjiang
    folder = out / "2022-songjiang"
    parts = sum(pdf_pages(folder / f"{NAMES[('2022-songjiang', key)][1]}-{kind}.pdf")
                for key in ORDER["2022-songjiang"] for kind in ("申报表", "经费说明"))
    assert pdf_pages(folder / "2022年度项目绩效目标汇总表.pdf") == 1 + parts


def test_the_summary_pdf_is_numbered_one_to_n(songjiang):
    out, _ = songjiang
    pdf = out / "2022-songjiang" / "2022年度项目绩效目标汇总表.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    numbers = [int(n) for n in re.findall(r"^\s*—\s*(\d+)\s*—\s*$", text, re.M)]
    assert numbers == list(range(1, pdf_pages(pdf) + 1))
    assert pdf_pages(pdf) >= 9  # title and index, then 4 × (经费说明, 申报表)


def test_first_pages_for_a_person_to_look_at(songjiang, tmp_path):
    out, _ = songjiang
    ARTIFACTS.mkdir(exist_ok=True)
    assert not build([PROJECTS / "2024-xinzhuang"], tmp_path, force=True, pdf=True).errors
    selfeval = tmp_path / "2024-xinzhuang"
    for kind, pdf in (("汇总表", out / "2022-songjiang" / "2022年度项目绩效目标汇总表.pdf"),
                      ("申报表", out / "2022-songjiang" / "党组织建设-申报表.pdf"),
                      ("经费说明", out / "2022-songjiang" / "党组织建设-经费说明.pdf"),
                      ("自评表", selfeval / "两新党建工作-自评表.pdf"),
                      ("自评汇总", next(selfeval.glob("*自评汇总.pdf")))):
        target = ARTIFACTS / f"build-pdf-{kind}"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                        str(target)], check=True)
        assert target.with_suffix(".png").stat().st_size > 1000


def test_incremental_pdfs(tmp_path):
    need_libreoffice()
    dep = shutil.copytree(PROJECTS / "2022-songjiang", tmp_path / "dep")
    out = tmp_path / "out"
    first = build([dep], out, force=True, pdf=True)
    assert not first.errors
    folder = out / "dep"
    assert len(_names(folder, ".pdf")) == 9

    again = build([dep], out, force=True, pdf=True)
    assert again.written == [] and not again.errors  # a no-change rebuild converts nothing

    project = dep / "疫情防控.toml"
    project.write_text(project.read_text("utf-8").replace("疫情防控", "疫情防控工作", 1), "utf-8")
    changed = build([dep], out, force=True, pdf=True)
    written = sorted(p.name for p in changed.written)
    assert [n for n in written if n.endswith(".pdf")] == sorted([
        "2022年度项目绩效目标汇总表.pdf", "疫情防控工作-申报表.pdf", "疫情防控工作-经费说明.pdf"])
    assert not (folder / "疫情防控-申报表.pdf").exists()  # the renamed project's old PDF is gone

    # without --pdf: unchanged documents keep their PDFs; a rewritten document's PDF goes
    project.write_text(project.read_text("utf-8").replace("疫情防控工作", "疫情防控", 1), "utf-8")
    plain = build([dep], out, force=True)
    assert not plain.errors
    assert (folder / "党组织建设-申报表.pdf").is_file()
    assert not (folder / "疫情防控-申报表.pdf").exists()
    assert not (folder / "2022年度项目绩效目标汇总表.pdf").exists()  # its .docx was rewritten
    assert (folder / "2022年度项目绩效目标汇总表.docx").is_file()


def test_a_killed_converters_leftovers_are_removed_by_the_next_build(tmp_path):
    need_libreoffice()
    dep = shutil.copytree(PROJECTS / "2022-huacao", tmp_path / "dep")
    out = tmp_path / "out"
    assert not build([dep], out, force=True).errors
    folder = out / "dep"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = folder / f".perfdoc-tmp-{dead.pid}-pdf-abc"
    (leftover / "profile").mkdir(parents=True)
    (leftover / "out" / "00000.pdf").parent.mkdir()
    (leftover / "out" / "00000.pdf").write_bytes(b"%PDF-1.4 half")
    half = folder / f".perfdoc-tmp-{dead.pid}-两新组织党建经费-申报表.pdf"
    half.write_bytes(b"%PDF-1.4 half")
    live = folder / ".perfdoc-tmp-1-pdf-running"  # pid 1 is alive: a build running beside this one
    live.mkdir()
    result = build([dep], out, force=True, pdf=True)
    assert not result.errors
    assert not leftover.exists() and not half.exists()
    assert live.exists()
    assert (folder / "“两新”组织党建经费-申报表.pdf").read_bytes().startswith(b"%PDF")


def test_without_libreoffice_pdf_is_a_usage_error_and_nothing_is_written(tmp_path):
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    env.pop("PERFDOC_SOFFICE", None)
    run = subprocess.run([sys.executable, "-m", "perfdoc", "build", str(PROJECTS / "2022-huacao"), "--pdf",
                          "-o", str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "libreoffice-writer-nogui" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def _with_font(docx: Path, target: Path, font: str) -> None:
    """A copy of ``docx`` whose 宋体 is named ``font`` explicitly."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("word/styles.xml", "word/document.xml"):
                data = data.replace("宋体".encode(), font.encode())
            dst.writestr(info, data)


def test_songti_in_a_built_pdf_has_the_simplified_chinese_glyphs(tmp_path):
    """Glyphs, not font names: pdffonts calls every Noto CJK subset …jp…, so compare pictures."""
    need_libreoffice()
    dep = shutil.copytree(PROJECTS / "2022-huacao", tmp_path / "dep")
    project = dep / "两新组织党建经费.toml"
    text = project.read_text("utf-8")
    project.write_text(re.sub(r'(?m)^name = "[^"]*"', 'name = "骨直角误关"', text, count=1), "utf-8")
    out = tmp_path / "out"
    assert not build([project], out, force=True, pdf=True).errors
    folder = out / "dep"
    built_docx = folder / "骨直角误关-申报表.docx"
    assert "骨直角误关" in pdf_text(folder / "骨直角误关-申报表.pdf")
    probes = tmp_path / "probes"
    probes.mkdir()
    jobs = []
    for face in ("Noto Serif CJK SC", "Noto Serif CJK JP"):
        copy = probes / f"{face.split()[-1]}.docx"
        _with_font(built_docx, copy, face)
        jobs.append((copy, copy.with_suffix(".pdf")))
    assert not convert_to_pdf(jobs, probes).failed

    def raster(pdf: Path) -> bytes:
        png = subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", "-png", str(pdf)],
                             capture_output=True, check=True).stdout
        return png

    built, sc, jp = raster(folder / "骨直角误关-申报表.pdf"), raster(probes / "SC.pdf"), raster(probes / "JP.pdf")
    assert built == sc, "宋体 is not drawn with Noto Serif CJK SC"
    assert built != jp, "宋体 is drawn with the Japanese glyph forms"
    assert io.BytesIO(built).getbuffer().nbytes > 1000
