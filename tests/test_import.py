"""``perfdoc import``: every example department round-trips through its built documents.

For each department under projects/: ``build --force``, then ``import`` its 汇总表 (and its 自评汇总
where it has one) into a new folder; ``perfdoc diff`` between the example and the import reports
no change (exit 0), ``perfdoc check`` finds the same faults (the examples keep faults of the real
submissions on purpose: import must keep them, not fix them), and ``perfdoc score`` gives the same
figures.  The same holds after LibreOffice has re-saved the documents.

A project's file name is not printed in any document, so an import names the files as
``perfdoc new`` does (safe_file_stem of the 项目名称).  Two examples use other file names
(两新组织党建经费.toml for “两新”组织党建经费, 综合党委两企三新党建.toml for 综合党委"两企三新"党建);
the copy the import is compared with has its files renamed that way (and ``order`` with them), so
that diff compares contents, not file names.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from perfdoc.load import load_department
from perfdoc.scaffold import safe_file_stem

from conftest import PROJECTS, run_cli
from libreoffice import SOFFICE, need_libreoffice

EXAMPLES = sorted(p.name for p in PROJECTS.iterdir() if (p / "department.toml").is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    done = run_cli("build", "--force", "-o", str(out), *(str(PROJECTS / name) for name in EXAMPLES))
    assert done.returncode == 0, done.stderr
    return out


def _documents(built: Path, name: str) -> list[Path]:
    folder = built / name
    found = sorted(folder.glob("*年度项目绩效目标汇总表.docx")) + sorted(folder.glob("*年度项目绩效自评汇总.docx"))
    assert found, f"no 汇总表 built for {name}"
    return found


def _renamed_copy(name: str, tmp_path: Path) -> Path:
    """The example with its project files named as perfdoc new names them (contents unchanged)."""
    copy = tmp_path / "example" / name
    shutil.copytree(PROJECTS / name, copy)
    dep = load_department(copy).departments[0]
    department = copy / "department.toml"
    text = department.read_text("utf-8")
    for project in dep.projects:
        stem = safe_file_stem(project.model.name)
        if stem != project.key:
            project.path.rename(copy / f"{stem}.toml")
            text = text.replace(f'"{project.key}"', json.dumps(stem, ensure_ascii=False))
    department.write_text(text, "utf-8")
    return copy


def _check_codes(folder: Path) -> list[tuple[str, str, str]]:
    done = run_cli("check", str(folder), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    problems = json.loads(done.stdout)["problems"]
    # a message may name a line of its file ("第一次出现在第 72 行"): the import's lines are its own
    return sorted((Path(p["file"]).name, p["code"], re.sub(r"第 \d+ 行", "第 N 行", p["message"])) for p in problems)


def _figures(folder: Path) -> list[dict]:
    done = run_cli("score", str(folder), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    out = []
    for project in json.loads(done.stdout)["projects"]:
        out.append({
            "name": project["name"],
            "budget": {k: v for k, v in project["budget"].items()},
            "indicators": [{k: v for k, v in ind.items() if k not in ("target", "actual")}
                           for ind in project["indicators"]],
            **{k: v for k, v in project.items() if k not in ("file", "budget", "indicators")},
        })
    return sorted(out, key=lambda p: p["name"])


def _round_trip(name: str, documents: list[Path], tmp_path: Path) -> None:
    imported = tmp_path / "imported" / name
    done = run_cli("import", *map(str, documents), "-o", str(imported))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "下一步：perfdoc check" in done.stdout
    example = _renamed_copy(name, tmp_path)
    diff = run_cli("diff", str(example), str(imported))
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "没有变化。" in diff.stdout
    assert _check_codes(imported) == _check_codes(example)
    assert _figures(imported) == _figures(example)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_round_trips(name, built, tmp_path):
    _round_trip(name, _documents(built, name), tmp_path)


def test_examples_have_what_the_round_trip_needs():
    """The round trip covers the three layouts, a 万元 form, narratives with every section and a 自评汇总."""
    templates = set()
    for name in EXAMPLES:
        templates.add(load_department(PROJECTS / name).departments[0].model.layout.template)
    assert templates == {"shanghai", "huacao-2022", "songjiang-2022"}
    texts = "".join((PROJECTS / name / f).read_text("utf-8") for name in EXAMPLES
                    for f in (p.name for p in (PROJECTS / name).glob("*.toml")))
    assert 'unit = "万元"' in texts and "[narrative.budget]" in texts and "[evaluation.funding]" in texts


def test_imported_file_is_canonical(built, tmp_path):
    """Keys in the scaffold's order, amounts as printed, a multi-line string per paragraph text."""
    imported = tmp_path / "songjiang"
    done = run_cli("import", str(built / "2022-songjiang" / "2022年度项目绩效目标汇总表.docx"), "-o", str(imported))
    assert done.returncode == 0, done.stdout + done.stderr
    text = (imported / "党组织建设.toml").read_text("utf-8")
    assert text.startswith("#:schema ./project.schema.json\n# 由 perfdoc import 导入自 2022年度项目绩效目标汇总表.docx\n")
    assert '[project]\nname = "党组织建设"\nyear = 2022\ncategory = "经常性项目"\nauthority = ' not in text
    assert ('[project]\nname = "党组织建设"\nyear = 2022\ncategory = "经常性项目"\n'
            'implementer = "中共上海市松江区区级机关工作委员会"\nstart = 2022-01-01\nend = 2022-12-31\n') in text
    assert ('[funding]\ntotal = "1020000"\ntotal_fiscal = "1020000"\ntotal_other = "0"\nannual = "1020000"\n'
            'annual_appropriation = "1020000"\nannual_carryover = "0"\nannual_other = "0"\n') in text
    assert '[narrative]\nsubject = "区区级机关工作党委"\noverview = """\n建设“1号先锋”党建品牌' in text
    # 五、实施周期 was the sentence perfdoc generates from the plan dates, 七 only the closing note: neither is written
    assert "从2022年1月至2022年12月" not in text
    assert "具体见表格" not in text
    assert "\nperiod = " not in text.split("[narrative]")[1]
    department = (imported / "department.toml").read_text("utf-8")
    assert ('order = ["党组织建设", "宣传与推广", "业务培训", "疫情防控"]\n\n[department]\n'
            'name = "中共上海市松江区区级机关工作委员会"\nauthority = "中共上海市松江区区级机关工作委员会"\n'
            'year = 2022\nbudget_units = 1\n\n[layout]\ntemplate = "songjiang-2022"\nunit = "元"\n') in department


