"""`date_plus(DATE, DURATION)` with a duration that is an input or an expression (the newcomer13
report, finding 2): "贷款到期时借款人年龄不超过65周岁" is
`years_between(出生日期, date_plus(on_date(), 贷款期限)) 不超过 65 年`. One calendar rule for a
written and a given duration (民法典 arts. 201–202, language.md "date_plus"): whole months under
the missing-day convention, whole days as days; a fraction of a month or a negative duration in a
case is refused naming it. The batch engines leave such a rule to the per-case path, saying why.

Every expected date and status is worked by hand from the calendar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import EvaluationError
from policyc.runtime.quantity import Quantity
from tests.conftest import QUOTE, REPO, PolicyFactory
from tests.test_fastpath import both

AGE = """input 出生日期: date
input 贷款期限: 月
input 宽限天数: 日 default 0 日
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 到期不超过65周岁 {
    when years_between(出生日期, date_plus(on_date(), 贷款期限)) 不超过 65 年
    amount 1 元
  }
  rule 到期日在2月底前 {
    when date_plus(on_date(), 贷款期限) <= date_plus(on_date(), 贷款期限 + 1 月)
      and date_plus(on_date(), 贷款期限) <= 2025-02-28
    amount 1 元
  }
  rule 宽限期内 {
    when date_plus(出生日期, 宽限天数) >= on_date()
    amount 1 元
  }
}
""".replace("QUOTE", QUOTE)


def compiled(policies: PolicyFactory, body: str = AGE) -> CompiledPolicy:
    return compile_policy(policies.write(body))


def statuses(policy: CompiledPolicy, inputs: dict[str, object], on: date) -> dict[str, str]:
    return {r.info.name: r.status for r in policy.evaluate(inputs, on)}


# (出生日期, 评估日, 贷款期限, 到期不超过65周岁), by hand: the end is the corresponding day of the
# term's last month (art. 201); 周岁 are completed years at that day.
WORKED = [
    # 2025-06-01 + 354个月 = 2054-12-01: born 1989-01-01, 65周岁11个月 → not over 65.
    (date(1989, 1, 1), date(2025, 6, 1), Quantity.of("354", "月"), "applies"),
    # born 1988-12-02: the end is the day before the 66th birthday → still 65周岁.
    (date(1988, 12, 2), date(2025, 6, 1), Quantity.of("354", "月"), "applies"),
    # born 1988-12-01: the end is the 66th birthday → over 65.
    (date(1988, 12, 1), date(2025, 6, 1), Quantity.of("354", "月"), "not_applicable"),
    # a term in 年 is months: 29.5 年 = 354个月, the same end day.
    (date(1988, 12, 1), date(2025, 6, 1), Quantity.of("29.5", "年"), "not_applicable"),
    (date(1988, 12, 2), date(2025, 6, 1), Quantity.of("29.5", "年"), "applies"),
]


@pytest.mark.parametrize("row", WORKED, ids=[f"{r[0]}+{r[2].value}" for r in WORKED])
def test_the_age_at_the_term_s_end_by_hand(policies: PolicyFactory, row: tuple) -> None:
    policy = compiled(policies)
    inputs = {"出生日期": row[0], "贷款期限": row[2]}
    assert statuses(policy, inputs, row[1])["到期不超过65周岁"] == row[3]
    both(policy, inputs, row[1])


def test_a_given_month_follows_the_written_month_s_rule(policies: PolicyFactory) -> None:
    # 2025-01-31 + 1 月 is 2025-02-28 (art. 202, convention month_end), as for `1 月` written out.
    policy = compiled(policies)
    inputs = {"出生日期": date(1990, 1, 1), "贷款期限": Quantity.of("1", "月")}
    steps = {
        s.text for r in policy.evaluate(inputs, date(2025, 1, 31), explain=True) for s in r.steps
    }
    assert "评估日起贷款期限的对应日: 2025-01-31 → 2025-02-28" in steps
    assert statuses(policy, inputs, date(2025, 1, 31))["到期日在2月底前"] == "applies"
    # From 2025-02-01 one month on is 2025-03-01: after the end of February.
    assert statuses(policy, inputs, date(2025, 2, 1))["到期日在2月底前"] == "not_applicable"


def test_next_day_convention_applies_to_a_given_month_too(policies: PolicyFactory) -> None:
    body = 'convention missing_day next_day because "次日届满"\n' + AGE
    policy = compiled(policies, body)
    inputs = {"出生日期": date(1990, 1, 1), "贷款期限": Quantity.of("1", "月")}
    # Under next_day 2025-01-31 + 1 月 is 2025-03-01: after 2025-02-28.
    assert statuses(policy, inputs, date(2025, 1, 31))["到期日在2月底前"] == "not_applicable"


def test_a_given_number_of_days(policies: PolicyFactory) -> None:
    policy = compiled(policies)
    base = {"出生日期": date(2025, 3, 10), "贷款期限": Quantity.of("0", "月")}
    # 2025-03-10 + 15 日 = 2025-03-25: on that day inside, the day after not.
    inputs = {**base, "宽限天数": Quantity.of("15", "日")}
    assert statuses(policy, inputs, date(2025, 3, 25))["宽限期内"] == "applies"
    assert statuses(policy, inputs, date(2025, 3, 26))["宽限期内"] == "not_applicable"
    both(policy, inputs, date(2025, 3, 25))


@pytest.mark.parametrize(
    ("term", "shown"),
    [(Quantity.of("0.5", "月"), "0.5个月"), (Quantity.of("-1", "月"), "-1个月")],
)
def test_a_fraction_or_a_negative_term_is_refused_naming_it(
    policies: PolicyFactory, term: Quantity, shown: str
) -> None:
    policy = compiled(policies)
    inputs = {"出生日期": date(1990, 1, 1), "贷款期限": term}
    with pytest.raises(EvaluationError) as caught:
        policy.evaluate(inputs, date(2025, 6, 1))
    text = str(caught.value)
    assert "`date_plus` adds a whole number of months or days, not negative" in text
    assert shown in text
    both(policy, inputs, date(2025, 6, 1))  # the fast path refuses it alike


def test_a_duration_of_another_measure_is_refused_at_check(policies: PolicyFactory) -> None:
    body = AGE.replace("input 贷款期限: 月", "input 贷款期限: 元")
    with pytest.raises(PolicyError) as caught:
        compiled(policies, body)
    assert "the duration of `date_plus` is in 年, 月 or 日, not" in str(caught.value)


def test_written_durations_are_still_checked_where_written(policies: PolicyFactory) -> None:
    body = AGE.replace("date_plus(出生日期, 宽限天数)", "date_plus(出生日期, 0.5 月)")
    with pytest.raises(PolicyError) as caught:
        compiled(policies, body)
    assert "whole number of 年, 月 or 日 written out" in str(caught.value)


def test_the_sql_engine_adds_a_given_duration_by_hand(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    from tests.batch_helpers import batch_csv

    policy = compiled(policies)
    # 2025-06-01 + 354个月 = 2054-12-01: born 1988-12-02 → 65周岁, 1988-12-01 → 66周岁; 29.5年
    # the same; 15日 from 2025-05-17 is 2025-06-01, the day judged (≥ includes it), from
    # 2025-05-16 it is 2025-05-31.
    text = (
        "出生日期,贷款期限,宽限天数\n1988-12-02,354个月,0日\n1988-12-01,354个月,0日\n"
        "1988-12-02,29.5年,0日\n"
    )
    fallback, rows = batch_csv(policy, tmp_path, text, date(2025, 6, 1))
    assert fallback["到期不超过65周岁"] == ""  # in the query, not case by case
    assert [row["到期不超过65周岁"][0] for row in rows] == ["applies", "not_applicable", "applies"]
    text = "出生日期,贷款期限,宽限天数\n2025-05-17,1个月,15日\n2025-05-16,1个月,15日\n"
    fallback, rows = batch_csv(policy, tmp_path, text, date(2025, 6, 1))
    assert fallback["宽限期内"] == ""
    assert [row["宽限期内"][0] for row in rows] == ["applies", "not_applicable"]


def test_the_sql_engine_leaves_a_fraction_of_a_month_to_the_per_case_path(
    policies: PolicyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    from policyc.cli import main

    path = policies.write(AGE)
    cases = tmp_path / "cases.csv"
    cases.write_text("on,出生日期,贷款期限\n2025-06-01,1988-12-02,354.5个月\n", "utf-8")
    code = main(["run", str(path), "--cases", str(cases)])
    out, err = capsys.readouterr()
    assert code != 0 or "354.5个月" in out + err
    assert "`date_plus` adds a whole number of months or days, not negative" in out + err
    assert "354.5个月" in out + err


def test_the_housing_fund_cases_pass() -> None:
    # tests/fixtures/housing-fund: its age sentence reads as the text (cases 19–21 either side).
    from policyc.cases import load_case

    folder = REPO / "tests" / "fixtures" / "housing-fund"
    policy = compile_policy(folder / "yxgjj-2026-3.policy")
    for name, want in (("19", "applies"), ("20", "applies"), ("21", "not_applicable")):
        (path,) = (folder / "examples" / "yxgjj-2026-3").glob(f"{name}-*.yaml")
        case = load_case(path, policy.checked)
        assert case.on is not None
        got = {r.info.name: r.status for r in policy.evaluate(case.inputs, case.on, case.readings)}
        assert got["个人住房贷款"] == want, path.name


def parquet(tmp_path: Path, columns: dict[str, list[object]]) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({k: pa.array(v) for k, v in columns.items()}), path)
    return path


def test_the_numpy_engine_adds_a_given_duration_by_hand(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    policy = compiled(policies)
    on = date(2025, 6, 1)
    # By hand (2025-06-01 + 354个月 = 2054-12-01): 1988-12-02 → 65周岁, 1988-12-01 → 66周岁; a
    # term in 年 (29.5年 = 354个月) alike.
    path = parquet(
        tmp_path,
        {
            "出生日期": ["1988-12-02", "1988-12-01", "1988-12-02"],
            "贷款期限": ["354个月", "354个月", "29.5年"],
            "宽限天数": ["0日", "0日", "0日"],
        },
    )
    vector = VectorBatch(policy, keep=True, threads=1)
    assert vector.prepare(path, on) == ""  # the numpy engine, not a fallback
    got = [row["到期不超过65周岁"][0] for _, row in vector.rows()]
    assert got == ["applies", "not_applicable", "applies"]


def test_the_numpy_engine_adds_given_days_and_month_ends(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    policy = compiled(policies)
    # 2025-01-31 + 1个月 = 2025-02-28 (art. 202): 到期日在2月底前 holds. 2025-01-16 + 15日 =
    # 2025-01-31, the day judged: 宽限期内 holds (≥ includes it); 2025-01-15 + 15日 = 2025-01-30
    # does not.
    path = parquet(
        tmp_path,
        {
            "出生日期": ["2025-01-16", "2025-01-15"],
            "贷款期限": ["1个月", "1个月"],
            "宽限天数": ["15日", "15日"],
        },
    )
    vector = VectorBatch(policy, keep=True, threads=1)
    assert vector.prepare(path, date(2025, 1, 31)) == ""
    rows = [row for _, row in vector.rows()]
    assert [r["到期日在2月底前"][0] for r in rows] == ["applies", "applies"]
    assert [r["宽限期内"][0] for r in rows] == ["applies", "not_applicable"]


def test_the_numpy_engine_leaves_a_fraction_of_a_month_to_the_others(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    policy = compiled(policies)
    path = parquet(
        tmp_path,
        {"出生日期": ["1988-12-02"], "贷款期限": ["354.5个月"], "宽限天数": ["0日"]},
    )
    vector = VectorBatch(policy, keep=True, threads=1)
    why = vector.prepare(path, date(2025, 6, 1))
    assert "not whole months or days" in why
