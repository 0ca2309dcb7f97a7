"""What the output-safety tests share: a snapshot of a folder tree, a small tmpfs, built documents checked.

``tmpfs`` mounts a RAM file system of a given size (read-only with ``ro=True``) as root and
unmounts it afterwards; where mounting is impossible (not root, no mount permission in a
container) the test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

__all__ = ["snapshot", "tmpfs", "assert_documents_whole", "leftovers", "TMP_PREFIX"]

TMP_PREFIX = ".perfdoc-tmp-"


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: its kind and, for a file, its bytes' hash and mtime."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = ("dir",)
            else:
                found[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


def leftovers(folder: Path) -> list[Path]:
    """perfdoc's temporary files and folders anywhere under ``folder``."""
    return [p for p in Path(folder).rglob("*") if p.name.startswith(TMP_PREFIX)]


def assert_documents_whole(folder: Path) -> int:
    """Every .docx under ``folder`` is a whole zip that python-docx opens; returns how many."""
    count = 0
    for path in sorted(Path(folder).rglob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
        docx.Document(str(path))
        count += 1
    return count


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "200k", *, ro: bool = False):
    """Mount a tmpfs of ``size`` at ``where`` for the duration of the block (skip when impossible)."""
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if ro else "")
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot mount a tmpfs: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)
