"""``perfdoc diff``: compare two department folders, or a folder with itself at a git revision."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .report import display_path, print_problems


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _fail(message: str, code: int = exitcodes.USAGE) -> typer.Exit:
    typer.echo(f"perfdoc: {message}", err=True)
    return typer.Exit(code)


def _load_or_exit(loaded, color: bool | None):
    """The one department of a LoadResult; load problems printed and exit 2 when unusable."""
    fatal = [p for p in loaded.problems if p.fatal]
    if fatal or not loaded.departments:
        print_problems(fatal, sys.stderr, color)
        typer.echo(f"输入文件有错误（{len(fatal)} 个），无法比较。", err=True)
        raise typer.Exit(exitcodes.USAGE)
    return loaded.departments[0]


@app.command("diff")
def diff_cmd(
    old: Path = typer.Argument(..., help="旧的单位文件夹（与 --rev 同用时：要比较的单位文件夹）", show_default=False,
                               metavar="旧文件夹"),
    new: Path = typer.Argument(None, help="新的单位文件夹", show_default=False, metavar="新文件夹"),
    rev: str = typer.Option(None, "--rev", "-r", metavar="版本", help="与该 git 版本中的同一文件夹比较（如 HEAD、HEAD~1、main、v2025）；不检出、不改动工作区"),
    format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="输出格式：text（终端）、markdown（合并请求）或 json"),
    color: bool = typer.Option(None, "--color/--no-color", help="彩色输出（默认在终端中开启）"),
    docx: Path = typer.Option(None, "--docx", metavar="文件", help="另外生成带修订标记的 Word 比较报告，写入此文件",
                              show_default=False),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="--docx 的文件已存在且不是 perfdoc 生成的时，仍然覆盖（输入文件永远不会被覆盖）"),
):
    """比较两个单位文件夹（如上一年度与本年度），或一个文件夹与它在某个 git 版本中的样子。

    \b
    perfdoc diff 旧文件夹 新文件夹
    perfdoc diff 文件夹 --rev HEAD~1

    列出新增、删除、改名和修改的项目，每项资金的新旧金额、增减额和增减比例，指标的增删、移动和指标值变化，以及文字的逐字修改。单纯的年度顺延（年度、计划日期和总目标年度整体顺延）不算变化；[evaluation] 自评内容不参与比较。

    退出码：0 没有变化；1 有变化；2 输入无法使用或用法错误。
    """
    from ..diff.changes import diff_departments
    from ..diff.report import diff_json, diff_markdown, print_diff
    from ..load import load_department

    if rev is not None and new is not None:
        raise _fail("--rev 与第二个文件夹不能同时使用：用 perfdoc diff 旧文件夹 新文件夹，或 perfdoc diff 文件夹 --rev 版本")
    if rev is None and new is None:
        raise _fail("需要两个单位文件夹（perfdoc diff 旧文件夹 新文件夹），或一个文件夹加 --rev 版本")
    if rev is not None:
        from ..diff.gitrev import GitError, load_department_at

        new_loaded = load_department(old)
        new_dep = _load_or_exit(new_loaded, color)
        try:
            old_loaded, at = load_department_at(old, rev)
        except GitError as exc:
            raise _fail(str(exc)) from None
        old_dep = _load_or_exit(old_loaded, color)
        old_label, new_label = at.label, display_path(old)
    else:
        old_loaded, new_loaded = load_department(old), load_department(new)
        problems = [p for p in old_loaded.problems + new_loaded.problems if p.fatal]
        if problems:
            print_problems(problems, sys.stderr, color)
            typer.echo(f"输入文件有错误（{len(problems)} 个），无法比较。", err=True)
            raise typer.Exit(exitcodes.USAGE)
        old_dep, new_dep = _load_or_exit(old_loaded, color), _load_or_exit(new_loaded, color)
        old_label, new_label = display_path(old), display_path(new)

    diff = diff_departments(old_dep, new_dep)
    diff.old_label, diff.new_label = old_label, new_label

    if docx is not None:
        _write_docx(diff, docx, overwrite=overwrite)
    if format is DiffFormat.json:
        typer.echo(diff_json(diff))
    elif format is DiffFormat.markdown:
        typer.echo(diff_markdown(diff), nl=False)
    else:
        print_diff(diff, sys.stdout, color)
    raise typer.Exit(exitcodes.FAULTS if diff.changed else exitcodes.OK)


def _write_docx(diff, path: Path, *, overwrite: bool) -> None:
    from ..diff.docx_report import build_report
    from ..fsutil import atomic_write_bytes, os_reason
    from ..outdir import OutputRefused, check_output_file, department_inputs
    from ..render.document import to_bytes
    from ..render.template import TemplateError

    inputs = set()
    for dep in (diff.old, diff.new):
        if dep is not None and dep.path is not None and Path(dep.path).is_dir():
            inputs |= department_inputs(dep.path, dep.model.attachments if dep.model else ())
    try:
        check_output_file(path, inputs, overwrite=overwrite)
    except OutputRefused as exc:
        raise _fail(exc.message) from None
    try:
        data = to_bytes(build_report(diff))
    except TemplateError as exc:
        raise _fail(str(exc)) from None
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise _fail(f"无法写入 {display_path(path)}：{os_reason(exc)}") from None
    typer.echo(f"已写入 {display_path(path)}", err=True)
