"""TOML files → typed model, collecting every problem with file, line and column.

Load problem codes (all fatal except PD004):

* PD001 toml-syntax: the file is not valid TOML;
* PD002 invalid-value: a value of the wrong type or out of range;
* PD003 missing-key: a required key is missing;
* PD004 unknown-key: a key perfdoc does not know (a typo?), a warning;
* PD005 unreadable-file: empty, binary, too large, not UTF-8, unreadable;
* PD006 bad-folder: a folder without department.toml, a missing path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
import re
from pathlib import Path

import tomli
from pydantic import BaseModel, ValidationError

from ..model import (
    Department, DepartmentFolder, Problem, Project, ProjectFile, Severity, SourceFile,
)
from .messages import nested_model, toml_message, unknown_key_message, validation_message
from .positions import scan

__all__ = ["LoadResult", "load_paths", "load_department", "load_project_text", "DEPARTMENT_FILE", "MAX_FILE_BYTES"]

DEPARTMENT_FILE = "department.toml"
#: A project file is a few kilobytes; anything past this is not one.
MAX_FILE_BYTES = 5 * 1024 * 1024

_NAMES = {
    "PD001": "toml-syntax", "PD002": "invalid-value", "PD003": "missing-key",
    "PD004": "unknown-key", "PD005": "unreadable-file", "PD006": "bad-folder",
}


def _problem(path: Path, line: int, col: int, code: str, message: str, severity=Severity.ERROR) -> Problem:
    return Problem(Path(path), line, col, code, message, severity, _NAMES[code], fatal=severity is Severity.ERROR)


@dataclass
class LoadResult:
    departments: list[DepartmentFolder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)

    @property
    def projects(self) -> list[ProjectFile]:
        return [p for d in self.departments for p in d.projects]


# -- reading text -------------------------------------------------------------

def _read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(_too_large(path, size))
            return None
        return path.read_bytes()
    except IsADirectoryError:
        problems.append(_problem(path, 1, 1, "PD006", "这是一个文件夹，不是 TOML 文件"))
    except PermissionError:
        problems.append(_problem(path, 1, 1, "PD005", "无法读取文件：没有读取权限"))
    except OSError as exc:
        problems.append(_problem(path, 1, 1, "PD005", f"无法读取文件（系统错误 {exc.errno}：{exc.strerror}）"))
    return None


def _too_large(path: Path, size: int) -> Problem:
    return _problem(path, 1, 1, "PD005", f"文件过大（{size / 1048576:.1f} MB），项目文件不应超过 {MAX_FILE_BYTES // 1048576} MB")


def decode_text(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    """Bytes as read from a file → text: not too large, not binary, UTF-8 (a BOM is fine), not empty."""
    if len(data) > MAX_FILE_BYTES:
        problems.append(_too_large(path, len(data)))
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        problems.append(_problem(path, line, 1, "PD005", "这不是文本文件（含有二进制数据），项目文件应是 UTF-8 编码的 TOML"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "（可能是 GBK 编码，请在编辑器中另存为 UTF-8）"
        problems.append(_problem(path, line, col, "PD005", f"文件不是 UTF-8 编码：第 {line} 行有无法识别的字节{hint}"))
        return None
    if not text.strip():
        problems.append(_problem(path, 1, 1, "PD005", "文件是空的"))
        return None
    return text


def _parse(path: Path, text: str, problems: list[Problem]) -> dict | None:
    try:
        return tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        msg = getattr(exc, "msg", str(exc))
        line, col, message = _place_syntax_error(text, line, col, msg)
        problems.append(_problem(path, line, col, "PD001", message))
        return None
    except RecursionError:
        line, col = _deep_nesting(text)
        problems.append(_problem(path, line, col, "PD001", "TOML 语法错误：数组或内联表嵌套层数过多"))
        return None


def _deep_nesting(text: str, limit: int = 100) -> tuple[int, int]:
    """Where brackets first nest deeper than ``limit`` (tomli's RecursionError has no position)."""
    depth = 0
    quote = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        for col, ch in enumerate(line, start=1):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > limit:
                    return lineno, col
            elif ch in "]}":
                depth -= 1
        quote = None
    return 1, 1


_DATE_LIKE = re.compile(r"=\s*(\d{4}-\d{1,2}-\d{1,2})")


def _place_syntax_error(text: str, line: int, col: int, msg: str) -> tuple[int, int, str]:
    """Where a person would look for a syntax error, and what to call it.

    tomli notices an unclosed array or inline table only at the next statement,
    an unclosed string as an illegal newline, and a date like 2026-13-01 as
    trailing garbage after the number 2026.
    """
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Illegal character" in msg and "\\n" in msg:
        return line, col, "TOML 语法错误：字符串缺少结束引号（单行文字不能换行；多行文字请用三个引号 \"\"\"）"
    if msg.startswith("Expected newline or end of document") and (m := _DATE_LIKE.search(here)):
        return line, m.start(1) + 1, f"TOML 语法错误：日期“{m.group(1)}”格式错误或不存在（应写作 2026-01-01）"
    if msg.startswith(("Unclosed array", "Unclosed inline table")):
        opener, closer = ("[", "]") if "array" in msg else ("{", "}")
        for back in range(line - 1, 0, -1):
            candidate = lines[back - 1]
            at = candidate.find("=")
            if at >= 0 and candidate[at + 1:].lstrip().startswith(opener) and candidate.count(opener) > candidate.count(closer):
                return back, at + 2 + (len(candidate[at + 1:]) - len(candidate[at + 1:].lstrip())), toml_message(msg)
    return line, col, toml_message(msg)


def _validate(model_cls: type[BaseModel], source: SourceFile, data: dict, problems: list[Problem]):
    # Unknown keys first and also when the file is refused: ``nmae = …`` explains the missing ``name``.
    _unknown_keys(model_cls, data, (), source, problems)
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            kind, message = validation_message(model_cls, error)
            loc = tuple(error["loc"])
            line, col = source.locate(loc, value=kind != "missing")
            code = "PD003" if kind == "missing" else "PD002"
            problems.append(_problem(source.path, line, col, code, message))
        return None
    return model


def _unknown_keys(model_cls: type[BaseModel], data, loc: tuple, source: SourceFile, problems: list[Problem]) -> None:
    """A PD004 warning for each key of ``data`` (the parsed TOML) that ``model_cls`` does not know, at any depth."""
    if not isinstance(data, dict):
        return
    fields = model_cls.model_fields
    for key, value in data.items():
        if key not in fields:
            line, col = source.locate(loc + (key,), value=False)
            problems.append(_problem(source.path, line, col, "PD004", unknown_key_message(model_cls, loc, key),
                                     Severity.WARNING))
            continue
        nested = nested_model(fields[key].annotation)
        if nested is None:
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                _unknown_keys(nested, item, loc + (key, i), source, problems)
        else:
            _unknown_keys(nested, value, loc + (key,), source, problems)


def _load_file(path: Path, model_cls: type[BaseModel], problems: list[Problem]):
    data = _read_bytes(path, problems)
    if data is None:
        return None, None
    return load_bytes(path, data, model_cls, problems)


def load_bytes(path: Path, raw: bytes, model_cls: type[BaseModel], problems: list[Problem]):
    """(SourceFile, model) from a file's bytes; either is None when unusable (problems say why)."""
    text = decode_text(path, raw, problems)
    if text is None:
        return None, None
    data = _parse(path, text, problems)
    if data is None:
        return None, None
    source = SourceFile(path, text, scan(text))
    return source, _validate(model_cls, source, data, problems)


def load_project_text(text: str, path: Path = Path("<text>")) -> tuple[ProjectFile | None, list[Problem]]:
    """Load a project from text (tests, import): the model or None, and the problems."""
    problems: list[Problem] = []
    data = _parse(path, text, problems)
    if data is None:
        return None, problems
    source = SourceFile(path, text, scan(text))
    model = _validate(Project, source, data, problems)
    if model is None:
        return None, problems
    return ProjectFile(path.stem, source, model), problems


# -- folders --------------------------------------------------------------------

def _load_folder(folder: Path, problems: list[Problem]) -> DepartmentFolder:
    dep_path = folder / DEPARTMENT_FILE
    source, model = _load_file(dep_path, Department, problems)
    dep = DepartmentFolder(folder, source, model)
    for path in sorted(folder.glob("*.toml")):
        if path.name == DEPARTMENT_FILE or path.name.startswith("."):
            continue
        _add_project(dep, path, problems)
    if not dep.projects and not any(p.file.parent == folder and p.fatal for p in problems):
        problems.append(_problem(dep_path, 1, 1, "PD006", "文件夹中没有项目文件（*.toml）"))
    return dep


def _add_project(dep: DepartmentFolder, path: Path, problems: list[Problem]) -> None:
    source, model = _load_file(path, Project, problems)
    if model is not None:
        dep.projects.append(ProjectFile(path.stem, source, model, dep))


def _department_folders(folder: Path) -> list[Path]:
    """Folders under ``folder`` (recursively) that hold a department.toml."""
    return sorted(p.parent for p in folder.rglob(DEPARTMENT_FILE) if not any(part.startswith(".") for part in p.parts))


def load_department(path: Path) -> LoadResult:
    """Load exactly one department folder; a file or a folder without department.toml is an error."""
    path = Path(path)
    result = LoadResult()
    if not path.exists():
        result.problems.append(_problem(path, 1, 1, "PD006", "路径不存在"))
    elif not path.is_dir():
        result.problems.append(_problem(path, 1, 1, "PD006", "这里需要一个单位文件夹（含 department.toml），而不是一个文件"))
    elif not (path / DEPARTMENT_FILE).is_file():
        result.problems.append(_problem(path / DEPARTMENT_FILE, 1, 1, "PD006", "文件夹中没有 department.toml，它不是一个单位文件夹"))
    else:
        result.departments.append(_load_folder(path, result.problems))
    return result


def load_paths(paths: list[Path]) -> LoadResult:
    """Load files and folders as given on a command line.

    A folder with department.toml is a department; a folder without one is
    searched for department folders below it; a single project file is loaded
    with the department.toml beside it, if there is one.
    """
    result = LoadResult()
    for path in map(Path, paths):
        if not path.exists():
            result.problems.append(_problem(path, 1, 1, "PD006", "路径不存在"))
        elif path.is_dir():
            if (path / DEPARTMENT_FILE).is_file():
                result.departments.append(_load_folder(path, result.problems))
                continue
            found = _department_folders(path)
            if not found:
                result.problems.append(_problem(path / DEPARTMENT_FILE, 1, 1, "PD006",
                                                "文件夹中没有 department.toml，也没有含 department.toml 的子文件夹"))
            for folder in found:
                result.departments.append(_load_folder(folder, result.problems))
        elif path.name == DEPARTMENT_FILE:
            result.departments.append(_load_folder(path.parent, result.problems))
        elif path.suffix.lower() != ".toml":
            result.problems.append(_problem(path, 1, 1, "PD005", "不是 TOML 文件（项目文件的扩展名应为 .toml）"))
        else:
            dep_path = path.parent / DEPARTMENT_FILE
            source, model = (None, None)
            if dep_path.is_file():
                source, model = _load_file(dep_path, Department, result.problems)
            dep = DepartmentFolder(path.parent, source, model, partial=True)
            _add_project(dep, path, result.problems)
            result.departments.append(dep)
    return result
