"""The numpy engine's pipeline (cli/batch_vector.py: VectorBatch.prepare): the first row group
read on the threads while the footer is checked and the policy compiled, and the text columns
scanned on the threads, a row group each (cli/batch_text.py: scan).

Whatever the number of row groups (one, several, one a row), with empty values or none, and
with text cells, two threads give what one gives, and what the text says (benchmarks/
rules-source.txt: 0.2元 a 单; 8000万元 of sales first reached earns 8万元); a value to report in
the first row group or the last sends the file to DuckDB with the reason, and the reads not
started are dropped.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import policyc.batch_vector as batch_vector  # noqa: E402
from policyc.batch_arrow import open_arrow, open_source, read_table  # noqa: E402
from policyc.batch_vector import VectorBatch  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "benchmarks" / "rules.policy"
ON = date(2024, 6, 30)
ROWS = 30


@pytest.fixture(scope="module")
def rules() -> CompiledPolicy:
    return compile_policy(RULES)


def cases(nulls: bool, text: bool = False, kinds: list[str] | None = None) -> dict[str, Any]:
    """ROWS 电商企业 (or `kinds`), row k shipping 10 + k 单; sales 8000万元, every third row's
    left empty when `nulls`; the numbers as text cells when `text`."""
    shipped = [10 + k for k in range(ROWS)]
    sales = [None if nulls and k % 3 == 0 else Decimal(80_000_000) for k in range(ROWS)]
    columns: dict[str, Any] = {"企业类型": pa.array(kinds or ["电商企业"] * ROWS)}
    if text:
        columns["年发货量"] = pa.array([str(x) for x in shipped])
        columns["年销售收入"] = pa.array([None if s is None else str(s) for s in sales])
    else:
        columns["年发货量"] = pa.array(shipped, pa.int64())
        columns["年销售收入"] = pa.array(sales, pa.decimal128(18, 2))
    return columns


def prepared(policy: CompiledPolicy, path: Path, threads: int) -> VectorBatch:
    batch = VectorBatch(policy, keep=True, threads=threads)
    assert batch.prepare(path, ON) == ""
    return batch


@pytest.mark.parametrize("text", [False, True], ids=["typed", "text"])
@pytest.mark.parametrize("nulls", [False, True], ids=["none-empty", "some-empty"])
@pytest.mark.parametrize("group", [ROWS, 7, 1], ids=["one-group", "groups-of-7", "a-row-each"])
def test_two_threads_give_what_one_gives(
    rules: CompiledPolicy, tmp_path: Path, group: int, nulls: bool, text: bool
) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(cases(nulls, text)), path, row_group_size=group)
    one, two = prepared(rules, path, 1), prepared(rules, path, 2)
    rows = list(two.rows())
    assert rows == list(one.rows())
    assert two.summary() == one.summary()
    for number, row in rows:
        k = number - 1
        assert row["物流补贴"] == ("applies", Decimal(10 + k) * Decimal("0.2"), None)
        if nulls and k % 3 == 0:
            assert row["规模奖励"][0] == "undetermined"
        else:
            assert row["规模奖励"] == ("applies", Decimal(80_000), None)
    # 0.2元 × (10 + 11 + … + 39) = 0.2元 × 735
    totals = {entry["rule"]: entry["total"] for entry in two.summary()["rules"]}
    assert totals["物流补贴"] == Decimal(147)
    assert totals["规模奖励"] == Decimal(80_000) * (20 if nulls else 30)


def test_each_part_of_each_group_is_read_once(
    rules: CompiledPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first group's parts, read before the policy is compiled, are not read again."""
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(cases(nulls=True)), path, row_group_size=7)  # 5 groups
    monkeypatch.setattr(batch_vector, "SPLIT_ROWS", 1)  # two parts a group
    reads: list[tuple[int, tuple[str, ...]]] = []

    def counted(*args: Any) -> Any:
        reads.append((args[2], tuple(args[3] or ())))
        return read_table(*args)

    monkeypatch.setattr(batch_vector, "read_table", counted)
    prepared(rules, path, 2)
    assert len(reads) == len(set(reads)) == 10
    assert sorted({group for group, _ in reads}) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("at", [0, ROWS - 1], ids=["first-group", "last-group"])
@pytest.mark.parametrize("threads", [1, 2])
def test_a_value_to_report_sends_the_file_to_duckdb(
    rules: CompiledPolicy, tmp_path: Path, at: int, threads: int
) -> None:
    """企业类型 is 电商企业 or 其他企业: a member the policy does not have is the DuckDB load's
    to report, in the first row group as in the last."""
    kinds = ["电商企业"] * ROWS
    kinds[at] = "外星企业"
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(cases(False, kinds=kinds)), path, row_group_size=7)
    batch = VectorBatch(rules, threads=threads)
    assert batch.prepare(path, ON) == "column `企业类型`: a value to report"


