"""`choose highest of` among rules paid per one period, and for beneficiaries named differently.

tests/fixtures/choice-monthly restates newcomer14's invented 柳民发〔2026〕5号: 困难残疾人生活补贴
(低保, 持证) 每人每月 100元 for 一级/二级, 60元 for 三级/四级; 重度残疾人护理补贴 每人每月 90元 for
一级/二级, 50元 for 三级/四级 智力/精神; 困难老年人生活补助 (低保, 60周岁以上) 每人每月 80元, "不重复
享受，按就高原则发放" against the 生活补贴. All three are `amount … per 月`; the elder award's
beneficiary word is 老年人, the subsidies' 残疾人 (one applicant). Values worked by hand from the
text; the evaluation date is 2026-06-30, so a person born 1960-05-10 is 66.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policyc.choice_report import choice_words
from policyc.cli import main
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Quantity
from tests.conftest import FIXTURES

PROJECT = FIXTURES / "choice-monthly"
POLICY = PROJECT / "policies" / "lx-2026-5.policy"
ON = datetime.date(2026, 6, 30)
LIVING, CARE, ELDER = "困难残疾人生活补贴", "重度残疾人护理补贴", "困难老年人生活补助"
SIXTY_SIX = datetime.date(1960, 5, 10)
QUOTE = (
    "困难残疾人生活补贴与困难老年人生活补助（低保家庭中60周岁以上老年人，每人每月80元）不重复享受，"
    "按就高原则发放。"
)


def 元(number: str) -> Quantity:
    return Quantity.of(number, "元")


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    return compile_policy(POLICY)


def fields(r: RuleResult) -> dict[str, Any]:
    return {f: getattr(r, f) for f in ("status", "reason", "amount", "missing", "choice")}


def evaluate(policy: CompiledPolicy, **given: Any) -> dict[str, RuleResult]:
    """The results by rule of a 低保, 持证 applicant; the explained path held to the traced."""
    inputs = {"持证": True, "低保家庭": True, "残疾儿童": False, **given}
    traced = policy.evaluate(inputs, ON, fast=False)
    explained = policy.evaluate(inputs, ON, explain=True)
    assert [fields(r) for r in explained] == [fields(r) for r in traced]
    return {r.info.name: r for r in traced}


def test_the_living_subsidy_above_the_elder_award_is_kept(policy: CompiledPolicy) -> None:
    # 二级, 66: 生活补贴 100元/月 against 老年补助 80元/月 → 100元; 护理 二级 90元 beside it.
    results = evaluate(policy, 残疾等级="二级", 出生日期=SIXTY_SIX)
    living, elder = results[LIVING], results[ELDER]
    assert (living.status, living.amount) == ("applies", 元("100"))
    assert (elder.status, elder.amount) == ("applies", None)
    assert elder.choice.kept == LIVING and elder.choice.before == (元("80"), 元("80"))
    assert results[CARE].amount == 元("90")  # not in the choice: paid beside it


def test_the_elder_award_above_the_living_subsidy_is_kept(policy: CompiledPolicy) -> None:
    # 三级 肢体, 66: 生活补贴 60元/月 against 老年补助 80元/月 → 80元; 护理 三级 肢体 → none.
    results = evaluate(policy, 残疾等级="三级", 残疾类别="肢体残疾", 出生日期=SIXTY_SIX)
    living, elder = results[LIVING], results[ELDER]
    assert (elder.status, elder.amount) == ("applies", 元("80"))
    assert (living.status, living.amount) == ("applies", None)
    assert living.choice.kept == ELDER and living.choice.before == (元("60"), 元("60"))
    assert results[CARE].status == "not_applicable"
    assert (
        choice_words(living)
        == "就高不重复: 只按金额最高的「困难老年人生活补助」计，本项 60元（每月） 不计入"
    )


def test_a_tie_keeps_the_subsidy_listed_first(tmp_path: Path) -> None:
    # The elder award at 60元/月 ties the 三级 subsidy: the first listed, 生活补贴, is kept.
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    path = project / "policies" / "lx-2026-5.policy"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("amount 80 元 per 月", "amount 60 元 per 月"), encoding="utf-8")
    results = evaluate(compile_policy(path), 残疾等级="三级", 出生日期=SIXTY_SIX)
    living, elder = results[LIVING], results[ELDER]
    assert (living.amount, living.choice.tie) == (元("60"), True)
    assert (elder.amount, elder.choice.kept, elder.choice.tie) == (None, LIVING, True)


def test_an_elder_award_unknown_below_the_subsidy_does_not_hold_it(
    policy: CompiledPolicy,
) -> None:
    # No 出生日期, 二级: the award could only pay 80元 < 100元, so 100元 is paid; the award stays
    # undetermined and is not paid whatever the birth date says.
    results = evaluate(policy, 残疾等级="二级")
    living, elder = results[LIVING], results[ELDER]
    assert (living.status, living.amount) == ("applies", 元("100"))
    assert elder.status == "undetermined" and elder.choice.out
    assert elder.choice.kept == LIVING


def test_an_elder_award_unknown_above_the_subsidy_holds_it(policy: CompiledPolicy) -> None:
    # No 出生日期, 三级: the award (80元) would beat 60元: the subsidy waits on the birth date.
    results = evaluate(policy, 残疾等级="三级")
    living = results[LIVING]
    assert (living.status, living.amount) == ("undetermined", None)
    assert living.missing == ("出生日期",)
    assert living.choice.pending == (ELDER,)


def case(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "case.yaml"
    head = ["policy: 柳民发〔2026〕5号", "on: 2026-06-30", "inputs:", "  持证: true"]
    path.write_text("\n".join([*head, "  低保家庭: true", *lines]) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_answer_says_monthly_and_lists_the_award_ruled_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "run", str(POLICY), "--case", str(case(tmp_path, ["  残疾等级: 二级"])))
    assert "✔ 困难残疾人生活补贴 — 适用: 100元（每月）" in out
    assert "合计（支付给申请人）: 每月 190元" in out  # 100 + 90, never the award's 80
    assert (
        "  ? 困难老年人生活补助 — 无法判定\n"
        "      就高不重复: 已按「困难残疾人生活补贴」计，本项无论是否适用均不计入\n"
        f"        原文: {QUOTE}\n"
    ) in out
    assert "还需要" not in out  # the birth date changes no payment


def test_a_year_case_weighs_the_monthly_rules_month_by_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 66 all through 2026, 三级: each month the award (80元) beats the subsidy (60元), so the
    # award is paid every month, 12 × 80元 = 960元, and the subsidy's 12 × 60元 = 720元 never.
    lines = ["  残疾等级: 三级", "  出生日期: 1960-05-10", "period: 2026"]
    out = run(capsys, "run", str(POLICY), "--case", str(case(tmp_path, lines)))
    assert "✔ 困难老年人生活补助 — 适用: 960元（每月，2026年各月合计）" in out
    assert (
        "就高不重复: 只按金额最高的「困难老年人生活补助」计，本项 720元（每月，2026年各月合计） 不计入"
    ) in out
    assert "合计（支付给申请人）: 每年 960元" in out
    month = run(
        capsys, "run", str(POLICY), "--case", str(case(tmp_path, [*lines[:2], "period: 2026-06"]))
    )
    assert "✔ 困难老年人生活补助 — 适用: 80元（每月）" in month


def test_a_year_case_keeps_the_subsidy_every_month_it_is_higher(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 二级 (100元), turning 60 on 2026-05-10: the award (80元) applies from June (a month is
    # judged on its first day: 2026-05-01 she is 59), below 100元 in each of those 7 months;
    # the subsidy is the highest every month: 12 × 100元 = 1200元, the award's 7 × 80元 = 560元
    # not paid. 护理 二级 90元 × 12 = 1080元 beside it.
    lines = ["  残疾等级: 二级", "  出生日期: 1966-05-10", "period: 2026"]
    out = run(capsys, "run", str(POLICY), "--case", str(case(tmp_path, lines)))
    assert "✔ 困难残疾人生活补贴 — 适用: 1200元（每月，2026年各月合计）" in out
    assert "本项 560元（每月，2026年各月合计） 不计入" in out
    assert "合计（支付给申请人）: 每年 2280元" in out  # 1200 + 1080


def test_a_year_case_whose_highest_changes_in_june_pays_each_month_its_highest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 三级 (60元), turning 60 on 2026-05-10: January to May only the subsidy applies (60元),
    # June to December the award (80元) is higher: 5 × 60元 = 300元 and 7 × 80元 = 560元, never
    # the subsidy's twelve months (720元) beside the award's seven, nor the award alone.
    lines = ["  残疾等级: 三级", "  出生日期: 1966-05-10", "period: 2026"]
    path = case(tmp_path, lines)
    out = run(capsys, "run", str(POLICY), "--case", str(path))
    runs = "2026-01 至 2026-05「困难残疾人生活补贴」；2026-06 至 2026-12「困难老年人生活补助」"
    assert (
        "  ✔ 困难残疾人生活补贴 — 适用: 300元（每月，2026年各月合计） · 责任单位: 县民政局、县财政局\n"
        f"      就高不重复: 逐期按金额最高的一项计（{runs}），本项只计 2026-01 至 2026-05\n"
    ) in out
    assert (
        "  ✔ 困难老年人生活补助 — 适用: 560元（每月，2026年各月合计）\n"
        f"      就高不重复: 逐期按金额最高的一项计（{runs}），本项只计 2026-06 至 2026-12\n"
    ) in out
    listed = run(capsys, "run", str(POLICY), "--case", str(path), "--all")
    assert "      · 2026-05: 适用 60元\n      · 2026-06: 就高不计 60元\n" in listed
    document = json.loads(run(capsys, "run", str(POLICY), "--case", str(path), "--format", "json"))
    by_rule = {r["rule"]: r for r in document["results"]}
    living = by_rule[LIVING]
    assert living["amount"]["value"] == "300"
    assert (living["choice"]["kept"], living["choice"]["paid"]) == (None, True)
    assert living["choice"]["by_period"] == [
        {"from": "2026-01", "to": "2026-05", "kept": LIVING},
        {"from": "2026-06", "to": "2026-12", "kept": ELDER},
    ]
    assert [p["status"] for p in living["periods"]] == ["applies"] * 5 + ["passed_over"] * 7
    assert by_rule[ELDER]["amount"]["value"] == "560"


def test_a_year_case_without_the_birth_date_pays_the_subsidy_the_award_cannot_beat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 二级, no 出生日期: the award could pay at most 80元 a month, below 100元 in every month:
    # 12 × 100元 = 1200元 is paid whatever the birth date; the award is never paid.
    lines = ["  残疾等级: 二级", "period: 2026"]
    out = run(capsys, "run", str(POLICY), "--case", str(case(tmp_path, lines)))
    assert "✔ 困难残疾人生活补贴 — 适用: 1200元（每月，2026年各月合计）" in out
    assert "就高不重复: 已按「困难残疾人生活补贴」计，本项无论是否适用均不计入" in out
    assert "还需要" not in out


def test_a_year_case_without_the_birth_date_waits_when_the_award_could_be_higher(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 三级 (60元), no 出生日期: in any month the award (80元) could be the highest: nothing is
    # paid, and the birth date is asked for.
    lines = ["  残疾等级: 三级", "period: 2026"]
    path = case(tmp_path, lines)
    out = run(capsys, "run", str(POLICY), "--case", str(path))
    assert (
        "出生日期（日期）: 出生日期（判断是否60周岁以上） — 影响 困难残疾人生活补贴、困难老年人生活补助"
        in out
    )
    assert "合计" not in out
    out = run(capsys, "run", str(POLICY), "--case", str(path), "--all")
    assert (
        "就高不重复: 本案跨多个期间，困难老年人生活补助 是否适用待定，某些期间其金额可能最高，"
        "无法逐期就高；需要输入 出生日期，或逐期（如 period: 2026-06）提交案件"
    ) in out


def test_a_rule_paid_each_member_is_refused_with_what_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "eldercare"
    shutil.copytree(FIXTURES / "eldercare", project)
    path = project / "eldercare.policy"
    text = path.read_text(encoding="utf-8")
    added = (
        "        reading 高龄认定时点\n    }\n"
        "    rule 临时补贴 { kind 补贴 beneficiary 老年人 amount 100 元 per 月 }\n"
        "    choose highest of 养老服务补贴, 临时补贴\n"
        '        quote "符合条件的老年人，每人每月300元；80周岁以上的老年人，每人每月400元。"\n'
    )
    assert text.count("        reading 高龄认定时点\n    }\n") == 1
    path.write_text(text.replace("        reading 高龄认定时点\n    }\n", added), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        "rule `养老服务补贴` is paid each member of `老年人`: a choice weighs one amount for the "
        "case's own applicant"
    ) in err
    assert (
        "expected rules paid once to the applicant, or all paid per one period (`amount … per 月`)"
    ) in err


# ---- `expect:` says whether a rule is paid ------------------------------------------------

EXAMPLES = PROJECT / "examples"


def test_the_worked_cases_pass_with_paid_expected(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(POLICY), str(EXAMPLES)]) == 0, capsys.readouterr().out


def rewritten(tmp_path: Path, old: str, new: str) -> Path:
    """Case 02 (生活补贴 applies, passed over for the 80元 award) with one expectation changed."""
    text = (EXAMPLES / "02-grade3-elder-higher.yaml").read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "cases"
    folder.mkdir(parents=True)
    (folder / "02.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_expecting_a_passed_over_rule_paid_fails_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "困难残疾人生活补贴: {status: applies, paid: false}"
    folder = rewritten(tmp_path, line, line.replace("false", "true"))
    assert main(["test", str(POLICY), str(folder)]) == 1
    out = capsys.readouterr().out
    assert (
        "困难残疾人生活补贴: paid: expected yes, got no (就高不重复: 只按金额最高的"
        "「困难老年人生活补助」计，本项 60元（每月） 不计入)"
    ) in out
    # The kept one expected unpaid fails too, with nothing a choice says against it.
    line = "困难老年人生活补助: {status: applies, paid: true, amount: 80元}"
    folder = rewritten(tmp_path / "kept", line, line.replace("true", "false"))
    assert main(["test", str(POLICY), str(folder)]) == 1
    assert "困难老年人生活补助: paid: expected no, got yes (就高不重复: 同时适用" in (
        capsys.readouterr().out
    )


def test_paid_other_than_true_or_false_is_a_case_file_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "困难残疾人生活补贴: {status: applies, paid: false}"
    folder = rewritten(tmp_path, line, line.replace("false", "maybe"))
    assert main(["test", str(POLICY), str(folder)]) == 2
    assert "02.yaml:12:32: `paid`: expected true or false, got `maybe`" in (capsys.readouterr().out)


def test_all_cites_the_choice_sentence_once_for_a_rule_quoting_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 困难老年人生活补助 has no quote of its own: `--all` shows its section's, the choice's
    # sentence; it is written once, not again under the choice's line.
    case = EXAMPLES / "06-birth-date-missing.yaml"
    out = run(capsys, "run", str(POLICY), "--case", str(case), "--all")
    assert out.count(f"原文: {QUOTE}") == 1
    assert (
        "  ? 困难老年人生活补助 — 无法判定\n"
        "      就高不重复: 已按「困难残疾人生活补贴」计，本项无论是否适用均不计入\n"
        "      原因: 需要输入 出生日期\n"
    ) in out


@pytest.mark.parametrize("period", ["2026", "2026-06"])
def test_rules_all_per_year_compare_in_a_year_and_in_a_month(
    period: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # All three `per 年`: a year's case and a month's alike weigh one year's amount each (the
    # month's case reads the year holding it), so 80元 a year is kept over 60元.
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    path = project / "policies" / "lx-2026-5.policy"
    text = path.read_text(encoding="utf-8")
    assert text.count(" per 月\n") == 3
    path.write_text(text.replace(" per 月\n", " per 年\n"), encoding="utf-8")
    lines = ["  残疾等级: 三级", "  出生日期: 1960-05-10", f"period: {period}"]
    out = run(capsys, "run", str(path), "--case", str(case(tmp_path, lines)))
    assert "本项 60元（每年） 不计入" in out
    assert "✔ 困难老年人生活补助 — 适用: 80元（每年" in out
    assert "合计（支付给申请人）: 每年 80元" in out


def test_a_fine_against_a_subsidy_is_still_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Beneficiary words no longer matter, but what is payable never weighs against what is paid.
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    path = project / "policies" / "lx-2026-5.policy"
    text = path.read_text(encoding="utf-8")
    elder = "        kind 补贴\n        beneficiary 老年人\n"
    assert text.count(elder) == 1
    path.write_text(
        text.replace(elder, "        kind 罚款\n        beneficiary 老年人\n"), encoding="utf-8"
    )
    assert main(["check", str(path)]) == 2
    assert (
        "rule `困难老年人生活补助`: its kind is `罚款`, that of `困难残疾人生活补贴` `补贴`"
    ) in capsys.readouterr().err


def test_the_web_result_lists_the_months_passed_over(tmp_path: Path) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    import html
    import re

    from policyc.cases import load_case
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _TEMPLATES, _result_view

    lines = ["  残疾等级: 三级", "  出生日期: 1966-05-10", "period: 2026"]
    policy = compile_policy(POLICY)
    loaded = load_case(case(tmp_path, lines), policy.checked)
    view = _result_view(policy, evaluate(policy, loaded, "case", explain=True), None)
    assert view is not None
    (living,) = [r for r in view["applies"] if r["rule"] == LIVING]
    item = _TEMPLATES.get_template("_result.html.j2").module.result_item(living)  # type: ignore[attr-defined]
    shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", str(item))))
    assert "本项只计 2026-01 至 2026-05" in shown
    assert "2026-06 就高不计 60元" in shown


@pytest.mark.parametrize(
    ("before", "period", "follows"),
    [
        ("2026-01", "2026-02", True),
        ("2026-12", "2027-01", True),  # over the year's end
        ("2026-01", "2026-03", False),  # a month between, none applying: a new run (review 17)
        ("2026-02", "2026-02", False),
        ("2026", "2027", True),
        ("2026", "2028", False),
        ("2026", "2026-02", False),  # a year and a month are never one run
    ],
)
def test_a_run_of_periods_never_spans_a_period_between(
    before: str, period: str, follows: bool
) -> None:
    # A, A, none, A was one run "2026-01 至 2026-04「A」", saying A was paid in the empty month
    from policyc.runtime.choices import _follows

    assert _follows(before, period) is follows
