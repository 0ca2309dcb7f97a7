"""Profiles (check/profiles.py), a department's [check] settings, inline suppressions, and the 101号 scoring.

Expected figures are computed by hand in the comments and written literally.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import PROJECTS, run_cli

from perfdoc.check import check_departments, run_checks
from perfdoc.check.profiles import CENTRAL_101, PROFILE_BY_NAME, SHANGHAI
from perfdoc.check.suppress import comments
from perfdoc.load import load_paths
from perfdoc.model import PROFILES, Money, Severity, Target
from perfdoc.model.framework import framework_for
from perfdoc.model.scoring import budget_score_101, indicator_score_101

RULES = Path(__file__).parent / "rules"
BASE = (RULES / "_base.toml").read_text("utf-8")
DEPARTMENT = (RULES / "_department.toml").read_text("utf-8")


def _folder(tmp_path: Path, check: str = "", project: str = BASE, name: str = "项目") -> Path:
    folder = tmp_path / "dep"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.toml").write_text(DEPARTMENT + check, "utf-8")
    (folder / f"{name}.toml").write_text(project, "utf-8")
    return folder


def _found(folder: Path) -> list[tuple[str, int, str, str]]:
    """(file name, line, code, level) of every problem, load problems first."""
    loaded = load_paths([folder])
    return [(p.file.name, p.line, p.code, p.severity.label) for p in loaded.problems + check_departments(loaded.departments)]


# -- the profiles as data ------------------------------------------------------------------------

def test_profile_names_are_the_schema_names():
    assert tuple(PROFILE_BY_NAME) == PROFILES == ("shanghai", "central-101")


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2024, 2025, 2026, 2030])
def test_shanghai_requires_what_perfdoc_required_before_profiles(year):
    """The default profile's required 一级 and their wording are the year's framework, as before."""
    req = SHANGHAI.requirements_for(year)
    fw = framework_for(year)
    assert (req.level1_required, req.level1_note) == (fw.required, fw.description)


def test_central_101_requires_output_and_benefit_and_scores_by_101():
    req = CENTRAL_101.requirements_for(2026)
    assert req.level1_required == ("产出指标", "效益指标")
    assert req.level2_expected == ("数量指标", "质量指标")
    assert CENTRAL_101.method.title == "财预〔2021〕101号" and SHANGHAI.method.title == "财预〔2020〕10号"
    assert [(dict(w.weights), w.source.split("：")[0]) for w in CENTRAL_101.weight_splits] == [
        ({"成本指标": 20, "产出指标": 40, "效益指标": 20, "满意度指标": 10}, "财预〔2021〕101号"),
        ({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, "财预〔2020〕10号"),
    ]
    assert SHANGHAI.weight_splits == ()


def test_the_rule_base_passes_every_rule_under_both_profiles(tmp_path):
    for profile in PROFILES:
        folder = _folder(tmp_path / profile, f'\n[check]\nprofile = "{profile}"\n')
        assert _found(folder) == [], profile


def test_central_101_does_not_require_satisfaction_where_shanghai_does(tmp_path):
    """No 满意度 and no word of the public: an error under shanghai (PD301), nothing under central-101."""
    project = BASE.replace('level1 = "满意度指标"\nlevel2 = "服务对象满意度指标"\nname = "群众满意度"',
                           'level1 = "效益指标"\nlevel2 = "社会效益指标"\nname = "党员参与活动人次"')
    assert _found(_folder(tmp_path / "a", "", project)) == [("项目.toml", 28, "PD301", "错误")]
    assert _found(_folder(tmp_path / "b", '\n[check]\nprofile = "central-101"\n', project)) == []


# -- [check] settings ------------------------------------------------------------------------------

_PLACEHOLDER_NAME = BASE.replace('name = "党组织特色活动"', 'name = "XX活动"')  # PD501 at line 37


def test_ignore_and_severity_from_department_toml(tmp_path):
    project = _PLACEHOLDER_NAME.replace('target = "=100%"', 'target = "提升"')  # and PD502 (a warning) at line 44
    assert _found(_folder(tmp_path / "a", "", project)) == [("项目.toml", 37, "PD501", "错误"),
                                                            ("项目.toml", 44, "PD502", "警告")]
    folder = _folder(tmp_path / "b", '\n[check]\nignore = ["pd501"]\nseverity = { PD502 = "error" }\n', project)
    assert _found(folder) == [("项目.toml", 44, "PD502", "错误")]
    r = run_cli("check", str(folder))
    assert r.returncode == 1 and ": 错误 PD502 " in r.stdout and "PD501" not in r.stdout
    folder = _folder(tmp_path / "c", '\n[check]\nseverity = { PD501 = "warning" }\n', project)
    assert _found(folder) == [("项目.toml", 37, "PD501", "警告"), ("项目.toml", 44, "PD502", "警告")]


def test_unknown_codes_in_the_settings_are_reported_at_their_line(tmp_path):
    # department.toml: _department.toml is 11 lines, then a blank line, [check] at 13, ignore at 14, severity at 15
    check = '\n[check]\nignore = ["PD502", "PD5O2"]\nseverity = { PD999 = "error", PD004 = "error" }\n'
    folder = _folder(tmp_path, check)
    loaded = load_paths([folder])
    problems = run_checks(loaded.departments).problems
    assert [(p.line, p.col, p.code, p.message) for p in problems] == [
        (14, 20, "PD002", "check.ignore：没有检查代码“PD5O2”，是不是 PD502？"),
        (15, 14, "PD002", "check.severity：没有检查代码“PD999”（perfdoc check --list-rules 列出全部代码）"),
        (15, 31, "PD002", "check.severity：读取阶段的检查（PD004）不能在 department.toml 中忽略或改变级别"),
    ]
    assert all(p.fatal for p in problems)
    r = run_cli("check", str(folder))
    assert r.returncode == 2
    assert "department.toml:14:20: 错误 PD002 check.ignore：没有检查代码“PD5O2”，是不是 PD502？" in r.stdout


def test_unknown_profile_and_level_are_reported_by_the_loader(tmp_path):
    folder = _folder(tmp_path, '\n[check]\nprofile = "central101"\nseverity = { PD401 = "fatal" }\n')
    loaded = load_paths([folder])
    assert [(p.line, p.code) for p in loaded.problems] == [(14, "PD002"), (15, "PD002")]
    assert "只能是 “shanghai” 或 “central-101”，而不是 “central101”" in loaded.problems[0].message
    assert "只能是 “error” 或 “warning”，而不是 “fatal”" in loaded.problems[1].message
    assert run_cli("check", str(folder)).returncode == 2


# -- inline suppressions -----------------------------------------------------------------------------

def test_a_comment_with_a_reason_silences_its_codes_on_its_line(tmp_path):
    project = _PLACEHOLDER_NAME.replace('name = "XX活动"', 'name = "XX活动"    # perfdoc: ignore PD501 原表如此')
    folder = _folder(tmp_path, "", project)
    loaded = load_paths([folder])
    result = run_checks(loaded.departments)
    assert result.problems == []
    assert [(s.problem.line, s.problem.code, s.reason) for s in result.suppressed] == [(37, "PD501", "原表如此")]
    r = run_cli("check", str(folder))
    assert r.returncode == 0
    assert r.stdout == "未发现问题（检查了 1 个项目）；另有 1 个问题已按注释忽略。\n"
    doc = json.loads(run_cli("check", "--format", "json", str(folder)).stdout)
    assert doc["summary"] == {"projects": 1, "problems": 0, "errors": 0, "warnings": 0, "suppressed": 1}
    assert [(s["line"], s["code"], s["reason"]) for s in doc["suppressed"]] == [(37, "PD501", "原表如此")]


def test_a_comment_silences_only_the_codes_it_names_and_only_its_line(tmp_path):
    project = (_PLACEHOLDER_NAME
               .replace('name = "XX活动"', 'name = "XX活动"  # perfdoc: ignore PD404, PD401：照录原表')
               .replace('implementer = "中共上海市松江区区级机关工作委员会"',
                        'implementer = "XX单位"  # perfdoc: ignore PD501 原表如此'))
    found = _found(_folder(tmp_path, "", project))
    assert found == [("项目.toml", 37, "PD501", "错误")]  # line 10's is silenced, line 37's names other codes


def test_a_comment_without_a_reason_silences_nothing_and_is_reported(tmp_path):
    project = _PLACEHOLDER_NAME.replace('name = "XX活动"', 'name = "XX活动"  # perfdoc: ignore PD501')
    folder = _folder(tmp_path, "", project)
    loaded = load_paths([folder])
    problems = check_departments(loaded.departments)
    assert [(p.line, p.col, p.code, p.severity, p.message) for p in problems] == [
        (37, 8, "PD501", Severity.ERROR, "留有占位符“XX”：XX活动"),
        (37, 16, "PD007", Severity.WARNING,
         "忽略注释没有写原因（应写作 # perfdoc: ignore PD501 原因），不起作用：须说明为什么忽略"),
    ]
    r = run_cli("check", str(folder))
    assert r.returncode == 1 and r.stdout.splitlines()[-1] == "发现 2 个问题（错误 1 个，警告 1 个），涉及 1 个文件；共检查 1 个项目。"


@pytest.mark.parametrize(("comment", "message"), [
    ("# perfdoc: ignore 原表如此", "忽略注释没有写检查代码（应写作 # perfdoc: ignore PD401 原因），不起作用"),
    ("# perfdoc: ignore PD999 原表如此", "忽略注释中的“PD999”不是检查代码（perfdoc check --list-rules 列出全部代码）"),
    ("# perfdoc: ignore PD004 原表如此", "读取阶段的问题（PD004）不能按注释忽略"),
])
def test_comments_that_cannot_work_are_reported(tmp_path, comment, message):
    project = BASE.replace('name = "党组织特色活动"', f'name = "党组织特色活动"  {comment}')
    assert [(p.line, p.code, p.message) for p in check_departments(load_paths([_folder(tmp_path, "", project)]).departments)] == [
        (37, "PD007", message)]


def test_a_comment_alone_above_a_multiline_text_covers_it(tmp_path):
    text = '''documents = """
