"""``perfdoc build``: every project's 申报表 and 经费说明 (and 自评表 once evaluated), the
department's 汇总表 (and 自评汇总), into out/<department folder>/.

Top of the pipeline: load → check → render / compose → write atomically (perfdoc.build.run).
Projects with error-level faults are refused unless ``force`` (and then the 汇总表, which
would be incomplete, is not written either).

Builds are incremental: out/<department>/.perfdoc-build.json records, for each file written, a
hash of everything it was made from (the project file, department.toml, the template's files,
perfdoc's code, the project's position) and of the file itself.  A rebuild with nothing changed
rewrites nothing; when no input of any department has changed since its last clean build, it is
told so without loading a single file (perfdoc.build.record).

``jobs`` worker processes render the documents (default: the number of cores; 1: this process),
and convert them to PDF with ``pdf``.  The parts: discover (which departments), record (the
no-change rebuild), plan (load, check, list the documents), render (write documents), workers
(the pool), run (the order of it all).  This module imports nothing heavy until a department
has to be loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..fsutil import clean_leftovers
from ..manifest import MANIFEST
from ..outdir import OutputRefused, check_department_folder, check_out_folder
from .discover import Ref, discover
from .record import Fresh, fresh as _fresh
from .result import (
    DECLARATION_SUFFIX, NARRATIVE_SUFFIX, SELFEVAL_SUFFIX, BuildResult, department_out_dir, output_names,
)

__all__ = ["BuildResult", "build", "output_names", "department_out_dir", "MANIFEST", "DECLARATION_SUFFIX",
           "NARRATIVE_SUFFIX", "SELFEVAL_SUFFIX"]


def build(
    paths: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    pdf: bool = False,
    jobs: int | None = None,
    overwrite: bool = False,
) -> BuildResult:
    """Build ``paths`` into ``out``; with ``pdf`` also a PDF beside every document.

    ``jobs`` processes render (and convert) side by side, default: the number of cores.  Nothing
    is written when the output folder or any file in it is refused (perfdoc.outdir): a file
    perfdoc did not write is replaced only with ``overwrite``."""
    out = Path(out)
    found = discover(list(paths))
    fresh = {i: f for i, item in enumerate(found) if isinstance(item, Ref)
             and (f := _fresh(item, out, force=force, pdf=pdf)) is not None}
    if found and len(fresh) == len(found):
        result = _unchanged(list(fresh.values()), out, pdf=pdf)
        if result is not None:
            return result
    from .run import build_all  # loads, checks and renders: the heavy part of perfdoc

    return build_all(found, fresh, out, force=force, progress=progress, pdf=pdf, jobs=jobs, overwrite=overwrite)


def _unchanged(departments: list[Fresh], out: Path, *, pdf: bool) -> BuildResult | None:
    """What the last builds reported, when every department is as its last clean build left it and
    the output folders are still where perfdoc may write; None to build in full."""
    inputs = set().union(*(d.inputs for d in departments))
    try:
        out_real = check_out_folder(out, inputs)
        for department in departments:
            check_department_folder(out_real, department.out_dir, inputs)
    except OutputRefused:
        return None  # the full build tells why
    if pdf:
        from ..build_pdf import check_converter

        if check_converter() is not None:
            return None
    result = BuildResult()
    for department in departments:
        clean_leftovers(department.out_dir)
        result.projects += department.projects
        result.unchanged += department.unchanged
        result.refused.update(department.refused)
        result.forced.update(department.forced)
    return result
