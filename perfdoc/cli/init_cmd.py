"""``perfdoc init``: parse options, write a commented department.toml, print what to do next."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import typer

from .. import exitcodes
from . import app
from .report import display_path


def _shell_word(text: str) -> str:
    """``text`` as one word on a command line: quoted only when a shell would split or expand it."""
    if text and not any(ch.isspace() or ch in "'\"$`\\!*?[]{}()<>|&;#~" for ch in text):
        return text
    return shlex.quote(text)


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"perfdoc: {message}", err=True)
    return typer.Exit(exitcodes.USAGE)


@app.command("init")
def init_cmd(
    folder: Path = typer.Argument(Path("."), metavar="文件夹", show_default=False,
                                  help="新单位文件夹（不存在时新建）；不写时为当前文件夹"),
    name: str = typer.Option("", "--name", "-n", metavar="单位名称", show_default=False,
                             help="单位名称（汇总表标题）；不写时写入占位的“单位名称”，须在文件中改掉"),
    authority: str = typer.Option("", "--authority", metavar="主管部门", show_default=False,
                                  help="主管部门；不写时写入占位的“主管部门名称”，须在文件中改掉"),
    year: int = typer.Option(None, "--year", "-y", metavar="年度", show_default=False,
                             help="预算年度，如 2027；不写时为明年"),
):
    """新建单位文件夹：写出每个键都带中文注释的 department.toml（已存在时拒绝覆盖）。

    同时在旁边写出 department.schema.json，供编辑器补全和悬停说明。
    退出码：0 已写出；2 department.toml 已存在、无法写入或用法错误。
    """
    from ..fsutil import os_reason
    from ..scaffold import DEPARTMENT_SCHEMA_FILE, new_department  # jinja2, the schema: only when run

    if year is not None and not 2000 <= year <= 2100:
        raise _usage_error(f"年度 {year} 不在 2000 到 2100 之间")
    if folder.exists() and not folder.is_dir():
        raise _usage_error(f"{display_path(folder)} 不是文件夹")
    schema = folder / DEPARTMENT_SCHEMA_FILE
    had_schema = schema.exists()
    try:
        path = new_department(folder, name=name, authority=authority, year=year)
    except FileExistsError as exc:
        raise _usage_error(f"{display_path(Path(exc.args[0]))} 已存在，不会覆盖；"
                           "要重新开始，请先删除它或换一个文件夹") from None
    except OSError as exc:
        where = os.fsdecode(exc.filename) if exc.filename else display_path(folder)
        raise _usage_error(f"无法写入 {where}：{os_reason(exc)}") from None
    typer.echo(f"已创建 {display_path(path)}" + ("" if had_schema else
               f" 和 {display_path(schema)}（供编辑器补全键名、显示中文说明）"))
    todo = [what for what, given in (("单位名称", name), ("主管部门", authority)) if not given.strip()]
    steps = ([f"填写{'和'.join(todo)}"] if todo else []) + (["核对年度"] if year is None else [])
    first = f"在 {display_path(path)} 中{'，'.join(steps)}；然后" if steps else ""
    here = path.parent.resolve() == Path.cwd().resolve()
    where = _shell_word(display_path(path.parent))
    typer.echo(f"下一步：{first}用 perfdoc new 项目名称{'' if here else ' --dir ' + where} 新建项目文件，"
               f"perfdoc check{'' if here else ' ' + where} 检查。")
    raise typer.Exit(exitcodes.OK)
