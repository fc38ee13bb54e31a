"""What a newcomer's 养老服务补贴 notice could not say, or said wrong (session 6):

1. `cap 800 元 per 户` on a rule paid `each` member caps the members' total once for the case
   (each member's amount shown as worked out); a `shared_cap` over such a rule checks; the hint
   for a member's value read outside the members names the policy's own role;
2. `calendar_months_between` counts calendar months ("自审核通过的次月起…最长不超过36个月"),
   whatever day of the month a case is judged on;
3. month-day literals (`1月1日`, `--03-31`, `2月底`) and `within_each_year`, both ends included,
   a window over the new year, 2月29日;
4. `define`/`decide` in any order, a cycle refused with its chain; `cooperates` and `shared_cap`
   in a section;
5. `target … by DATE`;
6. the amounts index lists the amounts a `decide` writes.

Every figure is worked by hand from tests/fixtures/eldercare/source.txt (in each case file) or
from the sentence quoted beside the test.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from policyc.runtime.calendar_terms import calendar_months, in_window
from policyc.runtime.dates import whole_months_between
from tests.conftest import FIXTURES

ELDER = FIXTURES / "eldercare"
POLICY = ELDER / "eldercare.policy"
CASES = ELDER / "cases"
UNITS = (ELDER / "units.policy").read_text(encoding="utf-8")
SOURCE = (ELDER / "source.txt").read_text(encoding="utf-8")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], policy: Path, case: Path, *more: str) -> Any:
    code, out, err = cli(capsys, "run", str(policy), "--case", str(case), "--format", "json", *more)
    assert code == 0, err
    return json.loads(out)


def rule_of(document: Any, name: str = "养老服务补贴") -> Any:
    return next(r for r in document["results"] if r["rule"] == name)


def variant(tmp_path: Path, old: str, new: str, name: str = "v.policy") -> Path:
    """The fixture policy with `old` replaced by `new`, beside its source and units."""
    for file in ("source.txt", "units.policy"):
        (tmp_path / file).write_text((ELDER / file).read_text(encoding="utf-8"), encoding="utf-8")
    text = POLICY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def check_error(path: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        compile_policy(path)
    return str(caught.value)


# ---- the fixture ---------------------------------------------------------------------------


def test_every_case_of_the_fixture_meets_its_expectations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "test", str(POLICY), str(CASES))
    assert code == 0, out + err
    assert "13 passed, 0 failed" in out


# ---- 1. a cap for the whole case on an `each` rule -----------------------------------------


def test_a_cap_per_household_caps_the_members_total_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 一级 600元 + 二级 500元 = 1100元 > 每户每月800元 → 800元; each member keeps its own amount.
    rule = rule_of(run_json(capsys, POLICY, CASES / "05-household-capped.yaml"))
    assert rule["amount"]["text"] == "800元"
    assert rule["uncapped"]["text"] == "1100元"
    members = {m["member"]: m["amount"]["text"] for m in rule["members"]}
    assert members == {"赵爷爷": "600元", "钱奶奶": "500元"}


def test_a_household_exactly_at_its_cap_is_not_capped(capsys: pytest.CaptureFixture[str]) -> None:
    # 500元 + 300元 = 800元: "不超过800元" includes 800元.
    rule = rule_of(run_json(capsys, POLICY, CASES / "06-household-at-cap.yaml"))
    assert (rule["amount"]["text"], rule["uncapped"], rule["capped"]) == ("800元", None, False)


def test_the_trace_says_the_cap_bounds_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES / "07-household-one-over-the-cap.yaml"
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0, err
    assert "各成员合计 900元, 上限按整个案例计" in out
    assert "封顶: 900元 超过上限 800元, 按 800元 计" in out


def test_a_cap_per_person_on_an_each_rule_still_caps_each_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # cap 550 元 per 人: 600元 → 550元, 500元 stays; 550 + 500 = 1050元 (no cap on the total).
    path = variant(tmp_path, "cap 800 元 per 户 per 月", "cap 550 元 per 人 per 月")
    rule = rule_of(run_json(capsys, path, CASES / "05-household-capped.yaml"))
    assert rule["amount"]["text"] == "1050元"
    members = {m["member"]: m["amount"]["text"] for m in rule["members"]}
    assert members == {"赵爷爷": "550元", "钱奶奶": "500元"}


def test_a_cap_per_the_group_name_is_the_whole_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(tmp_path, "cap 800 元 per 户 per 月", "cap 800 元 per 家庭 per 月")
    rule = rule_of(run_json(capsys, path, CASES / "05-household-capped.yaml"))
    assert (rule["amount"]["text"], rule["uncapped"]["text"]) == ("800元", "1100元")


SHARED = """    shared_cap 每户每月合计 {
        quote "同一户家庭有两名符合条件老年人的，分别享受补贴，每户每月合计不超过800元。"
        limit 800 元 per 户 per 月
        over 养老服务补贴
        order as_listed because "上限作用于本户各老年人补贴之和"
    }
