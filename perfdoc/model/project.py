"""The typed model of a project file and of department.toml (project-format.md).

Each field carries a Chinese description: it is the documentation of the
format, the hover text of the JSON Schema, and the name used in messages.
Unknown keys are kept (``extra="allow"``) so that the loader can warn about
them without refusing the file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from .fields import MoneyField, PlanDate, Score, TargetField, Text
from .money import Money

__all__ = [
    "ProjectInfo", "Funding", "Goals", "Indicator", "Basis", "BudgetPlan", "Narrative",
    "EvaluationRow", "EvaluationFunding", "Evaluation", "Project",
    "DepartmentInfo", "Layout", "CheckSettings", "Department", "NATURES", "PROFILES", "SEVERITIES",
]

NATURES = ("经常性项目", "一次性项目", "阶段性项目")
#: The rule profiles (perfdoc/check/profiles.py holds what each one means; a test keeps the two in step).
PROFILES = ("shanghai", "central-101")
#: The levels a department may give a check code in ``[check] severity``.
SEVERITIES = ("error", "warning")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=False, str_strip_whitespace=False)


class ProjectInfo(_Model):
    """[project]：项目基本信息。"""

    name: Text = Field(description="项目名称")
    year: int = Field(ge=2000, le=2100, strict=True, description="预算年度，如 2026")
    category: Text = Field("", description="项目类别，如 特定目标类、经常性项目、专项资金")
    nature: Literal["经常性项目", "一次性项目", "阶段性项目"] | None = Field(
        None, description="项目性质：经常性项目、一次性项目或阶段性项目（表上有此栏时填写）"
    )
    authority: Text | None = Field(None, description="主管部门；不填则取 department.toml 的 authority")
    implementer: Text = Field(description="实施单位")
    start: PlanDate = Field(description="计划开始日期，如 2026-01-01")
    end: PlanDate = Field(description="计划完成日期，如 2026-12-31")

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("项目名称不能为空")
        return value


class Funding(_Model):
    """[funding]：项目资金。金额以元为单位（unit = "万元" 时以万元填写），精确到分。"""

    unit: Literal["元", "万元"] = Field("元", description="本表金额的填写单位：元 或 万元")
    total: MoneyField = Field(description="项目资金总额")
    total_fiscal: MoneyField = Field(description="项目资金总额中的财政资金")
    total_other: MoneyField = Field(Money(0), description="项目资金总额中的其他资金")
    annual: MoneyField = Field(description="年度资金申请总额")
    annual_appropriation: MoneyField = Field(description="年度资金中的当年财政拨款")
    annual_carryover: MoneyField = Field(Money(0), description="年度资金中的上年结转资金")
    annual_other: MoneyField = Field(Money(0), description="年度资金中的其他资金")


class Goals(_Model):
    """[goals]：项目绩效目标。"""

    period: tuple[StrictInt, StrictInt] | None = Field(
        None, description="项目总目标的起止年度，如 [2024, 2026]；不填则为预算年度"
    )
    overall: Text = Field("", description="项目总目标")
    annual: Text = Field("", description="年度总体目标")

    @field_validator("period")
    @classmethod
    def _period_years(cls, value):
        if value is not None:
            for year in value:
                if not 2000 <= year <= 2100:
                    raise ValueError(f"年度 {year} 不在 2000 到 2100 之间")
        return value


class Indicator(_Model):
    """[[indicators]]：一条三级绩效指标。"""

    level1: Text = Field(description="一级指标，如 产出指标、效益指标、满意度指标、成本指标")
    level2: Text = Field(description="二级指标，如 数量指标、质量指标、时效指标、社会效益指标")
    name: Text = Field(description="三级指标名称")
    target: TargetField = Field(description="年度指标值，如 \"≥95%\"、\"=3次\"、\"及时\"")
    weight: Score | None = Field(None, description="分值（自评时填写）")
    actual: TargetField | None = Field(None, description="实际完成值（自评时填写）")
    score: Score | None = Field(None, description="得分（自评时填写；不填则按规则计算）")
    deviation: Text | None = Field(None, description="偏差原因分析及改进措施（得分低于分值时必填）")


class Basis(_Model):
    """[narrative.basis]：二、立项依据。"""

    documents: Text | None = Field(None, description="1.文件依据")
    duties: Text | None = Field(None, description="2.工作职能")
    text: Text | None = Field(None, description="不分小项时的立项依据全文")


class BudgetPlan(_Model):
    """[narrative.budget]：六、年度预算安排。"""

    calculation: Text | None = Field(None, description="1.资金测算")
    source: Text | None = Field(None, description="2.资金类型")
    schedule: Text | None = Field(None, description="3.执行计划")
    text: Text | None = Field(None, description="不分小项时的年度预算安排全文")


class Narrative(_Model):
    """[narrative]：项目经费情况说明。空行分段；每个键都可省略。"""

    subject: Text | None = Field(None, description="项目概述中的实施主体简称，如 区级机关工作党委；不填则用实施单位")
    overview: Text | None = Field(None, description="一、项目概述：主要实施内容")
    basis: Basis | None = Field(None, description="二、立项依据")
    implementer: Text | None = Field(None, description="三、实施主体")
    plan: Text | None = Field(None, description="四、实施方案：实施内容和计划")
    period: Text | None = Field(None, description="五、实施周期")
    budget: BudgetPlan | None = Field(None, description="六、年度预算安排")
    goals: Text | None = Field(None, description="七、绩效目标")


class EvaluationRow(_Model):
    """年初预算数、全年预算数、全年执行数。"""

    unit: Literal["元", "万元"] = Field("元", description="本行金额的填写单位")
    initial: MoneyField = Field(description="年初预算数")
    adjusted: MoneyField = Field(description="全年预算数")
    executed: MoneyField = Field(description="全年执行数")


class EvaluationFunding(_Model):
    """[evaluation.funding]：自评表的项目资金。"""

    unit: Literal["元", "万元"] = Field("元", description="本表金额的填写单位：元 或 万元")
    total: EvaluationRow = Field(description="年度资金总额")
    appropriation: EvaluationRow | None = Field(None, description="其中：当年财政拨款")
    carryover: EvaluationRow | None = Field(None, description="上年结转资金")
    other: EvaluationRow | None = Field(None, description="其他资金")

    @model_validator(mode="before")
    @classmethod
    def _rows_inherit_unit(cls, data):
        """Each row is read in the table's unit unless it states its own."""
        if isinstance(data, dict) and data.get("unit") in ("元", "万元"):
            data = dict(data)
            for key in ("total", "appropriation", "carryover", "other"):
                row = data.get(key)
                if isinstance(row, dict) and "unit" not in row:
                    data[key] = {"unit": data["unit"], **row}
        return data


