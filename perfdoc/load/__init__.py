"""Load: TOML files → typed model, every problem collected with file, line and column.

The names are imported on first use (PEP 562), so that ``perfdoc.load.folders`` and
``perfdoc.load.reader`` can be used without importing the model (pydantic).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {"DEPARTMENT_FILE": "folders", "LoadResult": "loader", "load_department": "loader",
          "load_paths": "loader", "load_project_text": "loader"}

__all__ = ["DEPARTMENT_FILE", "LoadResult", "load_department", "load_paths", "load_project_text"]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from .folders import DEPARTMENT_FILE
    from .loader import LoadResult, load_department, load_paths, load_project_text
