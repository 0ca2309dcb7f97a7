"""The indicator framework (forms.md §5): which 二级 belongs to which 一级, by year.

成本指标 became its own 一级 with 财预〔2021〕101号 (forms before 2021 keep a
成本指标 二级 under 产出指标); Shanghai requires a 成本 一级 on every project
from 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Framework", "framework_for", "normalise_name"]

COST, OUTPUT, BENEFIT, SATISFACTION = "成本指标", "产出指标", "效益指标", "满意度指标"

_LEVEL2 = {
    COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    OUTPUT: ("数量指标", "质量指标", "时效指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
}


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """Indicator names compare without spaces (extraction and typing add them)."""
    return "".join(name.split())


@dataclass(frozen=True)
class Framework:
    year: int
    level2: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    description: str

    def parent_of(self, level2: str) -> list[str]:
        """Every 一级 under which ``level2`` is allowed."""
        return [l1 for l1, children in self.level2.items() if level2 in children]


def framework_for(year: int) -> Framework:
    if year < 2021:
        level2 = {
            OUTPUT: _LEVEL2[OUTPUT] + ("成本指标",),
            BENEFIT: _LEVEL2[BENEFIT],
            SATISFACTION: _LEVEL2[SATISFACTION],
        }
        return Framework(year, level2, (OUTPUT, BENEFIT, SATISFACTION), "2021 年以前的框架（成本指标为产出指标下的二级指标）")
    if year < 2025:
        level2 = dict(_LEVEL2)
        level2[OUTPUT] = _LEVEL2[OUTPUT] + ("成本指标",)
        return Framework(year, level2, (OUTPUT, BENEFIT, SATISFACTION), "财预〔2021〕101号框架（成本指标可为一级指标）")
    return Framework(year, dict(_LEVEL2), (COST, OUTPUT, BENEFIT, SATISFACTION), "上海 2025 年起的框架（每个项目须有成本指标）")
