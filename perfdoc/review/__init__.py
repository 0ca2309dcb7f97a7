"""``perfdoc review``: a reviewer's findings as Word comments in the documents received.

Each received document is opened the guarded way (:mod:`.sources`), read as ``perfdoc
import`` reads it and checked as ``perfdoc check`` checks the imported files
(:mod:`.findings`); every finding is placed at the cell, row or paragraph it concerns
(:mod:`.places`) and written there as a comment in a copy of the document that is otherwise
the received file, part for part (:mod:`.comments`).  One summary, 审核意见.md, lists the
findings per document (:mod:`.summary`); the files are written under the output folder rules
(:mod:`.output`).  Everything is read and checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..read import PackageError
from .comments import Comment, reviewed_copy
from .findings import Finding, review_group
from .output import OutputFailure, input_set, write_outputs
from .sources import Received, ReviewFailure, group_documents, open_received
from .summary import DocumentReview, comment_lines, summary_json, summary_markdown

__all__ = ["ReviewFailure", "ReviewResult", "review_files", "SUMMARY", "reviewed_name"]

SUMMARY = "审核意见.md"


@dataclass
class ReviewResult:
    folder: Path
    documents: list[DocumentReview] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # every finding once
    written: list[Path] = field(default_factory=list)

    def json(self, folder_shown: str) -> dict:
        return summary_json(self.documents, self.findings, folder_shown)


def reviewed_name(path: Path, taken: set[str]) -> str:
    """``<原文件名>-审核.docx``; ``-审核-2.docx`` … when two received files have the same name."""
    stem = path.stem or "文档"
    name, n = f"{stem}-审核.docx", 1
    while name.casefold() in taken or name == SUMMARY:
        n += 1
        name = f"{stem}-审核-{n}.docx"
    taken.add(name.casefold())
    return name


def _unique(files: list[Path]) -> list[Path]:
    seen, out = set(), []
    for path in files:
        key = input_set([path])
        if not key & seen:
            seen |= key
            out.append(Path(path))
    return out


def review_files(files: list[Path], folder: Path, *, overwrite: bool = False) -> ReviewResult:
    """Review ``files`` and write the reviewed copies and 审核意见.md into ``folder``.

    Raises ReviewFailure (nothing written) when a file cannot be read or reviewed, or the folder
    or a file in it may not be written."""
    files = _unique(files)
    received: list[Received] = [open_received(path) for path in files]
    result = ReviewResult(Path(folder))
    reviews = {id(doc): DocumentReview(doc.label, doc.path, "", doc.converted) for doc in received}
    taken: set[str] = set()
    for doc in received:
        reviews[id(doc)].reviewed = reviewed_name(doc.path, taken)
    comments: dict[int, list[Comment]] = {id(doc): [] for doc in received}
    for group in group_documents(received):
        found = review_group(group)
        for finding in found.findings:
            result.findings.append(finding)
            seen = set()
            for anchor in finding.anchors:
                comments[id(anchor.doc)].append(Comment(anchor.start, anchor.end, comment_lines(finding, anchor)))
                if id(anchor.doc) not in seen:
                    seen.add(id(anchor.doc))
                    reviews[id(anchor.doc)].findings.append(finding)
        for project, doc in found.declared:
            reviews[id(doc)].projects.append(project)
        by_label = {doc.label: doc for doc in group}
        for label, where, text, why in found.not_reviewed:
            doc = by_label.get(label, group[0])
            reviews[id(doc)].not_reviewed.append((where, text, why))
        for project, doc in found.without_narrative:
            reviews[id(doc)].without_narrative.append(project)
    _in_document_order(received, reviews, result)
    outputs: dict[str, bytes] = {}
    for doc in received:
        review = reviews[id(doc)]
        review.comments = len(comments[id(doc)])
        try:
            outputs[review.reviewed] = reviewed_copy(doc.package, comments[id(doc)])
        except PackageError as exc:
            raise ReviewFailure(str(exc)) from None
        result.documents.append(review)
    outputs[SUMMARY] = summary_markdown(result.documents, result.findings).encode("utf-8")
    try:
        result.written = write_outputs(Path(folder), outputs, input_set(files), overwrite=overwrite)
    except OutputFailure as exc:
        raise ReviewFailure("\n".join(exc.messages)) from None
    return result


def _in_document_order(received: list[Received], reviews: dict[int, DocumentReview], result: ReviewResult) -> None:
    """Each document's findings in the order of their places; all findings document after document."""
    rank: dict[int, tuple[int, int]] = {}
    for n, doc in enumerate(received):
        order = {el: i for i, el in enumerate(doc.package.document().iter())}
        review = reviews[id(doc)]
        key = {id(f): min(order.get(a.start, 0) for a in f.anchors if a.doc is doc) for f in review.findings}
        review.findings.sort(key=lambda f: key[id(f)])
        for f in review.findings:
            rank.setdefault(id(f), (n, key[id(f)]))
    result.findings.sort(key=lambda f: rank.get(id(f), (len(received), 0)))
