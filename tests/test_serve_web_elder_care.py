"""The web form of a household's elder-care subsidy, as a case worker (or a curl user) posts it:
yes/no words typed by hand, a raw UTF-8 body, the inputs a unit reports kept apart from the
applicant's, a monthly amount said as `run` says it, and which member failed which condition.

The policy is tests/fixtures/elder-care (第一条: 本区户籍、申请之日年满60周岁、家庭人均月收入低于
1200元 → 每人每月300元; 第二条: 每户每月合计不超过500元; 第三条: a duty of 各街道办事处 that
reads 已完成入户核查; 第四条: a target of 区民政局, 覆盖率达到90%)."""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterator

import pytest

from policyc.case_words import yes_no
from policyc.member_why import member_whys
from policyc.people_report import period_words
from policyc.report_ranges import ends_words
from policyc.serve.evaluate import RequestError
from policyc.serve.web import url_encoded_fields
from tests.serve_helpers import request, running_server

pytest.importorskip("starlette", reason="the serve extra is not installed")

FORM = "/policies/elder-care"
URLENCODED = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("tests/fixtures/elder-care") as url:
        yield url


def household(**changed: str) -> dict[str, str]:
    """Two elders applying on 2027-02-28, April 2027 evaluated: 张大爷 born 1950 (77 then),
    李大妈 born 1960 (67); 家庭人均月收入 1000元/人 (below 1200)."""
    fields = {
        "case.on": "2027-04-30",
        "case.period": "2027-04",
        "家庭人均月收入": "1000",
        "@members": "2",
        "@member1.name": "张大爷",
        "@member1.role": "老年人",
        "@member1:本区户籍": "是",
        "@member1:出生日期": "1950-01-01",
        "@member1:申请日期": "2027-02-28",
        "@member2.name": "李大妈",
        "@member2.role": "老年人",
        "@member2:本区户籍": "是",
        "@member2:出生日期": "1960-01-01",
        "@member2:申请日期": "2027-02-28",
    }
    return {**fields, **changed}


def post(base: str, body: bytes, kind: str = URLENCODED) -> tuple[int, str]:
    status, _headers, answer = request(base, "POST", FORM, body, kind)
    return status, answer.decode("utf-8")


def post_form(base: str, fields: dict[str, str]) -> tuple[int, str]:
    return post(base, urllib.parse.urlencode(fields).encode())


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def subsidy(page: str) -> str:
    """The text of the result item of 养老服务补贴."""
    found = re.search(
        r'<li class="result[^"]*">\s*<div class="rule"><strong>养老服务补贴.*?</li>\n', page, re.S
    )
    assert found is not None, text(page)[:2000]
    return text(found.group(0))


# ---- 1. a yes/no typed by hand --------------------------------------------------------------


@pytest.mark.parametrize("word", ["是", "true", "True", "YES", "on"])
def test_a_yes_word_is_read_as_是(word: str) -> None:
    assert yes_no(f" {word} ") == "是"


@pytest.mark.parametrize("word", ["否", "false", "FALSE", "no", "Off"])
def test_a_no_word_is_read_as_否(word: str) -> None:
    assert yes_no(word) == "否"


@pytest.mark.parametrize("word", ["", "1", "0", "y", "maybe", "是的", "truee"])
def test_any_other_text_is_not_a_yes_or_a_no(word: str) -> None:
    assert yes_no(word) is None


def test_hand_posted_true_and_yes_count_both_elders_and_the_cap_holds(base: str) -> None:
    # 300元 × 2 = 600元 a month, over the household's 500元: 500元, as `run` writes it.
    fields = household(**{"@member1:本区户籍": "true", "@member2:本区户籍": "YES"})
    status, page = post_form(base, fields)
    assert status == 200, text(page)[:2000]
    assert "金额： 500元（每月）（已封顶，封顶前 600元）" in subsidy(page)
    assert "合计（支付给申请人）: 每月 500元" in text(page)  # as `run` names it


def test_hand_posted_false_leaves_that_elder_out(base: str) -> None:
    # 李大妈 alone: 300元 a month, under the cap.
    status, page = post_form(base, household(**{"@member1:本区户籍": "false"}))
    assert status == 200, text(page)[:2000]
    shown = subsidy(page)
    assert "金额： 300元（每月）" in shown and "已封顶" not in shown


