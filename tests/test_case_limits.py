"""A cap shared by several rules whose limit the case gives (《工伤保险条例》第三十九条: "核定的
各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资"): `shared_cap … limit EXPR`, and each
member's amount after the cap. Figures worked by hand from the rule (runtime/amounts.py)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.compiler.docs import render_docs
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory

FIXTURE = Path(__file__).parent / "fixtures" / "work-injury"
POLICY = FIXTURE / "gsbx-2010.policy"
CASE_11 = FIXTURE / "examples" / "gsbx-2010" / "11-death-three-dependants-cap.yaml"

INPUTS = (
    "input 上限: 元 optional\ninput 甲额: 元\ninput 乙额: 元\ninput 乙适用: bool default true\n"
)
RULES = "  rule 甲 { kind 补助  amount 甲额 }\n  rule 乙 { kind 补助  when 乙适用  amount 乙额 }\n"
SHARED = 'shared_cap 合计 {{ limit 上限 per 户  over 甲, 乙  order {order} because "读法" }}\n'


def compiled(policies: PolicyFactory, order: str) -> CompiledPolicy:
    return compile_policy(
        policies.write(policies.clause(RULES, INPUTS) + SHARED.format(order=order))
    )


def money(value: str) -> Quantity:
    return Quantity.of(Decimal(value), "元")


def run(policy: CompiledPolicy, fast: bool, **inputs: Any) -> dict[str, Any]:
    given = {"乙适用": True} | {k: money(v) if isinstance(v, str) else v for k, v in inputs.items()}
    results = policy.evaluate(given, date(2024, 1, 1), fast=fast)
    return {r.info.name: r for r in results}


def values(out: dict[str, Any]) -> tuple[Any, Any]:
    return tuple(out[r].amount.value if out[r].amount is not None else None for r in ("甲", "乙"))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("order", ["as_listed", "proportional"])
def test_a_total_exactly_at_the_case_limit_is_not_cut(
    policies: PolicyFactory, fast: bool, order: str
) -> None:
    # 2,800 + 4,200 = 7,000 = 上限: 不应高于 is kept, each paid in full
    out = run(compiled(policies, order), fast, 上限="7000", 甲额="2800", 乙额="4200")
    assert values(out) == (2800, 4200)
    assert out["乙"].shared.limit.value == 7000 and out["乙"].shared.limit_text == "上限"


@pytest.mark.parametrize("fast", [True, False])
def test_one_fen_over_the_case_limit_is_cut_in_the_listed_order(
    policies: PolicyFactory, fast: bool
) -> None:
    # 2,800 + 4,200.01 = 7,000.01 over 7,000: 甲 first in full, 乙 the 4,200 left
    out = run(compiled(policies, "as_listed"), fast, 上限="7000", 甲额="2800", 乙额="4200.01")
    assert values(out) == (2800, Decimal("4200.00"))
    assert out["乙"].shared.before.value == Decimal("4200.01")


@pytest.mark.parametrize("fast", [True, False])
def test_one_fen_over_the_case_limit_is_cut_in_proportion(
    policies: PolicyFactory, fast: bool
) -> None:
    # 2,800 × 7,000 ÷ 7,000.01 = 2,799.99600… → 2,799.99; 4,200.01 × 7,000 ÷ 7,000.01 =
    # 4,200.00399… → 4,200.00; the 分 left goes to the larger remainder (0.0060 > 0.0039): 甲
    out = run(compiled(policies, "proportional"), fast, 上限="7000", 甲额="2800", 乙额="4200.01")
    assert values(out) == (Decimal("2800.00"), Decimal("4200.00"))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("order", ["as_listed", "proportional"])
def test_an_unknown_limit_leaves_the_capped_rules_undetermined_naming_it(
    policies: PolicyFactory, fast: bool, order: str
) -> None:
    out = run(compiled(policies, order), fast, 甲额="2800", 乙额="100", 乙适用=False)
    assert out["甲"].status == "undetermined" and out["甲"].amount is None
    assert out["甲"].missing == ("上限",)
    assert "合计上限「合计」上限 未定; 需要输入 上限" in out["甲"].reason
    assert out["乙"].status == "not_applicable"  # uses none of the limit, whatever it is


def test_a_limit_that_is_no_money_is_refused(policies: PolicyFactory) -> None:
    body = policies.clause(RULES, INPUTS + "input 人数: 人\n") + SHARED.format(
        order="as_listed"
    ).replace("limit 上限", "limit 人数")
    with pytest.raises(PolicyError, match="a shared cap is an amount of money, not"):
        compile_policy(policies.write(body))


def test_a_monthly_limit_needs_per_month(policies: PolicyFactory) -> None:
    inputs = INPUTS.replace("input 上限: 元 optional", "input 上限: 元/月")
    body = policies.clause(RULES, inputs) + SHARED.format(order="as_listed")
    with pytest.raises(PolicyError, match="a shared cap is an amount of money, not"):
        compile_policy(policies.write(body))  # 元/月 without `per 月` is no amount


def test_a_monthly_limit_per_month_is_one_months_money(policies: PolicyFactory) -> None:
    inputs = INPUTS.replace("input 上限: 元 optional", "input 上限: 元/月")
    body = policies.clause(RULES, inputs) + SHARED.format(order="as_listed").replace(
        "per 户", "per 户 per 月"
    )
    policy = compile_policy(policies.write(body))
    rate = Quantity.of(Decimal(1000), "元/月")
    for fast in (True, False):  # 1,000元 of the month: 600 + the 400 left
        assert values(run(policy, fast, 上限=rate, 甲额="600", 乙额="600")) == (600, 400)


def policyc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], capture_output=True, text=True, check=False,
        env={**os.environ, "LANGUAGE": "en"},
    )  # fmt: skip


def test_each_member_shows_what_it_receives_after_the_cap_and_before() -> None:
    # case 11 (its comments work it by hand): 7,700元 over 生前工资 7,000元, 按比例核减
    done = policyc("run", str(POLICY), "--case", str(CASE_11))
    assert done.returncode == 0, done.stderr
    assert "各成员: 李妻（配偶） 2545.45元（核减前 2800元）" in done.stdout, done.stdout
    assert (
        "各成员: 李母（其他亲属） 2545.46元（核减前 2800元）；李子（其他亲属） 1909.09元（核减前 2100元）"
    ) in done.stdout
    assert "合计上限「各供养亲属的抚恤金」生前工资 7000元（按比例核减）" in done.stdout
    assert "合计（支付给供养亲属）: 每月 7000元" in done.stdout


def test_the_json_names_the_limit_the_case_gives() -> None:
    done = policyc("run", str(POLICY), "--case", str(CASE_11), "--format", "json")
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    share = results["其他亲属抚恤金"]["shared_cap"]
    assert share["limit_named"] == "生前工资" and share["limit"]["value"] == "7000"
    assert (share["before"]["value"], share["after"]["value"]) == ("4900", "4454.55")
    members = {m["member"]: m for m in results["其他亲属抚恤金"]["members"]}
    assert members["李子"]["amount"]["value"] == "1909.09"
    assert members["李子"]["uncapped"]["value"] == "2100"


def test_dependants_exactly_at_the_wage_are_not_cut(tmp_path: Path) -> None:
    # 配偶 40% + two 其他亲属 30% each = 100% of 本人工资 7,000元 = 生前工资: not cut
    case = tmp_path / "c.yaml"
    text = CASE_11.read_text(encoding="utf-8").split("expect:")[0]
    case.write_text(text.replace("{孤寡老人或孤儿: true}", "{孤寡老人或孤儿: false}"), "utf-8")
    done = policyc("run", str(POLICY), "--case", str(case), "--format", "json")
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    assert results["配偶抚恤金"]["amount"]["value"] == "2800"
    assert results["其他亲属抚恤金"]["amount"]["value"] == "4200"
    members = {m["member"]: m for m in results["其他亲属抚恤金"]["members"]}
    assert members["李母"]["uncapped"] is None and members["李母"]["amount"]["value"] == "2100"


def test_fast_and_traced_paths_agree_on_the_case_limit() -> None:
    """Case 11 with its members, and without the wage the limit reads (a case file must give
    it, so it is taken out after reading): the fast path (runtime/fast.py, the limit on a
    context of its own) and the traced path give the same results, members included."""
    policy = compile_policy(POLICY)
    case = load_case(CASE_11, policy.checked)
    assert case.on is not None
    without_wage = copy.copy(case.inputs)  # its members and period kept
    del without_wage["平均月缴费工资"]
    for inputs in (case.inputs, without_wage):
        fast = policy.evaluate(inputs, case.on)
        traced = policy.evaluate(inputs, case.on, fast=False)
        assert [(r.status, r.amount, r.missing, r.members) for r in fast] == [
            (r.status, r.amount, r.missing, r.members) for r in traced
        ]
    out = {r.info.name: r for r in policy.evaluate(without_wage, case.on)}
    pension = out["其他亲属抚恤金"]  # the limit 生前工资 needs the wage: undetermined, naming it
    assert pension.status == "undetermined" and "平均月缴费工资" in pension.missing
    assert out["丧葬补助金"].status == "applies"  # not under the cap


def test_the_site_says_the_limit_as_the_case_gives_it() -> None:
    files = render_docs([check_policy(POLICY)])
    page = "\n".join(text for name, text in files.items() if name.endswith(".md"))
    assert "合计每户每月不超过" in page and "生前工资" in page
    assert "超过时各项按比例核减（条例未规定超限时先减谁的" in page


def test_a_yearly_rule_under_a_monthly_limit_is_refused(policies: PolicyFactory) -> None:
    inputs = INPUTS.replace("input 上限: 元 optional", "input 上限: 元/月")
    rules = RULES.replace("amount 乙额 }", "amount 乙额 per 年 }")
    body = policies.clause(rules, inputs) + SHARED.format(order="as_listed").replace(
        "per 户", "per 户 per 月"
    )
    with pytest.raises(PolicyError, match="rule `乙` is paid per 年 but shared_cap `合计`"):
        compile_policy(policies.write(body))


def test_the_batch_shares_out_each_cases_limit_case_by_case(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    path = policies.write(policies.clause(RULES, INPUTS) + SHARED.format(order="as_listed"))
    cases = tmp_path / "c.csv"
    # at the limit; 1分 over (乙 gets the 4,200 left); the limit not given (both undetermined)
    cases.write_text("上限,甲额,乙额\n7000,2800,4200\n7000,2800,4200.01\n,2800,100\n", "utf-8")
    out = tmp_path / "r.csv"
    done = policyc("run", str(path), "--cases", str(cases), "--on", "2024-01-01", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "under the cap `合计`, whose limit the case gives (上限)" in done.stdout, done.stdout
    rows = out.read_text(encoding="utf-8").splitlines()
    # each rule's status, reason (none where it applies: tidy12's column) and amount
    assert rows[1:] == [
        "1,applies,,2800,applies,,4200",
        "2,applies,,2800,applies,,4200",  # cut from 4,200.01
        "3,undetermined,待定：还需要输入,,undetermined,待定：还需要输入,",
    ]


def test_in_the_listed_order_the_members_of_a_cut_rule_are_not_given_invented_shares(
    tmp_path: Path,
) -> None:
    # the fixture read `as_listed` (配偶优先: "配偶先按标准足额核定, 其他亲属分得剩余部分"):
    # 配偶 2,800元 in full; 其他亲属 get the 4,200元 left of 7,000元, and nothing says how 母亲
    # and 子女 share it (the order ranks rules, not one rule's members): each keeps what the
    # text gives her (2,800元, 2,100元), and the answer says the 4,200元 is theirs to share
    folder = tmp_path / "work-injury"
    shutil.copytree(FIXTURE, folder)
    policy = folder / POLICY.name
    text = policy.read_text(encoding="utf-8")
    assert "order proportional because" in text
    policy.write_text(
        text.replace("order proportional because", "order as_listed because"), "utf-8"
    )
    done = policyc("run", str(policy), "--case", str(CASE_11), "--explain")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "      · 李妻（配偶）: 适用 2800元" in lines, done.stdout
    assert "      · 李母（其他亲属）: 适用 2800元" in lines
    assert "      · 李子（其他亲属）: 适用 2100元" in lines
    assert (
        "      各成员合计 4900元，本项按 4200元 发放；文件未规定 4200元 在各成员间如何分配，"
        "由本户分配，上列各成员金额为各自标准、不是各自实得"
    ) in lines
    cap = "· 合计上限「各供养亲属的抚恤金」生前工资 7000元: 此前已用 2800元, 本项 4900元 → 4200元"
    steps = [line.strip().split("  [")[0] for line in lines]
    assert cap in steps and not any("各成员按比例分得" in step for step in steps)


def test_the_web_form_shows_each_members_amount_after_the_cap_and_before() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from tests.serve_helpers import request, running_server
    from tests.test_serve_households import result_of

    fields = {
        "@on": "2025-06-30",
        "@members": "3",
        "平均月缴费工资": "7000",
        "职工月平均工资": "6000",
        "死亡": "因工死亡",
        "全国城镇居民人均可支配收入": "49283",
        "@member1.name": "李妻",
        "@member1.role": "配偶",
        "@member2.name": "李母",
        "@member2.role": "其他亲属",
        "@member2:孤寡老人或孤儿": "true",
        "@member3.name": "李子",
        "@member3.role": "其他亲属",
    }
    with running_server(str(FIXTURE)) as base:
        body = urllib.parse.urlencode(fields).encode()
        status, _, answer = request(
            base, "POST", "/policies/gsbx-2010", body, "application/x-www-form-urlencoded"
        )
    page = answer.decode("utf-8")
    assert status == 200, page
    item = " ".join(result_of(page, "其他亲属抚恤金").split())
    assert "李母 其他亲属 适用 2545.46元（核减前 2800元）" in item, item
    assert "李子 其他亲属 适用 1909.09元（核减前 2100元）" in item


@pytest.mark.parametrize("order", ["as_listed", "proportional"])
def test_a_limit_below_zero_leaves_nothing_to_share(policies: PolicyFactory, order: str) -> None:
    # 上限 − 8,000元 with 上限 7,000元 is −1,000元: no rule receives anything, none below zero
    body = policies.clause(RULES, INPUTS) + SHARED.format(order=order).replace(
        "limit 上限", "limit 上限 - 8000 元"
    )
    policy = compile_policy(policies.write(body))
    for fast in (True, False):
        assert values(run(policy, fast, 上限="7000", 甲额="2800", 乙额="4200")) == (0, 0)
