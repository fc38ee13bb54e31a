"""The shipped policies through the numpy engine (cli/batch_vector.py): their example cases
written as a `--cases` file holds them (every cell text, a per-row `on` column: the
benchmark's file, benchmarks/policies_batch.py), and random rows around every edge.

Each answer — every entry's status, amount and amount before the cap, and the summary — must be
the DuckDB path's, and the per-case runtime's (`policyc run`, case by case, under the same
readings). Edges worked by hand from the text: the validity window (tzf-2023-1 in force from
2023-03-31 to 2026-03-30, both days included), 2023年1月1日至3月31日 including both days
(tzbh-2023-5's 购房日期), a target's 左右 tolerance (tzbf-2023-1).
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

from policyc.batch import Batch  # noqa: E402
from policyc.batch_values import OnValue, text_value  # noqa: E402
from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.cases import case_from_data  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import policies_batch  # noqa: E402

POLICIES = ROOT / "policies"
ON = date(2024, 6, 30)


def numpy_rows(policy: CompiledPolicy, path: Path, day: date | None) -> tuple[list[Any], Any]:
    batch = VectorBatch(policy, keep=True, threads=2)
    reason = batch.prepare(path, day)
    assert reason == "", reason  # the engine must run, not fall back
    return [r for _, r in batch.rows()], batch.summary()


def duckdb_rows(policy: CompiledPolicy, path: Path, day: date | None) -> tuple[list[Any], Any]:
    with Batch(policy) as batch:
        batch.load(path, day)
        batch.evaluate(keep=True)
        return [r for _, r in batch.rows()], batch.summary()


def scalar_rows(
    policy: CompiledPolicy, table: Any, day: date | None
) -> list[dict[str, tuple[str, Any, Decimal | None]]]:
    """Each row evaluated by the per-case runtime as `policyc run` evaluates a case file: its
    cells as the same texts written unquoted in a YAML case (a series its `;`-joined days, a
    tally a mapping of its members), checked and completed (defaults) by the case reader, under
    the policy's default readings."""
    checked = policy.checked
    readings = dict(policy.namespace["READINGS"])
    out = []
    for row in table.to_pylist():
        inputs: dict[str, Any] = {}
        on = day
        for name, cell in row.items():
            if cell is None or not cell.strip():
                continue
            if name == "on":
                on = OnValue().read(cell)
                continue
            if name not in checked.inputs:  # a tally's NAME.MEMBER
                whole, _, member = name.rpartition(".")
                inputs.setdefault(whole, {})[member] = text_value(cell)
            elif checked.inputs[name].type.kind == "series":
                inputs[name] = [text_value(d) for d in cell.split(";")]
            else:
                inputs[name] = text_value(cell)
        assert on is not None
        case = case_from_data({"on": on.isoformat(), "inputs": inputs}, checked, "row")
        results = policy.evaluate(case.inputs, on, readings)
        shown: dict[str, tuple[str, Any, Decimal | None]] = {}
        for r in results:
            if r.info.role == "decision":
                text = _shown(r.value) if r.status == "decided" else None
                shown[r.info.name] = (r.status, text, None)
                continue
            if r.info.role not in ("rule", "target"):
                continue
            amount = r.amount.value if r.amount is not None and r.status == "applies" else None
            uncapped = r.uncapped.value if r.uncapped is not None and amount is not None else None
            shown[r.info.name] = (r.status, amount, uncapped)
        out.append(shown)
    return out


def _shown(value: Any) -> str:
    """A decided value as the results file writes it, worked from the runtime's value."""
    from policyc.runtime.quantity import Quantity

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Quantity):
        if value.percent:
            return format((value.value * 100).normalize(), "f") + "%"
        return format(value.value.normalize(), "f")
    return str(value)


