"""``perfdoc build``: parse options, call perfdoc.build.build, print, exit."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from .. import exitcodes
from . import app
from .report import display_path, print_problems


@app.command("build")
def build_cmd(
    paths: list[Path] = typer.Argument(None, help="单位文件夹、项目文件，或包含若干单位文件夹的目录；默认 projects/"),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="输出目录（默认 out/）"),
    force: bool = typer.Option(False, "--force", help="有“错误”级问题的项目也照样生成"),
):
    """生成 Word 文档：每个项目的申报表和项目经费情况说明，写入 out/<单位文件夹>/。

    有“错误”级问题的项目不生成（列出问题），除非加 --force。
    退出码：0 全部生成；1 有项目因错误被拒绝；2 输入无法使用或用法错误。
    """
    from ..build import build  # imported here: python-docx is not needed by the other commands

    paths = paths or [Path("projects")]
    console = Console(stderr=True)
    with Progress(TextColumn("生成"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, total=total, completed=done, description=name)

        result = build(paths, out, force=force, progress=progress)
    if result.loaded.problems:
        print_problems([p for p in result.loaded.problems if p.fatal], sys.stdout)
    if result.loaded.fatal:
        typer.echo("输入文件有错误，未生成任何文档。", err=True)
        raise typer.Exit(exitcodes.USAGE)
    for message in result.errors:
        typer.echo(f"perfdoc: {message}", err=True)
    for path, problems in result.refused.items():
        typer.echo(f"未生成 {display_path(Path(path))}：有 {len(problems)} 个错误（加 --force 可强制生成）")
        print_problems(problems, sys.stdout)
    if result.written or result.removed:
        summary = f"已写入 {len(result.written)} 个文件到 {display_path(out)}/"
        if result.unchanged:
            summary += f"，{len(result.unchanged)} 个文件没有变化未重写"
        if result.removed:
            summary += f"，删除了 {len(result.removed)} 个不再对应项目的旧文件"
    else:
        summary = f"没有变化：{display_path(out)}/ 中的 {len(result.unchanged)} 个文件都是最新的，未重写任何文件"
    if result.refused:
        summary += f"；{len(result.refused)} 个项目因错误未生成（汇总表也未生成）"
    typer.echo(summary + "。")
    if result.errors:
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if result.refused else exitcodes.OK)
