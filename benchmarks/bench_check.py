"""Time to load and check 300 generated project files (goal: under 1 s on a 2-core machine).

    python benchmarks/bench_check.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from perfdoc.check import check_departments  # noqa: E402
from perfdoc.load import load_paths  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "dep", n)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            loaded = load_paths([folder])
            problems = check_departments(loaded.departments)
            times.append(time.perf_counter() - t0)
        assert len(loaded.projects) == n and not loaded.fatal
        load_t = min(_time(lambda: load_paths([folder])) for _ in range(3))
        print(f"check {n} project files: best {min(times):.3f} s, median {sorted(times)[len(times) // 2]:.3f} s "
              f"(load alone {load_t:.3f} s; {len(problems)} problems found)")


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
