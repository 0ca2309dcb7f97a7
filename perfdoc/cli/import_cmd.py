"""``perfdoc import FILE... -o FOLDER``: parse options, call perfdoc.importer, print what was written, exit."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .report import display_path, print_problems, terminal_safe

#: A quoted document text in the listing is cut here (the file holds it whole, in its comment).
_QUOTE = 60


@app.command("import")
def import_cmd(
    files: list[Path] = typer.Argument(..., metavar="文件", show_default=False,
                                       help="要导入的 Word 文档：汇总表、申报表、项目经费情况说明、自评表或自评汇总"
                                            "（.docx；装有 LibreOffice 时也可以是 Word 97-2003 文档）"),
    out: Path = typer.Option(..., "--out", "-o", metavar="文件夹", show_default=False,
                             help="要新建的单位文件夹（不能已存在，或须是空文件夹）；与 --into 同用时为已有的单位文件夹"),
    into: bool = typer.Option(False, "--into",
                              help="向已有的单位文件夹添加项目文件：只添加新的文件，已有的文件一个也不改；"
                                   "已有同名项目的不导入"),
):
    """把已有的 Word 文档（汇总表、申报表、经费说明、自评表）导入为单位文件夹。

    \b
    perfdoc import 2025年度项目绩效目标汇总表.docx -o projects/2025-某单位
    perfdoc import 汇总表.docx 自评汇总.docx -o projects/2024-某单位
    perfdoc import 新项目-申报表.docx -o projects/2025-某单位 --into

    写出 department.toml（单位名称和年度取自汇总表标题，预算单位数取自汇总表说明，主管部门取自各表，
    项目顺序按文档中的顺序，版式按识别出的样式）和每个项目一个项目文件（文件名与 perfdoc new 的相同）。
    经费说明按项目名称对应到申报表；自评表、自评汇总按项目名称并入项目的 [evaluation]。
    金额照表上印的写（按万元印的表，项目文件也按万元填写），文字逐字保留，每段一行。

    perfdoc 自己生成的句子（项目概述的固定句子、“从…至…。”、七、绩效目标后的说明）不会写入项目文件。
    无法识别的值不写入，在项目文件中该键的位置留一行注释（# 导入时无法识别：“……”（原文第 3 个表格第 5 行）），
    并在最后列出。

    新文件夹先完整生成在它旁边的临时文件夹中，读回校验后才改名；出错时不留下任何文件。

    退出码：0 全部导入；1 已导入，但有值无法识别或内容未导入（已列出）；
    2 文件无法读取、不是可导入的文档、文件夹不可用或用法错误（未写入任何文件）。
    """
    from ..importer import ImportFailure, import_documents

    try:
        result = import_documents(files, out, into=into)
    except ImportFailure as exc:
        if exc.problems:
            print_problems(exc.problems, sys.stderr)
        typer.echo(f"perfdoc: {terminal_safe(exc.message)}", err=True)
        raise typer.Exit(exitcodes.USAGE) from None
    _report(result)
    raise typer.Exit(exitcodes.FAULTS if result.missing_count else exitcodes.OK)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE else text[:_QUOTE] + "…"


def _line(m) -> str:
    key = f"{m.key}：" if m.key else ""
    where = f"（{Path(m.file).name} {m.where}）" if m.where else f"（{Path(m.file).name}）"
    text = f"“{_cut(m.text)}”" if m.text else ""
    if m.reason == "无法识别":
        return f"{key}无法识别{text}{where}"
    return f"{key}{m.reason}" + (f"：{text}" if text else "") + where


def _report(result) -> None:
    echo = typer.echo
    folder = result.folder
    projects = [w for w in result.written if w.name]
    verb = "已向" if result.into else "已生成"
    tail = f" 添加 {len(projects)} 个项目" if result.into else f"：{len(projects)} 个项目"
    echo(terminal_safe(f"{verb} {display_path(folder)}{tail}。"))
    width = max((_width(w.file) for w in result.written), default=0)
    for w in result.written:
        pad = " " * (width - _width(w.file))
        echo(terminal_safe(f"  {w.file}{pad}  {w.name}" if w.name else f"  {w.file}"))
    for name, existing in result.skipped:
        echo(terminal_safe(f"  未导入  {name}：文件夹中已有同名项目（{existing}），不会覆盖"))
    listed = [(w, line, m) for w in result.written for line, m in w.missing]
    if listed:
        echo(f"有 {len(listed)} 处无法识别或未导入，已在文件中该处留下注释，请对照原文补上：")
        for w, line, m in listed:
            where = display_path(folder / w.file) + (f":{line}" if line else "")
            echo(terminal_safe(f"  {where}  {_line(m)}"))
    if result.notes:
        echo(f"{'另有' if listed else '有'} {len(result.notes)} 处内容未导入：")
        for m in result.notes:
            echo(terminal_safe(f"  {_line(m)}"))
    if not result.into:
        echo(terminal_safe(f"下一步：perfdoc check {display_path(folder)}"))
