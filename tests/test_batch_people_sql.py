"""Households in the batch query (issue 12): aggregates over members and `divide` in SQL.

The generator refuses (compiler.batch.Unsupported → the rule runs case by case) what it cannot
express exactly: a rule paid `each` member, a member's value outside an aggregate, another period,
a rule with a period of its own outside a month's case. What it holds — count/sum/min/max/any/all
with `where`, `divide` rounded as declared — gives, for month cases, the values worked by hand
below and what `run --case` gives.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")

from policyc.batch_people import PeopleBatch
from policyc.batch_progress import Progress
from policyc.cases import case_from_data
from policyc.compiler.batch import generate_batch
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from tests.conftest import PolicyFactory
from tests.test_batch_people import POLICY, assert_same, random_cases, tables, write_csv

GROUP = """
group 家庭 {
    role 申请人 one
    role 子女 many
}
input 出生日期: date per member
input 月收入: 元 per member per 月 flow
decide 人均四舍五入 = divide(sum(月收入), count(members), 分, half_up) "到分"
decide 人均舍去 = divide(sum(月收入), count(members), 分, down) "到分"
decide 人均进一 = divide(sum(月收入), count(members), 分, up) "到分"
decide 人均银行家 = divide(sum(月收入), count(members), 分, half_even) "到分"
"""

RULES = """
  rule 多子女 { kind 补贴  when count(子女 where years_between(出生日期, on_date()) 不满 18 年) >= 2 人  amount 1 元 }
  rule 有高龄 { kind 补贴  when any(members where years_between(出生日期, on_date()) 满 80 年)  amount 2 元 }
  rule 全成年 { kind 补贴  when all(子女 where years_between(出生日期, on_date()) 满 18 年)  amount 3 元 }
  rule 子女收入 { kind 补贴  when sum(月收入 over 子女) 不超过 100 元  amount 4 元 }
  rule 最高 { kind 补贴  amount max(月收入 where years_between(出生日期, on_date()) 满 18 年) }
  rule 最低 { kind 补贴  amount min(月收入 over 子女) }
"""

# Four households for 2025-03 (evaluated on 2025-03-01; the test policy ends 2026-01-05), each member (role, born, income).
HOUSEHOLDS: list[dict[str, tuple[str, str | None, str | None]]] = [
    {  # A is 满80 on the day; B turns 18 the day after; 200.02 for 3 people
        "A": ("申请人", "1945-03-01", "100"),
        "B": ("子女", "2007-03-02", "60"),
        "C": ("子女", "2009-01-01", "40.02"),
    },
    {  # A is 79 until the day after; B is 满18 on the day; 0.05 for 2 people: 0.025
        "A": ("申请人", "1945-03-02", "0.05"),
        "B": ("子女", "2007-03-01", "0"),
    },
    {"A": ("申请人", "1959-01-01", None)},  # no children; her income unknown
    {"A": ("申请人", None, "10"), "B": ("子女", "2019-01-01", "0")},  # her birthday unknown
]

# Worked by hand from the rules above: (status, amount) per household.
EXPECTED: dict[str, list[tuple[str, str | None]]] = {
    # children under 18: 2 (B 17, C 16); 0; 0; 1 (B 6)
    "多子女": [("applies", "1")] + [("not_applicable", None)] * 3,
    # a member 满80: A yes; none; none (A 66); A unknown, B no → unknown
    "有高龄": [
        ("applies", "2"),
        ("not_applicable", None),
        ("not_applicable", None),
        ("undetermined", None),
    ],
    # every child 满18: B no; B yes; no child (all of none); B no
    "全成年": [
        ("not_applicable", None),
        ("applies", "3"),
        ("applies", "3"),
        ("not_applicable", None),
    ],
    # children's income 不超过 100: 100.02 no; 0; 0 (none); 0
    "子女收入": [("not_applicable", None)] + [("applies", "4")] * 3,
    # the highest income of those 满18: A 100; A 0.05 (B 0); A unknown; A's age unknown
    "最高": [
        ("applies", "100"),
        ("applies", "0.05"),
        ("undetermined", None),
        ("undetermined", None),
    ],
    # the lowest child income: 40.02; 0; no child (not applicable); 0
    "最低": [
        ("applies", "40.02"),
        ("applies", "0"),
        ("not_applicable", None),
        ("applies", "0"),
    ],
}
# 200.02 / 3 = 66.67333…; 0.05 / 2 = 0.025; unknown; 10 / 2 = 5
DIVIDED = {
    "人均四舍五入": ["66.67", "0.03", None, "5"],
    "人均舍去": ["66.67", "0.02", None, "5"],
    "人均进一": ["66.68", "0.03", None, "5"],
    "人均银行家": ["66.67", "0.02", None, "5"],
}


def households_files(tmp_path: Path) -> tuple[Path, Path, list[dict[str, Any]]]:
    data = []
    for household in HOUSEHOLDS:
        members = {}
        for name, (role, born, income) in household.items():
            inputs: dict[str, Any] = {}
            if born is not None:
                inputs["出生日期"] = born
            if income is not None:
                inputs["月收入"] = Decimal(income)
            members[name] = {"role": role, "inputs": inputs}
        data.append({"period": "2025-03", "members": members})
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members_file = write_csv(tmp_path / "members.csv", member_rows)
    return cases, members_file, data


def run(policy: CompiledPolicy, cases: Path, members: Path) -> tuple[dict[int, Any], Any]:
    with PeopleBatch(policy, {}, Progress(False)) as batch:
        batch.load_people(cases, None, members)
        program = batch.evaluate()
        return dict(batch.rows()), program


def test_aggregates_and_divide_in_sql_as_worked_by_hand(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(RULES, GROUP)
    cases, members, data = households_files(tmp_path)
    rows, program = run(policy, cases, members)
    assert {r.name: r.fallback for r in program.rules} == dict.fromkeys(
        [*DIVIDED, *EXPECTED], ""
    )  # every entry in the query
    for name, expected in EXPECTED.items():
        for number, (status, amount) in enumerate(expected, 1):
            got_status, got_amount, _uncapped = rows[number][name]
            assert got_status == status, (name, number)
            want = None if amount is None else Decimal(amount)
            assert got_amount == want, (name, number)
    for name, values in DIVIDED.items():
        for number, value in enumerate(values, 1):
            got_status, got_value, _ = rows[number][name]
            assert got_status == ("undetermined" if value is None else "decided"), (name, number)
            assert got_value == value, (name, number)  # as text, no trailing zeros
    for number, item in enumerate(data, 1):  # and as run --case gives them
        case = case_from_data(item, policy.checked, "case.json")
        assert_same(policy, rows[number], case, f"household {number}")


def test_the_generator_refuses_what_it_cannot_hold(policies: PolicyFactory) -> None:
    # A rule paid each member used to be generated as if it were the household's: its `each`
    # ignored and the member's 出生日期 read as a column of the cases.
    policy = policies.compile(
        """
  rule 每人 { kind 补贴  each members  when years_between(出生日期, on_date()) 满 80 年  amount 100 元 }
  rule 按月 { kind 补贴  when sum(月收入) 低于 100 元  amount 5 元 per 月 }
  rule 上月 { kind 补贴  when sum(last_month(月收入)) 低于 100 元  amount 5 元 }
  rule 按年 { kind 补贴  amount 5 元 per 年 }
