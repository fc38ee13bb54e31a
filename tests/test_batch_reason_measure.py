"""The batch results file (tidy12): a reason column per rule, saying why a row's rule gives no
amount in `run`'s words (cli/batch_reasons.py), and each amount and value column in the measure
`run`'s answer shows (cli/batch_measures.py), named in its header.

Worked by hand from the rules below (the test header's validity is 2023-01-06 … 2026-01-05):
- 月补 `amount 100 元 per 月` is a month's money: the answer writes 100元（每月）, the column is
  `月补.amount_元/月` = 100; 年补 `amount 1200 元 per 年`: `年补.amount_元/年` = 1200; 一次补
  `amount 500 元`: `一次补.amount_元` = 500.
- 月标准 = 月工资, an input in 元/月: a 1500元/月 wage is held as 18000 元/年; the answer shows
  1,500元/月, the column `月标准.value_元/月` = 1500 (18000 ÷ 12); 0.01元/月 is 0.12 元/年 held,
  0.01 shown.
- 合计标准 = 月工资 + 年奖金 reads 元/月 and 元/年: no one measure of its inputs, so the base 元/月
  — 30000 元/年 is 2500元/月 exactly; 10 元/年 is 10/12 元 a month, no exact decimal, so the
  column stays `value_元/年` for every row (one measure a column).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("duckdb")

from policyc.batch import run_batch
from policyc.batch_measures import amount_columns, exact_in, holds
from policyc.batch_reasons import REASON_WORDS, status_reason
from tests.conftest import PolicyFactory

ON = date(2024, 6, 30)
FIXTURES = Path(__file__).parent / "fixtures"

PERIODS = (
    'input 月工资: 元/月 optional "月工资"\n'
    'input 年奖金: 元/年 optional "年奖金"\n'
    'decide 月标准 = 月工资 "每月标准"\n'
    'decide 合计标准 = 月工资 + 年奖金 "月工资与年奖金合计"\n'
)
PERIOD_RULES = (
    "  rule 月补 { kind 补贴  when 月标准 > 0 元/月  amount 100 元 per 月 }\n"
    "  rule 年补 { kind 补贴  when 月标准 > 0 元/月  amount 1200 元 per 年 }\n"
    "  rule 一次补 { kind 补贴  amount 500 元 }\n"
)

STATES = 'input 类型: bool optional "是否为服装电商企业"\n'
STATE_RULES = (
    "  rule 电商补贴 { kind 补贴  when 类型  amount 300 元  once }\n"
    '  rule 标准另定 { kind 补贴  when 类型  amount unspecified "标准另行规定" }\n'
    '  rule 利率另定 { kind 利率  when 类型  amount unspecified "利率另行规定" }\n'
    '  rule 可入驻 { kind 资格  when 类型  grants "可以入驻产业园" }\n'
)


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def _run(policy: Path, cases: Path, out: Path, on: date | None = ON) -> dict[str, Any]:
    said = _Out()
    code = run_batch(policy, cases, out, on, [], "json", False, said)  # type: ignore[arg-type]
    assert code == 0, said.text
    summary: dict[str, Any] = json.loads(said.text)
    return summary


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---- the reason column -------------------------------------------------------------------------


def _states(policies: PolicyFactory, tmp_path: Path) -> Path:
    policy = policies.write(policies.clause(STATE_RULES, STATES))
    (tmp_path / "cases.csv").write_text(
        "id,on,类型,received\n"
        "applies,2024-06-30,true,\n"  # every rule applies
        "no,2024-06-30,false,\n"  # its condition fails
        "waiting,2024-06-30,,\n"  # 类型 not given
        "old,2026-01-06,true,\n"  # the day after the validity
        "got,2024-06-30,true,电商补贴\n",  # already received, paid once
        encoding="utf-8",
    )
    return policy


def test_the_reason_says_why_each_row_has_no_amount(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    policy = _states(policies, tmp_path)
    _run(policy, tmp_path / "cases.csv", tmp_path / "out.csv", None)
    rows = {r["id"]: r for r in _csv(tmp_path / "out.csv")}
    header = list(rows["applies"])
    # the reason right after the status, for rules only
    assert header.index("电商补贴.reason") == header.index("电商补贴.status") + 1
    assert "可入驻.reason" in header
    reasons = {key: row["电商补贴.reason"] for key, row in rows.items()}
    assert reasons == {
        "applies": "",  # null: it applies with its amount
        "no": "不适用",
        "waiting": "待定：还需要输入",
        "old": "不在有效期内",
        "got": "已领取",
    }
    assert rows["applies"]["电商补贴.amount_元"] == "300"
    # applies, the document gives no amount: money (kind 补贴) or a figure (kind 利率, no flow)
    assert rows["applies"]["标准另定.reason"] == "金额未规定"
    assert rows["applies"]["利率另定.reason"] == "数额未规定"
    # a rule granting no sum that applies has nothing to explain
    assert (rows["applies"]["可入驻.status"], rows["applies"]["可入驻.reason"]) == ("applies", "")
    assert rows["no"]["可入驻.reason"] == "不适用"


@pytest.mark.parametrize("suffix", ["parquet", "jsonl"])
def test_the_reason_is_null_where_the_rule_applies_in_every_format(
    policies: PolicyFactory, tmp_path: Path, suffix: str
) -> None:
    policy = _states(policies, tmp_path)
    out = tmp_path / f"out.{suffix}"
    _run(policy, tmp_path / "cases.csv", out, None)
    if suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        rows = pq.read_table(out).to_pylist()
    reasons = [row["电商补贴.reason"] for row in rows]
    assert reasons == [None, "不适用", "待定：还需要输入", "不在有效期内", "已领取"]


def test_a_rule_a_choice_leaves_out_says_so_as_run_does(tmp_path: Path) -> None:
    """柳民发〔2026〕5号: a 一级 disabled elder in a 低保 family gets the 100元 a month 生活补贴,
    not the 80元 elder 生活补助 (就高不重复): that rule applies with no amount, and says why."""
    policy = FIXTURES / "choice-monthly" / "policies" / "lx-2026-5.policy"
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "id,低保家庭,持证,残疾等级,残疾类别,出生日期\n"
        "elder,true,true,一级,视力残疾,1950-01-01\n"
        "young,false,false,未评定,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    _run(policy, cases, out, date(2026, 3, 1))
    elder, young = _csv(out)
    assert elder["困难残疾人生活补贴.amount_元/月"] == "100"
    assert (elder["困难老年人生活补助.status"], elder["困难老年人生活补助.amount_元/月"]) == (
        "applies",
        "",
    )
    assert elder["困难老年人生活补助.reason"] == (
        "就高不重复: 只按金额最高的「困难残疾人生活补贴」计，本项 80元（每月） 不计入"
    )
    # evaluated per case: `run`'s reason, the condition that failed (cli/batch_reasons.py)
    assert young["困难老年人生活补助.reason"] == "不适用：条件不成立: 低保家庭"


def test_every_rule_status_has_its_words() -> None:
    assert status_reason("applies", "paid") is None
    assert {s for s, words in REASON_WORDS.items() if words} == {
        "unspecified",
        "not_applicable",
        "undetermined",
        "not_in_force",
        "already_received",
    }
    assert status_reason("unspecified", "") == "数额未规定"


# ---- the measure of each column ----------------------------------------------------------------


def _periods(policies: PolicyFactory, tmp_path: Path, wages: str) -> tuple[dict[str, Any], Path]:
    policy = policies.write(policies.clause(PERIOD_RULES, PERIODS))
    (tmp_path / "cases.csv").write_text(wages, encoding="utf-8")
    out = tmp_path / "out.csv"
    return _run(policy, tmp_path / "cases.csv", out), out


def test_each_amount_column_is_in_the_answers_period(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    summary, out = _periods(policies, tmp_path, "id,月工资,年奖金\na,1500,30000\nb,0.01,0\n")
    a, b = _csv(out)
    assert (a["月补.amount_元/月"], a["年补.amount_元/年"], a["一次补.amount_元"]) == (
        "100",
        "1200",
        "500",
    )
    assert "月补.amount_元" not in a and "年补.amount_元" not in a
    # 1500元/月 is held as 18000 元/年: shown as the answer shows it; 0.12 元/年 is 0.01元/月
    assert (a["月标准.value_元/月"], b["月标准.value_元/月"]) == ("1500", "0.01")
    # 1500元/月 + 30000元/年 = 18000 + 30000 = 48000 元/年 = 4000元/月; 0.01元/月 = 0.12 元/年
    assert (a["合计标准.value_元/月"], b["合计标准.value_元/月"]) == ("4000", "0.01")
    # the summary counts the values in the column's measure
    (month, both) = summary["decisions"]
    assert (month["unit"], month["values"]) == ("元/月", {"0.01": 1, "1500": 1})
    assert (both["unit"], set(both["values"])) == ("元/月", {"4000", "0.01"})


def test_a_value_no_exact_decimal_of_the_shown_measure_keeps_the_stored_one(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    # 10 元/年 alone is 10/12 元 a month: the whole column stays 元/年 (30000 beside it)
    _summary, out = _periods(policies, tmp_path, "id,月工资,年奖金\na,0,10\nb,2500,0\n")
    a, b = _csv(out)
    assert (a["合计标准.value_元/年"], b["合计标准.value_元/年"]) == ("10", "30000")
    assert "合计标准.value_元/月" not in a
    assert (a["月标准.value_元/月"], b["月标准.value_元/月"]) == ("0", "2500")


def test_exact_in_divides_exactly_or_not_at_all() -> None:
    assert exact_in("18000", "12") == "1500"
    assert exact_in("0.12", "12") == "0.01"
    assert exact_in("10", "12") is None  # 0.8333…
    assert exact_in(None, "12") is None
    assert exact_in("-0", "12") == "0"


def test_a_monthly_rule_beside_year_cases_has_a_column_per_measure() -> None:
    assert amount_columns("元", "month", False) == [("元/月", "all")]
    assert amount_columns("元", "year", True) == [("元/年", "all")]
    assert amount_columns("美元", "", True) == [("美元", "all")]
    assert amount_columns("元", "month", True) == [("元/月", "other"), ("元/年", "year")]
    assert holds("other", in_year=False) and not holds("other", in_year=True)
    assert holds("year", in_year=True) and not holds("year", in_year=False)


def test_households_a_year_case_sums_its_months_in_a_yuan_a_year_column(tmp_path: Path) -> None:
    """county-household's 低保金 `(800 元/人 - 家庭月人均收入) × count(members) per 月`: a one-member
    household with 500元 of income in 2026-03 gets (800 - 500) × 1 = 300元 that month; one with
    no income all of 2026 gets 800 × 1 × 12 = 9600元 for the year — a year's sum, in its own
    column `低保金.amount_元/年`, the month's in `低保金.amount_元/月`."""
    policy = FIXTURES / "county-household" / "county-household.policy"
    cases = tmp_path / "cases.csv"
    cases.write_text("id,period\n户1,2026-03\n户2,2026\n", encoding="utf-8")
    members = tmp_path / "members.csv"
    members.write_text(
        "case,member,role,出生日期,月收入[2026-03],月收入[2026]\n"
        "户1,王芳,申请人,1980-05-01,500,\n"
        "户2,李明,申请人,1980-05-01,,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    said = _Out()
    code = run_batch(policy, cases, out, None, [], "json", False, said, members)  # type: ignore[arg-type]
    assert code == 0, said.text
    # the summary totals them apart too, as `run` does: 300元 a month, 9600 + 500元 a year
    (paid,) = json.loads(said.text)["totals_by_beneficiary"]
    assert paid["totals"] == {"元/月": "300", "元/年": "10100"}
    month, year = _csv(out)
    assert (month["低保金.amount_元/月"], month["低保金.amount_元/年"]) == ("300", "")
    assert (year["低保金.amount_元/月"], year["低保金.amount_元/年"]) == ("", "9600")
    # a yearly rule is the year's whatever the case: 取暖补贴 500元, 0 ≤ 36000元
    assert year["取暖补贴.amount_元/年"] == "500"
    # the members file: the each-rule 育儿补贴 (no 子女 here) split alike
    people = _csv(tmp_path / "out.members.csv")
    assert {"育儿补贴.amount_元/月", "育儿补贴.amount_元/年"} <= set(people[0])


def test_a_rule_refused_for_a_day_the_calendar_lacks_says_so(policies: PolicyFactory) -> None:
    """tests/test_deadline_refused_rule.py's 按时办结: `date_plus(受理日期, 5 工作日)` from
    2026-12-22 needs 2026-12-29, past the calendar's last day (2026-12-28): refused there, its
    reason not the 待定：还需要输入 of a missing input; from 2026-12-21 it applies."""
    from tests.test_deadline_refused_rule import FIRST_UNKNOWN, IN_FORCE, LAST_KNOWN, POLICY

    policy = policies.write(POLICY, header=IN_FORCE)
    cases = policy.parent / "cases.csv"
    cases.write_text(
        "id,受理日期,办结日期\n"
        f"known,{LAST_KNOWN['受理日期']},{LAST_KNOWN['办结日期']}\n"
        f"unknown,{FIRST_UNKNOWN['受理日期']},{FIRST_UNKNOWN['办结日期']}\n",
        encoding="utf-8",
    )
    out = policy.parent / "out.csv"
    said = _Out()
    run_batch(policy, cases, out, date(2026, 12, 1), [], "json", False, said)  # type: ignore[arg-type]
    rows = {row["id"]: row for row in _csv(out)}
    assert {key: row["按时办结.reason"] for key, row in rows.items()} == {
        "known": "",
        "unknown": "无法判定：所需日期不在工作日历内",  # undetermined, as a missing input is
    }
    assert rows["unknown"]["按时办结.status"] == "undetermined"
    assert rows["unknown"]["基础补贴.reason"] == ""
