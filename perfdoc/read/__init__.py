"""Reading Word documents that perfdoc did not make (templates' reference.docx, attachments,
``perfdoc textconv``, import): every file is opened through :mod:`perfdoc.read.package`."""

from .files import PackageError, printable, read_limited
from .package import MAX_FILE_BYTES, MAX_PART_BYTES, MAX_PARTS, MAX_TOTAL_BYTES, Package, open_package, parse_xml

__all__ = [
    "Package", "PackageError", "open_package", "parse_xml", "printable", "read_limited",
    "MAX_FILE_BYTES", "MAX_PART_BYTES", "MAX_TOTAL_BYTES", "MAX_PARTS",
]
