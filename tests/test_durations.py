"""Durations between dates: 满6个月, 年满60周岁, 正常经营半年以上 (民法典 arts. 201–202)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from policyc.runtime.dates import add_months_by, completed_months
from tests.conftest import PolicyFactory

WORKED = """  rule 稳岗补贴 {
    when months_between(入职日期, on_date()) 满 6 月
    amount 500 元
  }
  rule 高龄补贴 {
    when years_between(出生日期, on_date()) 满 60 年
    amount 100 元
  }
  rule 专线补贴 {
    when months_between(开设日期, on_date()) 满 6 月
    amount 1000 元
  }"""
DECLS = (
    "input 入职日期: date optional\ninput 出生日期: date optional\ninput 开设日期: date optional\n"
)


def status(
    policies: PolicyFactory, inputs: dict[str, date], on: date, convention: str = ""
) -> dict[str, str]:
    policy = compile_policy(policies.write(policies.clause(WORKED, convention + DECLS)))
    return {r.info.name: r.status for r in policy.evaluate(inputs, on)}


@pytest.mark.parametrize(
    ("hired", "on", "rule_status"),
    [
        (date(2023, 1, 6), date(2023, 7, 6), "applies"),  # the corresponding day completes month 6
        (date(2023, 1, 6), date(2023, 7, 5), "not_applicable"),  # one day short
        (date(2023, 1, 31), date(2023, 7, 31), "applies"),
        (date(2023, 1, 31), date(2023, 7, 30), "not_applicable"),
        (date(2023, 8, 31), date(2024, 2, 29), "applies"),  # February has no 31st: its last day
        (date(2023, 8, 31), date(2024, 2, 28), "not_applicable"),
    ],
)
def test_six_completed_months(
    policies: PolicyFactory, hired: date, on: date, rule_status: str
) -> None:
    assert status(policies, {"入职日期": hired}, on)["稳岗补贴"] == rule_status


@pytest.mark.parametrize(
    ("born", "on", "rule_status"),
    [
        (date(1963, 5, 10), date(2023, 5, 10), "applies"),  # 年满60周岁 on the 60th birthday
        (date(1963, 5, 10), date(2023, 5, 9), "not_applicable"),
        (date(1964, 2, 29), date(2024, 2, 29), "applies"),
        (date(1964, 2, 29), date(2024, 2, 28), "not_applicable"),
    ],
)
def test_sixty_full_years(policies: PolicyFactory, born: date, on: date, rule_status: str) -> None:
    assert status(policies, {"出生日期": born}, on)["高龄补贴"] == rule_status


@pytest.mark.parametrize(
    ("convention", "on", "rule_status"),
    [
        ("", date(2025, 2, 28), "applies"),  # default month_end: art. 202, the month's last day
        ("convention missing_day month_end\n", date(2025, 2, 28), "applies"),
        ("convention missing_day next_day\n", date(2025, 2, 28), "not_applicable"),
        ("convention missing_day next_day\n", date(2025, 3, 1), "applies"),
        ("", date(2025, 2, 27), "not_applicable"),
    ],
)
def test_a_leap_day_start_under_each_convention(
    policies: PolicyFactory, convention: str, on: date, rule_status: str
) -> None:
    # Born 2024-02-29: is 1 full year on 2025-02-28 (month_end) or on 2025-03-01 (next_day)?
    body = WORKED.replace("满 60 年", "满 1 年")
    policy = compile_policy(policies.write(policies.clause(body, convention + DECLS)))
    results = {r.info.name: r.status for r in policy.evaluate({"出生日期": date(2024, 2, 29)}, on)}
    assert results["高龄补贴"] == rule_status


def test_a_month_end_start_under_next_day(policies: PolicyFactory) -> None:
    conv = 'convention missing_day next_day because "对应日不存在的, 次月一日届满"\n'
    assert (
        status(policies, {"开设日期": date(2023, 8, 31)}, date(2024, 2, 29), conv)["专线补贴"]
        == "not_applicable"
    )
    assert (
        status(policies, {"开设日期": date(2023, 8, 31)}, date(2024, 3, 1), conv)["专线补贴"]
        == "applies"
    )


def test_a_missing_start_date_leaves_the_rule_undetermined(policies: PolicyFactory) -> None:
    policy = compile_policy(policies.write(policies.clause(WORKED, DECLS)))
    result = {r.info.name: r for r in policy.evaluate({}, date(2023, 7, 6))}["稳岗补贴"]
    assert (result.status, result.missing) == ("undetermined", ("入职日期",))


def test_a_start_after_the_end_counts_no_months(policies: PolicyFactory) -> None:
    assert (
        status(policies, {"入职日期": date(2024, 1, 1)}, date(2023, 7, 6))["稳岗补贴"]
        == "not_applicable"
    )
    assert completed_months(date(2024, 1, 1), date(2023, 7, 6)) == 0


def test_the_explain_trace_gives_the_count(policies: PolicyFactory) -> None:
    policy = compile_policy(policies.write(policies.clause(WORKED, DECLS)))
    out = {
        r.info.name: r
        for r in policy.evaluate({"入职日期": date(2023, 1, 31)}, date(2023, 7, 30), explain=True)
    }
    texts = [s.text for s in out["稳岗补贴"].steps]
    assert "自入职日期至评估日的整月数: 2023-01-31 至 2023-07-30 满 5 个月" in texts


def test_completed_months_is_the_largest_month_reached() -> None:
    rng = random.Random(12)
    for _ in range(3000):
        start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
        end = start + timedelta(days=rng.randint(0, 1500))
        for convention in ("month_end", "next_day"):
            months = completed_months(start, end, convention)
            assert add_months_by(start, months, convention) <= end
            assert add_months_by(start, months + 1, convention) > end


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("入职日期 - 出生日期 满 6 月", "cannot subtract a date from a date"),
        ("months_between(入职日期) 满 6 月", "takes 2 argument"),
        ("months_between(入职日期, 6 月) 满 6 月", "expected a date here"),
        ("months_between(入职日期, on_date()) 满 6 元", "cannot compare"),
    ],
)
def test_durations_are_type_checked(policies: PolicyFactory, expr: str, message: str) -> None:
    body = f"  rule r {{ when {expr} amount 1 元 }}"
    with pytest.raises(PolicyError, match=message):
        compile_policy(policies.write(policies.clause(body, DECLS)))


def test_an_unknown_convention_option_is_an_error(policies: PolicyFactory) -> None:
    with pytest.raises(
        PolicyError, match="`day_after` is not an option of convention `missing_day`"
    ):
        compile_policy(
            policies.write(policies.clause(WORKED, "convention missing_day day_after\n" + DECLS))
        )


def test_years_compare_with_months(policies: PolicyFactory) -> None:
    # 半年以上 written in months or in years: 满 0.5 年 is 满 6 月
    body = "  rule r { when months_between(开设日期, on_date()) 满 0.5 年 amount 1 元 }"
    policy = compile_policy(policies.write(policies.clause(body, DECLS)))
    run = {
        r.info.name: r.status
        for r in policy.evaluate({"开设日期": date(2023, 1, 6)}, date(2023, 7, 6))
    }
    assert run["r"] == "applies"


@pytest.mark.parametrize("convention", ["", "convention missing_day next_day\n"])
def test_the_batch_path_counts_the_same(
    policies: PolicyFactory, tmp_path: Path, convention: str
) -> None:
    pytest.importorskip("duckdb")
    from tests.test_batch import assert_same, batch_results, expected, write_csv

    policy = compile_policy(policies.write(policies.clause(WORKED, convention + DECLS)))
    rng = random.Random(2024)
    rows = []
    anchors = [
        date(2023, 1, 31),
        date(2024, 2, 29),
        date(2023, 8, 31),
        date(1964, 2, 29),
        date(1963, 5, 10),
    ]
    for _ in range(400):
        start = rng.choice(anchors) + timedelta(
            days=rng.choice([0, 0, 1, -1, rng.randint(-40, 40)])
        )
        on = start + timedelta(days=rng.choice([rng.randint(-5, 800), 181, 182, 183, 365, 366]))
        if rng.random() < 0.3:
            on = date(2024, 2, 29) if rng.random() < 0.5 else date(2023, 5, 10)
        row = {"on": on.isoformat()}
        for name in ("入职日期", "出生日期", "开设日期"):
            if rng.random() < 0.85:
                row[name] = (
                    start if name != "出生日期" else add_months_by(start, -720)
                ).isoformat()
        rows.append(row)
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    for rule in ("稳岗补贴", "高龄补贴"):
        statuses = {case[rule][0] for case in want}
        assert {"applies", "not_applicable", "undetermined"} <= statuses, rule
    assert_same(want, batch_results(policy, path, {}), rows)


@pytest.mark.parametrize(
    ("convention", "words"),
    [
        ("", "以该月末日届满（民法典第二百零二条）（本政策未另行声明）"),
        ('convention missing_day next_day because "次日届满"\n', "至次月一日届满（次日届满）"),
    ],
)
def test_the_docs_state_the_condition_and_the_convention(
    policies: PolicyFactory, convention: str, words: str
) -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    path = policies.write(policies.clause(WORKED, convention + DECLS))
    page = render_docs([check_policy(path)])["docs/p.md"]
    assert "**条件**：自入职日期至评估日的整月数 满6个月（含本数）" in page
    assert "**条件**：自出生日期至评估日的周年数 满60年（含本数）" in page
    assert f"| 期间计算 | 整月、周年自次日起算；起算日在届满月份没有对应日的，{words} |" in page


def test_a_policy_without_durations_states_no_convention(policies: PolicyFactory) -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    path = policies.write(policies.clause("  rule r { amount 1 元 }"))
    assert "期间计算" not in render_docs([check_policy(path)])["docs/p.md"]


def test_an_unknown_function_names_the_duration_functions(policies: PolicyFactory) -> None:
    body = "  rule r { when monthsbetween(入职日期, on_date()) 满 6 月 amount 1 元 }"
    with pytest.raises(PolicyError) as caught:
        compile_policy(policies.write(policies.clause(body, DECLS)))
    assert "months_between" in str(caught.value) and "years_between" in str(caught.value)
