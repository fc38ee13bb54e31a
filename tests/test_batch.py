"""The batch path (policyc run --cases) against the per-case path.

The differential test generates thousands of cases for 天政发〔2023〕1号 around every threshold the
policy states (each quantity literal of the input's measure, exactly and one step either side),
with missing values, dates on and beside the anniversaries and the validity bounds, values with
their measures written out, and several sets of readings; both paths must give the same status
and the same amounts, as exactly equal decimals.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

duckdb = pytest.importorskip("duckdb")

from policyc.batch import Batch, run_batch  # noqa: E402
from policyc.case_files import Where, from_yaml  # noqa: E402
from policyc.case_values import validate_inputs  # noqa: E402
from policyc.compiler import nodes as n  # noqa: E402
from policyc.compiler.batch import generate_batch  # noqa: E402
from policyc.compiler.checker import CheckedPolicy  # noqa: E402
from policyc.compiler.errors import InputError  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402
from policyc.runtime.dates import add_years, parse_iso_date  # noqa: E402
from policyc.runtime.quantity import Quantity  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
CASES = 2500

READINGS: list[dict[str, str]] = [
    {},  # the options the policy takes
    {
        "推荐补贴关系": "叠加",
        "派遣规模条件": "约束派遣",
        "社保补贴期限": "随政策终止",
        "口罩等纺织品": "仅口罩",
        "返乡创业条件": "返乡注册",
        "品牌销售奖励频次": "一次性",
        "品牌销售奖励档次": "逐档",
        "进规奖励关系": "叠加",
        "首次达到档次": "最高档",
        "数字化补助上限": "每企业每年",
        "平台补贴上限": "同受100万元上限",
        "减免年度超出有效期": "随政策终止",
        "宿舍租金期限": "不限期",
        "纺织服装企业范围": "仅生产企业",
        "未限定企业范围": "不限行业",
    },
    {"进规奖励关系": "取高", "品牌销售奖励频次": "一次性", "品牌销售奖励档次": "最高档"},
]

ON_DATES = [
    date(2023, 1, 5),
    date(2023, 1, 6),
    date(2023, 6, 30),
    date(2023, 12, 31),
    date(2024, 2, 29),
    date(2025, 3, 1),
    date(2026, 1, 5),
    date(2026, 1, 6),
    date(2027, 1, 6),
    date(2028, 12, 31),
    date(2030, 6, 15),
]


@pytest.fixture(scope="module")
def textile() -> CompiledPolicy:
    return compile_policy(TEXTILE)


def thresholds(policy: CheckedPolicy) -> dict[tuple[tuple[str, int], ...], set[Decimal]]:
    """Every quantity literal of the policy, by dimensions, in stored units."""
    found: dict[tuple[tuple[str, int], ...], set[Decimal]] = {}
    exprs: list[n.Expr] = [d.expr for d in policy.defines.values()]
    for _, rule in policy.file.all_rules():
        exprs += list(rule.whens)
        if isinstance(rule.amount, n.Expr):
            exprs.append(rule.amount)
        if rule.cap is not None:
            exprs.append(rule.cap.amount)
    for _, target in policy.file.all_targets():
        exprs += [target.value, *([target.tolerance] if target.tolerance is not None else [])]
    for expr in exprs:
        for node in n.walk(expr):
            if isinstance(node, n.QuantityLit | n.PercentLit):
                measure = node.measure if isinstance(node, n.QuantityLit) else "%"
                q = Quantity.of(node.number, measure)
                found.setdefault(q.dims, set()).add(q.value)
    return found


def quantity_text(rng: random.Random, value: Decimal, measure: str) -> str:
    """A value as a case file may write it: bare in the input's measure, or with a measure."""
    if rng.random() < 0.2 and value and value % 10000 == 0 and measure in ("元", "单", "美元"):
        return f"{format(value / 10000, 'f')}万{measure}"
    if rng.random() < 0.1 and measure == "月" and value % 12 == 0:
        return f"{value // 12}年"
    if measure == "%":  # a `%` input or target figure is written with its sign (percent_values)
        return f"{format(value, 'f')}%"
    return format(value, "f")


