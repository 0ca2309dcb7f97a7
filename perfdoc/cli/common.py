"""What several commands share: a usage failure, and the folders to use when none is named."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import exitcodes
from ..load.folders import DEPARTMENT_FILE  # not ..load: the loader (pydantic) stays unimported

__all__ = ["fail", "paths_or_default", "PATHS_HELP", "DEPARTMENT_FILE"]

#: The help of the PATH arguments of check, build and score.
PATHS_HELP = ("单位文件夹、项目文件，或包含若干单位文件夹的目录；"
              "不写时：当前文件夹（含 department.toml 时），否则 projects/")


def fail(message: str, code: int = exitcodes.USAGE) -> typer.Exit:
    """Print ``perfdoc: message`` on stderr; the caller raises the returned Exit."""
    typer.echo(f"perfdoc: {message}", err=True)
    return typer.Exit(code)


def paths_or_default(paths: list[Path] | None, command: str) -> list[Path]:
    """The paths given; else the current folder when it is a department; else projects/."""
    if paths:
        return list(paths)
    if (Path.cwd() / DEPARTMENT_FILE).is_file():
        return [Path(".")]
    if (Path.cwd() / "projects").is_dir():
        return [Path("projects")]
    raise fail(f"没有指定单位文件夹，而当前文件夹（{Path.cwd()}）中既没有 {DEPARTMENT_FILE}，"
               f"也没有 projects 文件夹。请写出单位文件夹，如 perfdoc {command} 文件夹；"
               f"新建单位文件夹用 perfdoc init 文件夹")
