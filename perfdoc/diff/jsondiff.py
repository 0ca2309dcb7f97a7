"""The diff as JSON (keys documented in the README)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from ..model import Indicator, Money
from .changes import DepartmentDiff, FieldChange, IndicatorChange, ProjectDiff
from .fmt import number

__all__ = ["diff_dict", "diff_json", "JSON_VERSION"]

#: Bumped when a key of the JSON output changes meaning or is removed.
JSON_VERSION = 1


def _json_value(v: object):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, Money):
        return f"{v.yuan:.2f}"
    if isinstance(v, Decimal):
        return number(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return str(v)


def _json_indicator(ind: Indicator | None) -> dict | None:
    if ind is None:
        return None
    return {"level1": ind.level1, "level2": ind.level2, "name": ind.name, "target": ind.target.text}


def _json_field(c: FieldChange) -> dict:
    return {
        "path": list(c.path),
        "label": c.label,
        "kind": c.kind,
        "old": _json_value(c.old),
        "new": _json_value(c.new),
        "delta": None if c.delta is None else f"{c.delta:.2f}",
        "percent": None if c.percent is None else f"{c.percent:.2f}",
        "spans": None if c.spans is None else [[s.op, s.text] for s in c.spans],
    }


def _json_indicator_change(c: IndicatorChange) -> dict:
    return {
        "kind": c.kind,
        "key": list(c.key),
        "old_key": list(c.old_key) if c.old_key else None,
        "old": _json_indicator(c.old),
        "new": _json_indicator(c.new),
        "delta": None if c.delta is None else number(c.delta),
        "unit": c.unit,
    }


def _json_project(p: ProjectDiff) -> dict:
    pair = p.pair
    return {
        "key": pair.key,
        "old_key": pair.old.key if pair.old else None,
        "new_key": pair.new.key if pair.new else None,
        "name": p.name,
        "old_name": pair.old.model.name if pair.old else None,
        "status": p.status,
        "old_annual": _json_value(p.old_annual),
        "new_annual": _json_value(p.new_annual),
        "fields": [_json_field(c) for c in p.fields],
        "indicators": [_json_indicator_change(c) for c in p.indicators],
    }


def diff_dict(diff: DepartmentDiff) -> dict:
    """The diff as plain JSON-able data (keys documented in the README)."""
    def side(dep, label, count, total):
        return {"path": label, "name": dep.name, "year": dep.year, "projects": count, "total": _json_value(total)}

    return {
        "version": JSON_VERSION,
        "changed": diff.changed,
        "old": side(diff.old, diff.old_label, diff.old_count, diff.old_total),
        "new": side(diff.new, diff.new_label, diff.new_count, diff.new_total),
        "total_delta": f"{diff.total_delta:.2f}",
        "total_percent": None if diff.total_percent is None else f"{diff.total_percent:.2f}",
        "counts": diff.counts,
        "department": [_json_field(c) for c in diff.fields],
        "projects": [_json_project(p) for p in diff.projects],
    }


def diff_json(diff: DepartmentDiff) -> str:
    return json.dumps(diff_dict(diff), ensure_ascii=False, indent=2)