"""


def test_a_shared_cap_in_a_section_over_an_each_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rule without its own cap, the household limit written as a shared cap in section 四.
    path = variant(tmp_path, "        cap 800 元 per 户 per 月\n", "")
    text = path.read_text(encoding="utf-8")
    note = '    note "规则 养老服务补贴 的 cap … per 户: 本户各老年人的补贴相加, 合计封顶一次"\n'
    path.write_text(text.replace(note, SHARED), encoding="utf-8")
    rule = rule_of(run_json(capsys, path, CASES / "05-household-capped.yaml"))
    assert rule["amount"]["text"] == "800元"  # 1100元 shared out under 800元
    rule = rule_of(run_json(capsys, path, CASES / "06-household-at-cap.yaml"))
    assert rule["amount"]["text"] == "800元"


def test_a_members_value_outside_the_members_names_the_policys_own_role(
    tmp_path: Path,
) -> None:
    path = variant(tmp_path, "        each 老年人\n", "")
    message = check_error(path)
    assert "v.policy:" in message and "`个人补贴标准` is a value per member" in message
    assert "sum(个人补贴标准 over 老年人)" in message
    assert "子女" not in message


# ---- 2. calendar months --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2027, 3, 10), date(2027, 3, 31), 0),  # the month of approval
        (date(2027, 3, 10), date(2027, 4, 1), 1),  # 次月, whatever the day
        (date(2027, 3, 10), date(2027, 4, 30), 1),
        (date(2027, 3, 10), date(2030, 3, 1), 36),  # 2027-04 … 2030-03: 9 + 12 + 12 + 3
        (date(2027, 3, 10), date(2030, 4, 30), 37),
        (date(2027, 12, 31), date(2028, 1, 1), 1),  # over the new year
        (date(2027, 4, 1), date(2027, 3, 31), -1),  # before: negative
    ],
)
def test_calendar_months(start: date, end: date, months: int) -> None:
    assert calendar_months(start, end) == months


def test_calendar_months_differ_from_completed_months() -> None:
    # 2027-03-10 → 2027-04-09: no month completed yet, but April is the next calendar month.
    assert whole_months_between(date(2027, 3, 10), date(2027, 4, 9)) == 0
    assert calendar_months(date(2027, 3, 10), date(2027, 4, 9)) == 1


def test_calendar_months_between_takes_two_dates(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "calendar_months_between(审核通过日期, on_date()) 满 1 月",
        "calendar_months_between(审核通过日期) 满 1 月",
    )
    message = check_error(path)
    assert "`calendar_months_between` takes 2 argument(s), not 1" in message
    assert "calendar_months_between(审核通过日期, on_date())" in message


# ---- 3. yearly windows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "held"),
    [
        (date(2027, 1, 1), True),
        (date(2027, 3, 31), True),
        (date(2027, 4, 1), False),
        (date(2026, 12, 31), False),
        (date(2031, 2, 15), True),  # every year
    ],
)
def test_a_window_from_january_to_march(day: date, held: bool) -> None:
    assert in_window(day, (1, 1), (3, 31)) is held


@pytest.mark.parametrize(
    ("day", "held"),
    [
        (date(2027, 10, 31), False),
        (date(2027, 11, 1), True),
        (date(2027, 12, 31), True),
        (date(2028, 1, 1), True),
        (date(2027, 2, 28), True),  # a common year's February ends on the 28th
        (date(2027, 3, 1), False),
        (date(2028, 2, 29), True),  # a leap year's on the 29th
        (date(2028, 3, 1), False),
    ],
)
def test_a_window_over_the_new_year_to_the_end_of_february(day: date, held: bool) -> None:
    # 11月1日至次年2月底.
    assert in_window(day, (11, 1), (2, 0)) is held


def test_the_29th_of_february_as_an_end_and_as_a_start() -> None:
    # As the end: the end of February in every year.
    assert in_window(date(2027, 2, 28), (1, 1), (2, 29))
    assert not in_window(date(2027, 3, 1), (1, 1), (2, 29))
    # As the start: in a common year the window begins on 3月1日.
    assert not in_window(date(2027, 2, 28), (2, 29), (3, 31))
    assert in_window(date(2027, 3, 1), (2, 29), (3, 31))
    assert in_window(date(2028, 2, 29), (2, 29), (3, 31))
    assert not in_window(date(2028, 2, 28), (2, 29), (3, 31))


def test_the_three_ways_of_writing_a_day_of_the_year_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES / "10-window-edges.yaml"
    want = rule_of(run_json(capsys, POLICY, case))
    for written in ("--01-01, --03-31", "1月1日, 3月底"):
        path = variant(tmp_path, "1月1日, 3月31日", written)
        got = rule_of(run_json(capsys, path, case))
        assert (got["amount"], got["members"]) == (want["amount"], want["members"])


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("1月1日, 2月30日", "`2月30日` is not a day of the year"),
        ("1月1日, 13月1日", "`13月1日` is not a day of the year"),
        ("1月1日, --04-31", "`--04-31` is not a day of the year"),
        ("2027-01-01, 3月31日", "the window of `within_each_year` is written as days of the year"),
        ("1月1日", "`within_each_year` takes 3 argument(s), not 2"),
    ],
)
def test_a_bad_window_is_refused_at_its_place(tmp_path: Path, written: str, words: str) -> None:
    path = variant(tmp_path, "1月1日, 3月31日", written)
    message = check_error(path)
    assert words in message
    assert "v.policy:51:" in message  # the line of `define 在申请期内`


def test_a_day_of_the_year_alone_names_no_date(tmp_path: Path) -> None:
    path = variant(
        tmp_path, "calendar_months_between(审核通过日期, on_date()) 满 1 月", "1月1日 > 申请日期"
    )
    message = check_error(path)
    assert "a day of the year (`1月1日`) names no one date" in message


def test_the_window_reads_plainly_in_the_trace(capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES / "01-first-month-no-on.yaml"
    code, out, err = cli(capsys, "run", str(POLICY), "--case", str(case), "--explain")
    assert code == 0, err
    assert "申请日期在每年1月1日至3月31日之间（含首尾）: 2027-02-15 → 成立" in out
    assert "2027年3月 至 2027年4月 相隔 1 个月" in out


# ---- the fast path and the traced path agree -----------------------------------------------

PLAIN = """unit 测试局
policy "测试〔2027〕1号" {
    title "测试"
    issuer 测试局
    issued 2027-01-01
    valid from 2027-01-01 for 5 年
}
input 申请日期: date optional
input 审核通过日期: date optional
define 冬季 = within_each_year(申请日期, 11月1日, 2月底)
define 发放期内 = calendar_months_between(审核通过日期, on_date()) 满 1 月
    and calendar_months_between(审核通过日期, on_date()) 不超过 36 月