根据市委、区委相关会议精神。
"""'''
    project = BASE.replace('documents = "《中国共产党党和国家机关基层组织工作条例》"', text)
    assert _found(_folder(tmp_path / "a", "", project)) == [("项目.toml", 82, "PD505", "警告")]
    silenced = BASE.replace('documents = "《中国共产党党和国家机关基层组织工作条例》"',
                            "# perfdoc: ignore PD505 原件只写了会议精神\n" + text)
    assert _found(_folder(tmp_path / "b", "", silenced)) == []


def test_a_comment_may_follow_another_comment_on_line_1(tmp_path):
    """A project without [narrative] has its PD503 warnings on line 1, which often holds a comment already."""
    project = BASE[:BASE.index("[narrative]")]
    assert project.startswith("# 规则测试的基准项目")
    assert [f[2] for f in _found(_folder(tmp_path / "a", "", project))] == ["PD503"] * 5
    first, rest = project.split("\n", 1)
    silenced = f"{first}  # perfdoc: ignore PD503 原件只有申报表\n{rest}"
    folder = _folder(tmp_path / "b", "", silenced)
    assert _found(folder) == []
    assert run_cli("check", str(folder)).stdout == "未发现问题（检查了 1 个项目）；另有 5 个问题已按注释忽略。\n"


def test_a_hash_inside_a_string_is_not_a_comment():
    text = ('name = "活动 # perfdoc: ignore PD501 x"\n'
            'plan = """\n# perfdoc: ignore PD501 这一行在文字中\n"""  # 真的注释\n'
            "path = 'C:\\a#b'  # 另一个\n"
            'q = "引号\\"#里"\n')
    assert [(line, col, body) for line, col, body, _ in comments(text)] == [(4, 6, " 真的注释"), (5, 18, " 另一个")]


