"""`date_plus(DATE, N 工作日)`: "受理之日起5个工作日内办结" counted on the official calendar of
working days (runtime/workdays.py), the start day not counted (Civil Code art. 201), 调休 weekend
working days counted and holiday rest days not.

Every expected day is worked out by hand from the State Council's notices (the 2023 notice:
中秋、国庆 9月29日至10月6日, 10月7日（六）、8日（日）上班; the 2024 notice: 劳动节 5月1日至5日,
5月11日（六）上班) and the Gregorian weekdays, not from the calendar package.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from tests.conftest import QUOTE, PolicyFactory

WITHIN = """measure 工作日 "工作日"
input 受理日期: date
input 办结日期: date
clause 七 "x" {
  QUOTE
  responsible 市商务局
  rule 按时办结 {
    when 办结日期 <= date_plus(受理日期, 5 工作日)
    amount 1 元
  }
}
""".replace("QUOTE", QUOTE)
ON = date(2024, 6, 30)

# (受理, the fifth working day after it), worked by hand
FIFTH = [
    # Thu 2023-11-23 (not counted): 24 (Fri), 27, 28, 29, 30
    (date(2023, 11, 23), date(2023, 11, 30)),
    # Wed 2023-09-27: 28 (Thu); 9月29日至10月6日 rest; 10-07 (Sat, 调休), 10-08 (Sun, 调休), 09, 10
    (date(2023, 9, 27), date(2023, 10, 10)),
    # Tue 2024-04-30: 5月1日至5日 rest; 06, 07, 08, 09, 10 (the 调休 Saturday 5-11 would be 6th)
    (date(2024, 4, 30), date(2024, 5, 10)),
]


@pytest.fixture
def within(policies: PolicyFactory) -> CompiledPolicy:
    return compile_policy(policies.write(WITHIN))


def _status(policy: CompiledPolicy, start: date, end: date, *, explain: bool = False) -> str:
    results = policy.evaluate({"受理日期": start, "办结日期": end}, ON, explain=explain)
    return next(r.status for r in results if r.info.name == "按时办结")


@pytest.mark.parametrize(("start", "fifth"), FIFTH)
@pytest.mark.parametrize("explain", [False, True])  # the fast path and the traced one
def test_the_fifth_working_day_is_inside_and_the_next_day_is_not(
    within: CompiledPolicy, start: date, fifth: date, explain: bool
) -> None:
    assert _status(within, start, fifth, explain=explain) == "applies"
    after = date.fromordinal(fifth.toordinal() + 1)
    assert _status(within, start, after, explain=explain) == "not_applicable"


def test_the_trace_names_the_working_day(within: CompiledPolicy) -> None:
    case = {"受理日期": date(2023, 9, 27), "办结日期": date(2023, 10, 10)}
    steps = {s.text for r in within.evaluate(case, ON, explain=True) for s in r.steps}
    assert "受理日期后第5个工作日: 2023-09-27 → 2023-10-10" in steps


def test_a_year_the_calendar_lacks_refuses_the_rule_alone(within: CompiledPolicy) -> None:
    # the run goes on (tests/test_deadline_refused_rule.py): this rule undetermined, refused
    results = within.evaluate({"受理日期": date(2099, 1, 5), "办结日期": date(2099, 1, 9)}, ON)
    (refused,) = [r for r in results if r.info.name == "按时办结"]
    assert refused.status == "undetermined"
    assert refused.refused.startswith(
        "2099-01-06: the calendar of working days knows the days from 2004-01-01 to"
    )


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("5 工作日", "0 工作日", "a whole number of 工作日, 1 or more"),
        ("5 工作日", "1.5 工作日", "a whole number of 工作日, 1 or more"),
        ('measure 工作日 "工作日"', "measure 工作日 = 1 日", "工作日 is then a measure of its own"),
        ('measure 工作日 "工作日"\n', "", "a 工作日 (working day) is no built-in measure"),
    ],
)
def test_what_cannot_be_counted_is_refused(
    policies: PolicyFactory, old: str, new: str, words: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy(policies.write(WITHIN.replace(old, new)))
    assert words in str(caught.value)


def test_the_batch_leaves_it_to_the_per_case_path(within: CompiledPolicy, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from policyc.batch import Batch

    starts = [start for start, _fifth in FIFTH] * 2
    ends = [fifth for _start, fifth in FIFTH]
    ends += [date.fromordinal(day.toordinal() + 1) for day in ends]
    path = tmp_path / "c.parquet"
    columns = {
        "受理日期": [d.isoformat() for d in starts],
        "办结日期": [d.isoformat() for d in ends],
    }
    pq.write_table(pa.table({k: pa.array(v) for k, v in columns.items()}), path)
    with Batch(within) as batch:
        batch.load(path, ON)
        program = batch.evaluate(keep=True)
        rows = [row for _, row in batch.rows()]
    (rule,) = program.rules
    assert "工作日" in rule.fallback  # case by case: no SQL holds the calendar
    assert [row["按时办结"][0] for row in rows] == ["applies"] * 3 + ["not_applicable"] * 3


def test_the_numpy_engine_says_why_it_leaves_it(within: CompiledPolicy, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("numpy")
    from policyc.batch_vector import VectorBatch

    path = tmp_path / "c.parquet"
    columns = {"受理日期": ["2023-09-27"], "办结日期": ["2023-10-10"]}
    pq.write_table(pa.table({k: pa.array(v) for k, v in columns.items()}), path)
    reason = VectorBatch(within, keep=True, threads=1).prepare(path, ON)
    assert "`date_plus` in 工作日 counts on the official calendar of working days" in reason
