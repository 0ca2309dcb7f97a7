"""docs/ stays true: its TOML examples load and pass the checks, its key tables are the model's
fields, its printing and spelling tables are what the code does; and the repository stands alone
(no path into the machine it was written on)."""

from __future__ import annotations

import re
import tomllib
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from pydantic import BaseModel

from perfdoc.check import check_departments
from perfdoc.load import load_department, load_project_text
from perfdoc.model import Department, Money, Project, Severity, Target
from perfdoc.render.common import target_text
from perfdoc.render.selfeval import actual_text
from perfdoc.render.template import builtin_templates_dir, Template

DOCS = sorted((ROOT / "docs").glob("*.md"))
FORMAT = ROOT / "docs" / "project-format.md"
README = ROOT / "README.md"


def _toml_blocks(text: str) -> list[str]:
    return re.findall(r"^```toml\n(.*?)^```$", text, re.S | re.M)


def _all_blocks() -> list[tuple[str, str]]:
    return [(doc.name, block) for doc in DOCS for block in _toml_blocks(doc.read_text("utf-8"))]


def _tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table: a list of rows, each a list of cell texts (header first, rule dropped)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r"-+", c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


# -- the examples -------------------------------------------------------------------------

def test_docs_exist_and_hold_examples():
    assert FORMAT in DOCS
    blocks = [tomllib.loads(b) for _, b in _all_blocks()]
    assert sum("department" in b for b in blocks) >= 1
    projects = [b for b in blocks if "project" in b]
    assert len(projects) >= 3
    assert any("narrative" in b for b in projects) and any("evaluation" in b for b in projects)
    assert all("department" in b or "project" in b for b in blocks), "a toml block is neither file"


def test_every_toml_example_loads_and_passes_the_checks(tmp_path):
    blocks = [block for _, block in _all_blocks()]
    departments = [b for b in blocks if "department" in tomllib.loads(b)]
    projects = [b for b in blocks if "project" in tomllib.loads(b)]
    for n, department in enumerate(departments):
        folder = tmp_path / f"dep{n}"
        folder.mkdir()
        (folder / "department.toml").write_text(department, "utf-8")
        for project in projects:
            name = tomllib.loads(project)["project"]["name"]
            (folder / f"{name}.toml").write_text(project, "utf-8")
        loaded = load_department(folder)
        assert loaded.problems == []  # not even an unknown key
        assert len(loaded.projects) == len(projects)
        problems = check_departments(loaded.departments)
        assert [p for p in problems if p.severity is Severity.ERROR] == []
        with_narrative = {p.path for p in loaded.projects if p.model.narrative is not None}
        assert with_narrative
        assert [p for p in problems if p.file in with_narrative] == []


# -- the key tables ---------------------------------------------------------------------------

