"""What a review says, three ways: each comment's text, the summary 审核意见.md, and JSON.

A comment holds the finding (level, code and message in Chinese), for a fault between two
places the other place, and what a reviewer asks for (:mod:`.advice`).  The summary lists,
per document and per project, each finding with its code, place and message, then the
totals; findings that do not apply to the documents received (a 经费说明 that was not sent)
are counted apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .places import Anchor

__all__ = ["DocumentReview", "comment_lines", "summary_markdown", "summary_json", "place_text", "counts", "tally",
           "safe"]

#: A quoted text of the document in a place is cut here.
_QUOTE = 24
_MARKDOWN = re.compile(r"([\\`*<>|])")
#: Characters never written raw into the summary (controls, bidirectional marks, zero-width characters).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                     r"\ufeff\ud800-\udfff]")


def safe(text: str) -> str:
    """``text`` with control, bidirectional and zero-width characters shown as escapes (\\u202e)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


@dataclass
class DocumentReview:
    """One received document: its reviewed copy and the findings commented in it."""

    label: str
    path: Path
    reviewed: str  # the reviewed copy's file name
    converted: bool = False
    findings: list[Finding] = field(default_factory=list)
    without_narrative: list[str] = field(default_factory=list)  # projects whose 经费说明 was not received
    projects: list[str] = field(default_factory=list)  # the projects whose 申报表 it holds
    not_reviewed: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, why) of what was not
    comments: int = 0


def _cut(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= _QUOTE else flat[:_QUOTE] + "…"


def place_text(anchor: Anchor) -> str:
    """``第 3 个表格第 5 行“=100.00(个)”``."""
    quoted = _cut(anchor.text)
    return anchor.where + (f"“{quoted}”" if quoted else "")


def comment_lines(finding: Finding, anchor: Anchor) -> list[str]:
    """The paragraphs of the comment at ``anchor``."""
    lines = [f"【{finding.label} {finding.code}】{finding.message}"]
    others = [a for a in finding.anchors if a is not anchor]
    if others:
        word = "另见" if anchor is finding.anchors[0] else "对应"
        shown = "；".join((f"{Path(a.doc.label).name}：" if a.doc is not anchor.doc else "") + place_text(a)
                         for a in others)
        lines.append(f"{word}{shown}。")
    if not anchor.exact:
        lines.append("（未能定位到具体的单元格或段落，批注在最近的所属位置。）")
    if finding.advice:
        lines.append(finding.advice)
    return lines


def counts(findings: list[Finding]) -> tuple[int, int, int]:
    errors = sum(1 for f in findings if f.severity.value == "error")
    return len(findings), errors, len(findings) - errors


def _md(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", safe(text))


def tally(findings: list[Finding]) -> str:
    total, errors, warnings = counts(findings)
    return f"发现 {total} 个问题（错误 {errors} 个，警告 {warnings} 个）" if total else "没有发现问题"


def summary_markdown(reviews: list[DocumentReview], everything: list[Finding]) -> str:
    """审核意见.md."""
    lines = ["# 审核意见", ""]
    lines.append(f"perfdoc review 审核了 {len(reviews)} 个文件，{tally(everything)}。"
                 + ("每个问题都已作为批注（作者 perfdoc）写在审核后的文件中问题所在的单元格或段落旁。" if everything else ""))
    for review in reviews:
        lines += ["", f"## {_md(Path(review.label).name)}", ""]
        lines.append(f"审核后的文件：{_md(review.reviewed)}；{tally(review.findings)}。")
        if review.converted:
            lines.append("")
            lines.append("原文是 Word 97-2003 文档（.doc），审核后的文件是 LibreOffice 转换成的 .docx 加上批注。")
        projects: dict[str, list[Finding]] = {}
        for finding in review.findings:
            projects.setdefault(finding.project, []).append(finding)
        for project, found in projects.items():
            lines += ["", f"### {_md(project) if project else '单位（汇总表标题）'}", ""]
            for n, finding in enumerate(found, start=1):
                mine = [a for a in finding.anchors if a.doc.label == review.label]
                others = [a for a in finding.anchors if a.doc.label != review.label]
                places = "；".join(_md(place_text(a)) for a in mine)
                if others:
                    places += "；另见 " + "；".join(_md(f"{Path(a.doc.label).name} {place_text(a)}") for a in others)
                lines.append(f"{n}. {finding.label} {finding.code} {places}：{_md(finding.message)}")
        if review.not_reviewed:
            lines += ["", "未审核的内容："]
            for where, text, why in review.not_reviewed:
                quoted = f"“{_md(_cut(text))}”" if text else ""
                lines.append(f"- {_md(where)}{quoted}：{_md(why)}")
        if review.without_narrative:
            lines += ["", "未审核：" + "、".join(f"“{_md(p)}”" for p in review.without_narrative)
                      + "的项目经费情况说明不在所给文件中，经费说明没有审核（请把经费说明与申报表一同审核）。"]
    lines += ["", "## 合计", "", "| 文件 | 问题 | 错误 | 警告 |", "| --- | ---: | ---: | ---: |"]
    for review in reviews:
        total, errors, warnings = counts(review.findings)
        lines.append(f"| {_md(Path(review.label).name)} | {total} | {errors} | {warnings} |")
    total, errors, warnings = counts(everything)
    lines.append(f"| 合计 | {total} | {errors} | {warnings} |")
    return "\n".join(lines) + "\n"


def _place_json(anchor: Anchor) -> dict:
    return {"file": anchor.doc.label, "where": anchor.where, "text": anchor.text, "exact": anchor.exact}


def summary_json(reviews: list[DocumentReview], everything: list[Finding], folder: str) -> dict:
    """The review for tools (``--format json``)."""
    documents = []
    for review in reviews:
        documents.append({
            "file": review.label,
            "reviewed": f"{folder}/{review.reviewed}" if folder else review.reviewed,
            "converted": review.converted,
            "projects": list(review.projects),
            "comments": review.comments,
            "findings": [{
                "code": f.code, "name": f.name, "severity": f.severity.value, "message": f.message,
                "project": f.project, "places": [_place_json(a) for a in f.anchors], "advice": f.advice,
            } for f in review.findings],
            "without_narrative": list(review.without_narrative),
            "not_reviewed": [{"where": w, "text": t, "reason": r} for w, t, r in review.not_reviewed],
        })
    total, errors, warnings = counts(everything)
    return {"documents": documents,
            "summary": {"documents": len(reviews), "findings": total, "errors": errors, "warnings": warnings}}
