"""The JSON answer's writer (policyc.report_json): the bytes the web service sends and the
document `run --format json` prints. Each result's fields are checked against the evaluation's
own RuleResult and RuleInfo (not against the writer's output), for every example case and for
random textile cases (results written once and reused must still be each case's own); the key
order is the schema's; the standard library's encoder writes the same document as orjson."""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policyc import report_json
from policyc.cases import load_case
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity_format import format_quantity

REPO = Path(__file__).resolve().parent.parent
PAIRS = [
    (REPO / "policies" / f"{folder.name}.policy", folder)
    for folder in sorted((REPO / "examples").iterdir())
    if (REPO / "policies" / f"{folder.name}.policy").exists()
] + [
    (
        REPO / "tests/fixtures/county-household/county-household.policy",
        REPO / "tests/fixtures/county-household/cases",
    )
]
ITEM_KEYS = [
    "rule", "clause", "clause_title", "owner_kind", "heading", "status", "reason", "amount",
    "uncapped",
    "capped", "missing", "unspecified", "grants", "beneficiary", "kind", "responsible", "quotes",
    "quote_of", "line", "readings", "flow", "role", "value", "target", "leads", "cooperates", "law",
    "procedures", "refers", "limits", "unrounded", "rounding", "shared_cap",
]  # fmt: skip
DOCUMENT_KEYS = [
    "policyc", "policy", "title", "issuers", "case", "on", "in_force", "valid_from", "valid_until",
    "provisional", "readings", "results", "totals", "totals_by_kind",
    "totals_by_beneficiary", "still_needed",
]  # fmt: skip


def evaluated(policy: CompiledPolicy, case_path: Path, explain: bool) -> Any:
    case = load_case(case_path, policy.checked)
    readings = dict(policy.namespace["READINGS"]) | case.readings
    assert case.on is not None
    results = policy.evaluate(case.inputs, case.on, readings, case.received, explain)
    return case, readings, results


def money_text(q: Any) -> str | None:
    return None if q is None else format_quantity(q)


LEAN_KEYS = ["rule", "clause", "heading", "kind", "flow", "role", "status", "reason"]


def assert_item_is_the_result(item: dict[str, Any], r: RuleResult, explain: bool) -> None:
    info = r.info
    if r.status in ("not_applicable", "not_in_force"):
        assert_lean_item_is_the_result(item, r, explain)
        return
    assert list(item)[: len(ITEM_KEYS)] == ITEM_KEYS
    assert item["rule"] == info.name and item["clause"] == info.owner_number
    assert item["status"] == r.status and item["reason"] == r.reason
    assert item["missing"] == list(r.missing)
    assert (item["amount"] or {}).get("text") == money_text(r.amount)
    assert (item["uncapped"] or {}).get("text") == money_text(r.uncapped)
    assert item["capped"] is (r.uncapped is not None)
    assert item["quotes"] == list(info.quotes) and item["responsible"] == list(info.responsible)
    assert item["quote_of"] == info.quote_of and item["quote_of"] in ("", "owner")
    assert item["line"] == info.line and item["flow"] == info.flow
    assert ("members" in item) is (r.members is not None)
    assert ("periods" in item) is (r.periods is not None)
    if explain:
        assert item["trace"] == [{"text": s.text, "line": s.line} for s in r.steps]
    else:
        assert "trace" not in item


def assert_lean_item_is_the_result(item: dict[str, Any], r: RuleResult, explain: bool) -> None:
    """A ruled-out result (format 2): exactly the lean keys, then members, periods and trace
    when present; what it leaves out is its rule's (the `rules` route) or empty for it."""
    info = r.info
    extra = [k for k in ("members", "periods") if getattr(r, k) is not None]
    assert list(item) == LEAN_KEYS + extra + (["trace"] if explain else [])
    assert item["rule"] == info.name and item["clause"] == info.owner_number
    assert item["kind"] == info.kind and item["flow"] == info.flow and item["role"] == info.role
    assert item["status"] == r.status and item["reason"] == r.reason
    # nothing of the case's own is dropped: a ruled-out result has no amount, value, missing
    assert r.amount is None and r.uncapped is None and r.value is None and r.missing == ()
    if explain:
        assert item["trace"] == [{"text": s.text, "line": s.line} for s in r.steps]


