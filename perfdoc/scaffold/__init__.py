"""``perfdoc new`` and ``perfdoc init``: a commented project file, a commented department.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import tomli_w

from ..filenames import MAX_STEM_BYTES, safe_file_stem
from ..fsutil import atomic_write_text
from ..model.schema import schema_json
from .department import DEPARTMENT_SCHEMA_FILE, new_department

__all__ = ["new_project", "new_department", "safe_file_stem", "MAX_STEM_BYTES", "SCHEMA_FILE", "DEPARTMENT_SCHEMA_FILE"]

SCHEMA_FILE = "project.schema.json"


def _toml_string(text: str) -> str:
    return tomli_w.dumps({"x": text}).split("=", 1)[1].strip()


def new_project(name: str, folder: Path, *, year: int | None = None, implementer: str = "") -> Path:
    """Write ``folder/<name>.toml``; never overwrites (FileExistsError)."""
    folder = Path(folder)
    path = folder / f"{safe_file_stem(name)}.toml"
    if path.exists():
        raise FileExistsError(path)
    env = jinja2.Environment(loader=jinja2.PackageLoader("perfdoc", "scaffold"), keep_trailing_newline=True,
                             autoescape=False, undefined=jinja2.StrictUndefined)
    text = env.get_template("project.toml.j2").render(
        name=_toml_string(name),
        year=year or dt.date.today().year + 1,
        implementer=_toml_string(implementer or "实施单位名称"),
    )
    atomic_write_text(path, text, overwrite=False)
    schema = folder / SCHEMA_FILE
    if not schema.exists():
        atomic_write_text(schema, schema_json("project"))
    return path
