"""How `policyc new` does on the five documents: its skeleton from each policy's source lines,
set against the hand-written policy. Prints, per document: sections and clauses/tasks found
(same kind and number) out of the hand-written ones, hand-written quotes of those clauses found
verbatim in the skeleton's heading and quotes, and clauses whose lead/responsible units agree.

    .venv/bin/python benchmarks/skeleton_agreement.py
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import check_policy
from policyc.compiler.skeleton import skeleton
from policyc.newpolicy import _registry

REPO = Path(__file__).resolve().parent.parent


@attrs.frozen
class Agreement:
    document: str
    sections: tuple[int, int]  # found, hand-written
    clauses: tuple[int, int]  # clauses and tasks: found, hand-written
    extra: int  # clauses and tasks of the skeleton the hand-written policy does not have
    quotes: tuple[int, int]
    units: tuple[int, int]
    text: str  # the skeleton


def _parts(file: n.PolicyFile) -> dict[tuple[str, str], n.Section | n.Clause]:
    found: dict[tuple[str, str], n.Section | n.Clause] = {
        ("section", s.number): s for s in file.sections
    }
    found.update({(c.kind, c.number): c for c in file.all_clauses()})
    return found


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def agreement(policy: Path) -> Agreement:
    hand = check_policy(policy)
    match = re.search(r'source "([^"]+)" lines (\d+) to (\d+)', hand.text)
    assert match is not None, policy
    source = policy.parent / match[1]
    first, last = int(match[2]), int(match[3])
    registry = _registry(policy.parent / "units.policy")

    def resolve(name: str) -> str | None:
        unit = registry.resolve(name)
        return unit.name if unit is not None else None

    lines = source.read_text(encoding="utf-8").split("\n")[first - 1 : last]
    text = skeleton(lines, first, match[1], resolve, "units.policy")
    made, written = _parts(parse(text, str(policy))), _parts(hand.file)
    hand_clauses = {k for k in written if k[0] != "section"}
    made_clauses = {k for k in made if k[0] != "section"}
    hand_sections = set(written) - hand_clauses
    quotes_found = quotes_total = units_agree = 0
    for key in sorted(hand_clauses & made_clauses):
        mine, theirs = made[key], written[key]
        joined = _squeeze((mine.title + "。" if mine.title else "") + "".join(
            q.text for q in mine.quotes))  # fmt: skip
        texts = [q.text for q in theirs.quotes]
        texts += [q.text for rule in theirs.rules for q in rule.quotes]
        for quoted in dict.fromkeys(_squeeze(t) for t in texts):
            quotes_total += 1
            quotes_found += quoted in joined
        units = [{resolve(u.text) for u in (*p.responsible, *p.leads)} for p in (mine, theirs)]
        units_agree += units[0] == units[1]
    return Agreement(
        policy.stem,
        (len(hand_sections & set(made)), len(hand_sections)),
        (len(hand_clauses & made_clauses), len(hand_clauses)),
        len(made_clauses - hand_clauses),
        (quotes_found, quotes_total),
        (units_agree, len(hand_clauses & made_clauses)),
        text,
    )


def main() -> None:
    for policy in sorted((REPO / "policies").glob("t*.policy")):
        a = agreement(policy)
        print(
            f"{a.document}: sections {a.sections[0]}/{a.sections[1]}, "
            f"clauses and tasks {a.clauses[0]}/{a.clauses[1]} (+{a.extra} not in the policy), "
            f"quotes {a.quotes[0]}/{a.quotes[1]}, units agree in {a.units[0]}/{a.units[1]}"
        )


if __name__ == "__main__":
    main()
