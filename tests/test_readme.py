"""README.md stays true: the CI runs its test command, and it lists every check code."""

import re

from conftest import ROOT

from perfdoc.check import RULES

README = (ROOT / "README.md").read_text("utf-8")


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```bash\n(.+?)\n```", README, re.S)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text("utf-8")


def test_readme_lists_every_rule():
    for rule in RULES:
        assert f"| {rule.code} | {rule.name} |" in README, rule.code
