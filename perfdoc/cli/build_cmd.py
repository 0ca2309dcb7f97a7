"""``perfdoc build``: parse options, call perfdoc.build.build, print, exit."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .common import PATHS_HELP, paths_or_default
from .report import display_path, print_problems


@app.command("build")
def build_cmd(
    paths: list[Path] = typer.Argument(None, metavar="路径", help=PATHS_HELP, show_default=False),
    out: Path = typer.Option(Path("out"), "--out", "-o", metavar="文件夹", help="输出文件夹"),
    force: bool = typer.Option(False, "--force", help="有“错误”级问题的项目也照样生成（最后列出有几个错误）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="列出写入和删除的每个文件"),
    pdf: bool = typer.Option(False, "--pdf", help="同时在每个 Word 文档旁生成同名 PDF（需要 LibreOffice；只重做 Word 文档有变化的）"),
    jobs: int = typer.Option(None, "--jobs", "-j", metavar="个数", min=1, max=64,
                             help="同时生成文档（和转换 PDF）的进程数（默认：CPU 核数；1：只用一个进程）"),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="覆盖输出文件夹中不是 perfdoc 生成的同名文件（输入文件永远不会被覆盖）"),
):
    """生成 Word 文档：每个项目的申报表和项目经费情况说明，写入 输出文件夹/单位文件夹/。

    有“错误”级问题的项目不生成（列出问题），除非加 --force。
    可一次生成多个单位（写出包含若干单位文件夹的目录）：逐个单位读取和检查，各进程分担生成；
    所有输入都与上次生成时相同时，直接报告上次的结果，不再读取和检查。
    加 --pdf 时每个文档旁另有同名 PDF，由 LibreOffice 转换，中文字体按宋体、仿宋、黑体对应的开源字体排版。
    退出码：0 全部生成；1 有项目因错误被拒绝；2 输入无法使用或用法错误。
    """
    from ..build import build  # imports the renderer only when something has to be built

    paths = paths_or_default(paths, "build")
    bar = ProgressBar()
    try:
        result = build(paths, out, force=force, progress=bar, pdf=pdf, jobs=jobs, overwrite=overwrite)
    finally:
        bar.close()
    if result.problems:
        print_problems([p for p in result.problems if p.fatal], sys.stdout)
    if result.input_fatal:
        typer.echo("输入文件有错误，未生成任何文档。", err=True)
        raise typer.Exit(exitcodes.USAGE)
    for message in result.errors:
        typer.echo(f"perfdoc: {message}", err=True)
    if result.stopped:
        typer.echo("未写入任何文件。", err=True)
        raise typer.Exit(exitcodes.USAGE)
    for path, problems in result.refused.items():
        typer.echo(f"未生成 {display_path(Path(path))}：有 {len(problems)} 个错误（加 --force 可强制生成）")
        print_problems(problems, sys.stdout)
    if verbose:
        for path in result.written:
            typer.echo(f"写入 {display_path(path)}")
        for path in result.removed:
            typer.echo(f"删除 {display_path(path)}")
    if result.errors and not (result.written or result.removed):
        typer.echo("未写入任何文件。", err=True)  # a summary ("没有变化") would hide the failure
    else:
        for line in summary_lines(result, out):
            typer.echo(line)
    if result.errors:
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if result.refused else exitcodes.OK)


class ProgressBar:
    """A progress bar on standard error while a build runs, once it has run for ``DELAY`` seconds, on a
    terminal only: nothing when piped or redirected, and nothing for a build over in a moment (rich
    is not even imported then).  It is drawn when the count changes (no drawing thread)."""

    DELAY = 1.5

    def __init__(self):
        self.started = time.monotonic()
        self.shown = sys.stderr.isatty()
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.shown:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            console = Console(stderr=True)
            self.shown = console.is_terminal
            if not self.shown:
                return
            self.bar = Progress(TextColumn("生成"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                                console=console, transient=True, auto_refresh=False)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, total=total, completed=done, description=name)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def summary_lines(result, out: Path) -> list[str]:
    """What the build did, in the order a person asks: written, unchanged, removed, refused, forced."""
    folder = f"{display_path(out)}/"
    projects = result.projects
    if result.refused and len(result.refused) == projects:
        every = "项目有错误" if projects == 1 else f"全部 {projects} 个项目都有错误"
        summary = f"{every}，未生成任何文档（加 --force 可强制生成）"
        if result.removed:
            summary += f"；删除了 {folder} 中 {len(result.removed)} 个过时的旧文件"
    elif result.written:
        summary = f"已写入 {len(result.written)} 个文件到 {folder}"
        if result.unchanged:
            summary += f"，{len(result.unchanged)} 个文件没有变化未重写"
        if result.removed:
            summary += f"，删除了 {len(result.removed)} 个过时的旧文件"
    elif result.removed:
        summary = f"删除了 {folder} 中 {len(result.removed)} 个过时的旧文件"
        if result.unchanged:
            summary += f"，{len(result.unchanged)} 个文件没有变化未重写"
    else:
        summary = f"没有变化：{folder} 中的 {len(result.unchanged)} 个文件都是最新的，未重写任何文件"
    if result.refused and len(result.refused) < projects:
        summary += f"；{len(result.refused)} 个项目因错误未生成（汇总表也未生成）"
    lines = [summary + "。"]
    if result.forced:
        errors = sum(len(problems) for problems in result.forced.values())
        for path, problems in result.forced.items():
            lines.insert(-1, f"仍已生成 {display_path(Path(path))}：有 {len(problems)} 个错误")
        lines.append(f"有 {errors} 个错误的 {len(result.forced)} 个项目仍已生成（--force）；提交前请改正这些错误。")
    return lines
