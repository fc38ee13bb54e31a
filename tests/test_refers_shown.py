"""A reference the drafter wrote is shown wherever its rule is, whatever the rule's amount (the
大病保险 newcomer's `refers outside "XX市基本医疗保险办法"` beside a computed amount reached no
`run` line and `"refers": []`): under the rule in the answer and `--all`, in the JSON result,
and from the rule's clause and section as well as its own (codegen `references`).

The policies are conftest's test header and mini source; the rule pays a fixed 1元 to a case
that says 是企业 (a rule reading no input is a standing one, counted and not listed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyc.cli import main
from tests.conftest import QUOTE, PolicyFactory

BASIC = "《XX市基本医疗保险办法》"


DECLARED = 'input 是企业: bool "x"\n'


def clause(*items: str) -> str:
    lines = ['clause 七 "降低物流成本" {', f"  {QUOTE}", "  responsible 市商务局", *items, "}"]
    return "\n".join(lines)


def run(capsys: pytest.CaptureFixture[str], policy: Path, *args: str) -> str:
    case = policy.parent / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs: {是企业: true}\n", encoding="utf-8")
    assert main(["run", str(policy), "--case", str(case), *args]) == 0
    return capsys.readouterr().out


def refers_of(capsys: pytest.CaptureFixture[str], policy: Path, rule: str) -> list[str]:
    document = json.loads(run(capsys, policy, "--format", "json"))
    [result] = [r for r in document["results"] if r["rule"] == rule]
    return list(result["refers"])


def test_a_clause_reference_is_shown_under_its_rule_with_a_computed_amount(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    rule = "  rule 补 { when 是企业 amount 1 元 }"
    policy = policies.write(
        DECLARED + clause('  refers outside "XX市基本医疗保险办法"', rule) + "\n"
    )
    answer = run(capsys, policy).splitlines()
    at = next(i for i, line in enumerate(answer) if line.startswith("  ✔ 补 — 适用: 1元"))
    assert f"      参见: {BASIC}" in answer[at + 1 : at + 4]
    listing = run(capsys, policy, "--all").splitlines()
    at = listing.index("  ✔ 补 — 适用: 1元")
    assert f"      参见: {BASIC}" in listing[at + 1 : at + 5]
    assert refers_of(capsys, policy, "补") == [BASIC]


def test_the_rules_own_come_first_then_its_clauses_then_its_sections_each_once(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    rule = (
        "  rule 补 {\n    when 是企业\n    amount 1 元\n"
        '    refers outside "XX办法" "X发〔2020〕1号"\n'
        '    refers outside "YY办法"\n  }'
    )
    body = (
        DECLARED + 'section 一 "总则" {\n'
        '  refers outside "ZZ办法"\n' + clause('  refers outside "YY办法"', rule) + "\n}\n"
    )
    policy = policies.write(body)
    # 《YY办法》 written on the rule and on its clause is shown once, in the rule's place
    assert refers_of(capsys, policy, "补") == [
        "《XX办法》（X发〔2020〕1号）",
        "《YY办法》",
        "《ZZ办法》",
    ]
    answer = run(capsys, policy)
    assert "      参见: 《XX办法》（X发〔2020〕1号）、《YY办法》、《ZZ办法》" in answer.splitlines()


def test_a_rule_without_any_reference_has_no_line_and_an_empty_list(
    capsys: pytest.CaptureFixture[str], policies: PolicyFactory
) -> None:
    policy = policies.write(DECLARED + clause("  rule 补 { when 是企业 amount 1 元 }") + "\n")
    assert not any("参见" in line for line in run(capsys, policy, "--all").splitlines())
    assert refers_of(capsys, policy, "补") == []


def test_the_web_form_shows_the_reference_beside_a_computed_amount(
    policies: PolicyFactory,
) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    rule = "  rule 补 { when 是企业 amount 1 元 }"
    policies.write(DECLARED + clause('  refers outside "XX市基本医疗保险办法"', rule) + "\n")
    client = TestClient(create_app([policies.folder / "p.policy"]))
    answer = client.post("/policies/p", data={"case.on": "2023-06-30", "是企业": "true"})
    assert answer.status_code == 200, answer.text
    assert f"<div>参见：{BASIC}</div>" in answer.text
