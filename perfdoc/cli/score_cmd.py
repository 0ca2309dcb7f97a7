"""``perfdoc score``: score the self-evaluations (自评表) and print them; a thin layer over perfdoc.evaluate."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path

from typing import TYPE_CHECKING

import typer

from .. import exitcodes
from . import app
from .common import PATHS_HELP, paths_or_default
from .report import display_path, print_problems

if TYPE_CHECKING:
    from ..evaluate import ProjectScore
    from ..model import ProjectFile

# The loader, the rules, the scoring and rich are imported inside the command: ``--help`` and
# ``--version`` import none of them.

#: The check codes of the self-evaluation rules (perfdoc/check/rules/evaluation.py).
EVALUATION_CODES = "PD6"


class Format(str, Enum):
    text = "text"
    json = "json"


def _d(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# -- JSON -------------------------------------------------------------------------------------

def _project_doc(project: ProjectFile, score: ProjectScore) -> dict:
    from ..check import profile_of
    from .score_text import agrees

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
        "profile": profile_of(project.department).name,
        "method": score.method.title,
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
        "stated_agrees": agrees(project, score),
    }


def _profile_lines(evaluated: list[ProjectFile]) -> list[str]:
    """The profile in force (one line), or one line per department folder where they differ."""
    from ..check import profile_of

    by_folder = {}
    for project in evaluated:
        folder = project.department.path if project.department is not None else project.path.parent
        by_folder.setdefault(folder, profile_of(project.department))
    profiles = set(by_folder.values())
    if len(profiles) == 1:
        return [f"规则集 {profiles.pop().description}"]
    return [f"规则集 {profile.description}（{display_path(folder)}）" for folder, profile in by_folder.items()]


# -- the command ------------------------------------------------------------------------------

@app.command("score")
def score_cmd(
    paths: list[Path] = typer.Argument(None, metavar="路径", help=PATHS_HELP, show_default=False),
    format: Format = typer.Option(Format.text, "--format", "-f",
                                  help="输出格式：text（在终端中是表格，在管道或文件中是不折行的纯文本）或 json"),
    color: bool = typer.Option(None, "--color/--no-color", help="彩色输出（默认在终端中开启）"),
):
    """计算自评表的得分：预算执行率及得分、各指标得分、总分和评分等级（只看含 [evaluation] 的项目）。

    按单位的规则集计分（department.toml 的 [check] profile，第一行列出）。shanghai（默认，财预〔2020〕10号）：
    执行率 = 全年执行数 / 全年预算数，得分 = 10 × 执行率（不超过 10）；
    数量型指标达标得满分，未达标按实际值与指标值之比计分（≤、< 类按超出比例扣分）；
    定性指标得满分，除非文件中写了 score；文件中写的 score 优先。
    central-101（财预〔2021〕101号）：执行率达到 100%、80%、60% 分别得 10、7、5 分，不足 60% 得 0 分；
    数量型指标完成率不足 60% 得 0 分，其间得 (完成率 − 60%) / 40% × 分值；满意度达到 90% 得满分，
    80% 至 90% 得 8/10，60% 至 80% 得 5/10。

    JSON 中金额以元为单位，分数、金额都是两位小数的字符串（如 "97.97"）。

    退出码：0 计算完成且自评没有错误；1 自评有错误（PD6xx 检查代码，如表上总分或等级与计算不符、
    得分低于分值却没有偏差原因、缺少实际完成值），问题随结果列出；2 输入无法使用或用法错误。
    """
    from rich.console import Console
    from rich.text import Text

    from ..check import check_departments, profile_of
    from ..evaluate import score_project
    from ..load import load_paths
    from ..model import Severity
    from .score_text import print_scores

    loaded = load_paths(paths_or_default(paths, "score"))
    if loaded.problems:
        print_problems(loaded.problems, sys.stderr, color)
    evaluated = [p for dep in loaded.departments for p in dep.ordered_projects() if p.model.evaluation is not None]
    scored = [(p, s) for p in evaluated if (s := score_project(p.model, profile_of(p.department).method)) is not None]
    # the self-evaluation's findings, and a [check] setting that cannot be used (PD002 in department.toml)
    problems = [p for p in check_departments(loaded.departments) if p.code.startswith(EVALUATION_CODES) or p.fatal]
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
        for line in _profile_lines(evaluated):
            console.print(Text(line), soft_wrap=True)
        print_scores(console, scored, tables=sys.stdout.isatty())
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
    if any(p.fatal for p in problems):  # a [check] setting of department.toml that does not exist (PD002)
        raise typer.Exit(exitcodes.USAGE)
    raise typer.Exit(exitcodes.FAULTS if errors else exitcodes.OK)
