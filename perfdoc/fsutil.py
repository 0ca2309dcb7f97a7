"""Writing files so that nothing is ever half-written: a temporary file, then a rename.

Temporary files are named ``.perfdoc-tmp-<pid>-…`` so that a later run can remove what a
killed run left behind (``clean_leftovers``); an OS error is told in Chinese (``os_reason``)
and always names the file it concerns.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "TMP_PREFIX", "tmp_prefix", "clean_leftovers",
           "os_reason", "fsync_dir"]

#: Every temporary file or folder perfdoc makes starts with this and the making process's id,
#: so that a later run can recognise and remove what a killed run left behind.
TMP_PREFIX = ".perfdoc-tmp-"

_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作（没有权限）",
    errno.EROFS: "所在的文件系统是只读的",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.ENOENT: "不存在",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EIO: "磁盘读写错误",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.ELOOP: "符号链接过多（可能是循环链接）",
    errno.EXDEV: "不能跨文件系统改名",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EFBIG: "文件过大",
    errno.EPIPE: "输出已被关闭",
    errno.EINVAL: "文件系统不接受这个名称或操作",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in Chinese (``磁盘已满``), with the errno name for a search."""
    code = exc.errno
    name = errno.errorcode.get(code, "") if code is not None else ""
    reason = _REASONS.get(code) if code is not None else None
    if reason is None:
        reason = "系统错误"
    return f"{reason}（{name}）" if name else reason


def tmp_prefix() -> str:
    """``.perfdoc-tmp-<pid>-``: the prefix of this process's temporary files."""
    return f"{TMP_PREFIX}{os.getpid()}-"


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files and folders in ``folder`` that a process no longer running left behind
    (a killed build); those of a live process (a build running beside this one) are kept."""
    import shutil

    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TMP_PREFIX):
            continue
        pid = entry.name[len(TMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Linux: a process that has ended but not been reaped yet (a killed build's worker, until init
    collects it) still answers kill(pid, 0)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def atomic_write_bytes(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    With ``overwrite=False`` an existing file is never replaced (FileExistsError).  On any
    error the temporary file is removed, and an OSError that names no file is given ``path``.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=tmp_prefix(), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        if not exc.filename or Path(os.fsdecode(exc.filename)).name.startswith(TMP_PREFIX):
            exc.filename, exc.filename2 = str(path), None  # the file the user knows, not the temporary one
        raise
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if the target exists
            os.unlink(tmp)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and (not exc.filename or str(exc.filename) == tmp):
            exc.filename, exc.filename2 = str(path), None  # the file the user knows, not the temporary one
        raise


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk; where that is not possible, nothing."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux): a build
    writes from several threads, and setting it to 0 for a moment would give their files mode 0666."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def atomic_write_text(path: Path, text: str, *, overwrite: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)
