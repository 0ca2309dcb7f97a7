"""The reviewed copy: the received package with Word comments added, and nothing else changed.

Every part of the received zip is written back with the same bytes, in the same order, with
the same names, dates and compression, except:

* the main document part, where each comment's range is marked: ``w:commentRangeStart`` at
  the start of the first paragraph of the anchor (after its properties), ``w:commentRangeEnd``
  and a run holding ``w:commentReference`` at the end of its last paragraph;
* the comments part (``word/comments.xml``), added or appended to: each comment by author
  ``perfdoc`` with a fixed date, its id above every comment id already in the document;
* ``[Content_Types].xml`` and the main part's relationships, only when the comments part is new.

Comment ids follow the anchors' document order, so that Word's 审阅 pane lists them as
they appear.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..read.grid import W
from ..read.package import W_NS, Package

__all__ = ["Comment", "reviewed_copy", "AUTHOR", "DATE", "INITIALS"]

AUTHOR = "perfdoc"
INITIALS = "pd"
#: A fixed date: the same documents give the same reviewed copy.
DATE = "2000-01-01T00:00:00Z"

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_RELS_CONTENT = "application/vnd.openxmlformats-package.relationships+xml"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Characters XML 1.0 cannot hold (a message quoting a document's control character).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Elements whose paragraphs are not the document's text flow (text boxes, alternatives).
_NOT_FLOW = {W + "txbxContent", _MC + "Fallback", W + "drawing", W + "pict", W + "object"}


@dataclass
class Comment:
    start: object     # the element the range starts in (w:p, w:tc, w:tr, w:tbl)
    end: object       # the element it ends in
    lines: list[str]  # the comment's paragraphs


def _flow_paragraphs(el) -> list:
    """The paragraphs of ``el`` in order (itself when it is one), text boxes left out."""
    if el.tag == W + "p":
        return [el]
    out = []
    stack = [iter(el)]
    while stack:
        for child in stack[-1]:
            if not isinstance(child.tag, str) or child.tag in _NOT_FLOW:
                continue
            if child.tag == W + "p":
                out.append(child)
            else:
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return out


def _ends(comment: Comment, fallback, order: dict) -> tuple:
    """The paragraphs a comment's range starts and ends in: the first of its start, the last of its
    end; the document's first paragraph when the anchor holds none (a damaged cell); never an end
    before the start."""
    first = _flow_paragraphs(comment.start)
    last = _flow_paragraphs(comment.end)
    p = first[0] if first else fallback
    q = last[-1] if last else p
    if order.get(q, 0) < order.get(p, 0):
        q = p
    return p, q


def _mark(p, q, cid: str) -> None:
    begin = etree.Element(W + "commentRangeStart")
    begin.set(W + "id", cid)
    props = p.find(W + "pPr")
    p.insert(0 if props is None else p.index(props) + 1, begin)
    close = etree.SubElement(q, W + "commentRangeEnd")
    close.set(W + "id", cid)
    run = etree.SubElement(q, W + "r")
    etree.SubElement(run, W + "commentReference").set(W + "id", cid)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _comment_element(parent, cid: str, lines: list[str]) -> None:
    comment = etree.SubElement(parent, W + "comment")
    comment.set(W + "id", cid)
    comment.set(W + "author", AUTHOR)
    comment.set(W + "date", DATE)
    comment.set(W + "initials", INITIALS)
    for i, line in enumerate(lines or [""]):
        p = etree.SubElement(comment, W + "p")
        if i == 0:
            etree.SubElement(etree.SubElement(p, W + "r"), W + "annotationRef")
        run = etree.SubElement(p, W + "r")
        t = etree.SubElement(run, W + "t")
        t.text = _clean(line)
        t.set(_XML_SPACE, "preserve")


def _ids(*roots) -> int:
    """The first comment id above every id already used for a comment."""
    top = -1
    tags = {W + "comment", W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"}
    for root in roots:
        if root is None:
            continue
        for el in root.iter(*tags):
            try:
                top = max(top, int(el.get(W + "id") or "-1"))
            except ValueError:
                continue
    return top + 1


def _declaration(standalone: bool | None) -> bytes:
    alone = "" if standalone is None else f' standalone="{"yes" if standalone else "no"}"'
    return f'<?xml version="1.0" encoding="UTF-8"{alone}?>\r\n'.encode("ascii")


def _serialize(root, original: bytes) -> bytes:
    """XML in UTF-8 with a declaration as the original had one (standalone kept)."""
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    if not original.lstrip().startswith(b"<?xml"):
        return body
    return _declaration(root.getroottree().docinfo.standalone) + body


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _free_name(package: Package, folder: str) -> str:
    name = posixpath.join(folder, "comments.xml")
    n = 1
    while package.has(name):
        n += 1
        name = posixpath.join(folder, f"comments{n}.xml")
    return name


def _new_rel_id(rels) -> str:
    used = {rel.get("Id") for rel in rels}
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    return f"rId{n}"


def reviewed_copy(package: Package, comments: list[Comment]) -> bytes:
    """The received document with ``comments``; the package's document tree is changed in place.
    Without comments it is the received file as it is."""
    if not comments:
        return package.data
    main = package.main
    document = package.document()
    rels_name = _actual(package, _rels_name(main))
    rels = package.xml(rels_name) if package.has(rels_name) else None
    target = None
    if rels is not None:
        for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("Type") == _COMMENTS_TYPE and rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(main), rel.get("Target") or ""))
                target = target.lstrip("/")
                break
    if target is not None:
        target = _actual(package, target)
    existing = package.xml(target) if target is not None and package.has(target) else None
    new_part = existing is None
    changed: dict[str, bytes] = {}
    if existing is None:
        comments_root = etree.Element(W + "comments", nsmap={"w": W_NS})
    else:
        comments_root = existing
    next_id = _ids(document, comments_root)
    order = {el: i for i, el in enumerate(document.iter())}
    fallback = next(iter(_flow_paragraphs(document.find(W + "body"))), None)
    ends = [(_ends(c, fallback, order), c) for c in comments]
    ends = [(pq, c) for pq, c in ends if pq[0] is not None]
    ends.sort(key=lambda item: order.get(item[0][0], 0))
    for n, ((p, q), comment) in enumerate(ends):
        cid = str(next_id + n)
        _mark(p, q, cid)
        _comment_element(comments_root, cid, comment.lines)
    changed[main] = _serialize(document, package.part(main))
    if new_part:
        name = target or _free_name(package, posixpath.dirname(main))
        changed[name] = _declaration(True) + etree.tostring(comments_root, encoding="UTF-8")
        if target is None:
            if rels is None:
                rels = etree.Element(f"{{{_REL_NS}}}Relationships", nsmap={None: _REL_NS})
            rel = etree.SubElement(rels, f"{{{_REL_NS}}}Relationship")
            rel.set("Id", _new_rel_id(rels))
            rel.set("Type", _COMMENTS_TYPE)
            rel.set("Target", posixpath.relpath(name, posixpath.dirname(main) or "."))
            original = package.part(rels_name) if package.has(rels_name) else b"<?xml"
            changed[rels_name] = _serialize(rels, original)
        types = package.xml("[Content_Types].xml")
        part_name = "/" + name
        if not any((o.get("PartName") or "").lower() == part_name.lower() for o in types.iter(f"{{{_CT_NS}}}Override")):
            override = etree.SubElement(types, f"{{{_CT_NS}}}Override")
            override.set("PartName", part_name)
            override.set("ContentType", _COMMENTS_CONTENT)
        if rels is not None and not package.has(rels_name) and not _has_default(types, "rels"):
            default = etree.Element(f"{{{_CT_NS}}}Default")
            default.set("Extension", "rels")
            default.set("ContentType", _RELS_CONTENT)
            types.insert(0, default)
        changed["[Content_Types].xml"] = _serialize(types, package.part("[Content_Types].xml"))
    else:
        changed[target] = _serialize(comments_root, package.part(target))
    return _zip(package, changed)


def _actual(package: Package, name: str) -> str:
    """A part name as the zip spells it (part names ignore case)."""
    return next((n for n in package.names if n.casefold() == name.casefold()), name)


def _has_default(types, extension: str) -> bool:
    return any((d.get("Extension") or "").lower() == extension for d in types.iter(f"{{{_CT_NS}}}Default"))


def _zip(package: Package, changed: dict[str, bytes]) -> bytes:
    """The package's entries in order, each with its own bytes unless ``changed``; new parts last."""
    out = io.BytesIO()
    written = set()
    with zipfile.ZipFile(io.BytesIO(package.data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            copy.comment = info.comment
            if info.filename.endswith("/"):
                target.writestr(copy, b"")
                continue
            data = changed.get(info.filename)
            if data is None:
                data = package.part(info.filename)
            written.add(info.filename)
            target.writestr(copy, data)
        for name, data in changed.items():
            if name not in written:
                target.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
