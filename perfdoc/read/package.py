"""The one way to open an untrusted Word document (or any OOXML zip package).

Templates' reference.docx, attachments, ``perfdoc textconv`` and import read
files that someone else made: a renamed PDF, a ``.doc`` or an encrypted
document, a damaged zip, a zip bomb, XML that declares a DOCTYPE with entities
(the "billion laughs"), a FIFO or ``/dev/zero`` given as the file name.  Every
such file is refused with a :class:`PackageError` whose message (Chinese)
names the file, promptly and in bounded memory:

* the path is checked with ``stat`` before it is opened: a regular file, at
  most :data:`MAX_FILE_BYTES`; it is read with the same cap (:mod:`.files`);
* the zip's central directory is bounded before the zip library reads it;
  each part's declared size is checked before anything is inflated, and the
  inflated size again while reading (:data:`MAX_PART_BYTES` per part,
  :data:`MAX_TOTAL_BYTES` for all parts together);
* XML is parsed without DTDs, entities or network, and a part that declares a
  DOCTYPE or an entity is refused outright.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from lxml import etree

from .files import MB, PackageError, printable, read_limited, too_large

__all__ = [
    "PackageError", "Package", "open_package", "read_limited", "parse_xml", "printable",
    "MAX_FILE_BYTES", "MAX_PART_BYTES", "MAX_TOTAL_BYTES", "MAX_PARTS", "W_NS",
]

#: A Word document on disk (pictures included) is rarely past a few tens of MB.
MAX_FILE_BYTES = 200 * MB
#: One part once inflated: document.xml of a 1000-page document is far below this.
MAX_PART_BYTES = 50 * MB
#: All parts together once inflated.
MAX_TOTAL_BYTES = 200 * MB
#: Parts in one package (Word writes a few dozen; one per picture).
MAX_PARTS = 10_000
_MAX_CENTRAL_DIRECTORY = 16 * MB

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_OFFICE_DOCUMENT = ("/officeDocument/2006/relationships/officeDocument",
                    "/officeDocument/relationships/officeDocument")
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 * MB


def _parser() -> etree.XMLParser:
    """A new parser per document (lxml parsers are not shared between threads)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False)


# -- what a file that is not a zip is -----------------------------------------------------------

