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
from docx.opc.pkgwriter import PackageWriter

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


class _FixedZipWriter:
    """python-docx's physical package writer, with fixed timestamps: written once, no rewrite."""

    def __init__(self, stream: io.BytesIO):
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 0
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def to_bytes(document: Document, *, title: str = "", subject: str = "") -> bytes:
    """The .docx bytes: deterministic (fixed properties, timestamps and entry order)."""
    props = document.core_properties
    props.author = "perfdoc"
    props.last_modified_by = "perfdoc"
    props.title = title[:250]
    props.subject = subject[:250]
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    raw = io.BytesIO()
    writer = _FixedZipWriter(raw)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return raw.getvalue()


def save_document(document: Document, path: Path, *, title: str = "", subject: str = "") -> bytes:
    """Save atomically (temporary file, then rename); returns the bytes written."""
    data = to_bytes(document, title=title, subject=subject)
    atomic_write_bytes(Path(path), data)
    return data
