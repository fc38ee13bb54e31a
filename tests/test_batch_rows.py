"""What a batch row says as a whole, judged as a case file judges it: parts that exceed their
whole are refused with the case file's message, in CSV, JSON Lines and Parquet alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

from policyc.batch import Batch, BatchError  # noqa: E402
from policyc.cases import case_from_data  # noqa: E402
from policyc.compiler.errors import InputError  # noqa: E402
from policyc.compiler.pipeline import CompiledPolicy, compile_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"


@pytest.fixture(scope="module")
def textile() -> CompiledPolicy:
    return compile_policy(TEXTILE)


def case_message(policy: CompiledPolicy, inputs: dict[str, str]) -> str | None:
    """The message a case file with these inputs gets (None: accepted)."""
    try:
        case_from_data({"on": "2023-06-01", "inputs": inputs}, policy.checked, "case.json")
    except InputError as exc:
        problems = getattr(exc, "problems", [])
        assert len(problems) == 1, problems
        return str(problems[0].message)
    return None


def write(path: Path, rows: list[dict[str, str]]) -> None:
    """rows as CSV, JSON Lines (numbers as JSON numbers) or Parquet (strings), by suffix."""
    names = list(dict.fromkeys(k for row in rows for k in row))
    if path.suffix == ".jsonl":
        lines = [
            json.dumps(
                {k: (v if k in ("on", "申请人类型") else json.loads(v)) for k, v in row.items()},
                ensure_ascii=False,
            )
            for row in rows
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    csv_path = path.with_suffix(".csv")
    csv_path.write_text(
        ",".join(names)
        + "\n"
        + "".join(",".join(r.get(k, "") for k in names) + "\n" for r in rows),
        encoding="utf-8",
    )
    if path.suffix == ".parquet":
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true, header = true)) "
            f"TO '{path}' (FORMAT parquet)"
        )
        con.close()


def load_problem(policy: CompiledPolicy, path: Path) -> str | None:
    with Batch(policy) as batch:
        try:
            batch.load(path, None)
        except BatchError as exc:
            return str(exc)
    return None


# (inputs, the field the refusal names or None when the row is accepted)
PARTS = [
    ({"年发货量": "1000", "口罩发货量": "1000"}, None),  # a part equal to its whole
    ({"年发货量": "1000", "口罩发货量": "1001"}, "口罩发货量"),
    ({"年发货量": "1000", "口罩发货量": "3000"}, "口罩发货量"),  # the case
    ({"年发货量": "1000", "口罩发货量": "500", "其他纺织品发货量": "500"}, None),
    ({"年发货量": "1000", "口罩发货量": "500", "其他纺织品发货量": "501"}, "其他纺织品发货量"),
    ({"年发货量": "1000", "其他纺织品发货量": "1001"}, "其他纺织品发货量"),
    ({"口罩发货量": "5000"}, None),  # no whole given: nothing to exceed
    ({"年发货量": "0"}, None),
]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
@pytest.mark.parametrize(("inputs", "field"), PARTS)
def test_parts_over_their_whole_are_refused_as_a_case_file_refuses_them(
    textile: CompiledPolicy,
    tmp_path: Path,
    suffix: str,
    inputs: dict[str, str],
    field: str | None,
) -> None:
    path = tmp_path / f"c{suffix}"
    write(path, [{"on": "2023-06-01", "申请人类型": "服装电商企业", **inputs}])
    want = case_message(textile, {"申请人类型": "服装电商企业", **inputs})
    got = load_problem(textile, path)
    if field is None:
        assert want is None and got is None, (want, got)
        return
    assert want is not None and "a part cannot exceed its whole" in want
    assert "`年发货量`" in want and f"`{field}`" in want
    assert got == f"{path}: row 1, column `{field}`: {want}"


def test_every_row_over_its_whole_is_named_and_the_rest_pass(
    textile: CompiledPolicy, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    rows = [
        {"年发货量": "1000", "口罩发货量": "999"},
        {"年发货量": "1000", "口罩发货量": "1001"},
        {"年发货量": "0.1万", "口罩发货量": "1000"},  # 1000单 in 万单: equal, accepted
        {"年发货量": "0.1万", "口罩发货量": "0.1001万"},
    ]
    write(path, [{"on": "2023-06-01", "申请人类型": "服装电商企业", **r} for r in rows])
    message = load_problem(textile, path) or ""
    lines = message.splitlines()
    assert [line.split(", column")[0] for line in lines] == [f"{path}: row 2", f"{path}: row 4"]
    assert "`口罩发货量` (1001单) is more than `年发货量` (1000单)" in lines[0]


# ---- a cell is text, read in its column's declared type ----------------------------------------

ENUM_POLICY = (
    '  rule r { when 答复 is "yes" amount 1 元 }\n'
    '  rule s { when 答复 is "12" and 同意 amount 2 元 }'
)
ENUM_DECLARATIONS = 'enum 答复 { "yes", "no", "12", "其他" }\ninput 答复: 答复 optional\ninput 同意: bool optional\n'


@pytest.fixture(scope="module")
def members_yaml_would_retype(tmp_path_factory: pytest.TempPathFactory) -> CompiledPolicy:
    """A policy whose enum members YAML would read as a boolean (`yes`, `no`) or a number."""
    from tests.conftest import PolicyFactory

    return PolicyFactory(tmp_path_factory.mktemp("enum")).compile(ENUM_POLICY, ENUM_DECLARATIONS)


def yaml_case_value(policy: CompiledPolicy, name: str, text: str) -> tuple[object, str | None]:
    """(the value, the message) a YAML case with `name: text` (unquoted) gets."""
    from policyc.case_files import Where, from_yaml
    from policyc.case_values import validate_inputs
    from policyc.problems import Problem

    root = from_yaml(f"{name}: {text}\n", "case.yaml")
    problems: list[Problem] = []
    values = validate_inputs(root.value, policy.checked, problems, Where("case.yaml"))
    message = problems[0].message.split(f"input `{name}`: ", 1)[1] if problems else None
    return values.get(name), message


# (column, cell, the value read or None when refused)
TEXT_CELLS = [
    ("答复", "yes", "yes"),  # YAML would read a boolean
    ("答复", "no", "no"),
    ("答复", "12", "12"),  # YAML would read a number
    ("答复", " 12 ", "12"),  # spaces around a cell are not part of it, as around a YAML scalar
    ("答复", "其他", "其他"),
    ("答复", "Yes", None),  # members are matched as written
    ("答复", "12.0", None),  # the text `12.0` is not the member `12`
    ("答复", "true", None),
    ("同意", "yes", True),
    ("同意", "是", True),
    ("同意", "no", False),
    ("同意", "12", None),
]


@pytest.mark.parametrize(("column", "cell", "value"), TEXT_CELLS)
def test_a_cell_is_text_read_in_its_columns_type_as_a_case_file_reads_it(
    members_yaml_would_retype: CompiledPolicy,
    tmp_path: Path,
    column: str,
    cell: str,
    value: object,
) -> None:
    policy = members_yaml_would_retype
    read, message = yaml_case_value(policy, column, cell)
    assert read == value
    assert (message is None) == (value is not None)
    path = tmp_path / "c.csv"
    path.write_text(f'on,{column}\n2023-06-01,"{cell}"\n', encoding="utf-8")
    with Batch(policy) as batch:
        try:
            batch.load(path, None)
        except BatchError as exc:
            assert (
                message is not None and str(exc) == f"{path}: row 1, column `{column}`: {message}"
            )
            return
        assert message is None
        got = batch.con.execute(f'SELECT "{column}" FROM cases').fetchone()
    assert got is not None and got[0] == value


def test_members_yaml_would_retype_select_their_rules_in_batch_and_per_case(
    members_yaml_would_retype: CompiledPolicy, tmp_path: Path
) -> None:
    from datetime import date

    policy = members_yaml_would_retype
    rows = [("yes", "no"), ("12", "yes"), ("12", "no"), ("no", "yes")]
    path = tmp_path / "c.csv"
    path.write_text(
        "on,答复,同意\n" + "".join(f"2023-06-01,{a},{b}\n" for a, b in rows), encoding="utf-8"
    )
    with Batch(policy) as batch:
        batch.load(path, None)
        batch.evaluate()
        got = [{k: v[0] for k, v in r.items()} for _, r in batch.rows()]
    # r pays for `yes`; s for `12` with 同意 — by the policy's two `when`s, read by hand.
    assert got == [
        {"r": "applies", "s": "not_applicable"},
        {"r": "not_applicable", "s": "applies"},
        {"r": "not_applicable", "s": "not_applicable"},
        {"r": "not_applicable", "s": "not_applicable"},
    ]
    for (answer, agree), want in zip(rows, got, strict=True):
        inputs = {"答复": yaml_case_value(policy, "答复", answer)[0]}
        inputs["同意"] = yaml_case_value(policy, "同意", agree)[0]
        results = policy.evaluate(inputs, date(2023, 6, 1), {}, ())
        assert {r.info.name: r.status for r in results if r.info.role == "rule"} == want


# ---- a policy of targets: the summary counts them -----------------------------------------------

PLAN = ROOT / "policies" / "tzbf-2023-1.policy"


def test_a_targets_policy_summary_counts_targets_met_and_not_met(tmp_path: Path) -> None:
    """天政办发〔2023〕1号 sets targets only. 地区生产总值增速 is 7.5%左右 with the reading's
    half point below (met from 7%, included); 粮食种植面积 is 稳定在240万亩 (不少于, included)."""
    from policyc.batch import run_batch

    path = tmp_path / "plan.csv"
    path.write_text(
        "on,地区生产总值增速,粮食种植面积\n"
        "2023-12-31,7%,240\n"  # both on their edge: met
        "2023-12-31,6.9%,239.9\n"  # both just below: not met
        "2023-12-31,,\n",  # neither reported
        encoding="utf-8",
    )
    text_out, json_out = tmp_path / "summary.txt", tmp_path / "summary.json"
    for fmt, out in (("text", text_out), ("json", json_out)):
        with out.open("w", encoding="utf-8") as handle:
            assert run_batch(PLAN, path, None, None, [], fmt, stdout=handle) == 0
    doc = json.loads(json_out.read_text(encoding="utf-8"))
    assert doc["rules"] == [] and doc["has_amounts"] is False
    counts = {t["target"]: t["counts"] for t in doc["targets"]}
    assert counts["地区生产总值增速"] == {"met": 1, "not_met": 1, "not_reported": 1}
    assert counts["粮食种植面积"] == {"met": 1, "not_met": 1, "not_reported": 1}
    others = [c for name, c in counts.items() if name not in ("地区生产总值增速", "粮食种植面积")]
    assert others and all(c == {"met": 0, "not_met": 0, "not_reported": 3} for c in others)
    text = text_out.read_text(encoding="utf-8")
    total = 3 * len(counts)
    assert (
        f"targets: 2 met, 2 not met, {total - 4} not reported ({len(counts)} targets × 3 cases)"
        in text
    )
    assert "No amounts: the policy sets targets only" in text
    assert "rule  " not in text  # no empty table of rules


def test_target_statuses_are_written_beside_the_rules(tmp_path: Path) -> None:
    """天政办函〔2023〕5号 has rules and targets: the results file holds both, per case."""
    import csv

    from policyc.batch import run_batch

    path = tmp_path / "c.csv"
    # 规上工业增加值增速 达到15%: 15% met, 14.9% not met.
    path.write_text("on,规上工业增加值增速\n2023-12-31,15%\n2023-12-31,14.9%\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    with (tmp_path / "s.txt").open("w", encoding="utf-8") as handle:
        run_batch(
            ROOT / "policies" / "tzbh-2023-5.policy", path, out, None, [], "text", stdout=handle
        )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["规上工业增加值增速.status"] for r in rows] == ["met", "not_met"]
    assert [r["新增规上工业企业.status"] for r in rows] == ["not_reported", "not_reported"]
    assert "汽车展销补贴.status" in rows[0]


def test_with_format_json_each_problem_is_one_error(tmp_path: Path) -> None:
    """`run --cases … --format json`: the error document lists each row's problem apart, in the
    cases file, with the message the text gives; exit status 2."""
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_text(
        "on,申请人类型,年发货量,口罩发货量\n"
        "2023-06-01,服装电商企业,1000,1001\n"
        "2023-06-01,服装电商企业,10,11\n",
        encoding="utf-8",
    )
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "policyc",
            *("run", str(TEXTILE), "--cases", str(path)),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 2, ran.stderr
    errors = json.loads(ran.stdout)["errors"]
    assert [e["file"] for e in errors] == [str(path), str(path)]
    assert errors[0]["message"].startswith("row 1, column `口罩发货量`: `口罩发货量` (1001单)")
    assert errors[1]["message"].startswith("row 2, column `口罩发货量`: `口罩发货量` (11单)")
