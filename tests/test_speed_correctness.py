"""Speed without a change in what perfdoc says or writes (issue 14).

Timing is measured by benchmarks/bench_district.py, never here.  These tests hold what the
speed-ups must keep: ``--version`` and ``--help`` import none of the heavy libraries; an
option value converted without pydantic is the value (or the error) Typer gives; ``build -j 1``
and ``build -j 2`` write the same bytes; a no-change build reports what the full build
reported, without loading the projects; findings and their positions are those of a full load.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

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


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["build", "--help"], ["score", "--help"],
                                  ["init", "--help"], ["new", "--help"], ["diff", "--help"], ["import", "--help"],
                                  ["next-year", "--help"], ["schema", "--help"], ["textconv", "--help"]])
def test_help_imports_no_heavy_library(args):
    assert _imported(*args) & set(HEAVY) == set()


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
    for command, args in (("check", ["--ignore", "pd502", "projects"]), ("check", ["-f", "json"]),
                          ("check", ["-f", "xml"]), ("init", ["新单位", "--year", "2027", "-n", "某单位"]),
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
