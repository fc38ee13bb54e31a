"""What the batch path (policyc run --cases) accepts: exactly what a case file accepts, by the
same rules and with the same messages, for every column type CSV, JSON Lines and Parquet hold;
every shipped policy runs; hostile names stay data; the cost of bad files stays linear."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

duckdb = pytest.importorskip("duckdb")

from policyc.batch import Batch, BatchError, run_batch  # noqa: E402
from policyc.case_files import Where, from_yaml  # noqa: E402
from policyc.case_values import validate_inputs  # noqa: E402
from policyc.compiler.batch import generate_batch  # noqa: E402
from policyc.compiler.errors import InputError  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402
from policyc.problems import Problem  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
EMERGENCY = ROOT / "policies" / "tzbf-2023-2.policy"


@pytest.fixture(scope="module")
def textile() -> CompiledPolicy:
    return compile_policy(TEXTILE)


def per_case_problem(policy: CompiledPolicy, name: str, cell: str) -> str | None:
    """What a YAML case file says of `name: cell` (cell unquoted): None when accepted."""
    base = "" if name == "申请人类型" else "申请人类型: 推荐者\n"  # a key twice is refused
    text = f"{base}{name}: {cell}\n"
    try:
        root = from_yaml(text, "case.yaml")
    except InputError as exc:  # .nan and the like, refused as the file is read
        return str(exc).split(": ", 1)[1]
    problems: list[Problem] = []
    validate_inputs(root.value, policy.checked, problems, Where("case.yaml"))
    if not problems:
        return None
    assert len(problems) == 1, problems
    return problems[0].message.split(f"input `{name}`: ", 1)[1]


def batch_problem(policy: CompiledPolicy, path: Path) -> str | None:
    with Batch(policy) as batch:
        try:
            batch.load(path, None)
        except BatchError as exc:
            return str(exc)
    return None


CELLS = [
    ("用工企业常年用工人数", "120"),
    ("用工企业常年用工人数", "120.0"),
    ("用工企业常年用工人数", "120.5"),  # a count with a fraction
    ("满6个月不满1年人数", "0.5"),
    ("用工企业常年用工人数", "1,000"),
    ("用工企业常年用工人数", "0012"),
    ("用工企业常年用工人数", "1_000"),
    ("用工企业常年用工人数", "1e3"),
    ("用工企业常年用工人数", "nan"),
    ("用工企业常年用工人数", ".inf"),
    ("用工企业常年用工人数", "-1"),
    ("用工企业常年用工人数", "3 美元"),
    ("用工企业常年用工人数", "true"),
    ("用工企业常年用工人数", "1" * 31),
    ("用工企业常年用工人数", "0.0000000000000000000000000000001万"),
    ("年发货量", "600万单"),
    ("年发货量", "0.00005万"),
    ("养老保险个人缴费", "0.1"),
    ("养老保险个人缴费", "0.12345"),
    ("养老保险个人缴费", "1.5万元"),
    ("月发货量", "3万单/月"),
    ("专线正常经营时长", "1年"),
    ("参展次数.省内", "1.5"),
    ("参展次数.省内", "2"),
    ("用工企业为纺织服装企业", "是"),
    ("用工企业为纺织服装企业", "yes"),
    ("用工企业为纺织服装企业", "TRUE"),
    ("用工企业为纺织服装企业", "maybe"),
    ("用工企业为纺织服装企业", "1"),
    ("劳动合同起始日期", "2023-01-06"),
    ("劳动合同起始日期", "2023-02-30"),
    ("劳动合同起始日期", "2023-1-6"),
    ("劳动合同起始日期", "20230106"),
    ("劳动合同起始日期", "0001-01-01"),
    ("劳动合同起始日期", "9999-12-31"),
    ("劳动合同起始日期", "2023-01-06 10:00:00"),
    ("申请人类型", "电商"),
]


@pytest.mark.parametrize(("name", "cell"), CELLS)
def test_a_csv_cell_is_read_as_a_case_file_reads_it(
    textile: CompiledPolicy, tmp_path: Path, name: str, cell: str
) -> None:
    path = tmp_path / "c.csv"
    if name == "申请人类型":
        path.write_text(f"on,申请人类型\n2023-12-31,{cell}\n", encoding="utf-8")
        want = per_case_problem(textile, "申请人类型", cell)
    else:
        path.write_text(f'on,申请人类型,{name}\n2023-12-31,推荐者,"{cell}"\n', encoding="utf-8")
        if "." in name:
            tally, member = name.split(".")
            want = per_case_problem(textile, tally, f"{{{member}: {cell}}}")
        else:
            want = per_case_problem(textile, name, cell)
    got = batch_problem(textile, path)
    if want is None:
        assert got is None, got
    else:
        assert got == f"{path}: row 1, column `{name}`: {want}"


def test_the_reading_rules_are_pinned(textile: CompiledPolicy) -> None:
    """The per-case answers the table above is compared with, for the kinds the issue names."""
    assert "counts whole things" in (
        per_case_problem(textile, "用工企业常年用工人数", "120.5") or ""
    )
    assert "counts whole things" in (per_case_problem(textile, "满6个月不满1年人数", "0.5") or "")
    assert "counts whole things" in (per_case_problem(textile, "年发货量", "0.00005万") or "")
    assert per_case_problem(textile, "年发货量", "0.0001万") is None  # 1单
    assert per_case_problem(textile, "养老保险个人缴费", "0.12345") is None
    assert "not a real date" in (per_case_problem(textile, "劳动合同起始日期", "2023-02-30") or "")


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")


def test_json_lines_values_are_read_as_a_json_case_file_reads_them(
    textile: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {"on": "2023-12-31", "申请人类型": "推荐者", "用工企业为纺织服装企业": True},
        {"on": "2023-12-31", "申请人类型": "推荐者", "用工企业为纺织服装企业": "true"},
        {"on": "2023-12-31", "申请人类型": "推荐者", "用工企业常年用工人数": 120.5},
        {"on": "2023-12-31", "申请人类型": "推荐者", "用工企业常年用工人数": [1, 2]},
        {"on": "2023-12-31", "申请人类型": "推荐者", "参展次数": {"省内": 1, "国外": 2}},
    ]
    write_jsonl(path, rows)
    message = batch_problem(textile, path) or ""
    assert "row 1" not in message
    assert "row 2" not in message  # the text "true" is a yes/no word, as in a YAML case file
    assert "row 3 (line 3), column `用工企业常年用工人数`: 人 counts whole things" in message
    assert (
        "row 4 (line 4), column `用工企业常年用工人数`: expected a number of 人, got a list"
        in message
    )
    assert "row 5 (line 5), column `参展次数`: `国外` is not one of" in message


def test_parquet_columns_of_every_type(textile: CompiledPolicy, tmp_path: Path) -> None:
    """Integers, doubles, decimals, booleans, dates, timestamps, lists and nulls in Parquet:
    a double is read from its shortest text, never as binary float money."""
    path = tmp_path / "c.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES "
        "(DATE '2023-12-31', '推荐者', 120::BIGINT, 0.1::DOUBLE, 1.50::DECIMAL(9,2), TRUE, "
        "DATE '2023-01-06'), "
        "(DATE '2023-12-31', '推荐者', NULL, 1234567.07::DOUBLE, NULL, NULL, NULL)) "
        "AS t(on_, 申请人类型, 用工企业常年用工人数, 养老保险个人缴费, 月发货量, "
        "用工企业为纺织服装企业, 劳动合同起始日期)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT on_ AS on, * EXCLUDE (on_) FROM '{path}') TO '{tmp_path / 'd.parquet'}' "
        "(FORMAT parquet)"
    )
    con.close()
    with Batch(textile) as batch:
        batch.load(tmp_path / "d.parquet", None)
        values = batch.con.execute(
            'SELECT "养老保险个人缴费", "用工企业常年用工人数", "月发货量", '
            '"用工企业为纺织服装企业", "劳动合同起始日期" FROM cases ORDER BY "__row"'
        ).fetchall()
    assert values[0][0] == Decimal("0.1") and values[1][0] == Decimal("1234567.07")
    assert values[0][1] == 120 and values[1][1] is None
    assert values[0][2] == Decimal("18.00")  # 1.50单/月 stored per 年
    assert values[0][3] is True and str(values[0][4]) == "2023-01-06"


@pytest.mark.parametrize(
    ("sql", "column", "words"),
    [
        ("120.5::DOUBLE", "用工企业常年用工人数", "人 counts whole things"),
        ("-3::INTEGER", "用工企业常年用工人数", "must not be negative, got `-3`"),
        ("1e20::DOUBLE", "养老保险个人缴费", "without an exponent"),
        ("'nan'::DOUBLE", "养老保险个人缴费", "is not a finite number"),
        ("TRUE", "养老保险个人缴费", "expected a number of 元, got `True`"),
        ("TIMESTAMP '2023-01-06 10:00:00'", "劳动合同起始日期", "is not a date written YYYY-MM-DD"),
        ("[1, 2]", "养老保险个人缴费", "expected a number of 元, got a list"),
        (
            "3::INTEGER",
            "用工企业为纺织服装企业",
            "expected 是 or 否 (or true/false, yes/no, on/off, in any letter case), got `3`",
        ),
        ("DATE '2023-01-06'", "申请人类型", "expected one of"),
    ],
)
def test_parquet_values_refused_as_a_case_file_refuses_them(
    textile: CompiledPolicy, tmp_path: Path, sql: str, column: str, words: str
) -> None:
    path = tmp_path / "c.parquet"
    kind = "" if column == "申请人类型" else ", '推荐者' AS 申请人类型"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT DATE '2023-12-31' AS on, {sql} AS \"{column}\"{kind}) TO '{path}' "
        "(FORMAT parquet)"
    )
    con.close()
    message = batch_problem(textile, path) or ""
    assert f"row 1, column `{column}`: " in message and words in message, message


def test_every_shipped_policy_runs(tmp_path: Path) -> None:
    """天政办函〔2023〕1号 (no validity, rules with no `when`) once ended in an internal error."""
    path = tmp_path / "any.csv"
    path.write_text("on,行为\n2023-06-01,敏感区新建改扩建工业企业\n", encoding="utf-8")
    out = tmp_path / "summary.txt"
    with out.open("w", encoding="utf-8") as handle:
        code = run_batch(
            ROOT / "policies" / "tzbh-2023-1.policy", path, None, None, [], "text", stdout=handle
        )
    assert code == 0
    assert "噪声污染防治统一监督管理" in out.read_text(encoding="utf-8")


def test_a_daily_series_in_csv_and_json_lines(tmp_path: Path) -> None:
    policy = compile_policy(EMERGENCY)
    csv_path, jsonl_path = tmp_path / "c.csv", tmp_path / "c.jsonl"
    days = [[152, 201, 188], [320, 330, 310, 305], [90]]
    csv_path.write_text(
        "on,预测日AQI\n" + "".join(f"2023-03-01,{';'.join(map(str, d))}\n" for d in days),
        encoding="utf-8",
    )
    write_jsonl(jsonl_path, [{"on": "2023-03-01", "预测日AQI": d} for d in days])
    results = []
    for path in (csv_path, jsonl_path):
        with Batch(policy) as batch:
            batch.load(path, None)
            batch.evaluate()
            results.append([r for _, r in batch.rows()])
    assert results[0] == results[1]
    # The per-case path on the same series.
    from datetime import date

    from policyc.runtime.quantity import Quantity

    for got, series in zip(results[0], days, strict=True):
        root = from_yaml(f"预测日AQI: {series}", "case.yaml")
        problems: list[str] = []
        inputs = validate_inputs(root.value, policy.checked, problems, Where("case.yaml"))
        assert inputs["预测日AQI"] == tuple(Quantity.of(v, "AQI") for v in series)
        want = policy.evaluate(inputs, date(2023, 3, 1), dict(policy.namespace["READINGS"]), ())
        for r in want:
            if r.info.role == "rule":
                assert got[r.info.name][0] == r.status
    assert {s for case in results[0] for s, _, _ in case.values()} >= {"applies"}
    bad = tmp_path / "bad.csv"
    bad.write_text("on,预测日AQI\n2023-03-01,152;x\n2023-03-01,152;-1\n", encoding="utf-8")
    message = batch_problem(policy, bad) or ""
    assert "row 1, column `预测日AQI`: `x` does not start with a number" in message
    assert "row 2, column `预测日AQI`: must not be negative, got `-1`" in message


def test_garbage_stops_after_a_bounded_number_of_problems(
    textile: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "garbage.csv"
    lines = [f"2023-12-31,推荐者,x{i},?{i}\n" for i in range(5000)]
    path.write_text(
        "on,申请人类型,用工企业常年用工人数,劳动合同起始日期\n" + "".join(lines), "utf-8"
    )
    message = batch_problem(textile, path) or ""
    shown = [line for line in message.splitlines() if ", column `" in line]
    assert len(shown) == 20
    assert shown[0].endswith(
        "row 1, column `用工企业常年用工人数`: `x0` does not start with a number, as in `12人`"
    )
    # by row, then column: rows 1 to 10, each with its two bad values (polish3)
    assert ": row 1, column `劳动合同起始日期`: `?0` is not a date" in shown[1]
    assert ": row 10, column `劳动合同起始日期`: `?9` is not a date" in shown[19]
    # each garbage column is read to 20 problems of its own: 5000 − 20 left in each
    assert message.splitlines()[-1].endswith(
        "… and 9,960 more values not checked (stopped after 20 problems)"
    )


def test_out_may_not_be_the_cases_file(tmp_path: Path) -> None:
    cases = tmp_path / "c.csv"
    text = "on,申请人类型\n2023-12-31,推荐者\n"
    cases.write_text(text, encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(cases)
    hard = tmp_path / "hard.csv"
    os.link(cases, hard)
    for out in (cases, link, hard, tmp_path / "sub" / ".." / "c.csv"):
        with pytest.raises(InputError, match="is the cases file"):
            run_batch(TEXTILE, cases, out, None, [], "text")
    assert cases.read_text(encoding="utf-8") == text


HOSTILE = ["x'; DROP TABLE raw_text; --", 'q"uote', "semi;colon", "new\nline", "back\\slash"]


def test_hostile_column_names_stay_names(textile: CompiledPolicy, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    write_jsonl(path, [{"on": "2023-12-31", "申请人类型": "推荐者", **dict.fromkeys(HOSTILE, "1")}])
    message = batch_problem(textile, path) or ""
    for name in HOSTILE:
        shown = name.replace("\n", "\\u000a")
        assert f"unknown column `{shown}`" in message
    assert "\nline" not in message


def test_hostile_enum_members_and_policy_strings(tmp_path: Path) -> None:
    from tests.conftest import PolicyFactory

    factory = PolicyFactory(tmp_path)
    members = ", ".join(f'"{m}"' for m in ["a'b", "c;--d", "e/*f"])
    policy = factory.compile(
        '  rule r { when 类型 is "a\'b" amount 1 元 }\n  rule s { when 类型 is "c;--d" amount 2 元 }',
        f"enum 类型 {{ {members} }}\ninput 类型: 类型 optional\n",
    )
    program = generate_batch(policy.checked, policy.namespace["READINGS"])
    assert not [r for r in program.rules if r.fallback]
    path = tmp_path / "c.jsonl"
    write_jsonl(path, [{"on": "2023-06-30", "类型": m} for m in ["a'b", "c;--d", "e/*f"]])
    with Batch(policy) as batch:
        batch.load(path, None)
        batch.evaluate()
        rows = [r for _, r in batch.rows()]
    assert [row["r"][0] for row in rows] == ["applies", "not_applicable", "not_applicable"]
    assert [row["s"][0] for row in rows] == ["not_applicable", "applies", "not_applicable"]


def test_a_policy_number_reaches_the_query_only_escaped(tmp_path: Path) -> None:
    from policyc.compiler.batch import comment_text

    assert "\n" not in comment_text("x\nSELECT 1; --\r\u2028\x85")
    assert comment_text("天政发〔2023〕1号") == "天政发〔2023〕1号"


def test_all_of_over_schedules_grows_linearly(tmp_path: Path) -> None:
    """The query for an all_of of k schedule conditions: its size grows with k, not k²."""
    from tests.conftest import PolicyFactory

    sizes = {}
    for k in (10, 100):
        (tmp_path / str(k)).mkdir()
        factory = PolicyFactory(tmp_path / str(k))
        items = ", ".join(
            f'"c{i}": schedule from 入驻日期 {{ year 1 to 3: 1 元 }} >= 1 元' for i in range(k)
        )
        policy = factory.compile(
            f"  rule r {{ when all_of {{ {items} }} amount 1 元 }}",
            "input 入驻日期: date optional\n",
        )
        program = generate_batch(policy.checked, policy.namespace["READINGS"])
        sizes[k] = len(program.sql)
    assert sizes[100] < 15 * sizes[10], sizes


def test_dates_accepted_alike(textile: CompiledPolicy, tmp_path: Path) -> None:
    """The batch's `on` and date columns accept the per-case path's date range, no more."""
    for text in ("0001-01-01", "9999-12-31", "10000-01-01", "2023-1-6", "+2023-01-06"):
        want = per_case_problem(textile, "劳动合同起始日期", text)
        path = tmp_path / "d.csv"
        path.write_text(f"on,申请人类型,劳动合同起始日期\n{text},推荐者,{text}\n", "utf-8")
        got = batch_problem(textile, path)
        if want is None:
            assert got is None or "column `on`" not in got or "column `劳动合同起始日期`" in got, (
                got
            )
        else:
            assert got is not None and f"column `劳动合同起始日期`: {want}" in got
            # The column is named once, as every other column is (no "`on`: `on`:").
            assert f"row 1, column `on`: {want}" in got, got


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("array.jsonl", b"[1, 2]\n", "row 1 (line 1): a case is a JSON object"),
        ("bad.jsonl", b'{"on": \n', "row 1 (line 1): invalid JSON"),
        ("nan.jsonl", b'{"on": "2023-12-31", "\xe7\x94\xb3": NaN}\n', "`NaN` is not a number"),
        ("binary.csv", b"\xff\xfe\x00", "cannot read the cases"),
    ],
)
def test_unreadable_files_are_messages(
    textile: CompiledPolicy, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with Batch(textile) as batch, pytest.raises(InputError) as caught:
        batch.load(path, None)
    assert str(caught.value).startswith(str(path)) and words in str(caught.value)


def test_an_out_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    cases = tmp_path / "c.csv"
    cases.write_text("on,申请人类型\n2023-12-31,推荐者\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write there"):
        run_batch(TEXTILE, cases, blocker / "out.csv", None, [], "text")
