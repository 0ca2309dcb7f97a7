"""Opening a template's reference.docx and saving documents deterministically.

The same input gives byte-identical files: fixed document properties, fixed
zip timestamps and entry order, so built documents can be committed and diffed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import atomic_write_bytes
from . import pagenumbers

if TYPE_CHECKING:  # python-docx is imported where a document is made with it, not for the fast path
    from docx.document import Document

__all__ = ["new_document", "to_bytes", "render_bytes", "StreamedBody", "save_document", "FIXED_TIME"]

#: Every built document carries this time; the date of a build is not content.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def new_document(reference: bytes, *, page_numbers: str = "none") -> Document:
    """A new document with the page setup and styles of ``reference`` and an empty body.

    ``page_numbers`` is one of pagenumbers.MODES: the reference's footers are kept
    (``center``), realigned for odd and even pages (``outside``) or left out (``none``).
    """
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(reference))
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            if page_numbers == "none":
                for ref in child.findall(qn("w:footerReference")):
                    child.remove(ref)
            continue
        body.remove(child)
    if page_numbers == "outside":
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        document.settings.odd_and_even_pages_header_footer = True
        for ref in body.sectPr.findall(qn("w:footerReference")):
            side = WD_ALIGN_PARAGRAPH.LEFT if ref.get(qn("w:type")) == "even" else WD_ALIGN_PARAGRAPH.RIGHT
            for p in document.part.related_parts[ref.get(qn("r:id"))].element.iter(qn("w:p")):
                p.get_or_add_pPr().jc_val = side
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
    from docx.opc.pkgwriter import PackageWriter

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


# -- the fast path: XML fragments straight into the reference's zip ------------------

_W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CORE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>perfdoc</dc:creator>"
    "<cp:lastModifiedBy>perfdoc</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
    "<cp:lastPrinted>2000-01-01T00:00:00Z</cp:lastPrinted></cp:coreProperties>"
)


class _Skeleton:
    """A reference.docx split once into its zip entries and the text around its body."""

    def __init__(self, reference: bytes):
        with zipfile.ZipFile(io.BytesIO(reference)) as z:
            self.entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
        names = [name for name, _ in self.entries]
        xml = dict(self.entries)["word/document.xml"].decode("utf-8")
        head_end = xml.index("<w:body>") + len("<w:body>")
        sect = xml.rfind("<w:sectPr")
        if _W_DECL not in xml[:head_end] or sect < head_end or "docProps/core.xml" not in names:
            raise ValueError("reference.docx is not in the simple form the fast path needs")
        self.head = xml[:head_end]
        self.tail = xml[sect:]
        self._edits: dict[str, dict[str, bytes]] = {}
        self._deflated: dict | None | bool = False  # not tried yet

    def deflated(self) -> dict[str, tuple[int, bytes]] | None:
        """Each entry deflated once (name -> CRC, data) for _zip; None where writing them so would not
        give the bytes zipfile writes (another Python's zipfile): then every entry is compressed anew."""
        if self._deflated is False:
            deflated = {name: _deflate(blob) for name, blob in self.entries}
            probe = {"word/document.xml": b"<probe/>"}
            try:
                same = _zip(self, probe, deflated) == _zip(self, probe)
            except Exception:  # noqa: BLE001 - zipfile without these internals: compress as usual
                same = False
            self._deflated = deflated if same else None
        return self._deflated
    def page_number_edits(self, mode: str) -> dict[str, bytes]:
        """The parts that differ from the reference's for page-number ``mode`` (settings, footers)."""
        if mode != "outside":
            return {}
        if mode not in self._edits:
            entries = dict(self.entries)
            rels = entries.get("word/_rels/document.xml.rels", b"").decode("utf-8")
            edits = {}
            for name, even in pagenumbers.footer_parts(self.tail, rels).items():
                if name in entries:
                    edits[name] = pagenumbers.footer_xml(entries[name].decode("utf-8"), mode, even=even).encode("utf-8")
            if "word/settings.xml" in entries:
                edits["word/settings.xml"] = pagenumbers.settings_xml(
                    entries["word/settings.xml"].decode("utf-8"), mode).encode("utf-8")
            self._edits[mode] = edits
        return self._edits[mode]


_SKELETONS: dict[bytes, _Skeleton | None] = {}


def _skeleton(reference: bytes) -> _Skeleton | None:
    if reference not in _SKELETONS:
        try:
            _SKELETONS[reference] = _Skeleton(reference)
        except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
            _SKELETONS[reference] = None
    return _SKELETONS[reference]


def render_bytes(reference: bytes, xml_parts: list[str], *, title: str = "", subject: str = "",
                 page_numbers: str = "none") -> bytes:
    """A .docx of ``reference`` with ``xml_parts`` as its body, without parsing anything.

    Equal in content to ``to_bytes`` of a new_document() with the parts appended, and
    several times faster; a reference.docx that a user saved in an unusual form falls
    back to that path.
    """
    skeleton = _skeleton(reference)
    if skeleton is None:
        from .docxml import append

        document = new_document(reference, page_numbers=page_numbers)
        append(document, *xml_parts)
        return to_bytes(document, title=title, subject=subject)
    document_xml = (skeleton.head + "".join(xml_parts) + pagenumbers.section_tail(skeleton.tail, page_numbers)
                    ).encode("utf-8")
    return _package(skeleton, title, subject, page_numbers, {"word/document.xml": document_xml})


def _package(skeleton: _Skeleton, title: str, subject: str, page_numbers: str, changed: dict[str, bytes],
             streamed: dict[str, tuple[int, int, bytes]] | None = None) -> bytes:
    """The .docx of ``skeleton`` with its body (``changed`` or ``streamed``: see _zip), its title and
    subject, and the footers and settings of ``page_numbers``."""
    from xml.sax.saxutils import escape

    core = _CORE.format(title=escape(title[:250]), subject=escape(subject[:250])).encode("utf-8")
    changed = {**changed, "docProps/core.xml": core, **skeleton.page_number_edits(page_numbers)}
    return _zip(skeleton, changed, deflated=skeleton.deflated(), streamed=streamed)


def _zip(skeleton: _Skeleton, changed: dict[str, bytes], deflated: dict | None = None,
         streamed: dict[str, tuple[int, int, bytes]] | None = None) -> bytes:
    """The reference's entries, in order, with ``changed`` ones replaced.  The entries that did not
    change are written as ``deflated`` (compressed once per reference) when given: the same bytes as
    ZipFile.writestr would write, without compressing them again for every document.  ``streamed``:
    entries already compressed elsewhere (name -> size, CRC, deflated data), written as they are."""
    raw = io.BytesIO()
    streamed = streamed or {}
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in skeleton.entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            if name in streamed:
                _write_deflated(z, info, *streamed[name])
            elif name in changed or deflated is None:
                z.writestr(info, changed.get(name, blob))
            else:
                _write_deflated(z, info, len(blob), *deflated[name])
    return raw.getvalue()


class StreamedBody:
    """A document whose body parts arrive one after another (the 汇总表's projects, as the workers
    render them): each part is compressed as it comes, so that the document is ready moments after
    its last part instead of being compressed whole at the end.  :meth:`bytes` gives what
    :func:`render_bytes` gives for the same parts (zlib compresses a stream given in pieces to the
    same bytes as at once); a reference.docx the fast path cannot use keeps the parts for it."""

    def __init__(self, reference: bytes, head: list[str | bytes], *, title: str = "", subject: str = "",
                 page_numbers: str = "none"):
        self._reference, self._title, self._subject, self._page_numbers = reference, title, subject, page_numbers
        skeleton = _skeleton(reference)
        self._skeleton = skeleton if skeleton is not None and skeleton.deflated() is not None else None
        self._parts: list[str] = []  # kept only without the fast path
        self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._pieces: list[bytes] = []
        self._crc = self._size = 0
        if self._skeleton is not None:
            self._feed(self._skeleton.head.encode("utf-8"))
        for part in head:
            self.add(part)

    def _feed(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._pieces.append(self._compressor.compress(data))

    def add(self, part: str | bytes) -> None:
        """The next part: XML, or its UTF-8 bytes (as the workers send the 汇总表's forms)."""
        if self._skeleton is None:
            self._parts.append(part.decode("utf-8") if isinstance(part, bytes) else part)
        else:
            self._feed(part if isinstance(part, bytes) else part.encode("utf-8"))

    def bytes(self) -> bytes:
        """The .docx (call once, after the last part)."""
        if self._skeleton is None:
            return render_bytes(self._reference, self._parts, title=self._title, subject=self._subject,
                                page_numbers=self._page_numbers)
        skeleton = self._skeleton
        self._feed(pagenumbers.section_tail(skeleton.tail, self._page_numbers).encode("utf-8"))
        data = b"".join(self._pieces) + self._compressor.flush()
        self._pieces = []
        return _package(skeleton, self._title, self._subject, self._page_numbers, {},
                        streamed={"word/document.xml": (self._size, self._crc, data)})


def _deflate(blob: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of ``blob``, as zipfile compresses an entry (default level)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(blob), compressor.compress(blob) + compressor.flush()


def _write_deflated(z: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, crc: int, data: bytes) -> None:
    """What ``z.writestr(info, blob)`` does (CPython's zipfile, a seekable file, no ZIP64), for a ``blob``
    of ``size`` bytes already deflated to ``data``: the local header with the sizes and CRC, the data,
    the entry in the central directory.  _Skeleton.deflated checks that the bytes are the same."""
    info.file_size = size
    info.compress_size = len(data)
    info.CRC = crc
    info.flag_bits = 0
    z.fp.seek(z.start_dir)
    info.header_offset = z.fp.tell()
    z._writecheck(info)
    z._didModify = True
    z.fp.write(info.FileHeader(False))
    z.fp.write(data)
    z.start_dir = z.fp.tell()
    z.filelist.append(info)
    z.NameToInfo[info.filename] = info
