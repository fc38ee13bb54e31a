"""A household policy's form as a case worker uses it: headless Chromium with JavaScript off, on a
real `policyc serve` of tests/fixtures/county-household. Add a member row with the button, fill
in three people and March's income, click 评估, read the 低保金 and each child's 育儿补贴."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from tests.browser_check import Browser, find_chromium
from tests.serve_helpers import running_server
from tests.test_serve_browser import click, field, set_value, text_of

pytest.importorskip("starlette", reason="the serve extra is not installed")

CHROMIUM = find_chromium()
IN_CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not IN_CI,
    reason="Chromium is not installed (apt-get install chromium); CI runs this test",
)


@pytest.fixture(scope="module")
def page() -> Iterator[tuple[Browser, str]]:
    if CHROMIUM is None:
        pytest.fail("CI is set but Chromium is missing: apt-get install chromium")
    with (
        running_server("tests/fixtures/county-household") as base,
        Browser(CHROMIUM, width=1200, height=900) as b,
    ):
        b.send("Emulation.setScriptExecutionDisabled", value=True)
        yield b, base


def value_of(browser: Browser, name: str) -> str:
    return str(
        browser.js(f"document.querySelector({json.dumps(field(name), ensure_ascii=False)}).value")
    )


def rows(browser: Browser) -> int:
    return int(browser.js("document.querySelectorAll('fieldset.member').length"))


def test_a_family_of_four_added_row_by_row_gets_its_allowances(page: tuple[Browser, str]):
    browser, base = page
    browser.open(f"{base}/policies/county-household")
    assert rows(browser) == 3
    set_value(browser, field("case.on"), "2026-03-15")
    browser.type(field("case.period"), "2026-03")
    people = [
        ("王芳", "申请人", "1980-05-01", "3200"),
        ("李强", "配偶", "1979-02-01", "0"),
        ("李小明", "子女", "2010-06-15", "0"),
    ]
    for row, (name, role, born, income) in enumerate(people, start=1):
        browser.type(field(f"@member{row}.name"), name)
        set_value(browser, field(f"@member{row}.role"), role)
        set_value(browser, field(f"@member{row}:出生日期"), born)
        browser.type(field(f"@member{row}:月收入"), income)
    # A fourth person: the button posts the form back with one more row, nothing lost.
    click(browser, 'button[value="add-member"]')
    assert rows(browser) == 4
    assert value_of(browser, "@member3.name") == "李小明"
    assert value_of(browser, "@member1:月收入") == "3200"
    assert text_of(browser, "#result") == ""
    browser.type(field("@member4.name"), "李小红")
    set_value(browser, field("@member4.role"), "子女")
    set_value(browser, field("@member4:出生日期"), "2008-03-01")  # 18 on 2026-03-01
    browser.type(field("@member4:月收入"), "0")
    click(browser, 'button[value="evaluate"]')
    result = text_of(browser, "#result")
    dibao = browser.js(  # folded among the others: its text, not what is drawn
        "[...document.querySelectorAll('#result li.result')]"
        ".map(e => e.textContent).find(t => t.includes('低保金')) ?? ''"
    )
    # 3,200 / 4 = 800.00元 a head: not 低于 800元, so no 低保金.
    assert "不适用" in dibao
    child = browser.js(
        "[...document.querySelectorAll('#result li.result')]"
        ".map(e => e.innerText).find(t => t.includes('育儿补贴')) ?? ''"
    )
    # 李小明 is 15: 200元; 李小红 turned 18 on 2026-03-01, the period's first day: 满18, none.
    rows_text = browser.js(
        "[...document.querySelectorAll('#result table.members tr')].map(e => e.innerText)"
    )
    assert any("李小明" in r and "适用" in r and "200元" in r for r in rows_text)
    assert any("李小红" in r and "不适用" in r for r in rows_text)
    assert "金额：200元" in child
    assert "合计" in result
    # The rows stay filled in.
    assert rows(browser) == 4 and value_of(browser, "@member4.name") == "李小红"


def test_a_bad_income_is_named_beside_the_rows_field(page: tuple[Browser, str]):
    browser, base = page
    browser.open(f"{base}/policies/county-household")
    set_value(browser, field("case.on"), "2026-03-15")
    browser.type(field("@member1.name"), "王芳")
    set_value(browser, field("@member1:出生日期"), "1980-05-01")
    browser.type(field("@member1:月收入"), "很多")
    click(browser, 'button[value="evaluate"]')
    row = 'fieldset.member[data-row="1"]'
    assert text_of(browser, f"{row} .problem") == (
        "member `王芳` has no `role` (the roles of 家庭: 申请人, 配偶, 子女, 其他成员)"
    )  # by the name
    assert text_of(browser, "#result") == ""
    set_value(browser, field("@member1.role"), "申请人")
    click(browser, 'button[value="evaluate"]')
    beside = text_of(browser, f'{row} [data-input="月收入"] .problem')
    assert (
        beside
        == "member `王芳`: input `月收入`: `很多` does not start with a number, as in `1.5万元`"
    )
    assert text_of(browser, "#result") == ""
