"""``perfdoc textconv`` and perfdoc/read/text.py: the text of a built document, for git diff.

A built 申报表 prints one line per paragraph and one line per table row with
its cells separated by " | "; a file that is not a .docx is refused with a
Chinese message and exit code 2; and, end to end, a git repository set up as
the README says shows a changed amount in ``git diff`` of a committed out/ file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECTS, run_cli
from requires import need_git
from lxml import etree

from perfdoc.load import load_paths
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.docxml import W_NS, cell, para, row, table
from perfdoc.render.narrative import build_narrative
from perfdoc.render.template import find_template
from perfdoc.read.text import PackageError, body_lines, document_text, paragraph_text

#: The two settings the README documents.
GITATTRIBUTES = "*.docx diff=perfdoc\n"
TEXTCONV = "perfdoc textconv"


def _songjiang(key: str):
    dep = load_paths([PROJECTS / "2022-songjiang"]).departments[0]
    project = next(p for p in dep.projects if p.key == key)
    return project, find_template(dep.model.layout.template, dep.path)


@pytest.fixture(scope="module")
def declaration(tmp_path_factory) -> Path:
    project, template = _songjiang("业务培训")
    path = tmp_path_factory.mktemp("textconv") / "业务培训-申报表.docx"
    path.write_bytes(to_bytes(build_declaration(project, template, number=3)))
    return path


def test_textconv_prints_paragraphs_and_rows(declaration):
    result = run_cli("textconv", str(declaration))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["财政项目支出绩效目标填报表3", "（2022年度）"]
    assert "项目名称 | 业务培训 | 项目类别 | 经常性项目" in lines
    assert "计划开始日期 | 2022-01-01 | 计划完成日期 | 2022-12-31" in lines
    # the funding label is merged down four rows: the rows below print it empty
    assert "项目资金 （元） | 项目资金总额 | 290000 | 年度资金申请总额 | 290000" in lines
    assert " | 其中：财政资金 | 290000 | 其中：当年财政拨款 | 290000" in lines
    assert "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值" in lines
    assert " | 产出指标 | 数量指标 | 参与培训的基层党组织数量 | >=50家" in lines
    assert " |  | 质量指标 | 党务工作能力 | 提升" in lines
    assert result.stdout == document_text(declaration)
    assert result.stderr == ""


def test_textconv_of_a_narrative(tmp_path):
    project, template = _songjiang("业务培训")
    path = tmp_path / "业务培训-经费说明.docx"
    path.write_bytes(to_bytes(build_narrative(project, template, number=3)))
    result = run_cli("textconv", str(path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "项目经费情况说明3"
    assert "一、项目概述" in lines and "七、绩效目标" in lines


@pytest.mark.parametrize("content,message", [
    (b"project = 1\n", "不是 Word（.docx）文件"),
    (b"", "不是 Word（.docx）文件"),
    (b"PK\x03\x04broken", "不是 Word（.docx）文件"),
])
def test_not_a_docx_is_exit_2_with_a_chinese_message(tmp_path, content, message):
    path = tmp_path / "项目.docx"
    path.write_bytes(content)
    result = run_cli("textconv", str(path))
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.startswith("perfdoc: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_zip_without_a_document_and_missing_files(tmp_path):
    path = tmp_path / "空.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "x")
    result = run_cli("textconv", str(path))
    assert result.returncode == 2 and "没有 word/document.xml" in result.stderr
    result = run_cli("textconv", str(tmp_path / "没有.docx"))
    assert result.returncode == 2 and "找不到文件" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("textconv", str(tmp_path))
    assert result.returncode == 2 and "是一个文件夹" in result.stderr
    bad = tmp_path / "坏.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    result = run_cli("textconv", str(bad))
    assert result.returncode == 2 and "已损坏" in result.stderr and "Traceback" not in result.stderr


def test_document_text_from_bytes_and_errors(declaration):
    data = declaration.read_bytes()
    assert document_text(data) == document_text(declaration) == document_text(str(declaration))
    with pytest.raises(PackageError, match="不是 Word"):
        document_text(b"not a zip")


def _body(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')


def test_cells_merges_tabs_and_breaks():
    tbl = table([1000, 1000, 1000], [
        row([cell(para("甲"), 1000, vmerge="restart"), cell([para("一"), para("二")], 1000),
             cell(para("a\tb\nc"), 1000)]),
        row([cell(para("（续）"), 1000, vmerge="continue"), cell(para(""), 1000), cell(para("x"), 1000)]),
        row([cell(para("合并两格"), 2000, span=2), cell(para("y"), 1000)]),
    ])
    assert body_lines(_body(para("前") + tbl + para("后"))) == [
        "前", "甲 | 一 ¶ 二 | a\tb c", " |  | x", "合并两格 | y", "后",
    ]


def test_revisions_print_like_a_word_diff():
    p = _body(
        '<w:p><w:r><w:t>预算</w:t></w:r>'
        '<w:del w:id="1" w:author="perfdoc" w:date="2000-01-01T00:00:00Z"><w:r><w:delText>29</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="perfdoc" w:date="2000-01-01T00:00:00Z"><w:r><w:t>35</w:t></w:r></w:ins>'
        '<w:r><w:t>万元</w:t></w:r></w:p>')[0]
    assert paragraph_text(p) == "预算[-29-]{+35+}万元"


def test_content_controls_are_read_through():
    xml = f'<w:sdt><w:sdtContent>{para("控件中的段落")}</w:sdtContent></w:sdt>{para("之后")}'
    assert body_lines(_body(xml)) == ["控件中的段落", "之后"]


# -- git diff end to end -------------------------------------------------------------------

def _git_env(home: Path, bin_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "perfdoc test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "perfdoc test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_PAGER": "cat", "PAGER": "cat", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
        "PATH": str(bin_dir) + os.pathsep + os.environ.get("PATH", ""),
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def _perfdoc_on_path(bin_dir: Path) -> None:
    """``perfdoc`` on PATH for git, running this interpreter's perfdoc."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "perfdoc"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m perfdoc "$@"\n', "utf-8")
    shim.chmod(0o755)


