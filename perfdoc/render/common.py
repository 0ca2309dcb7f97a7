"""Helpers shared by the render modules: printed units, amounts, targets, paragraphs."""

from __future__ import annotations

from ..model import Money, ProjectFile, Target
from .template import Template

__all__ = ["printed_unit", "money_text", "target_text", "split_paragraphs", "wan_text"]


def printed_unit(project: ProjectFile, template: Template) -> str:
    """The unit printed on the forms: [layout] unit of department.toml, else the variant's."""
    dep = project.department
    if dep is not None and dep.model is not None and dep.model.layout.unit:
        return dep.model.layout.unit
    return template.variant.unit


def money_text(amount: Money, template: Template, unit: str) -> str:
    v = template.variant
    places = v.places if unit == "元" else max(v.places, 2)
    return amount.format(unit, separators=v.separators, places=places)


def wan_text(amount: Money) -> str:
    """An amount in 万元 for sentences: ``102``, ``102.34``."""
    return amount.format_plain("万元")


def target_text(target: Target, template: Template) -> str:
    """年度指标值 as printed: the system style normalises only a value written with an operator."""
    if template.variant.target_style == "system":
        return target.system_style()
    return target.text.strip()


def split_paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a text: every line that holds text is a paragraph of its own.

    A line break the user wrote is kept on the form, whether the line starts with a
    number (``1.``, ``（1）``, ``一、``) or not; blank lines only separate.  A line too
    long for an editor is continued in TOML with a backslash at its end, which joins
    the two lines before perfdoc reads them.
    """
    if not text or not text.strip():
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
