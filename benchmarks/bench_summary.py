"""The 汇总表 of 300 generated projects: built directly vs merged with docxcompose.

Prints, in one run: the time to build the 汇总表 directly, the time docxcompose takes to
merge the same 300 projects' per-project documents (经费说明 + 申报表), their ratio
(goal: at least 15x), a full `build` of the department (every file, goal: under 3 s
for the 汇总表) and a no-change rebuild (goal: under 0.5 s).

    python benchmarks/bench_summary.py [N]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

import docx  # noqa: E402
from docxcompose.composer import Composer  # noqa: E402

from perfdoc.build import build  # noqa: E402
from perfdoc.compose.summary import build_summary  # noqa: E402
from perfdoc.load import load_paths  # noqa: E402
from perfdoc.render.document import to_bytes  # noqa: E402
from perfdoc.render.template import find_template  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "dep", n)
        out = Path(tmp) / "out"

        t0 = time.perf_counter()
        result = build([folder], out)
        t_full = time.perf_counter() - t0
        assert not result.refused and not result.errors
        t0 = time.perf_counter()
        again = build([folder], out)
        t_noop = time.perf_counter() - t0
        assert not again.written

        dep = load_paths([folder]).departments[0]
        projects = dep.ordered_projects()
        template = find_template("shanghai")
        t0 = time.perf_counter()
        data = to_bytes(build_summary(dep, projects, template))
        t_direct = time.perf_counter() - t0

        parts = []
        for p in projects:
            stem = p.model.name
            parts += [out / "dep" / f"{stem}-经费说明.docx", out / "dep" / f"{stem}-申报表.docx"]
        t0 = time.perf_counter()
        composer = Composer(docx.Document(str(parts[0])))
        for path in parts[1:]:
            composer.append(docx.Document(str(path)))
        raw = io.BytesIO()
        composer.save(raw)
        t_compose = time.perf_counter() - t0

    print(f"{n} projects, {len(result.written)} files")
    print(f"汇总表 built directly:            {t_direct:6.2f} s  ({len(data) / 1e6:.1f} MB)")
    print(f"docxcompose merge of {len(parts)} documents: {t_compose:6.2f} s")
    print(f"ratio: directly is {t_compose / t_direct:.1f}x faster (goal: at least 15x)")
    print(f"full build (every document and the 汇总表): {t_full:.2f} s")
    print(f"no-change rebuild: {t_noop:.3f} s (goal: under 0.5 s)")


if __name__ == "__main__":
    main()
