"""Speed without a change in what perfdoc says or writes (issue 14).

Timing is measured by benchmarks/bench_district.py, never here.  These tests hold what the
speed-ups must keep: ``--version`` and ``--help`` import none of the heavy libraries; an
option value converted without pydantic is the value (or the error) Typer gives; ``build -j 1``
and ``build -j 2`` write the same bytes; a no-change build reports what the full build
reported, without loading the projects; findings and their positions are those of a full load.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT

MANIFEST = ".perfdoc-build.json"

#: Libraries a help page or the version must not import (each costs tens of milliseconds).
HEAVY = ("docx", "lxml", "jinja2", "pydantic", "pydantic_core", "rich", "tomli", "tomli_w")


def _imported(*args: str) -> set[str]:
    """The top-level packages ``python -X importtime -m perfdoc ARGS`` imports."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "perfdoc", *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    names = set()
    for line in r.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "perfdoc" in names  # the listing was read
    return names


# -- lazy imports ----------------------------------------------------------------------------------

def test_version_imports_no_heavy_library():
    assert _imported("--version") & set(HEAVY) == set()


def _commands() -> list[str]:
    import typer.main

    from perfdoc.cli import app

    return sorted(typer.main.get_command(app).commands)


@pytest.mark.parametrize("args", [["--help"]] + [[command, "--help"] for command in _commands()])
def test_help_imports_no_heavy_library(args):
    assert _imported(*args) & set(HEAVY) == set()


def test_every_command_has_its_help_checked():
    assert {"check", "build", "score", "init", "new", "diff", "import", "next-year", "schema", "textconv"} <= set(
        _commands())


# -- option values without pydantic ---------------------------------------------------------------

def _parse(command: str, args: list[str], *, light: bool):
    """The values ``perfdoc COMMAND ARGS`` gives its function, or the usage error, converted by
    perfdoc's light conversion or (``light=False``) by Typer's own."""
    import typer.main
    from typer._click.exceptions import ClickException

    from perfdoc.cli import app

    cmd = typer.main.get_command(app).commands[command]
    for param in cmd.params:
        if light:
            assert type(param._runtime_param).__name__ == "_LightParam"
        else:
            param._runtime_param = None  # Typer builds its own
    try:
        return cmd.make_context(command, list(args)).params
    except ClickException as exc:
        return ("error", type(exc).__name__, exc.format_message())


@pytest.mark.parametrize("args", [
    [], ["projects"], ["projects", "projects/2022-huacao", "no/such/folder"], ["-o", "out"], ["-o", "不存在/输出"],
    ["-j", "1"], ["-j", "64"], ["-j", "007"], ["-j", "0"], ["-j", "65"], ["-j", "-1"], ["-j", "+3"], ["-j", "abc"],
    ["-j", ""], ["-j", "１"], ["-j", "2.0"], ["-j", "99999999999999999999999"], ["--force", "--pdf", "-v"],
    ["-o", ""], ["projects", "-o", "README.md"],
])
def test_light_option_values_are_typers(args):
    assert _parse("build", args, light=True) == _parse("build", args, light=False)


def test_light_option_values_of_check_and_init_are_typers():
    for command, args in (("check", ["--ignore", "pd502", "projects"]), ("check", ["-f", "json"]), ("check", []),
                          ("check", ["-f", "xml"]), ("check", ["-f", "JSON"]), ("score", ["-f", "text"]),
                          ("init", ["新单位", "--year", "2027", "-n", "某单位"]),
                          ("init", ["--year", "二〇二七"])):
        assert _parse(command, args, light=True) == _parse(command, args, light=False), (command, args)


def test_an_unreadable_path_is_typers_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    locked = tmp_path / "锁住"
    locked.mkdir(mode=0o000)
    try:
        light = _parse("build", [str(locked)], light=True)
        assert light == _parse("build", [str(locked)], light=False)
        assert light[0] == "error"
    finally:
        locked.chmod(0o755)


# -- workers: the same bytes whatever their number ---------------------------------------------------

