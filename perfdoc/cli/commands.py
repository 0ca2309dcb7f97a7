"""Subcommands: check, new, schema.  Each parses options, calls one core function, prints, exits."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .. import exitcodes
from ..check import RULES, check_departments
from ..load import DEPARTMENT_FILE, load_paths
from ..model.schema import schema_json
from ..scaffold import new_project
from . import app
from .report import display_path, print_problems, problems_json, summary_line


class Format(str, Enum):
    text = "text"
    json = "json"


def fail(message: str, code: int = exitcodes.USAGE) -> "typer.Exit":
    typer.echo(f"perfdoc: {message}", err=True)
    return typer.Exit(code)


@app.command("check")
def check_cmd(
    paths: list[Path] = typer.Argument(None, help="单位文件夹、项目文件，或包含若干单位文件夹的目录；默认 projects/"),
    format: Format = typer.Option(Format.text, "--format", "-f", help="输出格式：text 或 json"),
    ignore: list[str] = typer.Option([], "--ignore", help="忽略某个检查代码，如 --ignore PD502（可多次使用）"),
    color: bool = typer.Option(None, "--color/--no-color", help="彩色输出（默认在终端中开启）"),
    list_rules: bool = typer.Option(False, "--list-rules", help="列出全部检查代码后退出"),
):
    """检查项目文件，列出审核时会被退回的问题（文件:行:列 代码 消息）。

    退出码：0 没有问题；1 发现问题；2 输入无法使用或用法错误。
    """
    if list_rules:
        for rule in sorted(RULES, key=lambda r: r.code):
            typer.echo(f"{rule.code}  {rule.name:<26} {rule.severity.label}  {rule.summary()}")
        raise typer.Exit(exitcodes.OK)
    paths = paths or [Path("projects")]
    loaded = load_paths(paths)
    problems = sorted(loaded.problems + check_departments(loaded.departments, ignore),
                      key=lambda p: (str(p.file), p.line, p.col, p.code))
    problems = [p for p in problems if p.code not in set(ignore)]
    projects = len(loaded.projects)
    if format is Format.json:
        typer.echo(problems_json(problems, projects))
    else:
        print_problems(problems, sys.stdout, color)
        typer.echo(summary_line(problems, projects))
    if loaded.fatal:
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if problems else exitcodes.OK)


@app.command("new")
def new_cmd(
    name: str = typer.Argument(..., help="项目名称，如 党群服务站"),
    dir: Path = typer.Option(Path("."), "--dir", "-d", help="写入的单位文件夹（默认当前目录）"),
):
    """新建一个带中文注释的项目文件（已存在时拒绝覆盖）。"""
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
        raise fail(f"无法写入 {display_path(dir)}：{exc.strerror or exc}") from None
    typer.echo(f"已创建 {display_path(path)}")


class SchemaKind(str, Enum):
    project = "project"
    department = "department"


@app.command("schema")
def schema_cmd(
    kind: SchemaKind = typer.Argument(SchemaKind.project, help="project（项目文件，默认）或 department（department.toml）"),
):
    """输出项目文件的 JSON Schema（供编辑器补全和悬停提示，如 Even Better TOML / taplo）。"""
    sys.stdout.write(schema_json(kind.value))
