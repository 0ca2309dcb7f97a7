"""perfdoc init (a commented department.toml), and an untouched scaffold is not a valid submission.

Expected values are written out as a person reads them: the lines of the written
files and the findings of ``perfdoc check`` on them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_cli

from perfdoc.load import load_paths, load_project_text
from perfdoc.render.narrative import narrative_xml
from perfdoc.render.template import find_template


def _findings(folder: Path, *args: str) -> list[tuple]:
    r = run_cli("check", "--format", "json", *args, str(folder))
    assert r.returncode in (0, 1), r.stdout + r.stderr
    return [(Path(p["file"]).name, p["line"], p["col"], p["code"], p["message"])
            for p in json.loads(r.stdout)["problems"]]


def _key_lines(text: str) -> list[str]:
    """``key = …`` lines, commented-out ones included (the keys the file explains)."""
    return [ln for ln in text.splitlines() if re.match(r"^#? ?[a-z_]+ = ", ln)]


# -- perfdoc init ----------------------------------------------------------------------------

def test_init_writes_a_commented_department_and_its_schema(tmp_path):
    folder = tmp_path / "新单位"
    r = run_cli("init", str(folder), "--year", "2027")
    assert r.returncode == 0, r.stdout + r.stderr
    text = (folder / "department.toml").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "#:schema ./department.schema.json"
    schema = json.loads((folder / "department.schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == {"order", "attachments", "department", "layout", "check"}
    # every key of department.toml is in the file, each with a Chinese comment
    keys = [re.match(r"^#? ?([a-z_]+) = ", ln).group(1) for ln in _key_lines(text)]
    assert keys == ["order", "attachments", "name", "authority", "year", "budget_units", "template", "unit",
                    "profile", "ignore", "severity"]
    for line in _key_lines(text):
        comment = line.split("  # ", 1)[1]
        assert re.search(r"[\u4e00-\u9fff]", comment), line
    assert 'name = "单位名称"' in text and 'authority = "主管部门名称"' in text
    assert "year = 2027 " in text
    assert '版式：huacao-2022（2022 华漕）、shanghai（2026 闵行）、songjiang-2022（2022 松江）；或自定义版式文件夹的路径' in text
    assert r.stdout.splitlines()[-1] == (
        f"下一步：在 {folder}/department.toml 中填写单位名称和主管部门；然后用 perfdoc new 项目名称 --dir {folder} "
        f"新建项目文件，perfdoc check {folder} 检查。"
    )


def test_init_refuses_to_overwrite(tmp_path):
    assert run_cli("init", str(tmp_path), "--name", "甲单位").returncode == 0
    path = tmp_path / "department.toml"
    before = path.read_bytes()
    r = run_cli("init", str(tmp_path), "--name", "乙单位")
    assert r.returncode == 2
    assert r.stderr == f"perfdoc: {path} 已存在，不会覆盖；要重新开始，请先删除它或换一个文件夹\n"
    assert path.read_bytes() == before


def test_init_in_the_current_folder_and_usage_errors(tmp_path):
    r = run_cli("init", "--name", "上海市某区测试中心", "--authority", "上海市某区人民政府", "--year", "2030", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "已创建 department.toml 和 department.schema.json（供编辑器补全键名、显示中文说明）",
        "下一步：用 perfdoc new 项目名称 新建项目文件，perfdoc check 检查。",
    ]
    text = (tmp_path / "department.toml").read_text("utf-8")
    assert 'name = "上海市某区测试中心"' in text and 'authority = "上海市某区人民政府"' in text and "year = 2030 " in text
    (tmp_path / "文件").write_text("", "utf-8")
    r = run_cli("init", "文件", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "perfdoc: 文件 不是文件夹\n")
    r = run_cli("init", "新", "--year", "1999", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "perfdoc: 年度 1999 不在 2000 到 2100 之间\n")
    assert not (tmp_path / "新").exists()


def test_written_department_loads_cleanly_but_for_its_placeholders(tmp_path):
    """init, new, check: the only findings in department.toml are the two names to fill in."""
    assert run_cli("init", str(tmp_path), "--year", "2027").returncode == 0
    assert run_cli("new", "党群服务站", "--dir", str(tmp_path)).returncode == 0
    loaded = load_paths([tmp_path])
    assert [p for p in loaded.problems] == []
    department = [f for f in _findings(tmp_path) if f[0] == "department.toml"]
    assert department == [
        ("department.toml", 11, 8, "PD501", "留有占位符“单位名称”：这是栏目的名称，请填写实际内容"),
        ("department.toml", 12, 13, "PD501", "留有占位符“主管部门名称”：这是栏目的名称，请填写实际内容"),
    ]
    # new took the year and (still a placeholder) the unit's name from department.toml
    project = (tmp_path / "党群服务站.toml").read_text("utf-8")
    assert "year = 2027 " in project and 'implementer = "单位名称"' in project


def test_placeholders_in_department_toml_are_found_with_file_and_line(tmp_path):
    (tmp_path / "department.toml").write_text(
        '[department]\nname = "XX街道办事处"\nauthority = "某某区人民政府"\nyear = 2026\n', "utf-8")
    base = (Path(__file__).parent / "rules" / "_base.toml").read_text("utf-8")
    (tmp_path / "项目.toml").write_text(base, "utf-8")
    assert _findings(tmp_path) == [
        ("department.toml", 2, 8, "PD501", "留有占位符“XX”：XX街道办事处"),
        ("department.toml", 3, 13, "PD501", "留有占位符“某某”：某某区人民政府"),
    ]
    assert _findings(tmp_path, "--ignore", "PD501") == []
    # once per department, also when only one project file is named
    assert _findings(tmp_path / "项目.toml") == [
        ("department.toml", 2, 8, "PD501", "留有占位符“XX”：XX街道办事处"),
        ("department.toml", 3, 13, "PD501", "留有占位符“某某”：某某区人民政府"),
    ]


# -- an untouched project scaffold -------------------------------------------------------------

def test_untouched_project_scaffold_is_reported(tmp_path):
    assert run_cli("new", "党群服务站", "--dir", str(tmp_path)).returncode == 0
    errors = [f[1:] for f in _findings(tmp_path / "党群服务站.toml") if f[3] not in ("PD502", "PD503")]
    assert errors == [
        (12, 15, "PD501", "留有占位符“实施单位名称”：这是栏目的名称，请填写实际内容"),
        (21, 10, "PD105", "年度资金申请总额为 0：请填写本年度申请的资金（单位为元，或在 [funding] 中写 unit = \"万元\"）"),
        (29, 1, "PD504", "年度总体目标是空的"),
        (37, 8, "PD501", "留有占位符“XX”：XX人均成本"),
        (38, 10, "PD501", "留有占位符“XX”：≤XX元/人"),
        (43, 8, "PD501", "留有占位符“XX”：XX活动开展次数"),
        (44, 10, "PD501", "留有占位符“XX”：≥XX次"),
        (49, 8, "PD501", "留有占位符“XX”：XX验收合格率"),
        (55, 8, "PD501", "留有占位符“XX”：XX完成及时性"),
        (61, 8, "PD501", "留有占位符“XX”：XX服务覆盖率"),
        (62, 10, "PD501", "留有占位符“XX”：≥XX%"),
        (68, 10, "PD501", "留有占位符“XX”：≥XX%"),
    ]
    text = (tmp_path / "党群服务站.toml").read_text("utf-8").splitlines()
    assert text[11] == 'implementer = "实施单位名称"           # 实施单位'
    assert text[20] == "annual = 0                                # 年度资金申请总额"


def test_filled_scaffold_passes(tmp_path):
    """The scaffold with its placeholders replaced and its amounts filled: no error left."""
    assert run_cli("new", "党群服务站", "--dir", str(tmp_path)).returncode == 0
    path = tmp_path / "党群服务站.toml"
    text = path.read_text("utf-8")
    for old, new in [('"实施单位名称"', '"上海市某区社区党群服务中心"'), ('"XX人均成本"', '"活动人均成本"'),
                     ('"≤XX元/人"', '"≤80元/人"'), ('"XX活动开展次数"', '"党群活动开展次数"'), ('"≥XX次"', '"≥4次"'),
                     ('"XX验收合格率"', '"活动验收合格率"'), ('"XX完成及时性"', '"活动开展及时性"'),
                     ('"XX服务覆盖率"', '"党员服务覆盖率"'), ('"≥XX%"', '"≥90%"'), ('"≥XX%"', '"≥90%"')]:
        text = text.replace(old, new, 1)
    text = re.sub(r"(?m)^(total|total_fiscal|annual|annual_appropriation) = 0 ", r"\1 = 300000 ", text)
    text = text.replace('annual = ""', 'annual = "全年开展党群活动不少于4次。"')
    project, problems = load_project_text(text, path)
    assert project is not None and problems == []
    path.write_text(text, "utf-8")
    assert [f for f in _findings(path) if f[3] not in ("PD503",)] == []


def test_overview_comment_says_how_it_is_printed(tmp_path):
    """The scaffold's comment on overview is true: it follows 主要实施内容为 in the 项目概述 sentence,
    and each further line is a paragraph of its own."""
    (tmp_path / "department.toml").write_text('[department]\nname = "上海市某区社区党群服务中心"\nyear = 2027\n', "utf-8")
    assert run_cli("new", "党群服务站", "--dir", str(tmp_path)).returncode == 0
    text = (tmp_path / "党群服务站.toml").read_text("utf-8")
    comment = [ln for ln in text.splitlines() if ln.startswith("# 一、项目概述")][0]
    assert "主要实施内容为（overview）" in comment
    assert [ln for ln in text.splitlines() if ln.startswith("overview = ")] == [
        'overview = ""                             # 一、项目概述：主要实施内容（接在“主要实施内容为”之后）']
    text = text.replace('overview = ""', 'overview = """\n开展党群活动；\n建设服务阵地。\n"""')
    text = re.sub(r"(?m)^annual = 0 ", "annual = 300000 ", text)
    project, problems = load_project_text(text, tmp_path / "党群服务站.toml")
    assert project is not None, problems
    paragraphs = [re.sub(r"<[^>]+>", "", p) for p in narrative_xml(project, find_template("shanghai"))]
    overview = paragraphs[paragraphs.index("一、项目概述") + 1: paragraphs.index("二、立项依据")]
    assert overview == [
        "上海市某区社区党群服务中心拟于2027年1月至2027年12月实施党群服务站项目，主要实施内容为开展党群活动；",
        "建设服务阵地。经测算，预算资金30万元，现将项目的事前绩效评估情况报告如下：",
    ]



def test_build_refuses_while_department_toml_holds_placeholders(tmp_path):
    """A filled project in a department whose name is still 单位名称: no 汇总表 titled 单位名称."""
    folder = tmp_path / "单位"
    assert run_cli("init", str(folder), "--year", "2026").returncode == 0
    (folder / "项目.toml").write_text((Path(__file__).parent / "rules" / "_base.toml").read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    r = run_cli("build", str(folder), "-o", str(out))
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{folder}/department.toml:11:8: 错误 PD501 留有占位符“单位名称”：这是栏目的名称，请填写实际内容" in r.stdout
    assert not list(out.rglob("*.docx"))
    r = run_cli("build", str(folder), "-o", str(out), "--force")
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.name for p in out.rglob("*.docx")) == ["2026年度项目绩效目标汇总表.docx", "党组织建设-申报表.docx",
                                                           "党组织建设-经费说明.docx"]