def test_a_case_yes_no_posted_as_on_is_read_as_是(base: str) -> None:
    status, page = post_form(base, household(已完成入户核查="on"))
    assert status == 200, text(page)[:2000]
    duty = re.search(r"报送审核意见 第三条 职责 — (\S+)", text(page))
    assert duty is not None and duty.group(1) == "适用"


def test_an_unknown_yes_no_word_is_named_with_every_word_accepted(base: str) -> None:
    status, page = post_form(base, household(**{"@member1:本区户籍": "maybe"}))
    assert status == 422
    row = re.search(r'<fieldset class="member" data-row="1">.*?</fieldset>', page, re.S)
    assert row is not None
    message = (
        "input `本区户籍`: expected 是 or 否 (or true/false, yes/no, on/off, in any letter case), "
        "got `maybe`"
    )
    assert message in text(row.group(0))
    assert "expected true or false" not in text(page)


def test_a_row_without_a_name_gets_its_message_beside_its_field(base: str) -> None:
    fields = household(**{"@member1.name": "", "@member1:本区户籍": "maybe"})
    status, page = post_form(base, fields)
    assert status == 422
    row = re.search(r'<fieldset class="member" data-row="1">.*?</fieldset>', page, re.S)
    assert row is not None and "got `maybe`" in text(row.group(0))
    general = page.partition('<div class="problems"')[2].partition("</div>")[0]
    assert "maybe" not in general


# ---- 2. a raw UTF-8 body --------------------------------------------------------------------


def test_a_raw_utf8_body_is_read_as_utf8(base: str) -> None:
    # curl --data '家庭人均月收入=一千' sends the bytes as they are, not percent-encoded.
    status, page = post(base, "case.on=2027-04-30&家庭人均月收入=一千".encode())
    assert status == 422
    assert "`一千`" in text(page)
    assert "ä¸" not in page  # what UTF-8 read as Latin-1 looks like


def test_a_raw_utf8_household_is_evaluated(base: str) -> None:
    body = "&".join(f"{k}={v}" for k, v in household().items()).encode()
    status, page = post(base, body)
    assert status == 200, text(page)[:2000]
    assert "500元（每月）" in subsidy(page)
    assert 'value="张大爷"' in page


def test_a_body_that_is_not_utf8_is_a_400_naming_the_byte(base: str) -> None:
    # 家庭人均月收入= is 7 characters of 3 bytes and `=`: the bad byte is at offset 22.
    status, page = post(base, "家庭人均月收入=".encode() + b"\xff")
    assert status == 400
    assert "the form is not UTF-8 text (bad byte at offset 22)" in text(page)


def test_a_percent_escape_that_is_not_utf8_is_a_400(base: str) -> None:
    status, page = post(base, b"case.on=2027-04-30&%E5%AE=1")
    assert status == 400
    assert "the form has a percent-escaped value that is not UTF-8 text" in text(page)


def test_a_declared_charset_is_honoured() -> None:
    assert url_encoded_fields("企业类型=电商企业".encode("gb18030"), "gb18030") == [
        ("企业类型", "电商企业")
    ]
    assert url_encoded_fields(b"a=1+2&b=%E4%BA%8C&c=") == [("a", "1 2"), ("b", "二"), ("c", "")]


def test_an_unknown_charset_is_refused() -> None:
    with pytest.raises(RequestError) as caught:
        url_encoded_fields(b"a=1", "no-such-charset")
    assert caught.value.status == 400
    assert "no-such-charset" in caught.value.message


# ---- 3. what a unit reports, apart from the applicant's inputs -------------------------------


def test_a_targets_figure_and_a_dutys_input_are_folded_apart_with_their_unit(base: str) -> None:
    status, _headers, body = request(base, "GET", FORM)
    page = body.decode("utf-8")
    assert status == 200
    case, _sep, rest = page.partition('<details class="units">')
    assert 'data-input="家庭人均月收入"' in case
    assert 'data-input="养老服务补贴覆盖率"' not in case
    assert 'data-input="已完成入户核查"' not in case
    units = text(rest.partition("</details>")[0])
    assert "由 区民政局 填报：实际完成: 全区养老服务补贴覆盖率" in units
    assert "由 各街道办事处 填报：街道办事处是否已完成入户核查" in units


def test_the_folded_inputs_open_when_one_is_filled(base: str) -> None:
    _status, page = post_form(base, household(养老服务补贴覆盖率="95%"))
    assert '<details class="units" open>' in page
    assert "实际 95%" in text(page)  # the target's figure is read: 达到