def _model_of(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _resolve(token: str) -> type[BaseModel]:
    """The model a table documents, from the path its header names: `[narrative.basis]`, `department.toml`."""
    if token == "department.toml":
        return Department
    if token == "*.toml":
        return Project
    path = token.strip("[]").split(".")
    for root in (Project, Department):
        model = root
        for part in path:
            field = model.model_fields.get(part) if model is not None else None
            model = _model_of(field.annotation) if field is not None else None
        if model is not None:
            return model
    raise AssertionError(f"the table header names `{token}`, which is no table of the format")


def _key_tables():
    """(model, rows) for each table whose header reads “… 中的键/表 | 类型 | 必填 | 默认 | 说明”."""
    out = []
    for table in _tables(FORMAT.read_text("utf-8")):
        header = table[0]
        if header[1:] != ["类型", "必填", "默认", "说明"]:
            continue
        tokens = _code(header[0])
        assert tokens, header
        out.append((_resolve(tokens[0]), table[1:]))
    return out


def _literal_options(annotation) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [o for arg in typing.get_args(annotation) for o in _literal_options(arg)]


def _reachable(model: type[BaseModel], seen: set) -> set:
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        inner = _model_of(field.annotation)
        if inner is not None:
            _reachable(inner, seen)
    return seen


def test_key_tables_name_the_model_fields_truthfully():
    tables = _key_tables()
    assert len(tables) >= 10
    documented: dict[type, set] = {}
    for model, rows in tables:
        for row in rows:
            key = _code(row[0])[0]
            assert key in model.model_fields, f"{model.__name__} has no key {key!r}"
            field = model.model_fields[key]
            required = {"是": True, "否": False}[row[2]]
            assert required == field.is_required(), f"{model.__name__}.{key}: 必填 says {row[2]}"
            default = field.default
            if isinstance(default, str) and default:
                assert f'`"{default}"`' in row[3], f"{model.__name__}.{key}: default {default!r}"
            elif isinstance(default, int) and not isinstance(default, bool):
                assert f"`{default}`" in row[3], f"{model.__name__}.{key}: default {default!r}"
            elif isinstance(default, Money):
                assert f"`{default.format_plain('元')}`" in row[3], f"{model.__name__}.{key}: default {default!r}"
            for option in _literal_options(field.annotation):
                assert option in " ".join(row), f"{model.__name__}.{key}: {option} not mentioned"
            documented.setdefault(model, set()).add(key)
    for model in _reachable(Project, set()) | _reachable(Department, set()):
        missing = set(model.model_fields) - documented.get(model, set())
        assert not missing, f"{model.__name__}: {sorted(missing)} not in docs/project-format.md"


# -- spellings and printing ---------------------------------------------------------------------

def _table_with_header(first_cells: list[str]) -> list[list[str]]:
    for table in _tables(FORMAT.read_text("utf-8")):
        if table[0][: len(first_cells)] == first_cells:
            return table[1:]
    raise AssertionError(f"no table headed {first_cells}")


def test_printing_table_is_what_each_layout_prints():
    rows = _table_with_header(["写法", "`shanghai` 版式印出", "其他版式印出"])
    assert len(rows) >= 10
    templates = builtin_templates_dir()
    shanghai = Template.load(templates / "shanghai")
    others = [Template.load(templates / name) for name in ("huacao-2022", "songjiang-2022")]
    for written, system, as_written in rows:
        (text,), (printed,), (plain,) = _code(written), _code(system), _code(as_written)
        target = Target.parse(text)
        assert target_text(target, shanghai) == printed, text
        for template in others:
            assert target_text(target, template) == plain, (text, template.folder.name)


def test_actual_printing_table_is_what_each_layout_prints():
    rows = _table_with_header(["实际完成值写法", "`shanghai` 版式印出", "其他版式印出"])
    assert len(rows) >= 4
    templates = builtin_templates_dir()
    shanghai = Template.load(templates / "shanghai")
    others = [Template.load(templates / name) for name in ("huacao-2022", "songjiang-2022")]
    for written, system, as_written in rows:
        (text,), (printed,), (plain,) = _code(written), _code(system), _code(as_written)
        actual = Target.parse(text)
        assert actual_text(actual, shanghai) == printed, text
        for template in others:
            assert actual_text(actual, template) == plain, (text, template.folder.name)


def test_operator_spellings_read_as_documented():
    rows = _table_with_header(["运算符", "也可以写作"])
    assert len(rows) == 5
    for operator, spellings in rows:
        (canonical,) = _code(operator)
        for spelling in [canonical, *_code(spellings)]:
            target = Target.parse(f"{spelling}5次")
            assert (target.kind, target.op, target.number, target.unit) == ("quantitative", canonical, 5, "次"), spelling


def test_money_spellings_read_as_documented():
    rows = _table_with_header(["写法", "读作"])
    assert len(rows) >= 5
    for written, reading in rows:
        yuan = re.match(r"([\d,]+\.\d\d) 元", reading)
        assert yuan, reading
        expected = Money.parse(yuan[1])
        for spelling in _code(written):
            value = tomllib.loads(f"x = {spelling}", parse_float=Decimal)["x"]
            assert Money.parse(value) == expected, spelling


_PROJECT = """[project]
name = "日期"
year = 2026
implementer = "实施单位"
start = {start}
end = 2026-12-31
[funding]
total = 1
total_fiscal = 1
annual = 1
annual_appropriation = 1
"""


def test_date_spellings_read_as_documented():
    rows = _table_with_header(["日期写法", "读作"])
    assert len(rows) >= 4
    for written, reading in rows:
        for spelling in _code(written):
            project, problems = load_project_text(_PROJECT.format(start=spelling))
            if reading.startswith("不接受"):
                assert project is None and [p.code for p in problems] == ["PD002"], spelling
            else:
                assert problems == [], spelling
                assert project.model.project.start.isoformat() == reading[:10], spelling


# -- links and paths ------------------------------------------------------------------------------

def _slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub) gives a heading."""
    text = heading.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.name)
def test_links_resolve(page):
    text = page.read_text("utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        file = (page.parent / target) if target else page
        assert file.exists(), f"{page.name}: {link}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", file.read_text("utf-8"), re.M)
            assert anchor in {_slug(h) for h in headings}, f"{page.name}: {link}"


def test_readme_points_to_the_format_reference():
    assert "](docs/project-format.md)" in README.read_text("utf-8")


#: Paths into the machine the repository was written on; spelt in parts so that this file is clean.
_FOREIGN = ("../" + "shared", "/" + "work" + "/")
_TEXT_SUFFIXES = {".md", ".py", ".toml", ".j2", ".txt", ".json", ".xml", ".cfg", ".ini", ".yml", ".yaml", ""}
_SKIP_DIRS = {"__pycache__", "_failures", ".pytest_cache"}


def test_no_file_refers_outside_the_repository():
    roots = [ROOT / name for name in ("README.md", "pyproject.toml", "docs", "perfdoc", "templates", "tests",
                                      "projects", "benchmarks", "tools", ".ci")]
    files = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(p for p in root.rglob("*") if p.is_file() and not _SKIP_DIRS & set(p.parts)
                         and p.suffix in _TEXT_SUFFIXES)
    assert len(files) > 50
    offenders = []
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        for needle in _FOREIGN:
            if needle in text:
                line = text[: text.index(needle)].count("\n") + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {needle}")
    assert offenders == []