# -- the 101号 scoring ---------------------------------------------------------------------------------

def _yuan(text: str) -> Money:
    return Money.parse(text)


@pytest.mark.parametrize(("executed", "adjusted", "score"), [
    ("1000000", "1000000", "10.00"),   # 100 %
    ("468.77", "470.26", "7.00"),      # 99.68 %: 80 % reached, 100 % not: 7, not interpolated
    ("800000", "1000000", "7.00"),     # exactly 80 %
    ("799950", "1000000", "5.00"),     # 79.995 %: printed as 80.00 %, but below 80 %
    ("600000", "1000000", "5.00"),     # exactly 60 %
    ("599999.99", "1000000", "0.00"),  # below 60 %
    ("0", "0", "0.00"),                # nothing to execute against
])
def test_budget_score_101_by_bands(executed, adjusted, score):
    assert budget_score_101(_yuan(executed), _yuan(adjusted)) == D(score)


@pytest.mark.parametrize(("target", "actual", "weight", "score"), [
    ("≥100人", "100人", "8", "8.00"),     # met
    ("≥100人", "130人", "8", "8.00"),     # above: full, never more
    ("≥100人", "90人", "8", "6.00"),      # (90 % − 60 %) / 40 % × 8 = 0.75 × 8
    ("≥100人", "61人", "8", "0.20"),      # (61 % − 60 %) / 40 % × 8 = 0.025 × 8
    ("≥100人", "60人", "8", "0.00"),      # 60 %: nothing
    ("≥100人", "59人", "8", "0.00"),      # below 60 %
    ("≤80元/人", "100元/人", "5", "1.88"),  # completion 1 − 20/80 = 75 %: 0.375 × 5 = 1.875, half up
    ("≥4.5分", "4.2分", "10", "8.33"),    # 4.2/4.5 = 14/15; (14/15 − 3/5) / (2/5) = 5/6; × 10 = 8.333…
    ("及时", "达成指标", "6", "6.00"),      # qualitative: full
])
def test_indicator_score_101(target, actual, weight, score):
    assert indicator_score_101(Target.parse(target), Target.parse(actual), D(weight)) == D(score)


