"""Subcommands: check, new, schema.  Each parses options, calls one core function, prints, exits."""

from __future__ import annotations

import os
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .common import DEPARTMENT_FILE, PATHS_HELP, fail, paths_or_default
from .report import display_path, dump_json, print_problems, problems_doc, summary_line

# The loader, the rules and the model (pydantic) are imported inside each command: ``--help``
# and ``--version`` import none of them.


class Format(str, Enum):
    text = "text"
    json = "json"


def _codes(values: list[str]) -> list[str]:
    """The --ignore values, upper-cased; a code perfdoc does not have is a usage error."""
    from ..check.codes import all_codes

    known = [c.code for c in all_codes()]
    codes = [v.strip().upper() for v in values]
    for value, code in zip(values, codes):
        if code not in known:
            raise typer.BadParameter(f"没有检查代码“{value}”（perfdoc check --list-rules 列出全部代码）")
    return codes


@app.command("check")
def check_cmd(
    paths: list[Path] = typer.Argument(None, metavar="路径", help=PATHS_HELP, show_default=False),
    format: Format = typer.Option(Format.text, "--format", "-f", help="输出格式"),
    ignore: list[str] = typer.Option([], "--ignore", metavar="代码", callback=_codes,
                                     help="忽略某个检查代码，如 --ignore PD502（可多次使用）"),
    color: bool = typer.Option(None, "--color/--no-color", help="彩色输出（默认在终端中开启）"),
    list_rules: bool = typer.Option(False, "--list-rules", help="列出全部检查代码后退出"),
    jobs: int = typer.Option(None, "--jobs", "-j", metavar="个数", min=1, max=64,
                             help="同时检查的进程数（默认：CPU 核数；1：只用一个进程）；结果与进程数无关"),
):
    """检查项目文件，列出审核时会被退回的问题（文件:行:列: 级别 代码 消息）。

    按 department.toml 中 [check] 的设置检查：规则集（profile）、不做的检查（ignore）、改变级别的检查（severity）；
    行尾写了“# perfdoc: ignore 代码 原因”的，不报该行的这些问题。--list-rules 先列出所用的规则集。

    退出码：0 没有问题；1 发现问题；2 输入无法使用或用法错误。
    """
    if list_rules:
        _list_rules(paths)
        raise typer.Exit(exitcodes.OK)
    from ..check_paths import check_paths

    result = check_paths(paths_or_default(paths, "check"), ignore, jobs)
    problems = result.problems
    projects = result.projects
    suppressed = len(result.suppressed)
    if format is Format.json:
        doc = problems_doc(problems, projects)
        doc["suppressed"] = [dict(s.problem.as_dict(), file=display_path(s.problem.file), reason=s.reason)
                             for s in result.suppressed]
        doc["summary"]["suppressed"] = suppressed
        typer.echo(dump_json(doc))
    else:
        print_problems(problems, sys.stdout, color)
        line = summary_line(problems, projects)
        if suppressed:
            line = f"{line.removesuffix('。')}；另有 {suppressed} 个问题已按注释忽略。"
        typer.echo(line)
    if result.fatal:
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if problems else exitcodes.OK)


def _list_rules(paths: list[Path] | None) -> None:
    """Every code with its level, after the profile in force; a named department's settings are applied."""
    from ..check import profile_of
    from ..check.codes import all_codes
    from ..check.profiles import SHANGHAI, Profile
    from ..check.settings import settings_of
    from ..load import load_paths

    profile: Profile = SHANGHAI
    settings = None
    named = paths or ([Path(".")] if (Path.cwd() / DEPARTMENT_FILE).is_file() else [])
    departments = [d for d in load_paths(named).departments if d.model is not None] if named else []
    if departments:
        profile = profile_of(departments[0])
        settings = settings_of(departments[0])
        where = f"（{display_path(departments[0].path / DEPARTMENT_FILE)} 的设置）"
    else:
        where = "（默认）"
    typer.echo(f"规则集 {profile.description}{where}")
    for code in all_codes():
        severity = settings.severity.get(code.code, code.severity) if settings else code.severity
        note = "  （本单位已忽略）" if settings and code.code in settings.ignore else ""
        typer.echo(f"{code.code}  {code.name:<26} {severity.label}  {code.summary}{note}")


@app.command("new")
def new_cmd(
    name: str = typer.Argument(..., metavar="名称", help="项目名称，如 党群服务站"),
    dir: Path = typer.Option(Path("."), "--dir", "-d", metavar="文件夹", help="写入的单位文件夹",
                             show_default="当前文件夹"),
):
    """新建一个带中文注释的项目文件（已存在时拒绝覆盖）。"""
    from ..fsutil import os_reason
    from ..load import load_paths
    from ..scaffold import new_project

    if not name.strip():
        raise fail("项目名称不能为空")
    if dir.exists() and not dir.is_dir():
        raise fail(f"{display_path(dir)} 不是文件夹")
    year = implementer = None
    dep_file = dir / DEPARTMENT_FILE
    if dep_file.is_file():
        loaded = load_paths([dep_file])
        dep = loaded.departments[0].model if loaded.departments else None
        if dep is not None:
            year, implementer = dep.department.year, dep.department.name
    try:
        path = new_project(name, dir, year=year, implementer=implementer or "")
    except FileExistsError as exc:
        raise fail(f"{display_path(Path(exc.args[0]))} 已存在，不会覆盖；请换一个名称或先删除它") from None
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else display_path(dir)
        raise fail(f"无法写入 {where}：{os_reason(exc)}") from None
    typer.echo(f"已创建 {display_path(path)}")
    if not dep_file.is_file():
        folder = display_path(dir)
        where = "当前文件夹" if folder == "." else f"文件夹 {folder} "
        folder = f'"{folder}"' if any(ch.isspace() for ch in folder) else folder
        typer.echo(f"提示：{where}中还没有 {DEPARTMENT_FILE}（单位名称、年度、版式），check 和 build 需要它；"
                   f"用 perfdoc init {folder} 写出一个带注释的 {DEPARTMENT_FILE}。")


class SchemaKind(str, Enum):
    project = "project"
    department = "department"


@app.command("schema")
def schema_cmd(
    kind: SchemaKind = typer.Argument(SchemaKind.project, metavar="种类",
                                      help="project：项目文件；department：单位设置 department.toml"),
):
    """输出项目文件或 department.toml 的 JSON Schema（供编辑器补全和悬停提示，如 Even Better TOML / taplo）。"""
    from ..model.schema import schema_json

    sys.stdout.write(schema_json(kind.value))
