"""Time to diff two generated departments of N projects with edits in 10 % of them (goal: under 1 s).

    python benchmarks/bench_diff.py [N]

The edits: an amount raised, a target changed, a sentence of the narrative
edited and an indicator removed, in turn, in every tenth project.  Prints the
time of the diff alone, of loading both folders, and of the terminal, Markdown
and JSON reports.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from perfdoc.diff.changes import diff_departments  # noqa: E402
from perfdoc.diff.report import diff_json, diff_markdown, print_diff  # noqa: E402
from perfdoc.load import load_department  # noqa: E402

_EDITS = (
    ("annual_appropriation = ", "annual_appropriation = 1"),  # a digit in front: a larger amount
    ('target = "≥4次"', 'target = "≥6次"'),
    ("保障党群服务阵地正常运行", "保障党群服务阵地和站点正常运行"),
    ('name = "活动开展次数"', 'name = "活动开展次数（旧）"'),  # removed and added
)


def edit(folder: Path, n: int) -> int:
    edited = 0
    for i in range(0, n, 10):
        path = folder / f"项目{i:04d}.toml"
        text = path.read_text("utf-8")
        old, new = _EDITS[(i // 10) % len(_EDITS)]
        if old in text:
            path.write_text(text.replace(old, new, 1), "utf-8")
            edited += 1
    return edited


def best(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        old = generate(Path(tmp) / "old", n)
        new = generate(Path(tmp) / "new", n)
        edited = edit(new, n)

        def load_both():
            a, b = load_department(old), load_department(new)
            assert not a.fatal and not b.fatal
            return a.departments[0], b.departments[0]

        load_t, (a, b) = best(load_both, 3)
        diff_t, diff = best(lambda: diff_departments(a, b))
        report_t, _ = best(lambda: (print_diff(diff, io.StringIO(), color=False), diff_markdown(diff), diff_json(diff)), 3)
        counts = diff.counts
        print(f"diff {n} + {n} projects ({edited} edited): diff {diff_t * 1000:.0f} ms; "
              f"load both {load_t * 1000:.0f} ms; reports (terminal + Markdown + JSON) {report_t * 1000:.0f} ms; "
              f"total {(load_t + diff_t + report_t):.2f} s "
              f"[changed {counts['changed']}, unchanged {counts['unchanged']}]")


if __name__ == "__main__":
    main()
