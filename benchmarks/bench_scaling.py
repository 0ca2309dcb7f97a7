"""Render time against the number of indicators: linear, not quadratic.

python-docx's table.cell()/merge() and lxml moving one big subtree are quadratic;
the renderers build XML strings and move tables row by row.  Prints the time for
forms of 200 and 2000 indicators (10x the rows: about 10x the time when linear,
100x when quadratic), for the 申报表 and the 自评表.

    python benchmarks/bench_scaling.py
"""

from __future__ import annotations

import time
from pathlib import Path

from perfdoc.evaluate import score_project
from perfdoc.load import load_paths
from perfdoc.model import ProjectFile
from perfdoc.render.declaration import build_declaration
from perfdoc.render.document import to_bytes
from perfdoc.render.selfeval import build_selfeval
from perfdoc.render.template import find_template

ROOT = Path(__file__).resolve().parent.parent


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _scaled(project: ProjectFile, n: int) -> ProjectFile:
    model = project.model.model_copy()
    base = model.indicators
    model.indicators = [base[i % len(base)].model_copy(update={"name": f"指标{i}"}) for i in range(n)]
    return ProjectFile(project.key, project.source, model, project.department)


def main() -> None:
    template = find_template("shanghai")
    declared = load_paths([ROOT / "projects/2026-hongqiao/党群服务站.toml"]).projects[0]
    evaluated = load_paths([ROOT / "projects/2024-xinzhuang/两新党建工作.toml"]).projects[0]
    for label, project, render in (
        ("申报表", declared, lambda p: to_bytes(build_declaration(p, template))),
        ("自评表", evaluated, lambda p: to_bytes(build_selfeval(p, template, score_project(p.model)))),
    ):
        small, large = _scaled(project, 200), _scaled(project, 2000)
        t_small, t_large = _best(lambda: render(small)), _best(lambda: render(large), repeat=2)
        print(f"{label}: 200 indicators {t_small * 1000:.0f} ms, 2000 indicators {t_large * 1000:.0f} ms "
              f"({t_large / t_small:.1f}x for 10x the rows; linear ≈ 10x, quadratic ≈ 100x)")


if __name__ == "__main__":
    main()
