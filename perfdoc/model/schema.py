"""The JSON Schema of a project file and of department.toml (for taplo / Even Better TOML)."""

from __future__ import annotations

import json
import re
import warnings

from .project import Department, Project

__all__ = ["project_schema", "department_schema", "schema_json"]

_DIALECT = "http://json-schema.org/draft-07/schema#"


def _drop_null(node):
    """TOML has no null: optional keys are simply left out."""
    if isinstance(node, dict):
        node = {k: _drop_null(v) for k, v in node.items() if not (k == "default" and v is None)}
        options = node.get("anyOf")
        if isinstance(options, list):
            options = [o for o in options if o != {"type": "null"}]
            if len(options) == 1:
                del node["anyOf"]
                node = {**options[0], **node}
            else:
                node["anyOf"] = options
        return node
    if isinstance(node, list):
        return [_drop_null(v) for v in node]
    return node


#: ``[narrative.basis]：`` opening a model's description: the table it documents.
_TABLE = re.compile(r"^\[\[?[\w.]+\]\]?：")
#: Where a description's name ends and its explanation begins.
_NAME_END = re.compile(r"[，；。（(：]")


def _title(description: str) -> str:
    """The Chinese name a description starts with: ``年度指标值，如 …`` → ``年度指标值``."""
    return _NAME_END.split(_TABLE.sub("", description.strip()), maxsplit=1)[0].strip()


def _chinese_titles(node):
    """Titles in Chinese, taken from the descriptions; pydantic's (the field and class names in
    English, ``Total Fiscal``, ``BudgetPlan``) are dropped where there is no description."""
    if isinstance(node, dict):
        node = {k: _chinese_titles(v) for k, v in node.items()}
        if isinstance(node.get("title"), str):
            description = node.get("description")
            title = _title(description) if isinstance(description, str) else ""
            if title:
                node["title"] = title
            else:
                del node["title"]
        return node
    if isinstance(node, list):
        return [_chinese_titles(v) for v in node]
    return node


def _schema(model, title: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Money defaults are not JSON; the schema needs no default
        schema = _chinese_titles(_drop_null(model.model_json_schema()))
    schema["$schema"] = _DIALECT
    schema["title"] = title
    return schema


def project_schema() -> dict:
    return _schema(Project, "perfdoc 项目文件")


def department_schema() -> dict:
    return _schema(Department, "perfdoc 单位设置（department.toml）")


def schema_json(kind: str = "project") -> str:
    schema = project_schema() if kind == "project" else department_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
