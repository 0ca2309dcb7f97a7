"""Failing disks: a full disk, a read-only folder, no permission, standard output full or closed.

Each ends with exit code 2 and one Chinese line naming the file (for a closed pipe: quietly),
no traceback, no half-written document and no temporary file left behind.  The full and the
read-only disk are small tmpfs mounts (root only; skipped with the reason elsewhere).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import PROJECTS, ROOT, run_cli
from disks import assert_documents_whole, leftovers, snapshot, tmpfs

from perfdoc.cli.framework import PerfdocGroup, PerfdocTyper
from perfdoc.fsutil import atomic_write_bytes


def _no_traceback(r) -> None:
    assert "Traceback" not in r.stdout + r.stderr and "Exception ignored" not in r.stderr, r.stderr


@pytest.fixture
def work(tmp_path) -> Path:
    for name in ("2022-huacao", "2022-songjiang", "2026-hongqiao"):
        shutil.copytree(PROJECTS / name, tmp_path / "projects" / name)
    return tmp_path


# -- a full disk ---------------------------------------------------------------------------------

def test_build_onto_a_full_disk(work):
    with tmpfs(work / "满", "100k") as disk:
        before = snapshot(work / "projects")
        r = run_cli("build", "projects/2026-hongqiao", "--force", "-o", "满", cwd=work)
        _no_traceback(r)
        assert r.returncode == 2, r.stdout + r.stderr
        [line] = [ln for ln in r.stderr.splitlines() if ln.startswith("perfdoc: ")]
        assert line.startswith("perfdoc: 无法写入 满/2026-hongqiao/") and line.endswith("：磁盘已满（ENOSPC）"), line
        folder = disk / "2026-hongqiao"
        written = assert_documents_whole(folder)
        assert written >= 1
        assert not leftovers(disk)
        # the manifest, if there was room for it, names only the documents that are there
        manifest = folder / ".perfdoc-build.json"
        if manifest.exists():
            names = set(json.loads(manifest.read_text("utf-8"))["outputs"])
            assert names <= {p.name for p in folder.iterdir()}
        assert snapshot(work / "projects") == before


def test_diff_report_onto_a_full_disk(work):
    with tmpfs(work / "满", "16k") as disk:
        r = run_cli("diff", "projects/2022-songjiang", "projects/2026-hongqiao", "--docx", "满/报告.docx", cwd=work)
        _no_traceback(r)
        assert r.returncode == 2
        assert r.stderr == "perfdoc: 无法写入 满/报告.docx：磁盘已满（ENOSPC）\n"
        assert list(disk.iterdir()) == []


def test_next_year_onto_a_full_disk_leaves_nothing(work):
    with tmpfs(work / "满", "16k") as disk:
        r = run_cli("next-year", "projects/2026-hongqiao", "满/2027-hongqiao", cwd=work)
        _no_traceback(r)
        assert r.returncode == 2
        assert "perfdoc: 无法创建 满/2027-hongqiao：磁盘已满（ENOSPC）" in r.stderr and "未留下任何文件" in r.stderr
        assert list(disk.iterdir()) == []


# -- a read-only folder, no permission -------------------------------------------------------------

def test_read_only_disk(work):
    with tmpfs(work / "只读", "100k", ro=True) as disk:
        for args, message in (
            (["build", "projects/2022-huacao", "--force", "-o", "只读"],
             "perfdoc: 无法写入 只读/2022-huacao：所在的文件系统是只读的（EROFS）\n未写入任何文件。\n"),
            (["init", "只读/新单位"], "perfdoc: 无法写入 只读/新单位：所在的文件系统是只读的（EROFS）\n"),
            (["new", "新项目", "--dir", "只读"], "perfdoc: 无法写入 只读/新项目.toml：所在的文件系统是只读的（EROFS）\n"),
            (["diff", "projects/2022-huacao", "projects/2022-songjiang", "--docx", "只读/报告.docx"],
             "perfdoc: 无法写入 只读/报告.docx：所在的文件系统是只读的（EROFS）\n"),
        ):
            r = run_cli(*args, cwd=work)
            _no_traceback(r)
            assert (r.returncode, r.stderr) == (2, message), args
        assert list(disk.iterdir()) == []


def _as_nobody() -> list[str]:
    """The words that run a command as the user nobody (root ignores a folder's mode), or skip."""
    if os.geteuid() != 0:
        return []
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        probe = subprocess.run([*command, sys.executable, "-c", "pass"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot run Python as nobody: {exc}")
    if probe.returncode != 0:
        pytest.skip(f"cannot run Python as nobody: {probe.stderr.decode(errors='replace').strip()}")
    return command


def test_no_permission_to_write_the_output_folder():
    base = Path(tempfile.mkdtemp(prefix="perfdoc-perm-"))
    try:
        os.chmod(base, 0o755)
        shutil.copytree(PROJECTS / "2022-huacao", base / "2022-huacao")
        (base / "锁住").mkdir()
        os.chmod(base / "锁住", 0o555)
        nobody = _as_nobody()
        if not nobody and os.access(base / "锁住", os.W_OK):
            pytest.skip("this user can write into a folder of mode 0555")
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1", HOME=str(base),
                   PYTHONPATH=str(ROOT))
        r = subprocess.run([*nobody, sys.executable, "-m", "perfdoc", "build", "2022-huacao", "--force", "-o", "锁住"],
                           cwd=base, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
        _no_traceback(r)
        assert (r.returncode, r.stderr) == (2, "perfdoc: 无法写入 锁住/2022-huacao：没有权限（EACCES）\n未写入任何文件。\n")
        assert list((base / "锁住").iterdir()) == []
    finally:
        os.chmod(base / "锁住", 0o755)
        shutil.rmtree(base)


# -- standard output full, closed, or read by nobody ----------------------------------------------

def _perfdoc(args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``perfdoc ARGS`` through a shell, for redirections."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.run(f"{sys.executable} -m perfdoc {args}", shell=True, cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.mark.parametrize("args", ["check projects", "check projects --format json", "schema",
                                  "score projects", "diff projects/2022-songjiang projects/2026-hongqiao",
                                  "--help"])
def test_standard_output_on_a_full_disk(work, args):
    r = _perfdoc(f"{args} > /dev/full", work)
    assert (r.returncode, r.stderr) == (2, "perfdoc: 无法写出结果（标准输出）：磁盘已满（ENOSPC）\n")


def test_build_with_standard_output_on_a_full_disk_still_builds(work):
    r = _perfdoc("build projects/2022-huacao --force -o out -v > /dev/full", work)
    assert (r.returncode, r.stderr) == (2, "perfdoc: 无法写出结果（标准输出）：磁盘已满（ENOSPC）\n")
    assert assert_documents_whole(work / "out") == 3


def test_textconv_with_standard_output_on_a_full_disk(work):
    assert _perfdoc("build projects/2022-huacao --force -o out", work).returncode == 0
    r = _perfdoc("textconv out/2022-huacao/2022年度项目绩效目标汇总表.docx > /dev/full", work)
    assert (r.returncode, r.stderr) == (2, "perfdoc: 无法写出结果（标准输出）：磁盘已满（ENOSPC）\n")


@pytest.mark.parametrize("args", ["check projects", "build projects --force -v", "schema"])
def test_standard_output_read_by_nobody(work, args):
    """``perfdoc … | head -0``: the reader has gone before perfdoc writes; it ends quietly."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "perfdoc", *args.split()], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=300) == 1
    assert stderr == ""


def test_standard_output_closed(work):
    r = _perfdoc("check projects >&-", work)
    _no_traceback(r)
    assert (r.returncode, r.stderr) == (1, "")
    r = _perfdoc("build projects/2022-huacao --force -o out >&- 2>&-", work)
    assert r.returncode == 0
    assert assert_documents_whole(work / "out") == 3


# -- the writer and the CLI frame ------------------------------------------------------------------

def test_a_failed_write_leaves_no_temporary_file_and_names_the_file(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "文档.docx"
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(target, b"PK" * 1000)
    assert caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_an_os_error_no_command_caught_is_one_chinese_line(capsys):
    app = PerfdocTyper(name="perfdoc", cls=PerfdocGroup)

    @app.callback()
    def root():
        """根。"""

    @app.command("boom")
    def boom():
        """读文件。"""
        raise PermissionError(errno.EACCES, "Permission denied", "某文件.txt")

    with pytest.raises(SystemExit) as done:
        app(["boom"], prog_name="perfdoc")
    assert done.value.code == 2
    assert capsys.readouterr().err == "perfdoc: 某文件.txt：没有权限（EACCES）\n"
