"""A misspelt key is named, with the closest known key, even when the file is refused for it."""

from __future__ import annotations

from pathlib import Path

from perfdoc.load import load_paths, load_project_text
from perfdoc.model import Severity

VALID = Path(__file__).parent / "bad_inputs" / "valid" / "测试项目.toml"


def _edit(old: str, new: str) -> str:
    text = VALID.read_text("utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _show(problems) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.col, p.code, p.message) for p in sorted(problems, key=lambda p: (p.line, p.col))]


def test_misspelt_required_key_is_named_next_to_the_missing_one():
    model, problems = load_project_text(_edit('name = "活动场次"', 'nmae = "活动场次"'))
    assert model is None
    assert _show(problems) == [
        (23, 1, "PD003", "缺少必填项 indicators[1].name（三级指标名称）"),
        (26, 1, "PD004", "未知的键“nmae”，是不是 name？"),
    ]
    assert [p.severity for p in sorted(problems, key=lambda p: p.line)] == [Severity.ERROR, Severity.WARNING]


def test_misspelt_table_and_wrong_case_are_suggested():
    text = _edit("[goals]\n", "[goals]\nOverall = \"完成。\"\n").replace("[narrative.budget]", "[narrative.budjet]")
    model, problems = load_project_text(text)
    assert model is not None
    messages = {p.message: (p.line, p.col) for p in problems}
    assert messages["未知的键“Overall”，是不是 overall？"] == (19, 1)
    assert messages["未知的键“budjet”，是不是 budget？"] == (65, 1)  # a table header: at its “[”


def test_unknown_key_without_a_close_one_lists_the_table_keys():
    model, problems = load_project_text(_edit('target = "≥10场"', 'target = "≥10场"\n"备注" = "内部"'))
    assert model is not None
    assert _show(problems) == [
        (28, 1, "PD004", "未知的键“备注”（[[indicators]]（第 1 条） 中可用的键：level1、level2、name、target、weight、actual、score、deviation）"),
    ]


def test_misspelt_key_in_department_toml(tmp_path):
    (tmp_path / "department.toml").write_text('[department]\nnmae = "某区测试单位"\nname = "某区测试单位"\nyaer = 2026\nyear = 2026\n', "utf-8")
    (tmp_path / "测试项目.toml").write_text(VALID.read_text("utf-8"), "utf-8")
    problems = [p for p in load_paths([tmp_path]).problems if p.code == "PD004"]
    assert _show(problems) == [
        (2, 1, "PD004", "未知的键“nmae”，是不是 name？"),
        (4, 1, "PD004", "未知的键“yaer”，是不是 year？"),
    ]