def all_agree(policy_path: Path, path: Path, day: date | None = None) -> list[Any]:
    policy = compile_policy(policy_path)
    rows, summary = numpy_rows(policy, path, day)
    sql_rows, sql_summary = duckdb_rows(policy, path, day)
    assert len(rows) == len(sql_rows)
    for k, (mine, theirs) in enumerate(zip(rows, sql_rows, strict=True)):
        assert mine == theirs, k
    assert _plain(summary) == _plain(sql_summary)
    # Without keeping the rows, the rows of several years are sorted by year: the same sums.
    alone = VectorBatch(policy, keep=False, threads=2)
    assert alone.prepare(path, day) == ""
    assert _plain(alone.summary()) == _plain(sql_summary)
    scalar = scalar_rows(policy, pq.read_table(path), day)
    for k, (mine, theirs) in enumerate(zip(rows, scalar, strict=True)):
        for name, (status, amount, uncapped) in mine.items():
            want = theirs[name]
            assert status == want[0], (k, name)
            assert amount == want[1], (k, name)
            assert uncapped == want[2], (k, name)
    return rows


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without what says how the DuckDB path took each entry (its `per_case` reason,
    where the query left an entry to the per-case runtime, and the note on them)."""
    out = dict(summary)
    for key in ("decisions", "rules", "targets"):
        out[key] = [{k: v for k, v in item.items() if k != "per_case"} for item in out[key]]
    out.pop("note", None)
    return out


def write_examples(policy: Path, out: Path, n: int) -> Path:
    policies_batch.write_cases(policy, n, out)
    return out


MOVED = ["tzbf-2023-1", "tzbf-2023-2", "tzbh-2023-1", "tzbh-2023-5", "tzf-2023-1"]


@pytest.mark.parametrize("name", MOVED)
def test_examples_through_numpy_agree(name: str, tmp_path: Path) -> None:
    policy = POLICIES / f"{name}.policy"
    count = len(policies_batch.example_rows(policy))
    cases = write_examples(policy, tmp_path / "cases.parquet", count + 7)
    all_agree(policy, cases)
    all_agree(policy, cases, ON)  # an empty `on` would take --on's date


def write_rows(path: Path, rows: list[dict[str, str | None]]) -> Path:
    """Rows of text cells (None: an empty cell), every column a Parquet string."""
    columns = sorted({c for row in rows for c in row})
    table = {c: pa.array([row.get(c) for row in rows], pa.string()) for c in columns}
    pq.write_table(pa.table(table), path, row_group_size=4)
    return path


def test_validity_per_row_both_sides(tmp_path: Path) -> None:
    """tzf-2023-1 under its reading from_start_day is in force 2023-01-06 to 2026-01-05, both
    days included: a rule without valid_by is out of force on 2023-01-05 and 2026-01-06 (each
    row on its own `on`), in force on the first and last days."""
    days = ["2023-01-05", "2023-01-06", "2026-01-05", "2026-01-06"]
    rows = [{"on": d, "申请人类型": "纺织企业", "新进规": "是"} for d in days]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    got = all_agree(POLICIES / "tzf-2023-1.policy", cases)
    policy = compile_policy(POLICIES / "tzf-2023-1.policy")
    plain = [r.name.text for _, r in _entries(policy) if r.valid_by is None]
    assert plain
    for day, row in zip(days, got, strict=True):
        out = day in ("2023-01-05", "2026-01-06")
        for name in plain:
            assert (row[name][0] == "not_in_force") == out, (day, name)


def _entries(policy: CompiledPolicy) -> list[Any]:
    from policyc.compiler import nodes as n
    from policyc.compiler.batch import _indexed_entries

    return [(i, e) for i, e in _indexed_entries(policy.checked) if isinstance(e, n.Rule)]


@pytest.mark.parametrize(
    ("founded", "on", "paid"),
    [
        # Years of operation from the founding day (runtime.dates.year_of_operation): year 3
        # (50%) starts on the day 24 months are complete.
        ("2023-02-28", "2025-02-27", "1000000"),
        ("2023-02-28", "2025-02-28", "500000"),
        # A leap day's 24th month completes on 2026-02-28 (no 29th): year 3 starts then.
        ("2024-02-29", "2026-02-27", "1000000"),
        ("2024-02-29", "2026-02-28", "500000"),
        ("2023-01-06", "2023-06-01", "1000000"),  # year 1, founded on the first day in force
        ("2023-01-05", "2023-06-01", None),  # founded the day before: not in force (valid_by)
        ("2023-06-02", "2023-06-01", None),  # not founded yet on the day: no year, not paid
    ],
)
def test_schedule_and_valid_by_both_sides(
    tmp_path: Path, founded: str, on: str, paid: str | None
) -> None:
    rows = [
        {
            "on": on,
            "申请人类型": "纺织企业",
            "成立日期": founded,
            "企业所得税市级留成": "100万元",
            "增值税市级留成": "0",
        }
    ]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    [row] = all_agree(POLICIES / "tzf-2023-1.policy", cases)
    status, amount, _ = row["新成立企业税收奖励"]
    if paid is None:
        assert status in ("not_in_force", "not_applicable")
        assert (status == "not_in_force") == (founded == "2023-01-05")
    else:
        assert (status, amount) == ("applies", Decimal(paid))


def test_purchase_window_both_ends(tmp_path: Path) -> None:
    """tzbh-2023-5: 2023年1月1日至3月31日, both days included: 5000元 and 2000元 inside."""
    days = ["2022-12-31", "2023-01-01", "2023-03-31", "2023-04-01"]
    rows = [
        {
            "on": "2023-06-01",
            "申请人类型": "购房人",
            "进城购买商品住房": "是",
            "购房人来自乡镇农村": "是",
            "购房日期": d,
        }
        for d in days
    ]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    got = all_agree(POLICIES / "tzbh-2023-5.policy", cases)
    inside = [r["购房家电消费补贴"][:2] for r in got]
    assert inside == [
        ("not_applicable", None),
        ("applies", Decimal(5000)),
        ("applies", Decimal(5000)),
        ("not_applicable", None),
    ]
    assert [r["购房水电燃气补贴"][1] for r in got] == [None, Decimal(2000), Decimal(2000), None]


@pytest.mark.parametrize(
    ("actual", "status"),
    [("6.9%", "not_met"), ("7%", "met"), ("7.5%", "met"), ("12%", "met")],
)
def test_target_tolerance_both_sides(tmp_path: Path, actual: str, status: str) -> None:
    """地区生产总值增速 不低于 7.5% within 0.5%: met from 7% up (the tolerance's lower edge)."""
    rows = [{"on": "2023-12-31", "地区生产总值增速": actual}]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    [row] = all_agree(POLICIES / "tzbf-2023-1.policy", cases)
    assert row["地区生产总值增速"][0] == status


def test_an_empty_on_takes_the_on_date(tmp_path: Path) -> None:
    """A row without `on` is evaluated on --on; without --on the engine steps aside (the
    DuckDB load says which row lacks it)."""
    rows = [
        {
            "on": "2023-06-01",
            "申请人类型": "购房人",
            "进城购买商品住房": "是",
            "购房日期": "2023-02-01",
        },
        {"on": None, "申请人类型": "购房人", "进城购买商品住房": "是", "购房日期": "2023-02-01"},
    ]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    policy = compile_policy(POLICIES / "tzbh-2023-5.policy")
    assert VectorBatch(policy).prepare(cases, None) != ""
    all_agree(POLICIES / "tzbh-2023-5.policy", cases, ON)


@pytest.mark.parametrize("cell", ["abc", "-5", "1.5人"])
def test_a_text_to_report_goes_to_duckdb(tmp_path: Path, cell: str) -> None:
    rows = [{"on": "2023-06-01", "申请人类型": "纺织企业", "用工企业常年用工人数": cell}]
    cases = write_rows(tmp_path / "cases.parquet", rows)
    policy = compile_policy(POLICIES / "tzf-2023-1.policy")
    assert VectorBatch(policy).prepare(cases, None) != ""


@pytest.mark.parametrize("name", MOVED)
@pytest.mark.parametrize("seed", [1, 2])
def test_random_cases_agree(name: str, seed: int, tmp_path: Path) -> None:
    """Rows whose every cell is drawn from that column's cells in the policy's examples (or
    left empty): combinations no example holds, with every value an example reads."""
    policy = POLICIES / f"{name}.policy"
    examples = policies_batch.example_rows(policy)
    columns = sorted({c for row in examples for c in row})
    pools = {c: sorted({row[c] for row in examples if c in row}) for c in columns}
    rng = np.random.default_rng(seed)
    checked = compile_policy(policy).checked
    rows = []
    for _ in range(60):
        row: dict[str, str | None] = {}
        for c in columns:
            info = checked.inputs.get(c)
            required = info is not None and info.decl.presence == "required"
            empty = c != "on" and not required and rng.random() < 0.3
            row[c] = None if empty else str(rng.choice(pools[c]))
        rows.append(row)
    cases = write_rows(tmp_path / "cases.parquet", rows)
    all_agree(policy, cases)


def test_longest_run_by_hand() -> None:
    """tzbf-2023-2's 超150持续48小时及以上 = longest_run(预测日AQI 超过 150 AQI) 不少于 48 小时,
    a day counting 24 hours: two consecutive days above 150 hold it, 150 itself is not above,
    and days past a series' end never count."""
    from policyc.compiler.batch_vector import Column, Val, VectorExpressions

    policy = compile_policy(POLICIES / "tzbf-2023-2.policy")
    checked = policy.checked
    define = checked.defines["超150持续48小时及以上"]
    columns = {"预测日AQI": Column("预测日AQI", "series", 0, 500)}
    gen = VectorExpressions(checked, dict(policy.namespace["READINGS"]), columns, ON)
    vec = gen.condition(define.expr)
    days = np.array(
        [
            [151, 151, 0, 0],  # two days above 150: 48 hours
            [151, 150, 151, 0],  # 150 is not above 150: one day at a time
            [151, 0, 0, 0],  # one day: 24 hours
            [140, 151, 151, 151],  # three days: 72 hours
            [151, 151, 151, 151],  # one day given (length 1): the rest are past its end
        ],
        dtype=np.int64,
    )
    lengths = np.array([2, 3, 1, 4, 1], dtype=np.int64)
    env = {"预测日AQI": Val(days), "预测日AQI#len": Val(lengths)}
    assert vec.run(env).v.tolist() == [True, False, False, True, False]
