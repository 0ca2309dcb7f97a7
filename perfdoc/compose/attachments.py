"""Attachments: the Word files listed in department.toml ``attachments``, appended to the 汇总表.

An attachment is named by a path relative to the department folder and must
stay inside it: no absolute path, no ``..`` that climbs out, no symbolic link
that leads out (a shared folder must not pull in a file from elsewhere on the
disk).  It is opened through :mod:`perfdoc.read.package` (a regular file, not a
zip bomb, no DOCTYPE, a real Word document) and python-docx must accept it.
Each fault is a problem at the attachment's own line of department.toml
(PD009, bad-attachment).
"""

from __future__ import annotations

import hashlib
import io
import ntpath
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model import DepartmentFolder, Problem, Severity
from ..read import Package, PackageError, open_package, printable

__all__ = ["Attachment", "open_attachments", "attachment_problems", "attachments_digest"]


@dataclass
class Attachment:
    name: str  # as written in department.toml
    path: Path
    package: Package  # verified: every part read within the limits


def _problem(dep: DepartmentFolder, index: int, message: str) -> Problem:
    if dep.source is not None:
        file = dep.source.path
        line, col = dep.source.locate(("attachments", index))
    else:
        file, line, col = dep.path / "department.toml", 1, 1
    return Problem(Path(file), line, col, "PD009", message, Severity.ERROR, "bad-attachment", fatal=True)


def _place(folder: Path, name: str) -> tuple[Path | None, str | None]:
    """The path of attachment ``name`` inside ``folder``, or why it is not acceptable."""
    if not name.strip():
        return None, "附件的路径是空的"
    if "\x00" in name:
        return None, "附件的路径中含有空字符（NUL）"
    if PurePosixPath(name).is_absolute() or ntpath.isabs(name) or ntpath.splitdrive(name)[0]:
        return None, "附件必须放在单位文件夹内，这里要写相对单位文件夹的路径，不能写绝对路径"
    normal = os.path.normpath(name.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return None, "附件必须放在单位文件夹内，路径中的“..”不能跳出单位文件夹"
    path = folder / name
    try:
        if not os.path.lexists(path):
            return None, "附件不存在"
        real = path.resolve()
        inside = real.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return None, "附件无法打开（符号链接循环或路径过长）"
    if not inside:
        return None, "附件必须放在单位文件夹内，它是指向单位文件夹以外的符号链接"
    if real.is_dir():
        return None, "这是一个文件夹，附件应是 Word（.docx）文件"
    return path, None


def _open(path: Path, shown: str) -> tuple[Package | None, str | None]:
    import docx

    try:
        package = open_package(path, label=shown).verify()
    except PackageError as exc:
        return None, exc.reason
    try:
        docx.Document(io.BytesIO(package.data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds on a package it cannot use
        return None, "python-docx 无法打开它（请在 Word 中打开后另存为 .docx）"
    return package, None


def open_attachments(dep: DepartmentFolder) -> tuple[list[Attachment], list[Problem]]:
    """Every attachment of ``dep`` opened and checked, and a problem for each one that cannot be used."""
    found: list[Attachment] = []
    problems: list[Problem] = []
    names = dep.model.attachments if dep.model is not None else []
    for index, name in enumerate(names):
        shown = printable(name, 80)
        path, reason = _place(Path(dep.path), name)
        package = None
        if path is not None:
            package, reason = _open(path, shown)
        if reason is not None:
            problems.append(_problem(dep, index, f"附件“{shown}”不能使用：{reason}"))
        else:
            found.append(Attachment(name, path, package))
    return found, problems


def attachment_problems(dep: DepartmentFolder) -> list[Problem]:
    return open_attachments(dep)[1]


def attachments_digest(attachments: list[Attachment]) -> str:
    """A hash of the attachments' names and bytes: a changed attachment means a new 汇总表."""
    digest = hashlib.sha256()
    for attachment in attachments:
        digest.update(attachment.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(attachment.package.data).digest())
    return digest.hexdigest()
