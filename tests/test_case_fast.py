"""The short reading of a case (cli/case_fast.py, compiled once per policy) gives what the full
reading (`validate_case`) gives: the same Case, value for value (a Quantity's Decimal with its
exponent, its dims, its `%` flag), on every shipped example and on random cases; a case it does
not vouch for is read the full way, so a bad case's message is the full reading's, word for word.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.case_fast import fast_case
from policyc.case_files import Where, plain_data, read_case_file, wrap_plain
from policyc.cases import Case, case_from_data, validate_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.quantity import Quantity
from policyc.testing import case_files

REPO = Path(__file__).resolve().parent.parent
POLICIES = [p for p in sorted((REPO / "policies").glob("*.policy")) if p.stem != "units"]
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
_compiled: dict[Path, CompiledPolicy] = {}


def compiled(path: Path) -> CompiledPolicy:
    if path not in _compiled:
        _compiled[path] = compile_policy(path)
    return _compiled[path]


def exact(value: Any) -> Any:
    """A value with everything equality forgets: a Decimal's exponent, a Quantity's flag."""
    if isinstance(value, Quantity):
        return ("Q", str(value.value), value.dims, value.percent)
    if isinstance(value, dict):
        return ("D", [(k, exact(v)) for k, v in value.items()])
    if isinstance(value, tuple):
        return ("T", [exact(v) for v in value])
    return (type(value).__name__, value)


def shown(case: Case) -> Any:
    return (
        case.path, case.policy, case.on, exact(case.inputs), case.received, case.readings,
        case.expect,
    )  # fmt: skip


def full(data: Any, policy: CompiledPolicy) -> tuple[str, Any]:
    """The full reading: ("case", its exact shape) or ("refused", the message)."""
    try:
        return (
            "case",
            shown(validate_case(wrap_plain(data, Where("case"), 0), policy.view, "case")),
        )
    except InputError as exc:
        return ("refused", str(exc))


def served(data: Any, policy: CompiledPolicy) -> tuple[str, Any]:
    """What the service reads (`case_from_data`: the short way, else the full one)."""
    try:
        return ("case", shown(case_from_data(data, policy.view, "case")))
    except InputError as exc:
        return ("refused", str(exc))


def example_data() -> list[tuple[Path, dict[str, Any]]]:
    """Each shipped example's `on`, `inputs` (and `policy`): what a request sends."""
    found = []
    for policy in POLICIES:
        folder = REPO / "examples" / policy.stem
        if not folder.is_dir():
            continue
        for path in case_files([folder]):
            data = plain_data(read_case_file(path))
            kept = {k: v for k, v in data.items() if k in ("on", "inputs", "policy")}
            found.append((policy, kept))
    return found


EXAMPLES = example_data()


def test_every_example_reads_alike_and_most_the_short_way() -> None:
    short = 0
    for policy_path, data in EXAMPLES:
        policy = compiled(policy_path)
        reference = full(data, policy)
        assert served(data, policy) == reference, (policy_path.stem, data)
        fast = fast_case(data, policy.view, "case")
        if fast is not None:
            short += 1
            assert reference == ("case", shown(fast)), (policy_path.stem, data)
    # Every textile example the full reading takes is taken the short way (issue 13's route).
    textile = [d for p, d in EXAMPLES if p == TEXTILE]
    taken = [d for d in textile if full(d, compiled(TEXTILE))[0] == "case"]
    assert len(taken) > 20
    assert all(fast_case(d, compiled(TEXTILE).view, "case") is not None for d in taken)
    assert short >= len(taken)


