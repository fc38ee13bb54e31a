"""No wrong answer where the text gives a right one (issue 11, section 2): amounts never negative,
totals only of like with like, tiers that reach no row, readings that change what they say."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import REPO, PolicyFactory

TEXTILE = REPO / "policies" / "tzf-2023-1.policy"


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def case_file(tmp_path: Path, inputs: dict[str, str], on: str = "2023-12-31") -> Path:
    lines = ["policy: 天政发〔2023〕1号", f"on: {on}", "inputs:"]
    lines += [f"  {k}: {v}" for k, v in inputs.items()]
    path = tmp_path / "case.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- 1. an amount never goes negative ---------------------------------------------------------


def test_a_part_larger_than_its_whole_is_refused_naming_both(tmp_path: Path):
    case = case_file(
        tmp_path, {"申请人类型": "服装电商企业", "年发货量": "1000单", "口罩发货量": "3000单"}
    )
    done = policyc("run", str(TEXTILE), "--case", str(case))
    assert done.returncode == 2, done.stdout
    assert "`口罩发货量` (3000单) is more than `年发货量` (1000单)" in done.stderr
    assert done.stdout == ""


def test_parts_are_disjoint_so_their_sum_counts(tmp_path: Path):
    inputs = {"申请人类型": "服装电商企业", "年发货量": "1000单", "口罩发货量": "600单"}
    policy = compile_policy(TEXTILE)
    with pytest.raises(
        InputError,
        match="`口罩发货量` \\(600单\\) \\+ `其他纺织品发货量` "
        "\\(401单\\) are more than `年发货量` \\(1000单\\)",
    ):
        load_case(case_file(tmp_path, inputs | {"其他纺织品发货量": "401单"}), policy.checked)
    # On the boundary the parts make up the whole exactly: accepted, and nothing is left to pay.
    case = load_case(case_file(tmp_path, inputs | {"其他纺织品发货量": "400单"}), policy.checked)
    result = next(
        r for r in policy.evaluate(case.inputs, date(2023, 12, 31)) if r.info.name == "电商物流补贴"
    )
    assert (result.status, result.amount) == ("applies", Quantity.of(0, "元"))


def test_a_negative_amount_is_never_paid_nor_totalled(policies: PolicyFactory):
    policy = policies.compile(
        "  rule 余额 { kind 补贴 amount 100 元 - 已获 }\n  rule 固定 { kind 补贴 amount 30 元 }",
        "input 已获: 元",
    )
    results = policy.evaluate({"已获": Quantity.of(140, "元")}, date(2023, 6, 1))
    first, second = results
    assert first.status == "not_applicable" and first.amount is None
    assert "金额为负" in first.reason and "-40元" in first.reason
    assert second.amount == Quantity.of(30, "元")
    from policyc.report import totals

    assert totals(results) == {"元": Quantity.of(30, "元")}