""",
        GROUP,
    )
    month = {r.name: r.fallback for r in generate_batch(policy.checked, {}, {}, "month").rules}
    assert "each member" in month["每人"]
    assert month["按月"] == ""  # a month's case: evaluated once, for that month
    assert "another period" in month["上月"]
    assert "per 年" in month["按年"]
    plain = {r.name: r.fallback for r in generate_batch(policy.checked, {}, {}).rules}
    assert "per 月" in plain["按月"]
    assert "value per period" in plain["人均四舍五入"]


def test_the_county_household_units_and_what_runs_in_sql() -> None:
    county = compile_policy(POLICY)
    program = generate_batch(county.checked, {}, {}, "month")
    rules = {r.name: r for r in program.rules}
    assert rules["低保金"].unit == "元"  # (800 元/人 - 人均) × count(members): 元, not 元/人
    assert rules["低保金"].fallback == "" and rules["家庭月人均收入"].fallback == ""
    assert rules["育儿补贴"].fallback and rules["高龄津贴"].fallback  # each member
    assert rules["取暖补贴"].fallback  # per 年: its year


def test_random_month_households_through_sql_as_run_case(tmp_path: Path) -> None:
    county = compile_policy(POLICY)
    data = [d for d in random_cases(56, 400) if "-" in d["period"]][:200]
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    rows, program = run(county, cases, members)
    assert [r.name for r in program.rules if not r.fallback] == ["家庭月人均收入", "低保金"]
    statuses = set()
    for number, item in enumerate(data, 1):
        case = case_from_data(item, county.checked, "case.json")
        assert_same(county, rows[number], case, f"case {number}: {item}")
        statuses.add(rows[number]["低保金"][0])
    assert statuses == {"applies", "not_applicable", "undetermined"}


def test_month_and_year_cases_in_one_batch_written(tmp_path: Path) -> None:
    county = compile_policy(POLICY)
    data = random_cases(78, 60)
    assert {len(d["period"]) for d in data} == {4, 7}  # years and months
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    with PeopleBatch(county, {}, Progress(False)) as batch:
        batch.load_people(cases, None, members)
        batch.evaluate()
        rows = dict(batch.rows())
        out = tmp_path / "out.csv"
        batch.write(out)
        assert "for a year" in batch.fallback_note
    for number, item in enumerate(data, 1):
        case = case_from_data(item, county.checked, "case.json")
        assert_same(county, rows[number], case, f"case {number}: {item}")
    with out.open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(data)
