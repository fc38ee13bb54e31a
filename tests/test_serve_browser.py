"""The textile policy's form as a case worker uses it: headless Chromium with JavaScript off, on a
real `policyc serve` at a free loopback port. Fill in the e-commerce logistics case with its cap,
click 评估, read the capped and the uncapped amounts; type a bad number, read the message beside
the field."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from tests.browser_check import Browser, find_chromium
from tests.serve_helpers import running_server

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
    with running_server("policies") as base, Browser(CHROMIUM, width=1200, height=900) as b:
        b.send("Emulation.setScriptExecutionDisabled", value=True)
        yield b, base


def field(name: str) -> str:
    return f"[name={json.dumps(name, ensure_ascii=False)}]"


def set_value(browser: Browser, selector: str, value: str) -> None:
    """Pick a select's option or a date field's day (as the user's picker would)."""
    browser.js(
        f"document.querySelector({json.dumps(selector, ensure_ascii=False)}).value = "
        f"{json.dumps(value, ensure_ascii=False)}"
    )


def click(browser: Browser, selector: str) -> None:
    """A real mouse click at the element's centre, then wait for the page it loads."""
    box = browser.js(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
    )
    browser.events.clear()
    for kind in ("mousePressed", "mouseReleased"):
        browser.send(
            "Input.dispatchMouseEvent",
            type=kind,
            x=box["x"],
            y=box["y"],
            button="left",
            clickCount=1,
        )
    browser.wait_event("Page.loadEventFired")


def fill_textile_case(browser: Browser, base: str, shipped: str) -> None:
    browser.open(f"{base}/policies/tzf-2023-1")
    assert browser.js("document.title").startswith("天政发〔2023〕1号")
    set_value(browser, field("case.on"), "2023-12-31")
    set_value(browser, field("申请人类型"), "服装电商企业")
    browser.type(field("年发货量"), shipped)
    browser.type(field("口罩发货量"), "1万单")
    browser.type(field("其他纺织品发货量"), "4万单")


def text_of(browser: Browser, selector: str) -> str:
    return str(
        browser.js(
            f"document.querySelector({json.dumps(selector, ensure_ascii=False)})?.innerText ?? ''"
        )
    )


def test_the_capped_logistics_case_reads_100万元_and_the_uncapped_amount(
    page: tuple[Browser, str],
):
    browser, base = page
    fill_textile_case(browser, base, "600万单")
    click(browser, 'button[value="evaluate"]')
    result = text_of(browser, "#result")
    logistics = browser.js(
        "[...document.querySelectorAll('#result li.result')]"
        ".map(e => e.innerText).find(t => t.includes('电商物流补贴')) ?? ''"
    )
    # (600万 − 1万 − 4万) 单 × 0.2元/单 = 119万元, capped at 100万元 (第七条).
    assert "100万元" in logistics
    assert "封顶前 1,190,000元（119万元）" in logistics
    assert "适用" in logistics
    assert "对服装电商企业,按实际发货量每单补贴0.2元" in logistics  # its source sentence
    assert "合计（按类别）" in result
    # What is still missing is listed with its description.
    assert "还需提供" in result and "服装电商企业的月发货量" in result
    # The form stays filled in for the next change.
    assert (
        browser.js(
            f"document.querySelector({json.dumps(field('年发货量'), ensure_ascii=False)}).value"
        )
        == "600万单"
    )


def test_a_bad_value_is_named_beside_its_field(page: tuple[Browser, str]):
    browser, base = page
    fill_textile_case(browser, base, "很多单")
    click(browser, 'button[value="evaluate"]')
    beside = text_of(browser, '[data-input="年发货量"] .problem')
    assert beside == "input `年发货量`: `很多单` does not start with a number, as in `12单`"
    assert text_of(browser, "#result") == ""  # nothing evaluated
    # The other fields keep what was typed.
    assert (
        browser.js(
            f"document.querySelector({json.dumps(field('口罩发货量'), ensure_ascii=False)}).value"
        )
        == "1万单"
    )
