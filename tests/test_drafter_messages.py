"""What a drafter met restating an invented 养老服务补贴 notice (sixth newcomer, rechecked): the
messages `check` gives, in the words of the document and at the place (file:line:col).

1. two policy files restating one 文号: `check` over them, `docs`, `duties` and `serve` refuse;
2. `ordered by` an enum input: an order needs a number or a date, and how to give one;
3. a `cap` on an `amount range`: refused, saying why and how to write the text's maximum;
4. the example `less` input is named in the group's own measure (人数, not 台数);
5. an order by a date reads 从早到晚 / 从晚到早, not 从低到高.

The policy below is a cut of that notice (青河政办发〔2026〕9号 is invented). Every expected
figure is worked by hand from the quoted text beside it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.people_helpers import run_case

NOTICE = (
    "一、补贴标准。每人每月300元，同一户每年享受补贴的老年人不超过2人，按年龄从高到低确定。\n"
    "二、骗取补贴。骗取补贴的，处骗取金额1倍以上3倍以下罚款。\n"
)

POLICY = """policy "NUMBER" {
    title "养老服务补贴（节选）"
    issuer 青河区人民政府办公室
    issued 2026-11-20
    valid from 2027-01-01 for 5 年
    source "notice.txt" lines 1 to 2
}

unit 青河区人民政府办公室

group 家庭 {
    role 老年人 many "本户申请补贴的老年人"
}
enum 失能等级 { 未失能, 二级, 一级 }

input 出生日期: date per member "出生日期"
input 失能等级: 失能等级 per member default 未失能 "经评估的失能等级"
input 本年已享受补贴人数: LESS optional "本户本年此前已享受补贴的老年人人数"
input 骗取金额: 元 optional "骗取的补贴金额"
DECLARATIONS
section 一 "补贴标准" {
    quote "每人每月300元，同一户每年享受补贴的老年人不超过2人，按年龄从高到低确定。"
    rule 养老服务补贴 {
        kind 补贴
        beneficiary 老年人
        each 老年人 LIMIT
        amount 300 元 per 月
    }
}

section 二 "骗取补贴" {
    quote "骗取补贴的，处骗取金额1倍以上3倍以下罚款。"
    rule 罚款 {
        kind 罚款
        when 骗取金额 > 0 元
        amount range 1 × 骗取金额 to 3 × 骗取金额
        CAP
    }
}
"""

LIMIT = "at_most 2 人 less 本年已享受补贴人数 ordered by 出生日期 ascending"


def policy_text(
    number: str = "青河政办发〔2026〕9号",
    limit: str = LIMIT,
    cap: str = "",
    less: str = "人",
    declarations: str = "",
) -> str:
    return (
        POLICY.replace("NUMBER", number)
        .replace("LIMIT", limit)
        .replace("CAP", cap)
        .replace("LESS", less)
        .replace("DECLARATIONS", declarations)
    )


def write(folder: Path, name: str = "qh.policy", **parts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    path = folder / name
    path.write_text(policy_text(**parts), encoding="utf-8")
    return path


def place(path: Path, written: str) -> str:
    """`file:line:col` of the first `written` in the file (1-based, in characters)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if written in line:
            return f"{path}:{number}:{line.index(written) + 1}"
    raise AssertionError(written)


