"""What happens to each project in the new year: the decisions, made from the loaded model.

* A one-year project (经常性/一次性, or a 项目总目标 within one year): the plan
  dates and goals.period move by one year.
* A multi-year project (a 阶段性项目, or a goals.period spanning years) whose
  period still runs in the new year: goals.period is kept; the plan dates move
  by one year, unless the plan already covers the new year (a plan written for
  the whole period, such as 2024-01-01 to 2026-12-31), which is kept as it is.
* A multi-year project whose period has ended before the new year: left out;
  with ``include_ended`` it is kept and moved like a one-year project (goals.period
  and the plan dates both one year later), for the user to correct.

The end of a 阶段性项目 written without goals.period is the year of its plan end.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..model import Project

__all__ = ["Kind", "Decision", "decide"]


class Kind(str, Enum):
    SINGLE = "single"  # a one-year project
    RUNNING = "running"  # a multi-year project still inside its period in the new year
    ENDED = "ended"  # a multi-year project whose period ended before the new year


@dataclass(frozen=True)
class Decision:
    kind: Kind
    include: bool
    move_period: bool  # goals.period one year later (when it is written)
    move_plan: bool  # start and end one year later
    period_end: int  # the last year of the project's period, as judged


def _multi_year(model: Project) -> bool:
    period = model.goals.period
    return model.project.nature == "阶段性项目" or (period is not None and period[0] < period[1])


def decide(model: Project, include_ended: bool = False) -> Decision:
    info = model.project
    new_year = info.year + 1
    period = model.goals.period
    if not _multi_year(model):
        return Decision(Kind.SINGLE, True, True, True, period[1] if period else info.year)
    period_end = period[1] if period is not None else info.end.year
    if period_end >= new_year:
        covers = info.start.year <= new_year <= info.end.year
        return Decision(Kind.RUNNING, True, False, not covers, period_end)
    return Decision(Kind.ENDED, include_ended, True, True, period_end)
