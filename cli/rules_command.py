"""`policyc rules POLICY [--format json|text]`: every rule of a policy, as the document places it.

The command line's counterpart of the service's `GET /v1/policies/{id}/rules`: both give
`rules_document` (`{"policyc": 2, "policy": 文号, "rules": [fields]}`, each rule's fixed fields
from `report_json.rule_fields`: its clause, heading, kind, quotes, units, limits …, as a full
result of `run --format json` carries them). The text lists the rules under their parts'
headings, each with its kind, its line in the policy file and its source sentences, in Chinese
whatever the locale, as `run`'s listing (what a policy says stays in its language):

    天政发〔2023〕1号  关于支持纺织服装产业高质量发展的若干意见

    （一）支持企业做大做强
      规模企业奖励（奖励，第 57 行）
        「对首次纳入规模以上统计的纺织服装企业，……给予一次性奖励10万元。」

A policy that does not compile is refused as `run` refuses it (PolicyError, InputError).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from policyc.compiler.pipeline import CompiledPolicy


def rules_document(policy: CompiledPolicy) -> dict[str, Any]:
    """`{"policyc": SCHEMA_VERSION, "policy": 文号, "rules": [rule_fields …]}`, in the
    policy file's order (by line: a decision is evaluated after those it reads, but listed
    where the drafter wrote it): what `GET /v1/policies/{id}/rules` answers and `rules --format
    json` prints."""
    from policyc.report_json import SCHEMA_VERSION, rule_fields

    return {
        "policyc": SCHEMA_VERSION,
        "policy": policy.view.header.number,
        "rules": sorted(rule_fields(policy), key=lambda rule: int(rule["line"] or 0)),
    }


def rules_text(policy: CompiledPolicy) -> str:
    """The rules as text (see the module's docstring): a heading line per part, in order, each
    rule indented under it with its kind and line, then its source sentences in 「」."""
    header = policy.view.header
    out = [f"{header.number}  {header.title}".rstrip()]
    heading = None
    fields = rules_document(policy)["rules"]
    for rule in fields:
        place = rule["heading"] or rule["clause"] or ""
        if place != heading:
            heading = place
            out += ["", place or "（不属于任何条款）"]
        facts = "，".join(word for word in (rule["kind"], f"第 {rule['line']} 行") if word)
        out.append(f"  {rule['rule']}（{facts}）")
        if rule["role"] == "target" and rule["quote_of"] == "owner" and rule["quotes"]:
            out.append("    （目标未引原文，以下为所在条款的原文）")  # as run --all says it
        out += [f"    「{quote}」" for quote in rule["quotes"]] or ["    （未引原文）"]
    if not fields:
        out += ["", "没有规则：本政策只规定职责和目标"]
    return "\n".join(out) + "\n"


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rules of `args.policy` in `args.format` (text or json); 0, or raises."""
    from policyc.compiler.pipeline import compile_policy
    from policyc.output import json_text

    compiled = compile_policy(args.policy)
    if args.format == "json":
        sys.stdout.write(json_text(rules_document(compiled)))
    else:
        sys.stdout.write(rules_text(compiled))
    return 0
