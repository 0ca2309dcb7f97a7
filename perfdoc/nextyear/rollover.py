"""Building the new year's department folder: load, decide, edit, copy, verify, rename.

The new folder is built whole in a hidden temporary folder beside DST
(``.perfdoc-tmp-<pid>-next-year-…``), read back with the loader, and only then
renamed to DST: on any error (or Ctrl-C) the temporary folder is removed and DST
does not exist.  After a ``kill -9`` only that temporary folder is left; the next
run removes it (fsutil.clean_leftovers) before it starts.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..check.base import iter_texts
from ..fsutil import TMP_PREFIX, clean_leftovers, fsync_dir, os_reason, tmp_prefix
from ..load import DEPARTMENT_FILE, load_department
from ..model import DepartmentFolder, Problem, ProjectFile
from .edit import EditError, Removed, roll_department_text, roll_project_text
from .plan import Decision, decide

__all__ = ["NextYearError", "ProjectRoll", "NextYearResult", "roll_over", "MAX_YEAR"]

#: The last budget year the model accepts (project.year and department.year).
MAX_YEAR = 2100


class NextYearError(Exception):
    """Nothing was created; ``message`` says why (Chinese), ``problems`` carry file:line."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class ProjectRoll:
    """One project of SRC and what became of it."""

    key: str  # the file name without .toml
    file: str  # the file name
    name: str  # 项目名称
    decision: Decision
    period_before: tuple[int, int] | None
    period_after: tuple[int, int] | None = None
    start: object = None  # the new plan dates (as the loader reads them)
    end: object = None
    removed: Removed = field(default_factory=Removed)
    stale: list[tuple[int, str]] = field(default_factory=list)  # (line, key path) of texts naming the old year

    @property
    def included(self) -> bool:
        return self.decision.include


@dataclass
class NextYearResult:
    src: Path
    dst: Path
    old_year: int
    new_year: int
    projects: list[ProjectRoll] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)  # other files copied as they are (relative paths)
    skipped: list[str] = field(default_factory=list)  # special files (fifos, sockets) not copied
    notes: list[str] = field(default_factory=list)  # things the user should look at

    @property
    def rolled(self) -> list[ProjectRoll]:
        return [p for p in self.projects if p.included]

    @property
    def left_out(self) -> list[ProjectRoll]:
        return [p for p in self.projects if not p.included]


# -- checks before anything is written ------------------------------------------------

def _check_dst(src: Path, dst: Path) -> None:
    if dst.is_symlink() or (dst.exists() and not dst.is_dir()):
        raise NextYearError(f"目标 {dst} 已存在（不是文件夹），不会覆盖；请换一个新的文件夹名")
    if dst.is_dir():
        try:
            empty = not any(dst.iterdir())
        except OSError as exc:
            raise NextYearError(f"无法读取目标文件夹 {dst}：{os_reason(exc)}") from None
        if not empty:
            raise NextYearError(f"目标文件夹 {dst} 已存在且不是空的，不会覆盖；请换一个新的文件夹名，或先清空它")
        if dst.resolve() == Path.cwd().resolve():
            raise NextYearError("目标不能是当前所在的文件夹；请给出一个新的文件夹名")
    src_real, dst_real = src.resolve(), dst.resolve()
    if dst_real == src_real or dst_real.is_relative_to(src_real):
        raise NextYearError(f"目标 {dst} 在源文件夹 {src} 之内；请把新年度文件夹放在源文件夹之外（如与它并列）")


def _load_src(src: Path) -> DepartmentFolder:
    loaded = load_department(src)
    if loaded.fatal:
        raise NextYearError(f"未生成新年度文件夹：{src} 有以下问题，请先改正：",
                            [p for p in loaded.problems if p.fatal])
    return loaded.departments[0]


def _year_problems(dep: DepartmentFolder) -> list[Problem]:
    found = []
    if dep.model.department.year >= MAX_YEAR:
        line, col = dep.source.locate(("department", "year"))
        found.append(Problem(dep.source.path, line, col, "PD002", f"年度 {dep.model.department.year} 已是上限，无法再加一年"))
    for p in dep.projects:
        if p.model.project.year >= MAX_YEAR:
            line, col = p.source.locate(("project", "year"))
            found.append(Problem(p.path, line, col, "PD002", f"年度 {p.model.project.year} 已是上限，无法再加一年"))
    return found


