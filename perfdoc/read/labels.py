"""What the form readers share: labels normalised for comparison, the units they carry,
dates, amounts and check boxes as printed, and the built-in layouts' texts.

Labels are compared after NFKC (full-width brackets, colons and digits become
half-width) with every space removed, so ``项目资金 （万元）``, ``项目资金(万元)``
and ``项目资金\\n（万元）`` are one label.  The spellings perfdoc prints come from
the render modules and the templates' variant.toml; the other spellings listed
here are those of forms perfdoc did not write.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..model import Money
from ..model.money import MoneyError
from ..render.declaration import CHECKED, FUNDING_LABELS, INDICATOR_HEADS, LABELS, UNCHECKED
from ..render.variant import Variant

__all__ = [
    "norm", "split_label", "form_key", "funding_kind", "goal_heading", "indicator_head",
    "read_date", "read_period", "read_amount", "read_choice", "layouts", "year_of", "title_number",
    "one_line_value", "AmountResult", "is_title", "choice_options", "has_marks", "goal_period",
]

_SPACE = re.compile(r"\s+|[\u200b\u200c\u200d\ufeff]")


def norm(text: str) -> str:
    """A label as compared: NFKC, no white space at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


_UNIT = re.compile(r"\((?:单位[:：]?|金额单位[:：]?)?(万元|元)\)|(?:金额)?单位[:：]?(万元|元)")


@lru_cache(maxsize=8192)
def split_label(text: str) -> tuple[str, str | None, bool]:
    """(core, unit, 其中) of a label: ``其中：当年财政拨款`` → ("当年财政拨款", None, True);
    ``项目资金 （万元）`` → ("项目资金", "万元", False)."""
    n = norm(text)
    unit = None
    m = _UNIT.search(n)
    if m:
        unit = m[1] or m[2]
        n = n[: m.start()] + n[m.end():]
    n = n.strip(":;,.、")
    among = n.startswith("其中")
    if among:
        n = n[2:].lstrip(":;,、")
    return n, unit, among


# -- which key a label introduces ---------------------------------------------------------------

#: Spellings of forms perfdoc did not write, by key.
_FOREIGN = {
    "category": ("项目类型",),
    "authority": ("主管单位", "项目主管部门"),
    "implementer": ("项目实施单位", "实施主体"),
    "start": ("开始日期", "计划开始时间", "开始时间", "项目开始日期", "项目开始时间", "起始日期"),
    "end": ("完成日期", "计划完成时间", "完成时间", "结束日期", "计划结束日期", "项目完成日期", "截止日期",
            "计划结束时间"),
    "period": ("起止日期", "项目起止日期", "计划起止日期", "起止时间", "项目起止时间", "计划起止时间",
               "实施期限", "项目期限"),
    "goals": ("绩效目标",),
}


@lru_cache(maxsize=1)
def _form_keys() -> dict[str, str]:
    keys = {split_label(label)[0]: key for key, label in LABELS.items()}
    for key, spellings in _FOREIGN.items():
        for spelling in spellings:
            keys.setdefault(norm(spelling), key)
    return keys


def form_key(text: str) -> str | None:
    """The key a label of the form's head introduces ("name", "start", "goals", ...), else None."""
    if len(text) > 40:
        return None
    return _form_keys().get(split_label(text)[0])


_FISCAL = re.compile(r"(?:当年|本年|年度|本年度)?财政(?:性)?(?:资金|拨款|预算资金|预算拨款|补助资金|补助)")
_CARRYOVER = re.compile(r"(?:上年|上年度|以前年度|历年)?结转(?:结余)?(?:资金)?")


@lru_cache(maxsize=1)
def _canonical_funding() -> dict[str, str]:
    return {split_label(label)[0]: key for key, label in FUNDING_LABELS.items()}


_TOTALS = ("资金总额", "项目总额", "项目总金额", "项目资金总计", "总额")
_ANNUALS = ("年度资金总额", "年度申请资金总额", "本年度资金申请总额", "年度资金", "年度申请金额", "年度资金申请额")


