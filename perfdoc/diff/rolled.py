"""OLD as the Word 变更报告 compares it: what the diff does not call a change is taken from NEW.

:mod:`perfdoc.diff.changes` does not report a plain roll-over (the budget year,
plan dates and ``goals.period`` moved by the years between OLD and NEW, a text
whose only change is every year moved by that much) nor a text only re-wrapped.
The report marks as revisions only what the diff reports, so it renders OLD
with every field the diff compares but does not report taken from NEW: the
year line, the dates, the 项目总目标 heading and every sentence made from them
then read the same in both renderings, and only the changes the terminal shows
are tracked.  Rejecting every revision gives OLD rolled over to NEW's year.

Amounts are not touched (equal amounts print the same), nor are indicators
(they are compared by meaning and printed as written).  A narrative section
that OLD does not have at all stays absent.
"""

from __future__ import annotations

import dataclasses

from pydantic import BaseModel

from ..model import ProjectFile
from .changes import ProjectDiff

__all__ = ["as_compared"]

#: The sections whose fields the diff compares one by one (texts, the year, dates, period).
_SECTIONS = ("project", "goals", "narrative")


def _leaves(model: BaseModel, path: tuple) -> list[tuple]:
    """The paths of a section's fields, nested models walked (narrative.basis.documents …)."""
    out = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out += _leaves(value, path + (name,))
        else:
            out.append(path + (name,))
    return out


def _holder(model: BaseModel, path: tuple) -> BaseModel | None:
    for name in path[:-1]:
        model = getattr(model, name, None)
        if model is None:
            return None
    return model


def as_compared(diff: ProjectDiff) -> ProjectFile | None:
    """OLD with every compared field the diff does not report taken from NEW (OLD itself when unpaired)."""
    old, new = diff.pair.old, diff.pair.new
    if old is None or new is None:
        return old
    reported = {c.path for c in diff.fields}
    # a copy of the sections concerned (Money, elsewhere, is immutable and shared)
    model = old.model.model_copy(update={
        section: getattr(old.model, section).model_copy(deep=True)
        for section in _SECTIONS if getattr(old.model, section) is not None})
    for section in _SECTIONS:
        theirs = getattr(new.model, section)
        if theirs is None or getattr(model, section) is None:
            continue
        for path in _leaves(theirs, (section,)):
            if path in reported:
                continue
            mine, source = _holder(model, path), _holder(new.model, path)
            if mine is None or source is None:
                continue
            setattr(mine, path[-1], getattr(source, path[-1]))
    if ("goals", "period") not in reported:
        model.goals.period = new.model.period  # the printed period, whether written or implied by the year
    if ("project", "authority") not in reported:
        model.project.authority = new.authority or None  # as printed: the department's default if not written
    return dataclasses.replace(old, model=model)
