"""The serve form's header and the policy list write a policy's validity as `run`'s header and
the site do (run_view.period_text), not from the raw header: under the validity reading the form
chose, and from the issue date for a policy that writes no `valid from` (tidy9, item 1).

Dates worked by hand from the headers:
- tzf-2023-1 `valid from 2023-01-06 for 3 年 provisional counting from_start_day`, and
  `valid by reading 有效期起算`: from_start_day 2023-01-06 … 2026-01-05 (three years counted from
  the first day); from_next_day counts from 2023-01-07, so the last day is 2026-01-06; 公报日期
  counts from 2023-03-31, the last day 2026-03-30; each 暂定 (provisional).
- tzbf-2023-1 writes only `issued 2023-01-09`: in force from that day, no last day.
- a header with neither an issue date nor a validity: 有效期未规定.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")

from tests.conftest import PolicyFactory

ROOT = Path(__file__).resolve().parent.parent
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"
TASKS = ROOT / "policies" / "tzbf-2023-1.policy"


def client(*paths: Path) -> Any:
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    return TestClient(create_app(list(paths)))


def meta(page: str) -> str:
    """The form's header line under its title: issuer · validity."""
    found = re.search(r'<p class="meta">(.*?)</p>', page)
    assert found, page[:2000]
    return found[1]


@pytest.fixture(scope="module")
def textile() -> Any:
    return client(TEXTILE)


def test_the_new_form_says_the_declared_readings_validity(textile: Any) -> None:
    page = textile.get("/policies/tzf-2023-1")
    assert page.status_code == 200
    assert meta(page.text).endswith(" · 有效期 2023-01-06 至 2026-01-05（暂定）")


@pytest.mark.parametrize(
    ("option", "period"),
    [
        ("公报日期", "2023-03-31 至 2026-03-30（暂定）"),
        ("from_next_day", "2023-01-06 至 2026-01-06（暂定）"),
        ("from_start_day", "2023-01-06 至 2026-01-05（暂定）"),
    ],
)
def test_the_filled_form_says_the_validity_under_the_reading_it_chose(
    textile: Any, option: str, period: str
) -> None:
    fields = {"case.on": "2023-06-01", "case.reading:有效期起算": option}
    page = textile.post("/policies/tzf-2023-1", data=fields)
    assert meta(page.text).endswith(f" · 有效期 {period}")


def test_an_option_the_policy_lacks_leaves_the_declared_validity(textile: Any) -> None:
    fields = {"case.on": "2023-06-01", "case.reading:有效期起算": "发文次日"}
    page = textile.post("/policies/tzf-2023-1", data=fields)
    assert page.status_code == 422  # the case reader names the unknown option
    assert meta(page.text).endswith(" · 有效期 2023-01-06 至 2026-01-05（暂定）")


def test_a_policy_without_valid_from_is_in_force_from_its_issue_date() -> None:
    served = client(TASKS)
    form = served.get("/policies/tzbf-2023-1").text
    assert meta(form).endswith(" · 有效期 自发布之日 2023-01-09 起，终止日未规定")
    index = served.get("/").text
    assert "<td>自发布之日 2023-01-09 起，终止日未规定</td>" in index


def test_a_policy_with_neither_dates_nor_issue_date_says_not_set(tmp_path: Path) -> None:
    policies = PolicyFactory(tmp_path)
    path = policies.write(
        "",
        header='policy "测试〔2023〕2号" {\n    title "测试政策"\n'
        '    source "source.txt" lines 1 to 3\n    units from "units.policy"\n}\n',
    )
    served = client(path)
    assert meta(served.get("/policies/p").text).endswith(" · 有效期未规定")
    assert "<td>有效期未规定</td>" in served.get("/").text
