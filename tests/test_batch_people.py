"""Households and periods through `run --cases` (issue 12): the batch gives what `run --case`
gives, case by case.

Every case of tests/fixtures/county-household/cases/ is written as a row of a cases file and rows
of a members file; the batch's statuses and amounts are those the case files expect (worked by
hand from the notice's text) and those the per-case path computes. A few hundred random
households sit on both sides of the notice's edges (per-capita income 800元 to the 分, 未满18周岁
and 年满80周岁 on the period's first day, 36000元 a year) and are compared the same way, in CSV and
in JSON Lines.
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

pytest.importorskip("duckdb")

from policyc.batch import run_batch
from policyc.batch_people import PeopleBatch
from policyc.batch_progress import Progress
from policyc.cases import Case, case_from_data, load_case, plain_data, read_case_file
from policyc.compiler.pipeline import CompiledPolicy, compile_policy

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
POLICY = FIXTURE / "county-household.policy"
CASES = sorted((FIXTURE / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def county() -> CompiledPolicy:
    return compile_policy(POLICY)


def cell(value: Any) -> str:
    """A value as a spreadsheet cell: a decimal in plain digits, a date in ISO form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def flat(inputs: dict[str, Any], row: dict[str, str]) -> None:
    """Inputs as columns: one value in `名`, values per period in `名[2026-03]`."""
    for name, value in inputs.items():
        if isinstance(value, dict):
            for period, item in value.items():
                row[f"{name}[{period}]"] = cell(item)
        else:
            row[name] = cell(value)


