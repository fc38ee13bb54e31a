"""`choose highest of A, B, C quote "…"`: of the rules listed that apply, only the highest is paid
(按较重的档次处罚 / 按最高一项奖励，不重复奖励; compiler/choices.py, runtime/choices.py).

Two fixtures, worked by hand from their texts:
- tests/fixtures/choice (江科发〔2026〕1号, fictional): 高新技术企业 10万元, 专精特新企业 10万元,
  研发投入 1000万元以上 → 2% of it; 按最高一项奖励，不重复奖励. 研发投入 2000万元 → 40万元, above
  10万元; 1000万元 → 20万元 (以上 includes 1000万元); 500万元 → not applicable.
- tests/fixtures/fines-choice: jc-2026-4 (tests/fixtures/fines-tiers) with the guards `not 占道严重`
  etc. replaced by two choices: 占道 一般 500–800元, 较重 800–1500元, 严重 1500–2000元.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

from policyc.cases import load_case
from policyc.choice_report import choice_words
from policyc.cli import main
from policyc.compiler import nodes as n
from policyc.compiler.fmt import format_text
from policyc.compiler.lint import lint
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import CompiledPolicy, check_policy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.quantity import Quantity
from tests.conftest import FIXTURES

AWARDS = FIXTURES / "choice" / "awards.policy"
FINES = FIXTURES / "fines-choice" / "jc-2026-4.policy"
FINE_CASES = FIXTURES / "fines-choice" / "examples" / "jc-2026-4"
ON = datetime.date(2026, 6, 30)
HIGH_TECH, SPECIALISED, RESEARCH = "高新技术企业奖励", "专精特新企业奖励", "研发投入奖励"


def 万元(number: str) -> Quantity:
    return Quantity.of(number, "万元")


def 元(number: str) -> Quantity:
    return Quantity.of(number, "元")


@pytest.fixture(scope="module")
def awards() -> CompiledPolicy:
    return compile_policy(AWARDS)


@pytest.fixture(scope="module")
def fines() -> CompiledPolicy:
    return compile_policy(FINES)


def fields(r: RuleResult) -> dict[str, Any]:
    return {
        f: getattr(r, f)
        for f in ("status", "reason", "amount", "range", "missing", "uncapped", "choice")
    }


def evaluate(policy: CompiledPolicy, inputs: dict[str, Any]) -> dict[str, RuleResult]:
    """The results by rule, the fast and the traced path held to the same fields."""
    fast = policy.evaluate(inputs, ON)
    traced = policy.evaluate(inputs, ON, fast=False)
    assert [fields(r) for r in fast] == [fields(r) for r in traced]
    explained = policy.evaluate(inputs, ON, explain=True)
    assert [fields(r) for r in explained] == [fields(r) for r in traced]
    return {r.info.name: r for r in traced}


def award_inputs(high_tech: bool | None, specialised: bool | None, research: str | None) -> dict:
    inputs: dict[str, Any] = {}
    if high_tech is not None:
        inputs["首次认定高新技术企业"] = high_tech
    if specialised is not None:
        inputs["首次认定专精特新企业"] = specialised
    if research is not None:
        inputs["年度研发投入"] = 万元(research)
    return inputs


# ---- the language: syntax, build, check ---------------------------------------------------


def test_a_choice_is_built_wherever_it_stands() -> None:
    text = AWARDS.read_text(encoding="utf-8")
    file = parse(text, str(AWARDS))
    [choice] = file.choices
    assert [m.text for m in choice.members] == [HIGH_TECH, SPECIALISED, RESEARCH]
    assert (
        choice.quote.text
        == "四、同一企业同一年度符合本办法多项奖励的，按最高一项奖励，不重复奖励。"
    )
    assert (
        choice.span.line
        == text.splitlines().index(
            "    choose highest of 高新技术企业奖励, 专精特新企业奖励, 研发投入奖励"
        )
        + 1
    )
    clause = next(c for c in file.all_clauses() if c.number == "四")
    assert clause.choices == (choice,)
    # In a section, and outside any part: the policy's choices all the same.
    fines_file = parse(FINES.read_text(encoding="utf-8"), str(FINES))
    firsts = [c.members[0].text for c in fines_file.choices]
    assert firsts == ["占道经营一般", "单位倾倒一般"]
    outside = parse(HEADER_ONLY + 'choose highest of 甲, 乙 quote "同时符合的就高。"\n', "x.policy")
    assert [[m.text for m in c.members] for c in outside.choices] == [["甲", "乙"]]
    assert isinstance(outside.choices[0], n.Choice)


def test_the_plan_knows_the_amounts_no_case_changes() -> None:
    checked = check_policy(AWARDS)
    [plan] = checked.choices
    assert plan.members == (HIGH_TECH, SPECIALISED, RESEARCH)
    # 10 万元 written as a literal is known; 2% of 年度研发投入 is the case's.
    assert plan.fixed == ((万元("10"), 万元("10")), (万元("10"), 万元("10")), None)
    fines = check_policy(FINES)
    # `amount range 500 元 to (if 从轻下限 then …)`: an end depends on the case.
    assert all(f is None for plan in fines.choices for f in plan.fixed)


def test_a_check_refusal_names_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The golden diagnostics (tests/fixtures/check/choose-*.err) hold every refusal's text;
    # here, one rule paid per period among rules paid once, which they do not.
    text = AWARDS.read_text(encoding="utf-8").replace(
        "        amount 10 万元\n    }\n}\n\nclause 二",
        "        amount 10 万元 per 年\n    }\n}\n\nclause 二",
    )
    for name in ("source.txt", "units.policy"):
        (tmp_path / name).write_text((AWARDS.parent / name).read_text(encoding="utf-8"))
    (tmp_path / "awards.policy").write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path / "awards.policy")]) == 2
    err = capsys.readouterr().err
    line = (
        text.splitlines().index(
            "    choose highest of 高新技术企业奖励, 专精特新企业奖励, 研发投入奖励"
        )
        + 1
    )
    assert f"awards.policy:{line}:" in err
    # The first listed is paid per 年, the other two once: each of those is refused at its name.
    for other in ("专精特新企业奖励", "研发投入奖励"):
        assert (
            f"rule `{other}` is paid once, `高新技术企业奖励` per 年: an amount per period and one "
            "paid once (or per another period) are neither higher nor lower than each other"
        ) in err
    assert "expected every rule of a choice `per 年`, or none" in err


# ---- evaluation: the traced and the fast path --------------------------------------------


def test_two_apply_the_higher_is_kept(awards: CompiledPolicy) -> None:
    results = evaluate(awards, award_inputs(True, False, "2000"))
    kept, dropped = results[RESEARCH], results[HIGH_TECH]
    assert (kept.status, kept.amount) == ("applies", 万元("40"))  # 2% × 2000万元
    assert (dropped.status, dropped.amount) == ("applies", None)
    assert dropped.choice.kept == kept.choice.kept == RESEARCH
    assert dropped.choice.before == (万元("10"), 万元("10"))
    assert kept.choice.among == (HIGH_TECH, RESEARCH)


def test_only_the_lower_applies_and_is_paid(awards: CompiledPolicy) -> None:
    results = evaluate(awards, award_inputs(True, False, "500"))
    assert (results[HIGH_TECH].status, results[HIGH_TECH].amount) == ("applies", 万元("10"))
    assert results[HIGH_TECH].choice.among == (HIGH_TECH,)
    assert results[RESEARCH].status == "not_applicable"


def test_the_threshold_itself_is_paid_above_the_award(awards: CompiledPolicy) -> None:
    # 1000万元 以上 includes 1000万元: 20万元 > 10万元; 999.99万元 is below it: 10万元 kept.
    at = evaluate(awards, award_inputs(True, False, "1000"))
    assert at[RESEARCH].amount == 万元("20") and at[HIGH_TECH].amount is None
    below = evaluate(awards, award_inputs(True, False, "999.99"))
    assert below[RESEARCH].status == "not_applicable"
    assert below[HIGH_TECH].amount == 万元("10")


def test_a_tie_keeps_the_first_listed(awards: CompiledPolicy) -> None:
    results = evaluate(awards, award_inputs(True, True, "500"))
    assert results[HIGH_TECH].amount == 万元("10")
    assert (results[SPECIALISED].status, results[SPECIALISED].amount) == ("applies", None)
    assert results[SPECIALISED].choice.kept == HIGH_TECH
    assert results[SPECIALISED].choice.tie and results[HIGH_TECH].choice.tie
    assert choice_words(results[SPECIALISED]) == (
        "就高不重复: 与「高新技术企业奖励」金额相同，按所列第一项「高新技术企业奖励」计，"
        "本项 100,000元（10万元） 不计入"
    )
    # Not a tie: 40万元 over 10万元.
    results = evaluate(awards, award_inputs(True, False, "2000"))
    assert not results[HIGH_TECH].choice.tie and not results[RESEARCH].choice.tie


def test_an_undetermined_rule_that_could_be_kept_leaves_the_choice_undetermined(
    awards: CompiledPolicy,
) -> None:
    # 专精特新 applies (10万元); 高新 is undetermined, 10万元 too and listed first: on a tie it
    # would be the one kept.
    results = evaluate(awards, award_inputs(None, True, "500"))
    waiting = results[SPECIALISED]
    assert (waiting.status, waiting.amount) == ("undetermined", None)
    assert waiting.missing == ("首次认定高新技术企业",)
    assert waiting.choice.kept == "" and waiting.choice.before == (万元("10"), 万元("10"))
    # 研发投入 not given: its amount may be the highest whatever it is.
    results = evaluate(awards, award_inputs(True, False, None))
    assert results[HIGH_TECH].status == "undetermined"
    assert results[HIGH_TECH].missing == ("年度研发投入",)


def test_an_undetermined_rule_that_can_only_be_lower_leaves_it_decided(
    awards: CompiledPolicy,
) -> None:
    # 高新 applies (10万元); 专精特新 undetermined, 10万元 and listed after: never kept.
    results = evaluate(awards, award_inputs(True, None, "500"))
    assert (results[HIGH_TECH].status, results[HIGH_TECH].amount) == ("applies", 万元("10"))
    assert results[SPECIALISED].status == "undetermined"
    assert results[SPECIALISED].choice.kept == HIGH_TECH
    # 研发投入 40万元 applies; both 10万元 awards undetermined, both below it.
    results = evaluate(awards, award_inputs(None, None, "2000"))
    assert (results[RESEARCH].status, results[RESEARCH].amount) == ("applies", 万元("40"))


def fine_inputs(**given: Any) -> dict[str, Any]:
    """占道经营 on ON, the yes/no inputs at their declared default (false)."""
    defaults = dict.fromkeys(
        ("逾期不改正", "当场改正", "危害后果轻微", "及时改正", "主动消除危害后果"), False
    )
    return {"违法行为": "占道经营", "本次查处日期": ON, **defaults, **given}


CASE_FOLDERS = ((AWARDS, FIXTURES / "choice" / "cases"), (FINES, FINE_CASES))


@pytest.mark.parametrize(("policy_path", "folder"), CASE_FOLDERS, ids=["awards", "fines"])
def test_both_paths_agree_on_every_case_and_each_input_left_out(
    policy_path: Path, folder: Path
) -> None:
    policy = compile_policy(policy_path)
    for path in sorted(folder.glob("*.yaml")):
        case = load_case(path, policy.checked)
        assert case.on is not None
        for left_out in (None, *case.inputs):
            inputs = {k: v for k, v in case.inputs.items() if k != left_out}
            fast = [fields(r) for r in policy.evaluate(inputs, case.on)]
            assert fast == [fields(r) for r in policy.evaluate(inputs, case.on, fast=False)], (
                path.name,
                left_out,
            )


def test_ranges_rank_by_the_high_end(fines: CompiledPolicy) -> None:
    # 3平方米, the third time within a year: 一般 (不超过5平方米), 较重 (第二次) and 严重 (第三次).
    inputs = fine_inputs(
        占道面积=Quantity.of("3", "平方米"),
        前次查处日期=datetime.date(2026, 3, 1),
        再前次查处日期=datetime.date(2025, 9, 1),
    )
    results = evaluate(fines, inputs)
    assert results["占道经营严重"].range == (元("1500"), 元("2000"))
    for lower, ends in (("占道经营一般", ("500", "800")), ("占道经营较重", ("800", "1500"))):
        assert (results[lower].status, results[lower].range) == ("applies", None)
        assert results[lower].choice.before == (元(ends[0]), 元(ends[1]))
        assert results[lower].choice.kept == "占道经营严重"


def test_an_undetermined_tier_leaves_the_heavier_one_open(fines: CompiledPolicy) -> None:
    # 占道面积 not given, 前次 within the year: 较重 applies by 前次在一年内; 严重 (超过10平方米?)
    # is undetermined, and its range depends on the case: 较重 waits on 占道面积.
    results = evaluate(fines, fine_inputs(前次查处日期=datetime.date(2026, 3, 1)))
    heavier = results["占道经营较重"]
    assert (heavier.status, heavier.range) == ("undetermined", None)
    assert heavier.missing == ("占道面积",)
    assert "占道经营严重" in heavier.reason


def test_below_the_best_applying_rule_is_out_while_the_best_waits(fines: CompiledPolicy) -> None:
    # 3平方米 a second time within the year, 逾期不改正 not given: 一般 and 较重 apply; 严重
    # (逾期不改正?) is undetermined and could be heavier. 较重 waits; 一般 is below 较重, so it is
    # not paid whichever of 较重 and 严重 is kept.
    inputs = fine_inputs(
        占道面积=Quantity.of("3", "平方米"), 前次查处日期=datetime.date(2026, 3, 1)
    )
    del inputs["逾期不改正"]
    results = evaluate(fines, inputs)
    heavier, lower = results["占道经营较重"], results["占道经营一般"]
    assert (heavier.status, heavier.missing) == ("undetermined", ("逾期不改正",))
    assert heavier.choice.pending == ("占道经营严重",) and not heavier.choice.out
    assert (lower.status, lower.range, lower.choice.out) == ("applies", None, True)
    assert choice_words(lower) == (
        "就高不重复: 另有金额更高（或相同而列在前）的一项，本项 500元至800元 不计入（按哪一项计，待 占道经营严重 确定）"
    )
    assert (
        choice_words(heavier) == "就高不重复: 本项 800元至1500元，是否按本项计待 占道经营严重 确定"
    )


def test_still_needed_asks_only_what_could_change_the_payment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 高新 applies (10万元); 研发投入 not given (its 2% may be higher); 专精特新 not given, but
    # at 10万元 listed after 高新 it is never kept: not asked for.
    case = tmp_path / "case.yaml"
    case.write_text("on: 2026-06-30\ninputs:\n  首次认定高新技术企业: true\n", encoding="utf-8")
    document = json.loads(run(capsys, "run", str(AWARDS), "--case", str(case), "--format", "json"))
    assert [item["name"] for item in document["still_needed"]] == ["年度研发投入"]
    by_rule = {r["rule"]: r for r in document["results"]}
    assert by_rule[SPECIALISED]["choice"]["out"] is True
    assert by_rule[HIGH_TECH]["choice"]["pending"] == [RESEARCH]
    text = run(capsys, "run", str(AWARDS), "--case", str(case))
    assert "还需要以下输入（2 项结果待定）" in text  # 高新 and 研发投入, not 专精特新


# ---- answers: text, --explain, JSON -------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_answer_names_the_rule_kept_and_the_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(capsys, "run", str(FINES), "--case", str(FINE_CASES / "09-zd-third.yaml"))
    assert (
        "  ✔ 占道经营一般 — 适用 · 责任单位: 江城市城市管理综合执法局\n"
        "      就高不重复: 只按金额最高的「占道经营严重」计，本项 500元至800元 不计入\n"
        "        原文: 违法行为同时符合两个以上情节档次的，按较重的档次处罚。\n"
    ) in out
    assert (
        "就高不重复: 同时适用 占道经营一般、占道经营较重、占道经营严重，按金额最高的本项计" in out
    )
    assert "合计（违法行为人应缴）: 1500元至2000元" in out  # 严重 alone, not 2800元至4300元
    explained = run(
        capsys, "run", str(FINES), "--case", str(FINE_CASES / "09-zd-third.yaml"), "--explain"
    )
    assert (
        "就高不重复: 「占道经营严重」金额更高（1500元至2000元）, 本项 800元至1500元 不计入"
        in explained
    )


def test_json_gives_each_weighed_rule_its_choice(capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "choice" / "cases" / "research-above-award.yaml"
    document = json.loads(run(capsys, "run", str(AWARDS), "--case", str(case), "--format", "json"))
    by_rule = {r["rule"]: r for r in document["results"]}
    dropped = by_rule[HIGH_TECH]
    assert dropped["status"] == "applies" and dropped["amount"] is None
    choice = dropped["choice"]
    assert (choice["kept"], choice["paid"], choice["among"]) == (
        RESEARCH,
        False,
        [HIGH_TECH, RESEARCH],
    )
    assert (choice["before"]["low"]["value"], choice["before"]["high"]["value"]) == (
        "100000",
        "100000",
    )
    assert (
        choice["quote"] == "四、同一企业同一年度符合本办法多项奖励的，按最高一项奖励，不重复奖励。"
    )
    assert by_rule[RESEARCH]["choice"]["paid"] is True
    assert "choice" not in by_rule[SPECIALISED]  # not applying: the choice did not weigh it
    assert document["totals"]["元"]["value"] == "400000"


def test_the_cases_of_both_fixtures_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(FINES), str(FINE_CASES)]) == 0, capsys.readouterr().out
    assert main(["test", str(AWARDS), str(FIXTURES / "choice" / "cases")]) == 0, (
        capsys.readouterr().out
    )


# ---- the lints the choice answers ---------------------------------------------------------


def codes(path: Path) -> list[str]:
    return [d.code for d in lint(check_policy(path))]


def test_tiers_in_one_choice_are_not_said_to_overlap(tmp_path: Path) -> None:
    assert "tiers-overlap" not in codes(FINES)
    # Without the choices, the same rules are charged twice: said.
    text = FINES.read_text(encoding="utf-8")
    without = text.replace(
        "        choose highest of 占道经营一般, 占道经营较重, 占道经营严重\n"
        '            quote "违法行为同时符合两个以上情节档次的，按较重的档次处罚。"\n',
        "",
    )
    for name in ("notice.txt", "units.policy"):
        (tmp_path / name).write_text((FINES.parent / name).read_text(encoding="utf-8"))
    (tmp_path / "jc.policy").write_text(without, encoding="utf-8")
    assert codes(tmp_path / "jc.policy").count("tiers-overlap") == 2  # 一般/较重, 一般/严重


def test_ranges_meeting_at_a_value_both_include_are_fine_in_one_choice(tmp_path: Path) -> None:
    for name in ("source.txt", "units.policy"):
        (tmp_path / name).write_text((AWARDS.parent / name).read_text(encoding="utf-8"))
    text = AWARDS.read_text(encoding="utf-8").replace(
        "        when 首次认定专精特新企业\n", "        when 年度研发投入 不超过 1000 万元\n"
    )
    (tmp_path / "with.policy").write_text(text, encoding="utf-8")
    # 不超过 1000万元 (专精特新) and 1000万元 以上 (研发投入) meet at 1000万元, both include it.
    assert "ranges-meet" not in codes(tmp_path / "with.policy")
    without = re.sub(r"\n    choose highest of .*\n        quote .*", "", text)
    assert "\n    choose highest" not in without
    (tmp_path / "without.policy").write_text(without, encoding="utf-8")
    assert "ranges-meet" in codes(tmp_path / "without.policy")


# ---- fmt, the site, the batch ------------------------------------------------------------


def test_fmt_breaks_before_the_quote_of_a_long_choice_only() -> None:
    text = AWARDS.read_text(encoding="utf-8")
    assert format_text(text) == text  # the fixture is in the canonical layout
    joined = text.replace("研发投入奖励\n        quote", "研发投入奖励 quote")
    assert format_text(joined) == text
    short = 'choose highest of 甲, 乙 quote "同时符合的就高。"\n'
    assert format_text(HEADER_ONLY + short).endswith(short)


HEADER_ONLY = 'policy "甲〔2026〕1号" {\n    title "甲"\n}\n'


def test_the_site_says_the_choice_in_plain_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", str(AWARDS), "--out", str(tmp_path / "site")]) == 0
    capsys.readouterr()
    page = (tmp_path / "site" / "docs" / "awards.md").read_text(encoding="utf-8")
    said = (
        "同时符合以下多项的，只按金额最高的一项给予，不重复享受：高新技术企业奖励、专精特新企业奖励、"
        "研发投入奖励（金额相同的，按所列第一项）"
    )
    assert page.count(said) == 3  # beside each of the three rules
    header = (
        "| 不重复 | “四、同一企业同一年度符合本办法多项奖励的，按最高一项奖励，不重复奖励。”"
        "（高新技术企业奖励、专精特新企业奖励、研发投入奖励，只按金额最高的一项） |"
    )
    assert header in page


def test_the_batch_totals_only_what_each_choice_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    rows = [
        ("1", "true", "false", "20000000"),  # 40万元 kept over 10万元
        ("2", "true", "true", "5000000"),  # tie: 10万元 once
        ("3", "false", "false", "10000000"),  # 20万元 alone
        ("4", "true", "", "5000000"),  # 专精特新 unknown, can only tie after: 10万元
        ("5", "", "true", "5000000"),  # 高新 unknown, would win the tie: undetermined
    ]
    cases = tmp_path / "cases.csv"
    with cases.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(("id", "首次认定高新技术企业", "首次认定专精特新企业", "年度研发投入"))
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    code = main(
        ["run", str(AWARDS), "--cases", str(cases), "--on", "2026-06-30", "--out", str(out)]
    )
    summary = capsys.readouterr().out
    assert code == 0
    assert "合计（支付给申请人）: 800,000元" in summary  # 40万 + 10万 + 20万 + 10万
    with out.open(encoding="utf-8") as f:
        written = {row["id"]: row for row in csv.DictReader(f)}
    assert written["1"]["高新技术企业奖励.amount_元"] == ""
    assert written["1"]["研发投入奖励.amount_元"] == "400000"
    assert written["2"]["专精特新企业奖励.status"] == "applies"
    assert written["2"]["专精特新企业奖励.amount_元"] == ""
    assert written["5"]["专精特新企业奖励.status"] == "undetermined"


def test_hovering_a_rule_names_its_choice() -> None:
    from policyc.editing import _symbols

    file = parse(AWARDS.read_text(encoding="utf-8"), str(AWARDS))
    [symbol] = _symbols(file)[SPECIALISED]
    assert (
        "- 就高不重复: 与 高新技术企业奖励、研发投入奖励 同时适用的，只按金额最高的一项"
        "（四、同一企业同一年度符合本办法多项奖励的，按最高一项奖励，不重复奖励。）"
    ) in symbol.hover


def test_the_web_result_says_what_json_says(awards: CompiledPolicy) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.report_json import to_json
    from policyc.serve.web import _TEMPLATES, _result_view

    inputs = award_inputs(True, False, "2000")
    results = awards.evaluate(inputs, ON, explain=True)  # the form shows the trace folded
    view = _result_view(awards, to_json(awards, results, ON, {}, None, True, given=inputs))
    [dropped] = [r for r in view["applies"] if r["rule"] == HIGH_TECH]
    shown = _TEMPLATES.get_template("_result.html.j2").module.result_item(dropped)  # type: ignore[attr-defined]
    assert (
        '<div class="choice">就高不重复: 只按金额最高的「研发投入奖励」计，本项 100,000元（10万元） 不计入</div>'
        in str(shown)
    )
    assert dropped["amount_words"] == ""  # no amount shown as paid
