"""`--explain` names every place by its file (`[tzf-2023-1.policy 第446行]`, never a bare
第446行 a reader takes for the received text's), and traces every input a result waits for,
also one the evaluation stopped at without a step (an amount's input)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

POLICY = "policies/tzf-2023-1.policy"


def explain(tmp_path: Path, inputs: str) -> str:
    case = tmp_path / "case.yaml"
    case.write_text(f"on: 2023-12-31\ninputs:\n{inputs}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", POLICY, "--case", str(case), "--explain"],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _rule(text: str, name: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"  \S {name} — ", line))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("     ")), len(lines)
    )
    return lines[start:end]


def test_every_step_names_the_policy_file(tmp_path: Path):
    text = explain(tmp_path, "  申请人类型: 服装电商企业\n")
    places = re.findall(r"\[([^\[\]]*第\d+行)\]$", text, flags=re.MULTILINE)
    assert places, text
    assert all(p.startswith("tzf-2023-1.policy 第") for p in places), set(places)


def test_an_amounts_inputs_are_traced_to_the_line_that_reads_them(tmp_path: Path):
    rule = _rule(explain(tmp_path, "  申请人类型: 服装电商企业\n"), "电商物流补贴")
    assert "      原因: 需要输入 年发货量、口罩发货量、其他纺织品发货量" in rule
    policy_lines = (REPO / POLICY).read_text(encoding="utf-8").splitlines()
    amount_line = next(
        i for i, line in enumerate(policy_lines, 1) if "amount 0.2 元/单 × (年发货量" in line
    )
    # `policyc fmt` wraps the amount before its two `-`: each input on the line that reads it
    assert policy_lines[amount_line].strip() == "- 口罩发货量"
    assert "then 其他纺织品发货量 else 0 单" in policy_lines[amount_line + 1]
    assert rule[-3:] == [
        f"        · 待定: 需要输入 {name}（本例未给出）  [tzf-2023-1.policy 第{line}行]"
        for name, line in (
            ("年发货量", amount_line), ("口罩发货量", amount_line + 1),
            ("其他纺织品发货量", amount_line + 2),
        )
    ]  # fmt: skip


def test_an_input_a_step_already_reads_is_not_repeated(tmp_path: Path):
    """整体搬迁补贴 waits for a condition's input: its step names it; no extra line."""
    rule = _rule(explain(tmp_path, "  申请人类型: 服装电商企业\n"), "整体搬迁补贴")
    waiting = [
        line for line in rule if "整体搬迁来天或返天" in line and line.startswith("        ·")
    ]
    assert len(waiting) == 1 and "条件待定" in waiting[0]
    assert not any("· 待定: 需要输入" in line for line in rule)


def test_a_rule_given_everything_has_no_waiting_line(tmp_path: Path):
    inputs = "  申请人类型: 服装电商企业\n  年发货量: 100\n  口罩发货量: 0\n  其他纺织品发货量: 0\n"
    rule = _rule(explain(tmp_path, inputs), "电商物流补贴")
    assert rule[0] == "  ✔ 电商物流补贴 — 适用: 20元"
    assert not any("待定" in line for line in rule)


# ---- `--only`: a total is printed only under a listing that shows an amount ------------------

CAPPED = "examples/tzf-2023-1/07-logistics-capped.yaml"


def only(statuses: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", POLICY, "--case", CAPPED, "--only", statuses],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_only_not_applicable_prints_no_total():
    text = only("不适用")
    assert "✘" in text and "合计" not in text


def test_only_undetermined_prints_no_total():
    assert "合计" not in only("待定,not_in_force")


def test_a_listing_with_an_amount_prints_the_total_of_every_rule():
    """The capped logistics subsidy pays 100万元 (1,198,000元 before the cap)."""
    assert only("适用").splitlines()[-1] == "合计（支付给申请人）: 1,000,000元（100万元）"
    assert only("不适用,适用").splitlines()[-1] == "合计（支付给申请人）: 1,000,000元（100万元）"
