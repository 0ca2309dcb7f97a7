"""TOML files → typed model, collecting every problem with file, line and column.

Load problem codes (all fatal except PD004):

* PD001 toml-syntax: the file is not valid TOML;
* PD002 invalid-value: a value of the wrong type or out of range;
* PD003 missing-key: a required key is missing;
* PD004 unknown-key: a key perfdoc does not know (a typo?), a warning;
* PD005 unreadable-file: empty, binary, too large, not UTF-8, unreadable, not a regular file;
* PD006 bad-folder: a folder without department.toml, a missing path.

Every file is read by :func:`perfdoc.load.reader.read_input` (a regular file
inside its department folder, size-capped, never blocking) and parsed by
:func:`perfdoc.load.syntax.parse`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..model import Department, DepartmentFolder, Problem, Project, ProjectFile, Severity, SourceFile
from .folders import DEPARTMENT_FILE, department_folders, lexists, project_names
from .messages import nested_model, unknown_key_message, validation_message
from .reader import MAX_FILE_BYTES, decode_text, problem as _problem, read_input
from .syntax import parse

__all__ = ["LoadResult", "OpenFolder", "open_paths", "open_folder", "close_folder", "load_opened", "load_paths",
           "load_department", "load_project_text", "load_bytes", "load_project_files",
           "DEPARTMENT_FILE", "MAX_FILE_BYTES", "decode_text"]



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


# -- one file -------------------------------------------------------------------

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


def _load_file(path: Path, folder: Path, model_cls: type[BaseModel], problems: list[Problem]):
    data = read_input(path, folder, problems)
    if data is None:
        return None, None
    return load_bytes(path, data, model_cls, problems)


def load_bytes(path: Path, raw: bytes, model_cls: type[BaseModel], problems: list[Problem]):
    """(SourceFile, model) from a file's bytes; either is None when unusable (problems say why)."""
    text = decode_text(path, raw, problems)
    if text is None:
        return None, None
    data, positions = parse(path, text, problems)
    if data is None:
        return None, None
    source = SourceFile(path, text, positions)
    return source, _validate(model_cls, source, data, problems)


def load_project_text(text: str, path: Path = Path("<text>")) -> tuple[ProjectFile | None, list[Problem]]:
    """Load a project from text (tests, import): the model or None, and the problems."""
    problems: list[Problem] = []
    data, positions = parse(path, text, problems)
    if data is None:
        return None, problems
    source = SourceFile(path, text, positions)
    model = _validate(Project, source, data, problems)
    if model is None:
        return None, problems
    return ProjectFile(project_key(path), source, model), problems


def project_key(path: Path) -> str:
    """A project's stable key: its file name without .toml, in NFC (macOS writes names in NFD)."""
    return unicodedata.normalize("NFC", Path(path).stem)


# -- folders --------------------------------------------------------------------

def _project_paths(folder: Path, problems: list[Problem]) -> list[Path]:
    """The ``*.toml`` names directly in ``folder`` (any kind of file: the reader judges), sorted."""
    try:
        names = project_names(folder)
    except OSError as exc:
        problems.append(_problem(folder / DEPARTMENT_FILE, 1, 1, "PD005", _folder_message(exc)))
        return []
    return [folder / name for name in names]


