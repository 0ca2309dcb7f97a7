"""Broken inputs: `perfdoc check` reports each one as ``path:line:col: 错误 CODE 消息`` and exits 1 or 2.

The corpus is tests/bad_inputs/: one file or folder per case, described in
tests/bad_inputs/cases.toml (path, expected exit code, code, line and a Chinese
substring of the message).  Inputs that cannot be committed as text (10 MB,
binary, GBK, .docx) are written to a temporary folder by ``_generate`` below.

The CLI runs once per case in a subprocess; the runs are started together
(a thread pool) by one module-scoped fixture, so the file stays fast.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from perfdoc.load import load_department, load_paths, load_project_text
from perfdoc.model import Severity

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "bad_inputs"
VALID = CORPUS / "valid" / "测试项目.toml"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]

#: English leaking into a Chinese message (pydantic / tomli text passed through).
_ENGLISH = re.compile(r"\b(or|and|should|Input|Value error|Field required|Invalid|Expected|Unclosed|Illegal)\b"
                      r"|而不是\s*(date|time|datetime|str|int|float|dict|list|Decimal|NoneType)\b")
_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>错误|警告) (?P<code>PD\d{3}) (?P<message>.*)$")


# -- generated inputs -----------------------------------------------------------

# A minimal PNG: signature, IHDR, IDAT, IEND (the NUL bytes make it binary).
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a2dd5b7d0000000049454e44ae426082"
)


def _generate(kind: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = VALID.read_text("utf-8")
    if kind == "nothing":
        return  # the path must not exist
    if kind == "png":
        path.write_bytes(_PNG)
    elif kind == "gbk":
        path.write_bytes(text.encode("gbk"))
    elif kind == "huge":
        big = "很长的文字" * (10 * 1024 * 1024 // 15 + 1)  # 5 characters, 15 bytes in UTF-8
        path.write_text(text.replace('overall = "完成年度工作任务。"', f'overall = "{big}"'), "utf-8")
        assert path.stat().st_size > 10 * 1024 * 1024
    elif kind == "nul":
        lines = text.splitlines(keepends=True)
        lines[19] = lines[19].replace("年度", "年\x00度")
        path.write_text("".join(lines), "utf-8")
    elif kind == "docx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types/>')
            z.writestr("word/document.xml", "<w:document>测试项目</w:document>")
    else:  # pragma: no cover - a typo in cases.toml
        raise ValueError(f"unknown generator {kind!r}")


# -- running the CLI ------------------------------------------------------------

@dataclass
class Run:
    cwd: Path
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def problems(self) -> list[dict]:
        found = []
        for line in self.stdout.splitlines():
            m = _LINE.match(line)
            if m:
                found.append(m.groupdict())
        return found


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("NO_COLOR", None)
    return env


def run_check(cwd: Path, *args: str) -> Run:
    cmd = [sys.executable, "-m", "perfdoc", "check", *args]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=_env(), timeout=120)
    return Run(cwd, list(args), proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, Run]:
    """Run `perfdoc check` once per case, several at a time."""
    generated = tmp_path_factory.mktemp("generated")
    jobs = {}
    for case in CASES:
        if "generate" in case:
            cwd = generated / case["name"]
            cwd.mkdir()
            _generate(case["generate"], cwd / case["path"])
        else:
            cwd = CORPUS
        jobs[case["name"]] = (cwd, case["path"])
    with ThreadPoolExecutor(max_workers=max(2, min(8, (os.cpu_count() or 2) * 2))) as pool:
        futures = {name: pool.submit(run_check, cwd, path) for name, (cwd, path) in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def _param(case: dict):
    marks = []
    if "xfail" in case:
        marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
    return pytest.param(case, id=case["name"], marks=marks)


# -- the corpus -----------------------------------------------------------------

def test_corpus_is_big_enough():
    assert len(CASES) >= 35
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names in cases.toml"
    for case in CASES:
        assert case["exit"] in (1, 2), case["name"]
        assert re.fullmatch(r"PD\d{3}", case["code"]), case["name"]
        assert re.search(r"[\u4e00-\u9fff]", case["message"]), f"{case['name']}: message substring must be Chinese"
        if "generate" not in case:
            assert (CORPUS / case["path"]).exists(), case["path"]


def test_every_corpus_file_is_a_case():
    listed = {Path(c["path"]) for c in CASES if "generate" not in c}
    for path in sorted((CORPUS / "projects").iterdir()):
        assert path.relative_to(CORPUS) in listed, f"{path.name} is not in cases.toml"


def test_valid_base_is_clean():
    """Every case is the valid base with one thing broken, so the base itself must pass."""
    run = run_check(CORPUS, str(VALID.relative_to(CORPUS)))
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(case, results):
    run = results[case["name"]]
    where = case.get("where", case["path"])
    context = f"\n$ perfdoc check {case['path']}  (cwd {run.cwd})\n{run.output[:4000]}"
    assert "Traceback" not in run.output, context
    assert run.returncode != 0, "a broken input passed the check" + context
    assert run.returncode in (1, 2), context
    problems = run.problems()
    assert problems, "no `path:line:col: 错误 CODE 消息` line" + context
    for p in problems:  # every message is Chinese, with no English leaking through
        assert re.search(r"[\u4e00-\u9fff]", p["message"]), context
        assert not _ENGLISH.search(p["message"]), f"English in message: {p['message']}" + context
    at_line = [p for p in problems if p["file"] == where and int(p["line"]) == case["line"]]
    assert any(p["code"] == case["code"] for p in at_line), \
        f"expected {where}:{case['line']}: {case['code']}" + context
    assert any(p["code"] == case["code"] and case["message"] in p["message"] for p in at_line), \
        f"expected “{case['message']}” in the message" + context
    assert run.returncode == case["exit"], context
    _assert_excerpt(run, where, case["line"], context)


def _assert_excerpt(run: Run, where: str, line: int, context: str) -> None:
    """Under ``where:line:col:`` the text output quotes that line of the file (when it is text)."""
    try:
        source = (run.cwd / where).read_bytes().decode("utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return
    if not 1 <= line <= len(source) or "\x00" in source[line - 1]:
        return
    expected = source[line - 1].removesuffix("\r").replace("\t", " ")
    out = run.stdout.split("\n")
    for i, text in enumerate(out[:-1]):
        if text.startswith(f"{where}:{line}:"):
            gutter = f"{line:>5} | "
            assert out[i + 1].startswith(gutter), context
            quoted = out[i + 1][len(gutter):]
            assert quoted == expected[:160] + ("…" if len(expected) > 160 else ""), context
            return


def test_all_cases_at_once():
    """All committed project files on one command line: each reported, none hides another.

    (Known defects, the xfail cases, are left out: a crash in one would fail this test too.)
    """
    paths = [c["path"] for c in CASES
             if "generate" not in c and "xfail" not in c and c["path"].startswith("projects/")]
    run = run_check(CORPUS, *paths)
    assert "Traceback" not in run.output, run.output
    assert run.returncode == 2  # some are unusable
    reported = {p["file"] for p in run.problems()}
    assert reported == set(paths)


# -- accepted inputs ------------------------------------------------------------

def test_utf8_bom_is_accepted(tmp_path):
    """Windows Notepad writes a BOM; an otherwise valid file must pass."""
    (tmp_path / "测试项目.toml").write_bytes(b"\xef\xbb\xbf" + VALID.read_bytes())
    run = run_check(tmp_path, "测试项目.toml")
    assert run.returncode == 0, run.output
    assert "未发现问题" in run.stdout


def test_utf8_bom_in_department_folder(tmp_path):
    dep = tmp_path / "2026-测试"
    dep.mkdir()
    (dep / "department.toml").write_bytes(
        '\ufeff[department]\nname = "测试单位"\nauthority = "测试主管部门"\nyear = 2026\n'.encode("utf-8"))
    (dep / "测试项目.toml").write_bytes(b"\xef\xbb\xbf" + VALID.read_bytes())
    run = run_check(tmp_path, "2026-测试")
    assert run.returncode == 0, run.output


def test_bom_file_problems_keep_their_line(tmp_path):
    """A BOM does not shift lines or columns."""
    text = (CORPUS / "projects" / "amount_negative.toml").read_bytes()
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + text)
    run = run_check(tmp_path, "bom.toml")
    assert run.returncode == 2
    assert "bom.toml:12:15: 错误 PD002" in run.stdout, run.stdout


# -- JSON output ----------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "projects/syntax_missing_equals.toml",
    "projects/amount_garbage_string.toml",
    "projects/unknown_key_anual.toml",
    "folders/no_department",
    "不存在.toml",
])
def test_json_output_is_valid(path):
    run = run_check(CORPUS, "--format", "json", path)
    assert "Traceback" not in run.output
    assert run.returncode in (1, 2)
    doc = json.loads(run.stdout)
    assert doc["problems"], doc
    assert doc["summary"]["problems"] == len(doc["problems"])
    for p in doc["problems"]:
        assert set(p) >= {"file", "line", "col", "code", "severity", "message"}
        assert isinstance(p["line"], int) and p["line"] >= 1
        assert re.fullmatch(r"PD\d{3}", p["code"])


def test_json_output_binary_input(tmp_path):
    _generate("png", tmp_path / "图片.toml")
    run = run_check(tmp_path, "--format", "json", "图片.toml")
    assert run.returncode == 2
    doc = json.loads(run.stdout)
    assert [p["code"] for p in doc["problems"]] == ["PD005"]


# -- the loader API ---------------------------------------------------------------

def test_load_department_given_a_project_file():
    result = load_department(CORPUS / "valid" / "测试项目.toml")
    assert result.fatal and not result.departments
    [p] = result.problems
    assert (p.code, p.line) == ("PD006", 1)
    assert "而不是一个文件" in p.message


def test_load_department_folder_without_department_toml():
    result = load_department(CORPUS / "folders" / "no_department")
    assert [p.code for p in result.problems] == ["PD006"]
    assert "没有 department.toml" in result.problems[0].message


def test_load_department_missing_path(tmp_path):
    result = load_department(tmp_path / "没有这个文件夹")
    assert [p.code for p in result.problems] == ["PD006"]
    assert "路径不存在" in result.problems[0].message


def test_load_paths_mixed():
    """A good folder next to bad inputs still loads; every bad input is reported."""
    result = load_paths([CORPUS / "folders" / "year_mismatch", CORPUS / "other" / "项目说明.txt",
                         CORPUS / "不存在"])
    assert len(result.projects) == 1
    assert sorted(p.code for p in result.problems) == ["PD005", "PD006"]


def test_load_project_text_10mb_string():
    """Text past MAX_FILE_BYTES never reaches a file check here; the field limit catches it."""
    text = VALID.read_text("utf-8").replace('overall = "完成年度工作任务。"', f'overall = "{"长" * 10_000_000}"')
    model, problems = load_project_text(text)
    assert model is None
    [p] = problems
    assert (p.code, p.line) == ("PD002", 20)
    assert "文字过长" in p.message


def test_load_project_text_unknown_key_is_a_warning():
    text = (CORPUS / "projects" / "unknown_key_funding.toml").read_text("utf-8")
    model, problems = load_project_text(text)
    assert model is not None
    [p] = problems
    assert p.code == "PD004" and p.severity is Severity.WARNING and not p.fatal
    assert p.line == 17


# -- amounts with an explicit unit, unreadable files ------------------------------------

def _funding_in_wan(value: str) -> str:
    text = VALID.read_text("utf-8")
    return text.replace("[funding]\n", '[funding]\nunit = "万元"\n', 1).replace("total = 100000", f"total = {value}", 1)


def test_amount_yuan_suffix_in_wan_table():
    """unit = "万元", but "290000元" says 元: never read as 290000 万元 (29 亿元)."""
    project, problems = load_project_text(_funding_in_wan('"290000元"'))
    if project is not None:  # either refused, or read as what it says: 290000 元
        assert project.model.funding.total.yuan == 290000, project.model.funding.total


def test_amount_wan_suffix_in_wan_table():
    project, problems = load_project_text(_funding_in_wan('"29.2万元"'))
    assert project is not None, [p.message for p in problems]
    assert project.model.funding.total.yuan == 292000


def test_unreadable_file_message_is_chinese(tmp_path, monkeypatch):
    path = tmp_path / "项目.toml"
    path.write_text(VALID.read_text("utf-8"), "utf-8")

    real_open = os.open

    def denied(name, *args, **kwargs):  # the loader opens with os.open (non-blocking, size-capped)
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = load_paths([path])
    [p] = result.problems
    assert p.code == "PD005"
    assert not re.search(r"[A-Za-z]{4,}", p.message), p.message
