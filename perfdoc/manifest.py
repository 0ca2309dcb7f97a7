"""The build manifest: out/<department>/.perfdoc-build.json.

For each file perfdoc wrote it records a hash of everything the file was made from
(``input``) and of the file itself (``sha256``).  A file whose inputs and bytes are
unchanged is not rewritten; a file in the old manifest that is no longer made is removed;
a file perfdoc did not write is never in it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__
from .fsutil import atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:
    from .build import BuildResult

__all__ = ["MANIFEST", "Outputs", "input_hash"]

MANIFEST = ".perfdoc-build.json"


def input_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Outputs:
    """Writes a department's files, skipping those whose inputs and bytes are unchanged."""

    def __init__(self, folder: Path, result: BuildResult):
        self.folder = folder
        self.result = result
        self.path = folder / MANIFEST
        try:
            self.old = json.loads(self.path.read_text("utf-8")).get("outputs", {})
        except (OSError, ValueError, AttributeError):
            self.old = {}
        self.new: dict[str, dict] = {}

    def up_to_date(self, name: str, key: str) -> bool:
        entry = self.old.get(name)
        target = self.folder / name
        if not entry or entry.get("input") != key or not target.is_file():
            return False
        if hashlib.sha256(target.read_bytes()).hexdigest() != entry.get("sha256"):
            return False
        self.new[name] = entry
        self.result.unchanged.append(target)
        return True

    def write(self, name: str, key: str, render: Callable[[], bytes]) -> None:
        data = render()
        atomic_write_bytes(self.folder / name, data)
        self.new[name] = {"input": key, "sha256": hashlib.sha256(data).hexdigest()}
        self.result.written.append(self.folder / name)

    def record(self, name: str, key: str) -> None:
        """A file written by another step (the PDF converter): hash it as it is now."""
        target = self.folder / name
        self.new[name] = {"input": key, "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}
        self.result.written.append(target)

    def keep_if_current(self, name: str, key: str) -> None:
        """Keep ``name`` (written by a step that did not run this time) if its input is still ``key``."""
        entry = self.old.get(name)
        if entry and entry.get("input") == key and (self.folder / name).is_file():
            self.new[name] = entry

    def close(self, *, partial: bool = False) -> None:
        """Record what was written; remove files of projects that are gone (not after a partial build,
        which keeps the other projects' entries as they were)."""
        if partial:
            self.new = {**self.old, **self.new}
        for name in sorted(set(self.old) - set(self.new)):
            stale = self.folder / name
            if stale.is_file() and stale.parent == self.folder:
                stale.unlink()
                self.result.removed.append(stale)
        if self.new != self.old or not self.path.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps({"perfdoc": __version__, "outputs": self.new},
                                                    ensure_ascii=False, indent=1, sort_keys=True) + "\n")
