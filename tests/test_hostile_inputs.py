"""Hostile inputs that cannot be committed as files (issue 11, classes 2, 3 and 5).

A project file or department.toml that is a FIFO, a device, a folder, a link out of
the department folder, a file whose name is not UTF-8; numbers that would take
minutes to compute with; control characters that would steer the terminal; old-Mac
line ends, invisible and bidi-reversed names, NFC/NFD twins.  Each is made in a
temporary folder, ``python -m perfdoc`` runs on it, and the test checks what the
corpus runner checks (exit code, the Chinese line at file:line, no traceback, inputs
unchanged) plus what the class promises: nothing read from a FIFO or a device, no
secret printed, no raw control character on the terminal.  A generous timeout turns
a hang into a failure; no test asserts speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import tomli

from perfdoc.cli.report import terminal_safe
from perfdoc.load import load_paths, load_project_text
from perfdoc.model import Money, MoneyError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "bad_inputs"
VALID = CORPUS / "valid" / "测试项目.toml"
DEPARTMENT = '[department]\nname = "测试单位"\nauthority = "测试主管部门"\nyear = 2026\n'
SECRET = 'password = "hunter2-机密"\n'
TIMEOUT = 60  # seconds: a correctness guard against hanging, far above any real run

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_devices = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


# -- running ---------------------------------------------------------------------------------

@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def perfdoc(cwd: Path, *args: str) -> Run:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "perfdoc", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape", timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"perfdoc {' '.join(args)}: no answer within {TIMEOUT} s")
    run = Run(proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in run.output, run.output
    return run


def _snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: a hash for a regular file, the target of a link, the kind of
    anything else (a FIFO or a device is never opened here)."""
    found: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            key = os.fsencode(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[key] = ("other", stat.S_IFMT(info.st_mode))
    return found


def _department(root: Path, project: str | None = None) -> Path:
    """``root/2026-测试`` with department.toml and 测试项目.toml (the valid base, or ``project``)."""
    dep = root / "2026-测试"
    dep.mkdir()
    (dep / "department.toml").write_text(DEPARTMENT, "utf-8")
    (dep / "测试项目.toml").write_text(project if project is not None else VALID.read_text("utf-8"), "utf-8")
    return dep


def _valid_with(old: str, new: str) -> str:
    text = VALID.read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1)


# -- 2. input files that are not files ------------------------------------------------------------

def _fifo(dep: Path, name: str) -> None:
    if (dep / name).exists():
        (dep / name).unlink()
    os.mkfifo(dep / name)


def _link(dep: Path, name: str, target: str) -> None:
    if (dep / name).exists():
        (dep / name).unlink()
    (dep / name).symlink_to(target)


def _folder(dep: Path, name: str) -> None:
    if (dep / name).exists():
        (dep / name).unlink()
    (dep / name).mkdir()
    (dep / name / "x.toml").write_text(SECRET, "utf-8")


_NOT_FILES = {
    "fifo_project": (needs_fifo, lambda dep: _fifo(dep, "管道.toml"),
                     "2026-测试/管道.toml:1:1: 错误 PD005 这是一个命名管道（FIFO），不是普通文件，不会读取"),
    "fifo_department": (needs_fifo, lambda dep: _fifo(dep, "department.toml"),
                        "2026-测试/department.toml:1:1: 错误 PD005 这是一个命名管道（FIFO），不是普通文件，不会读取"),
    "dev_zero_project": (needs_devices, lambda dep: _link(dep, "零.toml", "/dev/zero"),
                         "2026-测试/零.toml:1:1: 错误 PD005 这是一个设备文件，不是普通文件，不会读取"),
    "dev_urandom_department": (needs_devices, lambda dep: _link(dep, "department.toml", "/dev/urandom"),
                               "2026-测试/department.toml:1:1: 错误 PD005 这是一个设备文件，不是普通文件，不会读取"),
    "folder_project": (None, lambda dep: _folder(dep, "文件夹.toml"),
                       "2026-测试/文件夹.toml:1:1: 错误 PD006 这是一个文件夹，不是 TOML 文件"),
    "folder_department": (None, lambda dep: _folder(dep, "department.toml"),
                          "2026-测试/department.toml:1:1: 错误 PD006 这是一个文件夹，不是 TOML 文件"),
    "link_to_secret_project": (None, lambda dep: _link(dep, "秘密.toml", "../secret.toml"),
                               "2026-测试/秘密.toml:1:1: 错误 PD005 这是一个指向单位文件夹以外的符号链接，不会读取；"
                               "请把文件本身放进单位文件夹"),
    "link_to_secret_department": (None, lambda dep: _link(dep, "department.toml", "../secret.toml"),
                                  "2026-测试/department.toml:1:1: 错误 PD005 这是一个指向单位文件夹以外的符号链接，"
                                  "不会读取；请把文件本身放进单位文件夹"),
    "dangling_link": (None, lambda dep: _link(dep, "断链.toml", "不存在.toml"),
                      "2026-测试/断链.toml:1:1: 错误 PD005 无法读取文件：文件不存在（或是指向不存在文件的符号链接）"),
    "link_loop": (None, lambda dep: _link(dep, "循环.toml", "循环.toml"),
                  "2026-测试/循环.toml:1:1: 错误 PD005 无法读取文件：符号链接循环（链接指向自己）"),
}


