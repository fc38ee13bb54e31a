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

    assert totals(results) == {"paid": {"元": Quantity.of(30, "元")}}


# ---- 3. a tier table where no row is reached does not apply -----------------------------------

TIERS = """
  rule 最高档 { kind 奖励 amount tiers 销售额 highest { 达到 5000 万元: 5 万元, 达到 1 亿元: 15 万元 } }
  rule 超过档 { kind 奖励 amount tiers 销售额 each { 超过 5000 万元: 5 万元, 超过 1 亿元: 15 万元 } }
  rule 首次档 {
    kind 奖励
    amount tiers 销售额 each_new since 以往最高 { 达到 5000 万元: 5 万元, 达到 1 亿元: 15 万元 }
  }
"""


def tier_results(policies: PolicyFactory, sales: str, prior: str | None) -> dict[str, tuple]:
    policy = policies.compile(TIERS, "input 销售额: 元\ninput 以往最高: 元 optional")
    inputs = {"销售额": Quantity.of(sales, "元")}
    if prior is not None:
        inputs["以往最高"] = Quantity.of(prior, "元")
    return {
        r.info.name: (r.status, r.reason, r.amount)
        for r in policy.evaluate(inputs, date(2023, 6, 1))
    }


def test_below_the_lowest_row_is_not_applicable_with_its_threshold(policies: PolicyFactory):
    below = tier_results(policies, "49999999", None)
    assert below["最高档"] == ("not_applicable", "未达到最低档: 达到5000万元（含本数）", None)
    assert below["超过档"] == ("not_applicable", "未达到最低档: 超过5000万元（不含本数）", None)
    # The prior does not matter when nothing is reached now: not applicable, not undetermined.
    assert below["首次档"] == ("not_applicable", "未达到最低档: 达到5000万元（含本数）", None)
    at = tier_results(policies, "50000000", None)
    assert at["最高档"] == ("applies", "", Quantity.of(50000, "元"))
    assert at["超过档"][0] == "not_applicable"  # 超过 excludes the number itself
    assert at["首次档"] == ("undetermined", "需要输入 以往最高", None)


def test_nothing_newly_reached_is_not_applicable(policies: PolicyFactory):
    again = tier_results(policies, "80000000", "60000000")
    status, reason, amount = again["首次档"]
    assert (status, amount) == ("not_applicable", None)
    assert reason.startswith("没有新达到的档次") and "6000万元" in reason
    jump = tier_results(policies, "100000000", "60000000")
    assert jump["首次档"] == ("applies", "", Quantity.of(150000, "元"))


# ---- 2. 合计 adds only like with like -------------------------------------------------------------


def test_the_park_case_totals_paid_waived_and_payable_apart(tmp_path: Path):
    # 入驻 2023-07-01, evaluated 2024-06-30 (year 1): 房租 10万元 waived in full (第十五条),
    # 物业费 2万元 halved: 1万元 waived (第十七条), 装修 800平方米 × 150元 = 12万元 paid (第十六条),
    # 宿舍 10间 × 8月 × 200元 = 1.6万元 payable by the firm (第十七条).
    case = case_file(
        tmp_path,
        {"申请人类型": "服装电商企业", "入驻日期": "2023-07-01", "年房租": "10万元",
         "年物业费": "2万元", "宿舍间数": "10", "宿舍租用月数": "8", "装修面积": "800"},
        on="2024-06-30",
    )  # fmt: skip
    done = policyc("run", str(TEXTILE), "--case", str(case), "--format", "json")
    assert done.returncode == 0, done.stderr
    import json

    doc = json.loads(done.stdout)
    by_kind = {k: {u: m["value"] for u, m in v.items()} for k, v in doc["totals_by_kind"].items()}
    assert by_kind == {
        "paid": {"元": "120000"},
        "waived": {"元": "110000"},
        "payable": {"元": "16000"},
    }
    assert {u: m["value"] for u, m in doc["totals"].items()} == {"元": "120000"}
    flows = {r["rule"]: r["flow"] for r in doc["results"] if r.get("amount")}  # lean: none
    assert flows == {"租金减免": "waived", "装修补贴": "paid", "物业费减半": "waived",
                     "宿舍租赁费按标准收取": "payable"}  # fmt: skip
    text = policyc("run", str(TEXTILE), "--case", str(case)).stdout
    assert "合计（支付给申请人）: 120,000元（12万元）" in text
    assert "合计（减免）: 110,000元（11万元）" in text
    assert "合计（申请人应缴）: 16,000元（1.6万元）" in text
    assert "141,000" not in text and "14.1万元" not in text


