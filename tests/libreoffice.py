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
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)],
        check=True, capture_output=True, timeout=900,
    )
    result = {}
    for doc in docs:
        pdf = outdir / (doc.stem + ".pdf")
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
