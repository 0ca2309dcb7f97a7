"""Speed and scale (issue 14): a district of departments of real-size projects, and the ratios of
perfdoc's commands to their floors, measured in one run and compared with the goals.

    python benchmarks/bench_district.py [--departments 5,25] [--size 200] [--repeat 3] [--district-repeat 2]

A real-size project is a copy of projects/2026-hongqiao/党群服务站.toml (21 indicators, long
texts) under another name; a department is 200 of them with 虹桥's department.toml.  Every
figure is the wall time of a fresh ``python -m perfdoc`` process (best of ``--repeat``; the
district builds at each size best of ``--district-repeat``, the sizes alternating, ``-j 1`` and
``-j 2`` best of ``--repeat``), and the peak memory of the whole process tree of one command
(``resource.getrusage(RUSAGE_CHILDREN)`` of a process that only runs it).  Printed:

* time per project and peak memory of a full ``build`` of the district at 1,000 and at 5,000
  projects (default ``-j``, the number of cores), and the speed-up of ``-j 2`` over ``-j 1`` at
  1,000;
* ``perfdoc --version`` against ``python -c "import typer"``; ``check``, a no-change ``build`` and
  a full ``build`` (600 documents and the 汇总表) of 300 projects against T0, parsing the same
  300 files with tomllib;
* each goal of the issue and whether it is met, and the machine's load while measuring.

Every full build writes into a folder of its own, never one just emptied: on ext4, a file made
soon after thousands were deleted in the same place waits while the kernel passes over the
recently freed inodes (``recently_deleted`` in ``perf``), a cost that grows with each run and
would be measured as perfdoc's.  The folders are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "projects" / "2026-hongqiao"
PROJECT = SOURCE / "党群服务站.toml"
PYTHON = sys.executable

#: Run one command and report the peak memory of its whole process tree (KiB on Linux).
_MEASURED = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""

_T0 = """
import sys, tomllib
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.toml")):
    if path.name != "department.toml":
        tomllib.loads(path.read_text("utf-8"))
"""


# -- inputs ----------------------------------------------------------------------------------------

def department(folder: Path, count: int, tag: str) -> Path:
    """``count`` copies of 党群服务站 (each its own name) and 虹桥's department.toml (without its order)."""
    folder.mkdir(parents=True)
    lines = (SOURCE / "department.toml").read_text("utf-8").splitlines(keepends=True)
    (folder / "department.toml").write_text("".join(ln for ln in lines if not ln.startswith("order =")), "utf-8")
    text = PROJECT.read_text("utf-8")
    assert '\nname = "党群服务站"\n' in text
    for i in range(count):
        name = f"党群服务站{tag}{i:04d}"
        (folder / f"{name}.toml").write_text(text.replace('\nname = "党群服务站"\n', f'\nname = "{name}"\n', 1), "utf-8")
    return folder


def district(folder: Path, departments: int, size: int) -> Path:
    for d in range(departments):
        department(folder / f"2026-单位{d:02d}", size, f"-{d:02d}-")
    return folder


# -- measuring -------------------------------------------------------------------------------------

def perfdoc(*args: str) -> list[str]:
    return [PYTHON, "-m", "perfdoc", *args]


#: Where the measured perfdoc is imported from: a copy of the code (set by main), so that an edit
#: made while the benchmark runs changes nothing (a changed perfdoc means a full rebuild).
CODE = ROOT


def snapshot(folder: Path) -> Path:
    """A copy of perfdoc's code and built-in templates in ``folder``."""
    shutil.copytree(ROOT / "perfdoc", folder / "perfdoc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", folder / "templates")
    return folder


def measured(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak KiB of the process tree, exit code) of one run of ``command``."""
    env = dict(os.environ, PYTHONPATH=str(CODE), PYTHONIOENCODING="utf-8")
    r = subprocess.run([PYTHON, "-c", _MEASURED, *command], cwd=cwd, env=env, capture_output=True, text=True,
                       check=True)
    seconds, peak, code = r.stdout.split()
    return float(seconds), int(peak), int(code)


def best(command: list[str], cwd: Path, repeat: int) -> float:
    """The least wall time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        seconds, _, code = measured(command, cwd)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
        times.append(seconds)
    return min(times)


_OUTPUTS = iter(range(1, 1 << 30))


def new_out(work: Path) -> Path:
    """A folder no build has written into (see the module's docstring), its earlier writes on disk."""
    os.sync()
    return work / "outputs" / f"{next(_OUTPUTS)}"


def full_build(paths: list[Path], work: Path, cwd: Path, jobs: int | None = None) -> tuple[float, int]:
    """Time and peak memory of a build into a new output folder."""
    out = new_out(work)
    command = perfdoc("build", *map(str, paths), "-o", str(out), *(["-j", str(jobs)] if jobs else []))
    seconds, peak, code = measured(command, cwd)
    if code != 0:
        raise SystemExit(f"build failed with exit code {code}")
    return seconds, peak


