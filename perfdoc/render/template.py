"""Templates: a folder with a reference .docx (page, fonts, styles), the layout
settings of one form variant (variant.toml) and Jinja2 texts for the fixed sentences.

A user copies a folder under templates/, edits reference.docx in Word or WPS
and the texts, and points ``[layout] template`` in department.toml at it.
Project text is passed to the Jinja2 texts as data: it is never evaluated as
a template, so a ``{{`` typed by a user prints as ``{{``.

A template folder may come from anyone, so nothing in it is trusted: the texts
run in a sandbox (:mod:`.sandbox`), reference.docx is opened through
:mod:`perfdoc.read.package` (no zip bomb, no entities, a real Word document),
variant.toml is checked like a project file (:mod:`.variant`).  Every fault is a
problem at its file and line (code PD008, bad-template); :class:`TemplateError`
carries them all.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Problem, Severity
from ..read import PackageError, open_package, read_limited
from .sandbox import TextEnvironment, TextProblem
from .variant import Variant

__all__ = ["Template", "TemplateError", "Variant", "find_template", "department_template", "builtin_templates_dir",
           "DEFAULT_TEMPLATE", "template_problem"]

DEFAULT_TEMPLATE = "shanghai"
#: The texts perfdoc renders (texts/<name>.j2): every template has them all.
TEXTS = ("overview", "period", "goals_note", "summary_title", "summary")
#: variant.toml is a page of settings.
_MAX_VARIANT_BYTES = 1024 * 1024


def template_problem(file: Path, line: int, col: int, message: str) -> Problem:
    return Problem(Path(file), line, col, "PD008", message, Severity.ERROR, "bad-template", fatal=True)


class TemplateError(Exception):
    """A template that cannot be found or used: ``problems`` say where (file:line), ``str()`` says it all."""

    def __init__(self, message: str | list[Problem]):
        self.problems: list[Problem] = [] if isinstance(message, str) else list(message)
        text = message if isinstance(message, str) else "\n".join(
            f"{p.file}:{p.line}:{p.col}: {p.message}" for p in self.problems)
        super().__init__(text)


def builtin_templates_dir() -> Path:
    """templates/ of a source checkout, or the copy packaged inside perfdoc."""
    here = Path(__file__).resolve().parent.parent  # perfdoc/
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / DEFAULT_TEMPLATE / "variant.toml").is_file():
            return candidate
    return here.parent / "templates"


@dataclass
class Template:
    folder: Path
    variant: Variant
    _texts: TextEnvironment | None = field(repr=False, default=None)
    _reference: bytes | None = field(repr=False, default=None)
    _fingerprint: str | None = field(repr=False, default=None)

    @classmethod
    def load(cls, folder: Path) -> "Template":
        """Read and check everything in ``folder``; raise TemplateError with every problem found."""
        from .variant import read_variant

        folder = Path(folder)
        problems: list[Problem] = []
        digest = hashlib.sha256()
        builtin = _builtin(folder)
        reference = _reference(folder / "reference.docx", problems, builtin=builtin)
        settings = folder / "variant.toml"
        raw = None
        if settings.exists() or settings.is_symlink():
            try:
                if not _inside(settings, folder):
                    raise PackageError(str(settings), "它是指向版式文件夹以外的符号链接，不能使用")
                raw = read_limited(settings, _MAX_VARIANT_BYTES, label=str(settings))
            except PackageError as exc:
                problems.append(template_problem(settings, 1, 1, f"版式设置有误：{exc.reason}"))
        variant, found = read_variant(settings, raw)
        problems += found
        texts = TextEnvironment(folder / "texts", folder, budget=not builtin)
        present = texts.names()
        for name in TEXTS:
            if name not in present:
                problems.append(template_problem(folder / "texts" / f"{name}.j2", 1, 1,
                                                 "文字模板有误：版式缺少这个文字模板（可从内置版式 shanghai 复制）"))
        for name in present:
            try:
                texts.compile(name)
            except TextProblem as exc:
                problems.append(template_problem(exc.file, exc.line, 1, exc.message))
        if problems:
            raise TemplateError(problems)
        for part in (reference, raw or b"", *texts.sources()):
            digest.update(hashlib.sha256(part).digest())
        return cls(folder, variant, texts, reference, digest.hexdigest())

    @property
    def reference(self) -> bytes:
        """reference.docx, checked: a Word document whose every part is within the limits."""
        return self._reference

    def text(self, name: str, /, **data) -> str:
        """Render texts/<name>.j2 with ``data`` (values are data, never template source)."""
        try:
            return self._texts.render(name, data).strip()
        except TextProblem as exc:
            raise TemplateError([template_problem(exc.file, exc.line, 1, exc.message)]) from None

    @property
    def fingerprint(self) -> str:
        """A hash of the template's files that shape documents: a changed template means a rebuild."""
        return self._fingerprint


