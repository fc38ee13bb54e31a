"""At most N members paid, and which ones; a group says what it counts (session 7, lang3).

"同一农户每年享受补贴的机具不超过2台" (tests/fixtures/farm/source.txt 第三条): a rule paid `each`
member may say how many members are paid, less those already paid, and in which order —
`each 机具 at_most 2 台 less 本年已享受补贴台数 ordered by reading 机具先后 { … }` —; a group
says the measure it counts in (`group 购置机具 counted 台`). Expected figures are worked by hand
from the text (in each case file, and beside each assertion here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.cli import main
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.conftest import FIXTURES, PolicyFactory
from tests.people_helpers import run_case

FARM = FIXTURES / "farm"
POLICY = FARM / "farm.policy"
CASES = FARM / "cases"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def members_of(capsys: pytest.CaptureFixture[str], case: Path, *more: str) -> dict:  # type: ignore[type-arg]
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--format", "json", *more)
    assert code == 0, err
    rule = next(r for r in json.loads(out)["results"] if r["rule"] == "农机购置补贴")
    rule["by_member"] = {m["member"]: m for m in rule["members"]}
    return rule  # type: ignore[no-any-return]


# ---- the farm notice, both sides of the edge: 0, 1, 2 already paid --------------------------


def test_the_farm_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "test", str(POLICY), str(CASES))
    assert code == 0, out
    assert "14 passed, 0 failed" in out


def test_one_paid_two_bought_pays_one_more_not_none(capsys: pytest.CaptureFixture[str]) -> None:
    # The newcomer's workaround refused the whole rule (0元); the text pays 1 more machine:
    # 1 + 2 = 3 > 2 台, 2 - 1 = 1 more; 价高者先: 插秧机 20万元 × 30% = 6万元.
    rule = members_of(capsys, CASES / "08-one-paid-two-more-pays-the-dearer.yaml")
    assert rule["status"] == "applies"
    assert rule["amount"]["value"] == "60000"
    left = rule["by_member"]["播种机"]
    assert left["status"] == "not_applicable"
    assert left["amount"] is None
    assert left["reason"] == (
        "超出限额「不超过2台」: 本年已享受补贴台数 1台，本次至多 1台，按销售价格从高到低排第 2"
    )


def test_the_reading_changes_which_machine_is_paid(capsys: pytest.CaptureFixture[str]) -> None:
    # 申请顺序: the first listed, 播种机 10万元 × 30% = 3万元 (the case file says nothing of it)
    case = CASES / "08-one-paid-two-more-pays-the-dearer.yaml"
    rule = members_of(capsys, case, "--reading", "机具先后=申请顺序")
    assert rule["amount"]["value"] == "30000"
    assert rule["by_member"]["播种机"]["status"] == "applies"
    assert rule["by_member"]["插秧机"]["reason"].endswith("按案例所列顺序排第 2")


@pytest.mark.parametrize(
    ("already", "paid"),
    [
        # 2 machines of 20万元 (6万元) and 10万元 (3万元), listed dearer last
        (0, "90000"),  # 0 + 2 = 2, 不超过 includes 2: both
        (1, "60000"),  # 1 more: the dearer
        (2, None),  # none more: the rule does not apply
        (3, None),  # more than the limit already (a case may say so): none, not a negative
    ],
)
def test_already_paid_on_both_sides_of_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, already: int, paid: str | None
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        f"on: 2026-03-20\ninputs: {{本年已享受补贴台数: {already}}}\nmembers:\n"
        "  播种机: {role: 机具, inputs: {销售价格: 100000}}\n"
        "  插秧机: {role: 机具, inputs: {销售价格: 200000}}\n",
        encoding="utf-8",
    )
    rule = members_of(capsys, case)
    if paid is None:
        assert rule["status"] == "not_applicable"
        assert rule["reason"].startswith("没有符合条件的机具（超出限额「不超过2台」")
        assert "本次不再计发" in rule["by_member"]["播种机"]["reason"]
    else:
        assert rule["status"] == "applies"
        assert rule["amount"]["value"] == paid


def test_a_tie_keeps_the_cases_listing_order(capsys: pytest.CaptureFixture[str]) -> None:
    rule = members_of(capsys, CASES / "12-a-tie-keeps-the-listed-order.yaml")
    assert rule["by_member"]["甲"]["status"] == "applies"
    assert rule["by_member"]["乙"]["status"] == "not_applicable"


def test_without_what_was_already_paid_the_rule_waits_for_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "on: 2026-03-20\nmembers:\n  甲: {role: 机具, inputs: {销售价格: 100000}}\n",
        encoding="utf-8",
    )
    rule = members_of(capsys, case)
    assert rule["status"] == "undetermined"
    assert rule["missing"] == ["本年已享受补贴台数"]
    assert rule["by_member"]["甲"]["status"] == "undetermined"


def test_explain_traces_the_limit_and_the_order(capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES / "11-three-bought-the-two-dearest.yaml"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0
    assert (
        "限额「不超过2台」: 本年已享受补贴台数 0台，本次至多 2台；按销售价格从高到低: "
        "旋耕机 300,000元（30万元）、插秧机 200,000元（20万元）、播种机 120,000元（12万元）"
        " → 计发 旋耕机、插秧机"
    ) in out
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case))
    assert "购置机具 3 台: 播种机（机具）、旋耕机（机具）、插秧机（机具）" in out


def test_fast_and_traced_paths_agree_on_every_farm_case() -> None:
    policy = compile_policy(POLICY)
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path, policy.checked)
        assert case.on is not None
        readings = dict(case.readings) if case.readings else None
        fast = policy.evaluate(case.inputs, case.on, readings, fast=True)
        traced = policy.evaluate(case.inputs, case.on, readings, fast=False)
        assert fast == traced, path.name


def test_the_site_says_the_limit_and_the_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = cli(capsys, "docs", str(POLICY), "--out", str(tmp_path / "site"))
    assert code == 0, err
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.md"))
    assert "**能得多少**：每台机具 销售价格的30%，每台最高15万元，至多 2台" in text
    assert "至多 2台（含已享受的本年已享受补贴台数）" in text
    assert "价高者先: 按销售价格从高到低" in text


# ---- the order needs its value only when it chooses --------------------------------------------

GROUP = """group 购置机具 counted 台 {
    role 机具 many
}
input 价格: 元 per member optional
input 已享受: 台
"""
FIXED = (
    "  rule r { each 机具 at_most 2 台 less 已享受 ordered by 价格 descending  amount 1000 元 }\n"
)


def _members(*prices: str) -> str:
    rows = "".join(
        f"  机{i}: {{role: 机具, inputs: {{价格: {p}}}}}\n" if p else f"  机{i}: {{role: 机具}}\n"
        for i, p in enumerate(prices, 1)
    )
    return "members:\n" + rows


def test_a_missing_value_the_order_needs_leaves_the_rule_undetermined(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = policies.compile(FIXED, GROUP)
    # 1 already, 2 apply: the order chooses, and 机2 lacks its price → undetermined, not a guess
    head = "on: 2023-03-01\ninputs: {已享受: 1}\n"
    result = run_case(policy, tmp_path, head + _members("5000", ""))["r"]
    assert result.status == "undetermined"
    assert result.missing == ("机2.价格",)
    # 0 already, 2 apply: both paid, the order chooses nothing and needs no price
    head = "on: 2023-03-01\ninputs: {已享受: 0}\n"
    result = run_case(policy, tmp_path, head + _members("5000", ""))["r"]
    assert result.status == "applies"
    assert [m.status for m in result.members] == ["applies", "applies"]


def test_ascending_pays_the_cheapest_first(policies: PolicyFactory, tmp_path: Path) -> None:
    rule = FIXED.replace("descending", "ascending")
    policy = policies.compile(rule, GROUP)
    head = "on: 2023-03-01\ninputs: {已享受: 0}\n"
    result = run_case(policy, tmp_path, head + _members("300", "100", "200"))["r"]
    assert [m.status for m in result.members] == ["not_applicable", "applies", "applies"]


# ---- checks --------------------------------------------------------------------------------


def check_error(policies: PolicyFactory, rules: str, declarations: str = GROUP) -> str:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rules, declarations)
    return str(caught.value)


def _rule(limit: str) -> str:
    return f"  rule r {{ each 机具 {limit}  amount 1000 元 }}\n"


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (
            "at_most 2 人 ordered by as_listed",
            "`at_most 2 人`: the group `购置机具` counts its members in 台",
        ),
        ("at_most 0 台 ordered by as_listed", "`at_most 0`: a number of members is a whole"),
        ("at_most 1.5 台 ordered by as_listed", "`at_most 1.5`: a number of members is a whole"),
        (
            "at_most 2 台 less 5 元 ordered by as_listed",
            "`less …` counts the 台 already paid: expected a quantity in 台",
        ),
        ("at_most 2 台 ordered by 价格", "say which come first, `价格 descending`"),
        ("at_most 2 台 ordered by 已享受 descending", "the order reads each member's own value"),
        ("at_most 2 台 ordered by reading 乱 { a: as_listed }", "unknown reading `乱`"),
    ],
)
def test_a_limit_that_does_not_check_names_the_place(
    policies: PolicyFactory, limit: str, message: str
) -> None:
    text = check_error(policies, _rule(limit))
    assert message in text
    assert "p.policy:" in text


READING = """reading 先后 {
    question "哪几台?"
    option 价高者先 "价高者先"
    option 申请顺序 "申请顺序"
    take 价高者先 because "对申请人有利"
}
"""


def test_an_order_by_reading_gives_one_order_per_option(policies: PolicyFactory) -> None:
    missing = _rule("at_most 2 台 ordered by reading 先后 { 价高者先: 价格 descending }")
    text = check_error(policies, missing, GROUP + READING)
    assert "`ordered by reading 先后` says nothing of option(s) 申请顺序" in text
    unknown = _rule(
        "at_most 2 台 ordered by reading 先后 { 价高者先: 价格 descending, 申请顺序: as_listed, "
        "抽签: as_listed }"
    )
    assert "`抽签` is not an option of reading `先后`" in check_error(
        policies, unknown, GROUP + READING
    )
    both = "at_most 2 台 ordered by reading 先后 { 价高者先: 价格 descending, 申请顺序: as_listed }"
    policies.compile(_rule(both), GROUP + READING)  # the reading is tested: no "changes nothing"
    documentary = READING.replace("reading 先后 {", "reading 先后 documentary {")
    assert "reading `先后` is marked documentary" in check_error(
        policies, _rule(both), GROUP + documentary
    )


# ---- 2. a group declares what it counts -----------------------------------------------------


def test_count_is_in_the_groups_measure(policies: PolicyFactory) -> None:
    policies.compile("  rule r { when count(机具) 不超过 2 台  amount 1000 元 }\n", GROUP)
    text = check_error(policies, "  rule r { when count(机具) 不超过 2 人  amount 1000 元 }\n")
    assert "台" in text and "人" in text


def test_count_is_traced_in_the_groups_measure(policies: PolicyFactory, tmp_path: Path) -> None:
    policy = policies.compile("  rule r { when count(机具) 不超过 2 台  amount 1000 元 }\n", GROUP)
    path = tmp_path / "case.yaml"
    path.write_text("on: 2023-03-01\ninputs: {已享受: 0}\n" + _members("1", "2", "3"), "utf-8")
    case = load_case(path, policy.checked)
    assert case.on is not None
    result = policy.evaluate(case.inputs, case.on, explain=True)[0]
    assert result.status == "not_applicable"  # 3 台 is more than 2 台 (不超过 includes 2 only)
    assert "机具的台数" in result.reason


def test_an_uncounted_group_of_things_is_warned_with_the_fix(policies: PolicyFactory) -> None:
    declarations = GROUP.replace(" counted 台", "")
    policy = policies.compile("  rule r { each 机具  amount 1000 元 }\n", declarations)
    warnings = [w for w in policy.checked.warnings if w.code == "group-uncounted"]
    assert len(warnings) == 1
    assert "or write the measure of things (`counted 台`, 件, 项 …)" in warnings[0].message
    assert warnings[0].span.line > 1  # at the group's name
    household = declarations.replace("购置机具", "家庭")
    policy = policies.compile("  rule r { each 机具  amount 1000 元 }\n", household)
    assert not [w for w in policy.checked.warnings if w.code == "group-uncounted"]


def test_a_group_counted_in_a_word_that_does_not_count_is_refused(
    policies: PolicyFactory,
) -> None:
    text = check_error(
        policies,
        "  rule r { each 机具  amount 1000 元 }\n",
        GROUP.replace("counted 台", "counted 元"),
    )
    assert "`counted 元`: a group counts its members in a counting measure" in text


def test_the_form_says_rows_of_the_groups_measure() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.serve.form import member_words
    from tests.serve_helpers import request, running_server

    assert member_words("家庭", "人") == ("一人", "姓名", "添加一名成员")
    assert member_words("购置机具", "项") == ("一项", "名称", "添加一项")
    with running_server("tests/fixtures/farm/farm.policy") as url:
        status, _, page = request(url, "GET", "/policies/farm")
    text = page.decode("utf-8")
    assert status == 200
    assert "购置机具成员（每行一台；空行不计）" in text
    assert ">名称</label>" in text and ">姓名</label>" not in text
    assert 'value="add-member">添加一台</button>' in text


# ---- 3. a fine as a range: 处1倍以上3倍以下罚款 ----------------------------------------------------


@pytest.mark.parametrize(
    ("stolen", "small", "large"),
    [
        # 套取金额 2万元: 1倍以上3倍以下 → 2万元 to 6万元
        ("20000", ("20000", "60000"), None),
        # exactly 10万元: not 超过10万元 → still 1倍至3倍: 10万元 to 30万元
        ("100000", ("100000", "300000"), None),
        # 100,001元: 超过10万元 → 3倍以上5倍以下: 300,003元 to 500,005元
        ("100001", None, ("300003", "500005")),
    ],
)
def test_a_fine_is_a_range_on_both_sides_of_10万元(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    stolen: str,
    small: tuple[str, str] | None,
    large: tuple[str, str] | None,
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(f"on: 2026-05-01\ninputs: {{套取金额: {stolen}}}\n", encoding="utf-8")
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    rules = {r["rule"]: r for r in document["results"]}
    for name, ends in (("罚款", small), ("大额罚款", large)):
        rule = rules[name]
        if ends is None:
            assert rule["status"] == "not_applicable"
            assert "range" not in rule  # only a rule whose amount is a range has one
            continue
        assert rule["status"] == "applies"
        assert rule["amount"] is None  # no one figure: the deciding unit sets it
        assert (rule["range"]["low"]["value"], rule["range"]["high"]["value"]) == ends
    # the totals: 责令退回 (the sum stolen, exact) plus each end of the fine
    low, high = small or large or ("0", "0")
    ranged = document["totals_range_by_kind"]["payable"]["元"]
    assert ranged["low"]["value"] == str(int(stolen) + int(low))
    assert ranged["high"]["value"] == str(int(stolen) + int(high))


def test_the_answer_and_the_trace_say_the_range(capsys: pytest.CaptureFixture[str]) -> None:
    case = FARM / "cases" / "06-fine.yaml"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0
    assert (
        "罚款 — 适用: 20,000元（2万元）至60,000元（6万元）（在幅度内决定）（违规套取者应缴）" in out
    )
    assert "金额幅度 = 套取金额的1倍至3倍 = 20,000元（2万元）至60,000元（6万元）" in out
    assert "合计（违规套取者应缴）: 40,000元（4万元）至80,000元（8万元）" in out


def test_a_wrong_range_end_fails_the_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (CASES / "06-fine.yaml").read_text(encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("high: 6万元", "high: 2万元"), encoding="utf-8")
    code, out, _err = cli(capsys, "test", str(POLICY), str(case))
    assert code == 1
    assert "罚款: high: expected 20,000元（2万元）, got 60,000元（6万元）" in out


def test_the_site_says_how_much_is_payable_as_a_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = cli(capsys, "docs", str(POLICY), "--out", str(tmp_path / "site"))
    assert code == 0, err
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.md"))
    assert "**应缴多少**：套取金额的1倍至3倍，在此幅度内决定" in text
    assert "**应缴多少**：套取金额的3倍至5倍，在此幅度内决定" in text


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "  rule r { kind 补贴  amount range 1 元 to 3 元 }\n",
            "`amount range` is an amount the applicant pays (a fine), but rule `r` is of kind `补贴`",
        ),
        ("  rule r { kind 罚款  amount range 1 元 to 3 人 }\n", "an amount must be money"),
        (
            "  rule r { kind 罚款  amount range 1 元 to 3 元  cap 2 元 }\n",
            "a range rule cannot take a `cap`",
        ),
        (
            "  rule r { kind 罚款  amount 1 元  amount range 1 元 to 3 元 }\n",
            "a rule has one `amount`; this is a second",
        ),
    ],
)
def test_a_range_that_does_not_check_names_the_place(
    policies: PolicyFactory, rule: str, message: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        policies.compile(rule)
    assert message in str(caught.value)
    assert "p.policy:" in str(caught.value)


def test_a_range_is_evaluated_case_by_case_in_a_batch(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    from policyc.compiler.batch import generate_batch

    path = policies.write(
        policies.clause(
            "  rule r { kind 罚款  when 金额 > 0 元  amount range 1 × 金额 to 3 × 金额 }\n",
            "input 金额: 元\n",
        )
    )
    cases = policies.folder / "cases.csv"
    cases.write_text("id,金额\na,100\nb,0\n", encoding="utf-8")
    out = policies.folder / "out.csv"
    code, _out, err = cli(
        capsys, "run", str(path), "--cases", str(cases), "--on", "2023-06-01", "--out", str(out)
    )
    assert code == 0, err
    rows = out.read_text(encoding="utf-8").splitlines()
    status = rows[0].split(",").index("r.status")
    assert [row.split(",")[status] for row in rows[1:]] == ["applies", "not_applicable"]
    policy = compile_policy(path).checked
    (rule,) = [r for r in generate_batch(policy, {}).rules if r.name == "r"]
    assert rule.fallback == "its amount is a range (`amount range`)"


def test_the_form_shows_a_fines_range() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    import urllib.parse

    from tests.serve_helpers import request, running_server

    fields = {"@on": "2026-05-01", "套取金额": "20000", "@action": "evaluate"}
    body = urllib.parse.urlencode(fields).encode()
    with running_server("tests/fixtures/farm/farm.policy") as url:
        status, _, page = request(
            url, "POST", "/policies/farm", body, "application/x-www-form-urlencoded"
        )
    assert status == 200, page
    # As `run` writes it: the range, then who pays it.
    assert (
        "金额：<strong>20,000元（2万元）至60,000元（6万元）（在幅度内决定）（违规套取者应缴）"
        "</strong>" in page.decode()
    )


def test_a_batch_counts_the_group_in_its_measure(
    policies: PolicyFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    rule = "  rule r { when count(机具) 不超过 2 台  amount 1000 元 }\n"
    path = policies.write(policies.clause(rule, GROUP))
    cases = policies.folder / "cases.csv"
    cases.write_text("id,已享受\n两台,0\n三台,0\n", encoding="utf-8")
    members = policies.folder / "members.csv"
    rows = ["case,member,role,价格"]
    rows += [f"两台,机{i},机具,100" for i in (1, 2)] + [f"三台,机{i},机具,100" for i in (1, 2, 3)]
    members.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = policies.folder / "out.csv"
    code, _out, err = cli(
        capsys, "run", str(path), "--cases", str(cases), "--members", str(members),
        "--on", "2023-06-01", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    status = lines[0].split(",").index("r.status")
    # 2 台 不超过 2 台 (includes 2): applies; 3 台: does not
    assert [line.split(",")[status] for line in lines[1:]] == ["applies", "not_applicable"]


# ---- a limit in a year's case of a rule paid per month: refused, not kept month by month ------

LIMITED_MONTHLY = """policy "青河政办发〔2026〕8号" {
    title "限额（节选）"
    issuer 青河区人民政府办公室
    issued 2026-11-20
    valid from 2027-01-01 for 5 年
    source "notice.txt" lines 1 to 1
}

