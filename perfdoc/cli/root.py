"""perfdoc's Typer app: the root group, ``--version``, and every subcommand registered."""

from __future__ import annotations

import typer

from .. import __version__
from .framework import PerfdocGroup, PerfdocTyper

__all__ = ["app"]

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

    package = importlib.import_module(__package__)
    importlib.import_module(f"{__package__}.commands")
    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.endswith("_cmd")):
        importlib.import_module(f"{__package__}.{module}")


_register_commands()