# -- the run ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", default="5,25", help="two district sizes, in departments (default 5,25)")
    parser.add_argument("--size", type=int, default=200, help="projects per department (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each short measurement (default 3)")
    parser.add_argument("--district-repeat", type=int, default=2, help="runs of each district size (default 2)")
    options = parser.parse_args()
    small, large = (int(n) for n in options.departments.split(","))
    repeat = options.repeat
    load_before = os.getloadavg()
    rows, goals = [], []
    global CODE
    with tempfile.TemporaryDirectory(prefix="perfdoc-bench-") as tmp:
        work = Path(tmp)
        CODE = snapshot(work / "code")
        measured(perfdoc("--version"), work)  # compiles the copy's bytecode, untimed
        # the ratios of the table, on one department of 300
        dep = department(work / "2026-三百", 300, "-")
        version = best(perfdoc("--version"), work, max(repeat, 5))
        typer = best([PYTHON, "-c", "import typer"], work, max(repeat, 5))
        t0 = best([PYTHON, "-c", _T0, str(dep)], work, repeat)
        check = best(perfdoc("check", str(dep)), work, repeat)
        fulls = []
        for _ in range(repeat):
            out = new_out(work)
            seconds, _, code = measured(perfdoc("build", str(dep), "-o", str(out)), work)
            if code not in (0, 1):
                raise SystemExit(f"build failed with exit code {code}")
            fulls.append(seconds)
        full = min(fulls)
        unchanged = best(perfdoc("build", str(dep), "-o", str(out)), work, repeat)  # the last full build's
        rows += [("perfdoc --version", version), ('python -c "import typer"', typer),
                 ("T0: tomllib, 300 files", t0), ("check, 300 projects", check),
                 ("build, 300 projects (601 files)", full), ("build, 300 projects, no change", unchanged)]
        goals += [("--version / import typer", version / typer, "≤", 1.5),
                  ("check 300 / T0", check / t0, "≤", 2.0),
                  ("no-change build 300 / T0", unchanged / t0, "≤", 1.0),
                  ("full build 300 / T0", full / t0, "≤", 5.0)]
        shutil.rmtree(dep)

        # the district: per project and peak memory at two sizes, the sizes alternating (best of
        # ``district_repeat`` each: a burst of other work on the machine hits one run, not the figure);
        # then -j 2 against -j 1 at the smaller size
        folders = {count: district(work / f"区{count}", count, options.size) for count in (small, large)}
        runs: dict[int, list[tuple[float, int]]] = {small: [], large: []}
        for _ in range(options.district_repeat):
            for count in (small, large):
                runs[count].append(full_build([folders[count]], work, work))
        figures = {}
        for count in (small, large):
            seconds = min(t for t, _ in runs[count])
            peak = max(p for _, p in runs[count])
            projects = count * options.size
            figures[count] = (seconds / projects, peak)
            rows += [(f"build, district of {projects} projects (best of {options.district_repeat})", seconds),
                     ("  per project, peak memory", f"{seconds / projects * 1000:.2f} ms, {peak / 1024:.0f} MiB")]
        projects = small * options.size
        timed = [full_build([folders[small]], work, work, jobs=jobs)[0]
                 for _ in range(repeat) for jobs in (1, 2)]  # alternating, each into a new folder
        one, two = min(timed[0::2]), min(timed[1::2])
        rows += [(f"build -j 1, {projects} projects (best of {repeat})", one),
                 (f"build -j 2, {projects} projects (best of {repeat})", two)]
        goals.append((f"-j 2 speed-up over -j 1 ({projects} projects)", one / two, "≥", 1.6))
        (per_small, peak_small), (per_large, peak_large) = figures[small], figures[large]
        n_small, n_large = small * options.size, large * options.size
        goals += [(f"time per project {n_large} / {n_small}", per_large / per_small, "≤", 1.15),
                  (f"peak memory {n_large} / {n_small}", peak_large / peak_small, "≤", 1.3)]
    load_after = os.getloadavg()

    width = max(len(name) for name, _ in rows) + 2
    print(f"{os.cpu_count()} cores; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    for name, value in rows:
        print(f"  {name:<{width}} {value:.3f} s" if isinstance(value, float) else f"  {name:<{width}} {value}")
    print()
    width = max(len(name) for name, *_ in goals) + 2
    met_all = True
    for name, ratio, sense, target in goals:
        met = ratio <= target if sense == "≤" else ratio >= target
        met_all &= met
        print(f"  {name:<{width}} {ratio:5.2f}×   goal {sense} {target}×   {'met' if met else 'NOT met'}")
    print("\nevery goal met" if met_all else "\nnot every goal met")
    print(json.dumps({name: round(ratio, 3) for name, ratio, *_ in goals}, ensure_ascii=False))


if __name__ == "__main__":
    main()
