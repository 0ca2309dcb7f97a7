"""The command line as a person meets it: help pages, usage errors, finding lines, default folders,
what build and score print.  Everything a user reads is Chinese; expected texts are written out."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rich.console import Console

from conftest import PROJECTS, ROOT, run_cli

README = ROOT / "README.md"
VALID = ROOT / "tests" / "bad_inputs" / "valid" / "测试项目.toml"

# -- help pages and usage errors in Chinese ---------------------------------------------------

#: ASCII words a help page or an error may show besides option, command and choice names:
#: product and format names, example paths and values, TOML keys named in the help texts.
ALLOWED_WORDS = {
    "perfdoc", "TOML", "JSON", "Schema", "Even", "Better", "taplo", "Word", "docx", "toml", "json",
    "git", "gitattributes", "config", "diff", "textconv", "HEAD", "main", "v2025", "PD502", "PD6xx",
    "department", "project", "year", "goals", "period", "evaluation", "actual", "score", "deviation",
    "schema", "projects", "songjiang", "huacao", "text", "markdown", "out", "x", "PDF", "LibreOffice", "CPU",
    "check", "profile", "ignore", "severity", "shanghai", "central-101", "md",
}
#: What Click and Typer write in English; none of it may reach the user.
FRAMEWORK_WORDS = {
    "Usage", "Options", "Arguments", "Commands", "Show", "message", "exit", "default", "required",
    "Error", "Try", "help", "No", "such", "command", "Missing", "argument", "option", "Invalid",
    "value", "Got", "unexpected", "extra", "Did", "you", "mean", "Possible", "requires", "does", "not",
    "take", "list", "Path", "str", "int", "path", "Choose", "from", "Aborted", "env", "var", "OPTIONS",
    "COMMAND", "ARGS", "DEPRECATED", "dynamic",
}
_WORD = re.compile(r"(?<![A-Za-z0-9_])-{0,2}[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")


def _names() -> tuple[list[str], set[str]]:
    """The subcommands, and every option, command and choice name of the app (its own vocabulary)."""
    import typer.main

    from perfdoc.cli import app
    from perfdoc.cli.helpfmt import choices

    group = typer.main.get_command(app)
    names = set(group.commands)
    for command in [group, *group.commands.values()]:
        for param in command.params:
            names.update(getattr(param, "opts", []), getattr(param, "secondary_opts", []))
            names.update(choices(param) or [])
    names.update(["-h", "--help"])
    return sorted(group.commands), names


def _foreign_words(text: str, names: set[str]) -> list[str]:
    return [w for w in _WORD.findall(text) if w not in names and w not in ALLOWED_WORDS]


def test_every_help_page_is_chinese():
    commands, names = _names()
    assert {"check", "new", "schema", "build", "score", "diff", "next-year", "textconv"} <= set(commands)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda args: run_cli(*args), [["--help"]] + [[c, "--help"] for c in commands]))
    for args, r in zip([["--help"]] + [[c, "--help"] for c in commands], runs):
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith("用法：perfdoc"), r.stdout
        assert "选项：" in r.stdout and "-h, --help  " in r.stdout and "显示此帮助并退出" in r.stdout
        assert not _foreign_words(r.stdout, names), (args, _foreign_words(r.stdout, names))
        assert not FRAMEWORK_WORDS & set(_WORD.findall(r.stdout)), args


def test_help_shows_chinese_usage_metavars_and_defaults():
    root = run_cli("--help").stdout
    assert root.splitlines()[0] == "用法：perfdoc [选项] 命令 …"
    assert "\n命令：\n  check      检查项目文件" in root
    check = run_cli("check", "--help").stdout
    assert check.splitlines()[0] == "用法：perfdoc check [选项] [路径…]"
    assert "\n参数：\n  路径…  单位文件夹、项目文件" in check
    assert "  -f, --format [text|json]  输出格式  [默认：text]\n" in check
    assert "  --ignore 代码             忽略某个检查代码" in check
    assert "  --color / --no-color      彩色输出（默认在终端中开启）\n" in check
    new = run_cli("new", "--help").stdout
    assert new.splitlines()[0] == "用法：perfdoc new [选项] 名称"
    assert "  -d, --dir 文件夹  写入的单位文件夹  [默认：当前文件夹]\n" in new
    assert "  -o, --out 文件夹  输出文件夹  [默认：out]\n" in run_cli("build", "--help").stdout
    schema = run_cli("schema", "--help").stdout
    assert schema.splitlines()[0] == "用法：perfdoc schema [选项] [种类]"
    assert "  种类 [project|department]  project：项目文件；department：单位设置" in schema
    assert run_cli("next-year", "--help").stdout.splitlines()[0] == "用法：perfdoc next-year [选项] 上年文件夹 新文件夹"


USAGE_ERRORS = [
    (["chek"], "perfdoc: 没有命令“chek”，是不是要用 check？", "用法：perfdoc [选项] 命令 …"),
    (["frobnicate"], "perfdoc: 没有命令“frobnicate”；可用的命令：check、new、schema、build、diff、import、init、next-year、review、score、textconv",
     "用法：perfdoc [选项] 命令 …"),
    (["--"], "perfdoc: 缺少命令", "用法：perfdoc [选项] 命令 …"),
    (["--verbose"], "perfdoc: 没有选项“--verbose”，是不是要用 --version？", "用法：perfdoc [选项] 命令 …"),
    (["check", "--fomat", "json"], "perfdoc: 没有选项“--fomat”，是不是要用 --format？", "用法：perfdoc check [选项] [路径…]"),
    (["check", "-x"], "perfdoc: 没有选项“-x”", "用法：perfdoc check [选项] [路径…]"),
    (["check", "--format", "xml"], "perfdoc: 选项 --format 的值“xml”无效，可选 text 或 json",
     "用法：perfdoc check [选项] [路径…]"),
    (["check", "--format"], "perfdoc: 选项 --format 后面要写一个值，可选 text 或 json", "用法：perfdoc check [选项] [路径…]"),
    (["check", "--list-rules=yes"], "perfdoc: 选项 --list-rules 不接受值", "用法：perfdoc check [选项] [路径…]"),
    (["check", "--ignore", "PD999", "projects"],
     "perfdoc: 选项 --ignore：没有检查代码“PD999”（perfdoc check --list-rules 列出全部代码）",
     "用法：perfdoc check [选项] [路径…]"),
    (["new"], "perfdoc: 缺少参数“名称”", "用法：perfdoc new [选项] 名称"),
    (["new", "甲", "乙"], "perfdoc: 多余的参数：乙", "用法：perfdoc new [选项] 名称"),
    (["new", "甲", "--dir"], "perfdoc: 选项 --dir 后面要写一个值", "用法：perfdoc new [选项] 名称"),
    (["schema", "nope"], "perfdoc: 参数“种类”的值“nope”无效，可选 project 或 department", "用法：perfdoc schema [选项] [种类]"),
    (["diff"], "perfdoc: 缺少参数“旧文件夹”", "用法：perfdoc diff [选项] 旧文件夹 [新文件夹]"),
    (["diff", "projects/2022-huacao", "--rev"], "perfdoc: 选项 --rev 后面要写一个值",
     "用法：perfdoc diff [选项] 旧文件夹 [新文件夹]"),
    (["diff", "a", "--format", "html"], "perfdoc: 选项 --format 的值“html”无效，可选 text、markdown 或 json",
     "用法：perfdoc diff [选项] 旧文件夹 [新文件夹]"),
    (["next-year", "projects/2022-huacao"], "perfdoc: 缺少参数“新文件夹”", "用法：perfdoc next-year [选项] 上年文件夹 新文件夹"),
    (["textconv"], "perfdoc: 缺少参数“文件”", "用法：perfdoc textconv [选项] 文件"),
    (["score", "--format", "csv"], "perfdoc: 选项 --format 的值“csv”无效，可选 text 或 json", "用法：perfdoc score [选项] [路径…]"),
    (["build", "--out"], "perfdoc: 选项 --out 后面要写一个值", "用法：perfdoc build [选项] [路径…]"),
    (["init", "--year", "abc"], "perfdoc: 选项 --year 的值“abc”无效，应是整数", "用法：perfdoc init [选项] [文件夹]"),
]


def test_usage_errors_are_chinese_and_exit_2():
    _, names = _names()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda case: run_cli(*case[0]), USAGE_ERRORS))
    for (args, message, usage), r in zip(USAGE_ERRORS, runs):
        lines = r.stderr.splitlines()
        assert r.returncode == 2, (args, r.stderr)
        assert r.stdout == "", args
        assert lines[0] == message, (args, r.stderr)
        assert lines[1] == usage, (args, r.stderr)
        command = " ".join(["perfdoc", *[a for a in args[:1] if not a.startswith("-") and a != "chek"
                                          and a != "frobnicate"]])
        assert lines[2] == f"查看帮助：{command} --help", (args, r.stderr)
        assert not _foreign_words(r.stderr, names | set(args)), (args, _foreign_words(r.stderr, names))
        assert not FRAMEWORK_WORDS & set(_WORD.findall(r.stderr)), args


def test_no_arguments_show_the_chinese_help():
    r = run_cli()
    assert r.returncode == 2
    assert r.stderr.startswith("用法：perfdoc [选项] 命令 …\n") and "命令：" in r.stderr


# -- findings, rules, --ignore ----------------------------------------------------------------

def test_each_finding_line_names_its_level_without_colour():
    r = run_cli("check", "--no-color", "projects/2026-hongqiao")
    lines = r.stdout.splitlines()
    assert r.returncode == 1
    assert ("projects/2026-hongqiao/区域化党建.toml:61:8: 错误 PD303 三级指标“工作经费使用合规性”重复（第一次出现在第 55 行）"
            in lines)
    assert ("projects/2026-hongqiao/人才系列计划.toml:38:10: 警告 PD401 “金虹桥人才工作室运营完成率”是比率，"
            "指标值却用计数单位“个”：=100.00(个)（应为 %）" in lines)
    findings = [ln for ln in lines if re.match(r"^projects/\S+:\d+:\d+: ", ln)]
    assert findings and all(re.match(r"^\S+:\d+:\d+: (错误|警告) PD\d{3} ", ln) for ln in findings)
    coloured = run_cli("check", "--color", "projects/2026-hongqiao").stdout
    assert "\x1b[31;1m错误 PD303\x1b[0m 三级指标“工作经费使用合规性”重复" in coloured
    assert "\x1b[33;1m警告 PD401\x1b[0m" in coloured


def test_list_rules_matches_the_readme_table():
    r = run_cli("check", "--list-rules")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "规则集 shanghai：上海市财政局的要求；自评计分按财预〔2020〕10号（默认）"
    lines = lines[1:]
    assert lines[0] == "PD001  toml-syntax                错误  TOML 语法错误。"
    assert lines[3] == "PD004  unknown-key                警告  未知的键（拼写错误？）。"
    assert lines[5] == "PD006  bad-folder                 错误  路径不存在、文件夹中没有 department.toml 或没有项目文件。"
    listed = {tuple(ln.split()[:3]) for ln in lines}
    table = {tuple(cell.strip() for cell in row.strip("|").split("|")[:3])
             for row in README.read_text("utf-8").splitlines() if re.match(r"^\| PD\d{3} \|", row)}
    assert len(table) >= 30 and listed == table


def test_ignore_takes_any_known_code_in_any_case():
    r = run_cli("check", "projects/2022-huacao", "--ignore", "pd503")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "未发现问题（检查了 1 个项目）。\n"


# -- the folder you stand in ------------------------------------------------------------------

def test_commands_use_the_department_folder_you_stand_in(tmp_path):
    here = tmp_path / "2024-xinzhuang"
    shutil.copytree(PROJECTS / "2024-xinzhuang", here)
    r = run_cli("check", "--ignore", "PD503", cwd=here)
    assert "PD006" not in r.stdout + r.stderr
    assert "社区党群服务中心工作.toml:116:9: 错误 PD603 “党员参与度提升情况”得分 5.00 低于分值 6.00" in r.stdout
    assert r.stdout.splitlines()[-1].endswith("；共检查 2 个项目。")
    r = run_cli("score", cwd=here)
    assert r.returncode == 1 and "计算了 2 个项目的自评得分；自评有 4 个错误。" in r.stdout
    r = run_cli("build", "--force", cwd=here)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (here / "out" / "2024-xinzhuang" / "社区党群服务中心工作-申报表.docx").is_file()


def test_commands_fall_back_to_projects_then_say_what_they_looked_for(tmp_path):
    shutil.copytree(PROJECTS / "2022-huacao", tmp_path / "projects" / "2022-huacao")
    r = run_cli("check", "--ignore", "PD503", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "未发现问题（检查了 1 个项目）。\n"
    empty = tmp_path / "空"
    empty.mkdir()
    for command in ("check", "build", "score"):
        r = run_cli(command, cwd=empty)
        assert r.returncode == 2
        assert r.stderr == (f"perfdoc: 没有指定单位文件夹，而当前文件夹（{empty}）中既没有 department.toml，"
                            f"也没有 projects 文件夹。请写出单位文件夹，如 perfdoc {command} 文件夹；"
                            "新建单位文件夹用 perfdoc init 文件夹\n")


def test_new_outside_a_department_says_how_to_make_one(tmp_path):
    r = run_cli("new", "党群服务站", cwd=tmp_path)
    assert r.returncode == 0
    assert r.stdout == ("已创建 党群服务站.toml\n"
                        "提示：当前文件夹中还没有 department.toml（单位名称、年度、版式），check 和 build 需要它；"
                        "用 perfdoc init . 写出一个带注释的 department.toml。\n")
    r = run_cli("new", "活动", "--dir", "新单位", cwd=tmp_path)
    assert r.stdout.splitlines()[1] == ("提示：文件夹 新单位 中还没有 department.toml（单位名称、年度、版式），"
                                        "check 和 build 需要它；用 perfdoc init 新单位 写出一个带注释的 department.toml。")
    (tmp_path / "新单位" / "department.toml").write_text('[department]\nname = "测试单位"\nyear = 2026\n', "utf-8")
    assert run_cli("new", "第二个", "--dir", "新单位", cwd=tmp_path).stdout == "已创建 新单位/第二个.toml\n"


# -- build: what it let through ---------------------------------------------------------------

def _department(folder: Path, projects: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "department.toml").write_text(
        '[department]\nname = "测试单位"\nauthority = "测试主管部门"\nyear = 2026\n', "utf-8")
    text = VALID.read_text("utf-8")
    for name, change in projects.items():
        body = text.replace('name = "测试项目"', f'name = "{name}"', 1)
        if change:
            old, new = change.split(" -> ")
            assert old in body
            body = body.replace(old, new, 1)
        (folder / f"{name}.toml").write_text(body, "utf-8")
    return folder


def test_build_force_ends_with_what_it_let_through(tmp_path):
    dep = _department(tmp_path / "单位", {
        "好项目": "",
        "坏项目": "annual = 100000 -> annual = 90000",  # PD102
        "两错项目": "total = 100000 -> total = 90000",  # PD101, PD103
    })
    r = run_cli("build", "--force", "-o", "out", "单位", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-4:] == [
        "仍已生成 单位/两错项目.toml：有 2 个错误",
        "仍已生成 单位/坏项目.toml：有 1 个错误",
        "已写入 7 个文件到 out/。",
        "有 3 个错误的 2 个项目仍已生成（--force）；提交前请改正这些错误。",
    ]
    assert dep.is_dir()
    r = run_cli("build", "-o", "out", "单位", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == (
        "删除了 out/ 中 5 个过时的旧文件，2 个文件没有变化未重写；2 个项目因错误未生成（汇总表也未生成）。")


def test_build_verbose_lists_the_files_it_writes(tmp_path):
    _department(tmp_path / "单位", {"好项目": ""})
    r = run_cli("build", "-v", "-o", "out", "单位", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ("写入 out/单位/好项目-经费说明.docx\n"
                        "写入 out/单位/好项目-申报表.docx\n"
                        "写入 out/单位/2026年度项目绩效目标汇总表.docx\n"
                        "已写入 3 个文件到 out/。\n")
    r = run_cli("build", "-v", "-o", "out", "单位", cwd=tmp_path)
    assert r.stdout == "没有变化：out/ 中的 3 个文件都是最新的，未重写任何文件。\n"


def test_build_says_when_every_project_is_refused(tmp_path):
    _department(tmp_path / "单位", {"坏项目": "annual = 100000 -> annual = 90000"})
    r = run_cli("build", "-o", "out", "单位", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == "未生成 单位/坏项目.toml：有 1 个错误（加 --force 可强制生成）"
    assert r.stdout.splitlines()[-1] == "项目有错误，未生成任何文档（加 --force 可强制生成）。"
    assert "没有变化" not in r.stdout
    assert not (tmp_path / "out" / "单位" / "坏项目-申报表.docx").exists()


# -- score: readable in a pipe ----------------------------------------------------------------

def test_score_in_a_pipe_is_plain_and_unwrapped():
    r = run_cli("score", "projects/2024-xinzhuang")
    lines = r.stdout.splitlines()
    assert lines[0] == "规则集 shanghai：上海市财政局的要求；自评计分按财预〔2020〕10号"
    lines = lines[1:]
    assert lines[:7] == [
        "社区党群服务中心工作（projects/2024-xinzhuang/社区党群服务中心工作.toml）",
        "预算执行情况（万元）",
        "  项目资金            年初预算数  全年预算数  全年执行数   分值  执行率(%)  得分",
        "  年度资金总额            417.32      470.26      468.77  10.00      99.68  9.97",
        "  其中：当年财政拨款      417.32      470.26      468.77      -      99.68     -",
        "  上年结转资金              0.00        0.00        0.00      -          -     -",
        "  其他资金                  0.00        0.00        0.00      -          -     -",
    ]
    assert lines[7:11] == [
        "绩效指标",
        "  成本指标 · 经济成本指标",
        "    党群阵地主题活动费用标准",
        "      年度指标值 ≤80.00(元/人)；实际完成值 80.00(元/人)；分值 5.00；得分 5.00；按规则 5.00",
    ]
    assert "  总分：分值 100.00；得分 97.97" in lines
    assert "总分 97.97  评分等级 优  （表上：总分 97.97，等级 优，一致）" in lines
    assert not re.search("[│┃━─┏└]", r.stdout)


@pytest.mark.parametrize("columns", [100, 160])
def test_score_tables_in_a_terminal_keep_labels_and_values_whole(columns):
    from perfdoc.cli.score_text import print_scores
    from perfdoc.evaluate import score_project
    from perfdoc.load import load_paths

    loaded = load_paths([PROJECTS / "2024-xinzhuang"])
    scored = [(p, score_project(p.model)) for p in loaded.departments[0].ordered_projects()]
    console = Console(width=columns, record=True, force_terminal=True, color_system=None)
    print_scores(console, scored, tables=True)
    text = console.export_text()
    assert "│ 年度资金总额       │     417.32 │     470.26 │     468.77 │ 10.00 │     99.68 │ 9.97 │" in text
    assert "│ 其中：当年财政拨款 │" in text
    for value in ("≤80.00(元/人)", "=2000.00(元/人)", "2000.00(元/人)", "2024年12月前完成"):
        assert f"│ {value} " in text, value


def test_score_in_a_narrow_terminal_uses_the_plain_layout():
    from perfdoc.cli.score_text import print_scores
    from perfdoc.evaluate import score_project
    from perfdoc.load import load_paths

    loaded = load_paths([PROJECTS / "2024-xinzhuang"])
    scored = [(p, score_project(p.model)) for p in loaded.departments[0].ordered_projects()]
    console = Console(width=60, record=True, force_terminal=True, color_system=None)
    print_scores(console, scored, tables=True)
    text = console.export_text()
    assert "      年度指标值 =2000.00(元/人)；实际完成值 2000.00(元/人)；分值 5.00；得分 5.00；按规则 5.00" in text
    assert "│" not in text


# -- wrapping Chinese text ---------------------------------------------------------------------

def test_wrap_breaks_between_chinese_characters_never_inside_a_word():
    from perfdoc.cli.textwidth import width, wrap

    assert width("年度资金总额") == 12 and width("--force") == 7 and width("≥80.00(元/人)") == 13
    # “ and ” take one column, as in most terminals; （ and ） two
    assert wrap("有“错误”级问题的项目不生成（列出问题），除非加 --force。", 20) == [
        "有“错误”级问题的项目",
        "不生成（列出问题），",
        "除非加 --force。",
    ]
    assert wrap("除非加 --force。", 10) == ["除非加", "--force。"]
    assert wrap("（列出问题）", 4) == ["（列", "出问", "题）"]
    assert wrap("aaaaaaaaaaaa", 5) == ["aaaaa", "aaaaa", "aa"]
    assert wrap("与该 git 版本中的同一文件夹比较（如 HEAD、HEAD~1、main）", 24, "  ") == [
        "  与该 git 版本中的同一",
        "  文件夹比较（如 HEAD、",
        "  HEAD~1、main）",
    ]


# -- the JSON Schema in Chinese ----------------------------------------------------------------

def _titles(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                yield path, value
            else:
                yield from _titles(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _titles(value, f"{path}/{i}")


def test_schema_titles_are_chinese():
    from perfdoc.model.schema import department_schema, project_schema

    project, department = project_schema(), department_schema()
    for schema in (project, department):
        titles = list(_titles(schema))
        assert len(titles) > 10
        for path, title in titles:
            assert re.search(r"[\u4e00-\u9fff]", title), (path, title)
        descriptions = re.findall(r'"description": "([^"]*)"', json.dumps(schema, ensure_ascii=False))
        assert len(descriptions) > 10
        assert all(re.search(r"[\u4e00-\u9fff]", d) for d in descriptions), descriptions
    fields = project["$defs"]["Funding"]["properties"]
    assert fields["total_fiscal"]["title"] == "项目资金总额中的财政资金"
    assert fields["unit"]["title"] == "本表金额的填写单位"
    assert project["$defs"]["Indicator"]["properties"]["target"]["title"] == "年度指标值"
    assert project["$defs"]["Indicator"]["title"] == "一条三级绩效指标"
    assert project["$defs"]["Basis"]["title"] == "二、立项依据"
    assert project["title"] == "perfdoc 项目文件"
    assert department["title"] == "perfdoc 单位设置（department.toml）"
