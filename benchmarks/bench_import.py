"""``perfdoc import`` of a 300-project 汇总表 against building it.

Prints, in one run: the time of ``perfdoc build`` of the generated department (every
document) and of ``perfdoc import`` of its 汇总表 into a new department folder (read,
assemble, write, load back), each run as a user runs it (a new process, with its start),
the time to build the 汇总表 alone, and the ratios.  Goal: importing the 汇总表 takes less time
than building the department.  The import is checked against the generated folder with
``perfdoc diff`` (no change in any project).

    python benchmarks/bench_import.py [N]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from perfdoc.compose.summary import summary_bytes  # noqa: E402
from perfdoc.diff.changes import diff_departments  # noqa: E402
from perfdoc.load import load_department  # noqa: E402
from perfdoc.render.template import find_template  # noqa: E402


def _perfdoc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfdoc", *args], capture_output=True, text=True)


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "dep", n)
        out = Path(tmp) / "out"
        t_build, done = _timed(lambda: _perfdoc("build", str(folder), "-o", str(out)))
        assert done.returncode == 0, done.stdout + done.stderr
        dep = load_department(folder).departments[0]
        t_summary, _ = _timed(lambda: summary_bytes(dep, dep.ordered_projects(), find_template("shanghai")))
        summary = next((out / "dep").glob("*年度项目绩效目标汇总表.docx"))

        imported = Path(tmp) / "imported"
        t_import, done = _timed(lambda: _perfdoc("import", str(summary), "-o", str(imported)))
        assert done.returncode == 0, done.stdout + done.stderr
        diff = diff_departments(dep, load_department(imported).departments[0])
        assert not any(p.changed for p in diff.projects), "the import differs from the generated projects"

        size = summary.stat().st_size / 1024 / 1024
        print(f"{n} projects, 汇总表 {size:.1f} MB:")
        print(f"  perfdoc build ({2 * n + 1} documents): {t_build:7.2f} s")
        print(f"  build the 汇总表 alone:           {t_summary:7.2f} s")
        print(f"  perfdoc import of the 汇总表:     {t_import:7.2f} s")
        print(f"  import / build:                  {t_import / t_build:7.2f}  (goal: below 1)")
        print(f"  import / 汇总表 alone:            {t_import / t_summary:7.2f}")


if __name__ == "__main__":
    main()
