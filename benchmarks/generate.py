"""Generate a department folder of N realistic project files (for benchmarks).

    python benchmarks/generate.py OUT_DIR [N]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_LEVELS = [
    ("成本指标", "经济成本指标", ["活动费用标准", "宣传品制作费用标准", "走访慰问补助标准"], ["≤80.00(元/人)", "≤15元/份", "=2000.00(元/人)"]),
    ("产出指标", "数量指标", ["活动开展次数", "培训人数", "服务站点数", "课程开展数"], ["≥4次", "≥300.00(人)", "=3.00(个)", "≥300节"]),
    ("产出指标", "质量指标", ["活动验收合格率", "补贴发放准确率", "经费使用合规性"], ["=100.00(%)", "100%", "合规"]),
    ("产出指标", "时效指标", ["活动开展及时性", "补贴发放及时率"], ["及时", "=100%"]),
    ("效益指标", "社会效益指标", ["服务水平提升", "党员参与度提升情况"], ["提升", "提升"]),
    ("效益指标", "可持续影响指标", ["长效管理机制健全性"], ["健全"]),
    ("满意度指标", "服务对象满意度指标", ["服务对象满意度", "参与人员满意度"], ["≥90%", "≥85.00(%)"]),
]

_TEXT = "依据年度工作计划，保障党群服务阵地正常运行，开展各类主题活动和培训，提升服务群众的水平和能级。"


def project_text(i: int, year: int, rng: random.Random) -> str:
    annual = rng.randrange(10, 5000) * 1000
    lines = [
        f"# 生成的项目 {i}",
        "[project]",
        f'name = "项目{i:04d}"',
        f"year = {year}",
        'category = "特定目标类"',
        'nature = "经常性项目"',
        'implementer = "上海市某区某镇社区党群服务中心"',
        f"start = {year}-01-01",
        f"end = {year}-12-31",
        "",
        "[funding]",
        f"total = {annual}",
        f"total_fiscal = {annual}",
        "total_other = 0",
        f'annual = "{annual:,.2f}"',
        f"annual_appropriation = {annual}",
        "annual_carryover = 0",
        "annual_other = 0",
        "",
        "[goals]",
        f"period = [{year}, {year}]",
        f'overall = "{_TEXT * 2}"',
        f'annual = "{_TEXT * 3}"',
    ]
    for level1, level2, names, targets in _LEVELS:
        for k in range(rng.randint(1, len(names))):
            lines += ["", "[[indicators]]", f'level1 = "{level1}"', f'level2 = "{level2}"',
                      f'name = "{names[k]}"', f'target = "{targets[k]}"']
    lines += [
        "", "[narrative]", f'overview = "{_TEXT}"', 'implementer = "党群服务中心"',
        f'plan = """\n{_TEXT}\n\n{_TEXT}\n"""', f'period = "{year}年1月至12月。"',
        "", "[narrative.basis]", 'documents = "《中国共产党党和国家机关基层组织工作条例》"', f'duties = "{_TEXT}"',
        "", "[narrative.budget]", f'calculation = "整个项目预算为{annual / 10000:g}万。"',
        'source = "财政拨款。"', 'schedule = "全年推进。"', "",
    ]
    return "\n".join(lines)


def generate(folder: Path, count: int, year: int = 2026, seed: int = 1) -> Path:
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.toml").write_text(
        f'[department]\nname = "基准测试单位"\nauthority = "某区人民政府"\nyear = {year}\nbudget_units = 1\n\n'
        '[layout]\ntemplate = "shanghai"\n', "utf-8")
    for i in range(count):
        (folder / f"项目{i:04d}.toml").write_text(project_text(i, year, rng), "utf-8")
    return folder


if __name__ == "__main__":
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    generate(out, n)
    print(f"wrote {n} projects to {out}")
