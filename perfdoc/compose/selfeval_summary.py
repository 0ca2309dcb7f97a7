"""The 自评汇总: a department's self-evaluation forms in one document.

A title ``{单位}{年度}年度项目绩效自评汇总表``, an index table of the projects
(序号, 项目名称, 执行率(%), 总分, 评分等级), then each project's 自评表
(render/selfeval.py) from a new page.  Built directly into one document, as the
汇总表 of the declarations is (compose/summary.py).

Only projects with a score are included: ``scores`` maps a project's key to its
ProjectScore (perfdoc.evaluate.score_project); a project without an evaluation
has no entry and is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import DepartmentFolder, ProjectFile
from ..render.formtable import ROW_HEIGHT, TEXT_WIDTH
from ..render.document import new_document
from ..render.docxml import append, cell, para, row, table
from ..render.selfeval import score_text, selfeval_xml
from ..render.template import Template

if TYPE_CHECKING:
    from docx.document import Document

    from ..evaluate import ProjectScore

__all__ = ["build_selfeval_summary", "selfeval_summary_file_name", "selfeval_summary_title"]

#: 序号 · 项目名称 · 执行率(%) · 总分 · 评分等级
_GRID = (900, 4498, 1400, 1200, 1300)
assert sum(_GRID) == TEXT_WIDTH


def _year(dep: DepartmentFolder, projects: list[ProjectFile]) -> int | str:
    if dep.year is not None:
        return dep.year
    return projects[0].model.project.year if projects else ""


def selfeval_summary_file_name(dep: DepartmentFolder) -> str:
    """``2024年度项目绩效自评汇总.docx``."""
    year = dep.year if dep.year is not None else ""
    return f"{year}年度项目绩效自评汇总.docx"


def selfeval_summary_title(dep: DepartmentFolder, projects: list[ProjectFile]) -> str:
    return f"{dep.name}{_year(dep, projects)}年度项目绩效自评汇总表"


def _index_table(projects: list[ProjectFile], scores: dict[str, "ProjectScore"]) -> str:
    heads = ("序号", "项目名称", "执行率(%)", "总分", "评分等级")
    rows = [row([cell(para(h, style="PDTableHead"), w) for h, w in zip(heads, _GRID)], header=True,
                min_height=ROW_HEIGHT)]
    for i, project in enumerate(projects, start=1):
        score = scores[project.key]
        rows.append(row([
            cell(para(str(i), style="PDTable"), _GRID[0]),
            cell(para(project.model.name, style="PDTableLeft"), _GRID[1]),
            cell(para(score_text(score.budget_rate), style="PDTable"), _GRID[2]),
            cell(para(score_text(score.total), style="PDTable"), _GRID[3]),
            cell(para(score.grade, style="PDTable"), _GRID[4]),
        ], min_height=ROW_HEIGHT))
    return table(list(_GRID), rows)


def build_selfeval_summary(
    dep: DepartmentFolder,
    projects: list[ProjectFile],
    template: Template,
    scores: dict[str, "ProjectScore"],
) -> Document:
    """The 自评汇总 of ``projects`` (in the order given) that have an entry in ``scores``."""
    scored = [p for p in projects if scores.get(p.key) is not None]
    document = new_document(template.reference, page_numbers=template.variant.page_numbers)
    parts = [para(selfeval_summary_title(dep, scored), style="PDSummaryTitle")]
    if scored:
        parts.append(_index_table(scored, scores))
    for project in scored:
        parts += selfeval_xml(project, template, scores[project.key], page_break_before=True)
    append(document, *parts)
    return document
