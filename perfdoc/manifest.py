"""The build manifest: out/<department>/.perfdoc-build.json.

For each file perfdoc wrote it records a hash of everything the file was made from
(``input``) and of the file itself (``sha256``).  A file whose inputs and bytes are
unchanged is not rewritten; a file in the old manifest that is no longer made is removed
(when it is still the file perfdoc wrote); a file perfdoc did not write is never in it,
and is never replaced (outdir.check_target).

A manifest that cannot be used (not JSON, a list, entries of the wrong type, names with a
folder in them or not of a document, a symbolic link, too big) counts as no manifest: everything is rebuilt,
and documents perfdoc made are recognised by their properties (outdir.made_by_perfdoc).

After a clean build of a whole department the manifest also holds a ``record`` of what the
build read and found (perfdoc.build.record): a rebuild whose inputs all hash the same reports
it without loading anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Callable

from . import __version__
from .fsutil import atomic_write_bytes, atomic_write_text
from .outdir import OutputRefused, check_target

__all__ = ["MANIFEST", "Outputs", "input_hash", "read_manifest", "read_document", "usable_outputs", "file_stat"]

MANIFEST = ".perfdoc-build.json"
#: A manifest larger than this is not perfdoc's (a department of thousands of projects is ~1 MB).
_MANIFEST_LIMIT = 32 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def input_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _file_hash(path: Path) -> str | None:
    """The sha256 of a regular file (never through a symbolic link); None when there is none."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _plain_name(name: object) -> bool:
    """A document's name: no folder, not hidden, a .docx or .pdf (all that perfdoc writes beside it)."""
    return (isinstance(name, str) and name.endswith((".docx", ".pdf")) and "/" not in name
            and "\\" not in name and "\x00" not in name and not name.startswith("."))


def read_document(path: Path) -> dict:
    """The manifest file as JSON (a dict); {} when there is none, it is not a regular file or not JSON."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MANIFEST_LIMIT:
            return {}
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def usable_outputs(data: dict) -> dict[str, dict]:
    """The usable entries of a manifest document's ``outputs``."""
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return {}
    return {name: {"input": entry["input"], "sha256": entry["sha256"]}
            for name, entry in outputs.items()
            if _plain_name(name) and isinstance(entry, dict) and isinstance(entry.get("input"), str)
            and isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])}


def read_manifest(path: Path) -> dict[str, dict]:
    """The usable entries of a manifest file; {} when there is none or it cannot be used."""
    return usable_outputs(read_document(path))


def file_stat(path: Path) -> list[int] | None:
    """What identifies a file's present state without reading it: size, modification and change
    times, inode (a write changes the change time, which no program can set back); None when it is
    not a regular file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


class Outputs:
    """Writes a department's files, skipping those whose inputs and bytes are unchanged; lists what it
    wrote, kept and removed (``written``, ``unchanged``, ``removed``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / MANIFEST
        document = read_document(self.path)
        self.old = usable_outputs(document)
        self.old_record = document.get("record") if document.get("perfdoc") == __version__ else None
        self.new: dict[str, dict] = {}
        self.record: dict | None = None  # set after a clean build of the whole department
        self.checked: set[str] = set()  # names outdir.check_target allowed
        self.inputs: set[Path] = set()
        self.overwrite = False
        self.written: list[Path] = []
        self.unchanged: list[Path] = []
        self.removed: list[Path] = []

    def refusals(self, names: list[str], inputs: set[Path], *, overwrite: bool) -> list[str]:
        """Why each of ``names`` may not be written (Chinese messages); [] when all may."""
        self.inputs, self.overwrite = inputs, overwrite
        found = []
        if os.path.lexists(self.path) and not os.path.islink(self.path) and not os.path.isfile(self.path):
            found.append(f"{self.path} 是 perfdoc 的生成记录文件名，但它是一个文件夹或特殊文件，"
                         "perfdoc 不会删除它；请移走它后重新生成")
        for name in dict.fromkeys(names):
            try:
                check_target(self.folder / name, ours=name in self.old, inputs=inputs, overwrite=overwrite)
            except OutputRefused as exc:
                found.append(exc.message)
            else:
                self.checked.add(name)
        return found

    def up_to_date(self, name: str, key: str) -> bool:
        entry = self.old.get(name)
        target = self.folder / name
        if not entry or entry.get("input") != key:
            return False
        if _file_hash(target) != entry.get("sha256"):
            return False
        self.new[name] = entry
        self.unchanged.append(target)
        return True

    def keep(self, name: str) -> None:
        """Keep ``name`` as the manifest has it (found up to date while the build was planned)."""
        entry = self.old.get(name)
        if entry:
            self.new[name] = entry
            self.unchanged.append(self.folder / name)

    def allow(self, name: str) -> None:
        """Raise OutputRefused unless ``name`` was checked before the build began or may be written now."""
        if name not in self.checked:
            check_target(self.folder / name, ours=name in self.old, inputs=self.inputs, overwrite=self.overwrite)
            self.checked.add(name)

    def write(self, name: str, key: str, render: Callable[[], bytes]) -> None:
        """Render and write ``name`` (raises OutputRefused for a name that was not checked and may not be)."""
        self.allow(name)
        data = render()
        atomic_write_bytes(self.folder / name, data)
        self.wrote(name, key, hashlib.sha256(data).hexdigest())

    def wrote(self, name: str, key: str, digest: str) -> None:
        """``name`` was written (here or by a worker process) with bytes of this sha256."""
        self.new[name] = {"input": key, "sha256": digest}
        self.written.append(self.folder / name)

    def converted(self, name: str, key: str) -> None:
        """A file written by another step (the PDF converter): hash it as it is now."""
        target = self.folder / name
        self.wrote(name, key, hashlib.sha256(target.read_bytes()).hexdigest())

    def keep_if_current(self, name: str, key: str) -> None:
        """Keep ``name`` (written by a step that did not run this time) if its input is still ``key``."""
        entry = self.old.get(name)
        if entry and entry.get("input") == key and _file_hash(self.folder / name) is not None:
            self.new[name] = entry

    def close(self, *, partial: bool = False) -> None:
        """Record what was written; remove files of projects that are gone (not after a partial build,
        which keeps the other projects' entries as they were).  A stale file is removed only while it
        is still the file perfdoc wrote (same bytes): one changed by hand since is left alone."""
        if partial:
            self.new = {**self.old, **self.new}
            self.record = None  # a record is of a whole department
        for name in sorted(set(self.old) - set(self.new)):
            stale = self.folder / name
            if _file_hash(stale) == self.old[name]["sha256"]:
                stale.unlink()
                self.removed.append(stale)
        record = None
        if self.record is not None:
            stats = {name: file_stat(self.folder / name) for name in self.new}
            if all(stats.values()):
                record = json.loads(json.dumps(dict(self.record, stats=stats)))  # as read back: lists, not tuples
        if (self.new != self.old or record != self.old_record or not os.path.isfile(self.path)
                or os.path.islink(self.path)):
            self.folder.mkdir(parents=True, exist_ok=True)
            document = {"perfdoc": __version__, "outputs": self.new}
            if record is not None:
                document["record"] = record
            atomic_write_text(self.path, json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def abandon(self) -> None:
        """After a failed write: record what this run wrote and keep the rest as it was; a manifest that
        cannot be written either is left as it is (the files are recognised by their properties)."""
        try:
            self.close(partial=True)
        except OSError:
            pass
