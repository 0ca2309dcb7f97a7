"""Hostile templates, attachments and Word files (tests/bad_inputs/cases.toml, ``[[run]]``).

Each case prepares a department in a temporary folder (tests/bad_inputs/untrusted/base,
the valid project file, the built-in template copied as 2026-测试/版式, the case's own
files from untrusted/<name>/, and what cannot be committed made by ``_generate``),
runs ``python -m perfdoc <args>`` there and checks the promise of issue 11: the
expected exit code, a Chinese message (at ``file:line`` where there is one), no
traceback, in bounded time, no input changed and nothing written outside out/.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx_samples import billion_laughs, encrypted_zip, ole, package, zip_bomb

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "bad_inputs"
UNTRUSTED = CORPUS / "untrusted"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["run"]
TIMEOUT = 60  # seconds: every case ends long before (a loop bomb stops after 3 s)

_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>错误|警告) (?P<code>PD\d{3}) (?P<message>.*)$")


# -- preparing a case ------------------------------------------------------------------------

def _valid_docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("附件：名单")
    document.save(str(path))


def _generate(spec: str, cwd: Path) -> None:
    kind, _, rest = spec.partition(":")
    name, _, target = rest.partition(":")
    path = cwd / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "valid":
        _valid_docx(path)
    elif kind == "bomb":
        path.write_bytes(zip_bomb(60))
    elif kind == "laughs":
        path.write_bytes(package(document=billion_laughs()))
    elif kind == "no_body":
        path.write_bytes(package(document='<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                          'wordprocessingml/2006/main"/>'))
    elif kind == "doc":
        path.write_bytes(ole(["Root Entry", "WordDocument", "1Table"]))
    elif kind == "encrypted":
        path.write_bytes(ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "sparse":
        with open(path, "wb") as f:
            f.truncate(300 * 1024 * 1024)
    elif kind == "secret":
        path.write_text("机密：口令是 hunter2\n", "utf-8")
    elif kind == "symlink":
        path.symlink_to(target)
    else:  # pragma: no cover - a typo in cases.toml
        raise ValueError(f"unknown generator {kind!r}")


def _prepare(case: dict, cwd: Path) -> None:
    shutil.copytree(UNTRUSTED / "base", cwd)
    dep = cwd / "2026-测试"
    shutil.copy(CORPUS / "valid" / "测试项目.toml", dep / "测试项目.toml")
    shutil.copytree(REPO / "templates" / "shanghai", dep / "版式")
    own = UNTRUSTED / case["name"]
    if own.is_dir():
        shutil.copytree(own, cwd, dirs_exist_ok=True)
    for spec in case.get("generate", []):
        _generate(spec, cwd)


def _snapshot(cwd: Path) -> dict[str, object]:
    """Every entry under ``cwd`` except out/: a hash for a regular file, the target for a link,
    the kind otherwise (a FIFO or a device is never opened)."""
    found: dict[str, object] = {}
    for root, dirs, files in os.walk(cwd):
        rel_root = Path(root).relative_to(cwd)
        if rel_root == Path("."):
            dirs[:] = [d for d in dirs if d != "out"]
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            key = str(rel_root / name)
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[key] = ("file", info.st_size, hashlib.sha256(path.read_bytes()).hexdigest()
                              if info.st_size < 50 * 1024 * 1024 else info.st_mtime_ns)
            else:
                found[key] = ("other", stat.S_IFMT(info.st_mode))
    return found


# -- running ---------------------------------------------------------------------------------

@dataclass
class Run:
    cwd: Path
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    before: dict
    after: dict

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _run(case: dict, cwd: Path) -> Run:
    before = _snapshot(cwd)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "perfdoc", *case["args"]], cwd=cwd, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = None, str(exc.stdout or ""), str(exc.stderr or "")
    return Run(cwd, code, out, err, time.monotonic() - started, before, _snapshot(cwd))


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("run")
    jobs = {}
    for case in CASES:
        cwd = base / case["name"]
        _prepare(case, cwd)
        jobs[case["name"]] = (case, cwd)
    with ThreadPoolExecutor(max_workers=max(2, min(6, (os.cpu_count() or 2) * 2))) as pool:
        futures = {name: pool.submit(_run, case, cwd) for name, (case, cwd) in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


# -- the cases --------------------------------------------------------------------------------

def test_cases_are_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)) and len(names) >= 30
    for case in CASES:
        assert case["exit"] in (1, 2), case["name"]
        assert re.search(r"[\u4e00-\u9fff]", case["message"]), case["name"]
        assert ("line" in case) == ("where" in case), case["name"]
    own = {p.name for p in UNTRUSTED.iterdir() if p.is_dir()} - {"base"}
    assert own <= set(names), f"folders without a case: {own - set(names)}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_untrusted_input(case, results):
    run = results[case["name"]]
    context = f"\n$ perfdoc {' '.join(case['args'])}  (cwd {run.cwd})\n{run.output[:4000]}"
    assert run.returncode is not None, f"no answer within {TIMEOUT} s" + context
    assert "Traceback" not in run.output, context
    assert run.returncode == case["exit"], context
    assert case["message"] in run.output, f"expected “{case['message']}”" + context
    if "line" in case:
        prefix = f"{case['where']}:{case['line']}:"
        lines = [ln for ln in run.output.splitlines() if prefix in ln]
        assert any(case["message"] in ln for ln in lines), f"expected {prefix} … {case['message']}" + context
        if "code" in case:
            problems = [m for ln in run.stdout.splitlines() if (m := _PROBLEM.match(ln))]
            assert any(p["file"] == case["where"] and int(p["line"]) == case["line"] and p["code"] == case["code"]
                       for p in problems), f"expected {prefix} 错误 {case['code']}" + context
    # nothing but out/ was written, and no input was changed (not even a FIFO opened for writing)
    assert run.after == run.before, context
    for name in case.get("absent", []):
        assert not (run.cwd / name).exists(), f"{name} was created: the template ran code" + context
    assert "hunter2" not in run.output, "a secret outside the folders was printed" + context


def test_refused_templates_write_nothing(results):
    """A template that cannot be used is refused before anything is built: no out/ at all."""
    for case in CASES:
        if case["args"][0] == "build" and case.get("code") in ("PD008", "PD009"):
            assert not (results[case["name"]].cwd / "out").exists(), case["name"]


def test_the_base_department_builds(tmp_path):
    """Each case is the base with one thing broken: the base itself builds, attachment and all."""
    case = {"name": "base", "generate": ["valid:2026-测试/附件/目录.docx"]}
    _prepare(case, tmp_path / "base")
    dep = tmp_path / "base" / "2026-测试"
    toml = dep / "department.toml"
    toml.write_text('attachments = ["附件/目录.docx"]\n' + toml.read_text("utf-8"), "utf-8")
    run = _run({"args": ["build", "2026-测试", "-o", "out"]}, tmp_path / "base")
    assert run.returncode == 0, run.output
    summary = tmp_path / "base" / "out" / "2026-测试" / "2026年度项目绩效目标汇总表.docx"
    assert [p.text for p in docx.Document(str(summary)).paragraphs][-1] == "附件：名单"
