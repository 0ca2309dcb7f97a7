"""Helpers shared by the render modules: printed units, amounts, targets, paragraphs."""

from __future__ import annotations

import re

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
    if template.variant.target_style == "system":
        return target.system_style()
    return target.text.strip()


_NUMBERED = re.compile(r"^\s*(?:\d+[.、．)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)")


def split_paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a text: split at blank lines; numbered lines (1.…) are each their own paragraph.

    Other single line breaks inside a paragraph are joined (a line wrapped by the editor).
    """
    if not text or not text.strip():
        return []
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        current: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if _NUMBERED.match(line) and current:
                out.append("".join(current))
                current = []
            current.append(line)
        if current:
            out.append("".join(current))
    return out
