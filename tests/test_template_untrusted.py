"""Templates are untrusted (issue 11): perfdoc/render/template.py, sandbox.py and variant.py.

A template folder may come from anyone: its texts run in a sandbox with bounds on
what they compute, its reference.docx is opened through read/package.py, its
variant.toml is checked like a project file.  Every fault is a TemplateError whose
problems say file, line and (Chinese) what; nothing runs, hangs or fills memory.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from docx_samples import CONTENT_TYPES, billion_laughs, package, zip_bomb

from perfdoc.render.template import Template, TemplateError, find_template

BUILTIN = Path(__file__).resolve().parent.parent / "templates"
FIGURES = dict(department="测试单位", year=2026, budget_units=1, count=2, total=0, total_wan="12.00")


@pytest.fixture
def folder(tmp_path) -> Path:
    return Path(shutil.copytree(BUILTIN / "shanghai", tmp_path / "版式"))


def _problems(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(TemplateError) as info:
        Template.load(folder)
    return [(str(p.file.relative_to(folder)), p.line, p.message) for p in info.value.problems]


def _render_error(folder: Path, text: str, name: str = "summary") -> tuple[str, int, str]:
    (folder / "texts" / f"{name}.j2").write_text(text, "utf-8")
    template = Template.load(folder)
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        template.text(name, **FIGURES)
    assert time.monotonic() - started < 10
    [p] = info.value.problems
    assert p.code == "PD008" and p.fatal
    return str(p.file.relative_to(folder)), p.line, p.message


# -- the texts ----------------------------------------------------------------------------------

def test_builtin_templates_render_as_before():
    for name in ("shanghai", "huacao-2022", "songjiang-2022"):
        assert find_template(name).text("summary_title", **FIGURES) == "测试单位2026年度项目绩效目标汇总表"


def test_project_text_is_data_never_template_source(folder):
    assert Template.load(folder).text("summary_title", **dict(FIGURES, department="{{ 7 * 7 }}")) == \
        "{{ 7 * 7 }}2026年度项目绩效目标汇总表"


def test_code_execution_is_refused_before_anything_runs(folder, tmp_path):
    marker = tmp_path / "pwned"
    (folder / "texts" / "summary.j2").write_text(
        f"本部门。\n{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n", "utf-8")
    assert _problems(folder) == [("texts/summary.j2", 2, "文字模板有误：不允许访问“__globals__”（内部属性）")]
    assert not marker.exists()


def test_code_execution_built_at_run_time_is_refused_by_the_sandbox(folder, tmp_path):
    marker = tmp_path / "pwned"
    where = _render_error(folder, "第一行\n{{ (cycler|attr('_' ~ '_init__')|attr('_' ~ '_globals__'))"
                                  f".os.system('touch {marker}') }}}}\n")
    assert where == ("texts/summary.j2", 2, "文字模板有误：“__globals__”不存在")
    assert not marker.exists()
    assert _render_error(folder, "{{ ''|attr('_' ~ '_class__') }}")[2] == "文字模板有误：不允许访问“__class__”（内部属性）"


def test_syntax_errors_at_their_line(folder):
    (folder / "texts" / "summary.j2").write_text("第一行\n本部门{{ budget_units }个单位\n", "utf-8")
    (folder / "texts" / "period.j2").write_text("从{{ start.year }}年\n{% if end %}\n至{{ end.year }}年\n", "utf-8")
    (folder / "texts" / "overview.j2").write_text("{% frobnicate %}\n", "utf-8")
    assert _problems(folder) == [
        ("texts/overview.j2", 1, "文字模板有误：未知的标记“frobnicate”"),
        ("texts/period.j2", 3, "文字模板有误：模板意外结束：缺少结束标记 {% endif %}"),
        ("texts/summary.j2", 2, "文字模板有误：此处不应出现“}”"),
    ]


def test_an_undefined_name_is_reported_at_its_line(folder):
    assert _render_error(folder, "第一行\n{{ total_yuan }}\n") == ("texts/summary.j2", 2, "文字模板有误：变量“total_yuan”不存在")


@pytest.mark.parametrize("text,message", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "运行时间过长（循环或递归太多）"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}", "运行时间过长"),
    ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ d('a', 60) }}", "变量中的文字过长"),
    ("{% set ns = namespace(x='a') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}", "变量中的文字过长"),
    ("{{ 'x' * 10000000000 }}", "重复得到的文字过长"),
    ("{{ 9 ** 99999 }}", "乘方的指数过大"),
    ("{{ 'x'|center(1000000000) }}", "数字参数 1000000000 过大"),
    ("{{ 'x'.ljust(1000000000) }}", "数字参数 1000000000 过大"),
    ("{{ '%999999999s' % 'x' }}", "格式说明中的宽度或精度过大"),
    ("{{ '{:>999999999}'.format('x') }}", "格式说明中的宽度或精度过大"),
    ("{{ ('x' * 900000)|replace('x', 'yyyyyyyyyy') }}", "过滤器 replace 生成的文字过长"),
    ("{{ range(90000)|join('x' * 900) }}", "过滤器 join 生成的文字过长"),
    ("{{ lipsum(1000000000) }}", "数字参数 1000000000 过大"),
    ("{{ 1 / 0 }}", "运算出错：除数为零"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "递归或嵌套过深"),
])
def test_a_text_cannot_run_forever_or_fill_memory(folder, text, message):
    started = time.monotonic()
    try:
        file, line, found = _render_error(folder, text)
    except TemplateError as exc:  # refused while loading (parsing)
        [p] = exc.problems
        found = p.message
    assert message in found
    assert time.monotonic() - started < 10


def test_only_perfdocs_own_templates_run_without_the_budget(folder, tmp_path):
    """The budget (a trace function) costs a fifth of rendering a project: perfdoc's own texts,
    tested with it, run without it; a copy of them anywhere else, or a link to it, is a stranger's."""
    assert [find_template(name)._texts.budget for name in ("shanghai", "huacao-2022", "songjiang-2022")] == [False] * 3
    assert Template.load(folder)._texts.budget is True
    link = tmp_path / "链接"
    link.symlink_to(BUILTIN / "shanghai")
    assert Template.load(link)._texts.budget is False  # the same files as perfdoc's own
    _, _, message = _render_error(folder, "{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}")
    assert "运行时间过长" in message


