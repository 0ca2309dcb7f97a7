"""Opening a template's reference.docx and saving documents deterministically.

The same input gives byte-identical files: fixed document properties, fixed
zip timestamps and entry order, so built documents can be committed and diffed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document

from ..fsutil import atomic_write_bytes

__all__ = ["new_document", "to_bytes", "save_document", "FIXED_TIME"]

#: Every built document carries this time; the date of a build is not content.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def new_document(reference: bytes) -> Document:
    """A new document with the page setup and styles of ``reference`` and an empty body."""
    document = docx.Document(io.BytesIO(reference))
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    return document


def to_bytes(document: Document, *, title: str = "", subject: str = "") -> bytes:
    props = document.core_properties
    props.author = "perfdoc"
    props.last_modified_by = "perfdoc"
    props.title = title[:250]
    props.subject = subject[:250]
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return normalise_zip(raw.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps and permissions, keeping entry order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def save_document(document: Document, path: Path, *, title: str = "", subject: str = "") -> bytes:
    """Save atomically (temporary file, then rename); returns the bytes written."""
    data = to_bytes(document, title=title, subject=subject)
    atomic_write_bytes(Path(path), data)
    return data
