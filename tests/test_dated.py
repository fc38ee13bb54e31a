"""Values that change on dates: `dated [on DATE] { from DATE: VALUE ["document"], … }`.

A case takes the value in force on its evaluation date (or on the date `on` names); a date
before the first entry has no value: the rule does not apply, saying so, with no invented number.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import FIXTURES, PolicyFactory
from tests.test_batch import assert_same, batch_results, expected, write_csv

COUNTY = FIXTURES / "county-scales" / "county-scales.policy"


@pytest.fixture(scope="module")
def county() -> CompiledPolicy:
    return compile_policy(COUNTY)


def result(policy: CompiledPolicy, name: str, on: date, explain: bool = False, **given: Any):  # type: ignore[no-untyped-def]
    return {r.info.name: r for r in policy.evaluate(given, on, explain=explain)}[name]


def per_person(text: str) -> Quantity:
    return Quantity.of(text, "元/人")


def relief(policy: CompiledPolicy, on: date, income: str = "400", people: int = 2):  # type: ignore[no-untyped-def]
    return result(
        policy,
        "生活补助",
        on,
        家庭人均月收入=per_person(income),
        保障人数=Quantity.of(people, "人"),
    )


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        (date(2025, 7, 1), "1000"),  # (900 − 400) × 2: the first standard's first day
        (date(2026, 6, 30), "1000"),  # its last day
        (date(2026, 7, 1), "1100"),  # (950 − 400) × 2: raised on this day
        (date(2027, 12, 31), "1100"),  # the policy's last day
    ],
)
def test_the_standard_in_force_on_the_evaluation_date(
    county: CompiledPolicy, on: date, amount: str
) -> None:
    r = relief(county, on)
    assert r.status == "applies" and r.amount.value == Decimal(amount)


def test_before_the_first_entry_there_is_no_standard(county: CompiledPolicy) -> None:
    # In force since 2025-03-01, but the standard starts on 2025-07-01.
    r = relief(county, date(2025, 6, 30))
    assert r.status == "not_applicable" and r.amount is None
    assert r.reason == "低保标准: 2025-06-30 尚无规定（最早自 2025-07-01 起施行）"


def test_the_condition_uses_the_standard_of_the_day(county: CompiledPolicy) -> None:
    # 低于 excludes: an income equal to the standard is not below it.
    assert relief(county, date(2025, 7, 1), income="900").status == "not_applicable"
    assert relief(county, date(2025, 7, 1), income="899.99", people=1).amount.value == Decimal(
        "0.01"
    )
    # The same income is below the raised standard a year later: (950 − 900) × 1.
    assert relief(county, date(2026, 7, 1), income="900", people=1).amount.value == Decimal("50")


def hiring(policy: CompiledPolicy, hired: date | None, on: date = date(2025, 12, 31)):  # type: ignore[no-untyped-def]
    given: dict[str, Any] = {"新招用人数": Quantity.of(3, "人")}
    if hired is not None:
        given["招用日期"] = hired
    return result(policy, "吸纳就业补贴", on, explain=True, **given)


@pytest.mark.parametrize(
    ("hired", "amount"),
    [
        (date(2025, 3, 1), "3000"),  # 1000元/人 from the document's first day
        (date(2025, 6, 30), "3000"),  # the day before the amendment
        (date(2025, 7, 1), "4500"),  # 1500元/人 as amended from this day
    ],
)
def test_an_amended_amount_follows_the_date_named_by_on(
    county: CompiledPolicy, hired: date, amount: str
) -> None:
    # `dated on 招用日期`: the standard of the hiring day, whatever the evaluation date.
    r = hiring(county, hired)
    assert r.status == "applies" and r.amount.value == Decimal(amount)


def test_the_trace_names_the_entry_and_its_document(county: CompiledPolicy) -> None:
    trace = " ".join(step.text for step in hiring(county, date(2025, 7, 1)).steps)
    assert "2025-07-01 适用自 2025-07-01 起的 1500元/人，县政发〔2025〕9号 调整" in trace


def test_a_missing_date_leaves_the_rule_undetermined(county: CompiledPolicy) -> None:
    r = hiring(county, None)
    assert r.status == "undetermined" and r.missing == ("招用日期",)


def test_a_date_before_the_first_entry_named_by_on(county: CompiledPolicy) -> None:
    r = hiring(county, date(2025, 2, 28))
    assert r.status == "not_applicable"
    assert "2025-02-28 尚无规定（最早自 2025-03-01 起施行）" in r.reason


DECLS = "input 收入: 元 optional\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "dated { from 2023-07-01: 900 元, from 2023-07-01: 950 元 }",
            "the dates of a dated value must ascend: 2023-07-01 is not after 2023-07-01",
        ),
        (
            "dated { from 2024-07-01: 900 元, from 2023-07-01: 950 元 }",
            "2023-07-01 is not after 2024-07-01",
        ),
        ("dated { from 2023-07-01: 900 元, from 2024-07-01: 950 人 }", "has one measure"),
        ("dated { from 2023-07-01: true }", "not a condition"),
        ("dated on 收入 { from 2023-07-01: 900 元 }", "expected a date (the day whose value"),
        ("dated { from 2023-02-30: 900 元 }", "is not a calendar date"),
    ],
)
def test_bad_dated_values_are_located_errors(
    policies: PolicyFactory, body: str, message: str
) -> None:
    with pytest.raises(PolicyError) as info:
        policies.compile(f"  rule 补贴 {{ amount {body} }}", DECLS)
    assert message in str(info.value)
    assert str(info.value).split(":")[1].isdigit()  # file:line:col


def test_a_define_names_a_dated_value_and_other_defines_stay_conditions(
    policies: PolicyFactory,
) -> None:
    decls = DECLS + "define 标准 = dated { from 2023-01-06: 900 元, from 2024-01-01: 950 元 }\n"
    policy = policies.compile("  rule 补贴 { when 收入 < 标准 amount 标准 - 收入 }", decls)
    r = result(policy, "补贴", date(2023, 12, 31), 收入=Quantity.of(100, "元"))
    assert r.amount.value == Decimal("800")
    # A `define` names any value now (tests/test_define_value.py); one read as a condition
    # is still refused.
    with pytest.raises(PolicyError, match="expected a condition here"):
        policies.compile("  rule 补贴 { when 标准 amount 1 元 }", DECLS + "define 标准 = 900 元\n")


def test_a_dated_progressive_scale(policies: PolicyFactory) -> None:
    # Brackets that change on a date (the social-security shape): each entry a whole scale.
    decls = DECLS + (
        "define 缴费 = dated {\n"
        "  from 2023-01-06: progressive 收入 { 不超过 3000 元: 2%, 超过 3000 元: 5% },\n"
        "  from 2024-01-01: progressive 收入 { 不超过 4000 元: 2%, 超过 4000 元: 6% },\n"
        "}\n"
    )
    policy = policies.compile("  rule 缴纳 { amount 缴费 }", decls)
    income = Quantity.of(5000, "元")
    # 3000 × 2% + 2000 × 5% = 160; then 4000 × 2% + 1000 × 6% = 140
    assert result(policy, "缴纳", date(2023, 12, 31), 收入=income).amount.value == Decimal("160")
    assert result(policy, "缴纳", date(2024, 1, 1), 收入=income).amount.value == Decimal("140")


def test_the_docs_show_the_history(county: CompiledPolicy) -> None:
    from policyc.compiler.docs import render_docs

    page = render_docs([county.checked])["docs/county-scales.md"]
    assert "**标准沿革**（按评估日适用当日有效的标准）" in page
    assert "| 2025-07-01 起，至 2026-06-30 | 900元/人 | 县政发〔2025〕3号 第二条 |" in page
    assert "| 2026-07-01 起 | 950元/人 | 县政发〔2025〕3号 第二条 |" in page
    assert "| 2025-07-01 起 | 1500元/人 | 县政发〔2025〕9号 调整 |" in page
    assert "2025-07-01 以前没有规定的标准，不予计算。" in page


# ---- the batch path agrees with the per-case path, case by case ----

EDGE_DAYS = [date(2025, 3, 1), date(2025, 6, 30), date(2025, 7, 1), date(2026, 6, 30),
             date(2026, 7, 1), date(2027, 12, 31), date(2028, 1, 1)]  # fmt: skip
EDGE_INVESTMENTS = ["0", "4999999.99", "5000000", "5000000.01", "20000000", "20000000.01",
                    "23333333.33", "23333333.34", "30000000"]  # fmt: skip


def random_row(rng: random.Random) -> dict[str, str]:
    def day() -> str:
        if rng.random() < 0.5:
            return rng.choice(EDGE_DAYS).isoformat()
        return (date(2025, 1, 1) + timedelta(days=rng.randrange(1200))).isoformat()

    row = {
        "on": day(),
        "设备投资额": rng.choice([*EDGE_INVESTMENTS, str(rng.randrange(40000000)), ""]),
        "家庭人均月收入": rng.choice(["900", "899.99", "950", "949.99", "0", "", "1000"]),
        "保障人数": str(rng.randrange(4)),
        "新招用人数": str(rng.randrange(3)),
        "招用日期": rng.choice(["", day(), "2025-02-28", "2025-07-01"]),
    }
    return row


def test_batch_matches_per_case_on_the_county_fixture(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    rng = random.Random(20251201)
    rows = [random_row(rng) for _ in range(400)]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(county, rows, {})
    got = batch_results(county, path, {})
    assert_same(want, got, rows)
    statuses = {s for case in want for s, _, _ in case.values()}
    assert {"applies", "not_applicable", "undetermined", "not_in_force"} <= statuses


def test_the_fixture_s_example_cases_pass_and_a_wrong_one_fails(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    cases = COUNTY.parent / "cases"
    command = [sys.executable, "-m", "policyc", "test", str(COUNTY)]
    ok = subprocess.run([*command, str(cases)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "5 passed, 0 failed" in ok.stdout
    # The day before the rise the standard was 900元: (900 − 400) × 2 = 1000元, not 1100元.
    wrong = tmp_path / "wrong.yaml"
    shutil.copy(cases / "04-relief-after-the-rise.yaml", wrong)
    wrong.write_text(
        wrong.read_text(encoding="utf-8").replace("on: 2026-07-01", "on: 2026-06-30"),
        encoding="utf-8",
    )
    bad = subprocess.run([*command, str(wrong)], capture_output=True, text=True, check=False)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "1000" in bad.stdout