#: build and score read through the same loader: a few kinds are enough to show it.
_ALSO_BUILD_AND_SCORE = ("fifo_project", "dev_urandom_department", "link_to_secret_project")


def _not_file_params():
    for name, (mark, make, line) in _NOT_FILES.items():
        for command in ("check", "build", "score") if name in _ALSO_BUILD_AND_SCORE else ("check",):
            yield pytest.param(make, line, command, id=f"{command}-{name}", marks=[mark] if mark else [])


@pytest.mark.parametrize("make, expected, command", list(_not_file_params()))
def test_input_that_is_not_a_file(tmp_path, make, expected, command):
    """Refused at once with exit 2 and a Chinese line at file:1:1; nothing read, nothing changed."""
    (tmp_path / "secret.toml").write_text(SECRET, "utf-8")
    dep = _department(tmp_path)
    make(dep)
    before = _snapshot(tmp_path)
    args = {"check": ["check", "2026-测试"], "build": ["build", "2026-测试", "-o", "out"],
            "score": ["score", "2026-测试"]}[command]
    run = perfdoc(tmp_path, *args)
    assert run.returncode == 2, run.output
    assert expected in run.output.splitlines(), run.output
    assert "hunter2" not in run.output and "password" not in run.output, run.output
    after = _snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(b"out")} == before


@needs_fifo
def test_fifo_named_on_the_command_line(tmp_path):
    dep = _department(tmp_path)
    os.mkfifo(dep / "管道.toml")
    run = perfdoc(tmp_path, "check", "2026-测试/管道.toml")
    assert run.returncode == 2
    assert "2026-测试/管道.toml:1:1: 错误 PD005 这是一个命名管道（FIFO），不是普通文件，不会读取" in run.stdout.splitlines()


def test_secret_link_never_printed_in_json(tmp_path):
    (tmp_path / "secret.toml").write_text(SECRET, "utf-8")
    dep = _department(tmp_path)
    (dep / "秘密.toml").symlink_to("../secret.toml")
    run = perfdoc(tmp_path, "check", "--format", "json", "2026-测试")
    assert run.returncode == 2
    assert "hunter2" not in run.output
    [problem] = [p for p in json.loads(run.stdout)["problems"] if p["code"] == "PD005"]
    assert problem["file"] == "2026-测试/秘密.toml"


def test_link_inside_the_folder_is_read(tmp_path):
    """A link to a file inside the department folder is an ordinary project file."""
    dep = _department(tmp_path)
    (dep / "存档").mkdir()
    (dep / "存档" / "另一个项目.toml").write_text(_valid_with('name = "测试项目"', 'name = "另一个项目"'), "utf-8")
    (dep / "另一个项目.toml").symlink_to("存档/另一个项目.toml")
    run = perfdoc(tmp_path, "check", "2026-测试")
    assert run.returncode == 0, run.output
    assert run.stdout.splitlines()[-1] == "未发现问题（检查了 2 个项目）。"


