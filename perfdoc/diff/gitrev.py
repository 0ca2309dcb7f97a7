"""Reading a department folder as it was at a git revision, without a checkout.

``git ls-tree`` lists the folder at the revision and ``git cat-file --batch``
reads every file in one process; the work tree and the index are never touched.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from ..load import LoadResult
from ..load.texts import load_department_texts

__all__ = ["GitError", "RevisionFolder", "read_folder_at", "load_department_at"]

_TIMEOUT = 120


class GitError(Exception):
    """The folder cannot be read at the revision (message in Chinese)."""


class RevisionFolder:
    """The ``*.toml`` files of a folder at a revision: ``files`` maps file name → bytes."""

    def __init__(self, rev: str, relpath: str, files: dict[str, bytes]):
        self.rev = rev
        self.relpath = relpath  # the folder, relative to the repository root ("" for the root)
        self.files = files

    @property
    def label(self) -> str:
        """git's own notation: ``HEAD~1:projects/2022-songjiang``."""
        return f"{self.rev}:{self.relpath}"


def _git(args: list[str], cwd: Path, *, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, LC_ALL="C", LANGUAGE="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=input,
                              capture_output=True, env=env, timeout=_TIMEOUT)
    except FileNotFoundError:
        raise GitError("找不到 git 命令：--rev 需要安装 git") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git 命令超时（{_TIMEOUT} 秒）：git {' '.join(args)}") from None
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc.strerror or exc}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def read_folder_at(path: Path, rev: str) -> RevisionFolder:
    """The files of the folder ``path`` (in a git work tree) at revision ``rev``."""
    path = Path(path)
    if not rev.strip() or rev.startswith("-"):
        raise GitError(f"“{rev}”不是有效的 git 版本")
    if not path.is_dir():
        raise GitError(f"{path} 不是文件夹：--rev 需要工作区中的一个单位文件夹")
    top = _git(["rev-parse", "--show-toplevel"], path)
    if top.returncode != 0:
        detail = _first_line(top.stderr)
        if "not a git repository" in detail:
            raise GitError(f"{path} 不在 git 仓库中：--rev 只能用于 git 仓库中的文件夹")
        raise GitError(f"无法确定 {path} 所在的 git 仓库（git：{detail}）")
    root = Path(top.stdout.decode("utf-8", "surrogateescape").strip())
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        raise GitError(f"{path} 不在 git 仓库 {root} 中") from None
    relpath = PurePosixPath(*rel.parts).as_posix() if rel.parts else ""
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    if commit.returncode != 0:
        raise GitError(f"未知的 git 版本“{rev}”（可用提交号、分支名、标签或 HEAD~1 之类）")
    sha = commit.stdout.decode().strip()
    spec = f"{sha}:{relpath}"
    kind = _git(["cat-file", "-t", spec], root)
    if kind.returncode != 0:
        raise GitError(f"文件夹 {relpath or '.'} 在版本 {rev} 中不存在")
    if kind.stdout.decode().strip() != "tree":
        raise GitError(f"{relpath} 在版本 {rev} 中不是文件夹")
    listing = _git(["ls-tree", "-z", spec], root)
    if listing.returncode != 0:
        raise GitError(f"无法列出版本 {rev} 中的 {relpath or '.'}（git：{_first_line(listing.stderr)}）")
    wanted: list[tuple[str, str]] = []  # (object id, file name)
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind_name, oid = meta.decode().split()
        name = name_bytes.decode("utf-8", "surrogateescape")
        if kind_name == "blob" and mode in ("100644", "100755") and name.endswith(".toml"):
            wanted.append((oid, name))
    files: dict[str, bytes] = {}
    if wanted:
        batch = _git(["cat-file", "--batch"], root, input="".join(f"{oid}\n" for oid, _ in wanted).encode())
        if batch.returncode != 0:
            raise GitError(f"无法读取版本 {rev} 中的文件（git：{_first_line(batch.stderr)}）")
        out, pos = batch.stdout, 0
        for oid, name in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) != 3:
                raise GitError(f"无法读取版本 {rev} 中的 {name}")
            size = int(header[2])
            files[name] = out[end + 1:end + 1 + size]
            pos = end + 1 + size + 1  # the content is followed by a newline
    return RevisionFolder(rev, relpath, files)


def load_department_at(path: Path, rev: str) -> tuple[LoadResult, RevisionFolder]:
    """Load the department folder ``path`` as it was at ``rev`` (files named ``REV:path/name``)."""
    folder = read_folder_at(path, rev)
    return load_department_texts(Path(folder.label), folder.files), folder