def test_a_kind_that_says_no_flow_cannot_compute_an_amount(policies: PolicyFactory):
    path = policies.write(policies.clause("  rule r { kind 鼓励 amount 5 元 }"))
    done = policyc("check", str(path))
    assert done.returncode == 2
    assert "its kind `鼓励` does not say whether it is paid to the applicant, waived" in done.stderr


# ---- 4. a reading either changes what it says or cannot be chosen -------------------------------

POLICIES = sorted(p for p in (REPO / "policies").glob("*.policy") if p.stem != "units")
SWITCHES = [
    (policy, name, option.name)
    for policy in POLICIES
    for name, decl in compile_policy(policy).checked.readings.items()
    if not decl.documentary
    for option in decl.options
    if option.name != decl.take.text
]


@pytest.mark.parametrize(
    ("policy", "reading", "option"),
    SWITCHES,
    ids=[f"{p.stem}/{r}={o}" for p, r, o in SWITCHES],
)
def test_every_switchable_option_changes_some_example(policy: Path, reading: str, option: str):
    from policyc.testing import case_files

    compiled = compile_policy(policy)

    def outcome(case_path: Path, extra: dict[str, str]) -> list[tuple[object, ...]]:
        case = load_case(case_path, compiled.checked)
        chosen = {k: v for k, v in case.readings.items() if k != reading} | extra
        on = case.on or date(2023, 12, 31)
        results = compiled.evaluate(case.inputs, on, chosen, case.received)
        return [(r.status, r.amount, str(r.value)) for r in results]

    taken = compiled.checked.readings[reading].take.text
    cases = case_files([REPO / "examples" / policy.stem])
    assert any(outcome(c, {reading: option}) != outcome(c, {reading: taken}) for c in cases), (
        f"no example of {policy.stem} changes under {reading}={option}"
    )


def test_documentary_readings_cannot_be_chosen(tmp_path: Path):
    policy = REPO / "policies" / "tzbh-2023-5.policy"
    case = REPO / "examples" / "tzbh-2023-5" / "07-car-show.yaml"
    done = policyc("run", str(policy), "--case", str(case), "--reading", "突破=达到")
    assert done.returncode == 2 and done.stdout == ""
    assert "reading `突破` is documentary" in done.stderr
    text = case.read_text(encoding="utf-8") + "readings:\n  突破: 达到\n"
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    done = policyc("run", str(policy), "--case", str(path))
    assert done.returncode == 2 and "reading `突破` is documentary" in done.stderr


def test_the_validity_follows_its_reading_in_the_header(tmp_path: Path):
    case = case_file(tmp_path, {"申请人类型": "服装电商企业"}, on="2026-01-06")
    taken = policyc("run", str(TEXTILE), "--case", str(case)).stdout
    assert "有效期 2023-01-06 至 2026-01-05（暂定） · 不在有效期内" in taken
    next_day = policyc(
        "run", str(TEXTILE), "--case", str(case), "--reading", "有效期起算=from_next_day"
    )
    assert "有效期 2023-01-06 至 2026-01-06（暂定） · 在有效期内" in next_day.stdout
    gazette = policyc("run", str(TEXTILE), "--case", str(case), "--reading", "有效期起算=公报日期")
    assert "有效期 2023-03-31 至 2026-03-30（暂定）" in gazette.stdout


def test_a_reading_that_changes_nothing_must_say_it_is_documentary(policies: PolicyFactory):
    reading = (
        'reading 口罩 {\n question "q"\n option 甲 "a"\n option 乙 "b"\n take 甲 because "c"\n}\n'
    )
    path = policies.write(policies.clause("  rule r { kind 补贴 amount 5 元 }", reading))
    done = policyc("check", str(path))
    assert done.returncode == 2 and "reading `口罩` changes nothing" in done.stderr
    tested = policies.write(
        policies.clause(
            "  rule r { kind 补贴 amount if reading 口罩 is 乙 then 6 元 else 5 元 }",
            reading.replace("口罩 {", "口罩 documentary {"),
        )
    )
    done = policyc("check", str(tested))
    assert done.returncode == 2 and "is marked documentary, yet line" in done.stderr