def test_file_name_not_utf8(tmp_path):
    """Reported with the undecodable byte escaped (``\\xff``), never a UnicodeEncodeError."""
    dep = _department(tmp_path)
    name = os.fsencode(dep) + b"/bad\xff.toml"
    with open(name, "wb") as f:
        f.write(_valid_with("total = 100000", "total = -5").encode("utf-8"))
    run = perfdoc(tmp_path, "check", "2026-测试")
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    assert "2026-测试/bad\\xff.toml:10:9: 错误 PD002 funding.total（项目资金总额）：金额不能为负数（-5）" in lines
    assert "   10 | total = -5" in lines
    run = perfdoc(tmp_path, "check", "--format", "json", "2026-测试")
    doc = json.loads(run.stdout)
    assert [p["file"] for p in doc["problems"]] == ["2026-测试/bad\udcff.toml"]


# -- 3. numbers that never finish ---------------------------------------------------------------

@pytest.mark.parametrize("args, stream", [
    (["check", "2026-测试"], "stdout"),
    (["score", "2026-测试"], "stderr"),
    (["build", "2026-测试", "-o", "out"], "stdout"),
])
def test_tiny_exponent_weight_is_refused_at_its_line(tmp_path, args, stream):
    """A weight of 1e-999999999 once made check, score and build compute for minutes."""
    project = (CORPUS / "projects" / "number_weight_tiny_exponent.toml").read_text("utf-8")
    _department(tmp_path, project)
    run = perfdoc(tmp_path, *args)
    assert run.returncode == 2, run.output
    assert ("2026-测试/测试项目.toml:28:10: 错误 PD002 indicators[1].weight（分值（自评时填写））："
            "分值最多两位小数（表上印两位），而不是 1E-999999999") in getattr(run, stream).splitlines()


def test_minus_zero_prints_as_zero():
    assert Money.parse(Decimal("-0")).format() == "0.00"
    assert Money.parse(Decimal("-0.00"), "万元").format("万元") == "0.00"
    assert Money.parse("-0").format("元", places=0) == "0"
    assert Money(Decimal("-0")).format() == "0.00"


def test_amount_is_printed_exactly_never_rounded():
    """29.205 万元 is 292,050.00 元 exactly; printed in 万元 it keeps its third place."""
    amount = Money.parse(Decimal("29.205"), "万元")
    assert amount.format("元") == "292,050.00"
    assert amount.format("万元") == "29.205"
    assert Money.parse(Decimal("1020000.50")).format("元", separators=False, places=0) == "1020000.50"
    assert Money.parse(1020000).format("元", separators=False, places=0) == "1020000"
    assert Money.parse(Decimal("98.7"), "万元").format("万元") == "98.70"


@pytest.mark.parametrize("value, unit", [
    (Decimal("100000.0000000000000000000000000000001"), "元"),  # 37 digits: once rounded to 28 and accepted
    (Decimal("1e-999999999"), "元"),
    (Decimal("10.0000001"), "万元"),
    ("1,2,3", "元"),
    ("１２３", "元"),
    ("١٢٣", "元"),
    ("𝟏𝟐𝟑", "元"),
])
def test_amounts_refused(value, unit):
    with pytest.raises(MoneyError):
        Money.parse(value, unit)


# -- 5. what reaches the terminal -----------------------------------------------------------------

def _check_one(tmp_path: Path, text: str, *extra: str) -> Run:
    _department(tmp_path, text)
    return perfdoc(tmp_path, "check", *extra, "2026-测试")


def test_escape_in_a_quoted_key_is_shown_escaped(tmp_path):
    run = _check_one(tmp_path, _valid_with("[funding]\n", '[funding]\n"\\u001b]0;pwned\\u0007" = 1\n'))
    assert "\x1b" not in run.output and "\x07" not in run.output
    assert ("2026-测试/测试项目.toml:10:1: 警告 PD004 未知的键“\\x1b]0;pwned\\x07”（[funding] 中可用的键：unit、total、"
            "total_fiscal、total_other、annual、annual_appropriation、annual_carryover、annual_other）"
            ) in run.stdout.splitlines()
    run = perfdoc(tmp_path, "check", "--format", "json", "2026-测试")
    assert "\x1b" not in run.stdout and "\\u001b]0;pwned\\u0007" in run.stdout
    [problem] = [p for p in json.loads(run.stdout)["problems"] if p["code"] == "PD004"]
    assert problem["message"].startswith("未知的键“\x1b]0;pwned\x07”")


