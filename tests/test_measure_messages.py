"""Messages about measures and rounding (newcomer report, items 3 and 4): the unknown-measure
hint suggests a multiple of the measure the place expects; `measure 分钟 = 1/60 小时` says why it
is refused and how minutes are written; `divide(…, 小时, up)` points to `round`; a `units from`
file that cannot be read is reported at that line, in the user's language.

The minutes example is worked by hand: 61 分钟 rounded up to a step of 60 分钟 is 120 分钟, and
2 元 × 120 分钟 ÷ 60 分钟 = 4 元; 60 分钟 is not `超过 60 分钟`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.runtime.quantity import MeasureError, Quantity, parse_measure
from policyc.runtime.quantity_reading import read_input_quantity
from tests.conftest import HEADER, PolicyFactory

ON = date(2023, 6, 30)


def _error(policies: PolicyFactory, rules: str, decls: str) -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, decls)
    return str(caught.value)


# ---- the unknown-measure hint -------------------------------------------------------------


def test_a_case_value_in_an_unknown_measure_suggests_the_inputs_measure() -> None:
    hours = parse_measure("小时")
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("90分钟", hours, hours.dims)
    text = str(caught.value)
    assert "`measure 分钟 = N 小时`" in text
    assert "立方米" not in text


def test_the_hint_follows_the_input_not_a_fixed_measure() -> None:
    tonnes = parse_measure("吨")
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("3担", tonnes, tonnes.dims)
    assert "`measure 担 = N 吨`" in str(caught.value)


def test_a_compound_input_gets_the_neutral_hint() -> None:
    rate = parse_measure("元/人")
    with pytest.raises(MeasureError) as caught:
        read_input_quantity("3担", rate, rate.dims)
    assert "`measure 担 = N KNOWN_MEASURE`" in str(caught.value)


def test_a_measure_written_in_the_policy_gets_the_neutral_hint(policies: PolicyFactory) -> None:
    text = _error(policies, "  rule r { amount 1 元 }", "input 停放时长: 分钟\n")
    assert "`measure 分钟 = N KNOWN_MEASURE`" in text
    assert "立方米" not in text


# ---- minutes: no decimal multiple of 小时 ---------------------------------------------------


def test_a_fraction_in_a_measure_declaration_says_how_to_write_minutes(
    policies: PolicyFactory,
) -> None:
    text = _error(policies, "  rule r { amount 1 元 }", "measure 分钟 = 1/60 小时\n")
    assert "exact decimal multiple" in text
    assert "declare `measure 分钟` as a measure of its own" in text
    assert "to divide, write" not in text  # no advice about dividing inside a declaration


def test_a_slash_elsewhere_still_advises_divide(policies: PolicyFactory) -> None:
    text = _error(policies, "  rule r { amount x / 2 }", "input x: 元\n")
    assert "to divide, write `divide(A, B, 分, half_up)`" in text


@pytest.mark.parametrize(
    ("minutes", "fee"), [("60", None), ("61", "4"), ("90", "4"), ("120", "4"), ("121", "6")]
)
def test_minutes_as_a_measure_of_their_own(
    policies: PolicyFactory, minutes: str, fee: str | None
) -> None:
    # language.md: "不足1小时按1小时计" with the time given in minutes.
    policy = policies.compile(
        "  rule 停车费 { when 停放时长 超过 60 分钟\n"
        "    amount divide(2 元 × round(停放时长, 60 分钟, up), 60 分钟, 元, down) }",
        'measure 分钟 "1 小时 = 60 分钟"\ninput 停放时长: 分钟\n',
    )
    own = parse_measure("分钟", (("分钟", "分钟", Fraction(1)),))
    (result,) = policy.evaluate({"停放时长": Quantity.of(minutes, own)}, ON)
    if fee is None:
        assert result.status == "not_applicable"
    else:
        assert result.amount == Quantity.of(fee, "元")


# ---- divide to a measure's unit --------------------------------------------------------------


def test_divide_to_hours_points_to_round(policies: PolicyFactory) -> None:
    text = _error(
        policies,
        "  rule r { amount 2 元/小时 × 计费时长 }",
        "input 停放时长: 小时\ndecide 计费时长 = divide(停放时长, 1 小时, 小时, up)\n",
    )
    assert "the third argument of `divide` is 分, 角 or 元" in text
    assert "expected `round(X, 1 小时, up)` to round a quantity to a whole number of 小时" in text


def test_divides_expected_shape_is_translated(tmp_path: Path) -> None:
    text = _check_in_chinese(
        tmp_path,
        "input 停放时长: 小时\ndecide 计费时长 = divide(停放时长, 1 小时)\n",
    )
    assert "A ÷ B rounded" not in text
    assert "按声明的舍入方式保留到分、角或元" in text


# ---- a units file that cannot be read -------------------------------------------------------


def _check_in_chinese(folder: Path, body: str, header: str = HEADER) -> str:
    (folder / "source.txt").write_text("对服装电商企业\n按实际发货量\n每单补贴0.2元\n", "utf-8")
    path = folder / "p.policy"
    path.write_text(header + body, encoding="utf-8")
    env = {**os.environ, "LANGUAGE": "zh_CN"}
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "check", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode != 0
    return done.stdout + done.stderr


def test_a_missing_units_file_is_reported_at_its_line_in_chinese(tmp_path: Path) -> None:
    # tests/conftest.HEADER names `units from "units.policy"` on its line 8; none is written.
    text = _check_in_chinese(tmp_path, "input x: 元\n")
    line = next(ln for ln in text.splitlines() if "units.policy" in ln)
    assert ":8:" in line, text
    assert "文件不存在" in line
    assert "No such file" not in text


def test_a_units_file_that_is_a_folder(policies: PolicyFactory, tmp_path: Path) -> None:
    (policies.folder / "units.policy").unlink()
    (policies.folder / "units.policy").mkdir()
    text = _error(policies, "  rule r { amount 1 元 }", "")
    assert "cannot read the unit registry `units.policy`: it is a folder, not a file" in text
    line = next(ln for ln in text.splitlines() if "cannot read the unit registry" in ln)
    assert "p.policy:8:" in line


# ---- a cap per hour (not a period of the language); per day: tests/test_daily_cap.py ---------


@pytest.mark.parametrize("word", ["周", "小时"])
def test_a_cap_per_hour_says_which_periods_exist_and_what_to_write(
    policies: PolicyFactory, word: str
) -> None:
    text = _error(policies, f"  rule r {{ amount 1 元 cap 20 元 per {word} }}", "")
    assert f"`per {word}`: a cap's period is 年 or 月 only" in text
    assert "`cap 20 元` without `per`" in text


def test_a_cap_per_day_without_a_reading_names_the_two(policies: PolicyFactory) -> None:
    text = _error(policies, "  rule r { amount 1 元 cap 20 元 per 日 }", "")
    assert "`per 日`: a day over a stay has two readings" in text
    assert "every_24_hours" in text and "calendar_day" in text


def test_a_cap_per_month_is_still_a_period(policies: PolicyFactory) -> None:
    policy = policies.compile("  rule r { amount 30 元 cap 20 元 per 月 }", "")
    (result,) = policy.evaluate({}, ON)
    assert result.amount == Quantity.of("20", "元")  # 30元 capped at 20元


def test_once_per_day_keeps_the_general_refusal(policies: PolicyFactory) -> None:
    text = _error(policies, "  rule r { amount 5000 元  once per 日 }", "")
    assert "`per 日` is not a scope policyc knows" in text
