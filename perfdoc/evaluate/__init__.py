"""Evaluate: the figures of a project's self-evaluation form (自评表, forms.md §4).

``score_project`` turns a project with an ``[evaluation]`` into the budget
rows, the execution rate and score, each indicator's score and the total and
grade, all as exact Decimals with two places.  The renderer and
``perfdoc score`` use it; the math lives in ``perfdoc.model.scoring`` so that
the check rules compute the same figures.  The scoring method is the
department's profile's (财预〔2020〕10号 unless the profile says 101号); the
caller passes it (``perfdoc.check.profiles.profile_of(department).method``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import EvaluationRow, Money, Project
from ..model.scoring import (
    BUDGET_WEIGHT, TEN, ScoringMethod, execution_rate, grade_of, is_satisfaction, round2, used_score,
)

__all__ = ["IndicatorResult", "BudgetRow", "ProjectScore", "score_project", "ROW_LABELS"]

#: The funding block's rows: key in [evaluation.funding] and the label on the form.
ROW_LABELS = (
    ("total", "年度资金总额"),
    ("appropriation", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)


@dataclass(frozen=True)
class IndicatorResult:
    index: int  # position in project.indicators
    weight: Decimal  # 分值 (0.00 when the file gives none)
    score: Decimal  # 得分 used (stated score, else computed, else 0.00)
    computed: Decimal | None  # what the rule gives (None where it cannot be computed)
    stated: Decimal | None  # the score written in the file


@dataclass(frozen=True)
class BudgetRow:
    label: str  # 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金
    initial: Money
    adjusted: Money
    executed: Money
    rate: Decimal | None  # 执行率 in percent, 2 decimals (None when adjusted is 0)


@dataclass(frozen=True)
class ProjectScore:
    rows: list[BudgetRow]  # total first, then the rows present
    budget_weight: Decimal  # 10.00
    budget_rate: Decimal  # percent, 2 decimals (0.00 when 全年预算数 is 0)
    budget_score: Decimal  # 2 decimals
    indicators: list[IndicatorResult]
    indicator_total: Decimal
    total: Decimal  # budget_score + indicator_total
    grade: str  # 优/良/中/差
    method: ScoringMethod = TEN  # how the scores were computed


def _row(label: str, row: EvaluationRow) -> BudgetRow:
    return BudgetRow(label, row.initial, row.adjusted, row.executed, execution_rate(row.executed, row.adjusted))


def score_project(project: Project, method: ScoringMethod = TEN) -> ProjectScore | None:
    """The self-evaluation figures by ``method``; None when the project has no [evaluation] or no evaluation.funding."""
    evaluation = project.evaluation
    if evaluation is None or evaluation.funding is None:
        return None
    funding = evaluation.funding
    rows = [_row(label, getattr(funding, key)) for key, label in ROW_LABELS if getattr(funding, key) is not None]
    total_row = funding.total
    rate = execution_rate(total_row.executed, total_row.adjusted)
    b_score = method.budget_score(total_row.executed, total_row.adjusted)

    results = []
    for i, ind in enumerate(project.indicators):
        computed = method.indicator_score(ind.target, ind.actual, ind.weight, is_satisfaction(ind))
        weight = round2(ind.weight) if ind.weight is not None else round2(0)
        stated = round2(ind.score) if ind.score is not None else None
        results.append(IndicatorResult(i, weight, used_score(ind.score, computed), computed, stated))
    indicator_total = round2(sum((r.score for r in results), Decimal(0)))
    total = b_score + indicator_total
    return ProjectScore(
        rows=rows,
        budget_weight=BUDGET_WEIGHT,
        budget_rate=rate if rate is not None else round2(0),
        budget_score=b_score,
        indicators=results,
        indicator_total=indicator_total,
        total=total,
        grade=grade_of(total),
        method=method,
    )