def _ole_kind(data: bytes) -> str:
    """An OLE compound file: an encrypted OOXML document, a Word 97-2003 .doc, or another old Office file."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "这是设有打开密码（已加密）的 Office 文档，无法读取；请在 Word 或 WPS 中取消密码后另存为 .docx"
    if "WordDocument".encode("utf-16-le") in data:
        return "这是旧版 Word 97-2003 文档（.doc），不是 .docx；请在 Word 或 WPS 中另存为 .docx"
    return "这是 Office 97-2003 格式的文件，不是 Word（.docx）文件"


def _not_zip_reason(data: bytes) -> str:
    if not data:
        return "文件是空的，不是 Word（.docx）文件"
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件，不是 Word（.docx）文件"
    if head.startswith(b"{\\rtf"):
        return "这是 RTF 文件，不是 Word（.docx）文件；请在 Word 或 WPS 中另存为 .docx"
    if head.startswith(b"<"):
        return "这是 XML 或网页文件，不是 Word（.docx）文件；请在 Word 或 WPS 中另存为 .docx"
    return "不是 Word（.docx）文件：不是 zip 压缩包，或已损坏"


def _central_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, size in bytes) of the zip's central directory from its end record, or None."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    entries = int.from_bytes(data[at + 10:at + 12], "little")
    size = int.from_bytes(data[at + 12:at + 16], "little")
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and at >= 20 and data[at - 20:at - 16] == b"PK\x06\x07":
        offset = int.from_bytes(data[at - 12:at - 4], "little")
        if data[offset:offset + 4] == b"PK\x06\x06":
            entries = int.from_bytes(data[offset + 32:offset + 40], "little")
            size = int.from_bytes(data[offset + 40:offset + 48], "little")
    return entries, size


# -- XML ----------------------------------------------------------------------------------------

def _prolog(data: bytes) -> bytes:
    """The bytes before the root element (where a DOCTYPE would be), for ASCII-compatible encodings."""
    i = 0
    while True:
        i = data.find(b"<", i)
        if i < 0 or i + 1 >= len(data):
            return data
        nxt = data[i + 1:i + 2]
        if nxt not in (b"?", b"!"):
            return data[:i]
        if data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            i = len(data) if end < 0 else end + 3
        else:
            i += 2


def parse_xml(data: bytes, *, label: str, part: str) -> etree._Element:
    """Parse one part: no DTD, no entities, no network; a DOCTYPE or an entity is refused."""
    doctype = f"部件“{printable(part)}”声明了 DOCTYPE 或实体（<!DOCTYPE、<!ENTITY），Word 文档中不会有；为安全起见拒绝读取"
    prolog = _prolog(data)
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise PackageError(label, doctype)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise PackageError(label, f"部件“{printable(part)}”已损坏：不是有效的 XML，或嵌套过深、文字过长（第 {line} 行）") from None
    except ValueError:  # e.g. an encoding declaration lxml refuses
        raise PackageError(label, f"部件“{printable(part)}”已损坏：不是有效的 XML") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        raise PackageError(label, doctype)
    return root


# -- the package --------------------------------------------------------------------------------

class Package:
    """An opened OOXML package: every limit checked that can be checked before reading a part.

    ``data`` holds the file's bytes (read once, so the file cannot change under
    us); hand them to python-docx only after :meth:`verify`.
    """

    def __init__(self, label: str, data: bytes, archive: zipfile.ZipFile):
        self.label = label
        self.data = data
        self._zip = archive
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            self._infos[info.filename] = info
        self._folded = {name.casefold(): name for name in self._infos}
        self._inflated: dict[str, int] = {}
        self._document: etree._Element | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._infos)

    def has(self, name: str) -> bool:
        return self._name(name) is not None

    def _name(self, name: str) -> str | None:
        name = name.lstrip("/")
        if name in self._infos:
            return name
        return self._folded.get(name.casefold())  # OOXML part names ignore case

    def part(self, name: str) -> bytes:
        """The inflated bytes of part ``name`` (read with the caps)."""
        found = self._name(name)
        if found is None:
            raise PackageError(self.label, f"其中没有部件“{printable(name)}”")
        info = self._infos[found]
        shown = printable(found)
        chunks = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > MAX_PART_BYTES:
                        raise PackageError(self.label, _bomb(shown))
                    chunks.append(chunk)
        except PackageError:
            raise
        except Exception:  # noqa: BLE001 - anything zipfile/zlib raise on damaged data (CRC, EOF, bad header…)
            raise PackageError(self.label, f"部件“{shown}”已损坏，无法解压") from None
        self._inflated[found] = size
        if sum(self._inflated.values()) > MAX_TOTAL_BYTES:
            raise PackageError(self.label, _total_bomb(sum(self._inflated.values())))
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        """Part ``name`` parsed safely (see :func:`parse_xml`)."""
        return parse_xml(self.part(name), label=self.label, part=self._name(name) or name)

    # -- a Word document ---------------------------------------------------------------------

    @property
    def main(self) -> str | None:
        """The main document part: the officeDocument relationship's target, else word/document.xml."""
        target = None
        if self.has("_rels/.rels"):
            for rel in self.xml("_rels/.rels").iter(f"{_REL_NS}Relationship"):
                if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
                    target = (rel.get("Target") or "").lstrip("/")
                    break
        for name in (target, "word/document.xml"):
            if name and self.has(name):
                return self._name(name)
        return None

    def document(self) -> etree._Element:
        """The root (w:document) of the main part, parsed once; refused when it is not a Word document."""
        if self._document is not None:
            return self._document
        main = self.main
        if main is None:
            raise PackageError(self.label, _not_word(self))
        root = self.xml(main)
        if root.find(_W + "body") is None:
            if root.tag.startswith(f"{{{_STRICT_W_NS}}}"):
                raise PackageError(self.label, "这是“Strict Open XML”格式的 Word 文档，请在 Word 中另存为普通的 .docx")
            raise PackageError(self.label, f"正文（{printable(main)}）中没有 w:body，不是 Word 文档")
        self._document = root
        return root

    def body(self) -> etree._Element:
        return self.document().find(_W + "body")

    def verify(self) -> "Package":
        """Read every part with the caps and parse every XML part: after this, the bytes are safe
        for a library (python-docx) that reads the whole package without limits."""
        self.document()
        for name in self._xml_parts():
            self.xml(name)
        for name in self._infos:
            if name not in self._inflated and not name.endswith("/"):
                self.part(name)
        return self

    def _xml_parts(self) -> list[str]:
        overrides = set()
        if self.has("[Content_Types].xml"):
            for node in self.xml("[Content_Types].xml").iter(f"{_CT_NS}Override"):
                kind = (node.get("ContentType") or "").lower()
                if kind.endswith(("+xml", "/xml")) and not kind.startswith("image/"):
                    overrides.add((node.get("PartName") or "").lstrip("/").casefold())
        return [name for name in self._infos
                if name.lower().endswith((".xml", ".rels")) or name.casefold() in overrides]


