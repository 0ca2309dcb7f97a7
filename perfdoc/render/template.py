"""Templates: a folder with a reference .docx (page, fonts, styles), the layout
settings of one form variant (variant.toml) and Jinja2 texts for the fixed sentences.

A user copies a folder under templates/, edits reference.docx in Word or WPS
and the texts, and points ``[layout] template`` in department.toml at it.
Project text is passed to the Jinja2 texts as data: it is never evaluated as
a template, so a ``{{`` typed by a user prints as ``{{``.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2

from .pagenumbers import MODES

__all__ = ["Template", "TemplateError", "find_template", "builtin_templates_dir", "DEFAULT_TEMPLATE"]

DEFAULT_TEMPLATE = "shanghai"


class TemplateError(Exception):
    """A template that cannot be found or used (message in Chinese)."""


def builtin_templates_dir() -> Path:
    """templates/ of a source checkout, or the copy packaged inside perfdoc."""
    here = Path(__file__).resolve().parent.parent  # perfdoc/
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / DEFAULT_TEMPLATE / "variant.toml").is_file():
            return candidate
    return here.parent / "templates"


@dataclass(frozen=True)
class Variant:
    """Layout settings of one form variant (variant.toml)."""

    name: str = "2026 闵行"
    declaration_title: str = "财政项目支出绩效目标申报表"
    numbered_title: bool = False  # 财政项目支出绩效目标填报表N
    year_line: str = "（{year}年度）"
    unit: str = "元"  # printed unit when department.toml does not say
    separators: bool = True  # 987,000.00 vs 987000.00
    places: int = 2
    show_nature: bool = True
    category_style: str = "text"  # "text" or "checkboxes"
    checkbox_options: tuple[str, ...] = ("专项资金", "经常性项目", "一次性项目")
    target_style: str = "as_written"  # or "system": ≥8000.00(人)
    overall_goal_heading: str = "项目总目标（{start}年-{end}年）"
    annual_goal_heading: str = "年度总体目标"
    indicator_value_heading: str = "年度（/项目）指标值"
    funding_label: str = "项目资金（{unit}）"
    narrative_title: str = "项目经费情况说明{number}"
    page_numbers: str = "center"  # 汇总表、自评汇总: none / center / outside (odd right, even left)
    project_page_numbers: str = "none"  # a single project's documents

    @classmethod
    def from_dict(cls, data: dict) -> "Variant":
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise TemplateError(f"variant.toml 中有未知的设置：{'、'.join(sorted(unknown))}")
        values = dict(data)
        for key in ("page_numbers", "project_page_numbers"):
            if key in values and values[key] not in MODES:
                raise TemplateError(f"variant.toml 的 {key} 只能是 {'、'.join(MODES)} 之一，而不是“{values[key]}”")
        if "checkbox_options" in values:
            values["checkbox_options"] = tuple(values["checkbox_options"])
        return cls(**values)


@dataclass
class Template:
    folder: Path
    variant: Variant
    _env: jinja2.Environment = field(repr=False, default=None)

    @classmethod
    def load(cls, folder: Path) -> "Template":
        folder = Path(folder)
        settings = folder / "variant.toml"
        if not (folder / "reference.docx").is_file():
            raise TemplateError(f"版式文件夹 {folder} 中没有 reference.docx")
        try:
            data = tomllib.loads(settings.read_text("utf-8")) if settings.is_file() else {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise TemplateError(f"无法读取 {settings}：{exc}") from None
        try:
            variant = Variant.from_dict(data.get("variant", {}))
        except TypeError as exc:
            raise TemplateError(f"{settings} 的设置有误：{exc}") from None
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder / "texts"),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return cls(folder, variant, env)

    @cached_property
    def reference(self) -> bytes:
        return (self.folder / "reference.docx").read_bytes()

    def text(self, name: str, /, **data) -> str:
        """Render texts/<name>.j2 with ``data`` (values are data, never template source)."""
        try:
            return self._env.get_template(f"{name}.j2").render(**data).strip()
        except jinja2.TemplateNotFound:
            raise TemplateError(f"版式 {self.folder.name} 缺少文字模板 texts/{name}.j2") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"文字模板 texts/{name}.j2 有误：{exc}") from None

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every file of the template: a changed template means a rebuild."""
        digest = hashlib.sha256()
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(self.folder)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def find_template(name: str | None, department_folder: Path | None = None) -> Template:
    """Resolve ``[layout] template``: a folder beside department.toml, a path, or a built-in name."""
    name = (name or DEFAULT_TEMPLATE).strip() or DEFAULT_TEMPLATE
    candidates = []
    if department_folder is not None:
        candidates.append(Path(department_folder) / name)
    candidates.append(Path(name))
    candidates.append(builtin_templates_dir() / name)
    for folder in candidates:
        if folder.is_dir() and (folder / "reference.docx").is_file():
            return Template.load(folder)
    builtin = sorted(p.name for p in builtin_templates_dir().iterdir() if (p / "reference.docx").is_file()) \
        if builtin_templates_dir().is_dir() else []
    raise TemplateError(f"找不到版式“{name}”（内置版式：{'、'.join(builtin) or '无'}；也可写版式文件夹的路径）")