def _builtin(folder: Path) -> bool:
    """Whether ``folder`` is one of perfdoc's own templates (its texts are perfdoc's code, tested
    with it: they run without the budget that stops a text from elsewhere running away)."""
    try:
        return folder.resolve().parent == builtin_templates_dir().resolve()
    except (OSError, RuntimeError):
        return False


def _inside(path: Path, folder: Path) -> bool:
    """``path`` (after following symbolic links) lies inside ``folder``; a broken link counts as inside."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return True


def _reference(path: Path, problems: list[Problem], *, builtin: bool = False) -> bytes:
    """reference.docx through the guarded reader; python-docx must be able to open it too (not
    asked of perfdoc's own, tested with it: a build that needs no python-docx does not import it)."""
    try:
        package = open_package(path, label=str(path)).verify()
    except PackageError as exc:
        problems.append(template_problem(path, 1, 1, f"版式的 reference.docx 不能使用：{exc.reason}"))
        return b""
    if builtin:
        return package.data
    import docx

    try:
        docx.Document(io.BytesIO(package.data))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds on a package it cannot use
        problems.append(template_problem(path, 1, 1, "版式的 reference.docx 不能使用：python-docx 无法打开它"
                                                     "（请在 Word 中打开后另存为 .docx）"))
    return package.data


def _candidates(name: str, department_folder: Path | None) -> list[Path]:
    out = []
    if department_folder is not None:
        out.append(Path(department_folder) / name)
    out.append(Path(name))
    out.append(builtin_templates_dir() / name)
    return out


def _is_template(folder: Path) -> bool:
    try:
        return folder.is_dir() and (folder / "reference.docx").exists()
    except (OSError, ValueError):
        return False


def find_template(name: str | None, department_folder: Path | None = None, *, where: tuple[Path, int, int] | None = None
                  ) -> Template:
    """Resolve ``[layout] template``: a folder beside department.toml, a path, or a built-in name.

    ``where`` (file, line, column of the ``template`` setting) places a not-found error.
    """
    name = (name or DEFAULT_TEMPLATE).strip() or DEFAULT_TEMPLATE
    for folder in _candidates(name, department_folder):
        if _is_template(folder):
            return Template.load(folder)
    builtin_dir = builtin_templates_dir()
    builtin = sorted(p.name for p in builtin_dir.iterdir() if _is_template(p)) if builtin_dir.is_dir() else []
    shown = name if len(name) <= 60 else name[:60] + "…"
    message = f"找不到版式“{shown}”（内置版式：{'、'.join(builtin) or '无'}；也可写版式文件夹的路径）"
    if where is None:
        raise TemplateError(message)
    raise TemplateError([template_problem(*where, message)])


def department_template(dep) -> Template:
    """The template of a department folder (a DepartmentFolder); errors placed in its department.toml."""
    name = dep.model.layout.template if dep.model else None
    where = None
    if dep.source is not None:
        line, col = dep.source.locate(("layout", "template"))
        where = (dep.source.path, line, col)
    return find_template(name, dep.path, where=where)