def test_wan_form_written_in_wan(built, tmp_path):
    imported = tmp_path / "huacao"
    done = run_cli("import", str(built / "2022-huacao" / "2022年度项目绩效目标汇总表.docx"), "-o", str(imported))
    assert done.returncode == 0, done.stdout + done.stderr
    text = (imported / "“两新”组织党建经费.toml").read_text("utf-8")
    assert ('[funding]\nunit = "万元"\ntotal = "29.20"\ntotal_fiscal = "29.20"\ntotal_other = "0.00"\n'
            'annual = "29.20"\n') in text
    assert "period = [2022, 2024]" in text
    assert '[layout]\ntemplate = "huacao-2022"\nunit = "万元"\n' in (imported / "department.toml").read_text("utf-8")


@pytest.mark.libreoffice
def test_examples_round_trip_after_libreoffice_saves_them(built, tmp_path):
    need_libreoffice()
    documents = {name: _documents(built, name) for name in EXAMPLES}
    saved = tmp_path / "saved"
    profile = tmp_path / "lo-profile"
    for name, docs in documents.items():
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved / name), *map(str, docs)],
                       check=True, capture_output=True, timeout=600)
    for name, docs in documents.items():
        resaved = [saved / name / d.name for d in docs]
        assert all(p.is_file() for p in resaved), name
        assert all(p.read_bytes() != d.read_bytes() for p, d in zip(resaved, docs))
        _round_trip(name, resaved, tmp_path / name)
