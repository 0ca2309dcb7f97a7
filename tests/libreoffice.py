"""Converting documents with LibreOffice, as a real reader would open them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRED = os.environ.get("PERFDOC_REQUIRE_LIBREOFFICE") == "1"


def need_libreoffice() -> None:
    if SOFFICE and shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    if REQUIRED:
        pytest.fail("LibreOffice / poppler-utils are missing but PERFDOC_REQUIRE_LIBREOFFICE=1")
    pytest.skip("LibreOffice or poppler-utils not installed")


def to_pdf(docs: list[Path], outdir: Path) -> dict[Path, Path]:
    """Convert .docx files to PDF in one LibreOffice run; returns docx -> pdf."""
    need_libreoffice()
    assert docs, "no documents to convert"
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    # one output folder per source folder: two departments both have a 2022年度…汇总表
    groups: dict[Path, list[Path]] = {}
    for doc in docs:
        groups.setdefault(doc.parent, []).append(doc)
    result = {}
    for i, (parent, group) in enumerate(sorted(groups.items())):
        target = outdir / f"{i:02d}-{parent.name}"
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(target), *map(str, group)],
            check=True, capture_output=True, timeout=900,
        )
        for doc in group:
            pdf = target / (doc.stem + ".pdf")
            assert pdf.is_file(), f"LibreOffice did not convert {doc}"
            result[doc] = pdf
    return result


def pdf_text(pdf: Path) -> str:
    """The PDF's text in content-stream order, without whitespace (cells wrap lines)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return re.sub(r"\s+", "", out)


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
