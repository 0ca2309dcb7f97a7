"""The JSON Schema that editors use (perfdoc schema, #:schema lines) accepts every real file.

Each example in projects/ (and the files perfdoc new and perfdoc init write) is read
as TOML and validated against the schema, as taplo / Even Better TOML would: TOML
dates become ISO date strings, numbers stay numbers (Decimal, not float).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import tomli
from conftest import PROJECTS, run_cli

from perfdoc.model.schema import department_schema, project_schema

EXAMPLES = sorted(p for p in PROJECTS.rglob("*.toml"))
RULES_BASE = Path(__file__).parent / "rules" / "_base.toml"


def _json_data(value):
    """TOML values as a JSON-reading editor sees them."""
    if isinstance(value, dict):
        return {k: _json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_data(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value


def _read(path: Path):
    return _json_data(tomli.loads(path.read_text("utf-8"), parse_float=Decimal))


def _validator(schema: dict):
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _errors(schema: dict, path: Path) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(schema).iter_errors(_read(path))]


def _schema_for(path: Path) -> dict:
    return department_schema() if path.name == "department.toml" else project_schema()


def test_there_are_examples_of_both_kinds():
    assert len([p for p in EXAMPLES if p.name == "department.toml"]) >= 4
    assert len([p for p in EXAMPLES if p.name != "department.toml"]) >= 16


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_validates(path):
    assert _errors(_schema_for(path), path) == []


def test_rules_base_and_scaffolds_validate(tmp_path):
    assert _errors(project_schema(), RULES_BASE) == []
    assert run_cli("init", str(tmp_path)).returncode == 0
    assert run_cli("new", "党群服务站", "--dir", str(tmp_path)).returncode == 0
    assert _errors(department_schema(), tmp_path / "department.toml") == []
    assert _errors(project_schema(), tmp_path / "党群服务站.toml") == []
    # the schema files written beside them are the schemas tested here
    assert json.loads((tmp_path / "department.schema.json").read_text("utf-8")) == department_schema()
    assert json.loads((tmp_path / "project.schema.json").read_text("utf-8")) == project_schema()


def test_schema_rejects_what_the_loader_rejects(tmp_path):
    """The schema is not a rubber stamp: a missing required key, a wrong type and a negative amount fail."""
    text = RULES_BASE.read_text("utf-8")
    broken = tmp_path / "项目.toml"
    broken.write_text(text.replace('name = "党组织建设"\n', "").replace("year = 2026\n", 'year = "2026"\n')
                      .replace("total_other = 0", "total_other = -5"), "utf-8")
    assert sorted(_errors(project_schema(), broken)) == [
        "funding.total_other: -5 is not valid under any of the given schemas",
        "project.year: '2026' is not of type 'integer'",
        "project: 'name' is a required property",
    ]
