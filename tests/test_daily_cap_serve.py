"""The daily cap of tests/fixtures/parking/ on the web and the site (newcomer10's recheck):

- the form offers 自然日 (meaning calendar_day, which no run can take) only disabled, saying why;
- an answer refusing 自然日 names the policy by its file name, never the server's path, over the
  API and the form (`policyc run` keeps the path it was given);
- the site shows the 读法 box beside the rule although the rule writes no `reading 每日`;
- 计费时长 is a `define`: 结论 does not announce 30小时 for a stay whose fee is worked per day.

Worked by hand: 30 小时 at 2元/小时, 每满24小时为一日 → 20元 (48元 capped) + 12元 = 32元.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policyc.compiler.pipeline import check_policy, compile_policy
from policyc.runtime.quantity import Quantity
from tests.serve_helpers import REPO, post_json, request, running_server

FIXTURE = Path(__file__).parent / "fixtures" / "parking"
CASE = '{"on": "2027-02-01", "inputs": {"停放时长": "30小时"}}'


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server(str(FIXTURE.relative_to(REPO))) as url:
        yield url


def _page(base: str, method: str, fields: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(fields).encode() if fields is not None else None
    kind = "application/x-www-form-urlencoded" if body is not None else None
    status, _, answer = request(base, method, "/policies/parking", body, kind)
    return status, answer.decode("utf-8")


def test_the_form_offers_the_calendar_day_option_only_disabled(base: str) -> None:
    status, page = _page(base, "GET")
    assert status == 200
    select = re.search(r'<select[^>]*name="case\.reading:每日">(.*?)</select>', page, re.S)
    assert select is not None
    options = dict(re.findall(r'<option value="([^"]*)"([^>]*)>', select[1]))
    assert "disabled" in options["自然日"]
    assert "disabled" not in options["满24小时"]
    after = page[select.end() : select.end() + 600]
    assert "times of day" in after  # why, under the select (LANGUAGE=en in tests)


def test_the_api_refusal_names_the_file_not_the_path(base: str) -> None:
    query = urllib.parse.urlencode({"reading": "每日=自然日"})
    status, body = post_json(base, f"/v1/policies/parking/evaluate?{query}", CASE)
    assert status == 422
    assert body["error"].startswith("parking.policy:")
    assert str(REPO) not in str(body) and "/fixtures/" not in str(body)


def test_the_form_refusal_names_the_file_not_the_path(base: str) -> None:
    fields = {"case.on": "2027-02-01", "停放时长": "30", "case.reading:每日": "自然日"}
    status, page = _page(base, "POST", fields)
    assert "parking.policy:" in page, status
    assert str(REPO) not in page and "/fixtures/" not in page


def test_the_api_still_answers_32_for_30_hours(base: str) -> None:
    status, body = post_json(base, "/v1/policies/parking/evaluate", CASE)
    assert status == 200, body
    (rule,) = [r for r in body["results"] if r["rule"] == "停车费"]
    assert Decimal(rule["amount"]["value"]) == Decimal(32)
    assert Decimal(rule["uncapped"]["value"]) == Decimal(60)  # 30 × 2元 before the caps
    assert all(r["rule"] != "计费时长" for r in body["results"])  # a define, not announced


def test_the_site_shows_the_reading_beside_the_daily_cap() -> None:
    from policyc.compiler.docs import render_docs

    page = render_docs([check_policy(FIXTURE / "parking.policy")])["docs/parking.md"]
    rule = page.index("{#rule-停车费}")
    assert '!!! note "读法：[每日](#reading-每日)"' in page[rule:]
    assert "**依据此读法的规则**：[停车费](#rule-停车费)" in page


def test_the_billed_hours_are_not_announced_for_the_whole_stay() -> None:
    policy = compile_policy(FIXTURE / "parking.policy")
    results = policy.evaluate({"停放时长": Quantity.of("30", "小时")}, date(2027, 2, 1))
    # a define: worked per day (24 小时, 6 小时), not announced as 30小时 as a decide was
    assert [r.info.name for r in results] == ["停车费"]
