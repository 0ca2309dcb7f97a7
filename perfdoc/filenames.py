"""Safe file names: a project's or a department's name as a file name stem every file system takes.

Kept apart from perfdoc.scaffold (jinja2, the schema) so that a no-change build, which needs the
output folder's name, imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["safe_file_stem", "MAX_STEM_BYTES"]

#: The longest file name stem, in UTF-8 bytes: a file system allows 255 bytes per name, and a stem
#: gets a suffix (``-经费说明.docx``, 20 bytes with ``.pdf``) and, while written, a temporary prefix
#: (``.perfdoc-tmp-<pid>-``, up to 21 bytes).
MAX_STEM_BYTES = 200
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029]')
_EDGES = re.compile(r"^[\s.]+|[\s.]+$")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))}


def safe_file_stem(name: str, max_bytes: int = MAX_STEM_BYTES) -> str:
    """A file name stem that is valid on Windows, macOS and Linux and cannot leave its folder.

    NFC; invisible format characters (zero-width, bidi overrides such as U+202E) removed;
    ``\\ / : * ? " < > |`` and control characters replaced by ``_``; no leading or trailing
    dots or spaces; a Windows device name (``CON``, ``NUL``, ``COM1``, ``LPT1.txt`` …) gets a
    leading ``_``; longer than ``max_bytes`` UTF-8 bytes: cut at a character and given a hash
    of the whole name (``~`` and 10 hex digits), so two long names stay apart and one name
    always gives the same stem.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(ch) == "Cs" else ch for ch in text
                   if unicodedata.category(ch) != "Cf")
    stem = _EDGES.sub("", _UNSAFE.sub("_", text))
    stem = stem.replace("..", "_")
    if not stem or stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = f"_{stem}"
    if len(stem.encode("utf-8")) > max_bytes:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        cut = stem.encode("utf-8")[:max_bytes - 11].decode("utf-8", "ignore").rstrip(" .")
        stem = f"{cut}~{digest}"
    return stem
