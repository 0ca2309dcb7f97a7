"""Small hostile and harmless OOXML packages for the tests of perfdoc/read/package.py,
templates, attachments and textconv: made in memory, never committed as binary files."""

from __future__ import annotations

import io
import struct
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/></Relationships>'
)


def document_xml(*paragraphs: str) -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def package(parts: dict[str, str | bytes] | None = None, *, document: str | bytes | None = None) -> bytes:
    """A minimal Word package; ``parts`` add or replace parts (None removes one)."""
    files: dict[str, str | bytes | None] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/document.xml": document if document is not None else document_xml("第一段", "第二段"),
    }
    files.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            if data is not None:
                z.writestr(name, data)
    return out.getvalue()


def billion_laughs() -> str:
    """document.xml with the classic exponential entity expansion (10^9 "lol")."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(entities) + "\n]>\n"
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def external_entity(path: str = "/etc/passwd") -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file://{path}">]>\n'
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>')


def zip_bomb(megabytes: int = 60, name: str = "word/document.xml") -> bytes:
    """A valid Word package whose ``name`` inflates to ``megabytes`` MB of spaces (a few tens of KB on disk)."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        if name != "word/document.xml":
            z.writestr("word/document.xml", document_xml("正文"))
        with z.open(name, "w", force_zip64=True) as f:
            f.write(head)
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                f.write(block)
            f.write(b"</w:body></w:document>")
    return out.getvalue()


def _central_entries(data: bytes):
    """(offset, name) of each central directory entry of a zip (small zips without zip64 end records)."""
    eocd = data.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    at = offset
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[at + 28:at + 34])
        yield at, data[at + 46:at + 46 + name_len].decode()
        at += 46 + name_len + extra_len + comment_len


def lying_bomb(megabytes: int = 60) -> bytes:
    """A package whose document.xml says (in the central directory) that it is 100 bytes
    but inflates to ``megabytes`` MB."""
    data = bytearray(zip_bomb(megabytes))
    for at, name in _central_entries(bytes(data)):
        if name == "word/document.xml":
            data[at + 24:at + 28] = struct.pack("<I", 100)
    return bytes(data)


def ole(stream_names: list[str]) -> bytes:
    """The start of an OLE compound file whose directory names ``stream_names`` (enough to tell its kind)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for n in stream_names)
    return header + directory


def encrypted_zip() -> bytes:
    """A package whose document.xml has the "encrypted" flag set (local header and central directory)."""
    data = bytearray(package())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        local = z.getinfo("word/document.xml").header_offset
    data[local + 6] |= 1
    for at, name in _central_entries(bytes(data)):
        if name == "word/document.xml":
            data[at + 8] |= 1
    return bytes(data)


def many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("word/document.xml", document_xml("x"))
        for i in range(count):
            z.writestr(f"x/{i}", b"")
    return out.getvalue()


__all__ = ["W_NS", "package", "document_xml", "billion_laughs", "external_entity", "zip_bomb", "lying_bomb",
           "ole", "encrypted_zip", "many_entries"]