unit 青河区人民政府办公室

group 家庭 {
    role 老年人 many "本户申请补贴的老年人"
}

section 一 "补贴标准" {
    quote "每人每月300元，同一户每年享受补贴的老年人不超过2人。"
    rule 养老服务补贴 {
        kind 补贴
        beneficiary 老年人
        each 老年人 at_most 2 人 ordered by as_listed
        amount 300 元 per 月
    }
}
"""


@pytest.mark.parametrize(("period", "refused"), [("2027-03", False), ("2027", True)])
def test_a_limit_on_a_monthly_rule_is_refused_in_a_years_case(
    tmp_path: Path, period: str, refused: bool
) -> None:
    # 甲、乙、丙 all qualify; at most 2 a year. A month's case pays 甲 and 乙: 2 × 300 = 600元. A
    # year's case is evaluated month by month, where "2 a year" cannot be kept (another two
    # could be paid in another month): refused, naming the rule, rather than a wrong sum.
    (tmp_path / "notice.txt").write_text(
        "一、补贴标准。每人每月300元，同一户每年享受补贴的老年人不超过2人。\n", encoding="utf-8"
    )
    policy = tmp_path / "limited.policy"
    policy.write_text(LIMITED_MONTHLY, encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(
        f"period: '{period}'\nmembers:\n  甲: {{role: 老年人}}\n  乙: {{role: 老年人}}\n"
        "  丙: {role: 老年人}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(policy), "--case", str(case)],
        capture_output=True,
        text=True,
        env={"LANGUAGE": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    if refused:
        assert done.returncode == 2, done.stdout
        assert "rule `养老服务补贴` could not be evaluated" in done.stderr
        assert "「不超过2人」" in done.stderr and "evaluate each month" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert "合计（支付给申请人）: 每月 600元" in done.stdout  # a month's money


def test_the_web_results_totals_carry_a_fines_range(capsys: pytest.CaptureFixture[str]) -> None:
    # 套取2万元: 责令退回 2万元 + 罚款 1倍至3倍 (2万元至6万元): 4万元至8万元 owed, as `run` says;
    # the web result page once showed the exact 2万元 alone.
    pytest.importorskip("starlette")
    from policyc.serve.web import _totals_by_flow

    case = FARM / "cases" / "06-fine.yaml"
    code, out, _err = cli(capsys, "run", str(POLICY), "--case", str(case), "--format", "json")
    assert code == 0
    assert _totals_by_flow(json.loads(out)) == [
        {"words": "违规套取者应缴", "text": "40,000元（4万元）至80,000元（8万元）"}
    ]
