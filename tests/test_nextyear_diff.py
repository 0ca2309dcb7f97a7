"""next-year then diff: a plain roll-over is reported as no change (issue 7)."""

import pytest
from conftest import PROJECTS, run_cli


@pytest.mark.parametrize("folder", sorted(p.name for p in PROJECTS.iterdir() if (p / "department.toml").is_file()))
def test_rolled_over_folder_has_no_change_beyond_the_years(tmp_path, folder):
    dst = tmp_path / "next"
    r = run_cli("next-year", str(PROJECTS / folder), str(dst))
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli("diff", str(PROJECTS / folder), str(dst), "--no-color")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "没有变化" in r.stdout
    # and the new year checks without any date or period fault
    r = run_cli("check", "--format", "json", str(dst))
    assert r.returncode in (0, 1), r.stderr
    assert '"PD2' not in r.stdout


def test_diff_docx_with_unknown_template_is_a_clear_error(tmp_path):
    import shutil

    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(PROJECTS / "2022-huacao", old)
    shutil.copytree(PROJECTS / "2022-huacao", new)
    dep = new / "department.toml"
    dep.write_text(dep.read_text("utf-8").replace('template = "huacao-2022"', 'template = "没有这个版式"'), "utf-8")
    r = run_cli("diff", str(old), str(new), "--docx", str(tmp_path / "r.docx"))
    assert r.returncode == 2 and "找不到版式" in r.stderr and "Traceback" not in r.stderr
