"""The CI runs every test: the tools the tests need are installed, and a missing one fails instead of skipping."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

import requires

CI_RUN = (ROOT / ".ci" / "run").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def test_ci_installs_git_and_requires_it():
    installs = re.search(r"apt-get install -y ([^&]+)&&", CI_RUN)
    assert installs, CI_RUN
    assert "git" in installs.group(1).split()
    assert re.search(r"^export PERFDOC_REQUIRE_GIT=1\b", CI_RUN, re.M)


def test_readme_test_command_installs_git():
    command = next(c for c in re.findall(r"```bash\n(.+?)\n```", README, re.S) if "pytest" in c)
    assert "apt-get install -y git " in command


def test_missing_git_skips_on_a_workstation(monkeypatch):
    monkeypatch.setattr(requires.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PERFDOC_REQUIRE_GIT", raising=False)
    with pytest.raises(pytest.skip.Exception):
        requires.need_git()


@pytest.mark.parametrize(("variable", "value"), [("CI", "true"), ("CI", "1"), ("PERFDOC_REQUIRE_GIT", "1")])
def test_missing_git_fails_under_ci(monkeypatch, variable, value):
    monkeypatch.setattr(requires.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PERFDOC_REQUIRE_GIT", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(pytest.fail.Exception):
        requires.need_git()


def test_git_present_runs(monkeypatch):
    monkeypatch.setattr(requires.shutil, "which", lambda name: "/usr/bin/git")
    monkeypatch.setenv("CI", "true")
    requires.need_git()  # neither skips nor fails