def test_control_characters_in_a_comment_are_shown_escaped(tmp_path):
    run = _check_one(tmp_path, _valid_with("[funding]\n", "[funding]\n# 说明 \x1b]0;pwned\x07\n"))
    assert run.returncode == 2
    assert "\x1b" not in run.output and "\x07" not in run.output
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:10:6: 错误 PD001 TOML 语法错误：含有不允许的字符 U+001B（注释和字符串中不能有控制字符）")
    assert lines[at + 1:at + 3] == ["   10 | # 说明 \\x1b]0;pwned\\x07", "      |        ^"]


def test_c1_control_in_an_excerpt_is_shown_escaped(tmp_path):
    """U+009B (CSI) is allowed in a TOML comment, but never sent to the terminal raw."""
    run = _check_one(tmp_path, _valid_with("total = 100000", "total = -1 # \x9b31m"))
    assert "\x9b" not in run.output
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:10:9: 错误 PD002 funding.total（项目资金总额）：金额不能为负数（-1）")
    assert lines[at + 1] == "   10 | total = -1 # \\x9b31m"


def test_escape_in_an_amount_is_shown_escaped(tmp_path):
    run = _check_one(tmp_path, _valid_with("total = 100000", 'total = "\\u001b[2J100"'))
    assert "\x1b" not in run.output
    assert ("2026-测试/测试项目.toml:10:9: 错误 PD002 funding.total（项目资金总额）：“\\x1b[2J100”不是金额"
            "（应写作 1020000、\"4,483,000.00\" 之类）") in run.stdout.splitlines()


def test_long_key_is_cut_in_the_message(tmp_path):
    run = _check_one(tmp_path, _valid_with("[funding]\n", "[funding]\n" + "k" * 5000 + " = 1\n"))
    [line] = [ln for ln in run.stdout.splitlines() if " PD004 " in ln]
    assert line == ("2026-测试/测试项目.toml:10:1: 警告 PD004 未知的键“" + "k" * 80 + "…”（[funding] 中可用的键："
                    "unit、total、total_fiscal、total_other、annual、annual_appropriation、annual_carryover、annual_other）")


def test_excerpt_of_a_long_line_shows_the_fault(tmp_path):
    """A fault past the 160th column: the excerpt is the part of the line around it."""
    run = _check_one(tmp_path, _valid_with("total = 100000", "total = 100000" + " " * 300 + "x"))
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:10:315: 错误 PD001 TOML 语法错误：一行只能写一个键值对（值后面多了内容）")
    assert lines[at + 1] == "   10 | …" + " " * 80 + "x"
    assert lines[at + 2] == "      | " + " " * 81 + "^"


def test_old_mac_line_ends_count_lines(tmp_path):
    text = _valid_with("total = 100000", "total = -1").replace("\n", "\r")
    run = _check_one(tmp_path, text)
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:10:9: 错误 PD002 funding.total（项目资金总额）：金额不能为负数（-1）")
    assert lines[at + 1:at + 3] == ["   10 | total = -1", "      |         ^"]


def test_old_mac_file_without_faults_loads(tmp_path):
    run = _check_one(tmp_path, VALID.read_text("utf-8").replace("\n", "\r"))
    assert run.returncode == 0, run.output


def test_name_of_only_zero_width_characters_is_empty(tmp_path):
    run = _check_one(tmp_path, _valid_with('name = "测试项目"', 'name = "\u200b\u200d\ufeff"'))
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:2:8: 错误 PD002 project.name（项目名称）：项目名称不能为空")
    assert lines[at + 1] == '    2 | name = "\\u200b\\u200d\\ufeff"'


def test_right_to_left_override_in_a_name(tmp_path):
    run = _check_one(tmp_path, _valid_with('name = "测试项目"', 'name = "测试\u202eexe.cod"'))
    assert run.returncode == 2
    assert "\u202e" not in run.output
    lines = run.stdout.splitlines()
    at = lines.index("2026-测试/测试项目.toml:2:8: 错误 PD002 project.name（项目名称）：文字中含有双向文字控制符 U+202E"
                     "（第 3 个字符），它使文字显示的顺序与实际不同，请删除")
    assert lines[at + 1] == '    2 | name = "测试\\u202eexe.cod"'


def test_nfc_and_nfd_file_names_are_one_name(tmp_path):
    dep = _department(tmp_path)
    shutil.move(dep / "测试项目.toml", dep / "Cafe\u0301.toml")
    (dep / "Caf\u00e9.toml").write_text(_valid_with('name = "测试项目"', 'name = "咖啡"'), "utf-8")
    run = perfdoc(tmp_path, "check", "2026-测试")
    assert run.returncode == 2
    assert ("2026-测试/Caf\u00e9.toml:1:1: 错误 PD006 文件名与 Cafe\u0301.toml 只是 Unicode 写法不同（NFC 与 NFD），"
            "在 macOS 上是同一个文件；请只保留一个") in run.stdout.splitlines()