@pytest.mark.parametrize(("actual", "score"), [
    ("90%", "7.00"),     # ≥ 90 %: full
    ("89.99%", "5.60"),  # 80–90 %: 8/10 × 7
    ("80%", "5.60"),
    ("79.99%", "3.50"),  # 60–80 %: 5/10 × 7
    ("60%", "3.50"),
    ("59.99%", "0.00"),  # below 60 %
])
def test_satisfaction_101_scores_the_rate_by_bands(actual, score):
    assert indicator_score_101(Target.parse("≥95%"), Target.parse(actual), D("7"), satisfaction=True) == D(score)


EVALUATED = """
[project]
name = "社区服务"
year = 2026
nature = "经常性项目"
implementer = "中共上海市松江区区级机关工作委员会"
start = 2026-01-01
end = 2026-12-31

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
weight = 20
actual = "60元/人"
deviation = "物价上涨。"

[[indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "党群活动场次"
target = "≥20场"
weight = 20
actual = "18场"
deviation = "两场活动顺延至次年。"

[[indicators]]
level1 = "产出指标"
level2 = "质量指标"
name = "活动方案审核通过率"
target = "=100%"
weight = 10
actual = "100%"

[[indicators]]
level1 = "产出指标"
level2 = "时效指标"
name = "阵地建设完成时间"
target = "2026年12月前完成"
weight = 10
actual = "达成指标"

[[indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "党员参与活动人次"
target = "≥500人次"
weight = 20
actual = "290人次"
deviation = "阵地改造期间活动减少。"

[[indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "群众满意度"
target = "≥90%"
weight = 10
actual = "85%"
deviation = "部分活动场地偏远。"

[evaluation]
outcome = "全年开展党群活动18场。"

[evaluation.funding]
total = { initial = 100000, adjusted = 100000, executed = 79000 }
"""


def _score(folder: Path) -> dict:
    r = run_cli("score", "--format", "json", str(folder))
    assert r.returncode == 0, r.stdout + r.stderr
    (project,) = json.loads(r.stdout)["projects"]
    return project


def test_score_under_central_101_gives_the_101_figures(tmp_path):
    # By hand, 财预〔2021〕101号:
    #   执行率 79000 / 100000 = 79 %: 60 % reached, 80 % not → 5.00
    #   ≤50元/人, 60: completion 1 − 10/50 = 80 % → (80 − 60)/40 × 20 = 10.00
    #   ≥20场, 18: 90 % → (90 − 60)/40 × 20 = 15.00
    #   =100%, 100%: met → 10.00;  时效 (a phrase): full → 10.00
    #   ≥500人次, 290: 58 % < 60 % → 0.00
    #   满意度 85 %: 80–90 % → 8/10 × 10 = 8.00
    #   total 5 + 10 + 15 + 10 + 10 + 0 + 8 = 58.00 → 差
    p = _score(_folder(tmp_path, '\n[check]\nprofile = "central-101"\n', EVALUATED, "社区服务"))
    assert (p["profile"], p["method"]) == ("central-101", "财预〔2021〕101号")
    assert (p["budget"]["rate"], p["budget"]["score"]) == ("79.00", "5.00")
    assert [i["score"] for i in p["indicators"]] == ["10.00", "15.00", "10.00", "10.00", "0.00", "8.00"]
    assert (p["indicator_total"], p["total"], p["grade"]) == ("53.00", "58.00", "差")


