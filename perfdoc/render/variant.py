"""A template's layout settings (variant.toml), read and checked like a project file.

variant.toml comes with a template folder that may have been copied from
anyone: every value is checked for its type and range, and a pattern such as
``year_line = "（{year}年度）"`` may use only its own placeholders, without
format specifications (``{year:>999999999}`` would fill memory).  Each fault is
a problem at its own line of variant.toml.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, field_validator
from pydantic_core import PydanticCustomError

from ..model import Problem, Severity
from .pagenumbers import MODES

__all__ = ["Variant", "read_variant", "PATTERN_FIELDS", "MAX_SETTING"]

#: Longest text of one setting (a title, a heading): a form's cell holds a line or two.
MAX_SETTING = 200

#: The placeholders each pattern may use.
PATTERN_FIELDS = {
    "year_line": ("year",),
    "overall_goal_heading": ("start", "end"),
    "annual_goal_heading": ("start", "end"),
    "funding_label": ("unit",),
    "narrative_title": ("number", "name"),
}


@dataclass(frozen=True)
class Variant:
    """Layout settings of one form variant (variant.toml)."""

    name: str = "2026 闵行"
    declaration_title: str = "财政项目支出绩效目标申报表"
    numbered_title: bool = False  # 财政项目支出绩效目标填报表N
    year_line: str = "（{year}年度）"
    unit: str = "元"  # printed unit when department.toml does not say
    separators: bool = True  # 987,000.00 vs 987000.00
    places: int = 2
    show_nature: bool = True
    category_style: str = "text"  # "text" or "checkboxes"
    checkbox_options: tuple[str, ...] = ("专项资金", "经常性项目", "一次性项目")
    target_style: str = "as_written"  # or "system": ≥8000.00(人)
    overall_goal_heading: str = "项目总目标（{start}年-{end}年）"
    annual_goal_heading: str = "年度总体目标"
    indicator_value_heading: str = "年度（/项目）指标值"
    funding_label: str = "项目资金（{unit}）"
    narrative_title: str = "项目经费情况说明{number}"
    page_numbers: str = "center"  # 汇总表、自评汇总: none / center / outside (odd right, even left)
    project_page_numbers: str = "none"  # a single project's documents


def _setting(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("perfdoc", "应为文字（带引号的字符串）")
    bad = next((c for c in value if not c.isprintable() and c != " "), None)
    if bad is not None:
        raise PydanticCustomError("perfdoc", f"文字中含有控制字符 U+{ord(bad):04X}，请删除")
    if len(value) > MAX_SETTING:
        raise PydanticCustomError("perfdoc", f"文字过长：{len(value)} 个字符，超过上限 {MAX_SETTING}")
    return value


def _options(value: object) -> list[str]:
    if not isinstance(value, list):
        raise PydanticCustomError("perfdoc", "应为文字组成的数组，如 [\"专项资金\", \"经常性项目\"]")
    if not 1 <= len(value) <= 10:
        raise PydanticCustomError("perfdoc", f"应有 1 到 10 个选项，而不是 {len(value)} 个")
    for i, item in enumerate(value, start=1):
        try:
            _setting(item)
        except PydanticCustomError as exc:
            raise PydanticCustomError("perfdoc", f"第 {i} 个选项{exc.message()}") from None
    return value


Setting = Annotated[str, PlainValidator(_setting)]
Options = Annotated[list, PlainValidator(_options)]
_D = Variant()


class VariantSettings(BaseModel):
    """[variant]：版式设置。"""

    model_config = ConfigDict(extra="ignore")

    name: Setting = Field(_D.name, description="版式名称")
    declaration_title: Setting = Field(_D.declaration_title, description="申报表标题")
    numbered_title: bool = Field(_D.numbered_title, strict=True, description="标题后是否加序号")
    year_line: Setting = Field(_D.year_line, description="年度行，可用 {year}")
    unit: Literal["元", "万元"] = Field(_D.unit, description="默认金额单位")
    separators: bool = Field(_D.separators, strict=True, description="金额是否加千位分隔")
    places: int = Field(_D.places, ge=0, le=4, strict=True, description="金额小数位数")
    show_nature: bool = Field(_D.show_nature, strict=True, description="是否有“项目性质”栏")
    category_style: Literal["text", "checkboxes"] = Field(_D.category_style, description="项目类别的写法")
    checkbox_options: Options = Field(list(_D.checkbox_options), description="打勾框的选项")
    target_style: Literal["as_written", "system"] = Field(_D.target_style, description="指标值的写法")
    overall_goal_heading: Setting = Field(_D.overall_goal_heading, description="总目标栏标题，可用 {start}、{end}")
    annual_goal_heading: Setting = Field(_D.annual_goal_heading, description="年度目标栏标题，可用 {start}、{end}")
    indicator_value_heading: Setting = Field(_D.indicator_value_heading, description="指标值栏标题")
    funding_label: Setting = Field(_D.funding_label, description="项目资金栏标题，可用 {unit}")
    narrative_title: Setting = Field(_D.narrative_title, description="经费说明标题，可用 {number}、{name}")
    page_numbers: Literal[MODES] = Field(_D.page_numbers, description="汇总表的页码")  # type: ignore[valid-type]
    project_page_numbers: Literal[MODES] = Field(_D.project_page_numbers,  # type: ignore[valid-type]
                                                 description="单个项目文档的页码")

    @field_validator(*PATTERN_FIELDS)
    @classmethod
    def _placeholders(cls, value: str, info) -> str:
        check_pattern(value, PATTERN_FIELDS[info.field_name])
        return value


class VariantFile(BaseModel):
    """variant.toml"""

    model_config = ConfigDict(extra="ignore")

    variant: VariantSettings = Field(default_factory=VariantSettings, description="版式设置")


def check_pattern(pattern: str, allowed: tuple[str, ...]) -> None:
    """Raise ValueError (Chinese) unless ``pattern`` uses only ``allowed`` placeholders, plainly."""
    usable = "、".join("{" + name + "}" for name in allowed)
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValueError(f"花括号不成对（可用的占位符：{usable}；文字中的花括号请写作 {{{{ 和 }}}}）") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed:
            shown = "{" + field[:40] + "}"
            raise ValueError(f"不能使用占位符 {shown}（可用的占位符：{usable}）")
        if spec or conversion:
            raise ValueError(f"占位符 {{{field}}} 后不能加格式说明（只能写 {usable}）")


def read_variant(path: Path, raw: bytes | None) -> tuple[Variant | None, list[Problem]]:
    """The settings of variant.toml (``raw``: its bytes, None when the folder has none).

    Problems are errors at their own line: the codes and messages of project files
    (PD001 syntax, PD002 value, PD004 unknown key, PD005 unreadable) become PD008
    (bad-template), since a template that is not right is not used at all.
    """
    if raw is None:
        return Variant(), []
    from ..load.loader import load_bytes

    found: list[Problem] = []
    _, model = load_bytes(path, raw, VariantFile, found)
    problems = [Problem(p.file, p.line, p.col, "PD008", f"版式设置有误：{p.message}", Severity.ERROR, "bad-template",
                        fatal=True) for p in sorted(found)]
    if model is None or problems:
        return None, problems
    values = model.variant.model_dump()
    values["checkbox_options"] = tuple(values["checkbox_options"])
    return Variant(**{f.name: values[f.name] for f in fields(Variant)}), []
