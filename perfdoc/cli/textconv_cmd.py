"""``perfdoc textconv FILE.docx``: the text of a Word document, for ``git diff`` of committed out/ files.

Turned on in a repository by ``*.docx diff=perfdoc`` in .gitattributes and
``git config diff.perfdoc.textconv "perfdoc textconv"``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .. import exitcodes
from . import app


@app.command("textconv")
def textconv_cmd(
    file: Path = typer.Argument(..., metavar="文件", help="Word 文档（.docx）", show_default=False),
):
    """输出 Word 文档（.docx）的文字，供 git diff 比较提交到 git 中的文档。

    段落一行一段；表格一行一行输出，单元格之间用“ | ”分隔（纵向合并的续格为空），
    同一单元格中的几段用“ ¶ ”连接；修订显示为 {+插入+} 和 [-删除-]。
    在仓库中启用：.gitattributes 中写 *.docx diff=perfdoc，
    再运行 git config diff.perfdoc.textconv "perfdoc textconv"。
    退出码：0 成功；2 文件无法读取或不是 Word 文档（管道、设备文件、过大的文件、加密或损坏的文档都不读）。
    """
    from ..read.text import PackageError, document_text

    try:
        text = document_text(file)
    except PackageError as exc:
        typer.echo(f"perfdoc: {exc}", err=True)
        raise typer.Exit(exitcodes.USAGE)
    data = text.encode("utf-8")
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a stream without bytes (a test runner): write text
        sys.stdout.write(text)
    else:
        try:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        except BrokenPipeError:  # the reader (a pager) stopped early: not an error
            _silence_stdout()
    raise typer.Exit(exitcodes.OK)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
