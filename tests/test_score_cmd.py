"""``perfdoc score``: the table, JSON with stable keys and string decimals, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

CLEAN = """
[project]
name = "党群服务站"
year = 2024
implementer = "某街道社区党群服务中心"
start = 2024-01-01
end = 2024-12-31

[funding]
total = 100000
total_fiscal = 100000
annual = 100000
annual_appropriation = 100000

[goals]
annual = "全年开展党群活动不少于20场。"

[[indicators]]
level1 = "成本指标"
level2 = "经济成本指标"
name = "活动人均费用标准"
target = "≤50元/人"
weight = 10
actual = "48元/人"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "党群活动场次"
target = "≥20场"
weight = 50
actual = "18场"
deviation = "两场活动因场地改造顺延至次年。"

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "党员参与度"
target = "提升"
weight = 20
actual = "达成指标"

[[indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "群众满意度"
target = "≥90%"
weight = 10
actual = "95%"

[evaluation]
outcome = "全年开展党群活动18场。"
total = 94.60
grade = "优"

[evaluation.funding]
total = { initial = 100000, adjusted = 100000, executed = 96000 }
appropriation = { initial = 100000, adjusted = 100000, executed = 96000 }
"""

DEPARTMENT = '[department]\nname = "某街道社区党群服务中心"\nyear = 2024\n'


def _folder(tmp_path: Path, text: str = CLEAN, name: str = "党群服务站") -> Path:
    folder = tmp_path / "2024-test"
    folder.mkdir(exist_ok=True)
    (folder / "department.toml").write_text(DEPARTMENT, "utf-8")
    (folder / f"{name}.toml").write_text(text, "utf-8")
    return folder


def test_clean_project_exits_0_with_the_figures(tmp_path):
    # budget 9.60; 10 + 50 × 18/20 = 45 + 20 + 10 → 85.00; total 94.60 优
    r = run_cli("score", str(_folder(tmp_path)))
    assert r.returncode == 0, r.stdout + r.stderr
    for figure in ("96.00", "9.60", "45.00", "94.60", "优", "一致", "总分", "评分等级", "执行率(%)"):
        assert figure in r.stdout, figure
    assert "自评没有发现错误" in r.stdout
    assert not r.stderr


def test_json_has_stable_keys_and_string_decimals(tmp_path):
    r = run_cli("score", "--format", "json", str(_folder(tmp_path)))
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) == {"projects", "problems", "summary"}
    assert doc["problems"] == []
    assert doc["summary"] == {"projects": 1, "evaluated": 1, "scored": 1, "errors": 0}
    (p,) = doc["projects"]
    assert set(p) == {"file", "key", "profile", "method", "name", "year", "budget", "indicators", "indicator_total",
                      "total", "grade", "stated_total", "stated_grade", "stated_agrees"}
    assert (p["profile"], p["method"]) == ("shanghai", "财预〔2020〕10号")
    assert set(p["budget"]) == {"unit", "rows", "weight", "rate", "score"}
    assert p["budget"] == {
        "unit": "元",
        "rows": [
            {"label": "年度资金总额", "initial": "100000.00", "adjusted": "100000.00", "executed": "96000.00", "rate": "96.00"},
            {"label": "其中：当年财政拨款", "initial": "100000.00", "adjusted": "100000.00", "executed": "96000.00",
             "rate": "96.00"},
        ],
        "weight": "10.00", "rate": "96.00", "score": "9.60",
    }
    assert [set(i) for i in p["indicators"]] == [{"index", "level1", "level2", "name", "target", "actual", "weight",
                                                 "score", "computed", "stated", "deviation"}] * 4
    counts = p["indicators"][1]
    assert (counts["target"], counts["actual"], counts["weight"], counts["score"], counts["computed"], counts["stated"]) == (
        "≥20场", "18场", "50.00", "45.00", "45.00", None)
    assert (p["indicator_total"], p["total"], p["grade"]) == ("85.00", "94.60", "优")
    assert (p["stated_total"], p["stated_grade"], p["stated_agrees"]) == ("94.60", "优", True)
    assert p["file"].endswith("党群服务站.toml") and p["key"] == "党群服务站" and p["year"] == 2024


def test_stated_total_that_disagrees_exits_1(tmp_path):
    text = CLEAN.replace("total = 94.60", "total = 95.60")
    r = run_cli("score", str(_folder(tmp_path, text)))
    assert r.returncode == 1
    assert "不一致" in r.stdout and "PD608" in r.stdout and "94.60" in r.stdout
    r = run_cli("score", "--format", "json", str(_folder(tmp_path, text)))
    doc = json.loads(r.stdout)
    assert r.returncode == 1
    assert doc["projects"][0]["stated_agrees"] is False
    assert [p["code"] for p in doc["problems"]] == ["PD608"]
    assert doc["problems"][0]["line"] == CLEAN.splitlines().index("total = 94.60") + 1


def test_wrong_grade_and_missing_deviation_exit_1(tmp_path):
    text = CLEAN.replace('grade = "优"', 'grade = "良"').replace('deviation = "两场活动因场地改造顺延至次年。"\n', "")
    r = run_cli("score", "--format", "json", str(_folder(tmp_path, text)))
    assert r.returncode == 1
    assert sorted(p["code"] for p in json.loads(r.stdout)["problems"]) == ["PD603", "PD608"]


def test_evaluation_without_funding_is_not_scored(tmp_path):
    text = CLEAN[: CLEAN.index("[evaluation.funding]")]
    r = run_cli("score", "--format", "json", str(_folder(tmp_path, text)))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["projects"] == []
    assert [p["code"] for p in doc["problems"]] == ["PD607"]
    assert doc["summary"]["evaluated"] == 1 and doc["summary"]["scored"] == 0


def test_projects_without_evaluation(tmp_path):
    r = run_cli("score", "projects/2022-huacao")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "没有含 [evaluation] 的项目" in r.stdout
    r = run_cli("score", "--format", "json", "projects/2022-huacao")
    assert r.returncode == 0
    assert json.loads(r.stdout) == {"projects": [], "problems": [],
                                    "summary": {"projects": 1, "evaluated": 0, "scored": 0, "errors": 0}}


def test_only_evaluation_rules_decide_the_exit_code(tmp_path):
    # a duplicated 三级指标 is a check error (PD303), not a self-evaluation one
    text = CLEAN.replace('name = "党员参与度"', 'name = "党群活动场次"')
    r = run_cli("score", str(_folder(tmp_path, text)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PD303" not in r.stdout


def test_unusable_input_exits_2_without_traceback(tmp_path):
    r = run_cli("score", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert "PD006" in r.stderr and "Traceback" not in r.stderr
    broken = CLEAN.replace('weight = 10\nactual = "48元/人"', 'weight = "很多"\nactual = "48元/人"')
    r = run_cli("score", str(_folder(tmp_path, broken)))
    assert r.returncode == 2
    assert "PD002" in r.stderr and "党群服务站.toml:" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("score", "--format", "json", str(_folder(tmp_path, "[project\n")))
    assert r.returncode == 2
    assert json.loads(r.stdout)["projects"] == []
    assert "PD001" in r.stderr


def test_good_projects_are_scored_beside_a_broken_one(tmp_path):
    folder = _folder(tmp_path)
    (folder / "坏文件.toml").write_text("[project\n", "utf-8")
    r = run_cli("score", "--format", "json", str(folder))
    assert r.returncode == 2
    assert [p["name"] for p in json.loads(r.stdout)["projects"]] == ["党群服务站"]


def test_seed_text_output():
    r = run_cli("score", "--no-color", "projects/2024-xinzhuang")
    assert r.returncode == 1  # the seed's four scores below weight without a 偏差原因
    out = r.stdout
    assert out.index("社区党群服务中心工作") < out.index("两新党建工作")  # the seed's order
    for figure in ("417.32", "470.26", "468.77", "99.68", "9.97", "97.97", "61.05", "100.00", "97.00", "4.93"):
        assert figure in out, figure
    assert out.count("评分等级 优") == 2 and out.count("一致") == 2
    assert out.count(": 错误 PD603 ") == 4 and "\x1b[" not in out
    assert "projects/2024-xinzhuang/两新党建工作.toml:" in out


def test_help_documents_the_exit_codes():
    r = run_cli("score", "--help")
    assert r.returncode == 0
    assert "退出码" in r.stdout and "PD6" in r.stdout and "json" in r.stdout
