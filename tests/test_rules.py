"""Every check rule against its pass/fail cases in tests/rules/PDxxx.toml.

A case file holds ``[[case]]`` tables; each case edits the shared base project
(tests/rules/_base.toml, a valid 2026 project that passes every rule) or gives
a whole project text, and says whether the file's rule must pass, or at which
lines it must report::

    [[case]]
    name = "年度金额不等于各项之和"          # unique in the file; shown in failure messages
    pass = false
    replace = [["annual_carryover = 0", "annual_carryover = 5000"]]  # each old text must occur once
    append = '''...'''                       # added after the (edited) text, from a new line
    # project = '''...'''                    # instead of the base text
    department_year = 2025                   # year in department.toml (default: _department.toml)
    profile = "central-101"                  # [check] profile in department.toml (default: shanghai)
    # department = false                     # load the project alone, without department.toml
    lines = [18]                             # lines where the rule reports (failing cases)
    # xfail = "why"                          # a known bug in the rule: the case states what is right

Line numbers are those of the edited text (the base file's numbers, shifted by
the edits; appended text starts on the line after the base's last line).
Every case must load without any load problem (PD0xx), so that a typo in a
case cannot pass for a rule finding.  An ``xfail`` case is strict: it must
fail, and only by the rule's findings (a broken case still fails).  Test ids
are ``PD104-03-fail`` (file, case number, expected outcome): run one with
``pytest tests/test_rules.py -k PD104-03``.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import tomli

from perfdoc.check import RULES, check_departments
from perfdoc.load import DEPARTMENT_FILE, load_paths, load_project_text
from perfdoc.model import DepartmentFolder

RULES_DIR = Path(__file__).parent / "rules"
BASE = (RULES_DIR / "_base.toml").read_text(encoding="utf-8")
DEPARTMENT = (RULES_DIR / "_department.toml").read_text(encoding="utf-8")
PROJECT_FILE = "项目.toml"


class RuleMismatch(AssertionError):
    """The rule's findings differ from the case: the only failure an ``xfail`` case may have.

    A broken case (a replace text not found, a load problem) is a plain
    AssertionError and fails the test even when the case is marked xfail.
    """


CASE_KEYS = {"name", "pass", "replace", "append", "project", "department_year", "department", "profile", "lines",
             "xfail"}


def _case_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(RULES_DIR.glob("PD*.toml"))}


def _read_cases(path: Path) -> list[dict]:
    with path.open("rb") as f:
        data = tomli.load(f)
    assert set(data) == {"case"}, f"{path.name}: only [[case]] tables are allowed, found {sorted(data)}"
    return data["case"]


def _params():
    params = []
    for code, path in _case_files().items():
        for i, case in enumerate(_read_cases(path), start=1):
            marks = []
            if "xfail" in case:
                reason = f"{code} {case.get('name')}: {case['xfail']}"
                marks.append(pytest.mark.xfail(reason=reason, strict=True, raises=RuleMismatch))
            # ASCII ids (pytest escapes Chinese in ids); the case name is in every message
            outcome = "pass" if case.get("pass") else "fail"
            params.append(pytest.param(code, case, id=f"{code}-{i:02d}-{outcome}", marks=marks))
    return params


# -- building and checking a case ---------------------------------------------------

def case_text(case: dict) -> str:
    """The project text of a case: the base (or ``project``) with its edits applied."""
    text = case.get("project", BASE)
    for edit in case.get("replace", []):
        assert isinstance(edit, list) and len(edit) == 2, f"replace takes [old, new] pairs, not {edit!r}"
        old, new = edit
        count = text.count(old)
        assert count == 1, f"replace: {old!r} occurs {count} times in the text (must be exactly once)"
        text = text.replace(old, new)
    if "append" in case:
        if not text.endswith("\n"):
            text += "\n"
        text += case["append"]
    return text


def department_text(case: dict) -> str:
    text = DEPARTMENT
    if "department_year" in case:
        text, n = re.subn(r"(?m)^year = \d+$", f"year = {int(case['department_year'])}", text)
        assert n == 1
    if "profile" in case:
        text += f'\n[check]\nprofile = "{case["profile"]}"\n'
    return text


def run_case(case: dict, tmp_path: Path):
    """Load the case's project (with its department.toml unless ``department = false``) and check it.

    Returns (load problems, rule problems).
    """
    text = case_text(case)
    if case.get("department", True):
        folder = tmp_path / "dep"
        folder.mkdir()
        (folder / DEPARTMENT_FILE).write_text(department_text(case), encoding="utf-8")
        (folder / PROJECT_FILE).write_text(text, encoding="utf-8")
        result = load_paths([folder])
        departments, load_problems = result.departments, result.problems
    else:
        path = tmp_path / PROJECT_FILE
        project, load_problems = load_project_text(text, path)
        departments = [DepartmentFolder(tmp_path, None, None, [project] if project else [])]
    return load_problems, check_departments(departments)


def _describe(problems) -> str:
    return "\n".join(f"  {p.line}:{p.col} {p.code} {p.message}" for p in problems) or "  (none)"


@pytest.mark.parametrize(("code", "case"), _params())
def test_rule_case(code: str, case: dict, tmp_path: Path):
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown case keys {sorted(unknown)} (allowed: {sorted(CASE_KEYS)})"
    assert isinstance(case.get("name"), str) and case["name"].strip(), "a case needs a name"
    assert isinstance(case.get("pass"), bool), "a case needs pass = true or false"
    if case["pass"]:
        assert "lines" not in case, "a passing case has no lines"
    else:
        assert case.get("lines"), "a failing case needs the lines where the rule reports"

    load_problems, problems = run_case(case, tmp_path)
    assert not load_problems, f"case “{case['name']}” does not load cleanly:\n{_describe(load_problems)}"

    found = sorted(p.line for p in problems if p.code == code)
    expected = [] if case["pass"] else sorted(case["lines"])
    if found != expected:
        raise RuleMismatch(
            f"{code} case “{case['name']}”: expected {code} at lines {expected}, reported at {found}\n"
            f"all problems:\n{_describe(problems)}"
        )


# -- the rule set and the data files ----------------------------------------------------

def test_rule_codes_and_names_are_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    for rule in RULES:
        assert re.fullmatch(r"PD[1-9]\d\d", rule.code), rule.code
        assert isinstance(rule.name, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), (rule.code, rule.name)


@pytest.mark.parametrize("rule", sorted(RULES, key=lambda r: r.code), ids=lambda r: r.code)
def test_rule_has_examples_and_cases(rule):
    doc = inspect.getdoc(rule) or ""
    assert rule.summary().strip(), f"{rule.code}: the docstring needs a summary line"
    assert "不合格" in doc, f"{rule.code}: the docstring needs a 不合格 example"
    assert "合格" in doc.replace("不合格", ""), f"{rule.code}: the docstring needs a 合格 example"

    path = _case_files().get(rule.code)
    assert path is not None, f"{rule.code}: no tests/rules/{rule.code}.toml"
    cases = _read_cases(path)
    passing = [c for c in cases if c.get("pass") is True]
    failing = [c for c in cases if c.get("pass") is False]
    assert len(passing) >= 2, f"{rule.code}: needs at least 2 passing cases, has {len(passing)}"
    assert len(failing) >= 2, f"{rule.code}: needs at least 2 failing cases, has {len(failing)}"
    names = [c.get("name") for c in cases]
    assert len(names) == len(set(names)), f"{rule.code}: case names must be unique"


def test_every_case_file_is_a_rule():
    codes = {r.code for r in RULES}
    orphans = sorted(set(_case_files()) - codes)
    assert not orphans, f"case files for rules that do not exist: {orphans}"


def test_base_project_passes_every_rule(tmp_path: Path):
    load_problems, problems = run_case({}, tmp_path)
    assert not load_problems, _describe(load_problems)
    assert not problems, _describe(problems)


def test_base_project_alone_passes_every_rule(tmp_path: Path):
    load_problems, problems = run_case({"department": False}, tmp_path)
    assert not load_problems, _describe(load_problems)
    assert not problems, _describe(problems)
    project, _ = load_project_text(BASE)
    assert project is not None and project.model.project.year == 2026
    assert project.model.narrative is not None
    levels = {i.level1 for i in project.model.indicators}
    assert levels == {"成本指标", "产出指标", "效益指标", "满意度指标"}
