"""Property tests: whatever a user types, the loader and the checks report problems, never raise.

(a) random text into ``load_project_text``;
(b) random TOML documents: a valid project with keys dropped or replaced by
    random values of random types, dumped with tomli_w; a single replaced key
    must be reported on its own line;
(c) ``check_departments`` on every document that loads, including documents
    whose values are random but of the right types (so the rules really run).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import tomli
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perfdoc.check import check_departments
from perfdoc.load import load_project_text
from perfdoc.model import Department, DepartmentFolder, Problem, ProjectFile, Severity

VALID = Path(__file__).resolve().parent / "bad_inputs" / "valid" / "测试项目.toml"
BASE_TEXT = VALID.read_text("utf-8")
BASE = tomli.loads(BASE_TEXT)
FUZZ = Path("fuzz.toml")

#: The default run is derandomized (the same examples every time, so the suite does not
#: flicker); PERFDOC_FUZZ_EXAMPLES=20000 makes a long random search.  No example database
#: is written.  (A long search found the crash kept in tests/bad_inputs/cases.toml as
#: amount_exponent_overflow: an amount such as 1e15100000 raised decimal.Overflow.)
EXAMPLES = int(os.environ.get("PERFDOC_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    derandomize="PERFDOC_FUZZ_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_LOAD_CODES = {"PD001", "PD002", "PD003", "PD004", "PD005", "PD006"}


def _assert_problems(problems: list[Problem], text: str, *, load: bool) -> None:
    """Problems are well-formed: a place in the file, a known code, a Chinese message."""
    n_lines = max(text.count("\n"), text.count("\r")) + 1  # LF, CR LF, or a CR alone (old Mac)
    for p in problems:
        assert isinstance(p, Problem), p
        assert p.file == FUZZ
        assert isinstance(p.line, int) and 1 <= p.line <= n_lines + 1, p
        assert isinstance(p.col, int) and p.col >= 1, p
        assert re.fullmatch(r"PD\d{3}", p.code), p
        if load:
            assert p.code in _LOAD_CODES, p
            assert p.fatal == (p.severity is Severity.ERROR), p
        else:
            assert not p.fatal, p
        assert p.message and _CHINESE.search(p.message), p
        assert "Traceback" not in p.message and " object at 0x" not in p.message, p


def _load(text: str) -> tuple[ProjectFile | None, list[Problem]]:
    project, problems = load_project_text(text, FUZZ)
    _assert_problems(problems, text, load=True)
    if project is None:
        assert any(p.fatal for p in problems), "no model and no fatal problem"
    else:
        assert isinstance(project, ProjectFile)
        assert not any(p.fatal for p in problems), problems
    return project, problems


def _check(project: ProjectFile, text: str) -> list[Problem]:
    dep = DepartmentFolder(Path("."), None, None, [project])
    project.department = dep
    found = check_departments([dep])
    _assert_problems(found, text, load=False)
    return found


# -- (a) random text ----------------------------------------------------------------

# Pieces of TOML, so that random text often gets past the parser into the
# position scanner and the schema.
_PIECES = st.sampled_from([
    "\n", " ", "=", "[", "]", "[[", "]]", "{", "}", ",", ".", "#", '"', "'", '"""', "'''", "\\",
    "[project]", "[funding]", "[goals]", "[[indicators]]", "[narrative.basis]", "[evaluation.funding]",
    "name", "year", "total", "annual", "unit", "target", "period", "start", "end", "level1",
    '"测试"', "'字面'", "2026", "-1", "1e15", "0.001", "2026-02-30", "2026-01-01", "true", "nan", "inf",
    '"≥95%"', '"万元"', '"一百万"', "\u0007", "\ufeff", "\r\n", "\t", "项目",
])


@SETTINGS
@given(st.text())
@example("")
@example("\ufeff")
@example("[project]\nname = '\x00'")
@example("a = " + "[" * 5000)
@example("a = " + "{ b = " * 2000)
def test_random_text(text):
    _load(text)


@SETTINGS
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_random_toml_pieces(text):
    project, _ = _load(text)
    if project is not None:
        _check(project, text)


