"""Reading a 项目经费情况说明 back into the ``[narrative]`` table of a project file.

The counterpart of :mod:`perfdoc.render.narrative`, sharing its headings, sub-item labels and
the template's texts: a narrative is a title, then seven sections found by their headings
(``一、项目概述`` …, also without the number, with other punctuation or spaces), each holding
paragraphs.  The sentences perfdoc generates itself are recognised from the template's texts
and are not copied into the user's text:

* 一、项目概述 is the template's ``overview`` sentence: its 实施主体 and 主要实施内容 are
  taken out of it (the sentence is rendered with markers in their place, the rest with the
  project's own name, dates and amount, and turned into a pattern);
* 五、实施周期 equal to the ``period`` sentence for the project's dates is not written;
* the ``goals_note`` at the end of 七、绩效目标 is dropped.

Sub-items (``1.文件依据：``, ``2.资金类型：`` …) are found by their labels, whatever their
numbers; paragraphs before the first one are the section's ``text``.  Text is kept as it
is; each paragraph becomes a line.  What does not fit the model (a 项目概述 that is not the
template's sentence for this project, paragraphs before the first heading) is returned as
:class:`~perfdoc.read.declaration.Unread`, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from dataclasses import dataclass, field

from ..render.common import split_paragraphs, wan_text
from ..render.narrative import BASIS_ITEMS, BUDGET_ITEMS, HEADINGS, PLAN_PREFIX
from ..render.template import Template, TemplateError
from .declaration import Unread

__all__ = ["Para", "NarrativeRead", "heading_index", "title_pattern", "read_narrative", "SECTION_NAMES"]

#: 项目概述, 立项依据, …: the headings without their numbers.
SECTION_NAMES = tuple(h.split("、", 1)[-1] for h in HEADINGS)
#: Where each section's text goes: a key of [narrative], or a sub-table read by its items.
_SECTION_KEYS = ("overview", "basis", "implementer", "plan", "period", "budget", "goals")

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十〇零]+(?:部分|节)?|[0-9]+|[(（][一二三四五六七八九十0-9]+[)）])[、.．,，:：\s]*")
_ITEM_NUMBER = r"(?:[(（]?[0-9]{1,2}[)）]?\s*[.．、,，]?|[一二三四五六七八九十]{1,2}\s*[、.．])?"
#: Punctuation written either way (full- or half-width) in a generated sentence typed by hand.
_EITHER = {"，": ",，", ",": ",，", "。": "。.", "：": ":：", ":": ":：", "；": ";；", ";": ";；",
           "（": "(（", "(": "(（", "）": ")）", ")": ")）"}
_SUBJECT, _CONTENT = "\ue000主体\ue001", "\ue002内容\ue003"


@dataclass
class Para:
    """A body paragraph: its accepted text and where it is (``第 12 段``)."""

    text: str
    where: str


@dataclass
class NarrativeRead:
    title: str
    data: dict = field(default_factory=dict)  # the [narrative] table; empty when nothing is the user's
    unread: list[Unread] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # the headings found, as printed


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def heading_index(text: str) -> int | None:
    """0 for 一、项目概述 … 6 for 七、绩效目标 (numbered or not, any punctuation or spacing), else None."""
    plain = _squash(text).rstrip(":：")
    if len(plain) > 16:
        return None
    name = _NUMBERING.sub("", plain, count=1)
    for i, known in enumerate(SECTION_NAMES):
        if name == known or plain == known:
            return i
    return None


def title_pattern(template: Template) -> re.Pattern:
    """The narrative title of ``template`` (``{name}项目经费情况说明``, ``项目经费情况说明{number}``)
    as a pattern with the groups ``name`` and ``number``; spaces ignored."""
    pattern = template.variant.narrative_title
    out, i = [], 0
    for m in re.finditer(r"\{(name|number)\}", pattern):
        out.append(_literal(pattern[i:m.start()]))
        out.append(r"(?P<name>.+?)" if m[1] == "name" else r"(?P<number>[0-9]{0,4})")
        i = m.end()
    out.append(_literal(pattern[i:]))
    return re.compile(r"\s*" + "".join(out) + r"\s*\Z", re.S)


def _literal(text: str) -> str:
    """A regular expression for ``text`` typed by hand: spaces optional anywhere, punctuation either width."""
    out = []
    for ch in text:
        if ch.isspace():
            continue
        out.append(f"[{re.escape(_EITHER[ch])}]" if ch in _EITHER else re.escape(ch))
        out.append(r"\s*")
    return "".join(out)


def _frame(sentence: str) -> re.Pattern:
    """The overview sentence rendered with the markers, as a pattern capturing subject and content."""
    flat = "\n".join(split_paragraphs(sentence))
    out, i = [], 0
    for m in re.finditer(f"{re.escape(_SUBJECT)}|{re.escape(_CONTENT)}", flat):
        out.append(_literal(flat[i:m.start()]))
        out.append(r"(?P<subject>.+?)\s*" if m[0] == _SUBJECT else r"(?P<content>.+?)\s*")
        i = m.end()
    out.append(_literal(flat[i:]))
    return re.compile(r"\s*" + "".join(out) + r"\Z", re.S)


def _text(paras: list[Para]) -> str:
    return "\n".join(p.text.strip() for p in paras if p.text.strip())


def _same(a: str, b: str) -> bool:
    """Equal but for spaces and the width of punctuation."""
    return bool(re.fullmatch(_literal(b), _squash(a))) if b.strip() else not a.strip()


def _items(paras: list[Para], items: tuple[tuple[str, str], ...]) -> dict:
    """A section with sub-items: ``{"text": lead-in, key: item text, …}`` (only what is there)."""
    heads = [(key, re.compile(r"^\s*" + _ITEM_NUMBER + r"\s*" + _literal(label) + r"[:：]\s*"))
             for key, label in items]
    found: dict[str, list[str]] = {}
    current = "text"
    for p in paras:
        line = p.text.strip()
        for key, head in heads:
            m = head.match(line)
            if m:
                current = key
                line = line[m.end():].strip()
                break
        found.setdefault(current, [])
        if line:
            found[current].append(line)
    out = {}
    for key in ("text", *(k for k, _ in items)):
        if found.get(key):
            out[key] = "\n".join(found[key])
    return out


def _render(template: Template, name: str, /, **data) -> str | None:
    try:
        return template.text(name, **data)
    except TemplateError:
        return None


class _MarkedDate:
    """A date whose year and month print as markers (the template's ``start.year`` …)."""

    def __init__(self, which: str):
        self.year = _MARKS[f"{which}_year"]
        self.month = _MARKS[f"{which}_month"]


#: Markers rendered in place of the values, and what each may match in a document.
_MARKS = {key: f"\ue020{i}\ue021" for i, key in enumerate(
    ("subject", "content", "name", "start_year", "start_month", "end_year", "end_month", "annual_wan"))}
_GROUPS = {"subject": r".+?", "content": r".+?", "name": r".+?", "start_year": r"[0-9]{4}", "start_month": r"[0-9]{1,2}",
           "end_year": r"[0-9]{4}", "end_month": r"[0-9]{1,2}", "annual_wan": r"[0-9]+(?:\.[0-9]+)?"}
_MARKED: dict[tuple, re.Pattern | None] = {}


def _marked_pattern(template: Template, text: str, keys: tuple[str, ...], **data) -> re.Pattern | None:
    """Template text ``text`` rendered with markers for ``keys``, as a pattern with a group per key
    (once per template); None when the template does not print every one of them as given."""
    cache = (template.fingerprint, text, keys, tuple(sorted(data.items())))
    if cache not in _MARKED:
        values = {k: _MARKS[k] for k in keys if k in ("subject", "content", "name", "annual_wan")}
        values.update({w: _MarkedDate(w) for w in ("start", "end") if f"{w}_year" in keys})
        rendered = _render(template, text, **values, **data)
        _MARKED[cache] = None
        if rendered and all(_MARKS[k] in rendered for k in keys):
            by_mark = {v: k for k, v in _MARKS.items()}
            flat = "\n".join(split_paragraphs(rendered))
            out, i, seen = [], 0, set()
            for m in re.finditer("|".join(re.escape(_MARKS[k]) for k in keys), flat):
                key = by_mark[m[0]]
                out.append(_literal(flat[i:m.start()]))
                out.append(f"(?P={key})" if key in seen else f"(?P<{key}>{_GROUPS[key]})\\s*")
                seen.add(key)
                i = m.end()
            out.append(_literal(flat[i:]))
            _MARKED[cache] = re.compile(r"\s*" + "".join(out) + r"\Z", re.S)
    return _MARKED[cache]


_OVERVIEW_KEYS = ("subject", "name", "start_year", "start_month", "end_year", "end_month", "annual_wan")


def _overview_match(text: str, template: Template, values: dict) -> re.Match | None:
    """The overview sentence with this project's name, dates and amount, whatever its subject and content."""
    start, end, wan = values["start"], values["end"], values["annual_wan"]
    for keys, content in ((_OVERVIEW_KEYS + ("content",), {}), (_OVERVIEW_KEYS, {"content": ""})):
        pattern = _marked_pattern(template, "overview", keys, **content)
        if pattern is None:
            break
        m = pattern.match(text)
        if m is None:
            continue
        found = m.groupdict()
        same = (_squash(found["name"]) == _squash(values["name"])
                and (int(found["start_year"]), int(found["start_month"])) == (start.year, start.month)
                and (int(found["end_year"]), int(found["end_month"])) == (end.year, end.month)
                and Decimal(found["annual_wan"]) == Decimal(wan))
        return m if same else None
    else:
        return None
    # a template that does not print the values plainly: the sentence rendered with this project's values
    for content in (_CONTENT, ""):
        sentence = _render(template, "overview", subject=_SUBJECT, content=content, **values)
        if sentence and _SUBJECT in sentence:
            m = _frame(sentence).match(text)
            if m:
                return m
    return None


def _overview(paras: list[Para], template: Template, project: dict, read: NarrativeRead) -> None:
    text = _text(paras)
    if not text:
        return
    info = project.get("project", {})
    values = {
        "name": (info.get("name") or "").strip(),
        "start": info.get("start"),
        "end": info.get("end"),
        "annual_wan": _annual_wan(project),
    }
    match = None
    if isinstance(values["start"], dt.date) and isinstance(values["end"], dt.date) and values["annual_wan"]:
        match = _overview_match(text, template, values)
    if match is None:
        read.unread.append(Unread("narrative.overview", text, paras[0].where))
        return
    subject = match.group("subject").strip()
    if subject != (info.get("implementer") or "").strip():
        read.data["subject"] = subject
    content = match.groupdict().get("content")
    if content and content.strip():
        read.data["overview"] = "\n".join(split_paragraphs(content))


def _annual_wan(project: dict) -> str | None:
    from ..model import Money

    annual = project.get("funding", {}).get("annual")
    if annual is None:
        return None
    try:
        return wan_text(Money(annual))
    except (ArithmeticError, ValueError, TypeError):
        return None


def _plan(paras: list[Para]) -> str:
    text = _text(paras)
    m = re.match(r"\s*" + _literal(PLAN_PREFIX.rstrip("：:")) + r"[:：]?\s*", text)
    return text[m.end():].strip() if m else text


def _period(paras: list[Para], template: Template, project: dict) -> str:
    text = _text(paras)
    info = project.get("project", {})
    start, end = info.get("start"), info.get("end")
    if text and isinstance(start, dt.date) and isinstance(end, dt.date):
        pattern = _marked_pattern(template, "period", ("start_year", "start_month", "end_year", "end_month"))
        if pattern is not None:
            m = pattern.match(_squash(text))
            dates = (start.year, start.month, end.year, end.month)
            return "" if m and tuple(int(m[k]) for k in ("start_year", "start_month", "end_year", "end_month")) == dates \
                else text
        generated = _render(template, "period", start=start, end=end)
        if generated and _same(text, "\n".join(split_paragraphs(generated))):
            return ""
    return text


_NOTES: dict[str, list[str]] = {}


def _goals(paras: list[Para], template: Template) -> str:
    lines = [p.text.strip() for p in paras if p.text.strip()]
    if template.fingerprint not in _NOTES:
        _NOTES[template.fingerprint] = split_paragraphs(_render(template, "goals_note") or "")
    note = _NOTES[template.fingerprint]
    if note and len(lines) >= len(note) and all(_same(a, b) for a, b in zip(lines[-len(note):], note)):
        lines = lines[:-len(note)]
    return "\n".join(lines)


def read_narrative(paras: list[Para], *, template: Template, project: dict, title: str = "") -> NarrativeRead:
    """Read one narrative: ``paras`` are its paragraphs after the title, in order.

    ``project`` is the project file's data as read from the paired 申报表 (name, implementer,
    dates, ``funding.annual`` in 元): the generated sentences are recognised with its values.
    """
    read = NarrativeRead(title)
    sections: list[list[Para] | None] = [None] * len(HEADINGS)
    current: list[Para] | None = None
    before: list[Para] = []
    for p in paras:
        index = heading_index(p.text)
        if index is not None:
            if sections[index] is None:
                sections[index] = []
                read.sections.append(p.text.strip())
            current = sections[index]
            continue
        if not p.text.strip():
            continue
        (current if current is not None else before).append(p)
    if before:
        read.unread.append(Unread("narrative", _text(before), before[0].where))
    data = read.data
    for index, section in enumerate(sections):
        if not section:
            continue
        key = _SECTION_KEYS[index]
        if key == "overview":
            _overview(section, template, project, read)
        elif key == "basis":
            items = _items(section, BASIS_ITEMS)
            if items:
                data["basis"] = items
        elif key == "budget":
            items = _items(section, BUDGET_ITEMS)
            if items:
                data["budget"] = items
        else:
            value = {"plan": lambda: _plan(section), "period": lambda: _period(section, template, project),
                     "goals": lambda: _goals(section, template)}.get(key, lambda: _text(section))()
            if value:
                data[key] = value
    return read
