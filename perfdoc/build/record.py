"""The record of a clean build, and a rebuild that needs nothing: no parsing, no checking.

After a build of a whole department that wrote everything it should (no error, no output
refused), its manifest keeps a ``record``: a hash of every input as the build read it
(department.toml and the project files as text; the template's files and the attachments as
bytes, hashed before they were used), the folder's list of project files, where the template was
looked for and found, perfdoc's code, the options that change what is made (``--pdf``,
``--force``), the current folder (a template may be named relative to it), the findings the
build reported (projects refused or forced, with their errors), and what each output file looks
like on disk (size, times, inode).

A rebuild whose every input hashes the same and whose every output is still the file the
manifest names reports the same without loading anything (:func:`fresh`).  Anything that
differs, or cannot be read, means the full build: this module only ever answers "unchanged" or
"I cannot tell".  It imports nothing heavy (no model, no renderer).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..load.folders import DEPARTMENT_FILE, project_names
from ..manifest import MANIFEST, file_stat, read_document, usable_outputs
from ..model.problem import Problem, Severity
from ..outdir import department_inputs
from .discover import Ref
from .result import department_out_dir

__all__ = ["Fresh", "fresh", "code_fingerprint", "text_hash", "file_hashes", "problem_doc", "problem_of",
           "template_folder_of", "sha256_of", "is_template", "texts_record"]

_BOM = b"\xef\xbb\xbf"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """perfdoc's version and all its code: another perfdoc may find or make something else."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def text_hash(text: str) -> str:
    """The hash of an input's text as loaded (its UTF-8 bytes without a byte order mark)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _regular_bytes(path: Path) -> bytes | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except (OSError, ValueError):
        return None


def file_hashes(paths) -> dict[str, str] | None:
    """The sha256 of each file (by path); None when one is not a regular file that can be read."""
    found = {}
    for path in paths:
        data = _regular_bytes(Path(path))
        if data is None:
            return None
        found[str(path)] = hashlib.sha256(data).hexdigest()
    return found


def is_template(folder: Path) -> bool:
    """Whether perfdoc takes ``folder`` for a template (as perfdoc.render.template._is_template)."""
    try:
        return folder.is_dir() and (folder / "reference.docx").exists()
    except (OSError, ValueError):
        return False


def template_folder_of(candidates: list[tuple[str, bool]]) -> str | None:
    return next((path for path, found in candidates if found), None)


def problem_doc(problem: Problem) -> dict:
    return {"file": os.fsdecode(problem.file), "line": problem.line, "col": problem.col, "code": problem.code,
            "message": problem.message, "severity": problem.severity.value, "name": problem.name,
            "fatal": problem.fatal}


def problem_of(doc: dict) -> Problem:
    return Problem(Path(doc["file"]), int(doc["line"]), int(doc["col"]), str(doc["code"]), str(doc["message"]),
                   Severity(doc["severity"]), str(doc["name"]), bool(doc["fatal"]))


@dataclass
class Fresh:
    """A department unchanged since its last clean build: what that build reported."""

    ref: Ref
    out_dir: Path
    inputs: set[Path]
    projects: int
    unchanged: list[Path] = field(default_factory=list)
    refused: dict[str, list[Problem]] = field(default_factory=dict)
    forced: dict[str, list[Problem]] = field(default_factory=dict)


def fresh(ref: Ref, out: Path, *, force: bool, pdf: bool) -> Fresh | None:
    """What the last build of ``ref`` into ``out`` reported, when nothing it read or wrote has changed
    since; None when anything differs or cannot be told."""
    if ref.partial:
        return None
    try:
        return _fresh(ref, out, force=force, pdf=pdf)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # a record written by hand
        return None


def _fresh(ref: Ref, out: Path, *, force: bool, pdf: bool) -> Fresh | None:
    out_dir = department_out_dir(out, ref.folder)
    document = read_document(out_dir / MANIFEST)
    record = document.get("record")
    outputs = usable_outputs(document)
    if (document.get("perfdoc") != __version__ or not isinstance(record, dict)
            or outputs != document.get("outputs") or set(outputs) != set(record["stats"])):
        return None
    if (record["folder"] != os.fsdecode(ref.folder) or record["cwd"] != os.getcwd() or record["pdf"] != pdf
            or (record["force"] != force and (record["refused"] or record["forced"]))
            or record["code"] != code_fingerprint()):
        return None
    folder = Path(ref.folder)
    if project_names(folder) != record["listing"]:
        return None
    for name, digest in record["texts"].items():
        data = _regular_bytes(folder / name)
        if data is None or hashlib.sha256(data.removeprefix(_BOM)).hexdigest() != digest:
            return None
    if any(is_template(Path(path)) != found for path, found in record["candidates"]):
        return None
    inputs = department_inputs(folder, record["attachments"], Path(template_folder_of(record["candidates"])))
    if sorted(map(str, inputs)) != record["inputs"] or file_hashes(record["files"]) != record["files"]:
        return None
    result = Fresh(ref, out_dir, inputs, int(record["projects"]))
    for name, entry in outputs.items():
        target = out_dir / name
        if file_stat(target) != record["stats"][name] and sha256_of(target) != entry["sha256"]:
            return None
        result.unchanged.append(target)
    for what, found in (("refused", result.refused), ("forced", result.forced)):
        for file, problems in record[what]:
            found[file] = [problem_of(p) for p in problems]
    return result


def sha256_of(path: Path) -> str | None:
    """The sha256 of a regular file (never through a symbolic link); None when there is none."""
    data = _regular_bytes(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


def texts_record(folder: Path, sources) -> dict[str, str] | None:
    """{file name: text hash} of department.toml and the project files (SourceFiles) of ``folder``."""
    found = {}
    for source in sources:
        path = Path(source.path)
        if path.parent != Path(folder) or (path.name != DEPARTMENT_FILE and not path.name.endswith(".toml")):
            return None
        found[path.name] = text_hash(source.text)
    return found