@SETTINGS
@given(st.data())
def test_valid_text_with_random_edit(data):
    """The valid project with a few characters inserted, deleted or replaced."""
    text = BASE_TEXT
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 8)))
        text = text[:i] + data.draw(st.one_of(_PIECES, st.text(max_size=4))) + text[j:]
    project, _ = _load(text)
    if project is not None:
        _check(project, text)


# -- (b) random TOML documents --------------------------------------------------------

_SPECIAL_STRINGS = st.sampled_from([
    "", " ", "　", "一百万", "1,000.5", "¥ 60, 000", "4,483,000.00", "102万元", "-1", "1e15", "nan",
    "2026-02-30", "2026-13-01", "2026/01/01", "2026年1月1日", "01/15/2026", "≥95%", "=3次", "及时",
    "元", "万元", "美元", "经常性项目", "阶段性项目", "优", "X", "XX", "某某", "{{ name }}",
    "a\u0007b", "\x00", "\u2028", "\ufeff", "\\", '"', "'''", '"""', "[funding]", "# 注释",
])
_LEAVES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-(10**40), 10**40),
    st.sampled_from([0, 1, -1, 1899, 2000, 2026, 2100, 2101, 10**15, 10**12, 10**12 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0.001"), Decimal("1E+15"), Decimal("100000.00"), Decimal("-0.0"), Decimal("1e-30")]),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x40), max_size=10),  # control characters
    _SPECIAL_STRINGS,
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
)
_KEYS = st.one_of(st.sampled_from(["name", "total", "unit", "annual", "anual", "target", "x", "", " ", "中文键", "a.b"]),
                  st.text(max_size=8))
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


def _paths(node, prefix=()) -> list[tuple]:
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append(prefix + (key,))
            out.extend(_paths(value, prefix + (key,)))
    elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        for i, value in enumerate(node):
            out.append(prefix + (i,))
            out.extend(_paths(value, prefix + (i,)))
    return out


PATHS = _paths(BASE)
TABLES = [()]
for _p in PATHS:
    _node = BASE
    for _part in _p:
        _node = _node[_part]
    if isinstance(_node, dict):
        TABLES.append(_p)


def _parent(doc, path):
    node = doc
    for part in path[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


@st.composite
def mutated_documents(draw):
    """The valid project with keys dropped, replaced or added: (document, [(action, path)])."""
    doc = copy.deepcopy(BASE)
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "add":
            table = draw(st.sampled_from(TABLES))
            parent = _parent(doc, table + ("",))
            if not isinstance(parent, dict):
                continue
            key = draw(_KEYS)
            parent[key] = draw(_VALUES)
            edits.append(("add", table + (key,)))
            continue
        path = draw(st.sampled_from(PATHS))
        parent = _parent(doc, path)
        if parent is None:
            continue
        last = path[-1]
        if isinstance(parent, dict) and last in parent:
            if action == "drop":
                del parent[last]
            else:
                parent[last] = draw(_VALUES)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            if action == "drop":
                del parent[last]
            else:
                parent[last] = draw(_VALUES)
        else:
            continue
        edits.append((action, path))
    return doc, edits


def _value_lines(text: str, table: str, key: str) -> tuple[set[int], bool]:
    """The lines on which tomli_w wrote the value of ``table.key``, and whether one of
    them names it: ``key = value`` (with the following lines of a multi-line array), or
    a ``[table.key]`` / ``[[table.key]]`` header, rather than only deeper headers.
    """
    lines = text.split("\n")
    dotted = f"{table}.{key}"
    found: set[int] = set()
    named = False
    current = None  # the header we are under
    open_array = False
    for n, line in enumerate(lines, start=1):
        if open_array:
            found.add(n)
            open_array = line != "]"
            continue
        if line.startswith("["):
            current = line.strip("[]")
            if current == dotted or current.startswith(dotted + "."):
                found.add(n)
                named = named or current == dotted
            continue
        if current is not None and (current == dotted or current.startswith(dotted + ".")):
            found.add(n)
        elif current == table and line.startswith(f"{key} = "):
            found.add(n)
            named = True
            open_array = line.endswith("[")
    return found, named


def _indicator_lines(text: str, index: int) -> set[int]:
    """The lines of the ``index``-th indicator as tomli_w wrote it: one line of a
    multi-line ``indicators = [`` array, or one ``[[indicators]]`` block.  Empty when
    the layout is neither (an element spread over several lines)."""
    lines = text.split("\n")
    headers = [n for n, line in enumerate(lines, start=1) if line == "[[indicators]]"]
    if headers:
        if index >= len(headers):
            return set()
        found = {headers[index]}
        for n in range(headers[index] + 1, len(lines) + 1):
            line = lines[n - 1]
            if line.startswith("[") and not line.startswith(("[indicators.", "[[indicators.")):
                break
            found.add(n)
        return found
    if "indicators = [" not in lines:
        return set()
    first = lines.index("indicators = [") + 2  # 1-based line of the first element
    elements = []
    for n in range(first, len(lines) + 1):
        if lines[n - 1] == "]":
            break
        elements.append(n)
    if any(not lines[n - 1].startswith("    ") or lines[n - 1].startswith("     ") for n in elements):
        return set()  # an element over several lines
    return {elements[index]} if index < len(elements) else set()


def _assert_on_value_line(problems: list[Problem], text: str, path: tuple) -> None:
    """A single replaced value: every PD002 is on a line of that value."""
    if path[0] == "indicators" and len(path) in (2, 3) and isinstance(path[1], int):
        allowed = _indicator_lines(text, path[1])
        if not allowed:
            return
    elif len(path) == 2 and re.fullmatch(r"[A-Za-z0-9_-]+", str(path[1])):
        allowed, _ = _value_lines(text, path[0], path[1])
        assert allowed, text
    else:
        return
    for p in problems:
        if p.code == "PD002":
            assert p.line in allowed, (p, sorted(allowed), text)


@SETTINGS
@given(mutated_documents())
def test_mutated_documents(mutation):
    doc, edits = mutation
    text = tomli_w.dumps(doc)
    project, problems = _load(text)
    if project is not None:
        _check(project, text)
    if len(edits) == 1 and edits[0][0] == "replace":
        _assert_on_value_line(problems, text, edits[0][1])


@SETTINGS
@given(st.sampled_from(PATHS), _VALUES)
def test_one_value_replaced(path, value):
    """The same, one key at a time: a focused search over every key of the format."""
    doc = copy.deepcopy(BASE)
    _parent(doc, path)[path[-1]] = value
    text = tomli_w.dumps(doc)
    project, problems = _load(text)
    if project is not None:
        _check(project, text)
    _assert_on_value_line(problems, text, path)


_COMMENT_CHARS = st.characters(
    # what TOML allows in a comment, including U+0085, U+2028 and U+2029, which
    # str.splitlines() (but not TOML) takes for line breaks
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])),
)


