"""perfdoc diff: each edit reported exactly once and nothing else; roll-over and rewrites are no change."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PROJECTS, run_cli
from requires import need_git
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdoc.diff.changes import diff_departments
from perfdoc.diff.report import diff_dict, diff_markdown, print_diff
from perfdoc.diff.textdiff import TextSpan, new_text, old_text, text_diff
from perfdoc.load import load_department
from perfdoc.load.texts import load_department_texts
from perfdoc.model import Money

# -- helpers ------------------------------------------------------------------------


def copy(example: str, dst: Path) -> Path:
    return Path(shutil.copytree(PROJECTS / example, dst))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def load(folder: Path):
    loaded = load_department(folder)
    assert not loaded.fatal, loaded.problems
    return loaded.departments[0]


def diff(old: Path, new: Path):
    return diff_departments(load(old), load(new))


def flat(d) -> list[tuple]:
    """Every change of a DepartmentDiff as a comparable tuple (texts by path only)."""
    out: list[tuple] = []
    for c in d.fields:
        out.append(("department", c.path, c.kind, c.old, c.new))
    for p in d.projects:
        if p.status in ("added", "removed"):
            out.append((p.status, p.pair.key))
            assert not p.fields and not p.indicators
            continue
        if p.status == "renamed":
            out.append(("renamed", p.pair.old.key, p.pair.new.key))
        for c in p.fields:
            if c.kind == "text":
                out.append((p.pair.key, c.path, "text"))
            else:
                out.append((p.pair.key, c.path, c.kind, c.old, c.new, c.delta, c.percent))
        for c in p.indicators:
            out.append((p.pair.key, "indicator", c.kind, c.key, c.delta, c.unit))
    return out


def statuses(d) -> dict[str, str]:
    return {p.pair.key: p.status for p in d.projects}


INDICATOR = """
[[indicators]]
level1 = "{level1}"
level2 = "{level2}"
name = "{name}"
target = "{target}"
"""


def add_indicator(path: Path, **fields) -> None:
    text = path.read_text("utf-8")
    block = INDICATOR.format(**fields)
    at = text.index("[narrative]") if "[narrative]" in text else len(text)
    path.write_text(text[:at] + block.lstrip("\n") + "\n" + text[at:], "utf-8")


# -- the songjiang edits ----------------------------------------------------------------


def songjiang_edits(tmp_path: Path) -> tuple[Path, Path]:
    """OLD: the example; NEW: the nine known edits plus same-meaning rewrites."""
    old = copy("2022-songjiang", tmp_path / "old" / "2022-songjiang")
    new = copy("2022-songjiang", tmp_path / "new" / "2022-songjiang")
    dzz = new / "党组织建设.toml"
    # 1. an amount raised: annual and appropriation
    edit(dzz, "annual = 1020000 ", "annual = 1100000 ")
    edit(dzz, "annual_appropriation = 1020000", "annual_appropriation = 1100000")
    # 2. an indicator removed
    edit(dzz, '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "廉政建设"\ntarget = "符合"\n\n', "")
    # 3. an indicator moved to another 二级
    edit(dzz, 'level2 = "时效指标"\nname = "活动开展及时率"', 'level2 = "质量指标"\nname = "活动开展及时率"')
    # 4. a sentence of the narrative edited
    edit(dzz, "党建阵地建设需要全年逐步推进", "党建阵地建设需要在上半年完成")
    xc = new / "宣传与推广.toml"
    # 5. a target changed (and spelled differently)
    edit(xc, 'target = ">=50家"', 'target = "≥60家"')
    # 6. an indicator added
    add_indicator(xc, level1="产出指标", level2="数量指标", name="宣讲场次", target="≥12场")
    # 7. a file renamed
    (new / "业务培训.toml").rename(new / "党务干部培训.toml")
    # 8. a project removed, 9. a project added
    text = (new / "疫情防控.toml").read_text("utf-8")
    (new / "疫情防控.toml").unlink()
    (new / "机关志愿服务.toml").write_text(text.replace('name = "疫情防控"', 'name = "机关志愿服务"'), "utf-8")
    edit(new / "department.toml", 'order = ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]',
         'order = ["党组织建设", "宣传与推广", "党务干部培训", "机关志愿服务"]')
    # same-meaning rewrites: no change
    edit(dzz, 'target = ">=30家"', 'target = "≥30.00(家)"')
    edit(dzz, "total = 1020000 ", 'total = "1,020,000.00" ')
    edit(xc, 'annual = "320000.00"', 'annual = "320,000.00"')
    edit(xc, 'name = "群众满意度"\ntarget = ">=95%"', 'name = "群众 满意度"\ntarget = "≥95.00(%)"')
    return old, new


def test_each_edit_is_reported_exactly_once(tmp_path):
    old, new = songjiang_edits(tmp_path)
    d = diff(old, new)
    m80 = Decimal("80000.00")
    assert sorted(flat(d), key=repr) == sorted([
        ("党组织建设", ("funding", "annual"), "money", Money(1020000), Money(1100000), m80, Decimal("7.84")),
        ("党组织建设", ("funding", "annual_appropriation"), "money", Money(1020000), Money(1100000), m80, Decimal("7.84")),
        ("党组织建设", ("narrative", "budget", "schedule"), "text"),
        ("党组织建设", "indicator", "moved", ("产出指标", "质量指标", "活动开展及时率"), None, ""),
        ("党组织建设", "indicator", "removed", ("产出指标", "质量指标", "廉政建设"), None, ""),
        ("宣传与推广", "indicator", "target", ("产出指标", "数量指标", "基层党组织参与情况"), Decimal(10), "家"),
        ("宣传与推广", "indicator", "added", ("产出指标", "数量指标", "宣讲场次"), None, "场"),
        ("renamed", "业务培训", "党务干部培训"),
        ("added", "机关志愿服务"),
        ("removed", "疫情防控"),
    ], key=repr)
    assert statuses(d) == {"党组织建设": "changed", "宣传与推广": "changed", "党务干部培训": "renamed",
                           "机关志愿服务": "added", "疫情防控": "removed"}
    assert d.counts == {"added": 1, "removed": 1, "renamed": 1, "changed": 2, "unchanged": 0}
    assert (d.old_count, d.new_count) == (4, 4)
    assert d.old_total == Money(1650000) and d.new_total == Money(1730000)
    assert d.total_percent == Decimal("4.85") and d.changed
    # the moved indicator knows where it came from
    moved = next(c for p in d.projects for c in p.indicators if c.kind == "moved")
    assert moved.old_key == ("产出指标", "时效指标", "活动开展及时率")
    # the narrative edit is a character-level diff, not a paragraph replaced
    text = next(c for p in d.projects for c in p.fields if c.kind == "text")
    assert text.label == "六、年度预算安排 · 3.执行计划"
    assert [s for s in text.spans if s.op != "equal"] == [
        TextSpan("delete", "全年逐步推进"), TextSpan("insert", "在上半年完成")]
    assert old_text(text.spans) == text.old and new_text(text.spans) == text.new
    assert text.spans[0] == TextSpan("equal", "根据本项目的实施情况来看，党建阵地建设需要")


def test_same_meaning_rewrites_are_no_change(tmp_path):
    old = copy("2022-songjiang", tmp_path / "a")
    new = copy("2022-songjiang", tmp_path / "b")
    edit(new / "党组织建设.toml", 'target = ">=30家"', 'target = "≥30.00(家)"')
    edit(new / "党组织建设.toml", "total = 1020000 ", 'total = "1,020,000.00" ')
    edit(new / "党组织建设.toml", "annual = 1020000 ", 'annual = "102万元" ')
    edit(new / "宣传与推广.toml", 'annual = "320000.00"', "annual = 320000")
    # blank lines and the spaces around a narrative line do not change what is printed
    edit(new / "党组织建设.toml", 'plan = "项目内容', 'plan = "\\n\\n  项目内容')
    # comments, key order and a default written out are no change
    edit(new / "疫情防控.toml", "[project]", "[project]\n# 一条新注释")
    d = diff(old, new)
    assert flat(d) == [] and not d.changed
    assert d.counts["unchanged"] == 4
    r = run_cli("diff", str(old), str(new), "--no-color")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "没有变化" in r.stdout


def test_hongqiao_edits_and_duplicate_indicators(tmp_path):
    old = copy("2026-hongqiao", tmp_path / "old")
    new = copy("2026-hongqiao", tmp_path / "new")
    # one of a duplicated pair of 三级指标 removed: one removal, the other still matches
    text = (new / "区域化党建.toml").read_text("utf-8")
    block = re.search(r'\[\[indicators\]\]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "工作经费使用合规性"\n'
                      r'target = "[^"]*"[^\n]*\n\n', text)
    (new / "区域化党建.toml").write_text(text[:block.start()] + text[block.end():], "utf-8")
    # a target changed: ≥300.00(节) → ≥320节, +20 节
    edit(new / "党群服务站.toml", 'target = "≥300.00(节)"', 'target = "≥320节"')
    # a name written with a space matches the same indicator
    edit(new / "党群服务站.toml", 'name = "课程开展数"', 'name = "课程 开展数"')
    # a file renamed whose content also changed
    (new / "残保金.toml").rename(new / "残疾人就业保障金.toml")
    edit(new / "残疾人就业保障金.toml", 'annual = "120,000.00"', 'annual = "150,000.00"')
    edit(new / "department.toml", '"残保金"', '"残疾人就业保障金"')
    # a text field of [project] and a date in the same year
    edit(new / "人才系列计划.toml", 'category = "特定目标类"', 'category = "专项资金"')
    edit(new / "人才系列计划.toml", "start = 2026-01-01", "start = 2026-03-01")
    d = diff(old, new)
    import datetime as dt
    assert sorted(flat(d), key=repr) == sorted([
        ("区域化党建", "indicator", "removed", ("产出指标", "质量指标", "工作经费使用合规性"), None, ""),
        ("党群服务站", "indicator", "target", ("产出指标", "数量指标", "课程 开展数"), Decimal(20), "节"),
        ("renamed", "残保金", "残疾人就业保障金"),
        ("残疾人就业保障金", ("funding", "annual"), "money", Money(120000), Money(150000), Decimal(30000), Decimal(25)),
        ("人才系列计划", ("project", "category"), "text"),
        ("人才系列计划", ("project", "start"), "value", dt.date(2026, 1, 1), dt.date(2026, 3, 1), None, None),
    ], key=repr)
    assert d.counts == {"added": 0, "removed": 0, "renamed": 1, "changed": 3, "unchanged": 5}
    cat = next(c for p in d.projects for c in p.fields if c.path == ("project", "category"))
    assert cat.spans == [TextSpan("delete", "特定目标类"), TextSpan("insert", "专项资金")]


def test_order_and_department_changes_are_reported_once(tmp_path):
    old = copy("2022-songjiang", tmp_path / "a")
    new = copy("2022-songjiang", tmp_path / "b")
    edit(new / "department.toml", 'order = ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]',
         'order = ["宣传与推广", "党组织建设", "业务培训", "疫情防控"]')
    edit(new / "department.toml", "budget_units = 1 ", "budget_units = 2 ")
    d = diff(old, new)
    assert flat(d) == [
        ("department", ("department", "budget_units"), "value", 1, 2),
        ("department", ("order",), "value", ["党组织建设", "宣传与推广", "业务培训", "疫情防控"],
         ["宣传与推广", "党组织建设", "业务培训", "疫情防控"]),
    ]
    assert d.changed and d.counts["unchanged"] == 4


def test_evaluation_and_actuals_are_ignored(tmp_path):
    old = copy("2022-songjiang", tmp_path / "a")
    new = copy("2022-songjiang", tmp_path / "b")
    edit(new / "党组织建设.toml", 'target = "=3次"', 'target = "=3次"\nweight = 10\nactual = "4次"\nscore = 10')
    with (new / "党组织建设.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[evaluation]\noutcome = "全部完成。"\n')
    assert flat(diff(old, new)) == []


# -- roll-over --------------------------------------------------------------------------


def roll_over(folder: Path, year: int, everywhere: bool = False) -> None:
    """+1 to every year field, dates +1 year, period +1 (or every "YYYY" in the project files, texts too)."""
    for path in folder.glob("*.toml"):
        text = path.read_text("utf-8")
        if everywhere and path.name != "department.toml":  # not the template's folder name
            text = text.replace(str(year), str(year + 1))
        else:
            text = re.sub(rf"^year = {year}\b", f"year = {year + 1}", text, flags=re.M)
            text = re.sub(rf"^(start|end) = {year}-", rf"\g<1> = {year + 1}-", text, flags=re.M)
            text = re.sub(rf"^period = \[{year}, {year}\]", f"period = [{year + 1}, {year + 1}]", text, flags=re.M)
        path.write_text(text, "utf-8")


@pytest.mark.parametrize("example,year", [("2022-songjiang", 2022), ("2026-hongqiao", 2026)])
@pytest.mark.parametrize("everywhere", [False, True])
def test_roll_over_is_no_change(tmp_path, example, year, everywhere):
    old = copy(example, tmp_path / f"{year}")
    new = copy(example, tmp_path / f"{year + 1}")
    roll_over(new, year, everywhere)
    assert load(new).year == year + 1
    d = diff(old, new)
    assert flat(d) == [] and not d.changed
    r = run_cli("diff", str(old), str(new))
    assert r.returncode == 0, r.stdout + r.stderr


def test_roll_over_keeps_a_multi_year_period_and_still_reports_real_changes(tmp_path):
    old = copy("2022-songjiang", tmp_path / "2022")
    edit(old / "党组织建设.toml", "period = [2022, 2022]", "period = [2022, 2024]")
    new = copy("2022-songjiang", tmp_path / "2023")
    roll_over(new, 2022)
    edit(new / "党组织建设.toml", "period = [2023, 2023]", "period = [2022, 2024]")  # kept
    edit(new / "宣传与推广.toml", "end = 2023-12-31", "end = 2023-06-30")  # a real change
    edit(new / "业务培训.toml", "period = [2023, 2023]", "period = [2023, 2024]")  # a real change
    d = diff(old, new)
    import datetime as dt
    assert flat(d) == [
        ("宣传与推广", ("project", "end"), "value", dt.date(2022, 12, 31), dt.date(2023, 6, 30), None, None),
        ("业务培训", ("goals", "period"), "value", (2022, 2022), (2023, 2024), None, None),
    ]


def test_same_year_year_and_date_changes_are_changes(tmp_path):
    old = copy("2022-songjiang", tmp_path / "a")
    new = copy("2022-songjiang", tmp_path / "b")
    edit(new / "疫情防控.toml", "end = 2022-12-31", "end = 2023-12-31")
    d = diff(old, new)
    assert [c[1] for c in flat(d)] == [("project", "end")]


# -- text diff ----------------------------------------------------------------------------


def test_text_diff_keeps_numbers_whole_and_reads_as_phrases():
    spans = text_diff("整个项目预算为102万，其中党建阵地建设预算56万。", "整个项目预算为112万，其中党建阵地建设预算60万。")
    assert [s for s in spans if s.op != "equal"] == [
        TextSpan("delete", "102"), TextSpan("insert", "112"), TextSpan("delete", "56"), TextSpan("insert", "60")]
    # a single shared character between two edits is folded into them
    assert text_diff("全面贯彻党的十九大和十九届历次全会精神", "全面贯彻党的二十大精神") == [
        TextSpan("equal", "全面贯彻党的"), TextSpan("delete", "十九大和十九届历次全会"),
        TextSpan("insert", "二十大"), TextSpan("equal", "精神")]
    assert text_diff("", "新") == [TextSpan("insert", "新")]
    assert text_diff("同", "同") == [TextSpan("equal", "同")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="党建工作经费预算万元年月12，。\n ab", max_size=60),
       st.text(alphabet="党建工作经费预算万元年月12，。\n ab", max_size=60))
def test_text_diff_spans_rebuild_both_texts(a, b):
    spans = text_diff(a, b)
    assert old_text(spans) == a and new_text(spans) == b
    assert all(s.text for s in spans)
    assert all(x.op != y.op for x, y in zip(spans, spans[1:]))


def test_text_diff_of_long_texts_is_exact():
    a = "\n".join(f"第{i}段：依据年度工作计划，保障党群服务阵地正常运行，开展各类主题活动。" * 3 for i in range(200))
    b = a.replace("第50段", "第五十段").replace("主题活动。\n第120段", "主题党日活动。\n第120段")
    spans = text_diff(a, b)
    assert old_text(spans) == a and new_text(spans) == b
    assert [s.text for s in spans if s.op != "equal"] == ["50", "五十"] * 3 + ["党日"]


# -- outputs -------------------------------------------------------------------------------


def test_json_output(tmp_path):
    old, new = songjiang_edits(tmp_path)
    r = run_cli("diff", str(old), str(new), "--format", "json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["changed"] is True and doc["version"] == 1
    assert doc["counts"] == {"added": 1, "removed": 1, "renamed": 1, "changed": 2, "unchanged": 0}
    assert doc["old"]["total"] == "1650000.00" and doc["new"]["total"] == "1730000.00"
    assert doc["old"]["year"] == 2022 and doc["old"]["projects"] == 4
    assert doc["total_delta"] == "80000.00" and doc["total_percent"] == "4.85"
    projects = {p["key"]: p for p in doc["projects"]}
    dzz = projects["党组织建设"]
    annual = next(f for f in dzz["fields"] if f["path"] == ["funding", "annual"])
    assert annual == {"path": ["funding", "annual"], "label": "年度资金申请总额", "kind": "money",
                      "old": "1020000.00", "new": "1100000.00", "delta": "80000.00", "percent": "7.84", "spans": None}
    text = next(f for f in dzz["fields"] if f["kind"] == "text")
    assert ["delete", "全年逐步推进"] in text["spans"] and ["insert", "在上半年完成"] in text["spans"]
    kinds = {(i["kind"], i["key"][2]) for i in dzz["indicators"]}
    assert kinds == {("moved", "活动开展及时率"), ("removed", "廉政建设")}
    moved = next(i for i in dzz["indicators"] if i["kind"] == "moved")
    assert moved["old_key"] == ["产出指标", "时效指标", "活动开展及时率"]
    target = projects["宣传与推广"]["indicators"][0]
    assert target["kind"] == "target" and target["delta"] == "10" and target["unit"] == "家"
    assert target["old"]["target"] == ">=50家" and target["new"]["target"] == "≥60家"
    assert projects["党务干部培训"]["status"] == "renamed" and projects["党务干部培训"]["old_key"] == "业务培训"
    assert projects["机关志愿服务"]["status"] == "added" and projects["机关志愿服务"]["old_key"] is None
    assert projects["疫情防控"]["status"] == "removed" and projects["疫情防控"]["old_annual"] == "20000.00"
    # the Python-side dict is the same data
    assert diff_dict(diff(old, new))["counts"] == doc["counts"]


def test_markdown_output(tmp_path):
    old, new = songjiang_edits(tmp_path)
    r = run_cli("diff", str(old), str(new), "--format", "markdown")
    assert r.returncode == 1, r.stderr
    md = r.stdout
    assert md.startswith("## 项目绩效文档变化：")
    assert "| 项目数 | 4 | 4 | +0 |" in md
    assert "| 年度资金申请总额（元） | 1,650,000.00 | 1,730,000.00 | +80,000.00（+4.85%） |" in md
    assert "### 修改：党组织建设（党组织建设.toml）" in md
    assert "### 改名：业务培训（文件 业务培训.toml → 党务干部培训.toml）" in md
    assert "### 新增：机关志愿服务（机关志愿服务.toml）" in md
    assert "### 删除：疫情防控（疫情防控.toml）" in md
    assert "| 年度资金申请总额 | 1,020,000.00 | 1,100,000.00 | +80,000.00 | +7.84% |" in md
    assert "~~全年逐步推进~~<ins>在上半年完成</ins>" in md
    assert "| 移动 | 产出指标 / 时效指标 → 产出指标 / 质量指标 | 活动开展及时率 |" in md
    assert "| 指标值 | 产出指标 / 数量指标 | 基层党组织参与情况 | >=50家 | ≥60家 | +10 家 |" in md.replace("\\>", ">")
    assert "未变" in md


def test_markdown_escapes_and_punctuation():
    from perfdoc.diff.markdown import _md_spans

    spans = [TextSpan("equal", "a*b|c "), TextSpan("delete", "“旧”"), TextSpan("insert", "新_1")]
    out = _md_spans(spans)
    assert out == "a\\*b\\|c <del>“旧”</del><ins>新\\_1</ins>"


def test_terminal_output_plain_and_coloured(tmp_path):
    old, new = songjiang_edits(tmp_path)
    r = run_cli("diff", str(old), str(new), "--no-color")
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert "\x1b" not in out
    assert out.index("项目数") < out.index("【修改】党组织建设")  # the summary first
    assert "新增 1 · 删除 1 · 改名 1 · 修改 2 · 未变 0" in out
    assert "年度资金申请总额：1,020,000.00 → 1,100,000.00 元（+80,000.00，+7.84%）" in out
    assert "[-全年逐步推进-]{+在上半年完成+}" in out
    assert "↷ 移动指标  活动开展及时率：产出指标 / 时效指标 → 产出指标 / 质量指标" in out
    assert "~ 指标值  产出指标 / 数量指标 / 基层党组织参与情况：>=50家 → ≥60家（+10 家）" in out
    assert "- 删除指标  产出指标 / 质量指标 / 廉政建设：符合" in out
    assert "+ 新增指标  产出指标 / 数量指标 / 宣讲场次：≥12场" in out
    assert "【改名】业务培训（文件 业务培训.toml → 党务干部培训.toml）" in out
    # stdout is a pipe here: no colour by default either
    r = run_cli("diff", str(old), str(new))
    assert "\x1b" not in r.stdout and "{+在上半年完成+}" in r.stdout
    r = run_cli("diff", str(old), str(new), "--color")
    assert "\x1b[" in r.stdout and "{+" not in r.stdout


def test_print_diff_to_a_stream(tmp_path):
    import io

    old, new = songjiang_edits(tmp_path)
    buf = io.StringIO()
    print_diff(diff(old, new), buf, color=False)
    assert "【新增】机关志愿服务" in buf.getvalue()
    assert "### 删除：疫情防控" in diff_markdown(diff(old, new))


# -- CLI errors ------------------------------------------------------------------------------


def test_usage_and_input_errors(tmp_path):
    r = run_cli("diff", "projects/2022-songjiang")
    assert r.returncode == 2 and "--rev" in r.stderr
    r = run_cli("diff", "projects/2022-songjiang", "projects/2022-huacao", "--rev", "HEAD")
    assert r.returncode == 2 and "不能同时使用" in r.stderr
    r = run_cli("diff", "projects/2022-songjiang", str(tmp_path / "missing"))
    assert r.returncode == 2 and "路径不存在" in r.stderr and "Traceback" not in r.stderr
    broken = copy("2022-songjiang", tmp_path / "broken")
    edit(broken / "党组织建设.toml", "annual = 1020000 ", "annual = [1020000] ")
    r = run_cli("diff", "projects/2022-songjiang", str(broken))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "党组织建设.toml:" in r.stderr and "PD002" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_docx_option(tmp_path):
    pytest.importorskip("perfdoc.diff.docx_report")
    old, new = songjiang_edits(tmp_path)
    out = tmp_path / "比较.docx"
    r = run_cli("diff", str(old), str(new), "--docx", str(out), "--format", "json")
    assert r.returncode == 1, r.stderr
    assert out.read_bytes()[:2] == b"PK"
    json.loads(r.stdout)


# -- --rev -----------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    need_git()
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    copy("2022-songjiang", repo / "projects" / "2022-songjiang")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example")
    edit(repo / "projects" / "2022-songjiang" / "党组织建设.toml", "annual = 1020000 ", "annual = 1100000 ")
    git(repo, "commit", "-q", "-am", "raise the amount")
    # and an edit not yet committed: the work tree is NEW
    edit(repo / "projects" / "2022-songjiang" / "宣传与推广.toml", "按照年度计划每季度推进", "按照年度计划每月推进")
    return repo


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_rev_compares_the_work_tree_with_a_revision(repo):
    folder = repo / "projects" / "2022-songjiang"
    before, status = _snapshot(folder), git(repo, "status", "--porcelain")
    r = run_cli("diff", "projects/2022-songjiang", "--rev", "HEAD~1", "--format", "json", cwd=repo)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["old"]["path"] == "HEAD~1:projects/2022-songjiang"
    changes = [(p["key"], f["path"]) for p in doc["projects"] for f in p["fields"]]
    assert changes == [("党组织建设", ["funding", "annual"]), ("宣传与推广", ["narrative", "budget", "schedule"])]
    r = run_cli("diff", "projects/2022-songjiang", "--rev", "HEAD", "--no-color", cwd=repo)
    assert r.returncode == 1, r.stderr
    assert "[-季度-]{+月+}" in r.stdout and "1,100,000.00" not in r.stdout
    # from inside the folder, with a relative path
    r = run_cli("diff", ".", "--rev", "HEAD~1", "--format", "json", cwd=folder)
    assert r.returncode == 1 and json.loads(r.stdout)["counts"]["changed"] == 2
    # the work tree, the index and HEAD untouched
    assert _snapshot(folder) == before and git(repo, "status", "--porcelain") == status
    git(repo, "checkout", "-q", "--", ".")
    r = run_cli("diff", "projects/2022-songjiang", "--rev", "HEAD", cwd=repo)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rev_errors(repo, tmp_path):
    r = run_cli("diff", "projects/2022-songjiang", "--rev", "no-such-branch", cwd=repo)
    assert r.returncode == 2 and "未知的 git 版本“no-such-branch”" in r.stderr and "Traceback" not in r.stderr
    copy("2026-hongqiao", repo / "projects" / "2026-hongqiao")
    r = run_cli("diff", "projects/2026-hongqiao", "--rev", "HEAD", cwd=repo)
    assert r.returncode == 2 and "在版本 HEAD 中不存在" in r.stderr
    outside = copy("2022-huacao", tmp_path / "not-a-repo" / "2022-huacao")
    r = run_cli("diff", str(outside), "--rev", "HEAD", cwd=outside)
    assert r.returncode == 2 and "不在 git 仓库中" in r.stderr, r.stderr
    # a file broken at the revision: its problems name it REV:path
    edit(repo / "projects" / "2022-songjiang" / "业务培训.toml", "year = 2022", "year = \"二〇二二\"")
    git(repo, "commit", "-q", "-am", "broken")
    git(repo, "checkout", "-q", "HEAD~1", "--", "projects/2022-songjiang/业务培训.toml")
    r = run_cli("diff", "projects/2022-songjiang", "--rev", "HEAD", cwd=repo)
    assert r.returncode == 2 and "HEAD:projects/2022-songjiang/业务培训.toml:" in r.stderr, r.stderr


def test_load_department_texts_matches_the_loader():
    folder = PROJECTS / "2026-hongqiao"
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    loaded = load_department_texts(folder, files)
    assert not loaded.problems
    dep = loaded.departments[0]
    order = ["综合党委两企三新党建", "区域化党建", "党群服务站", "制度外用工经费", "残保金", "规范化建设", "人才系列计划",
             "街区专项经费", "综合党委制度外用工经费"]  # order = [...] of department.toml
    assert [p.key for p in dep.ordered_projects()] == order
    assert [p.key for p in load(folder).ordered_projects()] == order
    assert flat(diff_departments(load(folder), dep)) == []
    bad = load_department_texts(Path("x"), {"department.toml": b"\xff\xfe", "a.toml": b""})
    assert {p.code for p in bad.problems} == {"PD005"} and bad.fatal
    assert load_department_texts(Path("x"), {"a.toml": b"x"}).problems[0].code == "PD006"