@pytest.mark.parametrize(("policy_path", "folder"), PAIRS, ids=[f.name for _, f in PAIRS])
def test_every_example_answer_holds_each_results_own_fields(policy_path: Path, folder: Path):
    policy = compile_policy(policy_path)
    cases = sorted(folder.glob("*.yaml"))
    assert cases
    for case_path in cases:
        for explain in (False, True):
            case, readings, results = evaluated(policy, case_path, explain)
            raw = report_json.answer_bytes(
                policy, results, case.on, readings, None, explain, results, case.inputs
            )
            document = json.loads(raw)
            keys = [k for k in document if k not in ("period", "period_in_force")]
            assert keys == DOCUMENT_KEYS, case_path.name
            assert len(document["results"]) == len(results)
            for item, r in zip(document["results"], results, strict=True):
                assert_item_is_the_result(item, r, explain)


def test_results_written_once_are_still_each_cases_own():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import serve as bench  # the load test's random textile cases
    finally:
        sys.path.pop(0)
    from policyc.serve.evaluate import parse_json, validated

    policy = compile_policy(REPO / "policies/tzf-2023-1.policy")
    rng = random.Random(7)
    seen_reasons: set[str] = set()
    for _ in range(300):
        body = json.dumps(bench.random_case(rng), ensure_ascii=False).encode()
        case = validated(policy, parse_json(body, "case"), "case")
        readings = dict(policy.namespace["READINGS"])
        assert case.on is not None
        results = policy.evaluate(case.inputs, case.on, readings, case.received, False)
        raw = report_json.answer_bytes(
            policy, results, case.on, readings, None, False, results, case.inputs
        )
        for item, r in zip(json.loads(raw)["results"], results, strict=True):
            assert_item_is_the_result(item, r, False)
            seen_reasons.add(r.reason)
    assert len(seen_reasons) > 20  # the cases differ: reused chunks met many reasons


def test_the_standard_librarys_encoder_writes_the_same_document(monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("orjson")
    policy_path, folder = PAIRS[-1]  # households: members and periods
    policy = compile_policy(policy_path)
    textile = compile_policy(REPO / "policies/tzf-2023-1.policy")
    runs = [(policy, c) for c in sorted(folder.glob("*.yaml"))] + [
        (textile, c) for c in sorted((REPO / "examples/tzf-2023-1").glob("*.yaml"))[:10]
    ]
    fast = []
    for compiled, case_path in runs:
        case, readings, results = evaluated(compiled, case_path, True)
        fast.append(
            report_json.answer_bytes(
                compiled, results, case.on, readings, None, True, results, case.inputs
            )
        )
    monkeypatch.setattr(report_json, "_dumps", report_json._stdlib_dumps)
    monkeypatch.setattr(report_json, "_CHUNKS", {})  # written again, by json
    monkeypatch.setattr(report_json, "_STATES", {})
    for (compiled, case_path), expected in zip(runs, fast, strict=True):
        case, readings, results = evaluated(compiled, case_path, True)
        slow = report_json.answer_bytes(
            compiled, results, case.on, readings, None, True, results, case.inputs
        )
        assert slow == expected, case_path.name  # both compact, same order: the same bytes


def test_a_lone_surrogate_is_written_escaped_as_valid_utf8():
    pytest.importorskip("orjson")
    raw = report_json._dumps({"reading": "\ud800x"})
    assert raw == b'{"reading":"\\ud800x"}'
    raw.decode("utf-8")


def test_each_result_names_its_clause_as_the_document_does():
    """天政办发〔2026〕7号 (tests/fixtures/talent-housing) numbers its clauses （一）…（六） through
    its sections: source line 12 "（二）企业引进的外籍高层次专家…", line 16 "（五）上年度未裁员…";
    the web form showed "（二）" from `clause` and `clause_title` by hand, now `heading`."""
    folder = REPO / "tests" / "fixtures" / "talent-housing"
    policy = compile_policy(folder / "policies" / "rc-2026-7.policy")
    results = policy.evaluate({}, date(2026, 6, 30), {}, frozenset())
    document = report_json.to_json(policy, results, date(2026, 6, 30), {}, None, False)
    heading = {item["rule"]: item["heading"] for item in document["results"]}
    assert heading["外籍专家生活补助"] == "（二）外籍专家生活补助"
    assert heading["稳岗返还"] == "（五）稳岗返还"
