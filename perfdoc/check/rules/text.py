"""Text faults: placeholders left in, vague targets, empty sections."""

from __future__ import annotations

import re

from ...model.framework import normalise_name
from ..base import Context, Finding, Rule, iter_texts

#: 〇 (U+3007) is the numeral zero of 二〇〇八年, not a placeholder; ○ (U+25CB) is.
_PLACEHOLDER = re.compile(r"[XＸ]{2,}|某某|待填|[○◯]{2,}|(?<![0-9０-９])[*＊]+(?![0-9０-９])")
#: A character every placeholder above begins with: most texts have none and are passed at once.
_MAYBE_PLACEHOLDER = re.compile(r"[XＸ某待○◯*＊]")

#: A field filled with the name of its column (new's and init's scaffolds write 实施单位名称, 单位名称…).
_LABELS = frozenset(
    "项目名称 单位名称 实施单位 实施单位名称 主管部门 主管部门名称 上级主管部门名称 预算单位名称 部门名称 "
    "三级指标 三级指标名称 指标名称 指标值 年度指标值".split()
)
_LABEL_WRAPPING = " \t\u3000（）()【】[]<>《》〈〉“”\"'"


def _placeholder(text: str) -> str | None:
    """The message for a placeholder left in ``text``, or None."""
    label = text.strip(_LABEL_WRAPPING)
    if label in _LABELS:
        return f"留有占位符“{text.strip()}”：这是栏目的名称，请填写实际内容"
    m = _PLACEHOLDER.search(text) if _MAYBE_PLACEHOLDER.search(text) else None
    if m:
        return f"留有占位符“{m.group()}”：{_excerpt(text, m.start())}"
    return None


#: Words that say "better" without saying how much: no measure on a 质量指标.
_CHANGE_WORDS = frozenset("提升 提高 增强 加强 优化 改善 明显 显著 促进 同比提升 优化提升 逐步提升 不断提升 大幅提升".split())
#: The same, as a bare verb with an adverb: 进一步提升, 有所提高, 明显改善, 持续加强.
_CHANGE = re.compile(r"^(?:进一步|有所|明显|显著|逐步|不断|大幅|持续|稳步|全面|切实|同比)?"
                     r"(?:提升|提高|增强|加强|优化|改善|促进|推进|推动|加大|加快|优化提升)了?$")

#: 财预〔2021〕101号 on indicators that cannot be quantified.
_MEASURABLE_101 = "财预〔2021〕101号：确难以量化的，可采用定性表述，但应具有可衡量性"


def _unmeasured_change(text: str) -> bool:
    """A qualitative target that only says "better": 提升, 进一步加强 (not 合格, 达标, 及时)."""
    word = "".join(text.split())
    return word in _CHANGE_WORDS or bool(_CHANGE.match(word))


class Placeholder(Rule):
    """文字中留有占位符：XX、XXX、某某、待填、○○、*，或照抄栏目名称（如“实施单位名称”）；项目文件和 department.toml 都查。

    不合格::

        implementer = "XX街道办事处"

    合格::

        implementer = "上海市闵行区虹桥镇社区党群服务中心"
    """

    code = "PD501"
    name = "placeholder"

    def check(self, ctx: Context):
        for path, text in iter_texts(ctx.model):
            message = _placeholder(text)
            if message:
                yield Finding(path, message)

    def check_department(self, department):
        for path, text in iter_texts(department.model):
            message = _placeholder(text)
            if message:
                yield Finding(path, message)


class VagueTarget(Rule):
    """数量、质量指标的指标值没有衡量标准：数量指标写了“提升”“及时”之类的词，质量指标写了“提升”“显著”之类的变化词。

    来源：财预〔2021〕101号：指标“应细化、量化……确难以量化的，可采用定性表述，但应具有可衡量性”。
    “提升”“进一步加强”“有所提高”只说了变好，没有说好到什么程度，无法衡量；“合格”“达标”“及时”“健全”可以衡量。

    不合格::

        level2 = "数量指标"
        name = "党组织特色活动"
        target = "提升"

    合格::

        level2 = "数量指标"
        name = "党组织特色活动"
        target = "≥30家"
    """

    code = "PD502"
    name = "vague-target"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        for i, ind in enumerate(ctx.model.indicators):
            level2 = normalise_name(ind.level2)
            t = ind.target
            if level2 == "数量指标" and t.kind == "qualitative":
                yield Finding(("indicators", i, "target"),
                              f"数量指标“{ind.name}”的指标值“{t.text}”没有数量（应写作 ≥30家、=3次 之类；{_MEASURABLE_101}）")
            elif level2 == "质量指标" and t.kind == "qualitative" and _unmeasured_change(t.text):
                yield Finding(("indicators", i, "target"),
                              f"质量指标“{ind.name}”的指标值“{t.text}”没有衡量标准（应写作 =100%、合格、达标 之类；"
                              f"{_MEASURABLE_101}）")


_SECTIONS = [
    (("narrative", "overview"), "一、项目概述"),
    (("narrative", "basis"), "二、立项依据"),
    (("narrative", "implementer"), "三、实施主体"),
    (("narrative", "plan"), "四、实施方案"),
    (("narrative", "budget"), "六、年度预算安排"),
]


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return any(_filled(v) for _, v in iter_texts(value))


class EmptyNarrativeSection(Rule):
    """项目经费情况说明的某一节是空的（审核人会要求补充）。

    没有写 [narrative] 的项目，经费说明只印出各节标题，这些节都报告（报在文件第 1 行）。
    五、实施周期不写时按计划起止日期印出，七、绩效目标可以只有“具体见表格”，这两节不报告。

    不合格::

        [narrative]
        overview = "……"
        implementer = ""

    合格::

        [narrative]
        overview = "……"
        implementer = "区级机关工作党委组织科、纪检科"
    """

    code = "PD503"
    name = "empty-narrative-section"
    severity = Rule.severity.WARNING

    def check(self, ctx: Context):
        narrative = ctx.model.narrative
        if narrative is None:  # the 经费说明 is still printed: bare headings
            for _, title in _SECTIONS:
                yield Finding(("narrative",), f"项目经费情况说明“{title}”一节是空的（文件中没有 [narrative]）", value=False)
            return
        for path, title in _SECTIONS:
            if not _filled(getattr(narrative, path[1])):
                yield Finding(path if ctx.project.source.positions.exact(path) else ("narrative",),
                              f"项目经费情况说明“{title}”一节是空的", value=False)


class EmptyGoal(Rule):
    """年度总体目标是空的。

    不合格::

        [goals]
        annual = ""

    合格::

        [goals]
        annual = "依据年度工作计划，保障区域残疾人就业工作正常运行。"
    """

    code = "PD504"
    name = "empty-goal"

    def check(self, ctx: Context):
        if not ctx.model.goals.annual.strip():
            yield Finding(("goals", "annual"), "年度总体目标是空的", value=False)


def _excerpt(text: str, at: int, width: int = 12) -> str:
    start = max(0, at - width)
    end = min(len(text), at + width)
    return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
