"""The 汇总表: one document per department and year (forms.md §3).

Built directly: the title, the summary sentence, an index table, then every
project's 经费说明 and 申报表 appended into the one document, each from a new
page.  docxcompose is used only for foreign Word files listed as
``attachments`` in department.toml, appended at the end with their own styles.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import DepartmentFolder, Money, ProjectFile
from ..render.common import money_text, printed_unit
from ..render.declaration import declaration_xml
from ..render.document import new_document, render_bytes, to_bytes
from ..render.docxml import append, cell, page_break, para, row, table
from ..render.narrative import narrative_xml
from ..render.template import Template
from ..read import printable
from .attachments import Attachment, open_attachments

if TYPE_CHECKING:  # python-docx only where attachments are appended
    from docx.document import Document

__all__ = ["SummaryError", "summary_figures", "summary_xml", "summary_head_xml", "summary_project_xml", "build_summary",
           "summary_bytes", "summary_file_name"]

_WIDTH = 9298  # text width of A4 with 2.3 cm margins, in twips


class SummaryError(Exception):
    """A problem that stops the 汇总表, e.g. an unusable attachment: ``problems`` place it in
    department.toml; ``str()`` says it all in Chinese."""

    def __init__(self, message: str | list):
        self.problems = [] if isinstance(message, str) else list(message)
        super().__init__(message if isinstance(message, str) else "\n".join(
            f"{p.file}:{p.line}:{p.col}: {p.message}" for p in self.problems))


def summary_file_name(dep: DepartmentFolder) -> str:
    year = dep.year if dep.year is not None else ""
    return f"{year}年度项目绩效目标汇总表.docx"


def summary_figures(dep: DepartmentFolder, projects: list[ProjectFile]) -> dict:
    """The figures of the summary sentence, computed from the projects."""
    total = Money.sum(p.model.funding.annual for p in projects)
    model = dep.model
    return {
        "department": model.department.name if model else dep.path.name,
        "year": model.department.year if model else (projects[0].model.project.year if projects else ""),
        "budget_units": model.department.budget_units if model else 1,
        "count": len(projects),
        "total": total,
        "total_wan": f"{(total.yuan / Decimal(10000)).quantize(Decimal('0.01')):.2f}",
    }


def _index_table(projects: list[ProjectFile], template: Template) -> str:
    unit = printed_unit(projects[0], template) if projects else template.variant.unit
    grid = [900, 4398, 1800, 2200]
    head = row([
        cell(para("序号", style="PDTableHead"), grid[0]),
        cell(para("项目名称", style="PDTableHead"), grid[1]),
        cell(para("项目类别", style="PDTableHead"), grid[2]),
        cell(para(f"年度资金申请总额（{unit}）", style="PDTableHead"), grid[3]),
    ], header=True)
    rows = [head]
    for i, p in enumerate(projects, start=1):
        m = p.model
        rows.append(row([
            cell(para(str(i), style="PDTable"), grid[0]),
            cell(para(m.name, style="PDTableLeft"), grid[1]),
            cell(para(m.project.category, style="PDTable"), grid[2]),
            cell(para(money_text(m.funding.annual, template, unit), style="PDTable", align="right"), grid[3]),
        ]))
    total = Money.sum(p.model.funding.annual for p in projects)
    rows.append(row([
        cell(para("合计", style="PDTableHead"), grid[0] + grid[1] + grid[2], span=3),
        cell(para(money_text(total, template, unit), style="PDTable", align="right"), grid[3]),
    ]))
    return table(grid, rows)


def summary_xml(dep: DepartmentFolder, projects: list[ProjectFile], template: Template, *, index: bool = True) -> list[str]:
    """The body of the 汇总表 without attachments: XML fragments."""
    parts = summary_head_xml(dep, projects, template, index=index)
    for number, project in enumerate(projects, start=1):
        parts += summary_project_xml(project, template, number)
    return parts


def summary_head_xml(dep: DepartmentFolder, projects: list[ProjectFile], template: Template, *,
                     index: bool = True) -> list[str]:
    """The 汇总表 before the projects' forms: title, the summary sentence, the index of projects."""
    figures = summary_figures(dep, projects)
    parts = [
        para(template.text("summary_title", **figures), style="PDSummaryTitle"),
        para(template.text("summary", **figures), style="PDBody"),
    ]
    if index and projects:
        parts.append(_index_table(projects, template))
    return parts


def summary_project_xml(project: ProjectFile, template: Template, number: int) -> list[str]:
    """A project in the 汇总表: its 经费说明 and its 申报表, each from a new page (``number``: its place)."""
    return (narrative_xml(project, template, number=number, page_break_before=True)
            + declaration_xml(project, template, number=number, page_break_before=True))


def build_summary(
    dep: DepartmentFolder,
    projects: list[ProjectFile],
    template: Template,
    *,
    index: bool = True,
) -> Document:
    document = new_document(template.reference, page_numbers=template.variant.page_numbers)
    append(document, *summary_xml(dep, projects, template, index=index))
    if dep.model is not None and dep.model.attachments:
        attachments, problems = open_attachments(dep)
        if problems:
            raise SummaryError(problems)
        document = _append_attachments(document, attachments)
    return document


def summary_bytes(dep: DepartmentFolder, projects: list[ProjectFile], template: Template) -> bytes:
    """The 汇总表 as .docx bytes: straight from XML unless attachments need docxcompose."""
    title = summary_file_name(dep).removesuffix(".docx")
    subject = dep.name
    if dep.model is not None and dep.model.attachments:
        return to_bytes(build_summary(dep, projects, template), title=title, subject=subject)
    return render_bytes(template.reference, summary_xml(dep, projects, template), title=title, subject=subject,
                        page_numbers=template.variant.page_numbers)


def _append_attachments(document: Document, attachments: list[Attachment]) -> Document:
    """Append each (checked) attachment from a new page, with its own styles."""
    import docx
    from docxcompose.composer import Composer

    composer = Composer(document)
    for attachment in attachments:
        foreign = docx.Document(io.BytesIO(attachment.package.data))
        append(composer.doc, page_break())
        try:
            composer.append(foreign)
        except Exception:  # noqa: BLE001 - docxcompose raises many kinds on documents it cannot merge
            raise SummaryError(f"附件“{printable(attachment.name, 80)}”无法合并到汇总表中（请在 Word 中打开后另存为 .docx 再试）") from None
    return composer.doc
