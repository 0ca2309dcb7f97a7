"""perfdoc next-year: a new budget year from a department folder (issue 7, part 1).

The roll-over changes nothing but years, plan dates, goals.period and the
self-evaluation: comments, key order and the other files survive.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import tomli
from conftest import PROJECTS, run_cli

from perfdoc.check import check_departments
from perfdoc.load import load_department
from perfdoc.nextyear import NextYearError, roll_over, shift_date, shift_date_text
from perfdoc.nextyear import rollover as rollover_module

EXAMPLES = ["2022-songjiang", "2026-hongqiao", "2022-huacao"]


# -- helpers ----------------------------------------------------------------------------

def _copy_example(name: str, tmp_path: Path) -> Path:
    src = tmp_path / "src" / name
    shutil.copytree(PROJECTS / name, src)
    return src


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _key_order(data, prefix: tuple = ()) -> list[tuple]:
    """Every key path in document order (tomli keeps it)."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.append(prefix + (key,))
            out += _key_order(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _key_order(value, prefix + (i,))
    return out


def _read(path: Path) -> dict:
    return tomli.loads(path.read_text("utf-8-sig"), parse_float=Decimal)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def _project(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


BASE = PROJECTS / "2022-songjiang" / "党组织建设.toml"


def _songjiang_with(tmp_path: Path, name: str, text: str) -> Path:
    """The songjiang example plus one extra project file."""
    src = _copy_example("2022-songjiang", tmp_path)
    _project(src, name, text)
    return src


def _multi_year(nature_period: str, start: str, end: str, year: int = 2022) -> str:
    """A copy of 党组织建设 made into a multi-year project."""
    text = BASE.read_text("utf-8")
    text = text.replace("year = 2022\n", f"year = {year}\nnature = \"阶段性项目\"\n", 1)
    text = text.replace("start = 2022-01-01", f"start = {start}").replace("end = 2022-12-31", f"end = {end}")
    return re.sub(r"period = \[2022, 2022\]", f"period = {nature_period}", text)


# -- the example folders ----------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_roll_over(name, tmp_path):
    src = PROJECTS / name
    dst = tmp_path / "next"
    before = _snapshot(src)
    result = roll_over(src, dst)
    assert _snapshot(src) == before  # the source is never touched
    assert result.new_year == result.old_year + 1
    assert not result.left_out

    old, new = load_department(src), load_department(dst)
    assert not new.problems, new.problems
    old_dep, new_dep = old.departments[0], new.departments[0]
    assert new_dep.model.department.year == old_dep.model.department.year + 1
    assert sorted(p.name for p in dst.iterdir()) == sorted(p.name for p in src.iterdir())
    new_by_key = {p.key: p for p in new_dep.projects}
    assert set(new_by_key) == {p.key for p in old_dep.projects}
    for old_p in old_dep.projects:
        new_p = new_by_key[old_p.key]
        assert new_p.model.project.year == old_p.model.project.year + 1
        assert new_p.model.indicators == old_p.model.indicators
        assert new_p.model.narrative == old_p.model.narrative
        assert new_p.model.funding == old_p.model.funding

    # no date or period fault in the new year
    assert not [p for p in check_departments(new.departments) if p.code.startswith("PD2")]

    for path in src.glob("*.toml"):
        old_text, new_text = path.read_text("utf-8"), (dst / path.name).read_text("utf-8")
        assert _comment_lines(new_text) == _comment_lines(old_text), path.name
        old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
        assert len(new_lines) == len(old_lines)
        for a, b in zip(old_lines, new_lines):  # a line changes only in its digits
            assert re.sub(r"\d", "0", a) == re.sub(r"\d", "0", b), (path.name, a, b)
        assert _key_order(_read(dst / path.name)) == _key_order(_read(path)), path.name


#: Each example one year on: the year, the plan dates, the 项目总目标 years (华漕's
#: 2022-2024 programme keeps its period; a one-year one moves with the year).
NEXT_YEAR = {
    "2022-songjiang": (2023, dt.date(2023, 1, 1), dt.date(2023, 12, 31), [2023, 2023]),
    "2026-hongqiao": (2027, dt.date(2027, 1, 1), dt.date(2027, 12, 31), [2027, 2027]),
    "2022-huacao": (2023, dt.date(2023, 1, 1), dt.date(2023, 12, 31), [2022, 2024]),
}


def test_examples_change_only_years_dates_and_periods(tmp_path):
    """What `perfdoc diff SRC DST` will compare: the data, one year on, and nothing else."""
    assert sorted(NEXT_YEAR) == sorted(EXAMPLES)
    for name in EXAMPLES:
        year, start, end, period = NEXT_YEAR[name]
        src, dst = PROJECTS / name, tmp_path / name
        roll_over(src, dst)
        files = sorted(src.glob("*.toml"))
        assert len(files) >= 2
        for path in files:
            old, new = _read(path), _read(dst / path.name)
            if path.name == "department.toml":
                old["department"]["year"] = year
                assert new == old
                continue
            old["project"]["year"] = year
            old["project"]["start"], old["project"]["end"] = start, end
            old["goals"]["period"] = period
            assert new == old, path


def test_huacao_multi_year_period_kept_plan_moved(tmp_path):
    dst = tmp_path / "2023-huacao"
    result = roll_over(PROJECTS / "2022-huacao", dst)
    data = _read(dst / "两新组织党建经费.toml")
    assert data["project"]["year"] == 2023
    assert data["goals"]["period"] == [2022, 2024]
    assert (data["project"]["start"], data["project"]["end"]) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert [r.decision.kind.value for r in result.projects] == ["running"]


# -- self-evaluation ----------------------------------------------------------------------

EVALUATION = '''
[evaluation]
outcome = """1、完成全年党建阵地建设。
2、群团活动按计划开展。"""   # 实际完成情况

[evaluation.funding]                 # 年初预算数, 全年预算数, 全年执行数
total = { initial = 1020000, adjusted = 1020000, executed = 1000000 }
appropriation = { initial = 1020000, adjusted = 1020000, executed = 1000000 }
'''


def _with_evaluation(text: str) -> str:
    """党组织建设 with a self-evaluation: [evaluation] at the end, actual/score/deviation on indicators."""
    lines = text.splitlines(keepends=True)
    out, n = [], 0
    for line in lines:
        out.append(line)
        if line.startswith("target = "):
            n += 1
            out.append('actual = "32家"            # 实际完成值\n')
            if n == 1:
                out.append("score = 8\n")
                out.append('deviation = """\n个别单位活动延期。\n# 不是注释，是正文\n"""\n')
    assert n >= 2
    return "".join(out).rstrip("\n") + "\n" + EVALUATION


def test_evaluation_removed_exactly(tmp_path):
    plain = BASE.read_text("utf-8")
    src = _copy_example("2022-songjiang", tmp_path)
    (src / BASE.name).write_text(_with_evaluation(plain), "utf-8")
    assert not load_department(src).problems
    roll_over(src, tmp_path / "with")
    roll_over(PROJECTS / "2022-songjiang", tmp_path / "without")
    # the file with the evaluation rolls over to exactly the file without it
    assert (tmp_path / "with" / BASE.name).read_bytes() == (tmp_path / "without" / BASE.name).read_bytes()


def test_evaluation_in_the_middle_keeps_the_comment_of_the_next_table(tmp_path):
    text = BASE.read_text("utf-8")
    head, tail = text.split("[narrative]", 1)
    middle = EVALUATION.lstrip("\n") + "\n# 以下为项目经费情况说明\n"
    src = _songjiang_with(tmp_path, "中间自评", head + middle + "[narrative]" + tail)
    result = roll_over(src, tmp_path / "dst")
    new = (tmp_path / "dst" / "中间自评.toml").read_text("utf-8")
    assert "[evaluation" not in new and "实际完成情况" not in new
    assert "# 以下为项目经费情况说明\n[narrative]" in new
    assert "evaluation" not in _read(tmp_path / "dst" / "中间自评.toml")
    assert next(r for r in result.projects if r.key == "中间自评").removed.evaluation


def test_evaluation_as_first_table_keeps_the_comment_of_the_next_table(tmp_path):
    text = BASE.read_text("utf-8")
    head, rest = text.split("[project]", 1)
    first = '[evaluation]\noutcome = "已完成"\n\n# 项目基本信息\n'
    src = _songjiang_with(tmp_path, "首表自评", head + first + "[project]" + rest)
    roll_over(src, tmp_path / "dst")
    new = (tmp_path / "dst" / "首表自评.toml").read_text("utf-8")
    assert new.startswith(head + "# 项目基本信息\n[project]")
    assert "evaluation" not in _read(tmp_path / "dst" / "首表自评.toml")


def test_evaluation_reported(tmp_path):
    src = _copy_example("2022-songjiang", tmp_path)
    (src / BASE.name).write_text(_with_evaluation(BASE.read_text("utf-8")), "utf-8")
    r = run_cli("next-year", str(src), str(tmp_path / "dst"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "删除自评 党组织建设.toml：[evaluation]" in r.stdout
    assert "指标的 actual 6 处、score 1 处、deviation 1 处" in r.stdout


# -- dates ------------------------------------------------------------------------------

def test_shift_dates():
    assert shift_date(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert shift_date(dt.date(2023, 2, 28)) == dt.date(2024, 2, 28)
    assert shift_date(dt.datetime(2024, 2, 29, 8, 30)) == dt.datetime(2025, 2, 28, 8, 30)
    assert shift_date_text("2026-01-01") == "2027-01-01"
    assert shift_date_text("2026.01.01") == "2027.01.01"
    assert shift_date_text("2026.1.1") == "2027.1.1"
    assert shift_date_text("2024年2月29日") == "2025年2月28日"
    assert shift_date_text(" 2024 / 02 / 29 ") == " 2025 / 02 / 28 "


def test_29_february_and_date_styles(tmp_path):
    text = BASE.read_text("utf-8").replace("year = 2022", "year = 2024", 1)
    text = text.replace("start = 2022-01-01", "start = 2024-02-29    # 闰日")
    text = text.replace("end = 2022-12-31", "end = '2024.12.31'")
    text = text.replace("period = [2022, 2022]", "period = [2024, 2024]")
    src = tmp_path / "src"
    src.mkdir()
    (src / "department.toml").write_text(
        (PROJECTS / "2022-songjiang" / "department.toml").read_text("utf-8").replace("year = 2022", "year = 2024"), "utf-8")
    _project(src, "闰年", text)
    _project(src, "字符串日期", text.replace("start = 2024-02-29", 'start = "2024.2.29"').replace(
        "end = '2024.12.31'", 'end = "2024年12月31日"'))
    roll_over(src, tmp_path / "dst")
    leap = (tmp_path / "dst" / "闰年.toml").read_text("utf-8")
    assert "start = 2025-02-28    # 闰日\n" in leap
    assert "end = '2025.12.31'\n" in leap  # literal quotes and dots kept
    strings = (tmp_path / "dst" / "字符串日期.toml").read_text("utf-8")
    assert 'start = "2025.2.28"    # 闰日\n' in strings
    assert 'end = "2025年12月31日"\n' in strings
    loaded = load_department(tmp_path / "dst")
    assert not loaded.problems
    assert not [p for p in check_departments(loaded.departments) if p.code.startswith("PD2")]


def test_datetime_keeps_its_time(tmp_path):
    text = BASE.read_text("utf-8").replace("end = 2022-12-31", "end = 2022-12-31 18:00:00")
    src = _songjiang_with(tmp_path, "带时间", text)
    roll_over(src, tmp_path / "dst")
    assert "end = 2023-12-31 18:00:00\n" in (tmp_path / "dst" / "带时间.toml").read_text("utf-8")


# -- multi-year projects ------------------------------------------------------------------

def test_ended_multi_year_project_left_out_and_included_with_all(tmp_path):
    src = _songjiang_with(tmp_path, "三年工程", _multi_year("[2020, 2022]", "2020-01-01", "2022-12-31"))
    result = roll_over(src, tmp_path / "plain")
    assert [r.key for r in result.left_out] == ["三年工程"]
    assert not (tmp_path / "plain" / "三年工程.toml").exists()
    assert len(result.rolled) == 4

    result = roll_over(src, tmp_path / "all", include_ended=True)
    assert not result.left_out
    data = _read(tmp_path / "all" / "三年工程.toml")
    assert data["project"]["year"] == 2023
    assert data["goals"]["period"] == [2021, 2023]
    assert (data["project"]["start"], data["project"]["end"]) == (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    loaded = load_department(tmp_path / "all")
    assert not loaded.problems
    assert not [p for p in check_departments(loaded.departments) if p.code.startswith("PD2")]


def test_ended_project_in_cli_output(tmp_path):
    src = _songjiang_with(tmp_path, "三年工程", _multi_year("[2020, 2022]", "2020-01-01", "2022-12-31"))
    r = run_cli("next-year", str(src), str(tmp_path / "dst"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "转入 4 个项目，1 个项目未转入" in r.stdout
    assert re.search(r"未转入\s+三年工程\.toml\s+跨年度项目，实施期至 2022 年已结束（加 --all 可一并转入）", r.stdout)
    r = run_cli("next-year", "--all", str(src), str(tmp_path / "dst-all"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "转入 5 个项目" in r.stdout and "请按新的实施期核对" in r.stdout


def test_running_multi_year_whole_period_plan_is_kept(tmp_path):
    """A 阶段性 plan written for the whole period already covers the new year: it stays."""
    src = _songjiang_with(tmp_path, "三年工程", _multi_year("[2021, 2023]", "2021-01-01", "2023-12-31"))
    result = roll_over(src, tmp_path / "dst")
    roll = next(r for r in result.projects if r.key == "三年工程")
    assert roll.included and not roll.decision.move_plan
    data = _read(tmp_path / "dst" / "三年工程.toml")
    assert data["project"]["year"] == 2023
    assert data["goals"]["period"] == [2021, 2023]
    assert (data["project"]["start"], data["project"]["end"]) == (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    loaded = load_department(tmp_path / "dst")
    assert not [p for p in check_departments(loaded.departments) if p.code.startswith("PD2")]


def test_stage_project_without_period_judged_by_its_plan(tmp_path):
    text = _multi_year("[2022, 2022]", "2022-01-01", "2022-12-31").replace("period = [2022, 2022]", "")
    assert "period = [" not in text.split("[narrative]")[0]
    src = _songjiang_with(tmp_path, "阶段性无期", text)
    result = roll_over(src, tmp_path / "dst")
    assert [r.key for r in result.left_out] == ["阶段性无期"]


# -- other files ----------------------------------------------------------------------------

def test_other_files_copied_as_they_are(tmp_path):
    src = _copy_example("2022-songjiang", tmp_path)
    (src / "project.schema.json").write_text('{"title": "项目"}\n', "utf-8")
    (src / "版式").mkdir()
    (src / "版式" / "reference.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (src / "版式" / "texts.toml").write_text("# 不是项目文件\nyear = 2022\n", "utf-8")
    (src / "附件.docx").write_bytes(b"\x00\x01binary")
    (src / ".gitignore").write_text("*.docx~\n", "utf-8")
    os.symlink("附件.docx", src / "附件链接.docx")
    roll_over(src, tmp_path / "dst")
    for rel in ["project.schema.json", "版式/reference.docx", "版式/texts.toml", "附件.docx", ".gitignore"]:
        assert (tmp_path / "dst" / rel).read_bytes() == (src / rel).read_bytes(), rel
    assert os.readlink(tmp_path / "dst" / "附件链接.docx") == "附件.docx"


def test_bom_and_crlf_kept(tmp_path):
    src = _copy_example("2022-songjiang", tmp_path)
    text = BASE.read_text("utf-8").replace("\n", "\r\n")
    (src / BASE.name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    roll_over(src, tmp_path / "dst")
    data = (tmp_path / "dst" / BASE.name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == text.count("\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert b"year = 2023\r\n" in data


# -- refusals -------------------------------------------------------------------------------

def test_dst_not_empty_refused_and_untouched(tmp_path):
    dst = tmp_path / "dst"
    dst.mkdir()
    (dst / "已有.txt").write_text("别动我", "utf-8")
    before = _snapshot(dst)
    r = run_cli("next-year", str(PROJECTS / "2022-songjiang"), str(dst))
    assert r.returncode == 2
    assert "已存在且不是空的" in r.stderr and "Traceback" not in r.stderr
    assert _snapshot(dst) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dst"]


def test_dst_a_file_refused(tmp_path):
    dst = tmp_path / "dst"
    dst.write_text("x", "utf-8")
    with pytest.raises(NextYearError, match="已存在"):
        roll_over(PROJECTS / "2022-songjiang", dst)
    assert dst.read_text("utf-8") == "x"


def test_empty_dst_folder_is_used(tmp_path):
    dst = tmp_path / "dst"
    dst.mkdir()
    roll_over(PROJECTS / "2022-huacao", dst)
    assert _read(dst / "department.toml")["department"]["year"] == 2023


def test_dst_inside_src_refused(tmp_path):
    src = _copy_example("2022-huacao", tmp_path)
    before = _snapshot(src)
    with pytest.raises(NextYearError, match="之内"):
        roll_over(src, src / "2023")
    assert _snapshot(src) == before


def test_src_a_file_refused(tmp_path):
    r = run_cli("next-year", str(PROJECTS / "2022-huacao" / "department.toml"), str(tmp_path / "dst"))
    assert r.returncode == 2
    assert "department.toml:1:1:" in r.stdout and "单位文件夹" in r.stdout
    assert not (tmp_path / "dst").exists()


def test_src_without_department_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "x.toml").write_text("a = 1\n", "utf-8")
    r = run_cli("next-year", str(src), str(tmp_path / "dst"))
    assert r.returncode == 2 and "没有 department.toml" in r.stdout
    assert not (tmp_path / "dst").exists()


def test_src_with_syntax_error_refused(tmp_path):
    src = _copy_example("2022-songjiang", tmp_path)
    path = src / "业务培训.toml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[5] = "year = = 2022\n"
    path.write_text("".join(lines), "utf-8")
    r = run_cli("next-year", str(src), str(tmp_path / "dst"))
    assert r.returncode == 2, r.stdout + r.stderr
    assert re.search(r"业务培训\.toml:6:\d+: 错误 PD001", r.stdout), r.stdout
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "dst").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_year_at_the_limit_refused(tmp_path):
    src = _copy_example("2022-huacao", tmp_path)
    for path in src.glob("*.toml"):
        path.write_text(path.read_text("utf-8").replace("year = 2022", "year = 2100")
                        .replace("2022-", "2100-").replace("[2022, 2024]", "[2100, 2100]"), "utf-8")
    assert not load_department(src).fatal
    with pytest.raises(NextYearError) as info:
        roll_over(src, tmp_path / "dst")
    assert info.value.problems and "上限" in info.value.problems[0].message
    assert not (tmp_path / "dst").exists()


def test_nothing_to_roll_over_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(PROJECTS / "2022-songjiang" / "department.toml", src)
    _project(src, "三年工程", _multi_year("[2020, 2022]", "2020-01-01", "2022-12-31"))
    with pytest.raises(NextYearError, match="--all"):
        roll_over(src, tmp_path / "dst")
    assert not (tmp_path / "dst").exists()


# -- atomicity ------------------------------------------------------------------------------

@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), RuntimeError("boom")])
def test_failure_in_the_middle_leaves_nothing(tmp_path, monkeypatch, error):
    real = rollover_module._write_file
    calls = []

    def failing(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(rollover_module, "_write_file", failing)
    parent = tmp_path / "out" / "deeper"  # missing parents are created, and removed again
    dst = parent / "2023-songjiang"
    with pytest.raises((NextYearError, RuntimeError)):
        roll_over(PROJECTS / "2022-songjiang", dst)
    assert len(calls) == 3
    assert not dst.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_failure_at_verification_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise NextYearError("校验失败")

    monkeypatch.setattr(rollover_module, "_verify", broken)
    with pytest.raises(NextYearError):
        roll_over(PROJECTS / "2022-huacao", tmp_path / "dst")
    assert list(tmp_path.iterdir()) == []


def test_cli_success_output(tmp_path):
    r = run_cli("next-year", "projects/2022-huacao", str(tmp_path / "2023-huacao"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2022 年度 → 2023 年度，转入 1 个项目" in r.stdout
    assert "跨年度项目，实施期 2022年-2024年 未结束，项目总目标年度不变；计划 2023-01-01 至 2023-12-31" in r.stdout
    help_text = run_cli("next-year", "--help").stdout
    assert "--all" in help_text and "顺延一年" in help_text