@pytest.mark.parametrize("at", [0, ROWS - 1], ids=["first-group", "last-group"])
def test_a_text_to_report_found_by_the_scan_on_the_threads(
    rules: CompiledPolicy, tmp_path: Path, at: int
) -> None:
    columns = cases(False, text=True)
    shipped = columns["年发货量"].to_pylist()
    shipped[at] = "十来单"
    columns["年发货量"] = pa.array(shipped)
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(columns), path, row_group_size=7)
    batch = VectorBatch(rules, threads=2)
    assert batch.prepare(path, ON) == "column `年发货量`: a value to report"


def test_the_scan_on_the_threads_reads_what_one_thread_reads(
    rules: CompiledPolicy, tmp_path: Path
) -> None:
    """Every distinct text of the text columns, whichever thread read its row group: 30
    numbers of 单 (10…39), one sales figure (8000万元 in 分: 8,000,000,000) and not given."""
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table(cases(True, text=True)), path, row_group_size=4)  # 8 groups
    source = open_source(path)
    assert not isinstance(source, str)
    alone = open_arrow(path, rules.checked, ON, source)
    with ThreadPoolExecutor(2) as pool:
        threaded = open_arrow(path, rules.checked, ON, source, pool)
    assert not isinstance(alone, str) and not isinstance(threaded, str)
    assert threaded.texts == alone.texts
    shipped = threaded.texts["年发货量"]
    assert shipped.values == {str(x): x for x in range(10, 40)}
    sales = threaded.texts["年销售收入"]
    assert {v * 10 ** (2 - sales.scale) for v in sales.values.values()} == {8_000_000_000}
    assert threaded.scan_seconds > 0


@pytest.mark.parametrize(
    ("given", "indices", "mask"),
    [
        ([True, True, False], [0, 1, 1], None),  # every text given, no null row
        ([True, True, False], [0, 2, 1], [True, False, True]),  # a null row (index 2)
        ([True, False, False], [0, 1, 0], [True, False, True]),  # a text read as not given
        ([True, False, False], [0, 0, 0], None),  # … that no row holds
    ],
)
def test_where_a_text_is_given(given: list[bool], indices: list[int], mask: Any) -> None:
    import numpy as np

    from policyc.batch_text import _given

    got = _given(np.array(given), np.array(indices, dtype=np.int32))
    assert (got is None) if mask is None else got.tolist() == mask


@pytest.mark.parametrize("keep", [False, True], ids=["sorted", "kept-in-file-order"])
def test_rows_by_year_of_their_evaluation_date(keep: bool) -> None:
    """Rows on 2025-03-01, 2023-12-31, 2025-01-01, 2023-01-01, 2027-06-30 (no row in 2024 nor
    2026): the years 2023, 2025, 2027 in order, each with its rows — in the order of their
    year, file order within a year (rows 2 and 4; 1 and 3; 5), or, kept, as masks."""
    import numpy as np

    from policyc.batch_vector import ON_KEY, Val, _by_year

    days = [date(2025, 3, 1), date(2023, 12, 31), date(2025, 1, 1), date(2023, 1, 1)]
    days.append(date(2027, 6, 30))
    env = {
        ON_KEY: Val(np.array([d.toordinal() for d in days], dtype=np.int32)),
        "x": Val(np.array([1, 2, 3, 4, 5], dtype=np.int64), np.array([1, 1, 0, 1, 1], bool)),
    }
    part, spans = _by_year(env, None, keep)
    assert [year for year, _ in spans] == [2023, 2025, 2027]
    if keep:
        assert part is env
        assert [rows.tolist() for _, rows in spans] == [
            [False, True, False, True, False],
            [True, False, True, False, False],
            [False, False, False, False, True],
        ]
    else:
        assert part["x"].v.tolist() == [2, 4, 1, 3, 5]
        assert part["x"].known.tolist() == [True, True, True, False, True]
        assert [rows for _, rows in spans] == [slice(0, 2), slice(2, 4), slice(4, 5)]
    one_year = {ON_KEY: Val(np.array([date(2024, 1, 1).toordinal()] * 2, dtype=np.int32))}
    assert _by_year(one_year, None, keep)[1] == [(2024, None)]
    assert _by_year(env, 0, keep) == (env, [(0, None)])  # every row on --on's date


@pytest.mark.parametrize(
    "days",
    [
        # within YEARS_BY_COMPARISON years: each side of 1 January, a leap day, one year alone
        [date(2023, 12, 31), date(2024, 1, 1), date(2024, 2, 29), date(2029, 1, 1)],
        [date(2024, 6, 30)] * 3,
        # wider: by the calendar's arithmetic
        [date(1990, 1, 1), date(2024, 12, 31), date(2025, 1, 1), date(1, 1, 1)],
    ],
    ids=["a-few-years", "one-year", "a-wide-span"],
)
def test_the_year_of_each_evaluation_date(days: list[date]) -> None:
    import numpy as np

    from policyc.batch_text import years

    numbers = np.array([d.toordinal() for d in days], dtype=np.int32)
    assert years(numbers).tolist() == [d.year for d in days]
    assert years(numbers[:0]).tolist() == []