def funding_kind(text: str) -> str | None:
    """What a label of the funding block names: "block" (the 项目资金（元） label), "total",
    "annual", "fiscal", "appropriation" (当年财政拨款: the year's), "carryover", "other"; else None."""
    if len(text) > 40:
        return None
    core, unit, among = split_label(text)
    canonical = _canonical_funding()
    if core == "项目资金" or (core in ("资金", "金额", "项目金额") and unit):
        return "block"
    key = canonical.get(core)
    if key in ("total", "annual"):
        return key
    if core in _ANNUALS or (core.startswith("年度") and "总额" in core):
        return "annual"
    if core in _TOTALS:
        return "total"
    if _CARRYOVER.fullmatch(core):
        return "carryover"
    if _FISCAL.fullmatch(core):
        return "appropriation" if core.startswith(("当年", "本年", "年度")) else "fiscal"
    if core in ("其他资金", "其它资金", "其他", "其它", "自筹资金", "其他来源资金"):
        return "other"
    return None


def goal_heading(text: str) -> str | None:
    """"overall" for 项目总目标（…）, "annual" for 年度总体目标 and its spellings, else None."""
    if len(text) > 40:
        return None
    core = split_label(text)[0]
    annual, overall = _goal_headings()
    if core in annual:
        return "annual"
    if core.split("(")[0] in overall:
        return "overall"
    return None


@lru_cache(maxsize=1)
def _goal_headings() -> tuple[frozenset[str], frozenset[str]]:
    annual = {norm(v.annual_goal_heading.split("{")[0]) for v in layouts().values()}
    annual |= {"年度总体目标", "年度总目标", "年度目标", "年度绩效目标", "本年度目标", "年度总体绩效目标"}
    overall = {norm(v.overall_goal_heading.split("{")[0]).split("(")[0] for v in layouts().values()}
    overall |= {"项目总目标", "总目标", "项目总体目标", "总体目标", "中长期目标", "项目中长期目标"}
    return frozenset(annual), frozenset(overall)


def goal_period(text: str) -> tuple[int, int] | None:
    """The years of a heading ``项目总目标（2022年-2024年）``."""
    m = re.search(r"(\d{4})年?[-~—–至到]+(\d{4})年?", norm(text))
    return (int(m[1]), int(m[2])) if m else None


def indicator_head(text: str) -> str | None:
    """"level1", "level2", "name" or "target" for a heading of the indicator table, else None."""
    if len(text) > 40:
        return None
    core = split_label(text)[0]
    heads, values = _indicator_heads()
    if core in heads:
        return heads[core]
    if core in values or core.endswith(("指标值", "目标值")):
        return "target"
    return None


@lru_cache(maxsize=1)
def _indicator_heads() -> tuple[dict[str, str], frozenset[str]]:
    heads = dict(zip((norm(h) for h in INDICATOR_HEADS), ("level1", "level2", "name")))
    heads.update({"一级": "level1", "二级": "level2", "三级": "name", "指标名称": "name", "三级指标名称": "name",
                  "指标内容": "name"})
    return heads, frozenset(norm(v.indicator_value_heading) for v in layouts().values())


# -- values -------------------------------------------------------------------------------------

_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"


