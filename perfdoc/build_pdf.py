"""``build --pdf``: a PDF beside every .docx of a department, as part of the incremental build.

A PDF's input is its .docx's hash: it is remade only when the .docx changed, and a
no-change rebuild converts nothing.  Without ``--pdf`` the PDFs of unchanged documents
are kept; the PDF of a document that was rewritten is removed (it would show the old
content).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the converter is imported only when something is converted
    from .manifest import Outputs

__all__ = ["pdf_name", "convert_department", "keep_current_pdfs", "check_converter"]


def pdf_name(docx_name: str) -> str:
    return docx_name.removesuffix(".docx") + ".pdf"


def _documents(outputs: Outputs) -> dict[str, str]:
    """Each .docx this build made or kept -> its hash (the PDF's input)."""
    return {name: entry["sha256"] for name, entry in sorted(outputs.new.items()) if name.endswith(".docx")}


def convert_department(outputs: Outputs, *, workers: int | None, errors: list[str]) -> None:
    """Convert the department's documents whose PDF is missing or older than the .docx."""
    jobs, keys = [], {}
    for name, key in _documents(outputs).items():
        target = pdf_name(name)
        if outputs.up_to_date(target, key):
            continue
        jobs.append((outputs.folder / name, outputs.folder / target))
        keys[target] = key
    if not jobs:
        return
    from .convert import convert_to_pdf

    result = convert_to_pdf(jobs, outputs.folder, workers=workers)
    for pdf in result.converted:
        outputs.converted(pdf.name, keys[pdf.name])
    for docx, why in result.failed.items():
        errors.append(f"无法把 {docx} 转换为 PDF：{why}")


def keep_current_pdfs(outputs: Outputs) -> None:
    """A build without --pdf keeps the PDFs whose .docx is unchanged."""
    for name, key in _documents(outputs).items():
        outputs.keep_if_current(pdf_name(name), key)


def check_converter() -> str | None:
    """None when LibreOffice can be started, else the message for the user."""
    from .convert import ConvertError, find_soffice

    try:
        find_soffice()
    except ConvertError as exc:
        return str(exc)
    return None

