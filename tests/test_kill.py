"""Killed mid-way: ``kill -9`` of build or next-year at several moments.

Afterwards every document present is whole (a zip python-docx opens), no destination folder is
half made, and the next run completes and removes the killed run's temporary files
(``.perfdoc-tmp-<pid>-*``).  The department is generated (benchmarks/generate.py) big enough
for a build to take a second or two, and the moment of each kill is chosen by watching the
output grow.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from disks import TMP_PREFIX, assert_documents_whole, leftovers

from perfdoc.load import load_department
from perfdoc.manifest import read_manifest

PROJECTS = 150  # 300 project documents and a 汇总表 of 150 projects


def _generate(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(folder, PROJECTS)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("big") / "2026-big")


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "perfdoc", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "perfdoc", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()`` is true; True when it was still running then."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if ready():
                break
        except OSError:
            pass
        time.sleep(0.002)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return running


def _count(folder: Path, suffix: str, since: float = 0.0) -> int:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return 0
    found = 0
    for name in names:
        if name.endswith(suffix) and not name.startswith(TMP_PREFIX):
            if not since or os.stat(folder / name).st_mtime > since:
                found += 1
    return found


def _assert_complete(folder: Path) -> None:
    """A finished build: 2 documents per project and the 汇总表, all whole, all in the manifest."""
    assert assert_documents_whole(folder) == 2 * PROJECTS + 1
    assert not leftovers(folder)
    present = {p.name for p in folder.iterdir() if p.name.endswith(".docx")}
    assert set(read_manifest(folder / ".perfdoc-build.json")) == present


# -- build -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("documents", [1, 120, 2 * PROJECTS])
def test_build_killed_then_rebuilt(big, tmp_path, documents):
    dep = shutil.copytree(big, tmp_path / big.name)
    folder = tmp_path / "out" / dep.name
    proc = _start("build", dep.name, "-o", "out", cwd=tmp_path)
    killed = _kill_when(proc, lambda: _count(folder, ".docx") >= documents)
    assert_documents_whole(tmp_path / "out")
    if killed:  # a temporary file the kill may have left behind
        (folder / f"{TMP_PREFIX}{proc.pid}-x.tmp").write_bytes(b"PK\x03\x04 half")
    r = _run("build", dep.name, "-o", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    _assert_complete(folder)


@pytest.mark.parametrize("documents", [1, 150])
def test_rebuild_killed_while_replacing_documents(big, tmp_path, documents):
    """Every document is being replaced (department.toml changed) when the build is killed."""
    dep = shutil.copytree(big, tmp_path / big.name)
    folder = tmp_path / "out" / dep.name
    assert _run("build", dep.name, "-o", "out", cwd=tmp_path).returncode == 0
    with open(dep / "department.toml", "a", encoding="utf-8") as fh:
        fh.write("# 改了一行注释：每个文档都要重写\n")
    start = time.time()
    time.sleep(0.05)
    proc = _start("build", dep.name, "-o", "out", cwd=tmp_path)
    _kill_when(proc, lambda: _count(folder, ".docx", since=start) >= documents)
    assert assert_documents_whole(folder) == 2 * PROJECTS + 1  # the old or the new, never half of one
    r = _run("build", dep.name, "-o", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    _assert_complete(folder)
    assert _run("build", dep.name, "-o", "out", cwd=tmp_path).stdout.startswith("没有变化")


# -- next-year ---------------------------------------------------------------------------------------

def _temporary(parent: Path) -> Path | None:
    """The folder a running next-year builds DST in: whatever appeared beside SRC that is not DST."""
    found = [p for p in parent.iterdir() if p.name not in ("2026-big", "2027-big")]
    return found[0] if found else None


def _files_in_temporary(parent: Path) -> int:
    tmp = _temporary(parent)
    return len(os.listdir(tmp)) if tmp is not None and tmp.is_dir() else 0


def _assert_rolled(dst: Path) -> None:
    loaded = load_department(dst)
    assert not loaded.fatal, [p.message for p in loaded.problems]
    assert loaded.departments[0].model.department.year == 2027
    assert len(loaded.projects) == PROJECTS


@pytest.mark.parametrize("files", [1, 75, PROJECTS + 1])
def test_next_year_killed_then_run_again(big, tmp_path, files):
    src = shutil.copytree(big, tmp_path / big.name)
    dst = tmp_path / "2027-big"
    proc = _start("next-year", src.name, dst.name, cwd=tmp_path)
    killed = _kill_when(proc, lambda: _files_in_temporary(tmp_path) >= files)
    if dst.exists():  # renamed into place before the kill: complete
        _assert_rolled(dst)
    else:
        assert not killed or _temporary(tmp_path).name.startswith(TMP_PREFIX)  # what the killed run left behind
        r = _run("next-year", src.name, dst.name, cwd=tmp_path)
        assert r.returncode == 0, r.stdout + r.stderr
        _assert_rolled(dst)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, dst.name])


def test_next_year_cleans_leftovers_beside_the_destination_only(big, tmp_path):
    """A dead run's temporary folder beside DST goes; a live run's stays; nothing else is touched."""
    src = shutil.copytree(big, tmp_path / big.name)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"{TMP_PREFIX}{dead.pid}-next-year-abc" / "半个.toml").parent.mkdir()
    (tmp_path / f"{TMP_PREFIX}{dead.pid}-next-year-abc" / "半个.toml").write_text("[project", "utf-8")
    (tmp_path / f"{TMP_PREFIX}1-next-year-running").mkdir()  # pid 1 is alive
    (tmp_path / "笔记.txt").write_text("别动", "utf-8")
    r = _run("next-year", src.name, "2027-big", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{TMP_PREFIX}1-next-year-running", "2026-big", "2027-big", "笔记.txt"])