# Values of each kind for random cases, to take the short readers' every turn: mostly good ones
# (some written as only the full reader of a value reads them: ` 12`, `1,000`, `12 单`), and in
# one case of two a value from ODD, which may be refused.
ODD_NUMBERS = ["0.5", "100.0", "0.0000001", "1E+5", "-0", "-3", "9" * 31, "0." + "1" * 31]
ODD_TEXTS = [
    "1.5万", "3亿", "0.5", " 12", "1,000", "12.0万单", "12 单", "3万 单", "0.5人", "12人",
    "1.25万元", "100元", "5.5%", "6", "0.05万人", "很多", "-3", "1e5", "", "12元/月",
    # hours and minutes, 个 before a measure, a bare figure for a % target (words9)
    "8时30分", "8:30", "8小时30分钟", "8时20分", "25:00", "2个人", "1个工作日", "0.98",
]  # fmt: skip
ODD = [None, True, Decimal("3"), "x", [Decimal(1)], {"a": Decimal(1)}, "也许", "yes", "是", "NO"]
ODD_DATES = ["2023-02-29", "2023/01/06", Decimal(2023), date(2023, 5, 1), "2024-02-29"]
KINDS = ("bool", "date", "enum", "series", "keyed")  # the others are quantities


def good_value(rng: random.Random, info: Any, enums: dict[str, tuple[str, ...]]) -> Any:
    kind = info.type.kind
    if kind == "bool":
        return rng.choice([True, False, "是", "否"])
    if kind == "date":
        return f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind in ("enum", "keyed"):
        members = enums[info.type.enum]
        if kind == "enum":
            return rng.choice(members)
        return {m: Decimal(rng.randint(0, 9)) for m in rng.sample(members, rng.randint(1, 2))}
    if kind == "series":
        return [Decimal(rng.randint(0, 9)) for _ in range(rng.randint(1, 3))]
    number = rng.randint(0, 10 ** rng.randint(1, 7))
    name = info.measure.name if info.measure is not None else ""
    if name == "%":
        return f"{number % 100}.{rng.randint(0, 9)}%"
    roll = rng.random()
    if roll < 0.5:
        return Decimal(number) if roll < 0.4 else Decimal(f"{number}.{rng.randint(0, 99):02d}")
    if roll < 0.7:
        return f"{number}{name}"
    if roll < 0.9:
        return f"{number % 1000}.{rng.randint(0, 9)}{rng.choice(['万', '亿'])}{name}"
    return f"{number}"


def odd_value(rng: random.Random, info: Any) -> Any:
    kind = info.type.kind
    if kind == "date":
        return rng.choice(ODD_DATES + ODD)
    if kind in ("bool", "enum", "series", "keyed"):
        return rng.choice(ODD)
    return rng.choice([*(Decimal(t) for t in ODD_NUMBERS), *ODD_TEXTS, *ODD])