def _folder_message(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "无法列出文件夹的内容：没有读取权限"
    return f"无法列出文件夹的内容（系统错误 {exc.errno}）"


@dataclass
class OpenFolder:
    """A department folder opened but its projects not yet loaded: department.toml loaded (``dep``
    holds no project yet) and the project files to load, in order.  ``check -j`` loads the files
    in worker processes (:func:`load_project_files`) and ends with :func:`close_folder`."""

    dep: DepartmentFolder
    files: list[Path]


def open_folder(folder: Path, problems: list[Problem]) -> OpenFolder:
    dep_path = folder / DEPARTMENT_FILE
    source, model = _load_file(dep_path, folder, Department, problems)
    files: list[Path] = []
    seen: dict[str, Path] = {}
    for path in _project_paths(folder, problems):
        key = project_key(path)
        if key in seen:  # é.toml written once in NFC and once in NFD: one name on macOS
            problems.append(_problem(path, 1, 1, "PD006",
                                     f"文件名与 {seen[key].name} 只是 Unicode 写法不同（NFC 与 NFD），"
                                     f"在 macOS 上是同一个文件；请只保留一个"))
            continue
        seen[key] = path
        files.append(path)
    return OpenFolder(DepartmentFolder(folder, source, model), files)


def close_folder(folder: Path, loaded_any: bool, problems: list[Problem]) -> None:
    """The problem of a department folder none of whose projects could be loaded, when nothing else says why."""
    if not loaded_any and not any(p.file.parent == folder and p.fatal for p in problems):
        problems.append(_problem(folder / DEPARTMENT_FILE, 1, 1, "PD006", "文件夹中没有项目文件（*.toml）"))


def load_opened(opened: OpenFolder, problems: list[Problem]) -> DepartmentFolder:
    """The department of an opened folder with its projects loaded, here."""
    for path in opened.files:
        _add_project(opened.dep, path, opened.dep.path, problems)
    close_folder(opened.dep.path, bool(opened.dep.projects), problems)
    return opened.dep


def _load_folder(folder: Path, problems: list[Problem]) -> DepartmentFolder:
    return load_opened(open_folder(folder, problems), problems)


def _add_project(dep: DepartmentFolder, path: Path, folder: Path, problems: list[Problem]) -> None:
    source, model = _load_file(path, folder, Project, problems)
    if model is not None:
        dep.projects.append(ProjectFile(project_key(path), source, model, dep))


def load_department(path: Path) -> LoadResult:
    """Load exactly one department folder; a file or a folder without department.toml is an error."""
    path = Path(path)
    result = LoadResult()
    try:
        if not path.exists():
            result.problems.append(_problem(path, 1, 1, "PD006", "路径不存在"))
        elif not path.is_dir():
            result.problems.append(_problem(path, 1, 1, "PD006", "这里需要一个单位文件夹（含 department.toml），而不是一个文件"))
        elif not lexists(path / DEPARTMENT_FILE):
            result.problems.append(_problem(path / DEPARTMENT_FILE, 1, 1, "PD006", "文件夹中没有 department.toml，它不是一个单位文件夹"))
        else:
            result.departments.append(_load_folder(path, result.problems))
    except OSError as exc:
        result.problems.append(_problem(path, 1, 1, "PD005", _path_message(exc)))
    return result


def _path_message(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "无法访问这个路径：没有权限"
    return f"无法访问这个路径（系统错误 {exc.errno}）"


def load_project_files(folder: Path, files: list[Path]) -> LoadResult:
    """department.toml of ``folder`` (when there is one) and only the project ``files`` in it, as one
    department that holds some of its projects (a build's worker renders a share of them)."""
    folder = Path(folder)
    result = LoadResult()
    try:
        dep_path = folder / DEPARTMENT_FILE
        source, model = (None, None)
        if lexists(dep_path):
            source, model = _load_file(dep_path, folder, Department, result.problems)
        dep = DepartmentFolder(folder, source, model, partial=True)
        for path in files:
            _add_project(dep, Path(path), folder, result.problems)
        result.departments.append(dep)
    except OSError as exc:
        result.problems.append(_problem(folder, 1, 1, "PD005", _path_message(exc)))
    return result


def load_paths(paths: list[Path]) -> LoadResult:
    """Load files and folders as given on a command line.

    A folder with department.toml is a department; a folder without one is
    searched for department folders below it; a single project file is loaded
    with the department.toml beside it, if there is one.
    """
    return open_paths(paths, None)


def open_paths(paths: list[Path], opened: list[OpenFolder] | None) -> LoadResult:
    """:func:`load_paths`; with ``opened``, each whole department folder is only opened and put
    there (its projects to be loaded elsewhere), not loaded into the result."""
    result = LoadResult()
    for path in map(Path, paths):
        try:
            _load_path(path, result, opened)
        except OSError as exc:  # a name too long, a folder that vanished
            result.problems.append(_problem(path, 1, 1, "PD005", _path_message(exc)))
    return result


def _load_path(path: Path, result: LoadResult, opened: list[OpenFolder] | None) -> None:
    def folder_of(folder: Path) -> None:
        if opened is None:
            result.departments.append(_load_folder(folder, result.problems))
        else:
            opened.append(open_folder(folder, result.problems))

    if not path.exists():
        result.problems.append(_problem(path, 1, 1, "PD006", "路径不存在"))
    elif path.is_dir():
        if lexists(path / DEPARTMENT_FILE):
            folder_of(path)
            return
        found = department_folders(path)
        if not found:
            result.problems.append(_problem(path / DEPARTMENT_FILE, 1, 1, "PD006",
                                            "文件夹中没有 department.toml，也没有含 department.toml 的子文件夹"))
        for folder in found:
            folder_of(folder)
    elif path.name == DEPARTMENT_FILE:
        folder_of(path.parent)
    elif path.suffix.lower() != ".toml":
        result.problems.append(_problem(path, 1, 1, "PD005", "不是 TOML 文件（项目文件的扩展名应为 .toml）"))
    else:
        folder = path.parent
        dep_path = folder / DEPARTMENT_FILE
        source, model = (None, None)
        if lexists(dep_path):
            source, model = _load_file(dep_path, folder, Department, result.problems)
        dep = DepartmentFolder(folder, source, model, partial=True)
        _add_project(dep, path, folder, result.problems)
        result.departments.append(dep)