def test_the_trace_function_is_restored(folder):
    before = sys.gettrace()
    Template.load(folder).text("summary", **FIGURES)
    assert sys.gettrace() is before


def test_texts_come_only_from_the_template_folder(folder, tmp_path):
    secret = tmp_path / "机密.txt"
    secret.write_text("口令是 hunter2", "utf-8")
    assert _render_error(folder, "{% include '../variant.toml' %}")[2] == \
        "文字模板有误：找不到引用的文字模板“../variant.toml”（只能引用 texts 文件夹中的文件）"
    (folder / "texts" / "summary.j2").unlink()
    (folder / "texts" / "summary.j2").symlink_to(secret)
    problems = _problems(folder)
    assert problems == [("texts/summary.j2", 1, "文字模板有误：它是指向版式文件夹以外的符号链接，不能使用")]
    assert "hunter2" not in str(problems)


def test_a_missing_text_is_reported_before_anything_is_built(folder):
    (folder / "texts" / "goals_note.j2").unlink()
    assert _problems(folder) == [("texts/goals_note.j2", 1, "文字模板有误：版式缺少这个文字模板（可从内置版式 shanghai 复制）")]


def test_a_text_that_is_a_fifo_or_not_utf8(folder):
    os.unlink(folder / "texts" / "summary.j2")
    os.mkfifo(folder / "texts" / "summary.j2")
    (folder / "texts" / "period.j2").write_bytes("从\n{{ start.year }}年".encode("gbk"))
    assert _problems(folder) == [
        ("texts/period.j2", 1, "文字模板有误：第 1 行不是 UTF-8 编码（请另存为 UTF-8）"),
        ("texts/summary.j2", 1, "文字模板有误：这是一个管道（FIFO），不是普通文件"),
    ]


# -- variant.toml ----------------------------------------------------------------------------

