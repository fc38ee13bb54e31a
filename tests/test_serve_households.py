"""The form of a household policy (issue 12) over plain HTTP, as a browser with JavaScript off
sends it: the case's period, a row per member (name, role, the member's inputs), a value per
period, "add a member"; the YAML it downloads (a case `run` reads) and the upload that refills
it; an uploaded file's every problem, duplicate keys among them, as `run` reports them.

The policy is tests/fixtures/county-household (第一条: 月人均收入低于800元 → (800 − 月人均收入) ×
人数 a month; 第二条: 200元 a month per child 未满18周岁)."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from policyc.cli import main
from policyc.report import STATUS_WORDS
from tests.serve_helpers import request, running_server

pytest.importorskip("starlette", reason="the serve extra is not installed")

FORM = "/policies/county-household"
TEXTILE_FORM = "/policies/tzf-2023-1"
POLICY = Path(__file__).parent / "fixtures/county-household/county-household.policy"
# The case of fixtures/county-household/cases/01: three people, 2,399.97元 in March.
FAMILY = {
    "@on": "2026-03-15",
    "@period": "2026-03",
    "@members": "3",
    "@member1.name": "王芳",
    "@member1.role": "申请人",
    "@member1:出生日期": "1980-05-01",
    "@member1:月收入": "2026-02: 100\n2026-03: 2399.97",
    "@member2.name": "李强",
    "@member2.role": "配偶",
    "@member2:出生日期": "1979-02-01",
    "@member2:月收入": "0",
    "@member3.name": "李小明",
    "@member3.role": "子女",
    "@member3:出生日期": "2010-06-15",
    "@member3:月收入": "0",
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("tests/fixtures/county-household", "policies") as url:
        yield url


def post_form(base: str, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
    body = urllib.parse.urlencode(fields).encode()
    status, headers, answer = request(base, "POST", path, body, "application/x-www-form-urlencoded")
    return status, headers, answer.decode("utf-8")


def upload(base: str, form: str, name: str, content: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="case"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _, answer = request(
        base, "POST", f"{form}/upload", body, f"multipart/form-data; boundary={boundary}"
    )
    return status, answer.decode("utf-8")


def result_of(page: str, rule: str) -> str:
    """The text of one result item on the page."""
    for item in re.findall(r'<li class="result[^"]*">(.*?)</li>\n', page, re.S):
        if f"<strong>{rule}</strong>" in item:
            return html.unescape(re.sub(r"<[^>]+>", " ", item))
    return ""


def rows_in(page: str) -> int:
    return len(re.findall(r'<fieldset class="member" data-row=', page))


def problems_beside(page: str) -> dict[str, list[str]]:
    """Each field's problems, by the field's form name."""
    found: dict[str, list[str]] = {}
    for block in re.findall(r'<div class="field has-problem"[^>]*>(.*?)</div>', page, re.S):
        name = re.search(r'name="([^"]+)"', block)
        messages = re.findall(r'<span class="problem" role="alert">([^<]*)</span>', block)
        if name:
            found[html.unescape(name[1])] = [html.unescape(m) for m in messages]
    return found


def general_problems(page: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r'<li class="problem">([^<]*)</li>', page)]


def test_the_form_has_a_period_and_member_rows_with_each_member_input(base: str):
    status, _, page = request(base, "GET", FORM)
    text = page.decode("utf-8")
    assert status == 200
    assert 'name="case.period"' in text
    assert rows_in(text) == 3
    for row in (1, 2, 3):
        for key in (f"@member{row}.name", f"@member{row}.role", f"@member{row}:出生日期"):
            assert f'name="{key}"' in text
        # 月收入 is per month: a text area, one value or a line per period
        assert f'<textarea id="m{row}-2" name="@member{row}:月收入"' in text
    roles = re.search(r'<select id="m1-role"[^>]*>(.*?)</select>', text, re.S)
    assert roles is not None
    assert re.findall(r'<option value="([^"]+)"', roles[1]) == [
        "申请人",
        "配偶",
        "子女",
        "其他成员",
    ]
    # Member inputs are in the rows only, never a field of their own.
    assert 'name="出生日期"' not in text and 'name="月收入"' not in text
    # A policy without a group has neither.
    textile = request(base, "GET", TEXTILE_FORM)[2].decode("utf-8")
    assert 'name="case.period"' not in textile and "@member" not in textile
    assert 'value="add-member"' not in textile


def test_a_family_below_the_standard_gets_the_difference_times_its_size(base: str):
    status, _, page = post_form(base, FORM, {**FAMILY, "@action": "evaluate"})
    assert status == 200, page[:2000]
    # March (the period): 2,399.97 / 3 = 799.99元 a head, under 800: (800 − 799.99) × 3 = 0.03元.
    dibao = result_of(page, "低保金")
    assert "适用" in dibao and "0.03元" in dibao
    # 育儿补贴: 李小明 (born 2010-06-15) is 15 on 2026-03-15: 200元, and the row says who.
    child = result_of(page, "育儿补贴")
    assert "200元" in child and "李小明" in child and "子女" in child
    # The rows stay filled in for the next change.
    assert 'value="王芳"' in page and "2026-03: 2399.97" in page


def test_on_the_standard_exactly_is_not_below_it(base: str):
    # 2,400 / 3 = 800.00元 a head: not 低于 800元 (低于 excludes the standard itself).
    family = {**FAMILY, "@member1:月收入": "2400"}
    status, _, page = post_form(base, FORM, {**family, "@action": "evaluate"})
    assert status == 200
    dibao = result_of(page, "低保金")
    assert "不适用" in dibao and "0.03元" not in dibao


def test_add_a_member_posts_back_one_more_row_keeping_every_value(base: str):
    status, _, page = post_form(base, FORM, {**FAMILY, "@action": "add-member"})
    assert status == 200
    assert rows_in(page) == 4
    assert 'id="result"' not in page  # nothing evaluated
    assert 'name="@members" value="4"' in page
    assert 'value="李小明"' in page and 'name="@member4.name" value=""' in page
    # Once more: five rows.
    again = {**FAMILY, "@members": "4", "@action": "add-member"}
    assert rows_in(post_form(base, FORM, again)[2]) == 5


def test_an_empty_row_is_no_member(base: str):
    two = {k: v for k, v in FAMILY.items() if not k.startswith("@member3")}
    status, _headers, text = post_form(base, FORM, {**two, "@action": "download"})
    assert status == 200
    assert list(yaml.safe_load(text)["members"]) == ["王芳", "李强"]


def test_the_download_keeps_members_and_periods_and_run_reads_it(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    status, headers, text = post_form(base, FORM, {**FAMILY, "@action": "download"})
    assert status == 200 and headers["content-disposition"].endswith('-case.yaml"')
    data = yaml.safe_load(text)
    assert data["period"] == "2026-03"
    assert data["members"]["王芳"] == {
        "role": "申请人",
        "inputs": {"出生日期": "1980-05-01", "月收入": {"2026-02": "100", "2026-03": "2399.97"}},
    }
    assert data["members"]["李小明"]["role"] == "子女"
    case = tmp_path / "family.yaml"
    case.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(POLICY), "--case", str(case), "--all"]) == 0
    out = capsys.readouterr().out
    assert "低保金 — 适用: 0.03元" in out
    # Uploaded again, it fills the same rows.
    status, page = upload(base, FORM, "family.yaml", text.encode("utf-8"))
    assert status == 200
    assert 'value="王芳"' in page and 'value="李小明"' in page
    assert "2026-02: 100\n2026-03: 2399.97</textarea>" in page
    assert 'value="2026-03"' in page  # the period
    assert re.search(r'<option value="配偶" selected>', page)


def test_a_members_problem_is_beside_its_rows_field(base: str):
    bad = {
        **FAMILY,
        "@member1:出生日期": "1980-13-01",
        "@member2.role": "配偶x",
        "@member3:月收入": "很多",
    }
    status, _, page = post_form(base, FORM, {**bad, "@action": "evaluate"})
    assert status == 422
    beside = problems_beside(page)
    assert beside["@member1:出生日期"] == [
        "member `王芳`: input `出生日期`: `1980-13-01` is not a real date: there is no month 13"
    ]
    assert beside["@member2.role"] == [
        "member `李强`: `配偶x` is not a role of 家庭; did you mean `配偶`? "
        "(the roles of 家庭: 申请人, 配偶, 子女, 其他成员)"
    ]
    assert list(beside) == ["@member1:出生日期", "@member2.role", "@member3:月收入"]
    assert 'id="result"' not in page


def test_a_bad_period_is_beside_the_period_field(base: str):
    status, _, page = post_form(base, FORM, {**FAMILY, "@period": "2026-13", "@action": "evaluate"})
    assert status == 422
    assert list(problems_beside(page)) == ["case.period"]


def test_an_uploaded_files_duplicate_keys_come_with_its_other_problems(base: str):
    text = (
        "on: 2023-12-31\n"
        "inputs:\n"
        "  申请人类型: 物流企业\n"
        "  年发货量: 100\n"
        "  年发货量: 200\n"
        "  口罩发货量: x\n"
        "  口罩发货量: 3\n"
    )
    status, page = upload(base, TEXTILE_FORM, "dup.yaml", text.encode("utf-8"))
    assert status == 422
    general = general_problems(page)
    # Both keys written twice, with the file's place as `run` prints it ...
    assert general == [
        "dup.yaml:5:3: `年发货量` is written twice, first at 4:3 and again here; keep one (a case must not say two things about one field)",
        "dup.yaml:7:3: `口罩发货量` is written twice, first at 6:3 and again here; keep one (a case must not say two things about one field)",
    ]
    # ... and the first value's own problem beside its field (the first is the one read).
    assert problems_beside(page)["口罩发货量"] == [
        "input `口罩发货量`: `x` does not start with a number, as in `12单`"
    ]
    # A household file's duplicate member is reported with the rest too.
    household = (
        "period: 2026-03\nmembers:\n"
        "  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01}}\n"
        "  王芳: {role: 子女}\n"
        "  李强: {role: 配偶x}\n"
    )
    status, page = upload(base, FORM, "family.yaml", household.encode("utf-8"))
    assert status == 422
    assert general_problems(page) == [
        "family.yaml:4:3: `王芳` is written twice, first at 3:3 and again here; keep one (a case must not say two things about one field)"
    ]
    assert problems_beside(page)["@member2.role"] == [
        "member `李强`: `配偶x` is not a role of 家庭; did you mean `配偶`? "
        "(the roles of 家庭: 申请人, 配偶, 子女, 其他成员)"
    ]


def filled_values(page: str) -> dict[str, str]:
    """What the browser would post back: every field's value as the page shows it."""
    found: dict[str, str] = {}
    for name, value in re.findall(
        r'<input type="(?:text|date|hidden)" [^>]*name="([^"]+)" value="([^"]*)"', page
    ):
        found[name] = value
    for name, text in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        found[name] = text
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        found[name] = chosen[1] if chosen else ""
    return {html.unescape(k): html.unescape(v) for k, v in found.items()}


CASES = sorted((POLICY.parent / "cases").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_an_uploaded_case_posted_back_evaluates_as_run_does(
    base: str, case: Path, capsys: pytest.CaptureFixture[str]
):
    status, page = upload(base, FORM, case.name, case.read_bytes())
    assert status == 200, page[:2000]
    values = filled_values(page)
    status, _, result = post_form(base, FORM, {**values, "@action": "evaluate"})
    assert status == 200, result[:2000]
    capsys.readouterr()
    main(["run", str(POLICY), "--case", str(case), "--format", "json"])
    expected = json.loads(capsys.readouterr().out)
    for item in expected["results"]:
        shown = result_of(result, item["rule"])
        assert STATUS_WORDS[item["status"]] in shown, (item["rule"], shown)
        if item.get("amount") is not None:  # a lean (ruled-out) result has none
            assert item["amount"]["text"] in shown, (item["rule"], shown)
