"""Fines set by tiers (行政处罚自由裁量权基准), after newcomer s9's restatement of 江管发〔2026〕4号:

1. `ranges-meet` across clauses: the tiers of one fine (one `kind`, one `beneficiary`, an
   amount each) stand in their own clauses; where two meet at a value both include, a case of
   exactly that value is fined twice. Within a rule's `or` (through its `define`s) each
   alternative is compared; `not 较重` beside `较重` is seen through the define's name.
   `tiers-overlap`: tiers whose ranges are apart that still both apply by another road.
2. A duration between dates whose end comes before its start is refused (the case is
   inconsistent: 前次查处 2026-07-15 after 本次 2026-06-30 used to count 0 months, so
   `不满 12 月` held), by the per-case path and by both batch engines.
3. `date_plus(前次, 1 年)`: the anniversary day, so 一年内 including it (民法典 art. 201) is
   `本次 <= date_plus(前次, 1 年)`; month ends by art. 202 or the declared convention.
4. `year_of(d)`: 同一自然年度 is `year_of(前次) == year_of(本次)`.

Every expected value is worked from the text and the calendar, on both sides of each edge.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.lint import lint
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.runtime.evaluation import EvaluationError
from tests.conftest import QUOTE, PolicyFactory

# ---- 1. ranges-meet across the clauses of one fine ----------------------------------------------


def tiers(
    general: str,
    heavier: str,
    *,
    kind: str = "罚款",
    who: str = "违法行为人",
    road: str = " or 前次在一年内",
) -> str:
    """Two tiers of one fine, each in its own clause, as a 基准 writes them."""
    return f"""input 占道面积: 平方米
