"""``perfdoc review FILE... -o FOLDER``: parse options, call perfdoc.review, print the findings, exit."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .report import display_path, dump_json, terminal_safe


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command("review")
def review_cmd(
    files: list[Path] = typer.Argument(..., metavar="文件", show_default=False,
                                       help="收到的 Word 文档：汇总表、申报表（与其经费说明、自评表）"
                                            "（.docx；装有 LibreOffice 时也可以是 Word 97-2003 文档）"),
    out: Path = typer.Option(..., "--out", "-o", metavar="文件夹", show_default=False,
                             help="写入审核结果的文件夹（不存在时新建；不能是放收到的文件的文件夹）"),
    format: Format = typer.Option(Format.text, "--format", "-f", help="输出格式：text 或 json（供其他程序读取）"),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="覆盖输出文件夹中不是 perfdoc 写入的同名文件（收到的文件永远不会被覆盖）"),
):
    """审核收到的 Word 文档：把 perfdoc check 发现的每个问题作为批注写在文档中问题所在之处。

    \b
    perfdoc review 收到的文件/*.docx -o 审核结果/
    perfdoc review 2026年度项目绩效目标汇总表.docx -o 审核结果 --format json

    每个收到的文件写出一份审核后的副本 文件夹/<原文件名>-审核.docx：它就是原文件，只加了批注（作者 perfdoc），
    原文的字体、格式、已有的批注和修订都不动；另写出一份 文件夹/审核意见.md，按文件、按项目列出每个问题的
    检查代码、位置和说明，最后是合计。

    批注的位置：金额对不上的，在该金额的单元格；指标值或计量单位的问题，在该指标的指标值单元格；重复的三级指标，
    在第二次出现处（批注写明第一次在哪里）；经费说明的问题，在该节的段落；缺少的一节或缺少的一级指标，在该节标题
    或指标表的表头行；经费说明与申报表之间的不一致，两处各一条批注，互相写明对方的位置。无法精确定位的，
    批注在最近的所属位置（表格、该节），不会遗漏。

    只有经费说明或自评表的文件，须与其申报表（或汇总表）一同审核。

    退出码：0 没有发现问题；1 发现问题（已写成批注）；2 文件无法读取、不是可审核的文档、文件夹不可用或用法错误
    （未写入任何文件）。
    """
    from ..review import SUMMARY, ReviewFailure, review_files
    from ..review.summary import place_text, tally

    try:
        result = review_files(files, out, overwrite=overwrite)
    except ReviewFailure as exc:
        for line in exc.message.splitlines():
            typer.echo(f"perfdoc: {terminal_safe(line)}", err=True)
        raise typer.Exit(exitcodes.USAGE) from None
    if format is Format.json:
        typer.echo(dump_json(result.json(display_path(out))))
    else:
        for review in result.documents:
            reviewed = display_path(out / review.reviewed)
            typer.echo(terminal_safe(f"{review.label} → {reviewed}：{tally(review.findings)}"))
            for f in review.findings:
                places = "；".join(place_text(a) for a in f.anchors if a.doc.label == review.label)
                typer.echo(terminal_safe(f"  {places}  {f.label} {f.code} {f.message}"))
            for where, text, why in review.not_reviewed:
                shown = " ".join(text.split())
                shown = f"“{shown[:40]}…”" if len(shown) > 40 else (f"“{shown}”" if shown else "")
                typer.echo(terminal_safe(f"  未审核：{where}{shown}：{why}"))
            if review.without_narrative:
                names = "、".join(f"“{n}”" for n in review.without_narrative)
                typer.echo(terminal_safe(f"  未审核：{names}的项目经费情况说明不在所给文件中"))
        typer.echo(terminal_safe(f"共审核 {len(result.documents)} 个文件，{tally(result.findings)}；"
                                 f"审核意见见 {display_path(out / SUMMARY)}。"))
    raise typer.Exit(exitcodes.FAULTS if result.findings else exitcodes.OK)