def test_git_diff_shows_the_changed_line(tmp_path):
    if os.name == "nt":
        pytest.skip("the textconv shim is a POSIX shell script")
    need_git()
    repo = tmp_path / "repo"
    bin_dir = tmp_path / "bin"
    _perfdoc_on_path(bin_dir)
    env = _git_env(tmp_path, bin_dir)

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        return result.stdout.decode("utf-8")

    shutil.copytree(PROJECTS / "2022-songjiang", repo / "projects" / "2022-songjiang")
    git("init", "-q")
    (repo / ".gitattributes").write_text(GITATTRIBUTES, "utf-8")
    git("config", "diff.perfdoc.textconv", TEXTCONV)
    build = run_cli("build", "projects", "--force", "-o", "out", cwd=repo)
    assert build.returncode == 0, build.stdout + build.stderr
    declaration = repo / "out" / "2022-songjiang" / "业务培训-申报表.docx"
    assert declaration.is_file()
    git("add", "-A")
    git("commit", "-q", "-m", "2022 松江")

    project = repo / "projects" / "2022-songjiang" / "业务培训.toml"
    text = project.read_text("utf-8")
    project.write_text(text.replace('target = ">=50家"', 'target = ">=60家"'), "utf-8")
    build = run_cli("build", "projects", "--force", "-o", "out", cwd=repo)
    assert build.returncode == 0, build.stdout + build.stderr

    diff = git("diff", "--", "out/2022-songjiang/业务培训-申报表.docx")
    lines = diff.splitlines()
    assert "- | 产出指标 | 数量指标 | 参与培训的基层党组织数量 | >=50家" in lines
    assert "+ | 产出指标 | 数量指标 | 参与培训的基层党组织数量 | >=60家" in lines
    assert "Binary files" not in diff
    # only that line changed
    assert [ln for ln in lines if ln[:1] in "+-" and not ln.startswith(("+++", "---"))] == [
        "- | 产出指标 | 数量指标 | 参与培训的基层党组织数量 | >=50家",
        "+ | 产出指标 | 数量指标 | 参与培训的基层党组织数量 | >=60家",
    ]
