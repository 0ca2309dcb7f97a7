"""Writing the review's files into the output folder, under the guarded writer's rules.

The folder is checked as every output folder is (:func:`perfdoc.outdir.check_out_folder`:
not a file, no input files in it, not a department folder); each file to be written is
checked by :func:`perfdoc.outdir.check_target` before anything is written: an input is never
replaced, nor a file perfdoc did not write (unless ``--overwrite``).  The files a review
wrote are recorded in ``.perfdoc-review.json`` (name → sha256), so that a second review into
the same folder may replace them while they are unchanged.  Each file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from ..fsutil import atomic_write_bytes, os_reason
from ..outdir import OutputRefused, check_out_folder, check_target, resolved

__all__ = ["RECORD", "write_outputs", "OutputFailure"]

RECORD = ".perfdoc-review.json"
_RECORD_LIMIT = 4 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class OutputFailure(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


def _record(path: Path) -> dict[str, str]:
    """The usable entries of the record: {file name: sha256}; {} when there is none or it is unusable."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _RECORD_LIMIT:
            return {}
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: digest for name, digest in files.items()
            if isinstance(name, str) and isinstance(digest, str) and _SHA256.fullmatch(digest)
            and "/" not in name and "\\" not in name and "\x00" not in name and not name.startswith(".")}


def _hash(path: Path) -> str | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def write_outputs(folder: Path, files: dict[str, bytes], inputs: set[Path], *, overwrite: bool) -> list[Path]:
    """Write ``files`` (name → bytes) into ``folder``; OutputFailure (Chinese messages) before writing
    anything when any of them may not be written."""
    try:
        check_out_folder(folder, inputs)
    except OutputRefused as exc:
        raise OutputFailure([exc.message]) from None
    record_path = folder / RECORD
    old = _record(record_path)
    refusals = []
    if os.path.lexists(record_path) and not os.path.isfile(record_path):
        refusals.append(f"{record_path} 是 perfdoc 的审核记录文件名，但它是一个文件夹或特殊文件；请移走它")
    for name in files:
        target = folder / name
        ours = name in old and _hash(target) == old[name]
        try:
            check_target(target, ours=ours, inputs=inputs, overwrite=overwrite)
        except OutputRefused as exc:
            refusals.append(exc.message)
    if refusals:
        raise OutputFailure(refusals)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            atomic_write_bytes(folder / name, data)
            written.append(folder / name)
        kept = {n: d for n, d in old.items() if n not in files and _hash(folder / n) == d}
        kept.update({name: hashlib.sha256(data).hexdigest() for name, data in files.items()})
        text = json.dumps({"files": dict(sorted(kept.items()))}, ensure_ascii=False, indent=2) + "\n"
        atomic_write_bytes(record_path, text.encode("utf-8"))
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else str(folder)
        raise OutputFailure([f"无法写入 {where}：{os_reason(exc)}"]) from None
    return written


def input_set(paths: list[Path]) -> set[Path]:
    return {resolved(p) for p in paths}
