"""Load: TOML files → typed model, every problem collected with file, line and column."""

from .loader import DEPARTMENT_FILE, LoadResult, load_department, load_paths, load_project_text

__all__ = ["DEPARTMENT_FILE", "LoadResult", "load_department", "load_paths", "load_project_text"]