def test_a_form_of_targets_only_shows_them_open() -> None:
    # 天政办发〔2023〕1号 sets targets only: its form is what its units report, shown open.
    with running_server("policies/tzbf-2023-1.policy") as url:
        status, _headers, body = request(url, "GET", "/policies/tzbf-2023-1")
    page = body.decode("utf-8")
    assert status == 200
    assert '<details class="units" open>' in page
    assert "不是申请人的情况" not in page
    assert "由 市发改委 填报：" in text(page)


def test_a_still_needed_unit_input_names_the_unit(base: str) -> None:
    _status, page = post_form(base, household())
    needed = text(page.partition('<ul class="missing">')[2].partition("</ul>")[0])
    assert "已完成入户核查 （是/否）：由 各街道办事处 填报：" in needed


# ---- 4. the amount's period -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("per", "periods", "words"),
    [
        ("month", None, "（每月）"),
        ("year", None, "（每年）"),
        ("", None, ""),
        ("month", ["2026-01", "2026-02"], "（每月，2026年各月合计）"),
        ("year", ["2026"], "（每年：2026年的金额，不计入本期合计）"),
    ],
)
def test_period_words(per: str, periods: list[str] | None, words: str) -> None:
    assert period_words(per, periods) == words


# ---- 5. which member failed which condition ------------------------------------------------


def test_each_elder_left_out_is_named_with_the_condition_it_failed(base: str) -> None:
    # 张大爷 is not 本区户籍; 李大妈, born 1967-03-01, is 59 on 2027-02-28 (不满60).
    fields = household(
        **{"@member1:本区户籍": "否", "@member2:出生日期": "1967-03-01"},
    )
    status, page = post_form(base, fields)
    assert status == 200, text(page)[:2000]
    why = page.partition('<ul class="member-why">')[2].partition("</ul>")[0]
    assert re.findall(r"<li>(.*?)</li>", html.unescape(why)) == [
        "张大爷（老年人）: 本区户籍 → 不成立",  # the failing part, named by the trace
        "李大妈（老年人）: 自出生日期至申请日期的周年数 满60年（含本数）: 59年 对 60年 → 不成立",
    ]


def test_an_elder_turning_60_on_the_application_day_is_counted(base: str) -> None:
    # Born 1967-02-28: 满60 on 2027-02-28 (含本数); 张大爷 alone is left out: 300元.
    fields = household(**{"@member1:本区户籍": "否", "@member2:出生日期": "1967-02-28"})
    status, page = post_form(base, fields)
    assert status == 200
    assert "金额： 300元（每月）" in subsidy(page)
    assert '<ul class="member-why">' not in page


def test_member_whys_from_steps() -> None:
    steps = [
        ("成员 甲（老年人）", 9),
        ("年龄 满60年（含本数）: 59年 对 60年 → 不成立", 3),
        ("成员 乙（老年人）", 9),
        ("年龄 满60年（含本数）: 70年 对 60年 → 成立", 3),
        ("老年人均（符合条件） = 否（计入: 乙（老年人））", 9),
    ]
    # an all(…) wanted true that came out 否: the member it did not count, and why
    assert member_whys(steps) == ["甲（老年人）: 年龄 满60年（含本数）: 59年 对 60年 → 不成立"]
    # an any(…) that came out 是 held: no member is to blame (cli/member_why.py)
    held = [*steps[:4], ("有老年人（符合条件） = 是（计入: 乙（老年人））", 9)]
    assert member_whys(held) == []
    assert member_whys(steps[:2]) == []  # no aggregate's summary: nothing said
    bare = [("成员 丙（老年人）", 9), ("有老年人（符合条件） = 否（计入: 无）", 9)]
    assert member_whys(bare) == ["丙（老年人）: 符合条件 不成立"]
    said = {("丙", "符合条件"): ["本区户籍 否"]}
    assert member_whys(bare, lambda m, c: said.get((m, c), [])) == [
        "丙（老年人）: 本区户籍 否（符合条件 不成立）"
    ]


# ---- 6. range totals, one writer ------------------------------------------------------------


def test_ends_words() -> None:
    pairs = [("40,000元（4万元）", "80,000元（8万元）"), ("100美元", "100美元")]
    assert ends_words(pairs) == "40,000元（4万元）至80,000元（8万元）；100美元"
