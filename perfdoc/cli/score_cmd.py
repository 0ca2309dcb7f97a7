"""``perfdoc score``: score the self-evaluations (自评表) and print them; a thin layer over perfdoc.evaluate."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import exitcodes
from ..check import check_departments
from ..evaluate import ProjectScore, score_project
from ..load import load_paths
from ..model import Money, ProjectFile, Severity
from . import app
from .report import display_path, print_problems

#: The check codes of the self-evaluation rules (perfdoc/check/rules/evaluation.py).
EVALUATION_CODES = "PD6"


class Format(str, Enum):
    text = "text"
    json = "json"


def _d(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _money(m: Money, unit: str) -> str:
    return m.format(unit)


# -- JSON -------------------------------------------------------------------------------------

def _project_doc(project: ProjectFile, score: ProjectScore) -> dict:
    m = project.model
    evaluation = m.evaluation
    rows = [{
        "label": r.label,
        "initial": f"{r.initial.yuan:.2f}",
        "adjusted": f"{r.adjusted.yuan:.2f}",
        "executed": f"{r.executed.yuan:.2f}",
        "rate": _d(r.rate),
    } for r in score.rows]
    indicators = []
    for r in score.indicators:
        ind = m.indicators[r.index]
        indicators.append({
            "index": r.index,
            "level1": ind.level1,
            "level2": ind.level2,
            "name": ind.name,
            "target": ind.target.text,
            "actual": ind.actual.text if ind.actual is not None else None,
            "weight": _d(r.weight),
            "score": _d(r.score),
            "computed": _d(r.computed),
            "stated": _d(r.stated),
            "deviation": ind.deviation,
        })
    return {
        "file": display_path(project.path),
        "key": project.key,
        "name": m.name,
        "year": m.project.year,
        "budget": {
            "unit": "元",
            "rows": rows,
            "weight": _d(score.budget_weight),
            "rate": _d(score.budget_rate),
            "score": _d(score.budget_score),
        },
        "indicators": indicators,
        "indicator_total": _d(score.indicator_total),
        "total": _d(score.total),
        "grade": score.grade,
        "stated_total": _d(evaluation.total),
        "stated_grade": evaluation.grade,
        "stated_agrees": _agrees(project, score),
    }


def _agrees(project: ProjectFile, score: ProjectScore) -> bool | None:
    """Whether the 总分 and 评分等级 written in the file match the computed ones (None: none written)."""
    evaluation = project.model.evaluation
    if evaluation.total is None and evaluation.grade is None:
        return None
    return ((evaluation.total is None or evaluation.total == score.total)
            and (evaluation.grade is None or evaluation.grade == score.grade))


# -- text -------------------------------------------------------------------------------------

def _budget_table(project: ProjectFile, score: ProjectScore) -> Table:
    unit = project.model.evaluation.funding.unit
    table = Table(title=f"预算执行情况（{unit}）", title_justify="left", show_lines=False)
    table.add_column("项目资金", overflow="fold")
    for head in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"):
        table.add_column(head, justify="right", overflow="fold")
    for i, r in enumerate(score.rows):
        first = i == 0
        table.add_row(
            r.label, _money(r.initial, unit), _money(r.adjusted, unit), _money(r.executed, unit),
            _d(score.budget_weight) if first else "-",
            _d(r.rate) if r.rate is not None else "-",
            _d(score.budget_score) if first else "-",
        )
    return table


def _indicator_table(project: ProjectFile, score: ProjectScore) -> Table:
    """One row per 三级指标 under a line for each 一级 · 二级 group; long texts fold, never truncate."""
    inds = project.model.indicators
    table = Table(title="绩效指标", title_justify="left")
    table.add_column("三级指标", overflow="fold", ratio=3)
    table.add_column("年度指标值", overflow="fold", ratio=2)
    table.add_column("实际完成值", overflow="fold", ratio=2)
    for head in ("分值", "得分", "按规则"):
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column("偏差原因分析及改进措施", overflow="fold", ratio=3)
    group = None
    for r in score.indicators:
        ind = inds[r.index]
        if (ind.level1, ind.level2) != group:
            group = (ind.level1, ind.level2)
            table.add_row(Text(f"{ind.level1} · {ind.level2}", style="bold"))
        below = r.score < r.weight
        table.add_row(
            ind.name, ind.target.text,
            ind.actual.text if ind.actual is not None else "",
            _d(r.weight),
            Text(_d(r.score), style="yellow" if below else ""),
            _d(r.computed) if r.computed is not None else "无法计算",
            ind.deviation or "",
        )
    table.add_section()
    table.add_row("预算执行", "", "", _d(score.budget_weight), _d(score.budget_score), "", "")
    table.add_row("总分", "", "", "100.00", Text(_d(score.total), style="bold"), "", "")
    return table


def _stated_line(project: ProjectFile, score: ProjectScore) -> Text:
    evaluation = project.model.evaluation
    line = Text()
    line.append("总分 ")
    line.append(_d(score.total), style="bold")
    line.append("  评分等级 ")
    line.append(score.grade, style="bold")
    stated = []
    if evaluation.total is not None:
        stated.append(f"总分 {_d(evaluation.total)}")
    if evaluation.grade is not None:
        stated.append(f"等级 {evaluation.grade}")
    agrees = _agrees(project, score)
    if agrees is not None:
        line.append(f"  （表上：{'，'.join(stated)}，", style="")
        line.append("一致" if agrees else "不一致", style="green" if agrees else "red bold")
        line.append("）")
    return line


def _print_text(console: Console, scored: list[tuple[ProjectFile, ProjectScore]]) -> None:
    for project, score in scored:
        console.print(Text(f"{project.model.name}（{display_path(project.path)}）", style="bold"))
        console.print(_budget_table(project, score))
        console.print(_indicator_table(project, score))
        console.print(_stated_line(project, score))
        console.print()


# -- the command ------------------------------------------------------------------------------

@app.command("score")
def score_cmd(
    paths: list[Path] = typer.Argument(None, help="单位文件夹、项目文件，或包含若干单位文件夹的目录；默认 projects/"),
    format: Format = typer.Option(Format.text, "--format", "-f", help="输出格式：text（表格）或 json"),
    color: bool = typer.Option(None, "--color/--no-color", help="彩色输出（默认在终端中开启）"),
):
    """计算自评表的得分：预算执行率及得分、各指标得分、总分和评分等级（只看含 [evaluation] 的项目）。

    得分规则：执行率 = 全年执行数 / 全年预算数，得分 = 10 × 执行率（不超过 10）；
    数量型指标达标得满分，未达标按实际值与指标值之比计分（≤、< 类按超出比例扣分）；
    定性指标得满分，除非文件中写了 score；文件中写的 score 优先。

    JSON 中金额以元为单位，分数、金额都是两位小数的字符串（如 "97.97"）。

    退出码：0 计算完成且自评没有错误；1 自评有错误（PD6xx 检查代码，如表上总分或等级与计算不符、
    得分低于分值却没有偏差原因、缺少实际完成值），问题随结果列出；2 输入无法使用或用法错误。
    """
    paths = paths or [Path("projects")]
    loaded = load_paths(paths)
    if loaded.problems:
        print_problems(loaded.problems, sys.stderr, color)
    evaluated = [p for dep in loaded.departments for p in dep.ordered_projects() if p.model.evaluation is not None]
    scored = [(p, s) for p in evaluated if (s := score_project(p.model)) is not None]
    problems = [p for p in check_departments(loaded.departments) if p.code.startswith(EVALUATION_CODES)]
    errors = [p for p in problems if p.severity is Severity.ERROR]

    if format is Format.json:
        doc = {
            "projects": [_project_doc(p, s) for p, s in scored],
            "problems": [dict(p.as_dict(), file=display_path(p.file)) for p in problems],
            "summary": {"projects": len(loaded.projects), "evaluated": len(evaluated), "scored": len(scored),
                        "errors": len(errors)},
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        console = Console(file=sys.stdout, highlight=False, soft_wrap=False,
                          force_terminal=color if color is not None else None,
                          no_color=(color is False))
        _print_text(console, scored)
        if problems:
            print_problems(problems, sys.stdout, color)
        if not evaluated and not loaded.fatal:
            typer.echo(f"没有含 [evaluation] 的项目（共 {len(loaded.projects)} 个项目）：自评在年度结束后写入项目文件。")
        elif evaluated:
            summary = f"计算了 {len(scored)} 个项目的自评得分"
            summary += f"；自评有 {len(errors)} 个错误。" if errors else "；自评没有发现错误。"
            typer.echo(summary)
    if loaded.fatal:
        typer.echo("有输入文件无法使用（见上），其中的项目未计算。", err=True)
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if errors else exitcodes.OK)
