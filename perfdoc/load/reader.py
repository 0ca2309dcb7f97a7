"""The one guarded reader of input text files (project files, department.toml).

A path named ``x.toml`` may be anything: a FIFO that never delivers, a device
that never ends (``/dev/zero``), a folder, a symbolic link to a secrets file
outside the department folder.  ``read_input`` looks before it opens
(``stat``: a regular file, inside its folder, not too large), opens without
blocking, checks again what it opened and reads at most ``MAX_FILE_BYTES``
(+1 to notice more).  It never returns the bytes of anything else, so nothing
but a project file's own text can reach a message or a source excerpt.

``decode_text`` turns the bytes into text (UTF-8, BOM allowed, no NUL bytes,
not empty); in a file whose lines end in a CR alone (old Mac) a CR ends a line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..model import Problem, Severity

__all__ = [
    "MAX_FILE_BYTES", "CODE_NAMES", "problem", "read_input", "decode_text", "old_mac", "toml_text", "split_lines",
    "source_lines",
]

#: A project file is a few kilobytes; anything past this is not one.
MAX_FILE_BYTES = 5 * 1024 * 1024

CODE_NAMES = {
    "PD001": "toml-syntax", "PD002": "invalid-value", "PD003": "missing-key",
    "PD004": "unknown-key", "PD005": "unreadable-file", "PD006": "bad-folder",
}


def problem(path: Path, line: int, col: int, code: str, message: str, severity=Severity.ERROR) -> Problem:
    return Problem(Path(path), line, col, code, message, severity, CODE_NAMES[code],
                   fatal=severity is Severity.ERROR)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _outside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (following symbolic links) leads out of ``folder``."""
    try:
        target = os.path.realpath(path, strict=True)
        root = os.path.realpath(folder, strict=True)
    except (OSError, RuntimeError, ValueError):
        return True
    return target != root and not target.startswith(root.rstrip(os.sep) + os.sep)


def _os_message(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "无法读取文件：没有读取权限"
    if exc.errno == errno.ELOOP:
        return "无法读取文件：符号链接循环（链接指向自己）"
    if isinstance(exc, FileNotFoundError):
        return "无法读取文件：文件不存在（或是指向不存在文件的符号链接）"
    if exc.errno == errno.ENAMETOOLONG:
        return "无法读取文件：路径过长"
    return f"无法读取文件（系统错误 {exc.errno}）"


def _refusal(path: Path, folder: Path | None, head: bool = False) -> Problem | None:
    """Why ``path`` is not read at all, looking only at its metadata; None when it may be opened."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return problem(path, 1, 1, "PD005", _os_message(exc))
    if stat.S_ISDIR(info.st_mode):
        return problem(path, 1, 1, "PD006", "这是一个文件夹，不是 TOML 文件")
    kind = _kind(info.st_mode)
    if kind:
        return problem(path, 1, 1, "PD005", f"这是一个{kind}，不是普通文件，不会读取")
    if folder is not None and _outside(path, folder):
        return problem(path, 1, 1, "PD005", "这是一个指向单位文件夹以外的符号链接，不会读取；请把文件本身放进单位文件夹")
    if info.st_size > MAX_FILE_BYTES and not head:
        return _too_large(path, info.st_size)
    return None


def _too_large(path: Path, size: int) -> Problem:
    return problem(path, 1, 1, "PD005",
                   f"文件过大（{size / 1048576:.1f} MB），项目文件不应超过 {MAX_FILE_BYTES // 1048576} MB")


def read_input(path: Path, folder: Path | None, problems: list[Problem], *, head: bool = False) -> bytes | None:
    """The bytes of the regular file ``path`` (inside ``folder``, when given), or None and a problem.

    ``folder`` is the department folder: a symbolic link that leads out of it is
    refused.  Never blocks on a FIFO, never reads more than ``MAX_FILE_BYTES + 1``.
    With ``head``, a file larger than that gives its first ``MAX_FILE_BYTES + 1`` bytes
    instead of a problem.
    """
    path = Path(path)
    refused = _refusal(path, folder, head=head)
    if refused is not None:
        problems.append(refused)
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        problems.append(problem(path, 1, 1, "PD005", _os_message(exc)))
        return None
    try:
        kind = _kind(os.fstat(fd).st_mode)  # swapped between stat and open?
        if kind:
            problems.append(problem(path, 1, 1, "PD005", f"这是一个{kind}，不是普通文件，不会读取"))
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES and not head:
            problems.append(_too_large(path, size))
            return None
        return b"".join(chunks)
    except IsADirectoryError:
        problems.append(problem(path, 1, 1, "PD006", "这是一个文件夹，不是 TOML 文件"))
    except OSError as exc:
        problems.append(problem(path, 1, 1, "PD005", _os_message(exc)))
    finally:
        os.close(fd)
    return None


def decode_text(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    """Bytes as read from a file → text: not too large, not binary, UTF-8 (a BOM is fine), not empty.

    The text is returned as written; :func:`toml_text` and :func:`split_lines` read
    old-Mac line ends (a CR alone) as line ends.
    """
    if len(data) > MAX_FILE_BYTES:
        problems.append(_too_large(path, len(data)))
        return None
    if b"\x00" in data:
        line, _ = _line_of(data, data.index(b"\x00"))
        problems.append(problem(path, line, 1, "PD005", "这不是文本文件（含有二进制数据），项目文件应是 UTF-8 编码的 TOML"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_of(data, exc.start)
        hint = "（可能是 GBK 编码，请在编辑器中另存为 UTF-8）"
        problems.append(problem(path, line, col, "PD005", f"文件不是 UTF-8 编码：第 {line} 行有无法识别的字节{hint}"))
        return None
    if not text.strip():
        problems.append(problem(path, 1, 1, "PD005", "文件是空的"))
        return None
    return text


def old_mac(text: str) -> bool:
    """Whether lines end in a CR alone (classic Mac OS): CRs and no LF at all."""
    return "\r" in text and "\n" not in text


def toml_text(text: str) -> str:
    """The text as the TOML parser reads it: an old-Mac file's CRs become LFs (else unchanged)."""
    return text.replace("\r", "\n") if old_mac(text) else text


def split_lines(text: str) -> list[str]:
    """The lines of a file as an editor shows them: LF or CR LF ends a line; in an old-Mac file, CR."""
    if old_mac(text):
        return text.split("\r")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in bytes, 1-based) of byte ``offset``, lines counted as :func:`split_lines` does."""
    end = b"\r" if b"\r" in data and b"\n" not in data else b"\n"
    return data.count(end, 0, offset) + 1, offset - data.rfind(end, 0, offset)


def source_lines(path: Path) -> list[str]:
    """The lines of a text input, read through the same guards (for source excerpts); [] when unusable.

    A file that is not a regular file inside its own folder, binary or not UTF-8
    gives no lines: its contents are never shown.  Of a file too large to load, the
    lines within its first ``MAX_FILE_BYTES`` are given.
    """
    path = Path(path)
    data = read_input(path, path.parent, [], head=True)
    if data is None or b"\x00" in data:
        return []
    if len(data) > MAX_FILE_BYTES:
        data = data[: max(data.rfind(b"\n"), 0)]  # whole lines only
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    return split_lines(text)