def tables(cases: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Case data (as a case file holds it) as a cases table and a members table."""
    case_rows, member_rows = [], []
    for number, data in enumerate(cases, 1):
        row = {"id": f"户{number}"}
        for key in ("period", "on"):
            if key in data:
                row[key] = cell(data[key])
        flat(data.get("inputs") or {}, row)
        case_rows.append(row)
        for name, member in (data.get("members") or {}).items():
            member_row = {"case": row["id"], "member": name, "role": member["role"]}
            flat(member.get("inputs") or {}, member_row)
            member_rows.append(member_row)
    return case_rows, member_rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    names = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    def default(value: Any) -> Any:
        return cell(value)

    lines = [json.dumps(r, ensure_ascii=False, default=default) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def batch_results(
    policy: CompiledPolicy, cases: Path, members: Path
) -> tuple[dict[int, dict[str, Any]], list[dict[str, str]]]:
    """row → {entry: (status, amount or value, uncapped)}, and the members' results rows, each
    by its column's name."""
    with PeopleBatch(policy, {}, Progress(False)) as batch:
        batch.load_people(cases, None, members)
        batch.evaluate()
        names = batch.member_columns()
        members_results = [dict(zip(names, r, strict=True)) for r in batch.member_results()]
        return dict(batch.rows()), members_results


def per_case(policy: CompiledPolicy, case: Case) -> dict[str, Any]:
    assert case.on is not None
    return {r.info.name: r for r in policy.evaluate(case.inputs, case.on, fast=False)}


def assert_same(policy: CompiledPolicy, row: dict[str, Any], case: Case, where: str) -> None:
    """The batch's row says what `run --case` says of `case`: every status and amount."""
    expected = per_case(policy, case)
    for name, (status, amount, uncapped) in row.items():
        result = expected[name]
        assert status == result.status, (where, name)
        if result.info.role == "decision":
            if result.value is not None:
                assert amount is not None and Decimal(amount) == result.value.value, (where, name)
            continue
        want = None if result.amount is None else result.amount.value
        assert amount == want, (where, name, amount, want)
        assert uncapped is None


# ---- the fixture's cases -----------------------------------------------------------------------


def test_every_fixture_case_in_one_batch_as_its_file_expects(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    data = [plain_data(read_case_file(path)) for path in CASES]
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    rows, _ = batch_results(county, cases, members)
    assert sorted(rows) == list(range(1, len(CASES) + 1))
    for number, path in enumerate(CASES, 1):
        case = load_case(path, county.checked)
        assert_same(county, rows[number], case, path.name)
        for name, expectation in case.expect.items():  # worked by hand in the case files
            status, amount, _uncapped = rows[number][name]
            assert status == expectation.status, (path.name, name)
            if "amount" in expectation.amounts:
                want = expectation.amounts["amount"]
                assert (amount, want) == (None, None) or amount == want.value, (path.name, name)


def test_the_fixture_through_the_command_line_with_members_results(tmp_path: Path) -> None:
    data = [plain_data(read_case_file(FIXTURE / "cases" / "04-child-turns-18.yaml"))]
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    out = tmp_path / "out.csv"
    lines: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            lines.append(text)

    code = run_batch(POLICY, cases, out, None, [], "json", False, Out(), members)  # type: ignore[arg-type]
    assert code == 0
    summary = json.loads("".join(lines))
    assert summary["cases"] == 1
    child = next(r for r in summary["rules"] if r["rule"] == "育儿补贴")
    assert child["counts"]["applies"] == 1 and Decimal(child["total"]) == 200  # 小儿子 only
    with out.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["id"] == "户1" and row["育儿补贴.status"] == "applies"
    assert row["育儿补贴.amount_元/月"] == "200" and row["低保金.status"] == "not_applicable"
    with (tmp_path / "out.members.csv").open(encoding="utf-8") as handle:
        people = {r["member"]: r for r in csv.DictReader(handle)}
    # 大女儿 turned 18 on 2026-03-01, the period's first day: 未满18周岁 no longer.
    assert people["大女儿"]["育儿补贴.status"] == "not_applicable"
    assert people["小儿子"]["育儿补贴.status"] == "applies"
    assert people["小儿子"]["育儿补贴.amount_元/月"] == "200"
    assert people["王芳"]["育儿补贴.status"] == ""  # not a 子女: the rule does not look at her


# ---- random households on both sides of the edges --------------------------------------------


def income_forms(rng: random.Random, period: str, monthly: Decimal) -> Any:
    """A member's monthly income for `period`, written as a case worker may: one value, the
    period's entry, the year's (an exact twelfth), or every month of the year."""
    if period.isdigit():  # a year
        form = rng.choice(("year", "months", "months-missing"))
        if form == "year":
            return {period: monthly * 12}
        months = {f"{period}-{m:02d}": monthly for m in range(1, 13)}
        if form == "months-missing":
            del months[f"{period}-{rng.randint(1, 12):02d}"]
        return months
    form = rng.choice(("plain", "entry", "year", "missing"))
    if form == "plain":
        return monthly
    if form == "entry":
        return {period: monthly}
    if form == "year":
        return {period[:4]: monthly * 12}
    return {f"{int(period[:4]) - 1}-12": monthly}  # another month only: undetermined


def birth(rng: random.Random, first: date, years: int) -> date:
    """A birthday `years` years before `first`, a day either side or on it, or far from it."""
    shift = rng.choice((-1, 0, 1, 400, -400))
    return first.replace(year=first.year - years) + timedelta(days=shift)


def random_household(rng: random.Random) -> dict[str, Any]:
    period = rng.choice(("2026-03", "2026-01", "2027-12", "2026", "2027"))
    first = date(int(period[:4]), int(period[5:] or 1), 1)
    roles = ["申请人"] + ["配偶"] * rng.randint(0, 1)
    roles += ["子女"] * rng.randint(0, 3) + ["其他成员"] * rng.randint(0, 1)
    count = len(roles)
    # The household's monthly total near the 低保 edge: 800元 a person, to the 分, half up;
    # or near 3000元 a month, the 取暖补贴 edge (36000元 a year).
    delta = Decimal(rng.choice(("-0.03", "-0.015", "-0.01", "0", "0.01", "0.015", "0.02")))
    total = rng.choice((Decimal(800) * count + delta * count, Decimal(3000) + delta, Decimal(0)))
    members: dict[str, Any] = {}
    for k, role in enumerate(roles):
        monthly = total if k == 0 else Decimal(0)
        years = {"子女": 18, "申请人": 80, "配偶": 80}.get(role, rng.choice((18, 80)))
        inputs: dict[str, Any] = {}
        if rng.random() > 0.03:  # a birthday left out leaves the age rules undetermined
            inputs["出生日期"] = birth(rng, first, years)
        if rng.random() > 0.05:
            inputs["月收入"] = income_forms(rng, period, monthly)
        members[f"成员{k}"] = {"role": role, "inputs": inputs}
    return {"period": period, "members": members}


def random_cases(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        data = random_household(rng)
        try:  # a year whose twelfth is not exact is refused by both: keep the valid ones
            case_from_data(data, compile_policy(POLICY).checked, "case.json")
        except Exception:
            continue
        cases.append(data)
    return cases


def test_random_households_in_csv_as_run_case_evaluates_them(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    data = random_cases(12, 300)
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    members = write_csv(tmp_path / "members.csv", member_rows)
    rows, member_results = batch_results(county, cases, members)
    statuses: set[tuple[str, str]] = set()
    for number, item in enumerate(data, 1):
        case = case_from_data(item, county.checked, "case.json")
        assert_same(county, rows[number], case, f"case {number}: {item}")
        statuses.update((name, v[0]) for name, v in rows[number].items())
    # both sides of every edge were met
    for rule in ("低保金", "育儿补贴", "高龄津贴", "取暖补贴"):
        assert {(rule, "applies"), (rule, "not_applicable"), (rule, "undetermined")} <= statuses
    # each member's outcome of an `each` rule, as run gives it
    by_row = {(int(r["row"]), r["member"]): r for r in member_results}
    for number, item in enumerate(data, 1):
        case = case_from_data(item, county.checked, "case.json")
        results = per_case(county, case)
        # a month's amount in 元/月, a year case's sum of its months in 元/年 (batch_measures)
        measure = "元/年" if len(str(item.get("period", ""))) == 4 else "元/月"
        for name in ("育儿补贴", "高龄津贴"):
            for outcome in results[name].members or ():
                row = by_row[number, outcome.member]
                assert row[f"{name}.status"] == outcome.status
                assert row[f"{name}.amount_{measure}"] == (
                    "" if outcome.amount is None else f"{outcome.amount.value:f}"
                )


def test_random_households_in_json_lines_with_maps_per_period(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    data = random_cases(34, 120)
    case_records, member_records = [], []
    for number, item in enumerate(data, 1):
        case_records.append({"id": number, "period": item["period"]})
        for name, member in item["members"].items():
            member_records.append(
                {"case": number, "member": name, "role": member["role"], **member["inputs"]}
            )
    cases = write_jsonl(tmp_path / "cases.jsonl", case_records)
    members = write_jsonl(tmp_path / "members.jsonl", member_records)
    rows, _ = batch_results(county, cases, members)
    for number, item in enumerate(data, 1):
        case = case_from_data(item, county.checked, "case.json")
        assert_same(county, rows[number], case, f"case {number}")


# ---- OpenFisca's country template, its restatement through the batch ---------------------------


def test_the_openfisca_restatement_through_the_batch_as_run_case(tmp_path: Path) -> None:
    """Every case the OpenFisca translator makes of the country template's tests (those without
    a reform or a parameter override, which a batch of one policy cannot hold) in one batch."""
    from tests.peers.openfisca import POLICY_FILE, Translator, peer_tests

    policy = compile_policy(POLICY_FILE)
    translator = Translator(policy)
    data: list[dict[str, Any]] = []
    seen: set[str] = set()
    for test in peer_tests():
        if test.data.get("parameters") or test.data.get("reforms"):
            continue
        for check in translator.checks(test):
            key = json.dumps(check.case, sort_keys=True, default=str)
            if "readings" not in check.case and key not in seen:
                seen.add(key)
                data.append(check.case)
    assert len(data) >= 20
    case_rows, member_rows = tables(data)
    cases = write_csv(tmp_path / "cases.csv", case_rows)
    if policy.checked.people.group:
        members = write_csv(tmp_path / "members.csv", member_rows)
        rows, _ = batch_results(policy, cases, members)
    else:
        with PeopleBatch(policy, {}, Progress(False)) as batch:
            batch.load_people(cases, None, None)
            batch.evaluate()
            rows = dict(batch.rows())
    for number, item in enumerate(data, 1):
        case = case_from_data(item, policy.checked, "case.json")
        assert_same(policy, rows[number], case, f"case {number}: {item}")


def test_parquet_files_with_their_own_types_and_on_from_the_command_line(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    import duckdb

    con = duckdb.connect()
    cases, members = tmp_path / "cases.parquet", tmp_path / "members.parquet"
    con.execute(
        "COPY (SELECT * FROM (VALUES (1, '2026-03', NULL), (2, NULL, NULL), "
        "(3, '2026', '低保金')) t(id, period, received)) "
        f"TO '{cases}' (FORMAT parquet)"
    )
    con.execute(
        "COPY (SELECT * FROM (VALUES "
        "(1, '王芳', '申请人', DATE '1980-05-01', 2399.97::DECIMAL(10,2)), "
        "(1, '李强', '配偶', DATE '1979-02-01', 0::DECIMAL(10,2)), "
        "(1, '李小明', '子女', DATE '2008-03-15', 0::DECIMAL(10,2)), "
        "(2, '张大爷', '申请人', DATE '1946-03-15', 3000::DECIMAL(10,2)), "
        "(3, '王芳', '申请人', DATE '1980-05-01', NULL)"
        ') t("case", member, role, 出生日期, 月收入)) '
        f"TO '{members}' (FORMAT parquet)"
    )
    with PeopleBatch(county, {}, Progress(False)) as batch:
        batch.load_people(cases, date(2026, 3, 15), members)
        batch.evaluate()
        rows = dict(batch.rows())
    # Row 2 has neither `on` nor `period`: --on 2026-03-15 dates it, its period is March 2026;
    # 张大爷 is 年满80周岁 on 2026-03-15 itself (满 includes the day).
    assert rows[2]["高龄津贴"][:2] == ("applies", 100)
    # Row 1: 2399.97 for 3 people is 799.99元/人: (800 - 799.99) × 3 = 0.03元; 李小明 turns 18 on
    # 2026-03-15, after the period's first day, the evaluation date: still 未满18周岁.
    assert rows[1]["低保金"][:2] == ("applies", Decimal("0.03"))
    assert rows[1]["育儿补贴"][:2] == ("applies", 200)
    given = [
        {"period": "2026-03", "members": {
            "王芳": {"role": "申请人", "inputs": {"出生日期": "1980-05-01", "月收入": "2399.97"}},
            "李强": {"role": "配偶", "inputs": {"出生日期": "1979-02-01", "月收入": "0"}},
            "李小明": {"role": "子女", "inputs": {"出生日期": "2008-03-15", "月收入": "0"}},
        }},
        {"on": "2026-03-15", "members": {
            "张大爷": {"role": "申请人", "inputs": {"出生日期": "1946-03-15", "月收入": "3000"}},
        }},
        {"period": "2026", "received": ["低保金"], "members": {
            "王芳": {"role": "申请人", "inputs": {"出生日期": "1980-05-01"}},
        }},
    ]  # fmt: skip
    for number, item in enumerate(given, 1):
        case = case_from_data(item, county.checked, "case.json")
        assert_same(county, rows[number], case, f"row {number}")