def _variant(folder: Path, old: str, new: str) -> None:
    path = folder / "variant.toml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("old,new,line,message", [
    ("places = 2 ", 'places = "two"', 9, "版式设置有误：variant.places（金额小数位数） 应为整数，而不是 “two”"),
    ("places = 2 ", "places = 100000000", 9, "版式设置有误：variant.places（金额小数位数） 应不大于 4，而不是 100000000"),
    ("places = 2 ", "places = true", 9, "版式设置有误：variant.places（金额小数位数） 应为整数，而不是 布尔值 true"),
    ("places = 2 ", "plces = 2", 9, "版式设置有误：未知的键“plces”，是不是 places？"),
    ('unit = "元"', 'unit = "美元"', 7, "版式设置有误：variant.unit（默认金额单位） 只能是 “元” 或 “万元”，而不是 “美元”"),
    ('year_line = "（{year}年度）"', 'year_line = "（{year:>999999999}年度）"', 6,
     "版式设置有误：variant.year_line（年度行，可用 {year}）：占位符 {year} 后不能加格式说明（只能写 {year}）"),
    ('year_line = "（{year}年度）"', 'year_line = "（{year.__class__}年度）"', 6,
     "版式设置有误：variant.year_line（年度行，可用 {year}）：不能使用占位符 {year.__class__}（可用的占位符：{year}）"),
    ('separators = true', 'separators = "是"', 8, "版式设置有误：variant.separators（金额是否加千位分隔） 的类型不对：“是”"),
    ('name = "2026 闵行"', 'name = "\\u001b]0;x\\u0007"', 3, "版式设置有误：variant.name（版式名称）：文字中含有控制字符 U+001B，请删除"),
])
def test_variant_values_are_checked_at_their_line(folder, old, new, line, message):
    _variant(folder, old, new)
    assert _problems(folder) == [("variant.toml", line, message)]


def test_variant_that_is_not_a_file_or_leads_out(folder, tmp_path):
    (folder / "variant.toml").unlink()
    os.mkfifo(folder / "variant.toml")
    assert _problems(folder) == [("variant.toml", 1, "版式设置有误：这是一个管道（FIFO），不是普通文件")]
    (folder / "variant.toml").unlink()
    secret = tmp_path / "机密.toml"
    secret.write_text("口令 = hunter2\n", "utf-8")
    (folder / "variant.toml").symlink_to(secret)
    assert _problems(folder) == [("variant.toml", 1, "版式设置有误：它是指向版式文件夹以外的符号链接，不能使用")]


# -- reference.docx --------------------------------------------------------------------------

@pytest.mark.parametrize("data,reason", [
    ("这不是 Word 文件".encode(), "不是 Word（.docx）文件：不是 zip 压缩包，或已损坏"),
    (package(document='<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
     "正文（word/document.xml）中没有 w:body，不是 Word 文档"),
    (package(document=billion_laughs()), "部件“word/document.xml”声明了 DOCTYPE 或实体（<!DOCTYPE、<!ENTITY），Word 文档中不会有；为安全起见拒绝读取"),
    (zip_bomb(60), "部件“word/document.xml”解压后超过 50 MB 的上限（可能是“压缩炸弹”），不是正常的 Word 文档"),
    # a Word template (.dotx) renamed: its main part's content type is not a document's
    (package({"[Content_Types].xml": CONTENT_TYPES.replace("document.main+xml", "template.main+xml")}),
     "python-docx 无法打开它（请在 Word 中打开后另存为 .docx）"),
])
def test_reference_docx_is_opened_through_the_guarded_reader(folder, data, reason):
    (folder / "reference.docx").write_bytes(data)
    assert _problems(folder) == [("reference.docx", 1, f"版式的 reference.docx 不能使用：{reason}")]


def test_every_problem_of_a_template_at_once_and_the_fingerprint(folder):
    fingerprint = Template.load(folder).fingerprint
    (folder / "texts" / "goals_note.j2").write_text("（见表格）", "utf-8")
    assert Template.load(folder).fingerprint != fingerprint
    (folder / "reference.docx").write_bytes(b"")
    _variant(folder, "places = 2 ", "places = -1")
    (folder / "texts" / "summary.j2").write_text("{{ x", "utf-8")
    assert [(f, line) for f, line, _ in _problems(folder)] == [
        ("reference.docx", 1), ("variant.toml", 9), ("texts/summary.j2", 1)]


def test_template_not_found_names_the_setting(tmp_path):
    with pytest.raises(TemplateError) as info:
        find_template("没有", tmp_path, where=(tmp_path / "department.toml", 7, 12))
    [p] = info.value.problems
    assert (p.line, p.col, p.code) == (7, 12, "PD008")
    assert p.message.startswith("找不到版式“没有”（内置版式：huacao-2022、shanghai、songjiang-2022")