def quantity_values(rng: random.Random, stops: set[Decimal]) -> Decimal:
    roll = rng.random()
    if stops and roll < 0.55:
        stop = rng.choice(sorted(stops))
        step = rng.choice(
            [Decimal(0), Decimal(1), Decimal("-1"), Decimal("0.01"), Decimal("-0.01")]
        )
        return max(stop + step, Decimal(0))
    if roll < 0.7:
        return Decimal(rng.randint(0, 12))
    if roll < 0.85:
        return Decimal(rng.randint(0, 10 ** rng.randint(1, 10)))
    return Decimal(rng.randint(0, 10**7)) / 100


def random_case(
    rng: random.Random, policy: CheckedPolicy, stops: dict[Any, set[Decimal]]
) -> dict[str, str]:
    """One row of a case file, as text: values on, beside and between the thresholds, written
    bare or with a measure, some left out; a case both paths accept (parts within their whole:
    one over it is refused by both, tests/test_batch_rows.py)."""
    while True:
        row = _any_case(rng, policy, stops)
        if not policy.part_conflicts(per_case_inputs(policy, row)):
            return row


def _any_case(
    rng: random.Random, policy: CheckedPolicy, stops: dict[Any, set[Decimal]]
) -> dict[str, str]:
    on = (
        rng.choice(ON_DATES)
        if rng.random() < 0.7
        else date(2022, 12, 1) + timedelta(rng.randint(0, 3300))
    )
    row: dict[str, str] = {"on": on.isoformat()}
    extra = {
        "单": {Decimal(5_000_000), Decimal(4_999_999), Decimal(5_000_001), Decimal(5_000_005)},
        "元": {Decimal(1600), Decimal(800), Decimal(10_000_000), Decimal(9_999_999)},
    }
    for name, info in policy.inputs.items():
        kind = info.type.kind
        if info.decl.presence != "required" and rng.random() < 0.2:
            continue  # missing
        if kind == "enum":
            row[name] = rng.choice(policy.enums[info.type.enum])
        elif kind == "bool":
            row[name] = rng.choice(["true", "false", "是", "否", "True"])
        elif kind == "date":
            anchor = add_years(on, -rng.randint(0, 6)) + timedelta(rng.choice([0, 0, -1, 1]))
            choices = [
                anchor,
                date(2023, 1, 5),
                date(2023, 1, 6),
                date(2026, 1, 5),
                date(2026, 1, 6),
                date(2024, 2, 29),
                on + timedelta(1),
            ]
            row[name] = rng.choice(choices).isoformat()
        elif kind == "keyed":
            assert info.measure is not None
            for member in policy.enums[info.type.enum]:
                if rng.random() < 0.6:
                    row[f"{name}.{member}"] = str(rng.randint(0, 4))
        elif kind == "series":
            assert info.measure is not None
            pool = stops.get(info.measure.dims, set())
            days = [quantity_values(rng, pool) for _ in range(rng.randint(1, 8))]
            row[name] = ";".join(format(day, "f") for day in days)
        elif kind == "quantity":
            assert info.measure is not None
            base = info.measure.dims
            pool = stops.get(base, set()) | extra.get(info.measure.name, set())
            stored = quantity_values(rng, pool)
            value = stored / info.measure.factor
            if value != value.to_integral_value() and (
                info.measure.factor != 1 or info.measure.whole
            ):
                value = value.quantize(Decimal(1))  # whole things are whole (counts)
            row[name] = quantity_text(rng, value, info.measure.name)
    once = [r.name.text for _, r in policy.file.all_rules() if r.once is not None]
    if once and rng.random() < 0.3:
        row["received"] = ";".join(rng.sample(once, min(len(once), rng.randint(1, 2))))
    return row


def per_case_inputs(policy: CheckedPolicy, row: dict[str, str]) -> dict[str, Any]:
    """The row as a YAML case file writes it (each cell unquoted, a series as a list), read by
    the per-case path itself."""
    lines: list[str] = []
    tallies: dict[str, list[str]] = {}
    for key, text in row.items():
        if key in ("on", "received"):
            continue
        name, _, member = key.partition(".")
        if member:
            tallies.setdefault(name, []).append(f"{member}: {text}")
        elif policy.inputs[name].type.kind == "series":
            lines.append(f"{name}: [{', '.join(text.split(';'))}]")
        else:
            lines.append(f"{name}: {text}")
    lines += [f"{name}: {{{', '.join(items)}}}" for name, items in tallies.items()]
    root = from_yaml("\n".join(lines) or "{}", "case.yaml")
    problems: list[str] = []
    inputs = validate_inputs(root.value, policy, problems, Where("case.yaml"))
    assert not problems, problems
    return inputs


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(names))
        writer.writeheader()
        writer.writerows(rows)


