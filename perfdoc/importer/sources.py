"""Opening the files given to ``perfdoc import``: Word documents, and .doc through LibreOffice.

Every file is opened through :func:`perfdoc.read.open_package` (size caps, no entities, a
real Word document); a Word 97-2003 ``.doc`` is first converted to .docx by LibreOffice
headless (:mod:`perfdoc.convert.libreoffice`) in a temporary folder, and the result is
opened the same guarded way.  Any file that cannot be used raises :class:`SourceError`
with a Chinese message naming it; nothing has been written at that point.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import tmp_prefix
from ..read import PackageError, open_package, printable, read_limited
from ..read.grid import Paragraph, Table, blocks
from ..read.package import MAX_FILE_BYTES, Package

__all__ = ["SourceError", "Source", "open_source", "is_word97"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Seconds LibreOffice may take to convert one .doc.
DOC_TIMEOUT = 120.0


class SourceError(Exception):
    """A file that cannot be imported: ``message`` (Chinese) names it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Source:
    path: Path
    label: str  # the file as the user named it
    body: object  # the w:body element
    converted: bool = False  # read from a .doc through LibreOffice

    @property
    def blocks(self) -> list[Paragraph | Table]:
        """The body's paragraphs and tables in document order (perfdoc.read.grid)."""
        return blocks(self.body)


def is_word97(data: bytes) -> bool:
    """A Word 97-2003 document (an OLE compound file with a WordDocument stream, not encrypted OOXML)."""
    return (data.startswith(_OLE_MAGIC) and "WordDocument".encode("utf-16-le") in data
            and "EncryptedPackage".encode("utf-16-le") not in data)


def _convert_doc(path: Path, label: str) -> bytes:
    from ..convert.libreoffice import INSTALL_HINT, ConvertError, convert, find_soffice

    try:
        soffice = find_soffice()
    except ConvertError:
        raise SourceError(f"{label}：这是旧版 Word 97-2003 文档（.doc），读取它需要 LibreOffice，但没有找到 soffice；"
                          f"请安装 libreoffice-writer-nogui（如 {INSTALL_HINT}），或在 Word、WPS 中另存为 .docx 后再导入") from None
    work = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix()}import-doc-"))
    try:
        source = work / "source.doc"
        shutil.copyfile(path, source)
        target = work / "converted.docx"
        result = convert([(source, target)], work, target="docx", workers=1, timeout=DOC_TIMEOUT, soffice=soffice)
        if not target.is_file():
            why = next(iter(result.failed.values()), "LibreOffice 没有生成 .docx")
            raise SourceError(f"{label}：这是旧版 Word 97-2003 文档（.doc），用 LibreOffice 转换为 .docx 失败（{why}）；"
                              "请在 Word 或 WPS 中另存为 .docx 后再导入")
        return read_limited(target, MAX_FILE_BYTES, label)
    except PackageError as exc:
        raise SourceError(str(exc)) from None
    except OSError as exc:
        from ..fsutil import os_reason

        raise SourceError(f"{label}：转换 .doc 时出错：{os_reason(exc)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def open_source(path: Path) -> Source:
    """Read ``path`` into blocks (paragraphs and tables in document order); SourceError when unusable."""
    path = Path(path)
    label = printable(os.fsdecode(path))
    try:
        data = read_limited(path, MAX_FILE_BYTES, label)
    except PackageError as exc:
        raise SourceError(str(exc)) from None
    converted = False
    if is_word97(data):
        data = _convert_doc(path, label)
        converted = True
    try:
        package: Package = open_package(data, label=label)
        body = package.body()
    except PackageError as exc:
        raise SourceError(str(exc)) from None
    return Source(path, label, body, converted)