def test_project_key_is_nfc(tmp_path):
    dep = _department(tmp_path)
    shutil.move(dep / "测试项目.toml", dep / "Cafe\u0301.toml")
    [project] = load_paths([dep]).projects
    assert project.key == "Caf\u00e9"


def test_names_are_nfc():
    project, _ = load_project_text(_valid_with('name = "测试项目"', 'name = "Cafe\u0301项目"'))
    assert project.model.project.name == "Caf\u00e9项目"


def test_terminal_safe():
    assert terminal_safe("a\x1b[31mb\x07\x9b\u202e\u200b\udcff\n") == "a\\x1b[31mb\\x07\\x9b\\u202e\\u200b\\xff\\n"
    assert terminal_safe("项目名称：党群服务站（≥95%）") == "项目名称：党群服务站（≥95%）"


# -- every TOML parser message in Chinese, at its line ------------------------------------------------

#: A document for each message tomli raises.
_TOML_ERRORS = [
    "a = 1\n\x01", "a = 1 b", "a = '''x", "# \x1b", "[a]\n[a]", "a = 1\na = 2", "a = 1\n[a]", "[a\nb = 1",
    "a = [1]\n[[a]]", "[[a]\nb = 1", "[a.b]\n[a]\nb.c = 1", "a = {b = 1}\na.c = 2", "a 1", "a.@ = 1",
    "a = [1, 2\nb = 3", "a = {b = {c = 1}, b.d = 2}", "a = {b = 1, b.c = 2}", "a = {b = 1, b = 2}",
    "a = {b = 1\n", 'a = "x\\ y"', 'a = "\\uZZZZ"', 'a = "\\uD800"', 'a = """x', 'a = "x\x01"',
    "a = 2026-02-30", "a = x", "a = 'x", "a = 1\na.b = 2", 'a = """x\\ y"""', "a = 'x\nb = 1\n'",
]


def _tomli_templates() -> list[str]:
    """The fixed part (up to the first ``{``) of every message in tomli's parser source."""
    source = Path(tomli.__file__).with_name("_parser.py")
    if not source.exists():
        pytest.skip("tomli without its Python source")
    found = re.findall(r'TOMLDecodeError\(\s*f?"([^"]*)"', source.read_text("utf-8"))
    return sorted({text.split("{")[0].replace("\\\\", "\\") for text in found})


def test_every_toml_message_is_chinese():
    english = set()
    for text in _TOML_ERRORS:
        try:
            tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            english.add(exc.msg)
        else:
            pytest.fail(f"valid TOML: {text!r}")
        _, problems = load_project_text(text)
        [problem] = problems
        assert problem.code == "PD001"
        assert problem.message.startswith("TOML 语法错误："), problem.message
        message = re.sub(r"U\+[0-9A-F]{4,6}", "", problem.message)  # a character named by its code
        words = "".join(ch if ch.isascii() and ch.isalpha() else " " for ch in message).split()
        # names (TOML, Unicode), the example “name = "项目名称"”, the escapes \u \U, the keys above
        assert set(words) <= {"TOML", "Unicode", "name", "u", "U", "a", "b", "c", "d"}, problem.message
    for template in _tomli_templates():  # every message tomli has is produced above
        assert any(msg.startswith(template) for msg in english), f"no input gives tomli's “{template}”"


@pytest.mark.parametrize("text, line", [
    ("a = 1\n\n" + ".".join(["k"] * 5000) + " = 1\n", 3),
    ("a = 1\n\n[" + ".".join(["k"] * 5000) + "]\n", 3),
    ("a = 1\nb = [{" + ".".join(["k"] * 2000) + " = 1}]\n", 2),
    ("a = 1\nb = [[1]]\nc = " + "[" * 500 + "]" * 500 + "\n", 3),
])
def test_deep_keys_and_nesting_at_their_line(text, line):
    _, problems = load_project_text(text)
    [problem] = problems
    assert (problem.code, problem.line) == ("PD001", line), problem
    assert unicodedata.normalize("NFC", problem.message) == problem.message
