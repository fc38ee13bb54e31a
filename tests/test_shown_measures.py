"""A value shown against its name reads in the measure it was declared or given in (the
housing-fund newcomer's finding 4): `借款人月缴存基数 = 20,000元/月`, not `240,000元/年`; 24 months
as `24个月`, not `2年` — in `--explain` and in the site's worked examples. Values worked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.pipeline import compile_policy
from policyc.runtime.quantity import Quantity, parse_measure
from policyc.runtime.quantity_format import format_quantity, format_quantity_in
from policyc.runtime.shown_measures import measure_of, shown_measures
from policyc.worked_examples import worked_examples

FIXTURES = Path(__file__).parent / "fixtures"
SHOWN = FIXTURES / "shown-measures" / "shown-measures.policy"
HOUSING = FIXTURES / "housing-fund"


@pytest.mark.parametrize(
    ("number", "measure", "shown"),
    [
        (20000, "元/月", "20,000元/月"),  # held as 240000 元/年
        (6000, "元/月", "6000元/月"),  # grouped from 10,000 on, as every amount
        (240000, "元/年", "240,000元/年"),  # a yearly input stays yearly
        (24, "月", "24个月"),  # held as 24 月, format_quantity says 2年
        (10, "年", "10年"),
        (7, "万元/人", "7万元/人"),
        (50000, "元", "50,000元（5万元）"),  # money in 元 keeps the 万 gloss
        (5, "万元", "50,000元（5万元）"),
    ],
)
def test_a_quantity_is_shown_in_the_measure_it_was_declared_in(number, measure, shown):
    assert format_quantity_in(Quantity.of(number, measure), parse_measure(measure)) == shown


def test_a_value_of_other_dimensions_or_no_exact_number_of_the_measure_is_shown_as_held():
    ten_a_year = Quantity.of(10, "元/年")  # 10/12 元 a month is no exact decimal
    assert format_quantity_in(ten_a_year, parse_measure("元/月")) == format_quantity(ten_a_year)
    assert format_quantity_in(Quantity.of(3, "人"), parse_measure("元/月")) == "3人"
    assert format_quantity_in(Quantity.of(3, "人"), None) == "3人"


def test_a_define_is_shown_in_the_measure_of_the_inputs_it_reads_with_its_dimensions():
    measures = shown_measures(compile_policy(SHOWN).view)
    month, year = Quantity.of(1500, "元/月"), Quantity.of(30000, "元/年")
    assert measure_of(measures, "半月工资", month).name == "元/月"  # 月工资 × 50%
    assert measure_of(measures, "半年收入", year).name == "元/年"  # 年收入 × 50%
    assert measure_of(measures, "缴存月数", Quantity.of(24, "月")).name == "月"
    assert measure_of(measures, "半月工资", Quantity.of(1, "元")) is None  # other dimensions


def _explained(policy: Path, inputs: dict[str, object], on: date) -> list[str]:
    compiled = compile_policy(policy)
    results = compiled.evaluate(inputs, on, explain=True)
    return [step.text for r in results for step in r.steps]


def test_explain_shows_monthly_inputs_and_defines_per_month_and_yearly_ones_per_year():
    inputs = {
        "月工资": Quantity.of(3000, "元/月"),
        "年收入": Quantity.of(60000, "元/年"),
        "缴存月数": Quantity.of(24, "月"),
    }
    steps = "\n".join(_explained(SHOWN, inputs, date(2026, 1, 1)))
    # 半月工资 = 3000 × 50% = 1500元/月; 半年收入 = 60000 × 50% = 30,000元/年;
    # amount 1500 × 24 + 30000 × 1 = 66,000元
    assert "半月工资 = 1500元/月" in steps
    assert "半年收入 = 30,000元/年" in steps
    assert "月工资 = 3000元/月，缴存月数 = 24个月，年收入 = 60,000元/年" in steps
    assert "= 66,000元（6.6万元）" in steps
    assert "元/年（" not in steps.replace("60,000元/年", "").replace("30,000元/年", "")
    assert "36,000元/年" not in steps and "18,000元/年" not in steps and "2年" not in steps


def test_the_housing_fund_worked_example_shows_the_case_in_its_own_measures():
    from policyc.compiler.pipeline import check_policy

    policy = check_policy(HOUSING / "yxgjj-2026-3.policy")
    (example,) = [
        e for e in worked_examples([policy])[policy.header.number] if e.rule == "个人住房贷款"
    ]
    shown = dict(example.inputs)
    # 01-max-limit-lowest.yaml gives 借款人月缴存基数: 20000 (元/月) and 连续足额缴存月数: 24 (月)
    assert example.case.endswith("01-max-limit-lowest.yaml")
    assert shown["借款人月缴存基数"] == "20,000元/月"
    assert shown["连续足额缴存月数"] == "24个月"
    assert shown["贷款期限"] == "20年"


def test_a_decided_value_is_shown_in_its_inputs_measure_in_run_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    import json

    from policyc.cli import main

    policy = tmp_path / "p.policy"
    text = SHOWN.read_text(encoding="utf-8").replace("define 半月工资", "decide 半月工资")
    policy.write_text(text, encoding="utf-8")
    case = tmp_path / "c.json"
    inputs = {"月工资": 3000, "年收入": 60000, "缴存月数": 24}
    case.write_text(json.dumps({"on": "2026-01-01", "inputs": inputs}), encoding="utf-8")
    assert main(["run", str(policy), "--case", str(case)]) == 0
    # 3000元/月 × 50% = 1500元/月 (held as 18000 元/年)
    assert "  半月工资: 1500元/月\n" in capsys.readouterr().out
    assert main(["run", str(policy), "--case", str(case), "--all"]) == 0
    assert "半月工资 — 判定: 1500元/月" in capsys.readouterr().out
    assert main(["run", str(policy), "--case", str(case), "--format", "json"]) == 0
    (decided,) = [
        r for r in json.loads(capsys.readouterr().out)["results"] if r["rule"] == "半月工资"
    ]
    assert decided["value"]["text"] == "1500元/月"
