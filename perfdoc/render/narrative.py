"""项目经费情况说明 (forms.md §2): one narrative per project, before its form.

A title, then seven sections with fixed headings.  The sentences that carry the
project name, dates and the year's amount (一、项目概述, 五、实施周期 when not
written, 七's closing note) come from the template's texts and the project
data, so the narrative and the form cannot disagree.  Everything else is the
user's text from ``[narrative]``, split into paragraphs and printed as plain
text: it is passed to the Jinja2 texts as data, never as template source, and
docxml escapes it for XML.

The body is built as XML strings (docxml) and appended to the document once,
so the 汇总表 can put several narratives and forms into one document.
"""

from __future__ import annotations



from ..model import Narrative, ProjectFile
from .common import split_paragraphs, wan_text
from .docxml import append, para
from .document import new_document
from .template import Template, TemplateError

__all__ = ["narrative_xml", "narrative_title_xml", "build_narrative", "narrative_title", "HEADINGS", "BASIS_ITEMS", "BUDGET_ITEMS",
           "PLAN_PREFIX", "OVERVIEW_TAIL"]

#: The fixed section headings, in order.
HEADINGS = (
    "一、项目概述",
    "二、立项依据",
    "三、实施主体",
    "四、实施方案",
    "五、实施周期",
    "六、年度预算安排",
    "七、绩效目标",
)

#: The sub-items of 二、立项依据 and 六、年度预算安排: (key in [narrative.basis] / [narrative.budget], label),
#: printed as ``1.文件依据：…`` (only the present ones, numbered consecutively).
BASIS_ITEMS = (("documents", "文件依据"), ("duties", "工作职能"))
BUDGET_ITEMS = (("calculation", "资金测算"), ("source", "资金类型"), ("schedule", "执行计划"))
#: What 四、实施方案 starts with.
PLAN_PREFIX = "实施内容和计划："

TITLE_STYLE = "PDNarrativeTitle"
HEADING_STYLE = "PDHeading"
BODY_STYLE = "PDBody"

#: Characters dropped from the end of narrative.overview: the template goes on with "。经测算".
OVERVIEW_TAIL = "。；，;,.、 \t\r\n\u3000"


def narrative_title(project: ProjectFile, template: Template, number: int | None = None) -> str:
    """The heading: ``项目经费情况说明1`` or ``党组织建设项目经费情况说明`` (variant.narrative_title)."""
    pattern = template.variant.narrative_title
    try:
        title = pattern.format(number="" if number is None else number, name=project.model.project.name.strip())
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise TemplateError(
            f"版式 {template.folder.name} 的 narrative_title“{pattern}”有误（可用 {{number}} 和 {{name}}）：{exc}"
        ) from None
    return title.strip()


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _body(text: str | None, prefix: str = "") -> list[str]:
    """Paragraphs of ``text`` in the body style; ``prefix`` goes before the first one."""
    parts = split_paragraphs(text)
    if not parts:
        return []
    parts[0] = prefix + parts[0]
    return [para(p, style=BODY_STYLE) for p in parts]


def _items(items: list[tuple[str, str | None]]) -> list[str]:
    """Sub-items ``1.label：text``: only the present ones, numbered consecutively."""
    out: list[str] = []
    number = 0
    for label, text in items:
        if not _filled(text):
            continue
        number += 1
        out.extend(_body(text, f"{number}.{label}："))
    return out


def _overview(project: ProjectFile, template: Template, narrative: Narrative) -> list[str]:
    info = project.model.project
    subject = narrative.subject.strip() if _filled(narrative.subject) else info.implementer.strip()
    content = (narrative.overview or "").strip().rstrip(OVERVIEW_TAIL)
    sentence = template.text(
        "overview",
        subject=subject,
        name=info.name.strip(),
        start=info.start,
        end=info.end,
        content=content,
        annual_wan=wan_text(project.model.funding.annual),
    )
    return _body(sentence)


def _basis(narrative: Narrative) -> list[str]:
    basis = narrative.basis
    if basis is None:
        return []
    # 全文 (when written) first, as the lead-in; then the sub-items present.
    return _body(basis.text) + _items([(label, getattr(basis, key)) for key, label in BASIS_ITEMS])


def _period(project: ProjectFile, template: Template, narrative: Narrative) -> list[str]:
    if _filled(narrative.period):
        return _body(narrative.period)
    info = project.model.project
    return _body(template.text("period", start=info.start, end=info.end))


def _budget(narrative: Narrative) -> list[str]:
    budget = narrative.budget
    if budget is None:
        return []
    return _body(budget.text) + _items([(label, getattr(budget, key)) for key, label in BUDGET_ITEMS])


def _goals(template: Template, narrative: Narrative) -> list[str]:
    return _body(narrative.goals) + _body(template.text("goals_note"))


def narrative_title_xml(project: ProjectFile, template: Template, number: int | None = None, *,
                        page_break_before: bool = False) -> str:
    """The first paragraph of :func:`narrative_xml`: the title (on a new page with ``page_break_before``)."""
    return para(narrative_title(project, template, number), style=TITLE_STYLE, keep_next=True,
                page_break_before=page_break_before)


def narrative_xml(
    project: ProjectFile,
    template: Template,
    *,
    number: int | None = None,
    page_break_before: bool = False,
) -> list[str]:
    """The narrative as a list of w:p XML strings (title first) for docxml.append.

    ``number`` fills ``{number}`` of the title (项目经费情况说明1); ``page_break_before``
    starts the title on a new page (several narratives in one document).
    """
    narrative = project.model.narrative or Narrative()
    sections = (
        _overview(project, template, narrative),
        _basis(narrative),
        _body(narrative.implementer),
        _body(narrative.plan, PLAN_PREFIX),
        _period(project, template, narrative),
        _budget(narrative),
        _goals(template, narrative),
    )
    out = [narrative_title_xml(project, template, number, page_break_before=page_break_before)]
    for heading, paragraphs in zip(HEADINGS, sections):
        out.append(para(heading, style=HEADING_STYLE, keep_next=True))
        out.extend(paragraphs)
    return out


def build_narrative(project: ProjectFile, template: Template, *, number: int | None = None):
    """A python-docx Document holding one project's narrative (save with document.to_bytes)."""
    document = new_document(template.reference, page_numbers=template.variant.project_page_numbers)
    append(document, *narrative_xml(project, template, number=number))
    return document
