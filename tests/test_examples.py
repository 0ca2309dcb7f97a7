"""perfdoc check on the example folders reports the seeds' real faults and nothing spurious."""

import json
from collections import Counter

from conftest import PROJECTS, run_cli

from perfdoc.check import check_departments
from perfdoc.load import load_paths


def _codes(folder):
    loaded = load_paths([PROJECTS / folder])
    assert not loaded.problems, loaded.problems
    return check_departments(loaded.departments)


def test_huacao_is_clean_but_for_its_missing_narrative():
    """The seed has no 项目经费情况说明: the built one has bare headings, which PD503 says
    (五、实施周期 is printed from the plan dates)."""
    problems = _codes("2022-huacao")
    assert [(p.line, p.code, p.message) for p in problems] == [
        (1, "PD503", "项目经费情况说明“一、项目概述”一节是空的（文件中没有 [narrative]）"),
        (1, "PD503", "项目经费情况说明“二、立项依据”一节是空的（文件中没有 [narrative]）"),
        (1, "PD503", "项目经费情况说明“三、实施主体”一节是空的（文件中没有 [narrative]）"),
        (1, "PD503", "项目经费情况说明“四、实施方案”一节是空的（文件中没有 [narrative]）"),
        (1, "PD503", "项目经费情况说明“六、年度预算安排”一节是空的（文件中没有 [narrative]）"),
    ]


def test_songjiang_has_no_errors_only_vague_quality_targets():
    problems = _codes("2022-songjiang")
    # and the 疫情防控 narrative's 文件依据 “根据市委、区委相关会议精神。” names no document (PD505)
    assert Counter(p.code for p in problems) == Counter({"PD502": 2, "PD505": 1})
    assert {p.file.name for p in problems if p.code == "PD502"} == {"业务培训.toml", "宣传与推广.toml"}
    assert [(p.file.name, p.line) for p in problems if p.code == "PD505"] == [("疫情防控.toml", 67)]


def test_hongqiao_faults_of_the_seed():
    problems = _codes("2026-hongqiao")
    by_file = {}
    for p in problems:
        by_file.setdefault(p.file.stem, Counter())[p.code] += 1
    # the duplicated 三级指标 of the seed: five pairs in each of two projects
    assert by_file["区域化党建"]["PD303"] == 5
    assert by_file["人才系列计划"]["PD303"] == 5
    assert sum(c["PD303"] for c in by_file.values()) == 10
    # =100.00(个) on rates and on qualitative indicators
    assert by_file["残保金"]["PD401"] == 1
    assert by_file["街区专项经费"]["PD401"] >= 2
    assert by_file["区域化党建"]["PD404"] >= 4
    # 2026 requires 成本指标: four projects of the seed have none
    assert {f for f, c in by_file.items() if c["PD301"]} == {"制度外用工经费", "残保金", "规范化建设", "综合党委制度外用工经费"}
    # nothing about money or dates: the seed's amounts add up and its dates are the budget year
    assert not [p for p in problems if p.code.startswith(("PD1", "PD2"))]


def test_check_cli_output_and_exit_codes():
    r = run_cli("check", "projects/2022-huacao", "--ignore", "PD503")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "未发现问题" in r.stdout
    r = run_cli("check", "projects/2026-hongqiao")
    assert r.returncode == 1
    assert "projects/2026-hongqiao/区域化党建.toml:61:8: 错误 PD303" in r.stdout
    assert "^" in r.stdout and "Traceback" not in r.stderr
    r = run_cli("check", "--format", "json", "projects")
    doc = json.loads(r.stdout)
    assert doc["summary"]["projects"] == len(load_paths([PROJECTS]).projects)
    assert {"file", "line", "col", "code", "message", "severity"} <= set(doc["problems"][0])
    assert r.returncode == 1


def test_new_writes_commented_scaffold_and_refuses_overwrite(tmp_path):
    r = run_cli("new", "党群服务站", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    path = tmp_path / "党群服务站.toml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == "#:schema ./project.schema.json"
    assert json.loads((tmp_path / "project.schema.json").read_text("utf-8"))["title"]
    # every key line carries a Chinese comment
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line, line
    loaded = load_paths([path])
    assert not [p for p in loaded.problems if p.fatal]
    before = path.read_bytes()
    r = run_cli("new", "党群服务站", "--dir", str(tmp_path))
    assert r.returncode == 2 and "已存在" in r.stderr
    assert path.read_bytes() == before


def test_new_takes_year_from_department(tmp_path):
    (tmp_path / "department.toml").write_text('[department]\nname = "某单位"\nyear = 2027\n', "utf-8")
    assert run_cli("new", "a/b:..", "--dir", str(tmp_path)).returncode == 0
    files = [p for p in tmp_path.glob("*.toml") if p.name != "department.toml"]
    assert len(files) == 1 and files[0].parent == tmp_path
    assert "year = 2027" in files[0].read_text("utf-8")


def test_schema_command():
    r = run_cli("schema")
    schema = json.loads(r.stdout)
    assert schema["properties"]["project"]
    assert "项目名称" in r.stdout
