"""``perfdoc next-year SRC DST``: parse options, call perfdoc.nextyear.roll_over, print, exit."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .report import display_path, print_problems


@app.command("next-year")
def next_year_cmd(
    src: Path = typer.Argument(..., metavar="上年文件夹", show_default=False,
                               help="上一年度的单位文件夹（含 department.toml），如 projects/2022-songjiang"),
    dst: Path = typer.Argument(..., metavar="新文件夹", show_default=False,
                               help="要新建的新年度文件夹，如 projects/2023-songjiang（不能已存在，或须是空文件夹）"),
    all_: bool = typer.Option(False, "--all", help="实施期已结束的跨年度项目也一并转入：项目总目标起止年度和计划日期都顺延一年，请按新的实施期核对"),
):
    """从上一年度的单位文件夹生成新年度的文件夹（上年文件夹不变，新建新文件夹）。

    \b
    - 年度（department.year、project.year）加一；
    - 计划开始、完成日期顺延一年（2月29日改为2月28日），日期的写法不变（2026-01-01、"2026.01.01" 等）；
    - 单年度项目的项目总目标起止年度（goals.period）顺延一年；
    - 跨年度项目（阶段性项目，或 goals.period 跨年）实施期未结束的：goals.period 不变，
      计划日期顺延一年；计划已含新年度的（如按整个实施期填写的计划）不变；
    - 跨年度项目实施期已结束的（结束年度早于新年度；阶段性项目未写 goals.period 时按计划完成日期判断）：
      列出并不转入；加 --all 则转入，并像单年度项目一样把 goals.period 和计划日期都顺延一年；
    - 删除自评内容：[evaluation] 表，以及各指标的 actual、score、deviation；
    - 指标、项目经费情况说明等其他内容，以及注释、键的顺序和排版都保持原样；
      文件夹中的其他文件（版式文件夹、附件等）原样复制。

    新文件夹先完整生成在它旁边的临时文件夹中，校验无误后才改名；出错时不留下任何文件。

    新文件夹的名称由你指定，perfdoc 不会猜测。

    退出码：0 已生成；2 输入有错误或用法错误（未生成任何文件）。
    """
    from ..nextyear import NextYearError, roll_over

    try:
        result = roll_over(src, dst, include_ended=all_)
    except NextYearError as exc:
        if exc.problems:
            print_problems(exc.problems, sys.stdout)
        typer.echo(f"perfdoc: {exc.message}", err=True)
        raise typer.Exit(exitcodes.USAGE) from None
    _report(result)
    raise typer.Exit(exitcodes.OK)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _period(period) -> str:
    return f"{period[0]}年-{period[1]}年"


def _report(result) -> None:
    from ..nextyear import EVALUATION_KEYS

    echo = typer.echo
    dst = display_path(result.dst)
    echo(f"已生成 {dst}：{result.old_year} 年度 → {result.new_year} 年度，"
         f"转入 {len(result.rolled)} 个项目" + (f"，{len(result.left_out)} 个项目未转入" if result.left_out else "") + "。")
    width = max(_width(p.file) for p in result.projects)
    for roll in result.projects:
        d = roll.decision
        label = _pad(roll.file, width)
        plan = f"计划 {roll.start} 至 {roll.end}"
        if not roll.included:
            echo(f"  未转入  {label}  跨年度项目，实施期至 {d.period_end} 年已结束（加 --all 可一并转入）")
        elif d.kind.value == "single":
            goals = f"；项目总目标 {_period(roll.period_after)}" if roll.period_after else ""
            echo(f"  转入    {label}  {plan}{goals}")
        elif d.kind.value == "running":
            period = f"实施期 {_period(roll.period_before)}" if roll.period_before else f"实施期至 {d.period_end} 年"
            kept = "（已含新年度，不变）" if not d.move_plan else ""
            echo(f"  转入    {label}  跨年度项目，{period} 未结束，项目总目标年度不变；{plan}{kept}")
        else:
            goals = f"项目总目标 {_period(roll.period_after)}，" if roll.period_after else ""
            echo(f"  转入    {label}  跨年度项目实施期已于 {d.period_end} 年结束，按 --all 顺延一年：{goals}{plan}；请按新的实施期核对")
    for roll in result.rolled:
        removed = roll.removed
        if not removed:
            continue
        parts = ["[evaluation]"] if removed.evaluation else []
        if removed.indicators:
            counts = {k: sum(k in ks for ks in removed.indicators.values()) for k in EVALUATION_KEYS}
            parts.append("指标的 " + "、".join(f"{k} {n} 处" for k, n in counts.items() if n))
        echo(f"  删除自评 {roll.file}：{'；'.join(parts)}")
    if result.copied:
        shown = "、".join(result.copied[:5]) + ("等" if len(result.copied) > 5 else "")
        echo(f"  原样复制 {len(result.copied)} 个其他文件：{shown}")
    if result.skipped:
        echo(f"  未复制 {len(result.skipped)} 个特殊文件（不是普通文件或文件夹）：{'、'.join(result.skipped)}")
    stale = [(roll, line, key) for roll in result.rolled for line, key in roll.stale]
    if stale:
        echo(f"文字中仍写有 {result.old_year} 年，请按新年度核对：")
        for roll, line, key in stale:
            echo(f"  {display_path(Path(result.dst) / roll.file)}:{line}  {key}")
    for note in result.notes:
        echo(f"注意：{note}")
