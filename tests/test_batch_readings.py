"""Every option of every choosable reading, on both sides of the edge it moves: the examples in
examples/<policy>/readings/<reading>/ (one case per side and option, worked out by hand) cover
each switchable reading, and the batch path gives for them what their `expect:` says, as
`policyc test` does for the per-case path (tests/test_examples.py)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case, plain_data, read_case_file
from policyc.compiler.pipeline import CompiledPolicy, compile_policy

REPO = Path(__file__).resolve().parent.parent
POLICIES = sorted((REPO / "policies").glob("t*.policy"))
_compiled: dict[Path, CompiledPolicy] = {}


def compiled(path: Path) -> CompiledPolicy:
    if path not in _compiled:
        _compiled[path] = compile_policy(path)
    return _compiled[path]


def edge_cases(policy: Path, reading: str) -> dict[str, dict[str, Path]]:
    """side -> option -> the case file, from `<reading>--<side>--<option>.yaml`."""
    sides: dict[str, dict[str, Path]] = defaultdict(dict)
    for path in sorted((REPO / "examples" / policy.stem / "readings" / reading).glob("*.yaml")):
        name, side, option = path.stem.split("--")
        assert name == reading, path
        sides[side][option] = path
    return sides


def switchable(policy: Path) -> list[str]:
    return sorted(compiled(policy).checked.switchable_readings)


PAIRS = [(p, r) for p in POLICIES for r in switchable(p)]


@pytest.mark.parametrize(("policy", "reading"), PAIRS, ids=[f"{p.stem}/{r}" for p, r in PAIRS])
def test_every_option_has_a_case_on_each_side_of_its_edge(policy: Path, reading: str) -> None:
    sides = edge_cases(policy, reading)
    options = [o.name for o in compiled(policy).checked.readings[reading].options]
    assert len(sides) >= 2, f"{reading}: cases on one side only: {sorted(sides)}"
    expects: dict[str, dict[str, Any]] = {}
    for side, by_option in sides.items():
        assert sorted(by_option) == sorted(options), (side, sorted(by_option))
        for option, path in by_option.items():
            case = load_case(path, compiled(policy).checked)
            assert case.readings.get(reading) == option, path  # the option, written out
            assert case.expect, path
            expects[f"{side}/{option}"] = {
                rule: (e.status, e.amounts, e.value.value if e.value else None)
                for rule, e in case.expect.items()
            }
    # The option moves something: on some side, two options expect different results.
    assert any(
        len({json.dumps(expects[f"{side}/{o}"], default=str, sort_keys=True) for o in options}) > 1
        for side in sides
    ), f"{reading}: no side where the options differ"


def as_json(value: Any) -> Any:
    if isinstance(value, list):  # a daily series
        return [as_json(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


GROUPS = [(p, r) for p, r in PAIRS if edge_cases(p, r)]


@pytest.mark.parametrize(("policy", "reading"), GROUPS, ids=[f"{p.stem}/{r}" for p, r in GROUPS])
def test_the_batch_gives_what_each_edge_case_expects(
    policy: Path, reading: str, tmp_path: Path
) -> None:
    """The cases of one reading, one option at a time, as rows of a JSON Lines batch."""
    pytest.importorskip("duckdb")
    from policyc.batch import Batch

    compiled_policy = compiled(policy)
    by_option: dict[str, list[Path]] = defaultdict(list)
    for by_side in edge_cases(policy, reading).values():
        for option, path in by_side.items():
            by_option[option].append(path)
    for option, paths in by_option.items():
        rows, expects = [], []
        for path in paths:
            case = load_case(path, compiled_policy.checked)
            data = plain_data(read_case_file(path))
            inputs = {k: as_json(v) for k, v in data["inputs"].items()}
            assert case.on is not None
            rows.append({"on": case.on.isoformat(), **inputs})
            expects.append(case.expect)
        cases = tmp_path / f"{option}.jsonl"
        cases.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8"
        )
        with Batch(compiled_policy, {reading: option}) as batch:
            batch.load(cases, None)
            batch.evaluate()
            results = [r for _, r in batch.rows()]
        for path, expect, got in zip(paths, expects, results, strict=True):
            for rule, want in expect.items():
                status, amount, _ = got[rule]
                assert want.status in (None, status), (path.name, rule, status)
                wanted = want.amounts.get("amount")
                if wanted is not None:
                    assert amount == wanted.value, (path.name, rule, amount)
                if want.value is not None:  # a decided value, as the results file writes it
                    assert amount == str(want.value.value), (path.name, rule, amount)