section 一 "x" {
    rule 冬季补贴 {
        when 冬季
        when 发放期内
        amount 100 元
    }
}
"""


@pytest.mark.parametrize(
    "applied", [None, date(2027, 10, 31), date(2027, 11, 1), date(2028, 2, 29)]
)
@pytest.mark.parametrize(
    "approved", [None, date(2027, 11, 20), date(2027, 12, 1), date(2024, 12, 5)]
)
@pytest.mark.parametrize("on", [date(2027, 11, 30), date(2027, 12, 1)])
def test_fast_and_traced_paths_agree(
    tmp_path: Path, applied: date | None, approved: date | None, on: date
) -> None:
    path = tmp_path / "t.policy"
    path.write_text(PLAIN, encoding="utf-8")
    policy = compile_policy(path)
    assert policy.namespace["FAST"][0] is not None  # the rule has a fast path
    inputs: dict[str, Any] = {}
    if applied is not None:
        inputs["申请日期"] = applied
    if approved is not None:
        inputs["审核通过日期"] = approved

    def fields(fast: bool) -> list[tuple[Any, ...]]:
        results = policy.evaluate(inputs, on, fast=fast)
        return [(r.status, r.reason, r.amount, r.missing) for r in results]

    assert fields(True) == fields(False)


# ---- 4. order of definitions; a section's cooperating units --------------------------------


def test_a_definition_may_read_one_written_after_it() -> None:
    # 可发放 is written first and reads the three definitions after it: the fixture checks.
    text = POLICY.read_text(encoding="utf-8")
    assert text.index("define 可发放") < text.index("define 符合补贴对象条件")
    compile_policy(POLICY)


def test_a_cycle_of_definitions_is_refused_with_its_chain(tmp_path: Path) -> None:
    path = variant(tmp_path, "本区户籍\n    and years_between", "可发放\n    and years_between")
    message = check_error(path)
    assert "`可发放` is defined through itself: 可发放 → 符合补贴对象条件 → 可发放" in message
    assert "unknown name" not in message


def test_a_sections_cooperating_units_are_its_duties(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "duties", "区财政局", str(POLICY))
    assert code == 0, err
    assert "配合  七、职责分工" in out
    code, out, err = cli(capsys, "duties", "区财政局", str(POLICY), "--format", "json")
    duty = json.loads(out)["duties"][0]
    assert (duty["role"], duty["kind"], duty["number"]) == ("配合", "section", "七")


def test_a_rule_takes_its_sections_cooperating_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(
        tmp_path,
        '    quote "符合条件的老年人，每人每月300元；80周岁以上的老年人，每人每月400元。"\n',
        '    quote "符合条件的老年人，每人每月300元；80周岁以上的老年人，每人每月400元。"\n'
        "    cooperates 各街道办事处\n",
    )
    rule = rule_of(run_json(capsys, path, CASES / "01-first-month-no-on.yaml"))
    assert rule["cooperates"] == ["各街道办事处"]


def test_a_sections_cooperating_unit_must_be_known(tmp_path: Path) -> None:
    path = variant(tmp_path, "cooperates 区财政局, 各街道办事处", "cooperates 区财政厅")
    message = check_error(path)
    assert "区财政厅" in message and "v.policy:104:16:" in message  # the fixture's line 104


# ---- 5. a target's deadline ----------------------------------------------------------------


def test_a_targets_deadline_is_in_its_wording(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "duties", "区民政局", str(POLICY))
    assert code == 0, err
    assert "养老服务补贴覆盖率 达到90%（含本数），期限2027年12月31日" in out
    document = run_json(capsys, POLICY, CASES / "01-first-month-no-on.yaml")
    target = rule_of(document, "养老服务补贴覆盖率")
    assert target["target"] == "达到90%（含本数），期限2027年12月31日"


def test_a_deadline_that_is_no_date_is_refused(tmp_path: Path) -> None:
    path = variant(tmp_path, "by 2027-12-31", "by 2027-13-31")
    message = check_error(path)
    assert "`2027-13-31`" in message


# ---- 6. the amounts a decision writes, in the amounts index --------------------------------


def test_the_site_lists_decision_amounts_and_says_the_household_cap(tmp_path: Path) -> None:

    out = tmp_path / "site"
    assert main(["docs", str(POLICY), "--out", str(out)]) == 0
    amounts = (out / "docs" / "amounts.md").read_text(encoding="utf-8")
    rows = [line for line in amounts.splitlines() if "判定：个人补贴标准" in line]
    assert any("| 400元 |" in row and "年满80周岁" in row for row in rows)
    assert any("| 300元 |" in row and "并非" in row for row in rows)
    assert any("| 600元 |" in row and "一级" in row for row in rows)
    page = (out / "docs" / "eldercare.md").read_text(encoding="utf-8")
    # The household cap, a section's cooperating units and the target's deadline, as the site
    # says them.
    assert "对每位老年人分别判断、分别计发；每户每月合计最高800元（各老年人之和封顶一次）" in page
    assert "期限2027年12月31日" in page
    assert "配合单位" in page and "每户老年人" not in page


BATCH_ROWS = """id,申请日期,审核通过日期,on
a,2027-11-01,2027-11-20,2027-12-01
b,2027-10-31,2027-11-20,2027-12-01
c,2028-02-29,2027-11-20,2028-03-01
d,,2027-11-20,2027-12-01
e,2028-02-29,2024-12-05,2028-01-01
f,2027-02-28,2027-01-31,2027-02-01
"""


def test_the_batch_query_counts_calendar_months_and_windows_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a: 11月1日 in the window, 2027-11 → 2027-12 is month 1; b: 10月31日 outside; c: a leap
    # year's 2月29日 inside, month 4; d: no 申请日期; e: 2024-12 → 2028-01 is month 37;
    # f: a common year's 2月28日 is the end of February, 2027-01 → 2027-02 month 1.
    pytest.importorskip("duckdb")
    (tmp_path / "t.policy").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "cases.csv").write_text(BATCH_ROWS, encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["run", str(tmp_path / "t.policy"), "--cases", str(tmp_path / "cases.csv")]
    assert main([*args, "--out", str(out)]) == 0
    assert "every rule evaluated by the batch query (DuckDB)" in capsys.readouterr().out
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r[1], r[2]) for r in rows] == [
        ("a", "applies"),
        ("b", "not_applicable"),
        ("c", "applies"),
        ("d", "undetermined"),
        ("e", "not_applicable"),
        ("f", "applies"),
    ]


def test_a_rounded_rule_under_a_household_cap_pays_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 600元 × 1.001 = 600.6元 → 601元, 500元 × 1.001 = 500.5元 → 501元 (四舍五入 to 元, each
    # member as paid); their total 1101.1元 is over 800元: the household is paid 800元, not the
    # members' rounded sum 1102元.
    path = variant(
        tmp_path,
        "        amount 个人补贴标准 per 月\n",
        "        amount 个人补贴标准 × 1.001 per 月\n        round to 元 half_up\n",
    )
    rule = rule_of(run_json(capsys, path, CASES / "05-household-capped.yaml"))
    assert rule["amount"]["text"] == "800元"
    members = {m["member"]: m["amount"]["text"] for m in rule["members"]}
    assert members == {"赵爷爷": "601元", "钱奶奶": "501元"}


def test_a_household_cap_may_not_read_a_members_value(tmp_path: Path) -> None:
    path = variant(tmp_path, "cap 800 元 per 户 per 月", "cap 个人补贴标准 per 户 per 月")
    message = check_error(path)
    assert "v.policy:78:13: a cap `per 户` bounds the members' total once for the case" in message
    assert "a cap per member (`per 人`)" in message


CLAUSE_COOPERATES = """unit 测试局
unit 配合局
policy "测试〔2027〕1号" {
    title "测试"
    issuer 测试局
    issued 2027-01-01
    valid from 2027-01-01 for 5 年
}
input 申请日期: date optional
clause 一 "x" {
    quote "x"
    responsible 测试局
    cooperates 配合局
    rule 补贴 { when 申请日期 >= 2027-01-01  amount 1 元 }
    rule 奖励 { cooperates 测试局  when 申请日期 >= 2027-01-01  amount 2 元 }
}
"""


def test_a_clause_may_name_its_cooperating_units_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "c.policy"
    policy.write_text(CLAUSE_COOPERATES, encoding="utf-8")
    case = tmp_path / "c.yaml"
    case.write_text("on: 2027-04-01\ninputs: {申请日期: 2027-03-31}\n", encoding="utf-8")
    document = run_json(capsys, policy, case)
    assert rule_of(document, "补贴")["cooperates"] == ["配合局"]  # the clause's
    assert rule_of(document, "奖励")["cooperates"] == ["测试局"]  # its own
    code, out, err = cli(capsys, "duties", "配合局", str(policy), "--format", "json")
    assert code == 0, err
    (duty,) = json.loads(out)["duties"]
    assert (duty["role"], duty["kind"], duty["number"], duty["rules"]) == (
        "配合",
        "clause",
        "一",
        ["补贴"],
    )


def test_completed_months_in_a_monthly_policy_are_warned_of(tmp_path: Path) -> None:
    # The newcomer's writing: completed months to the evaluation day, a month's first day.
    path = variant(
        tmp_path,
        "calendar_months_between(审核通过日期, on_date()) 满 1 月",
        "months_between(审核通过日期, on_date()) 满 1 月",
    )
    from policyc.compiler.lint import lint

    (found,) = [w for w in lint(compile_policy(path).checked) if w.code == "months-by-day"]
    assert (found.span.line, found.span.column) == (54, 16)  # `define 在发放期内 = months_…`
    assert "is `calendar_months_between`" in found.message
    # The fixture itself, written in calendar months, is not warned of.
    assert not [w for w in lint(compile_policy(POLICY).checked) if w.code == "months-by-day"]