def read_date(text: str) -> dt.date | None:
    """``2023-01-01``, ``2023.01.01``, ``2022. 01. 01``, ``2023年1月1日``, ``2023/1/1``; else None."""
    m = re.fullmatch(r"\s*" + _DATE + r"\s*", unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def read_period(text: str) -> tuple[dt.date, dt.date] | None:
    """Two dates: ``2023-01-01至2023-12-31``, ``2023年1月1日—2023年12月31日``; else None."""
    m = re.fullmatch(r"\s*" + _DATE + r"\s*(?:至|到|~|～|—+|–|-|－)\s*" + _DATE + r"\s*",
                     unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), dt.date(int(m[4]), int(m[5]), int(m[6]))
    except ValueError:
        return None


#: What an amount cell shows for "nothing": read as no value, not as a fault.
_NOTHING = {"", "-", "—", "——", "/", "无", "－", "–"}


@dataclass(frozen=True)
class AmountResult:
    yuan: Decimal | None   # exact, in 元; None when nothing or unreadable
    blank: bool            # the cell shows nothing (blank, "-", "/")


def read_amount(text: str, unit: str | None) -> AmountResult:
    """An amount as printed (``1,650,000.00``, ``29.20``, ``¥ 60, 000``, ``29.2万元``) in ``unit``
    (元 or 万元; None when the form states none: only an amount that says its unit is read)."""
    shown = unicodedata.normalize("NFKC", text or "").strip()
    if shown in _NOTHING:
        return AmountResult(None, True)
    compact = re.sub(r"\s+", "", shown)
    if unit is None and not compact.endswith("元"):
        return AmountResult(None, False)
    try:
        return AmountResult(Money.parse(compact, unit or "元").yuan, False)
    except MoneyError:
        return AmountResult(None, False)


_CHECKED = set(CHECKED) | set("☑☒✓✔√■▣⊠")
_UNCHECKED = set(UNCHECKED) | set("☐◻▢")
_MARKS = _CHECKED | _UNCHECKED


def has_marks(text: str) -> bool:
    """The text holds check boxes (☑ □ ☐ ☒ …)."""
    return any(ch in _MARKS for ch in text or "")


def choice_options(text: str) -> list[tuple[str, bool]] | None:
    """The options of check boxes as (option, ticked): ``专项资金 □  经常性项目 ☑`` (boxes after
    their options, as perfdoc prints them) or ``☑经常性项目 □一次性项目``; None when text stands
    after the last box of options printed before their boxes (no box of its own)."""
    body = (text or "").strip()
    pieces = re.split(f"([{''.join(sorted(_MARKS))}])", body)
    options: list[tuple[str, bool]] = []
    if body and body[0] in _MARKS:
        for i in range(1, len(pieces) - 1, 2):
            options.append((pieces[i + 1], pieces[i] in _CHECKED))
    else:
        for i in range(0, len(pieces) - 1, 2):
            options.append((pieces[i], pieces[i + 1] in _CHECKED))
        if pieces[-1].strip():
            return None
    return [(o.strip(" \t\n\u3000,，、;；:："), ticked) for o, ticked in options]


def read_choice(text: str) -> tuple[str | None, bool]:
    """(value, readable) of a cell that may be check boxes: ``专项资金 □  经常性项目 ☑`` or
    ``☑经常性项目 □一次性项目`` gives ("经常性项目", True); plain text gives itself; none or
    several boxes ticked gives (None, False)."""
    body = (text or "").strip()
    if not has_marks(body):
        return (body or None), True
    options = choice_options(body)
    chosen = [o for o, ticked in options or [] if ticked]
    if len(chosen) == 1 and chosen[0]:
        return chosen[0], True
    return None, False


def one_line_value(text: str) -> str:
    """A printed value (年度指标值) as one string: a line break perfdoc's renderer puts before a
    bracket or after one (``≥8000.00`` / ``(人)``) is dropped; other line breaks are kept."""
    text = re.sub(r"\n(?=[(（])|(?<=[)）])\n", "", text)
    return text.strip()


# -- the built-in layouts -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def layouts() -> dict[str, Variant]:
    """The built-in templates' variants, by template name (shanghai, huacao-2022, songjiang-2022)."""
    from ..render.template import builtin_templates_dir
    from ..render.variant import read_variant

    out: dict[str, Variant] = {}
    folder = builtin_templates_dir()
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        settings = sub / "variant.toml"
        if settings.is_file():
            variant, problems = read_variant(settings, settings.read_bytes())
            if variant is not None and not problems:
                out[sub.name] = variant
    return out


def year_of(text: str) -> int | None:
    """The year of a year line ``（2026年度）`` or of a title ``2026年度财政项目…申报表``."""
    n = norm(text)
    m = re.fullmatch(r"\(?(\d{4})年度?\)?", n) or re.match(r"(\d{4})年度", n)
    if m is None and len(n) <= 60:
        m = re.search(r"\((\d{4})年度?\)", n)
    return int(m[1]) if m and 2000 <= int(m[1]) <= 2100 else None


def is_title(text: str, *endings: str) -> bool:
    """A form's title: a short line ending with one of ``endings`` (申报表, 填报表 …) and maybe a number."""
    n = norm(text)
    return len(n) <= 60 and re.search(f"(?:{'|'.join(map(re.escape, endings))})\\d*$", n) is not None


def title_number(text: str, title: str) -> int | None:
    """N of ``财政项目支出绩效目标填报表N`` (``title`` the title without its number)."""
    n, base = norm(text), norm(title)
    if not n.startswith(base):
        return None
    rest = n[len(base):]
    return int(rest) if rest.isdigit() and len(rest) <= 6 else None
