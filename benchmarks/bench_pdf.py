"""``build --pdf`` against converting file by file, and 1 against 2 converters.

Prints, in one run:

1. the 9-project 2026 虹桥 example: the PDF step of ``build --pdf`` (the documents already
   built) against a loop of one ``soffice --convert-to pdf`` per file, the way a user
   converts by hand (with a warm LibreOffice profile, so the loop is not charged for
   creating it); goal: at least 3x faster;
2. a generated department of N projects (default 300: 601 documents): the same conversion
   with 1 and with 2 workers; goal: 2 workers at least 1.6x faster than 1.

    python benchmarks/bench_pdf.py [N]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from perfdoc.build import build  # noqa: E402
from perfdoc.convert import convert_to_pdf, find_soffice  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def example(tmp: Path) -> tuple[float, float, int]:
    out = tmp / "out"
    assert not build([ROOT / "projects" / "2026-hongqiao"], out, force=True).errors
    t_pdf, result = _timed(lambda: build([ROOT / "projects" / "2026-hongqiao"], out, force=True, pdf=True))
    assert not result.errors, result.errors
    documents = sorted((out / "2026-hongqiao").glob("*.docx"))
    soffice = find_soffice()
    profile = (tmp / "profile").as_uri()
    loop_out = tmp / "loop"

    def one(doc: Path) -> None:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(loop_out), str(doc)], check=True, capture_output=True)

    one(documents[0])  # a warm profile, as on a user's machine
    t_loop, _ = _timed(lambda: [one(doc) for doc in documents])
    assert len(list(loop_out.glob("*.pdf"))) == len(documents)
    return t_pdf, t_loop, len(documents)


def department(tmp: Path, n: int) -> tuple[float, float, int]:
    folder = generate(tmp / "dep", n)
    out = tmp / "gen"
    assert not build([folder], out).errors
    documents = sorted((out / "dep").glob("*.docx"))
    times = []
    for workers in (1, 2):
        for pdf in (out / "dep").glob("*.pdf"):
            pdf.unlink()
        jobs = [(doc, doc.with_suffix(".pdf")) for doc in documents]
        elapsed, result = _timed(lambda: convert_to_pdf(jobs, out / "dep", workers=workers))
        assert not result.failed, result.failed
        times.append(elapsed)
    return times[0], times[1], len(documents)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        t_pdf, t_loop, count = example(tmp)
        print(f"2026 虹桥, {count} documents:")
        print(f"  build --pdf (conversion step): {t_pdf:7.2f} s")
        print(f"  one soffice per file (loop):   {t_loop:7.2f} s")
        print(f"  ratio: build --pdf is {t_loop / t_pdf:.1f}x faster (goal: at least 3x)")
        t1, t2, count = department(tmp, n)
        print(f"generated department, {n} projects, {count} documents:")
        print(f"  1 worker:  {t1:7.2f} s ({t1 / count * 1000:.0f} ms per document)")
        print(f"  2 workers: {t2:7.2f} s")
        print(f"  ratio: 2 workers are {t1 / t2:.2f}x faster than 1 (goal: at least 1.6x)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