class Evaluation(_Model):
    """[evaluation]：年度结束后的绩效自评。"""

    outcome: Text = Field("", description="实际完成情况（预期目标即 goals.annual）")
    funding: EvaluationFunding | None = Field(None, description="预算执行情况")
    total: Score | None = Field(None, description="表上填写的总分（填写时核对）")
    grade: Literal["优", "良", "中", "差"] | None = Field(None, description="表上填写的评分等级（填写时核对）")


class Project(_Model):
    """一个项目文件：申报表、项目经费情况说明和（年度结束后的）自评表的全部数据。"""

    project: ProjectInfo = Field(description="项目基本信息")
    funding: Funding = Field(description="项目资金")
    goals: Goals = Field(default_factory=Goals, description="项目绩效目标")
    indicators: list[Indicator] = Field(default_factory=list, description="绩效指标，每条一个 [[indicators]]")
    narrative: Narrative | None = Field(None, description="项目经费情况说明")
    evaluation: Evaluation | None = Field(None, description="绩效自评（年度结束后填写）")

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def period(self) -> tuple[int, int]:
        if self.goals.period is not None:
            return self.goals.period
        return (self.project.year, self.project.year)


class DepartmentInfo(_Model):
    """[department]：单位与年度。"""

    name: Text = Field(description="单位名称（汇总表标题）")
    authority: Text | None = Field(None, description="各项目默认的主管部门")
    year: int = Field(ge=2000, le=2100, strict=True, description="预算年度")
    budget_units: int = Field(1, ge=1, le=10000, strict=True, description="预算单位数（汇总表说明中的“N个预算单位”）")


class Layout(_Model):
    """[layout]：版式选择。"""

    template: Text = Field("shanghai", description="templates/ 下的版式文件夹名或路径：shanghai、huacao-2022、songjiang-2022")
    unit: Literal["元", "万元"] | None = Field(None, description="申报表上的金额单位：元 或 万元；不填则用版式的默认单位")


class CheckSettings(_Model):
    """[check]：检查的规则集、不做的检查和改变级别的检查。"""

    profile: Literal[PROFILES] = Field(
        "shanghai",
        description="规则集：shanghai（上海市财政局的要求，默认）或 central-101（财预〔2021〕101号的指标要求和计分方法）",
    )
    ignore: list[Text] = Field(
        default_factory=list, description="不做的检查，写检查代码，如 [\"PD502\"]（perfdoc check --list-rules 列出全部代码）"
    )
    severity: dict[str, Literal[SEVERITIES]] = Field(
        default_factory=dict, description="改变检查的级别，如 { PD401 = \"error\" }：error 为错误，warning 为警告"
    )


class Department(_Model):
    """department.toml：一个单位一个年度的设置。"""

    order: list[Text] | None = Field(None, description="汇总表中项目的顺序（文件名，不含 .toml）；不填按文件名排序")
    attachments: list[Text] = Field(default_factory=list, description="附在汇总表末尾的 Word 文件（相对本文件夹的路径）")
    department: DepartmentInfo = Field(description="单位与年度")
    layout: Layout = Field(default_factory=Layout, description="版式选择")
    check: CheckSettings = Field(default_factory=CheckSettings, description="检查的设置：规则集、不做的检查、改变级别的检查")