def _bomb(part: str) -> str:
    return (f"部件“{part}”解压后超过 {MAX_PART_BYTES // MB} MB 的上限（可能是“压缩炸弹”），"
            "不是正常的 Word 文档")


def _total_bomb(total: int) -> str:
    return f"解压后共 {total / MB:.1f} MB，超过 {MAX_TOTAL_BYTES // MB} MB 的上限（可能是“压缩炸弹”），不是正常的 Word 文档"


def _not_word(package: Package) -> str:
    if package.has("xl/workbook.xml"):
        return "这是 Excel 工作簿，不是 Word（.docx）文件"
    if package.has("ppt/presentation.xml"):
        return "这是 PowerPoint 演示文稿，不是 Word（.docx）文件"
    return "不是 Word（.docx）文件：其中没有 word/document.xml（正文）"


def open_package(source: str | Path | bytes, *, label: str | None = None, word: bool = True) -> Package:
    """Open ``source`` (a path or the file's bytes) as an OOXML package.

    With ``word`` (the default) it must be a Word document with a w:body.
    Raises :class:`PackageError` for anything else; never any other exception
    for what the file holds.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = label if label is not None else "（内存中的文档）"
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise PackageError(label, too_large(len(data), MAX_FILE_BYTES))
    else:
        label = label if label is not None else printable(os.fsdecode(source))
        data = read_limited(source, MAX_FILE_BYTES, label)
    if not data.startswith(b"PK"):
        raise PackageError(label, _not_zip_reason(data))
    directory = _central_directory(data)
    if directory is None:
        raise PackageError(label, "不是 Word（.docx）文件：zip 压缩包不完整或已损坏")
    entries, size = directory
    if entries > MAX_PARTS or size > _MAX_CENTRAL_DIRECTORY:
        raise PackageError(label, f"zip 压缩包中的条目过多（{entries} 个，最多 {MAX_PARTS} 个），不是正常的 Word 文档")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds of errors on damaged archives
        raise PackageError(label, "不是 Word（.docx）文件：zip 压缩包已损坏") from None
    if len(infos) > MAX_PARTS:
        raise PackageError(label, f"zip 压缩包中的条目过多（{len(infos)} 个，最多 {MAX_PARTS} 个），不是正常的 Word 文档")
    total = 0
    for info in infos:
        shown = printable(info.filename)
        if info.flag_bits & 0x1:
            raise PackageError(label, f"部件“{shown}”设有密码（已加密），无法读取")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(label, f"部件“{shown}”使用了 Word 不用的压缩方式，无法读取")
        if info.file_size > MAX_PART_BYTES:
            raise PackageError(label, _bomb(shown))
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise PackageError(label, _total_bomb(total))
    package = Package(label, data, archive)
    if word:
        package.document()
    return package
