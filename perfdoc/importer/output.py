"""Writing the imported folder: all or nothing, read back with perfdoc's loader first.

A new folder is written whole in a hidden temporary folder beside it (``.perfdoc-tmp-<pid>-
import-…``), loaded back, and only then renamed into place, like ``perfdoc next-year``.
With ``--into`` the new project files are written in a temporary folder beside the
department folder, loaded back together with its department.toml, and then linked into it
one by one: a link never replaces a file, so a project file that appeared meanwhile is not
overwritten (what was already linked is removed again).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..fsutil import clean_leftovers, fsync_dir, os_reason, tmp_prefix
from ..load import DEPARTMENT_FILE, load_department

__all__ = ["OutputError", "check_new_folder", "write_new_folder", "write_into_folder"]

#: Files written at the same time (each waits for its fsync).
_WRITERS = 8


class OutputError(Exception):
    """Nothing was written; ``message`` (Chinese) says why."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def check_new_folder(folder: Path) -> None:
    """FOLDER must not exist, or be an empty folder."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"{folder} 已存在（不是文件夹），不会覆盖；请换一个新的文件夹名")
    if folder.is_dir():
        try:
            empty = not any(folder.iterdir())
        except OSError as exc:
            raise OutputError(f"无法读取文件夹 {folder}：{os_reason(exc)}") from None
        if not empty:
            raise OutputError(f"文件夹 {folder} 已存在且不是空的，不会覆盖；请换一个新的文件夹名，"
                              "或用 --into 向已有的单位文件夹添加项目")


def _verify(tmp: Path, allowed: set[str]) -> None:
    """The written files load; a missing required key is allowed only in files that say so (``allowed``)."""
    loaded = load_department(tmp)
    bad = [p for p in loaded.problems if p.fatal and not (p.code == "PD003" and Path(p.file).name in allowed)]
    if bad:
        raise OutputError("导入生成的文件未通过读取校验，已放弃（未写入任何文件）；这是 perfdoc 的缺陷，请报告：", bad)


def _write_one(path: Path, text: str) -> None:
    with open(path, "xb") as fh:
        fh.write(text.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


def _write(folder: Path, files: dict[str, str]) -> None:
    """Each file created (never replaced) and flushed to disk; the waits for the disk overlap."""
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for done in [pool.submit(_write_one, folder / name, text) for name, text in files.items()]:
            done.result()


def write_new_folder(folder: Path, files: dict[str, str], allowed: set[str]) -> None:
    """Create ``folder`` holding ``files`` (name → text), atomically."""
    folder = Path(folder)
    check_new_folder(folder)
    parent = folder.parent
    created = []
    p = parent
    while not p.exists():
        created.append(p)
        p = p.parent
    tmp, done = None, False
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(parent)
        tmp = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix()}import-", dir=parent))
        _write(tmp, files)
        _verify(tmp, allowed)
        os.chmod(tmp, 0o777 & ~_umask())
        _rename(tmp, folder)
        done = True
        fsync_dir(parent)
    except OSError as exc:
        raise OutputError(f"无法创建 {folder}：{os_reason(exc)}；未留下任何文件") from None
    finally:
        if not done:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            for c in created:
                try:
                    c.rmdir()
                except OSError:
                    break


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _rename(tmp: Path, folder: Path) -> None:
    try:
        os.rename(tmp, folder)
    except OSError:
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            os.rmdir(folder)
            os.rename(tmp, folder)
        elif folder.exists() or folder.is_symlink():
            raise OutputError(f"{folder} 在导入过程中被创建了，不会覆盖；未留下任何文件") from None
        else:
            raise


def write_into_folder(folder: Path, files: dict[str, str], allowed: set[str]) -> list[str]:
    """Add ``files`` to the department folder ``folder``; never replaces a file.  Returns the names added."""
    folder = Path(folder)
    tmp, linked = None, []
    try:
        clean_leftovers(folder.parent)
        tmp = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix()}import-", dir=folder.parent))
        shutil.copyfile(folder / DEPARTMENT_FILE, tmp / DEPARTMENT_FILE)
        _write(tmp, files)
        _verify(tmp, allowed)
        mode = stat.S_IMODE(os.stat(folder / DEPARTMENT_FILE).st_mode)
        for name in files:
            os.chmod(tmp / name, mode)
            try:
                os.link(tmp / name, folder / name)
            except FileExistsError:
                raise OutputError(f"{folder / name} 在导入过程中被创建了，不会覆盖；未添加任何文件") from None
            except OSError:
                # a file system without hard links: create exclusively, then copy
                with open(folder / name, "xb") as fh:
                    fh.write((tmp / name).read_bytes())
            linked.append(name)
        fsync_dir(folder)
        done = list(linked)
        linked = []
        return done
    except OSError as exc:
        where = f"（{os.fsdecode(exc.filename)}）" if getattr(exc, "filename", None) else ""
        raise OutputError(f"无法向 {folder} 添加文件：{os_reason(exc)}{where}；未添加任何文件") from None
    finally:
        for name in linked:
            try:
                (folder / name).unlink()
            except OSError:
                pass
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
