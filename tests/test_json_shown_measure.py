"""JSON's Money names one quantity with `value` and `unit`, in the measure its `text` shows
(site13, item 2): a `decide` reading a 元/月 input gave `{"value": "18000元/年", "unit": "元/月",
"text": "1500元/月"}` — a value with a measure in it, in another measure than `unit`. Now
`Quantity.of(value, unit)` reads every Money back, and a decided value is in its shown measure.

By hand: 月工资 3000元/月 × 50% = 1500元/月 (held as 18000 per year); 年收入 60000元/年 × 50% =
30000元/年; 10元/年 is 10/12 元 a month, no exact decimal: kept per year.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.report_json import money, value_unit
from policyc.runtime.quantity import Quantity, parse_measure

SHOWN = Path(__file__).parent / "fixtures" / "shown-measures" / "shown-measures.policy"


@pytest.mark.parametrize(
    ("q", "value", "unit"),
    [
        (Quantity.of(1500, "元/月"), "1500", "元/月"),  # not "18000元/年"
        (Quantity.of(30000, "元/年"), "2500", "元/月"),  # in the base measure, exact
        (Quantity.of(10, "元/年"), "10", "元/年"),  # 10/12 元 a month: held per year
        (Quantity.of(2, "年"), "24", "月"),
        (Quantity.of(3, "万元"), "30000", "元"),
        (Quantity.of("0.2", "元/单"), "0.2", "元/单"),
    ],
)
def test_money_value_is_a_number_of_its_unit(q: Quantity, value: str, unit: str) -> None:
    written = money(q)
    assert written is not None
    assert (written["value"], written["unit"]) == (value, unit)
    assert Quantity.of(written["value"], written["unit"]) == q


def test_value_unit_in_a_shown_measure_when_exact() -> None:
    assert value_unit(Quantity.of(2, "年"), parse_measure("年")) == ("2", "年")
    assert value_unit(Quantity.of(30000, "元/年"), parse_measure("元/年")) == ("30000", "元/年")
    # 18 months is no whole number of years: the base measure
    assert value_unit(Quantity.of(18, "月"), parse_measure("年")) == ("1.5", "年")
    assert value_unit(Quantity.of(1, "月"), parse_measure("年")) == ("1", "月")  # 1/12 年


def _decided(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> dict[str, str]:
    policy = tmp_path / "p.policy"
    text = SHOWN.read_text(encoding="utf-8").replace(f"define {name}", f"decide {name}")
    policy.write_text(text, encoding="utf-8")
    case = tmp_path / "c.json"
    inputs = {"月工资": 3000, "年收入": 60000, "缴存月数": 24}
    case.write_text(json.dumps({"on": "2026-01-01", "inputs": inputs}), encoding="utf-8")
    assert main(["run", str(policy), "--case", str(case), "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    (decided,) = [r for r in results if r["rule"] == name]
    value: dict[str, str] = decided["value"]
    return value


def test_a_decided_value_is_in_its_shown_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    month = _decided(tmp_path, capsys, "半月工资")
    assert month == {"value": "1500", "unit": "元/月", "text": "1500元/月"}
    year = _decided(tmp_path, capsys, "半年收入")
    assert year == {"value": "30000", "unit": "元/年", "text": "30,000元/年"}