def expected(
    policy: CompiledPolicy, rows: list[dict[str, str]], readings: dict[str, str]
) -> list[dict[str, tuple[str, Any, Any]]]:
    chosen = dict(policy.namespace["READINGS"]) | readings
    out = []
    for row in rows:
        inputs = per_case_inputs(policy.checked, row)
        received = [x for x in row.get("received", "").split(";") if x]
        results = policy.evaluate(inputs, parse_iso_date(row["on"]), chosen, received)
        out.append(
            {
                r.info.name: (
                    r.status,
                    r.amount.value if r.amount else None,
                    r.uncapped.value if r.uncapped else None,
                )
                for r in results
                if r.info.role in ("rule", "target")  # a target: met, not met, not reported
            }
            | {
                r.info.name: (r.status, value_text(r.value), None)
                for r in results
                if r.info.role == "decision"
            }
        )
    return out


def value_text(value: Any) -> str | None:
    """A decided value as the results file writes it: a member as itself, a percentage with its
    sign (a plain number as itself), a quantity in its base measure without trailing zeros."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Quantity):
        if value.percent:
            return f"{(value.value * 100).normalize():f}%"
        return f"{value.value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def batch_results(
    policy: CompiledPolicy, path: Path, readings: dict[str, str], vectorise: bool = True
) -> list[dict[str, tuple[str, Any, Any]]]:
    with Batch(policy, readings, vectorise=vectorise) as batch:
        batch.load(path, None)
        program = batch.evaluate()
        assert vectorise == (not any(r.fallback for r in program.rules))
        return [results for _, results in batch.rows()]


def assert_same(
    want: list[dict[str, Any]], got: list[dict[str, Any]], rows: list[dict[str, str]]
) -> None:
    assert len(want) == len(got)
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        for rule, (status, amount, uncapped) in w.items():
            b_status, b_amount, b_uncapped = g[rule]
            same = status == b_status and amount == b_amount and uncapped == b_uncapped
            assert same, f"row {i + 1} {rule}: per case {w[rule]}, batch {g[rule]}; case {rows[i]}"


@pytest.mark.parametrize("readings", READINGS, ids=["taken", "alternatives", "mixed"])
def test_batch_matches_per_case(
    textile: CompiledPolicy, tmp_path: Path, readings: dict[str, str]
) -> None:
    rng = random.Random(20230106 + len(readings))
    stops = thresholds(textile.checked)
    rows = [random_case(rng, textile.checked, stops) for _ in range(CASES)]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(textile, rows, readings)
    got = batch_results(textile, path, readings)
    assert_same(want, got, rows)
    statuses = {s for case in want for s, _, _ in case.values()}
    assert {"applies", "not_applicable", "undetermined", "not_in_force", "unspecified"} <= statuses
    assert any(u is not None for case in want for _, _, u in case.values())  # a cap bit


POLICIES = sorted((ROOT / "policies").glob("t*.policy"))


@pytest.mark.parametrize("path", POLICIES, ids=[p.stem for p in POLICIES])
def test_every_policy_batch_matches_per_case(path: Path, tmp_path: Path) -> None:
    """Every shipped policy through --cases (rules the query cannot hold, case by case) gives
    what the per-case path gives, on random cases around every threshold it states."""
    policy = compile_policy(path)
    rng = random.Random(path.stem)
    stops = thresholds(policy.checked)
    rows = [random_case(rng, policy.checked, stops) for _ in range(400)]
    cases = tmp_path / "cases.csv"
    write_csv(cases, rows)
    want = expected(policy, rows, {})
    assert_same(want, batch_results_any(policy, cases, {}), rows)
    # The values themselves, input by input: what the query reads is what a case file reads
    # (天政办发〔2023〕1号 has targets only: its inputs are all it has to compare).
    assert batch_inputs(policy, cases) == [per_case_inputs(policy.checked, row) for row in rows]
    statuses = {s for case in want for s, _, _ in case.values()}
    assert len(statuses) >= 2, statuses
    if any(True for _ in policy.checked.file.all_targets()):  # each side of the targets' bounds
        assert {"met", "not_met", "not_reported"} <= statuses, statuses


def batch_inputs(policy: CompiledPolicy, path: Path) -> list[dict[str, Any]]:
    """Each row of `cases` as the per-case inputs it stands for (Batch._inputs, which the
    per-case fallback evaluates), defaults included."""
    from policyc.compiler.batch import input_columns

    by_input = input_columns(policy.checked)
    names = list(policy.checked.inputs)
    columns = ", ".join(f'"{c}"' for name in names for c in by_input[name])
    with Batch(policy) as batch:
        batch.load(path, None)
        rows = batch.con.execute(f'SELECT {columns} FROM cases ORDER BY "__row"').fetchall()
        return [batch._inputs(row, names, by_input) for row in rows]


def batch_results_any(
    policy: CompiledPolicy, path: Path, readings: dict[str, str]
) -> list[dict[str, tuple[str, Any, Any]]]:
    with Batch(policy, readings) as batch:
        batch.load(path, None)
        batch.evaluate()
        return [results for _, results in batch.rows()]


def test_examples_agree(textile: CompiledPolicy, tmp_path: Path) -> None:
    """The shipped example cases, as one CSV, give what `policyc run` gives each of them."""
    from policyc.cases import load_case

    rows, readings_of = [], []
    for path in sorted((ROOT / "examples" / "tzf-2023-1").glob("*.yaml")):
        case = load_case(path, textile.checked)
        row = {"on": (case.on or date(2023, 12, 31)).isoformat()}
        for name, value in case.inputs.items():
            if isinstance(value, dict):
                row |= {f"{name}.{m}": format(q.value, "f") for m, q in value.items()}
            elif isinstance(value, Quantity):
                measure = textile.checked.inputs[name].measure
                assert measure is not None
                row[name] = format(value.to(measure), "f")
            elif isinstance(value, bool):
                row[name] = "true" if value else "false"
            else:
                row[name] = str(value)
        if case.received:
            row["received"] = ";".join(case.received)
        rows.append(row)
        readings_of.append(case.readings)
    path = tmp_path / "examples.csv"
    # Cases that choose readings run in their own batch, one per set of readings.
    groups: dict[str, list[int]] = {}
    for i, chosen in enumerate(readings_of):
        groups.setdefault(json.dumps(chosen, sort_keys=True), []).append(i)
    for key, indexes in groups.items():
        chosen = json.loads(key)
        subset = [rows[i] for i in indexes]
        write_csv(path, subset)
        assert_same(expected(textile, subset, chosen), batch_results(textile, path, chosen), subset)


def test_per_case_fallback_agrees(textile: CompiledPolicy, tmp_path: Path) -> None:
    rng = random.Random(7)
    stops = thresholds(textile.checked)
    rows = [random_case(rng, textile.checked, stops) for _ in range(300)]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    assert batch_results(textile, path, {}, vectorise=False) == batch_results(textile, path, {})


def test_formats_agree(textile: CompiledPolicy, tmp_path: Path) -> None:
    """CSV, JSON Lines and Parquet cases give the same results; outputs in each format."""
    rng = random.Random(11)
    stops = thresholds(textile.checked)
    rows = [random_case(rng, textile.checked, stops) for _ in range(200)]
    write_csv(tmp_path / "cases.csv", rows)
    with (tmp_path / "cases.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            doc: dict[str, Any] = {}
            for key, value in row.items():
                name, _, member = key.partition(".")
                if member:
                    doc.setdefault(name, {})[member] = int(value)
                elif key == "received":
                    doc[key] = value.split(";")
                elif value.lower() in ("true", "false"):  # JSON's booleans, not strings
                    doc[key] = value.lower() == "true"
                else:
                    doc[key] = value
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{tmp_path / 'cases.csv'}', all_varchar = true)) TO '{tmp_path / 'cases.parquet'}' (FORMAT parquet)"
    )
    con.close()
    results = [
        batch_results(textile, tmp_path / f"cases.{suffix}", {})
        for suffix in ("csv", "jsonl", "parquet")
    ]
    assert results[0] == results[1] == results[2]
    for suffix in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"out.{suffix}"
        with (tmp_path / "summary.json").open("w", encoding="utf-8") as summary:
            assert (
                run_batch(TEXTILE, tmp_path / "cases.csv", out, None, [], "json", stdout=summary)
                == 0
            )
        assert out.stat().st_size > 0
    con = duckdb.connect()
    table = con.execute(
        f"SELECT * FROM read_csv('{tmp_path / 'out.csv'}', all_varchar = true) ORDER BY CAST(row AS INTEGER)"
    ).fetchall()
    names = [d[0] for d in con.description]
    assert names[:2] == ["row", "产业发展专项资金支持.status"]
    assert "电商物流补贴.amount_元" in names and "电商物流补贴.uncapped_元" in names
    column = names.index("电商物流补贴.amount_元")
    for (_, case), line in zip(enumerate(results[0]), table, strict=True):
        amount = case["电商物流补贴"][1]
        assert (Decimal(line[column]) if line[column] else None) == amount
        assert line[column] is None or not line[column].endswith(".0")


def test_summary_sets_totals_against_funds(textile: CompiledPolicy, tmp_path: Path) -> None:
    rows = [
        {
            "申请人类型": "服装电商企业",
            "年发货量": "600万单",
            "口罩发货量": "1万",
            "其他纺织品发货量": "40000",
        },
        {
            "申请人类型": "服装电商企业",
            "年发货量": "100000",
            "口罩发货量": "0",
            "其他纺织品发货量": "0",
            "on": "2024-05-01",
        },
        {
            "申请人类型": "推荐者",
            "用工企业为纺织服装企业": "是",
            "用工企业常年用工人数": "50",
            "满1年人数": "3",
            "满6个月不满1年人数": "0",
        },
    ]
    write_csv(tmp_path / "c.csv", rows)
    out = tmp_path / "out.txt"
    with out.open("w", encoding="utf-8") as handle:
        assert (
            run_batch(TEXTILE, tmp_path / "c.csv", None, "2023-12-31", [], "text", stdout=handle)
            == 0
        )
    text = out.read_text(encoding="utf-8")
    assert "3 cases" in text and "every rule evaluated by the batch query" in text
    assert (
        "电商物流补贴" in text and "1,023,000元（102.3万元）" in text
    )  # 100万 (capped) + 2万 + 3000元
    assert "1,000,000元（100万元）, 20,000元（2万元）" in text  # the largest, as `run` writes sums
    assert "does not say which subsidies each fund pays" in text
    assert "产业发展专项资金" in text and "0.5%" in text
    assert (
        "平台活动预算" in text
        and "2023: 1,003,000元（100.3万元） = 20.1%" in text
        and "2024: 20,000元（2万元）" in text
    )
    with out.open("w", encoding="utf-8") as handle:
        run_batch(
            TEXTILE,
            tmp_path / "c.csv",
            None,
            "2023-12-31",
            ["推荐补贴关系=叠加"],
            "json",
            stdout=handle,
        )
    doc = json.loads(out.read_text(encoding="utf-8"))
    rule = next(r for r in doc["rules"] if r["rule"] == "推荐员工补贴")
    assert rule["total"] == "4500" and rule["counts"]["applies"] == 1
    logistics = next(r for r in doc["rules"] if r["rule"] == "电商物流补贴")
    assert logistics["capped"] == 1 and logistics["largest"] == ["1000000", "20000"]


def test_bad_cases_name_row_and_column(textile: CompiledPolicy, tmp_path: Path) -> None:
    rows = [
        {
            "申请人类型": "服装电商企业",
            "年发货量": "3 美元",
            "成立日期": "2023-02-30",
            "天门籍": "maybe",
        },
        {"申请人类型": "电商", "年发货量": "-5", "received": "不存在的规则"},
    ]
    write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as caught:
        run_batch(TEXTILE, tmp_path / "bad.csv", None, "2023-12-31", [], "text")
    message = str(caught.value)
    assert "row 1, column `年发货量`: expected a quantity in 单" in message
    assert "row 2, column `年发货量`: must not be negative" in message
    assert "row 1, column `成立日期`: `2023-02-30` is not a real date" in message
    assert "row 1, column `天门籍`: expected 是 or 否 (or true/false" in message
    assert "row 2, column `申请人类型`: expected one of" in message
    # The case file's message for `received:`, at the row, without repeating the column's name.
    assert "row 2, column `received`: `不存在的规则` is not a rule of 天政发〔2023〕1号" in message
    write_csv(tmp_path / "cols.csv", [{"申请人类型": "推荐者", "年发货": "1", "参展次数": "2"}])
    with pytest.raises(InputError) as caught:
        run_batch(TEXTILE, tmp_path / "cols.csv", None, None, [], "text")
    message = str(caught.value)
    assert "unknown column `年发货`" in message and "did you mean" in message
    assert "a tally is one column per member: 参展次数.省内" in message


def test_query_is_generated_from_the_ast(textile: CompiledPolicy) -> None:
    program = generate_batch(textile.checked, textile.namespace["READINGS"])
    assert [r.name for r in program.rules] == [r.name for r in textile.rules if r.role == "rule"]
    assert not [r for r in program.rules if r.fallback]
    assert "FROM cases" in program.sql and "年发货量" in program.sql


def test_an_exhausted_schedule_beside_an_unknown_operand(tmp_path: Path) -> None:
    """The per-case path evaluates every operand, so a schedule past its last year makes the
    rule not applicable even when the other operand is unknown; the batch query must agree."""
    from tests.conftest import PolicyFactory

    factory = PolicyFactory(tmp_path)
    policy = factory.compile(
        "  rule r { amount 面积 × 1 元/平方米 + schedule from 入驻日期 { year 1 to 1: 1 元 } }",
        "input 面积: 平方米 optional\ninput 入驻日期: date optional\n",
    )
    rows = [
        {"on": "2025-06-30", "入驻日期": "2023-01-10"},  # year 3: no row → not applicable
        {"on": "2023-06-30", "入驻日期": "2023-01-10"},  # year 1, 面积 unknown → undetermined
        {"on": "2023-06-30", "入驻日期": "2023-01-10", "面积": "5"},  # 5元 + 1元
    ]
    path = tmp_path / "cases.csv"
    write_csv(path, rows)
    want = expected(policy, rows, {})
    assert [case["r"][0] for case in want] == ["not_applicable", "undetermined", "applies"]
    assert want[2]["r"][1] == Decimal("6")
    assert_same(want, batch_results(policy, path, {}), rows)


def test_decided_values_are_written_and_counted(tmp_path: Path) -> None:
    """A routing policy's answer is a decided value (承办单位): the results file has a column
    for it and the summary counts the cases per value. Worked from the policy's text: 炸街 (改装
    机动车轰鸣疾驶) is for 市公安局 (第(二)项5(1)); construction noise over the standard for 市生态环境局
    (第(一)项4(5)); 社会生活噪声 without 地点 leaves it undetermined (第(七)项 and 第(十)项 divide
    it by place)."""
    rows = [
        {"行为": "改装机动车轰鸣疾驶", "收件单位": "市城市管理执法局"},
        {"行为": "超标排放建筑施工噪声", "收件单位": "市住建局"},
        {"行为": "改装机动车轰鸣疾驶", "收件单位": "市公安局"},
        {"行为": "超标排放社会生活噪声", "收件单位": "市城市管理执法局"},
    ]
    write_csv(tmp_path / "c.csv", rows)
    noise = ROOT / "policies" / "tzbh-2023-1.policy"
    out = tmp_path / "out.csv"
    summary = tmp_path / "summary.json"
    with summary.open("w", encoding="utf-8") as handle:
        code = run_batch(noise, tmp_path / "c.csv", out, "2023-06-30", [], "json", stdout=handle)
    assert code == 0
    with out.open(encoding="utf-8") as handle:
        written = [(r["承办单位.status"], r["承办单位.value"]) for r in csv.DictReader(handle)]
    assert written == [
        ("decided", "市公安局"),
        ("decided", "市生态环境局"),
        ("decided", "市公安局"),
        ("undetermined", ""),
    ]
    (decision,) = json.loads(summary.read_text(encoding="utf-8"))["decisions"]
    assert decision["decision"] == "承办单位"
    assert decision["counts"] == {"decided": 3, "undetermined": 1, "not_in_force": 0}
    assert decision["values"] == {"市公安局": 2, "市生态环境局": 1}
