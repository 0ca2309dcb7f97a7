"""``perfdoc init``: a commented department.toml (and its JSON Schema) to start a department from."""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from pathlib import Path

import jinja2
import tomli_w

from ..fsutil import atomic_write_text
from ..model.schema import schema_json

__all__ = ["new_department", "DEPARTMENT_SCHEMA_FILE", "NAME_PLACEHOLDER", "AUTHORITY_PLACEHOLDER"]

DEPARTMENT_FILE = "department.toml"
DEPARTMENT_SCHEMA_FILE = "department.schema.json"
#: What the user must replace: PD501 reports a value that is the name of its column.
NAME_PLACEHOLDER = "单位名称"
AUTHORITY_PLACEHOLDER = "主管部门名称"
_COMMENT_COLUMN = 44


def _toml_string(text: str) -> str:
    return tomli_w.dumps({"x": text}).split("=", 1)[1].strip()


def _width(text: str) -> int:
    """Columns on a monospaced screen: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(key: str, value: str) -> str:
    """Spaces that put the comment after ``key = value`` in the comment column (at least two)."""
    return " " * max(2, _COMMENT_COLUMN - _width(f"{key} = {value}"))


def _builtin_templates() -> str:
    """``shanghai（2026 闵行）、…``: the layouts shipped with perfdoc, named as their variant.toml names them."""
    from ..render.template import builtin_templates_dir

    folder = builtin_templates_dir()
    names = []
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        variant = sub / "variant.toml"
        if not (sub / "reference.docx").is_file() or not variant.is_file():
            continue
        try:
            title = tomllib.loads(variant.read_text("utf-8")).get("variant", {}).get("name", "")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            title = ""
        names.append(f"{sub.name}（{title}）" if title else sub.name)
    return "、".join(names)


def new_department(folder: Path, *, name: str = "", authority: str = "", year: int | None = None) -> Path:
    """Write ``folder/department.toml`` (creating the folder); never overwrites (FileExistsError).

    Unnamed values are written as placeholders that ``perfdoc check`` reports.  The JSON
    Schema is written beside it unless one is there already.
    """
    folder = Path(folder)
    path = folder / DEPARTMENT_FILE
    if path.exists():
        raise FileExistsError(path)
    name_value = _toml_string(name.strip() or NAME_PLACEHOLDER)
    authority_value = _toml_string(authority.strip() or AUTHORITY_PLACEHOLDER)
    env = jinja2.Environment(loader=jinja2.PackageLoader("perfdoc", "scaffold"), keep_trailing_newline=True,
                             autoescape=False, undefined=jinja2.StrictUndefined)
    text = env.get_template("department.toml.j2").render(
        name=name_value,
        pad_name=_pad("name", name_value),
        authority=authority_value,
        pad_authority=_pad("authority", authority_value),
        year=year or dt.date.today().year + 1,
        templates=_builtin_templates(),
    )
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text, overwrite=False)
    schema = folder / DEPARTMENT_SCHEMA_FILE
    if not schema.exists():
        atomic_write_text(schema, schema_json("department"))
    return path