def refused(path: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        compile_policy(path)
    return str(caught.value)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- 1. one 文号, one policy file ------------------------------------------------------------


def two_with_one_number(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "policies"
    first = write(folder, "a.policy")
    second = write(folder, "b.policy")
    return folder, first, second


def test_check_refuses_two_files_with_one_number_at_the_second(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, first, second = two_with_one_number(tmp_path)
    code, _out, err = cli(capsys, "check", str(folder))
    assert code == 2
    # at b.policy's 文号 (line 1, the quote at column 8), naming a.policy and its line 1
    assert f"{second}:1:8: 文号 “青河政办发〔2026〕9号” is already the 文号 of {first}:1" in err
    assert "one policy file per 文号" in err
    assert err.count("is already the 文号") == 1  # reported once, at the later file
    again = cli(capsys, "check", str(folder))  # each file's result now from the check's cache
    assert again == (code, _out, err)


def test_check_in_json_gives_the_place_of_the_second(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, first, second = two_with_one_number(tmp_path)
    code, out, _err = cli(capsys, "check", str(folder), "--format", "json")
    assert code == 2
    errors = [e for e in json.loads(out)["errors"] if "文号" in e["message"]]
    assert [(e["file"], e["line"], e["column"]) for e in errors] == [(str(second), 1, 8)]
    assert f"{first}:1" in errors[0]["message"]


def test_two_numbers_check_and_one_file_is_not_a_clash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "policies"
    write(folder, "a.policy")
    write(folder, "b.policy", number="青河政办发〔2026〕10号")
    code, _out, err = cli(capsys, "check", str(folder))
    assert code == 0, err
    code, _out, err = cli(capsys, "check", str(folder / "a.policy"), str(folder / "a.policy"))
    assert code == 0, err  # the same file named twice restates nothing twice


def test_docs_and_duties_refuse_to_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, first, second = two_with_one_number(tmp_path)
    expected = f"{second}:1:8: 文号 “青河政办发〔2026〕9号” is already the 文号 of {first}:1"
    code, _out, err = cli(capsys, "docs", str(folder), "--out", str(tmp_path / "site"))
    assert code == 2
    assert expected in err
    assert not (tmp_path / "site").exists()
    code, _out, err = cli(capsys, "duties", "青河区人民政府办公室", str(folder))
    assert code == 2
    assert expected in err


def test_serve_refuses_to_start(tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from policyc.serve.catalog import load_catalog

    folder, first, second = two_with_one_number(tmp_path)
    with pytest.raises(PolicyError) as caught:
        load_catalog([folder])
    assert f"{second}:1:8: 文号 “青河政办发〔2026〕9号” is already the 文号 of {first}:1" in str(
        caught.value
    )


# ---- 2. an order by an enum ------------------------------------------------------------------


def test_an_order_by_an_enum_says_an_order_needs_a_number_or_a_date(tmp_path: Path) -> None:
    path = write(
        tmp_path, limit="at_most 2 人 less 本年已享受补贴人数 ordered by 失能等级 descending"
    )
    text = refused(path)
    assert (
        f"{place(path, '失能等级 descending')}: `ordered by 失能等级`: an order compares numbers "
        "or dates, and `失能等级` is a member of the enum 失能等级" in text
    )
    assert "the members of 失能等级 (未失能、二级、一级) have no order of their own" in text
    assert "`ordered by 失能等级顺序 descending`" in text


def test_the_way_the_message_gives_checks_and_orders(tmp_path: Path) -> None:
    # What the message says to write: a table of numbers by the enum, read per member. 一级 3,
    # 二级 2, 未失能 1, descending: 甲 (一级) and 丙 (二级) are paid, 乙 (未失能) is the third.
    table = "table 失能等级排序表 by 失能等级 { 未失能: 1, 二级: 2, 一级: 3 }\n"
    define = 'decide 失能等级顺序 = 失能等级排序表[失能等级] "失能越重越先"\n'
    path = write(
        tmp_path,
        limit="at_most 2 人 less 本年已享受补贴人数 ordered by 失能等级顺序 descending",
        declarations=table + define,
    )
    policy = compile_policy(path)
    case = (
        "period: 2027-03\ninputs: {本年已享受补贴人数: 0}\nmembers:\n"
        "  甲: {role: 老年人, inputs: {出生日期: 1950-01-01, 失能等级: 一级}}\n"
        "  乙: {role: 老年人, inputs: {出生日期: 1940-01-01}}\n"
        "  丙: {role: 老年人, inputs: {出生日期: 1960-01-01, 失能等级: 二级}}\n"
    )
    result = run_case(policy, tmp_path, case)["养老服务补贴"]
    assert [m.status for m in result.members] == ["applies", "not_applicable", "applies"]
    assert "按失能等级顺序从高到低排第 3" in str(result.members[1].reason)


def test_an_order_by_a_condition_names_its_type(tmp_path: Path) -> None:
    declarations = 'input 本区户籍: bool per member "是否具有本区户籍"\n'
    path = write(
        tmp_path,
        limit="at_most 2 人 ordered by 本区户籍 descending",
        declarations=declarations,
    )
    text = refused(path)
    assert (
        f"{place(path, '本区户籍 descending')}: `ordered by 本区户籍`: an order compares numbers "
        "or dates, and `本区户籍` is a condition (true or false)" in text
    )


# ---- 3. a cap on a range --------------------------------------------------------------------


def test_a_cap_on_a_range_is_refused_saying_why_and_how(tmp_path: Path) -> None:
    path = write(tmp_path, cap="cap 5000 元")
    text = refused(path)
    assert f"{place(path, 'cap 5000 元')}: a range rule cannot take a `cap`" in text
    assert "a cap needs an amount to bound" not in text
    assert "`amount range min(LOW, 5000 元) to min(HIGH, 5000 元)`" in text


@pytest.mark.parametrize(
    ("fraud", "low", "high"),
    [
        # 1倍以上3倍以下, at most 5000元: 1000 → 1000 to 3000 (under the maximum);
        ("1000", "1000", "3000"),
        # 2000 → 2000 to 6000, the high end held at 5000;
        ("2000", "2000", "5000"),
        # 5000 → 5000 to 15000: both at 5000; 6000 → both ends held: 5000 to 5000.
        ("5000", "5000", "5000"),
        ("6000", "5000", "5000"),
    ],
)
def test_the_maximum_written_into_the_ends_bounds_both(
    tmp_path: Path, fraud: str, low: str, high: str
) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "amount range 1 × 骗取金额 to 3 × 骗取金额",
        "amount range min(1 × 骗取金额, 5000 元) to min(3 × 骗取金额, 5000 元)",
    )
    path.write_text(text, encoding="utf-8")
    policy = compile_policy(path)
    case = f"period: 2027-03\ninputs: {{骗取金额: {fraud}}}\nmembers: {{}}\n"
    result = run_case(policy, tmp_path, case)["罚款"]
    assert result.status == "applies"
    assert result.range is not None
    assert [end.value for end in result.range] == [Decimal(low), Decimal(high)]


@pytest.mark.parametrize(
    ("ends", "refused_too"),
    [
        ("3 × 骗取金额 to 1 × 骗取金额", True),  # 3倍 above 1倍, whatever 骗取金额 is
        ("500 元 to 200 元", True),
        ("1 × 骗取金额 to 3 × 骗取金额", False),
        ("200 元 to 200 元", False),  # one figure: low and high both included
        ("3 × 骗取金额 to 5000 元", False),  # depends on the case: the run says so, not check
    ],
)
def test_a_range_written_high_end_first_is_refused(
    tmp_path: Path, ends: str, refused_too: bool
) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8").replace("1 × 骗取金额 to 3 × 骗取金额", ends)
    path.write_text(text, encoding="utf-8")
    if not refused_too:
        compile_policy(path)
        return
    low, high = ends.split(" to ")
    message = refused(path)
    assert (
        f"{place(path, 'amount range')}: the range's low end `{low}` is above its high end "
        f"`{high}`" in message
    )
    assert f"`amount range {high} to {low}`" in message


# ---- 4. the example `less` input in the group's measure --------------------------------------


def test_the_less_hint_names_the_groups_own_measure(tmp_path: Path) -> None:
    path = write(tmp_path, less="元")
    text = refused(path)
    assert (
        f"{place(path, '本年已享受补贴人数 ordered')}: `less …` counts the 人 already paid: "
        "expected a quantity in 人, not a quantity in 元" in text
    )
    assert "e.g. `input 本年已享受补贴人数: 人`" in text
    assert "台数" not in text


def test_at_most_without_its_measure_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, limit="at_most 2 less 本年已享受补贴人数 ordered by 出生日期 ascending")
    text = refused(path)
    assert (
        f"{place(path, '2 less')}: `at_most 2` needs its measure: the group `家庭` counts its "
        "members in 人" in text
    )
    assert "at_most 2 人" in text
    assert "`at_most 2 `" not in text


# ---- 5. an order by a date reads in time -----------------------------------------------------

THREE = (
    "period: 2027-03\ninputs: {本年已享受补贴人数: 0}\nmembers:\n"
    "  丙: {role: 老年人, inputs: {出生日期: 1960-06-01}}\n"
    "  甲: {role: 老年人, inputs: {出生日期: 1940-06-01}}\n"
    "  乙: {role: 老年人, inputs: {出生日期: 1950-06-01}}\n"
)


@pytest.mark.parametrize(
    ("direction", "words", "statuses"),
    [
        # 按年龄从高到低: the earliest born first — 甲 1940, 乙 1950 paid, 丙 1960 the third
        ("ascending", "按出生日期从早到晚排第 3", ["not_applicable", "applies", "applies"]),
        # the other way: 丙 1960, 乙 1950 paid, 甲 1940 the third
        ("descending", "按出生日期从晚到早排第 3", ["applies", "not_applicable", "applies"]),
    ],
)
def test_an_order_by_a_date_reads_early_and_late(
    tmp_path: Path, direction: str, words: str, statuses: list[str]
) -> None:
    path = write(
        tmp_path, limit=f"at_most 2 人 less 本年已享受补贴人数 ordered by 出生日期 {direction}"
    )
    policy = compile_policy(path)
    result = run_case(policy, tmp_path, THREE)["养老服务补贴"]
    assert [m.status for m in result.members] == statuses
    reasons = " ".join(str(m.reason) for m in result.members)
    assert words in reasons
    assert "从低到高" not in reasons and "从高到低" not in reasons


def test_explain_and_the_site_say_the_date_order_in_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "policies"
    path = write(folder)
    case = tmp_path / "case.yaml"
    case.write_text(THREE, encoding="utf-8")
    code, out, err = cli(capsys, "run", str(path), "--case", str(case), "--explain")
    assert code == 0, err
    assert "按出生日期从早到晚: 甲" in out
    assert "从低到高" not in out
    code, _out, err = cli(capsys, "docs", str(folder), "--out", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "docs" / "qh.md").read_text(encoding="utf-8")
    assert "按出生日期从早到晚，并列时按案例所列顺序" in page
    assert "从低到高" not in page


# ---- 6. a range rule's worked example on the site ----------------------------------------------


def test_the_site_gives_a_range_rule_its_worked_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 骗取 2000元, 处骗取金额1倍以上3倍以下罚款: 2000元 to 6000元. The case writes the ends as
    # bare numbers, which `policyc test` reads in the rule's measure (元); so does the site.
    folder = tmp_path / "policies"
    write(folder)
    cases = tmp_path / "examples" / "qh"
    cases.mkdir(parents=True)
    (cases / "01-fraud.yaml").write_text(
        "period: 2027-03\ninputs: {骗取金额: 2000}\nmembers:\n"
        "  甲: {role: 老年人, inputs: {出生日期: 1940-06-01}}\n"
        "expect:\n  罚款: {status: applies, low: 2000, high: 6000}\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "test", str(folder / "qh.policy"), str(cases))
    assert code == 0, out + err
    code, _out, err = cli(capsys, "docs", str(folder), "--out", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "docs" / "qh.md").read_text(encoding="utf-8")
    rule = page[page.index("#### 规则：罚款") :]
    assert "**算例**：骗取金额 2000元" in rule
    assert "应缴 **2000元至6000元**" in rule


# ---- 8. a range's total names its payer as the other totals do --------------------------------


@pytest.mark.parametrize(
    ("beneficiary", "words"),
    [
        ("", "合计（申请人应缴）: 2000元至6000元"),  # no payer named: the applicant
        ("beneficiary 违法行为人", "合计（违法行为人应缴）: 2000元至6000元"),
        # 老年人 is paid by the subsidy in this case: the fine is the applicant's to pay
        ("beneficiary 老年人", "合计（申请人应缴）: 2000元至6000元"),
    ],
)
def test_a_ranges_total_names_who_pays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, beneficiary: str, words: str
) -> None:
    path = write(tmp_path, cap=beneficiary)
    case = tmp_path / "case.yaml"
    case.write_text(
        "period: 2027-03\ninputs: {骗取金额: 2000, 本年已享受补贴人数: 0}\nmembers:\n"
        "  甲: {role: 老年人, inputs: {出生日期: 1940-06-01}}\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "run", str(path), "--case", str(case))
    assert code == 0, err
    totals = [line.strip() for line in out.splitlines() if line.strip().startswith("合计")]
    # 甲 alone, 300元 a month; the fine 1 to 3 times 2000元
    assert totals == ["合计（支付给申请人）: 每月 300元", words], out
