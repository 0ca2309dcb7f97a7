"""The command line: a thin layer that parses options, calls one core function, prints, exits."""

from __future__ import annotations

import sys

import typer

from .. import __version__
from .framework import PerfdocGroup, PerfdocTyper

app = PerfdocTyper(
    name="perfdoc",
    cls=PerfdocGroup,
    help="perfdoc：以 TOML 管理项目绩效文档，检查错误，生成申报表、经费说明、汇总表与自评表。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        typer.echo(f"perfdoc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号并退出"),
):
    """perfdoc：以 TOML 管理项目绩效文档。"""


def _register_commands() -> None:
    """Import commands.py and every *_cmd.py module: each registers its subcommand on ``app``."""
    import importlib
    import pkgutil

    importlib.import_module(f"{__name__}.commands")
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd")):
        importlib.import_module(f"{__name__}.{module}")


_register_commands()


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    app(prog_name="perfdoc")  # also under ``python -m perfdoc``: the name a user types
