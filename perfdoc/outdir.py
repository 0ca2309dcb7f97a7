"""Where perfdoc may write, and which existing files it may replace: the guarded writer's checks.

Every output option goes through these checks before anything is written:

- the output folder is resolved first; it must be a folder (or not exist yet), and neither it
  nor the department folder inside it (``OUT/<单位文件夹>/``, where the documents go) may hold
  input files directly: an input department folder, a folder with a department.toml, the folder
  of a project file, template or attachment;
- a department folder inside OUT may be a symbolic link only to a folder inside OUT;
- a file perfdoc is about to write may replace only a file perfdoc wrote: one its build
  manifest names, or a document whose properties say perfdoc made it and nobody saved it
  since (``made_by_perfdoc``); anything else is refused unless ``--overwrite``; an input file,
  a folder, a symbolic link or a special file at that path is refused (``--overwrite``
  replaces a symbolic link itself, never what it points to).

A refusal is an ``OutputRefused`` with a Chinese message naming the path.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import Iterable

__all__ = ["OutputRefused", "made_by_perfdoc", "resolved", "department_inputs", "check_out_folder",
           "check_department_folder", "check_target", "check_output_file", "OVERWRITE_HINT"]

OVERWRITE_HINT = "请移走它、换一个名称，或加 --overwrite 覆盖"
#: The largest docProps/core.xml read to recognise a perfdoc document.
_CORE_LIMIT = 64 * 1024
#: How much of a PDF's end is searched for its document information (LibreOffice writes it last).
_PDF_TAIL = 64 * 1024
_PDF_AUTHOR = (b"/Author<FEFF00700065007200660064006F0063>", b"/Author(perfdoc)")


class OutputRefused(Exception):
    """perfdoc will not write here; ``message`` says why (Chinese) and names the path."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def resolved(path: Path) -> Path:
    """``path`` with every symbolic link and ``..`` resolved (also when it does not exist yet)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def made_by_perfdoc(path: Path) -> bool:
    """Whether ``path`` is a regular file perfdoc wrote and nobody has saved since: a .docx whose
    author and last saver are both ``perfdoc``, or a PDF converted from one."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    name = Path(path).name.lower()
    try:
        if name.endswith(".docx"):
            return _docx_by_perfdoc(path)
        if name.endswith(".pdf"):
            with open(path, "rb") as fh:
                fh.seek(max(0, info.st_size - _PDF_TAIL))
                tail = fh.read(_PDF_TAIL)
            return any(author in tail for author in _PDF_AUTHOR)
    except (OSError, ValueError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False
    return False


def _docx_by_perfdoc(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        try:
            member = archive.getinfo("docProps/core.xml")
        except KeyError:
            return False
        if member.file_size > _CORE_LIMIT:
            return False
        with archive.open(member) as fh:
            core = fh.read(_CORE_LIMIT + 1)
    return b">perfdoc</dc:creator>" in core and b">perfdoc</cp:lastModifiedBy>" in core


def department_inputs(folder: Path, attachments: Iterable[str] = (), template: Path | None = None) -> set[Path]:
    """The input files of a department (resolved): department.toml and every project file in its
    folder, its attachments, and the files of a template folder of its own."""
    found: set[Path] = set()
    folder = Path(folder)
    try:
        found.update(resolved(p) for p in folder.glob("*.toml"))
    except OSError:
        pass
    for name in attachments:
        try:
            found.add(resolved(folder / name))
        except TypeError:  # not a path: the loader reports it, nothing to protect
            continue
    if template is not None:
        try:
            found.update(resolved(p) for p in Path(template).rglob("*") if p.is_file())
        except OSError:
            pass
    return found


def _shown(path: Path) -> str:
    """A path as the user wrote it (relative stays relative)."""
    return str(path)


def check_out_folder(out: Path, inputs: set[Path]) -> Path:
    """The output folder, resolved; refused when it is not a folder or holds input files itself."""
    real = resolved(out)
    probe = real
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        if probe == real:
            what = "是输入文件" if real in inputs else "是一个文件"
            raise OutputRefused(f"输出文件夹 {_shown(out)} {what}，不是文件夹；请用 -o 指定一个文件夹，如 -o out")
        raise OutputRefused(f"无法在 {_shown(out)} 中输出：{probe} 是一个文件，不是文件夹")
    _refuse_input_folder(real, out, "输出文件夹", inputs)
    return real


def check_department_folder(out_real: Path, folder: Path, inputs: set[Path]) -> None:
    """``OUT/<单位文件夹>/``: not an input folder, not a department folder, no symbolic link out of OUT."""
    if os.path.islink(folder):
        target = resolved(folder)
        if not target.is_relative_to(out_real) or target == out_real:
            raise OutputRefused(f"{_shown(folder)} 是指向输出文件夹之外（{target}）的符号链接；"
                                "perfdoc 只写入输出文件夹之内，请删除这个链接或换一个输出文件夹")
    real = resolved(folder)
    if os.path.lexists(real) and not real.is_dir():
        raise OutputRefused(f"{_shown(folder)} 已存在且不是文件夹，perfdoc 要把这个单位的文档写在同名文件夹中；"
                            "请移走它或换一个输出文件夹")
    _refuse_input_folder(real, folder, "文档要写入的文件夹", inputs)


def _refuse_input_folder(real: Path, shown: Path, what: str, inputs: set[Path]) -> None:
    if any(p.parent == real for p in inputs):
        raise OutputRefused(f"{what} {_shown(shown)} 中有输入文件（单位文件夹或项目文件所在的文件夹），"
                            "生成的文档会与输入文件混在一起；请换一个输出文件夹，如 -o out")
    if (real / "department.toml").is_file():
        raise OutputRefused(f"{what} {_shown(shown)} 是一个单位文件夹（有 department.toml）；"
                            "请换一个输出文件夹，如 -o out")


def check_target(path: Path, *, ours: bool, inputs: set[Path], overwrite: bool) -> None:
    """A file perfdoc is about to write at ``path``: raises OutputRefused unless it may."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError:
        return  # a folder on the way that cannot be read: the write reports it
    if resolved(path) in inputs:
        raise OutputRefused(f"{_shown(path)} 是输入文件，perfdoc 不会覆盖它；请换一个输出文件夹或文件名")
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"{_shown(path)} 是一个文件夹，perfdoc 要在这里写入一个文件；请移走它或换一个名称")
    if stat.S_ISLNK(info.st_mode):
        if overwrite:
            return  # the link itself is replaced by the new file: nothing is written where it points
        raise OutputRefused(f"{_shown(path)} 是符号链接（指向 {resolved(path)}），perfdoc 不会写到链接指向的地方；"
                            f"{OVERWRITE_HINT}（用生成的文件替换这个链接）")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"{_shown(path)} 不是普通文件（是设备、管道或套接字），perfdoc 不会写入它；请换一个名称")
    if ours or overwrite or made_by_perfdoc(path):
        return
    raise OutputRefused(f"{_shown(path)} 已存在，且不是 perfdoc 生成的（或生成后被修改保存过），perfdoc 不会覆盖它；"
                        f"{OVERWRITE_HINT}")


def check_output_file(path: Path, inputs: set[Path], *, overwrite: bool) -> None:
    """A single output file named by the user (``diff --docx FILE``)."""
    real = resolved(path)
    parent = real.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputRefused(f"无法写入 {_shown(path)}：{parent} 是一个文件，不是文件夹")
    if real in inputs and os.path.lexists(path):
        raise OutputRefused(f"{_shown(path)} 是输入文件，perfdoc 不会覆盖它；请换一个文件名")
    check_target(Path(path), ours=False, inputs=inputs, overwrite=overwrite)
