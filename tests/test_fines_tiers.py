"""Fines set by tiers (行政处罚自由裁量权基准): a newcomer's restatement of 江城管发〔2026〕4号
(tests/fixtures/fines-tiers, fictional), its 24 hand-worked cases, and what the answers, the web
form, `duties`, `test` and the site say of a fine given as a range (newcomer-s9's findings).

Worked by hand from notice.txt:
- 户外广告 严重 (超过20平方米), 每平方米300元以上500元以下, 最高不超过2万元: 50平方米 → 300 × 50 =
  15,000元 to 500 × 50 = 25,000元, held to 2万元: 15,000元 to 20,000元; 40平方米 with 主动消除
  (从轻 = 下限) → 300 × 40 = 12,000元 at both ends.
- 占道经营 较重 (超过5平方米), 800元以上1500元以下: 8平方米 with 主动消除 → 800元 at both ends.
- 占道经营 2平方米, 首次, 当场改正 → 轻微 (不予处罚): 一般's condition `not 占道轻微 and not
  不予处罚情形` fails because 占道轻微 holds.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler import nodes as n
from policyc.compiler.docs import render_docs
from policyc.compiler.pipeline import check_policy, compile_policy
from policyc.compiler.render import failed, render_range
from policyc.compiler.site.config import place_parts, shared_place
from tests.conftest import FIXTURES, PolicyFactory

FOLDER = FIXTURES / "fines-tiers"
POLICY = FOLDER / "jc-2026-4.policy"
CASES = FOLDER / "examples" / "jc-2026-4"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], case: str) -> dict:  # type: ignore[type-arg]
    code, out, err = cli(
        capsys, "run", str(POLICY), "--case", str(CASES / case), "--format", "json"
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def run_text(capsys: pytest.CaptureFixture[str], case: str, *more: str) -> str:
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(CASES / case), *more)
    assert code == 0, err
    return out


def test_the_newcomers_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "test", str(POLICY), str(CASES))
    assert code == 0, out


# ---- 1. the payer of a fine range ----------------------------------------------------------


def test_json_totals_by_beneficiary_keep_the_payer_of_a_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = run_json(capsys, "22-gg-50m2.yaml")
    [item] = document["totals_by_beneficiary"]
    assert (item["flow"], item["beneficiary"], item["words"]) == (
        "payable",
        "违法行为人",
        "违法行为人应缴",
    )
    assert item["totals"] == {}  # no exact amount: the range alone
    ends = item["range"]["元"]
    assert (ends["low"]["value"], ends["high"]["value"]) == ("15000", "20000")
    # the flow's range totals stay as they were (fields only added)
    flow = document["totals_range_by_kind"]["payable"]["元"]
    assert (flow["low"]["value"], flow["high"]["value"]) == ("15000", "20000")


def test_an_exact_flow_has_no_range_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 个人倾倒建筑垃圾: 200元, exact
    case = tmp_path / "individual.yaml"
    case.write_text(
        "policy: 江城管发〔2026〕4号\non: 2026-06-30\ninputs:\n  本次查处日期: 2026-06-30\n"
        "  违法行为: 倾倒建筑垃圾\n  当事人类型: 个人\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--format", "json")
    assert code == 0, err
    [item] = json.loads(out)["totals_by_beneficiary"]
    assert item["words"] == "违法行为人应缴"
    assert item["totals"]["元"]["value"] == "200"
    assert "range" not in item


def test_text_and_form_name_the_payer_of_a_range(capsys: pytest.CaptureFixture[str]) -> None:
    from policyc.cases import load_case
    from policyc.report_json import to_json
    from policyc.serve.web import _result_view

    text = run_text(capsys, "22-gg-50m2.yaml")
    assert "合计（违法行为人应缴）: 15,000元（1.5万元）至20,000元（2万元）" in text
    assert "申请人应缴" not in text
    policy = compile_policy(POLICY)
    case = load_case(CASES / "22-gg-50m2.yaml", policy.checked)
    on = date(2026, 6, 30)
    readings = dict(policy.namespace["READINGS"]) | case.readings
    results = policy.evaluate(case.inputs, on, readings, case.received)
    view = _result_view(policy, to_json(policy, results, on, readings, None, False))
    assert view["totals_by_flow"] == [
        {"words": "违法行为人应缴", "text": "15,000元（1.5万元）至20,000元（2万元）"}
    ]


# ---- 6. ends that meet ------------------------------------------------------------------------


def test_a_range_whose_ends_meet_is_one_amount(capsys: pytest.CaptureFixture[str]) -> None:
    text = run_text(capsys, "11-zd-lenient.yaml")
    assert "800元至800元" not in text
    assert "占道经营较重" in text and ": 800元（违法行为人应缴）" in text
    assert "合计（违法行为人应缴）: 800元" in text
    text = run_text(capsys, "24-gg-40m2-lenient.yaml")
    assert ": 12,000元（1.2万元）（违法行为人应缴）" in text
    assert "至12,000元" not in text


def test_a_range_whose_ends_differ_is_still_a_range(capsys: pytest.CaptureFixture[str]) -> None:
    # 占道 5平方米 (不超过5): 一般, 500元 to 800元
    text = run_text(capsys, "03-zd-5m2.yaml")
    assert ": 500元至800元（在幅度内决定）（违法行为人应缴）" in text


def test_the_form_writes_ends_that_meet_once() -> None:
    from policyc.serve.web import amount_words

    def money(value: str) -> dict[str, str]:
        return {"value": value, "unit": "元", "text": f"{value}元"}

    item = {"flow": "payable", "beneficiary": "违法行为人", "amount": None}
    same = item | {"range": {"low": money("800"), "high": money("800")}}
    assert amount_words(same) == "800元（违法行为人应缴）"
    apart = item | {"range": {"low": money("500"), "high": money("800")}}
    assert amount_words(apart) == "500元至800元（在幅度内决定）（违法行为人应缴）"


# ---- 5. 为何不适用 ------------------------------------------------------------------------------


def test_why_not_says_what_holds_not_a_row_of_negations(capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, "01-zd-2m2-first-corrected.yaml")
    [general] = [r for r in document["results"] if r["rule"] == "占道经营一般"]
    assert general["status"] == "not_applicable"
    assert general["reason"] == "「占道轻微」、「不予处罚情形」中至少一项成立（此条要求均不成立）"
    text = run_text(capsys, "01-zd-2m2-first-corrected.yaml")
    assert "并非「占道轻微」，且并非「不予处罚情形」" not in text


def test_failed_words_of_negations() -> None:
    a, b = n.Ref("甲"), n.Ref("乙")
    assert failed(n.Not(a)) == "「甲」成立（此条要求其不成立）"
    assert failed(n.And(n.Not(a), n.Not(b))) == "「甲」、「乙」中至少一项成立（此条要求均不成立）"
    # a mixed condition keeps its words; `not given(X)` stays 案例给出了X
    assert failed(n.And(a, n.Not(b))) == "条件不成立: 甲，且并非「乙」"
    assert failed(n.Not(n.Call("given", (a,)))) == "案例给出了甲"


# ---- 7. an `if` inside a range end -----------------------------------------------------------


def test_an_if_in_a_range_end_is_bracketed(capsys: pytest.CaptureFixture[str]) -> None:
    lenient = n.Ref("从轻下限")
    high = n.If(lenient, n.QuantityLit("500", "元"), n.QuantityLit("800", "元"))
    bounds = n.AmountRange(n.QuantityLit("500", "元"), high)
    assert render_range(bounds) == "500元至(若从轻下限则500元，否则800元)"
    capped = n.Call("min", (n.QuantityLit("300", "元"), n.QuantityLit("2", "万元")))
    assert render_range(n.AmountRange(capped, capped)).startswith("(300元与2万元中较")
    # multiples of one value keep their words
    times = n.AmountRange(
        n.Arith("×", n.QuantityLit("1", ""), n.Ref("套取金额")),
        n.Arith("×", n.QuantityLit("3", ""), n.Ref("套取金额")),
    )
    assert render_range(times) == "套取金额的1倍至3倍"
    text = run_text(capsys, "03-zd-5m2.yaml", "--explain")
    assert "金额幅度 = 500元至(若从轻下限则500元，否则800元) = 500元至800元" in text


# ---- 8. `policyc test` on a range rule ---------------------------------------------------------


def test_expecting_an_amount_of_a_range_rule_hints_at_low_and_high(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = CASES / "22-gg-50m2.yaml"
    text = case.read_text(encoding="utf-8").replace(
        "{status: applies, low: 15000, high: 20000}", "{status: applies, amount: 15000}"
    )
    wrong = tmp_path / "wrong-22.yaml"
    wrong.write_text(text, encoding="utf-8")
    code, out, _err = cli(capsys, "test", str(POLICY), str(wrong))
    assert code == 1
    assert "amount: expected 15,000元（1.5万元）, got none" in out
    assert "expect its ends as `low` and `high`" in out
    assert "15,000元（1.5万元） to 20,000元（2万元）" in out


# ---- 3. duties --------------------------------------------------------------------------------


def test_duties_say_no_spelling_the_notice_never_writes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "duties", "市城管执法局", str(POLICY))
    assert code == 0, err
    assert "来文写作" not in out  # 市城管执法局 is the registry's alias, not the notice's words
    first = out.splitlines()[0]
    assert first == "江城市城市管理综合执法局"  # its full name is its name: not said twice
    assert "查询名 市城管执法局 是 江城市城市管理综合执法局 的别名" in out


# ---- 4. the site's name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "place"),
    [
        (["江城市城市管理综合执法局"], "江城市"),  # not 江城市城市
        (["天门市城市管理局"], "天门市"),
        (["江城市住房和城乡建设局"], "江城市"),  # 城乡 is no place
        (["江城市城市管理综合执法局", "江城市人民政府"], "江城市"),
        (["湖北省天门市人民政府", "湖北省武汉市人民政府"], "湖北省"),
        (["北京市朝阳区人民政府"], "北京市朝阳区"),
        (["城市管理协会"], ""),
    ],
)
def test_the_place_ends_at_its_own_administrative_word(names: list[str], place: str) -> None:
    assert shared_place(names) == place


def test_a_place_inside_another_is_of_a_lower_level() -> None:
    assert place_parts("湖北省天门市人民政府") == ["湖北省", "天门市"]
    assert place_parts("天门市市场监督管理局") == ["天门市"]
    assert place_parts("广西壮族自治区南宁市人民政府") == ["广西壮族自治区", "南宁市"]


# ---- 2, 4, 7: the site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_docs([check_policy(POLICY)])


def test_the_site_is_named_after_the_issuers_place(site: dict[str, str]) -> None:
    assert 'site_name: "江城市政策条款"' in site["mkdocs.yml"]


def test_the_amounts_index_lists_every_range_its_ends_rates_and_maximum(
    site: dict[str, str],
) -> None:
    amounts = site["docs/amounts.md"]
    rows = [line for line in amounts.splitlines() if line.startswith("|")]

    def has(*words: str) -> bool:
        return any(all(w in row for w in words) for row in rows)

    assert has("占道经营一般", "金额幅度", "500元至(")
    assert has("占道经营一般", "幅度下限", "500元")
    assert has("占道经营一般", "幅度上限", "800元")
    assert has("单位倾倒严重", "幅度上限", "5万元")
    assert has("户外广告一般", "幅度下限", "100元/平方米")
    assert has("户外广告严重", "幅度上限", "500元/平方米")
    assert has("户外广告严重", "最高", "2万元")


def test_the_site_brackets_an_if_in_a_range_end(site: dict[str, str]) -> None:
    page = next(
        text for path, text in site.items() if "jc-2026-4" in path and "amounts" not in path
    )
    assert "至若" not in page  # never `500元至若从轻下限则…` run on


def test_two_parties_of_a_ranged_flow_each_keep_their_ends(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A unit fined 500元以上800元以下 and the person in charge fined 200元 (双罚): two payers,
    each its own total — 违法单位 500元 to 800元 (a range alone: no exact total), 直接责任人员
    200元 (its ends meet: one amount)."""
    rules = """
  rule 单位罚款 {
    kind 罚款
    beneficiary 违法单位
    when 发货量 > 0 单
    amount range 500 元 to 800 元
  }
  rule 个人罚款 {
    kind 罚款
    beneficiary 直接责任人员
    when 发货量 > 0 单
    amount 200 元
  }
"""
    path = policies.write(policies.clause(rules, 'input 发货量: 单 "发货量"\n'))
    case = tmp_path / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs:\n  发货量: 10\n", encoding="utf-8")
    code, out, err = cli(capsys, "run", str(path), "--case", str(case), "--format", "json")
    assert code == 0, err
    items = json.loads(out)["totals_by_beneficiary"]
    shown = [
        (i["beneficiary"], i["words"], {u: m["value"] for u, m in i["totals"].items()},
         {u: (e["low"]["value"], e["high"]["value"]) for u, e in i["range"].items()})
        for i in items
    ]  # fmt: skip
    assert shown == [
        ("违法单位", "违法单位应缴", {}, {"元": ("500", "800")}),
        ("直接责任人员", "直接责任人员应缴", {"元": "200"}, {"元": ("200", "200")}),
    ]
    code, out, err = cli(capsys, "run", str(path), "--case", str(case))
    assert code == 0, err
    totals = [line.strip() for line in out.splitlines() if line.strip().startswith("合计")]
    assert totals == ["合计（违法单位应缴）: 500元至800元", "合计（直接责任人员应缴）: 200元"]


def test_explain_writes_ends_that_meet_once(capsys: pytest.CaptureFixture[str]) -> None:
    # 8平方米, 主动消除 (从轻 = 下限): 800元 at both ends
    text = run_text(capsys, "11-zd-lenient.yaml", "--explain")
    assert "金额幅度 = 800元至(若从轻下限则800元，否则1500元) = 800元" in text
    assert "800元至800元" not in text