def _generate(folder: Path, count: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(folder, count, seed=seed)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path; of a manifest, its ``outputs`` only."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == MANIFEST:
                data = json.dumps(json.loads(data)["outputs"], sort_keys=True).encode()
            found[str(path.relative_to(folder))] = data
    return found


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """Three departments: two generated (14 and 9 projects, one project with errors), and 华漕."""
    root = tmp_path_factory.mktemp("district")
    _generate(root / "2026-甲", 14, seed=3)
    second = _generate(root / "2026-乙", 9, seed=4)
    bad = second / "项目0002.toml"
    bad.write_text(bad.read_text("utf-8").replace('level1 = "成本指标"', 'level1 = "成本"'), "utf-8")
    shutil.copytree(PROJECTS / "2022-huacao", root / "2022-huacao")
    return root


def run_pool(jobs):
    from perfdoc.pool import worker_pool

    return worker_pool(jobs)


@pytest.mark.parametrize("force", [False, True])
def test_one_and_two_workers_write_the_same_bytes(district, tmp_path, monkeypatch, force):
    from perfdoc.build import build, run

    assert 14 >= run.SMALL  # the big department is rendered by the workers
    pools = []
    monkeypatch.setattr(run, "worker_pool", lambda jobs: pools.append(jobs) or run_pool(jobs))
    results = {}
    for jobs in (1, 2):
        for paths in ([district / "2026-甲"], [district]):
            out = tmp_path / f"{jobs}-{len(paths[0].parts)}"
            result = build(paths, out, jobs=jobs, force=force)
            assert not result.errors
            results[jobs, len(paths[0].parts)] = (_files(out), [p.relative_to(out) for p in result.written],
                                                   sorted(result.refused), sorted(result.forced))
    assert pools == [2, 2]  # -j 1 runs in this process; -j 2 in two workers (the department, the district)
    for key in {k[1] for k in results}:
        assert results[1, key] == results[2, key]
    files, written, refused, forced = results[1, len(district.parts)]
    assert len(files) == (54 if force else 51)  # 29 + 19 (or 16: no 汇总表) + 3 documents, 3 manifests
    assert refused == ([] if force else [str(district / "2026-乙" / "项目0002.toml")])
    assert [str(w).split("/")[0] for w in written][:3] == ["2022-huacao"] * 3  # departments in order


# -- a no-change build loads nothing -------------------------------------------------------------------

def _build_cli(cwd: Path, *args: str) -> tuple[int, str, set[str]]:
    """``perfdoc build ARGS`` in ``cwd``: exit code, standard output, top-level packages imported."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "perfdoc", "build", *args], cwd=cwd, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=300)
    names = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in r.stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2}
    loaded = {"perfdoc.load.loader" for line in r.stderr.splitlines() if line.endswith("perfdoc.load.loader")}
    return r.returncode, r.stdout, names | loaded


def test_a_no_change_build_reports_the_last_findings_without_loading(tmp_path):
    shutil.copytree(PROJECTS / "2026-hongqiao", tmp_path / "2026-hongqiao")
    code, first, imported = _build_cli(tmp_path, "2026-hongqiao")
    assert code == 1 and "pydantic" in imported
    assert "docx" not in imported  # the built-in layout's documents are written without python-docx
    assert first.endswith("已写入 6 个文件到 out/；6 个项目因错误未生成（汇总表也未生成）。\n")
    code, again, imported = _build_cli(tmp_path, "2026-hongqiao")
    assert code == 1
    assert imported & {"pydantic", "docx", "lxml", "jinja2", "tomli", "perfdoc.load.loader"} == set()
    assert again.endswith("没有变化：out/ 中的 6 个文件都是最新的，未重写任何文件；6 个项目因错误未生成（汇总表也未生成）。\n")
    # the same refusals, with the same errors at the same places, as the build that loaded the files
    assert again.splitlines()[:-1] == first.splitlines()[:-1]
    assert "未生成 2026-hongqiao/区域化党建.toml：有 5 个错误（加 --force 可强制生成）" in again
    assert "2026-hongqiao/区域化党建.toml:61:8: 错误 PD303 三级指标“工作经费使用合规性”重复（第一次出现在第 55 行）" in again
    # --force makes documents of those projects: a full build
    code, forced, imported = _build_cli(tmp_path, "2026-hongqiao", "--force")
    assert code == 0 and "pydantic" in imported
    assert "已写入 13 个文件到 out/，6 个文件没有变化未重写。" in forced
    code, forced_again, imported = _build_cli(tmp_path, "2026-hongqiao", "--force")
    assert code == 0 and "pydantic" not in imported
    assert "没有变化：out/ 中的 19 个文件都是最新的，未重写任何文件。" in forced_again
    assert forced_again.count("仍已生成 ") == 6


@pytest.mark.parametrize("change, expected", [
    ("project", "已写入 3 个文件到 {out}/，6 个文件没有变化未重写。"),
    ("new project", "已写入 "),
    ("template", "已写入 9 个文件到 {out}/。"),
    ("output", "已写入 1 个文件到 {out}/，8 个文件没有变化未重写。"),
    ("output touched", None),  # the same bytes written again: hashed, found the same, no load
    ("manifest", "没有变化：{out}/ 中的 9 个文件都是最新的，未重写任何文件。"),
    ("cwd", "没有变化：{out}/ 中的 9 个文件都是最新的，未重写任何文件。"),
])
def test_any_change_means_a_full_build(tmp_path, change, expected):
    dep = shutil.copytree(PROJECTS / "2022-songjiang", tmp_path / "2022-songjiang")
    shutil.copytree(ROOT / "templates" / "shanghai", dep / "我的版式")
    toml = dep / "department.toml"
    toml.write_text(toml.read_text("utf-8").replace('template = "songjiang-2022"', 'template = "我的版式"'), "utf-8")
    assert 'template = "我的版式"' in toml.read_text("utf-8")
    out = tmp_path / "out"
    args = [str(dep), "-o", str(out), "--force"]
    assert _build_cli(tmp_path, *args)[0] == 0
    code, printed, imported = _build_cli(tmp_path, *args)
    assert code == 0 and "pydantic" not in imported and printed.startswith("没有变化：out/ 中的 9 个文件")
    where = tmp_path
    document = out / "2022-songjiang" / "业务培训-申报表.docx"
    if change == "project":
        project = dep / "业务培训.toml"
        project.write_text(project.read_text("utf-8") + "\n# 一行注释\n", "utf-8")
    elif change == "new project":
        shutil.copy(dep / "业务培训.toml", dep / "业务培训二.toml")
    elif change == "template":
        text = dep / "我的版式" / "texts" / "period.j2"
        text.write_text(text.read_text("utf-8") + "\n", "utf-8")
    elif change == "output":
        document.write_bytes(b"changed")
    elif change == "output touched":
        document.write_bytes(document.read_bytes())
    elif change == "manifest":
        manifest = out / "2022-songjiang" / MANIFEST
        data = json.loads(manifest.read_text("utf-8"))
        data["record"]["code"] = "0" * 64
        manifest.write_text(json.dumps(data), "utf-8")
    elif change == "cwd":
        where = dep / "我的版式"  # a template of that name would be found here first
    code, printed, imported = _build_cli(where, *args)
    assert code == 0, printed
    shown = "out" if where == tmp_path else str(out)
    if expected is None:
        assert "pydantic" not in imported and printed.startswith("没有变化：out/ 中的 9 个文件")
    else:
        assert "pydantic" in imported and printed.startswith(expected.format(out=shown)), printed


# -- positions only where a finding needs them ---------------------------------------------------------

def test_positions_are_found_only_for_files_with_findings(district, tmp_path):
    from perfdoc.check import run_checks
    from perfdoc.load import load_paths

    loaded = load_paths([district / "2026-乙"])
    result = run_checks(loaded.departments)
    with_findings = {p.file for p in result.problems}
    assert with_findings == {district / "2026-乙" / "项目0002.toml"}
    for project in loaded.projects:
        assert (project.source.positions._keys is not None) == (project.path in with_findings), project.path
    assert [(p.line, p.col, p.code) for p in result.problems] == [(25, 1, "PD301"), (26, 10, "PD302")]


def test_positions_found_later_are_those_of_a_full_scan():
    from perfdoc.load.positions import positions_of, scan_keys

    texts = [p.read_text("utf-8") for p in sorted(ROOT.glob("projects/*/*.toml"))]
    texts += [p.read_text("utf-8", errors="replace") for p in sorted((ROOT / "tests").rglob("*.toml"))]
    assert len(texts) > 100
    for text in texts:
        full, _ = scan_keys(text)
        assert positions_of(text).keys == full.keys


# -- documents: the same bytes with the reference's entries compressed once ---------------------------------

@pytest.mark.parametrize("template", ["shanghai", "songjiang-2022", "huacao-2022"])
@pytest.mark.parametrize("page_numbers", ["none", "center", "outside"])
def test_entries_compressed_once_give_the_bytes_zipfile_writes(template, page_numbers):
    from perfdoc.render import document
    from perfdoc.render.template import find_template

    reference = find_template(template).reference
    skeleton = document._skeleton(reference)
    assert skeleton.deflated() is not None  # this Python's zipfile: the entries are compressed once
    parts = ['<w:p><w:r><w:t>汇总表</w:t></w:r></w:p>'] * 3
    made = document.render_bytes(reference, parts, title="标题", subject="单位", page_numbers=page_numbers)
    saved, skeleton._deflated = skeleton._deflated, None  # every entry compressed by zipfile itself
    try:
        plain = document.render_bytes(reference, parts, title="标题", subject="单位", page_numbers=page_numbers)
    finally:
        skeleton._deflated = saved
    assert made == plain


def test_a_check_of_errors_only_finds_the_errors_of_a_full_check(tmp_path):
    """What build asks of check: the error-level problems only, after [check] severity and the
    suppression comments, at the same places; the other findings are never placed."""
    from perfdoc.check import run_checks
    from perfdoc.load import load_paths
    from perfdoc.model import Severity

    dep = shutil.copytree(PROJECTS / "2026-hongqiao", tmp_path / "2026-hongqiao")
    toml = dep / "department.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[check]\nseverity = { PD401 = "error", PD301 = "warning" }\n',
                    "utf-8")
    project = dep / "区域化党建.toml"
    first, second = project.read_text("utf-8").rsplit('name = "工作经费使用合规性"\n', 1)  # the repeated one
    project.write_text(first + 'name = "工作经费使用合规性"  # perfdoc: ignore PD303 原表如此\n' + second, "utf-8")
    for paths in ([dep], [PROJECTS]):
        loaded = load_paths(paths)
        errors = run_checks(loaded.departments, errors_only=True).problems
        full = run_checks(load_paths(paths).departments).problems
        assert errors == [p for p in full if p.severity is Severity.ERROR]
        assert all(p.severity is Severity.ERROR for p in errors)
    codes = [p.code for p in run_checks(load_paths([dep]).departments, errors_only=True).problems]
    assert "PD401" in codes and "PD301" not in codes  # levels as the department set them
    assert codes.count("PD303") == 9  # one of the ten silenced by its comment
