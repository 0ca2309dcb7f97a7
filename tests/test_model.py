from decimal import Decimal

import pytest

from perfdoc.load.positions import scan
from perfdoc.model import Money, MoneyError, Target


@pytest.mark.parametrize("value, unit, yuan", [
    (1020000, "元", "1020000.00"),
    (Decimal("987000.5"), "元", "987000.50"),
    ("4,483,000.00", "元", "4483000.00"),
    ("¥ 60, 000", "元", "60000.00"),
    ("29.20", "万元", "292000.00"),
    (Decimal("29.2"), "万元", "292000.00"),
    ("102万元", "元", "1020000.00"),
    (0, "元", "0.00"),
])
def test_money_parse(value, unit, yuan):
    assert Money.parse(value, unit).yuan == Decimal(yuan)


@pytest.mark.parametrize("value", [-1, "一百万", True, [1], Decimal("1.001"), Decimal("Infinity"), 10**16, "1e5x"])
def test_money_rejects(value):
    with pytest.raises(MoneyError):
        Money.parse(value)


def test_money_equal_however_written():
    assert Money.parse(4483000) == Money.parse("4,483,000.00")
    assert Money.parse("0.5", "万元").format("元") == "5,000.00"
    assert Money.parse(1023400).format_plain("万元") == "102.34"
    assert Money.parse(1020000).format_plain("万元") == "102"
    assert Money.parse(1650000).format("万元", separators=False) == "165.00"


@pytest.mark.parametrize("text, kind, op, number, unit", [
    ("≥8000.00(人)", "quantitative", "≥", "8000", "人"),
    ("≥8000人", "quantitative", "≥", "8000", "人"),
    (">=95%", "quantitative", "≥", "95", "%"),
    ("<=80元/人", "quantitative", "≤", "80", "元/人"),
    ("＝3次", "quantitative", "=", "3", "次"),
    ("=100.00(个 )", "quantitative", "=", "100", "个"),
    ("985米", "quantitative", None, "985", "米"),
    ("¥ 60, 000", "quantitative", None, "60000", "元"),
    ("及时", "qualitative", None, None, ""),
    ("全年不少于2次", "phrase", None, None, ""),
    ("按实际工作人数按月足额发放", "phrase", None, None, ""),
    ("2024年12月前完成", "phrase", None, None, ""),
    ("", "empty", None, None, ""),
])
def test_target_parse(text, kind, op, number, unit):
    t = Target.parse(text)
    assert (t.kind, t.op, t.unit) == (kind, op, unit)
    assert (t.number.normalize() if t.number is not None else None) == (Decimal(number) if number else None)
    assert t.text == text


def test_target_same_meaning():
    assert Target.parse("≥8000人").same_meaning(Target.parse("≥8000.00(人)"))
    assert Target.parse("12").same_meaning(Target.parse("=12"))
    assert not Target.parse("≥8000人").same_meaning(Target.parse("≥9000人"))
    assert Target.parse("≥8000人").system_style() == "≥8000.00(人)"


def test_positions_of_keys_tables_and_arrays():
    text = '''# comment
[project]
name = "a"   # trailing
start = 2026-01-01

[funding]
total = 1
note = """
[not a table]
x = 1
"""
annual = 2

[[indicators]]
name = "i0"

[[indicators]]
name = "i1"
target = "≥1"

[evaluation.funding]
total = { initial = 1, adjusted = 2 }
[goals]
period = [2024, 2026]
'''
    pos = scan(text)
    assert pos.locate(("project", "name")) == (3, 8)
    assert pos.locate(("project", "name"), value=False) == (3, 1)
    assert pos.locate(("funding", "annual")) == (12, 10)
    assert pos.locate(("indicators", 1, "target")) == (19, 10)
    assert pos.locate(("indicators", 0, "target"))[0] == 14  # missing key: its table's header
    assert pos.locate(("evaluation", "funding", "total", "adjusted")) == (22, 35)
    assert pos.locate(("goals", "period", 1)) == (24, 17)
    assert pos.locate(("nothing",)) == (1, 1)
    assert not pos.exact(("x",))
