"""Profiles: the rulebook a department follows, as data (``[check] profile`` in department.toml).

A profile says, by budget year, which 一级 and 二级 indicators a project must
have (a missing "required" one is an error, a missing "expected" one a
warning), how ``perfdoc score`` scores a self-evaluation, which weights by
一级 it expects and how far an actual value may pass its target before the
difference needs a note.  The rules (perfdoc/check/rules) and the scoring
callers read it; nothing here runs a check.

* ``shanghai`` (the default): what perfdoc checked before profiles existed.
  Shanghai requires 产出, 效益 and 满意度 and, from 2025, 成本 (上海市财政局：
  “原则上，每一项目均应设置成本指标”); self-evaluations are scored by
  财预〔2020〕10号; no fixed split of the weights (the 2024 莘庄 seed splits
  成本 15, 产出 56, 效益 12, 满意度 7 and was accepted).
* ``central-101``: 财预〔2021〕101号 for central departments: “原则上每一项目均应
  设置产出指标和效益指标”; 满意度 “根据实际需要选用”; 101号's scoring and its
  weights “产出 40、效益 20、成本 20、满意度 10” (plus 10 for execution), or
  10号's 产出 50、效益 30、满意度 10 for a project without 成本.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..model import DepartmentFolder
from ..model.framework import BENEFIT, COST, OUTPUT, SATISFACTION
from ..model.scoring import HUNDRED_ONE, TEN, ScoringMethod

__all__ = ["Requirements", "WeightSplit", "Profile", "PROFILE_BY_NAME", "SHANGHAI", "CENTRAL_101", "profile_of",
           "QUANTITY", "QUALITY"]

QUANTITY, QUALITY = "数量指标", "质量指标"

#: 101号's words on 数量/质量 (二、绩效指标设置, 产出指标).
_QUANTITY_QUALITY_101 = "财预〔2021〕101号：数量指标和质量指标原则上均需设置"


@dataclass(frozen=True)
class Requirements:
    """What a project of a budget year from ``since`` on must have; ``note`` says why (in messages)."""

    since: int
    level1_required: tuple[str, ...]
    level1_note: str
    level2_expected: tuple[str, ...] = ()
    level2_note: str = ""
    level1_expected: tuple[str, ...] = ()
    level1_expected_note: str = ""
    level2_required: tuple[str, ...] = ()
    level2_required_note: str = ""

    def needs(self, level1: str) -> bool:
        """Whether a missing ``level1`` is already reported (as required or expected)."""
        return level1 in self.level1_required or level1 in self.level1_expected


@dataclass(frozen=True)
class WeightSplit:
    """Expected weights (分值) by 一级, for a project whose 一级 are exactly these; ``source`` says whose."""

    weights: tuple[tuple[str, Decimal], ...]
    source: str

    @property
    def levels(self) -> frozenset[str]:
        return frozenset(level for level, _ in self.weights)


@dataclass(frozen=True)
class Profile:
    name: str  # as written in department.toml
    title: str  # what it is, in Chinese
    requirements: tuple[Requirements, ...]  # by ``since``, ascending
    method: ScoringMethod
    weight_splits: tuple[WeightSplit, ...] = ()
    #: 偏离度 (10号): an actual above its target by more than this share needs a deviation note.
    deviation_margin: Fraction = Fraction(1, 5)
    #: A 一级's weights may differ from the split by this share of the expected weight.
    weight_margin: Fraction = Fraction(1, 5)

    def requirements_for(self, year: int) -> Requirements:
        found = self.requirements[0]
        for req in self.requirements:
            if req.since <= year:
                found = req
        return found

    def split_for(self, levels: set[str]) -> WeightSplit | None:
        """The expected weights for a project with these 一级, or None (none expected, or no split fits)."""
        for split in self.weight_splits:
            if split.levels == levels:
                return split
        return None

    @property
    def description(self) -> str:
        """``shanghai：上海市财政局的要求；自评计分按财预〔2020〕10号`` (what check --list-rules and score print)."""
        return f"{self.name}：{self.title}；自评计分按{self.method.title}"


SHANGHAI = Profile(
    name="shanghai",
    title="上海市财政局的要求",
    requirements=(
        Requirements(2000, (OUTPUT, BENEFIT, SATISFACTION), "2021 年以前的框架（成本指标为产出指标下的二级指标）"),
        Requirements(2021, (OUTPUT, BENEFIT, SATISFACTION), "财预〔2021〕101号框架（成本指标可为一级指标）",
                     (QUANTITY, QUALITY), _QUANTITY_QUALITY_101),
        Requirements(2025, (COST, OUTPUT, BENEFIT, SATISFACTION), "上海 2025 年起的框架（每个项目须有成本指标）",
                     (QUANTITY, QUALITY), _QUANTITY_QUALITY_101),
    ),
    method=TEN,
)

CENTRAL_101 = Profile(
    name="central-101",
    title="财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》",
    requirements=(
        Requirements(2000, (OUTPUT, BENEFIT), "财预〔2021〕101号：原则上每一项目均应设置产出指标和效益指标",
                     (QUANTITY, QUALITY), _QUANTITY_QUALITY_101),
    ),
    method=HUNDRED_ONE,
    weight_splits=(
        WeightSplit(((COST, Decimal(20)), (OUTPUT, Decimal(40)), (BENEFIT, Decimal(20)), (SATISFACTION, Decimal(10))),
                    "财预〔2021〕101号：设置成本指标的项目，成本 20、产出 40、效益 20、满意度 10，另有预算执行率 10"),
        WeightSplit(((OUTPUT, Decimal(50)), (BENEFIT, Decimal(30)), (SATISFACTION, Decimal(10))),
                    "财预〔2020〕10号：产出 50、效益 30、满意度 10，另有预算执行率 10"),
    ),
)

#: Every profile by name; the same names, in the same order, as ``model.PROFILES`` (the schema's list).
PROFILE_BY_NAME = {p.name: p for p in (SHANGHAI, CENTRAL_101)}


def profile_of(department: DepartmentFolder | None) -> Profile:
    """The profile a department chose in ``[check] profile``; shanghai without department.toml."""
    if department is None or department.model is None:
        return SHANGHAI
    return PROFILE_BY_NAME[department.model.check.profile]