def test_the_same_evaluation_under_shanghai_gives_the_10_figures(tmp_path):
    # By hand, 财预〔2020〕10号:
    #   执行率 79 % → 10 × 0.79 = 7.90
    #   ≤50, 60: 20 × (1 − 10/50) = 16.00;  ≥20, 18: 20 × 18/20 = 18.00;  10.00;  10.00
    #   ≥500, 290: 20 × 290/500 = 11.60;  满意度 ≥90 %, 85 %: 10 × 85/90 = 9.444… → 9.44
    #   total 7.90 + 16 + 18 + 10 + 10 + 11.60 + 9.44 = 82.94 → 良
    p = _score(_folder(tmp_path, "", EVALUATED, "社区服务"))
    assert (p["profile"], p["method"]) == ("shanghai", "财预〔2020〕10号")
    assert (p["budget"]["rate"], p["budget"]["score"]) == ("79.00", "7.90")
    assert [i["score"] for i in p["indicators"]] == ["16.00", "18.00", "10.00", "10.00", "11.60", "9.44"]
    assert (p["indicator_total"], p["total"], p["grade"]) == ("75.04", "82.94", "良")


def test_the_seed_under_central_101(tmp_path):
    """莘庄 2024 scored by 101号: 社区党群服务中心工作's 99.68 % execution scores 7, not 9.97.

    By hand: indicators as on the form (all met or stated) 88.00; 7.00 + 88.00 = 95.00 (优), so the
    form's 97.97 disagrees (PD608).  两新党建工作: execution 100 % → 10.00, indicators 87.00 → 97.00.
    """
    folder = tmp_path / "2024-xinzhuang"
    shutil.copytree(PROJECTS / "2024-xinzhuang", folder)
    with (folder / "department.toml").open("a", encoding="utf-8") as f:
        f.write('\n[check]\nprofile = "central-101"\n')
    r = run_cli("score", "--format", "json", str(folder))
    doc = json.loads(r.stdout)
    assert [(p["name"], p["budget"]["score"], p["total"], p["grade"], p["stated_agrees"]) for p in doc["projects"]] == [
        ("社区党群服务中心工作", "7.00", "95.00", "优", False), ("两新党建工作", "10.00", "97.00", "优", True)]
    assert [x["code"] for x in doc["problems"] if x["code"] == "PD608"] == ["PD608"]
    text = run_cli("score", str(folder)).stdout
    assert text.splitlines()[0] == ("规则集 central-101：财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》；"
                                    "自评计分按财预〔2021〕101号")
    assert "表上总分 97.97 与各项得分之和 95.00 不符（预算执行 7.00 + 指标 88.00）" in text


def test_list_rules_names_the_profile_and_the_department_settings(tmp_path):
    folder = _folder(tmp_path, '\n[check]\nprofile = "central-101"\nignore = ["PD502"]\nseverity = { PD401 = "error" }\n')
    lines = run_cli("check", "--list-rules", str(folder)).stdout.splitlines()
    assert lines[0].startswith("规则集 central-101：财预〔2021〕101号") and lines[0].endswith("department.toml 的设置）")
    assert [ln for ln in lines if ln.startswith(("PD401", "PD502"))] == [
        "PD401  rate-count-unit            错误  名称为“…率”的指标用了计数单位，如 ``=100.00(个)``。",
        "PD502  vague-target               警告  数量、质量指标的指标值没有衡量标准：数量指标写了“提升”“及时”之类的词，"
        "质量指标写了“提升”“显著”之类的变化词。  （本单位已忽略）",
    ]


def test_build_prints_the_101_scores_on_the_self_evaluation(tmp_path):
    """The 自评表 written by build under central-101 carries the 101号 figures (computed above): 5.00 and 58.00."""
    folder = _folder(tmp_path, '\n[check]\nprofile = "central-101"\n', EVALUATED, "社区服务")
    r = run_cli("build", str(folder), "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    text = run_cli("textconv", str(tmp_path / "out" / "dep" / "社区服务-自评表.docx")).stdout
    rows = text.splitlines()
    assert " | 年度资金总额： | 100,000.00 | 100,000.00 | 79,000.00 | 10.00 | 79.00 | 5.00" in rows, text
    assert "效益指标 | 社会效益指标 | 党员参与活动人次 | ≥500.00 (人次) | 290.00(人次) | 20.00 | 0.00 | 阵地改造期间活动减少。" in rows
    assert ("总分 | 100.00 | 58.00 | ", "评分等级 | 差") == (rows[rows.index("评分等级 | 差") - 1], "评分等级 | 差"), text


def test_score_reports_an_unknown_code_in_the_settings(tmp_path):
    folder = _folder(tmp_path, '\n[check]\nseverity = { PD6O3 = "warning" }\n', EVALUATED, "社区服务")
    r = run_cli("score", str(folder))
    assert r.returncode == 2
    assert "department.toml:14:14: 错误 PD002 check.severity：没有检查代码“PD6O3”，是不是 PD603？" in r.stdout
    assert "总分 82.94  评分等级 良" in r.stdout  # the projects are scored all the same