# -- writing ----------------------------------------------------------------------------

def _read_text(path: Path, loaded: str) -> tuple[str, bool]:
    """The text of a file as loaded, and whether it starts with a BOM (kept in the new file)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text != loaded:
        raise NextYearError(f"{path} 在处理过程中被修改了；请确认后重新运行")
    return text, data.startswith(codecs.BOM_UTF8)


def _write_file(path: Path, text: str, bom: bool, like: Path) -> None:
    """Write a new file (never an existing one), flushed to disk, with the mode of ``like``."""
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    shutil.copymode(like, path)


def _copy_entry(source: Path, target: Path, rel: str, result: NextYearResult) -> None:
    """Copy a file, a symbolic link (as a link) or a folder (recursively) as it is."""
    info = source.lstat()
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(source), target)
        result.copied.append(rel)
    elif stat.S_ISDIR(info.st_mode):
        os.mkdir(target)
        for child in sorted(source.iterdir()):
            _copy_entry(child, target / child.name, f"{rel}/{child.name}", result)
        shutil.copymode(source, target)
    elif stat.S_ISREG(info.st_mode):
        shutil.copy2(source, target)
        result.copied.append(rel)
    else:
        result.skipped.append(rel)


def _edit_error(path: Path, source, exc: EditError) -> NextYearError:
    line, col = source.locate(exc.path) if (source is not None and exc.path) else (1, 1)
    return NextYearError(f"无法生成新年度文件夹：{path.name} 无法修改",
                         [Problem(path, line, col, "PD002", exc.message)])


def _build(dep: DepartmentFolder, tmp: Path, result: NextYearResult, rolls: dict[str, ProjectRoll]) -> None:
    src = dep.path
    project_files = {p.path.name: p for p in dep.projects}
    for entry in sorted(src.iterdir()):
        name = entry.name
        target = tmp / name
        if name == DEPARTMENT_FILE:
            text, bom = _read_text(entry, dep.source.text)
            try:
                new = roll_department_text(text)
            except EditError as exc:
                raise _edit_error(entry, dep.source, exc) from None
            _write_file(target, new, bom, entry)
        elif name in project_files:
            project = project_files[name]
            roll = rolls[project.key]
            if not roll.included:
                continue
            text, bom = _read_text(entry, project.source.text)
            try:
                new, roll.removed = roll_project_text(text, roll.decision)
            except EditError as exc:
                raise _edit_error(entry, project.source, exc) from None
            _write_file(target, new, bom, entry)
        else:
            _copy_entry(entry, target, name, result)


def _path_label(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _stale_texts(project: ProjectFile, old_year: int) -> list[tuple[int, str]]:
    """Texts of the new file that still name the old year (the user may want to rewrite them)."""
    pattern = re.compile(rf"(?<!\d){old_year}(?!\d)")
    found = []
    for path, text in iter_texts(project.model):
        if pattern.search(text):
            line, _ = project.source.locate(path)
            found.append((line, _path_label(path)))
    return found


def _verify(tmp: Path, result: NextYearResult, rolls: dict[str, ProjectRoll], old_year: int) -> None:
    """Read the new folder back: it must load without errors, one year on."""
    loaded = load_department(tmp)
    if loaded.fatal:
        problems = [Problem(result.dst / p.file.relative_to(tmp), p.line, p.col, p.code, p.message, p.severity, p.name, p.fatal)
                    for p in loaded.problems if p.fatal and p.file.is_relative_to(tmp)]
        raise NextYearError("生成的新年度文件未通过读取校验，已放弃（未创建任何文件夹）；这是 perfdoc 的缺陷，请报告：", problems)
    new_dep = loaded.departments[0]
    for project in new_dep.projects:
        roll = rolls.get(project.key)
        if roll is None:
            continue
        info = project.model.project
        roll.start, roll.end = info.start, info.end
        roll.period_after = project.model.goals.period
        roll.stale = _stale_texts(project, old_year)


def _other_notes(dep: DepartmentFolder, tmp: Path, result: NextYearResult) -> None:
    """Relative paths in department.toml that point outside SRC and no longer resolve from DST."""
    for name in dep.model.attachments:
        if (dep.path / name).is_file() and not (tmp / name).is_file():
            result.notes.append(f"department.toml 中的附件“{name}”在源文件夹之外，从新文件夹按相对路径找不到；请修改 attachments")
    template = dep.model.layout.template.strip()
    if template and (dep.path / template).is_dir() and not (tmp / template).is_dir():
        result.notes.append(f"department.toml 中的版式“{template}”在源文件夹之外，从新文件夹按相对路径找不到；请修改 [layout] template")


# -- the whole operation ------------------------------------------------------------------

def roll_over(src: Path, dst: Path, *, include_ended: bool = False) -> NextYearResult:
    """Create DST: the department folder SRC one budget year later.  Raises NextYearError."""
    src, dst = Path(src), Path(dst)
    dep = _load_src(src)
    _check_dst(src, dst)
    year_problems = _year_problems(dep)
    if year_problems:
        raise NextYearError("年度已到上限，未生成新年度文件夹：", year_problems)
    old_year = dep.model.department.year
    result = NextYearResult(src, dst, old_year, old_year + 1)
    rolls: dict[str, ProjectRoll] = {}
    for project in dep.ordered_projects():
        roll = ProjectRoll(project.key, project.path.name, project.model.name,
                           decide(project.model, include_ended), project.model.goals.period)
        rolls[project.key] = roll
        result.projects.append(roll)
    if not result.rolled:
        raise NextYearError(f"{src} 中没有可以转入新年度的项目：{len(result.projects)} 个项目都是实施期已结束的跨年度项目；"
                            "如仍要转入，请加 --all")

    created = _make_parents(dst.parent)
    tmp, done = None, False
    try:
        clean_leftovers(dst.parent)  # what a killed run left beside DST
        tmp = Path(tempfile.mkdtemp(prefix=f"{tmp_prefix()}next-year-", dir=dst.parent))
        _build(dep, tmp, result, rolls)
        _verify(tmp, result, rolls, old_year)
        _other_notes(dep, tmp, result)
        os.chmod(tmp, stat.S_IMODE(src.stat().st_mode))
        _rename(tmp, dst)
        done = True
        fsync_dir(dst.parent)
    except OSError as exc:
        where = _shown(getattr(exc, "filename", None), tmp, dst)
        raise NextYearError(f"无法创建 {dst}：{os_reason(exc)}" + (f"（{where}）" if where else "")
                            + "；未留下任何文件") from None
    finally:
        if not done:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            _remove_parents(created)
    return result


def _shown(filename, tmp: Path | None, dst: Path) -> str | None:
    """A file named in an OS error, as it would have been under DST (not the temporary folder)."""
    if not filename:
        return None
    path = Path(os.fsdecode(filename))
    if path.name.startswith(TMP_PREFIX) and path.parent == dst.parent:
        return None  # the temporary folder itself: the message names DST already
    if tmp is not None and path.is_relative_to(tmp):
        return str(dst / path.relative_to(tmp))
    return str(path)


def _make_parents(parent: Path) -> list[Path]:
    """Create the missing folders above DST; return them, deepest first (to undo on failure)."""
    missing = []
    p = parent
    while not p.exists():
        missing.append(p)
        p = p.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NextYearError(f"无法创建文件夹 {parent}：{os_reason(exc)}") from None
    return missing


def _remove_parents(created: list[Path]) -> None:
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            break


def _rename(tmp: Path, dst: Path) -> None:
    """Move the finished folder into place; an empty DST folder is replaced, anything else refused."""
    try:
        os.rename(tmp, dst)
    except OSError:
        if dst.is_dir() and not dst.is_symlink() and not any(dst.iterdir()):
            os.rmdir(dst)  # systems that do not rename over an empty folder
            os.rename(tmp, dst)
        elif dst.exists() or dst.is_symlink():
            raise NextYearError(f"目标 {dst} 在生成过程中被创建了，不会覆盖；未留下任何文件") from None
        else:
            raise
