"""The JSON Schema of a project file and of department.toml (for taplo / Even Better TOML)."""

from __future__ import annotations

import json
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


def _schema(model, title: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Money defaults are not JSON; the schema needs no default
        schema = _drop_null(model.model_json_schema())
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
