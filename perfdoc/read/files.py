"""Reading a file that someone else made: ``stat`` before ``open``, a size cap, one error class.

A FIFO, a device (``/dev/zero``), a folder or a socket is refused without being
opened (so nothing hangs); a regular file is read with a cap (so nothing fills
memory); every refusal is a :class:`PackageError` whose message is Chinese and
names the file, shown safely (bytes that are not UTF-8 and control characters
escaped).
"""

from __future__ import annotations

import errno as _errno
import os
import stat
from pathlib import Path

__all__ = ["PackageError", "read_limited", "printable", "too_large", "MB"]

MB = 1024 * 1024
_CHUNK = 1 * MB


class PackageError(Exception):
    """A file that cannot be read as a Word document; ``str()`` names the file and says why (Chinese)."""

    def __init__(self, label: str, reason: str):
        super().__init__(f"{label}：{reason}")
        self.label = label
        self.reason = reason


def printable(text: str, limit: int = 200) -> str:
    """``text`` safe to show: bytes that were not UTF-8 as ``\\xNN``, control characters escaped, cut at ``limit``."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    out = "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)
    return out if len(out) <= limit else out[:limit] + "…"


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


# -- reading a file ---------------------------------------------------------------------------

def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备文件，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    return "这不是普通文件"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "找不到文件"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if exc.errno == _errno.ELOOP:
        return "符号链接循环，无法打开"
    code = _errno.errorcode.get(exc.errno, exc.errno) if exc.errno is not None else "未知"
    return f"无法读取（系统错误 {code}）"


def too_large(size: int, limit: int) -> str:
    return f"文件过大（{_mb(size)}），超过 {limit // MB} MB 的上限"


def read_limited(path: str | Path, limit: int, label: str | None = None) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    ``stat`` comes first, so a FIFO, a device or a folder is refused without
    being opened; the file is opened without blocking and read with the cap, so
    a file that grows or is swapped meanwhile is refused too.
    """
    label = label if label is not None else printable(os.fsdecode(path))
    try:
        info = os.stat(path)
        reason = _not_regular(info.st_mode)
        if reason:
            raise PackageError(label, reason)
        if info.st_size > limit:
            raise PackageError(label, too_large(info.st_size, limit))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise PackageError(label, _os_reason(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise PackageError(label, "文件名无效") from None
    try:
        info = os.fstat(fd)  # the file opened may not be the one stat saw
        reason = _not_regular(info.st_mode)
        if reason:
            raise PackageError(label, reason)
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size) or 1)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise PackageError(label, too_large(max(size, info.st_size), limit))
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise PackageError(label, _os_reason(exc)) from None
    finally:
        os.close(fd)