@SETTINGS
@given(st.data())
def test_comments_do_not_move_lines(data):
    """Comments with any text, anywhere: the problem stays on the line of its key."""
    lines = BASE_TEXT.replace("total_other = 0", "total_other = -1", 1).splitlines()
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(lines)))
        comment = "#" + data.draw(st.text(_COMMENT_CHARS, max_size=30) | st.sampled_from(["#\u2028", "# \x85 [funding]"]))
        if i < len(lines) and lines[i] and data.draw(st.booleans()):
            lines[i] = lines[i] + " " + comment  # after a key = value or a [table]
        else:
            lines.insert(i, comment)
    text = "\n".join(lines) + "\n"
    expected = next(n for n, line in enumerate(lines, start=1) if line.startswith("total_other = -1"))
    project, problems = _load(text)
    assert project is None
    assert [(p.code, p.line) for p in problems] == [("PD002", expected)], (problems, text)


# -- (c) checks on documents that load --------------------------------------------------

_LEVELS = {
    "成本指标": ["经济成本指标", "社会成本指标", "生态环境成本指标"],
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
_NUMBERS = st.from_regex(r"\d[\d,，]{0,14}(\.\d{1,6})?", fullmatch=True)  # \d: any Unicode digit
_AMOUNT_TEXTS = st.builds(  # sentences PD104 compares with [funding]
    lambda before, label, approx, num, unit, after: f"{before}{label}{approx}{num}{unit}{after}",
    st.sampled_from(["", "经测算，", "其中党建阵地建设预算56万，"]),
    st.sampled_from(["预算资金为", "整个项目预算为", "项目总预算", "本年度预算", "该项目预算资金", "年度资金申请总额", "预算金额"]),
    st.sampled_from(["", "约", "约为", "大约"]),
    _NUMBERS,
    st.sampled_from(["万元", "万", "元"]),
    st.sampled_from(["", "。", "，其中财政拨款为100万元。"]),
)
_DATE_TEXTS = st.builds(  # 时效 targets PD204 reads a date from
    lambda y, m, d, tail: f"{y}年{m}月{d}{tail}",
    st.one_of(st.integers(0, 9999), st.from_regex(r"[0-9]{4}", fullmatch=True)),
    st.integers(0, 99), st.sampled_from(["", "1日", "30日", "31日", "99日"]), st.sampled_from(["前", "前完成", "底前", ""]),
)
_TEXTS = st.one_of(
    # without what Text refuses: control characters (C0, C1), bidi overrides and isolates
    st.text(max_size=40).filter(
        lambda s: not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]", s)),
    _AMOUNT_TEXTS,
    st.sampled_from(["", "  ", "完成年度工作任务。", "预算为102万", "经测算，预算资金29万元。", "XX", "某某单位", "待填",
                     "1.第一项\n2.第二项", "从2026年1月至2026年12月。", "{{ name }}", "*"]),
)
_TARGETS = st.one_of(
    # a target's digits are ASCII (１２３, ١٢٣ are refused), thousands separators where they belong
    _TEXTS.filter(lambda s: not any(ch.isdecimal() and not "0" <= ch <= "9" for ch in s)
                  and not re.search(r"[0-9][,，]", s)),
    _DATE_TEXTS,
    st.builds(lambda op, n, u: f"{op}{n}{u}",
              st.sampled_from(["", "≥", "<=", "=", "＞", "≤", ">"]),
              st.one_of(st.integers(-5, 10**7), st.decimals(0, 1000, places=2)),
              st.sampled_from(["", "%", "个", "次", "人", "(个)", "元", "万元", "天", "月", "率"])),
    st.sampled_from(["及时", "提升", "显著", "2026年12月底前", "≤2026年6月", "12月31日前完成", "=100.00(个)"]),
)
_MONEY = st.one_of(
    st.integers(0, 10**8),  # at most 10^12 元 even when unit = "万元"
    st.decimals(0, 10**8, places=2),
    st.sampled_from(["1,020,000", "¥ 60, 000", "100000.00", " 12 345 ", "29.2万元", "290000元", "10000元"]),
)
_YEARS = st.integers(2000, 2100)
_DATES = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@st.composite
def valid_shaped_documents(draw):
    """Documents of the right types with random values: most load, so every rule runs."""
    year = draw(st.one_of(st.just(2026), _YEARS))
    doc = {
        "project": {
            "name": draw(_TEXTS.filter(lambda s: any(ch.isprintable() and not ch.isspace()
                                                     and unicodedata.category(ch) != "Cf" for ch in s))),
            "year": year,
            "category": draw(_TEXTS),
            "implementer": draw(_TEXTS),
            "start": draw(_DATES),
            "end": draw(_DATES),
        },
        "funding": {
            "unit": draw(st.sampled_from(["元", "万元"])),
            **{k: draw(_MONEY) for k in ("total", "total_fiscal", "total_other", "annual",
                                          "annual_appropriation", "annual_carryover", "annual_other")},
        },
        "goals": {"overall": draw(_TEXTS), "annual": draw(_TEXTS)},
        "indicators": [],
    }
    if draw(st.booleans()):
        doc["project"]["nature"] = draw(st.sampled_from(["经常性项目", "一次性项目", "阶段性项目"]))
    if draw(st.booleans()):
        doc["goals"]["period"] = [draw(_YEARS), draw(_YEARS)]
    for _ in range(draw(st.integers(0, 8))):
        level1 = draw(st.one_of(st.sampled_from(list(_LEVELS)), _TEXTS))
        level2 = draw(st.one_of(st.sampled_from(_LEVELS.get(level1, ["数量指标"])), st.just("时效指标"), _TEXTS))
        name = draw(st.one_of(st.sampled_from(["群众满意度", "完成率", "活动场次", "及时性", "成本控制",
                                               "覆盖率", "项目完成时间", "质量达标率"]), _TEXTS))
        indicator = {"level1": level1, "level2": level2, "name": name, "target": draw(_TARGETS)}
        if draw(st.booleans()):
            indicator["weight"] = draw(st.integers(0, 100))
            indicator["actual"] = draw(_TARGETS)
            if draw(st.booleans()):
                indicator["score"] = draw(st.decimals(0, 100, places=1))
            if draw(st.booleans()):
                indicator["deviation"] = draw(_TEXTS)
        doc["indicators"].append(indicator)
    if draw(st.booleans()):
        doc["narrative"] = {k: draw(_TEXTS) for k in draw(st.lists(
            st.sampled_from(["subject", "overview", "implementer", "plan", "period", "goals"]), unique=True))}
        if draw(st.booleans()):
            doc["narrative"]["basis"] = {"documents": draw(_TEXTS), "duties": draw(_TEXTS)}
        if draw(st.booleans()):
            doc["narrative"]["budget"] = {"calculation": draw(_TEXTS), "source": draw(_TEXTS)}
    if draw(st.booleans()):
        row = lambda: {"initial": draw(_MONEY), "adjusted": draw(_MONEY), "executed": draw(_MONEY)}  # noqa: E731
        evaluation = {"outcome": draw(_TEXTS), "funding": {"total": row()}}
        for key in draw(st.lists(st.sampled_from(["appropriation", "carryover", "other"]), unique=True)):
            evaluation["funding"][key] = row()
        if draw(st.booleans()):
            evaluation["total"] = draw(st.decimals(0, 100, places=1))
        if draw(st.booleans()):
            evaluation["grade"] = draw(st.sampled_from(["优", "良", "中", "差"]))
        doc["evaluation"] = evaluation
    return doc


@SETTINGS
@given(valid_shaped_documents())
def test_checks_never_raise(doc):
    text = tomli_w.dumps(doc)
    project, problems = _load(text)
    assert project is not None, [p.message for p in problems]
    found = _check(project, text)
    assert found == sorted(found, key=lambda p: (str(p.file), p.line, p.col, p.code))


@SETTINGS
@given(valid_shaped_documents(), st.sampled_from(list(range(1, 5))))
def test_checks_with_a_department(doc, dep_year_offset):
    """The same with a department.toml model beside the project (PD205 and friends)."""
    text = tomli_w.dumps(doc)
    project, _ = _load(text)
    assert project is not None
    department = Department.model_validate(
        {"department": {"name": "测试单位", "authority": "测试主管部门",
                        "year": max(2000, min(2100, doc["project"]["year"] + dep_year_offset - 2))}})
    dep = DepartmentFolder(Path("."), None, department, [project])
    project.department = dep
    _assert_problems(check_departments([dep]), text, load=False)


# -- (d) numbers are bounded when they are read (issue 11) ------------------------------------

from perfdoc.cli.report import terminal_safe  # noqa: E402
from perfdoc.model import Money, MoneyError  # noqa: E402

#: ASCII digits and look-alikes from other scripts: full width, Arabic-Indic, mathematical bold.
_DIGITS = "0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩𝟎𝟏𝟐𝟑𝟗"
_ASCII_DIGIT = re.compile(r"[0-9]")


def _foreign_digit(text: str) -> bool:
    return any(ch.isdecimal() and not "0" <= ch <= "9" for ch in text)


@SETTINGS
@given(st.text(alphabet=_DIGITS + ",，.+-eE ¥元万", max_size=30), st.sampled_from(["元", "万元"]))
@example("1,2,3", "元")
@example("-0", "元")
@example("29.205", "万元")
def test_amount_text_is_read_exactly_or_refused(text, unit):
    try:
        amount = Money.parse(text, unit)
    except MoneyError as exc:
        assert _CHINESE.search(str(exc)), exc
        return
    assert not _foreign_digit(text), f"{text!r} read as {amount}"
    clean = re.sub(r"[\s¥,，]", "", text)
    if clean.endswith("万元"):
        clean, unit = clean[:-2], "万元"
    elif clean.endswith("元"):
        clean, unit = clean[:-1], "元"
    assert amount.yuan == Decimal(clean) * (10000 if unit == "万元" else 1)  # exact, never rounded
    assert not amount.format().startswith("-")


_FLOAT_TEXTS = st.builds(lambda m, f, e: f"{m}.{f}e{e}", st.integers(-10**6, 10**6), st.integers(0, 10**6),
                         st.integers(-10**12, 10**12))
#: Integers of up to 6000 digits, as text (Python's str() of an int stops at 4300).
_INTEGER_TEXTS = st.builds(lambda sign, digits: sign + digits.lstrip("0") or "0", st.sampled_from(["", "-"]),
                           st.text("0123456789", min_size=1, max_size=6000))


def _evaluated(weight: str) -> tuple[str, int]:
    """The valid project with a weight and an actual on its first indicator: (text, the weight's line)."""
    text = BASE_TEXT.replace('target = "≥10场"', f'target = "≥10场"\nweight = {weight}\nactual = "12场"', 1)
    return text, BASE_TEXT.split("\n").index('target = "≥10场"') + 2


@SETTINGS
@given(st.one_of(_FLOAT_TEXTS, _INTEGER_TEXTS))
@example("1e-999999999")
@example("1e999999999999999999999")
@example("9" * 5000)
def test_number_of_any_size_as_an_amount(number):
    """Refused at its own line, or read: never a hang, never an exception."""
    line = BASE_TEXT.split("\n").index("total = 100000") + 1
    text = BASE_TEXT.replace("total = 100000", f"total = {number}", 1)
    project, problems = _load(text)
    if project is None:
        assert any(p.fatal and p.line == line for p in problems), problems
    else:
        _check(project, text)


@SETTINGS
@given(st.one_of(_FLOAT_TEXTS, _INTEGER_TEXTS,
                 st.text(alphabet=_DIGITS + ".-e", min_size=1, max_size=12).map(lambda s: f'"{s}"')))
@example("1e-999999999")
@example('"２０"')
def test_number_of_any_size_as_a_weight(weight):
    text, line = _evaluated(weight)
    project, problems = _load(text)
    if project is None:
        assert any(p.fatal and p.line == line for p in problems), problems
    else:
        weight_read = project.model.indicators[0].weight
        assert weight_read == weight_read.quantize(Decimal("0.01")) and 0 <= weight_read <= 100
        _check(project, text)


@SETTINGS
@given(st.sampled_from(["", "≥", "≤", "="]), st.text(alphabet=_DIGITS + ",，.", min_size=1, max_size=40),
       st.sampled_from(["", "人", "%", "(次)"]))
@example("≥", "1,2,3", "人")
@example("≥", "9" * 40, "人")
def test_target_digits(op, digits, unit):
    target = f"{op}{digits}{unit}"
    line = BASE_TEXT.split("\n").index('target = "≥10场"') + 1
    text = BASE_TEXT.replace('target = "≥10场"', f'target = "{target}"', 1)
    project, problems = _load(text)
    if project is None:
        assert any(p.fatal and p.line == line for p in problems), problems
        return
    read = project.model.indicators[0].target
    assert not _foreign_digit(target), f"{target!r} accepted"
    if read.number is not None:
        assert len(read.number.as_tuple().digits) <= 28
    _check(project, text)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                     r"\ufeff\ud800-\udfff]")


@SETTINGS
@given(st.text())
@example("\x1b]0;title\x07")
@example("\udcff\u202e")
def test_terminal_safe_text(text):
    shown = terminal_safe(text)
    assert not _UNSAFE.search(shown)
    if not _UNSAFE.search(text):
        assert shown == text
