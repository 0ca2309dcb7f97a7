"""``check -j N``: the same problems, positions, order and summary whatever N is (issue 14).

The projects of a big folder are loaded and checked in shares by this process and N - 1
workers (perfdoc/check_paths.py, perfdoc/pool.py); these tests hold that nothing a user reads
changes with N, and that a worker that dies costs nothing but time.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT


def _generate(folder: Path, count: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(folder, count, seed=seed)


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """Departments with every kind of problem: faults, a file that is not TOML, an unknown key, a
    suppression comment, [check] settings (one of them wrong), an empty folder, a broken department.toml."""
    root = tmp_path_factory.mktemp("district")
    first = _generate(root / "2026-甲", 30, seed=5)
    (first / "项目0003.toml").write_text("name = \n", "utf-8")  # PD001
    text = (first / "项目0004.toml").read_text("utf-8")
    (first / "项目0004.toml").write_text(text.replace('level1 = "成本指标"', 'level1 = "成本"', 1)
                                         .replace("\nname = ", "\nnmae = \"x\"\nname = ", 1), "utf-8")
    toml = first / "department.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[check]\nseverity = { PD401 = "error", PD999 = "warning" }\n',
                    "utf-8")
    second = _generate(root / "2026-乙", 25, seed=6)
    (second / "department.toml").write_text("name = [\n", "utf-8")  # the projects are still checked
    hongqiao = shutil.copytree(PROJECTS / "2026-hongqiao", root / "2026-hongqiao")
    project = hongqiao / "区域化党建.toml"
    head, tail = project.read_text("utf-8").rsplit('name = "工作经费使用合规性"\n', 1)
    project.write_text(head + 'name = "工作经费使用合规性"  # perfdoc: ignore PD303 原表如此\n' + tail, "utf-8")
    empty = root / "2026-空"
    empty.mkdir()
    shutil.copy(hongqiao / "department.toml", empty / "department.toml")
    return root


def _outcome(paths, jobs, ignore=()):
    from perfdoc.check_paths import check_paths

    result = check_paths(paths, list(ignore), jobs)
    return result.problems, result.suppressed, result.projects, result.fatal


def _serial(paths, ignore=()):
    """What check printed before the workers: one load, one run of the rules."""
    from perfdoc.check import run_checks
    from perfdoc.load import load_paths

    loaded = load_paths(paths)
    result = run_checks(loaded.departments, ignore)
    problems = sorted(loaded.problems + result.problems, key=lambda p: (str(p.file), p.line, p.col, p.code))
    problems = [p for p in problems if p.code not in set(ignore)]
    return problems, result.suppressed, len(loaded.projects), loaded.fatal or any(p.fatal for p in problems)


@pytest.mark.parametrize("ignore", [(), ("PD004", "PD303")])
def test_any_number_of_processes_finds_what_one_load_finds(district, ignore, monkeypatch):
    from perfdoc import pool

    started = []
    real = pool.worker_pool
    monkeypatch.setattr(pool, "worker_pool", lambda workers, **kw: started.append(workers) or real(workers, **kw))
    expected = _serial([district], ignore)
    for jobs in (1, 2, 3):
        assert _outcome([district], jobs, ignore) == expected, jobs
    assert started == [1, 2]  # -j 1 in this process; -j 2 and -j 3 with one and two workers
    problems, suppressed, projects, fatal = expected
    assert projects == 30 - 1 + 25 + 9  # a file that is not TOML is not a project
    assert fatal
    codes = {(Path(p.file).parent.name, Path(p.file).name, p.code) for p in problems}
    assert ("2026-甲", "项目0003.toml", "PD001") in codes
    assert ("2026-甲", "项目0004.toml", "PD004") in codes or "PD004" in ignore
    assert ("2026-甲", "department.toml", "PD002") in codes  # the unknown code in [check] severity
    assert ("2026-乙", "department.toml", "PD001") in codes
    assert ("2026-空", "department.toml", "PD006") in codes
    assert [s.problem.code for s in suppressed] == ([] if "PD303" in ignore else ["PD303"])
    # every project file with a finding is reported once per finding, in file and line order
    keys = [(str(p.file), p.line, p.col, p.code) for p in problems]
    assert keys == sorted(keys)


def test_spawned_workers_find_the_same(district, monkeypatch):
    """macOS and Windows spawn their workers (each imports perfdoc again): the same problems."""
    from perfdoc import check_paths, pool

    monkeypatch.setattr(pool, "forks", lambda: False)
    monkeypatch.setattr(check_paths, "forks", lambda: False)
    monkeypatch.setattr(check_paths, "SMALL_SPAWNED", 10)
    assert _outcome([district / "2026-甲"], 2) == _serial([district / "2026-甲"])


def test_a_folder_named_with_one_of_its_files_is_checked_as_one_load(district):
    paths = [district / "2026-甲" / "项目0004.toml", district / "2026-甲"]
    assert _outcome(paths, 2) == _serial(paths)


def test_check_prints_the_same_with_one_and_two_processes(district):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT), COLUMNS="100")
    printed = {}
    for jobs in ("1", "2"):
        for form in ("text", "json"):
            r = subprocess.run([sys.executable, "-m", "perfdoc", "check", str(district), "-j", jobs, "-f", form],
                               cwd=district, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
            assert r.returncode == 2, r.stderr  # a file that cannot be used
            printed[jobs, form] = r.stdout
    assert printed["1", "text"] == printed["2", "text"]
    assert printed["1", "json"] == printed["2", "json"]
    assert "2026-甲/项目0003.toml:1:" in printed["2", "text"]
    assert "共检查 63 个项目" in printed["2", "text"]


def test_check_refuses_a_number_of_processes_below_one():
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "perfdoc", "check", "-j", "0", str(PROJECTS)], cwd=ROOT, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == "perfdoc: 选项 --jobs 的值“0”无效，应是 1 到 64 之间的整数"


# -- the pool ------------------------------------------------------------------------------------------

def _square(n: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that both processes take some of the tasks
    return n * n, os.getpid()


def _dies_in_a_worker(task: tuple[int, int]) -> int:
    parent, n = task
    if os.getpid() != parent:
        os._exit(3)  # as the kernel's OOM killer would end it
    return n + 1


def test_spread_gives_every_result_in_order_and_shares_the_work():
    from perfdoc.pool import spread

    results = spread(_square, list(range(200)), 2)
    assert [r for r, _ in results] == [n * n for n in range(200)]
    assert len({pid for _, pid in results}) == 2 and os.getpid() in {pid for _, pid in results}  # both took some


def test_spread_does_the_tasks_of_a_worker_that_died():
    from perfdoc.pool import spread

    parent = os.getpid()
    assert spread(_dies_in_a_worker, [(parent, n) for n in range(20)], 2) == list(range(1, 21))