def random_case(rng: random.Random, policy: CompiledPolicy) -> dict[str, Any]:
    view = policy.view
    names = list(view.inputs)
    chosen = rng.sample(names, rng.randint(min(len(names), 2), min(len(names), 8)))
    required = [n for n, i in view.inputs.items() if i.decl.presence == "required"]
    inputs = {name: good_value(rng, view.inputs[name], view.enums) for name in chosen + required}
    if rng.random() < 0.5:
        name = rng.choice(names)
        inputs[name] = odd_value(rng, view.inputs[name])
    data: dict[str, Any] = {"on": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    data["inputs"] = inputs
    if rng.random() < 0.05:
        data["on"] = rng.choice(["2023-13-01", None, Decimal(2023), date(2023, 1, 1)])
    if rng.random() < 0.05:
        data["policy"] = rng.choice([view.header.number, "其他", None])
    if rng.random() < 0.05:
        data[rng.choice(["description", "bogus", "received", "readings"])] = []
    if rng.random() < 0.03:
        data["inputs"] = rng.choice([None, [], "x"])
    return data


@pytest.mark.parametrize("policy_path", POLICIES, ids=[p.stem for p in POLICIES])
def test_random_cases_read_alike_good_and_bad(policy_path: Path) -> None:
    policy = compiled(policy_path)
    rng = random.Random(policy_path.stem)
    seen = {"case": 0, "refused": 0, "short": 0}
    for _ in range(400):
        data = random_case(rng, policy)
        reference = full(data, policy)
        assert served(data, policy) == reference, data
        fast = fast_case(data, policy.view, "case")
        if fast is not None:
            assert reference == ("case", shown(fast)), data
            seen["short"] += 1
        seen[reference[0]] += 1
    # Good cases and bad, and most good ones the short way.
    assert seen["refused"] > 40 and seen["case"] > 80 and seen["short"] > seen["case"] / 2, seen


def test_textile_random_cases_mostly_good_and_read_the_short_way() -> None:
    policy = compiled(TEXTILE)
    view = policy.view
    rng = random.Random(13)
    quantities = [
        n for n, i in view.inputs.items() if i.type.kind not in KINDS and i.measure is not None
    ]
    taken = 0
    for _ in range(300):
        inputs: dict[str, Any] = {
            "申请人类型": rng.choice(view.enums[view.inputs["申请人类型"].type.enum])
        }
        for name in rng.sample(quantities, 3):
            measure = view.inputs[name].measure
            assert measure is not None
            inputs[name] = rng.choice(
                [
                    Decimal(rng.randint(0, 500)),
                    f"{rng.randint(0, 99)}.{rng.randint(0, 9)}万{measure.name}",
                ]
            )
        data = {"on": "2023-12-31", "inputs": inputs}
        reference = full(data, policy)
        fast = fast_case(data, view, "case")
        if fast is not None:
            taken += 1
            assert reference == ("case", shown(fast)), data
        else:
            assert served(data, policy) == reference
    assert taken > 150


def test_a_text_with_a_scale_keeps_the_exponent_the_full_reading_gives() -> None:
    view = compiled(TEXTILE).view
    data = {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "年发货量": "1.5万单"}}
    fast = fast_case(data, view, "case")
    assert fast is not None
    # 1.5 × 10000 exactly, as parse_quantity_text multiplies it: 15000.0, not 15000 nor 1.5E+4
    assert str(fast.inputs["年发货量"].value) == "15000.0"
    assert shown(fast) == full(data, compiled(TEXTILE))[1]


@pytest.mark.parametrize(
    "data",
    [
        {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "满1年人数": Decimal("0.5")}},
        {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "满1年人数": "0.5人"}},
        {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "年发货量": "1.5万元"}},
        {"on": "2023-02-30", "inputs": {"申请人类型": "物流企业"}},
        {"on": "2023-12-31", "inputs": {"申请人类型": "快递企业"}},
        {"on": "2023-12-31", "inputs": {}},
        {"on": "2023-12-31", "policy": None, "inputs": {"申请人类型": "物流企业"}},
        {
            "on": "2023-12-31",
            "inputs": {"申请人类型": "物流企业", "口罩发货量": Decimal(10), "年发货量": Decimal(5)},
        },
        {"on": "2023-12-31", "inputs": {"申请人类型": "物流企业", "天门籍": "也许"}},
    ],
)
def test_a_bad_case_is_left_to_the_full_reading(data: dict[str, Any]) -> None:
    policy = compiled(TEXTILE)
    assert fast_case(data, policy.view, "case") is None
    reference = full(data, policy)
    assert reference[0] == "refused" and served(data, policy) == reference


def test_a_plain_number_is_told_as_the_full_reader_tells_it() -> None:
    import re

    from policyc.case_values import _PLAIN_NUMBER, plain_number

    texts = [
        "0", "12", "12.50", "0.5", "100.0", "0.000001", "0.0000001", "1E+5", "1E-7", "-0", "-3",
        "-12.5", "9" * 30, "9" * 31, "0." + "1" * 30, "0." + "1" * 31, "9" * 30 + "." + "1" * 30,
        "9" * 31 + ".5", "NaN", "Infinity", "-Infinity", "1.0E+3",
    ]  # fmt: skip
    told = {t: plain_number(str(Decimal(t))) for t in texts}
    assert told == {t: bool(re.fullmatch(_PLAIN_NUMBER, str(Decimal(t)))) for t in texts}
    assert told["9" * 30] and not told["9" * 31] and told["0.000001"] and not told["0.0000001"]