input 前次在一年内: bool default false
define 占道较重 = {heavier}{road} "较重情节"
clause 七 "一般" {{
  {QUOTE}
  responsible 市商务局
  rule 一般 {{
    kind 罚款
    beneficiary 违法行为人
    when {general}
    amount range 500 元 to 800 元
  }}
}}
clause 八 "较重" {{
  {QUOTE}
  responsible 市商务局
  rule 较重 {{
    kind {kind}
    beneficiary {who}
    when 占道较重
    amount range 800 元 to 1500 元
  }}
}}
"""


def meets(policies: PolicyFactory, body: str) -> list[str]:
    checked = check_policy(policies.write(body))
    return [d.message for d in lint(checked) if d.code == "ranges-meet"]


def test_two_tiers_in_two_clauses_that_both_include_five_are_warned(policies: PolicyFactory):
    # 不超过5平方米 includes 5, 5平方米以上 includes 5: 5平方米 is fined by both tiers.
    found = meets(policies, tiers("占道面积 不超过 5 平方米", "占道面积 5 平方米 以上"))
    assert len(found) == 1
    assert "`一般`" in found[0] and "`较重`" in found[0] and "5 平方米" in found[0]
    assert "both include it" in found[0]


def test_a_clean_cut_between_clauses_is_not_warned(policies: PolicyFactory):
    # 超过5平方米 (the notice's word) excludes 5: 5平方米 is 一般 alone.
    assert meets(policies, tiers("占道面积 不超过 5 平方米", "占道面积 超过 5 平方米")) == []


def test_the_lower_tier_guarded_by_the_heavier_one_is_not_warned(policies: PolicyFactory):
    # `not 占道较重` in 一般: the two can never hold together, whatever the ranges say.
    body = tiers("占道面积 不超过 5 平方米 and not 占道较重", "占道面积 5 平方米 以上")
    assert meets(policies, body) == []


@pytest.mark.parametrize(("kind", "who"), [("罚款", "申请人"), ("滞纳金", "违法行为人")])
def test_rules_of_another_kind_or_payer_are_not_tiers_of_one_fine(
    policies: PolicyFactory, kind: str, who: str
):
    body = tiers("占道面积 不超过 5 平方米", "占道面积 5 平方米 以上", kind=kind, who=who)
    assert meets(policies, body) == []


def overlaps(policies: PolicyFactory, body: str) -> list[str]:
    checked = check_policy(policies.write(body))
    return [d.message for d in lint(checked) if d.code == "tiers-overlap"]


def test_tiers_that_both_apply_by_another_road_are_warned(policies: PolicyFactory):
    # 一般 (不超过5) and 较重 (超过5) cut cleanly by area, but 较重 also holds for 一年内第二次:
    # 3平方米 a second time within the year is fined by both tiers.
    found = overlaps(policies, tiers("占道面积 不超过 5 平方米", "占道面积 超过 5 平方米"))
    assert len(found) == 1
    assert "`一般`" in found[0] and "`较重`" in found[0] and "`前次在一年内`" in found[0]


def test_tiers_guarded_by_the_heavier_condition_are_not_warned(policies: PolicyFactory):
    body = tiers("占道面积 不超过 5 平方米 and not 占道较重", "占道面积 超过 5 平方米")
    assert overlaps(policies, body) == []


def test_tiers_meeting_at_one_value_alone_are_ranges_meet_only(policies: PolicyFactory):
    body = tiers("占道面积 不超过 5 平方米", "占道面积 5 平方米 以上", road="")
    assert overlaps(policies, body) == []
    assert len(meets(policies, body)) == 1


def test_ranges_that_overlap_are_not_tiers(policies: PolicyFactory):
    # 3平方米以上 and 5平方米以上 overlap: stacked amounts, not tiers of one value (no warning).
    assert overlaps(policies, tiers("占道面积 3 平方米 以上", "占道面积 5 平方米 以上")) == []


# ---- 2. a date difference that runs backwards is refused -----------------------------------------

DATES = """input 前次查处日期: date optional
input 本次查处日期: date
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 较重 {
    when months_between(前次查处日期, 本次查处日期) 不满 12 月
    amount 800 元
  }
  rule 严重 {
    when years_between(前次查处日期, 本次查处日期) 满 1 年
    amount 1500 元
  }
}
""".replace("QUOTE", QUOTE)


# The test header's policy is in force 2023-01-06 to 2026-01-05; these rules read no evaluation
# date, so every case is judged on one day inside it.
ON = date(2024, 6, 30)


def statuses(policy: CompiledPolicy, inputs: dict[str, date], on: date = ON) -> dict[str, str]:
    return {r.info.name: r.status for r in policy.evaluate(inputs, on)}


def test_a_previous_date_after_this_one_is_refused_naming_both(policies: PolicyFactory):
    policy = compile_policy(policies.write(DATES))
    case = {"前次查处日期": date(2026, 7, 15), "本次查处日期": date(2026, 6, 30)}
    with pytest.raises(EvaluationError) as caught:
        policy.evaluate(case, ON)
    message = str(caught.value)
    assert "较重" in message
    assert "自前次查处日期至本次查处日期的整月数" in message
    assert "2026-06-30" in message and "2026-07-15" in message


def test_the_same_day_and_the_day_after_are_counted(policies: PolicyFactory):
    policy = compile_policy(policies.write(DATES))
    on = date(2026, 7, 15)  # 本次
    # Same day: 0 months, 不满12月 holds; not 满1年.
    same = statuses(policy, {"前次查处日期": on, "本次查处日期": on})
    assert same == {"较重": "applies", "严重": "not_applicable"}
    # 2025-07-15 → 2026-07-15: 12 months complete on the anniversary: 满1年, not 不满12月.
    year = statuses(policy, {"前次查处日期": date(2025, 7, 15), "本次查处日期": on})
    assert year == {"较重": "not_applicable", "严重": "applies"}


def test_against_the_evaluation_day_a_later_date_counts_none(policies: PolicyFactory):
    """`on_date()` as an end: a start after the day judged is a period not begun (a member born
    after a month of a year's case), 0 completed months, not an inconsistent case."""
    body = DATES.replace("本次查处日期) 不满 12 月", "on_date()) 不满 12 月")
    policy = compile_policy(policies.write(body))
    # 前次 2024-07-01, judged on 2024-06-30: 0 months, 不满12月 (本次 the same day as 前次).
    later = statuses(policy, {"前次查处日期": date(2024, 7, 1), "本次查处日期": date(2024, 7, 1)})
    assert later["较重"] == "applies"
    with pytest.raises(EvaluationError):  # 严重 still compares two of the case's dates
        statuses(policy, {"前次查处日期": date(2024, 7, 1), "本次查处日期": date(2024, 6, 1)})


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["前次查处日期", "本次查处日期"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_batch_refuses_the_row_the_per_case_path_refuses(
    policies: PolicyFactory, tmp_path: Path
):
    pytest.importorskip("duckdb")
    from policyc.batch import Batch, BatchError

    policy = compile_policy(policies.write(DATES))
    rows = [
        {"前次查处日期": "2025-07-15", "本次查处日期": "2026-07-15"},
        {"前次查处日期": "2026-07-15", "本次查处日期": "2026-06-30"},
    ]
    path = write_csv(tmp_path / "c.csv", rows)
    with pytest.raises(BatchError) as caught, Batch(policy) as batch:
        batch.load(path, ON)
        batch.evaluate(keep=True)
    text = str(caught.value.problems[0].message)
    assert "row 2" in text and "2026-07-15" in text and "2026-06-30" in text


def test_the_numpy_engine_steps_aside_for_a_backwards_row(policies: PolicyFactory, tmp_path: Path):
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from policyc.batch_vector import VectorBatch

    policy = compile_policy(policies.write(DATES))
    columns = {
        "前次查处日期": pa.array(["2025-07-15", "2026-07-15"]),  # dates as text, as cases give them
        "本次查处日期": pa.array(["2026-07-15", "2026-06-30"]),
    }
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table(columns), path)
    reason = VectorBatch(policy, keep=True, threads=1).prepare(path, ON)
    assert "end comes before its start" in reason  # DuckDB, then the per-case path, judge it
    ordered = tmp_path / "ok.parquet"
    pq.write_table(pa.table({k: v[:1] for k, v in columns.items()}), ordered)
    assert VectorBatch(policy, keep=True, threads=1).prepare(ordered, ON) == ""


# ---- 3 and 4. date_plus and year_of on every engine ---------------------------------------------

CALENDAR = """input 前次查处日期: date optional
input 本次查处日期: date
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 一年内 {
    when 本次查处日期 > 前次查处日期 and 本次查处日期 <= date_plus(前次查处日期, 1 年)
    amount 800 元
  }
  rule 同一年度 {
    when year_of(前次查处日期) == year_of(本次查处日期)
    amount 800 元
  }
  rule 一月内 {
    when 本次查处日期 <= date_plus(前次查处日期, 1 月)
    amount 1 元
  }
  rule 十五日内 {
    when 本次查处日期 <= date_plus(前次查处日期, 15 日)
    amount 1 元
  }
}
""".replace("QUOTE", QUOTE)

# (前次, 本次, 一年内, 同一年度, 一月内, 十五日内), worked by hand:
WORKED = [
    # 2025-07-01 + 1 年 = 2026-07-01, the anniversary, inside (art. 201); the day after is not.
    (date(2025, 7, 1), date(2026, 7, 1), "applies", "not_applicable", "not_applicable", "n"),
    (date(2025, 7, 1), date(2026, 7, 2), "not_applicable", "not_applicable", "not_applicable", "n"),
    # 2026-01-01 and 2026-12-31: one calendar year; 2026-12-31 and 2027-01-01: two.
    (date(2026, 1, 1), date(2026, 12, 31), "applies", "applies", "not_applicable", "n"),
    (date(2026, 12, 31), date(2027, 1, 1), "applies", "not_applicable", "applies", "y"),
    # 2027-01-31 + 1 月 = 2027-02-28 (February has no 31st: its last day, art. 202).
    (date(2027, 1, 31), date(2027, 2, 28), "applies", "applies", "applies", "n"),
    (date(2027, 1, 31), date(2027, 3, 1), "applies", "applies", "not_applicable", "n"),
    # 2028 is a leap year: 2028-01-31 + 1 月 = 2028-02-29.
    (date(2028, 1, 31), date(2028, 2, 29), "applies", "applies", "applies", "n"),
    # 2026-03-10 + 15 日 = 2026-03-25 inside; 03-26 not.
    (date(2026, 3, 10), date(2026, 3, 25), "applies", "applies", "applies", "y"),
    (date(2026, 3, 10), date(2026, 3, 26), "applies", "applies", "applies", "n"),
]


def expected(row: tuple[date, date, str, str, str, str]) -> dict[str, str]:
    within = "applies" if row[5] == "y" else "not_applicable"
    return {"一年内": row[2], "同一年度": row[3], "一月内": row[4], "十五日内": within}


@pytest.mark.parametrize("row", WORKED, ids=[f"{r[0]}→{r[1]}" for r in WORKED])
def test_date_plus_and_year_of_by_hand(policies: PolicyFactory, row: tuple) -> None:
    policy = compile_policy(policies.write(CALENDAR))
    case = {"前次查处日期": row[0], "本次查处日期": row[1]}
    assert statuses(policy, case) == expected(row)


def test_a_missing_date_leaves_them_undetermined(policies: PolicyFactory):
    policy = compile_policy(policies.write(CALENDAR))
    got = statuses(policy, {"本次查处日期": date(2026, 7, 1)})
    assert set(got.values()) == {"undetermined"}


def test_next_day_convention_moves_a_missing_day_to_the_first(policies: PolicyFactory):
    body = 'convention missing_day next_day because "次日届满"\n' + CALENDAR
    policy = compile_policy(policies.write(body))
    # Under next_day 2027-01-31 + 1 月 is 2027-03-01: 03-01 is inside, 03-02 not.
    for day, want in ((date(2027, 3, 1), "applies"), (date(2027, 3, 2), "not_applicable")):
        got = statuses(policy, {"前次查处日期": date(2027, 1, 31), "本次查处日期": day})
        assert got["一月内"] == want


def test_the_explain_trace_gives_the_day_and_the_year(policies: PolicyFactory):
    policy = compile_policy(policies.write(CALENDAR))
    case = {"前次查处日期": date(2025, 7, 1), "本次查处日期": date(2026, 7, 1)}
    steps = {s.text for r in policy.evaluate(case, ON, explain=True) for s in r.steps}
    assert "前次查处日期起1年的对应日: 2025-07-01 → 2026-07-01" in steps
    assert "前次查处日期所在年份: 2025-07-01 → 2025" in steps


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("date_plus(本次查处日期, 0.5 月)", "whole number of 年, 月 or 日"),
        ("date_plus(本次查处日期, 2 小时)", "whole number of 年, 月 or 日"),
        ("date_plus(本次查处日期)", "`date_plus` takes 2 argument(s), not 1"),
        ("year_of(本次查处日期, 1 年)", "`year_of` takes 1 argument(s), not 2"),
    ],
)
def test_wrong_arguments_are_refused(policies: PolicyFactory, expr: str, words: str):
    body = CALENDAR.replace("date_plus(前次查处日期, 15 日)", expr)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policies.write(body))
    assert words in str(caught.value)


def test_both_batch_engines_agree_with_the_hand(policies: PolicyFactory, tmp_path: Path):
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from policyc.batch import Batch
    from policyc.batch_vector import VectorBatch

    policy = compile_policy(policies.write(CALENDAR))
    on = ON
    columns = {
        "前次查处日期": pa.array([r[0].isoformat() for r in WORKED] + [None]),
        "本次查处日期": pa.array([r[1].isoformat() for r in WORKED] + ["2026-07-01"]),
    }
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table(columns), path)
    vector = VectorBatch(policy, keep=True, threads=1)
    assert vector.prepare(path, on) == ""
    numpy_rows = [row for _, row in vector.rows()]
    with Batch(policy) as batch:
        batch.load(path, on)
        program = batch.evaluate(keep=True)
        sql_rows = [row for _, row in batch.rows()]
    assert all(rule.fallback == "" for rule in program.rules)  # in the query, not case by case
    assert numpy_rows == sql_rows
    for row, got in zip(WORKED, sql_rows, strict=False):
        assert {name: value[0] for name, value in got.items()} == expected(row)
    assert {value[0] for value in sql_rows[-1].values()} == {"undetermined"}
