"""Every check code perfdoc reports: the loader's PD0xx codes, PD007 (a suppression comment) and the rules' codes."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Severity
from .base import RULES

__all__ = ["Code", "LOAD_CODES", "all_codes", "known_code"]


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


#: Reported while reading files (perfdoc/load); an error among them makes the file unusable.
LOAD_CODES = (
    Code("PD001", "toml-syntax", Severity.ERROR, "TOML 语法错误。"),
    Code("PD002", "invalid-value", Severity.ERROR,
         "值的类型或取值不对（金额为负、超过一万亿、精确到分以下；日期不存在；文字含控制字符……）。"),
    Code("PD003", "missing-key", Severity.ERROR, "缺少必填项。"),
    Code("PD004", "unknown-key", Severity.WARNING, "未知的键（拼写错误？）。"),
    Code("PD005", "unreadable-file", Severity.ERROR, "文件为空、是二进制、过大、不是 UTF-8 编码或无法读取。"),
    Code("PD006", "bad-folder", Severity.ERROR, "路径不存在、文件夹中没有 department.toml 或没有项目文件。"),
    # not the loader's: check reports a suppression comment that does not work (check/suppress.py)
    Code("PD007", "bad-suppression", Severity.WARNING,
         "忽略注释（# perfdoc: ignore 代码 原因）没有写原因或代码，或写了没有的代码，不起作用。"),
    # not the loader's: build reports a template or an attachment it cannot use (render/template.py, compose/attachments.py)
    Code("PD008", "bad-template", Severity.ERROR,
         "版式不能使用：找不到版式，variant.toml 的设置有误，文字模板有误（语法错误、不允许的操作），或 reference.docx 不是可用的 Word 文档。"),
    Code("PD009", "bad-attachment", Severity.ERROR,
         "附件不能使用：不在单位文件夹内、不存在、是文件夹，或不是可用的 Word 文档。"),
)


def all_codes() -> list[Code]:
    """The loader's codes, then every rule's, in code order."""
    rules = [Code(r.code, r.name, r.severity, r.summary()) for r in RULES]
    return sorted([*LOAD_CODES, *rules], key=lambda c: c.code)


def known_code(code: str) -> bool:
    return any(c.code == code for c in all_codes())
