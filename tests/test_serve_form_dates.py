"""A new form's evaluation date is today's; when today lies outside the policy's validity the form
says so before the case worker fills it in (a water-price notice in force from next year showed
today's date and answered 未施行 for every rule without a word: seventh newcomer)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")

from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.serve.web import _out_of_force
from tests.serve_helpers import request, running_server

ROOT = Path(__file__).resolve().parent.parent
# tzf-2023-1: `valid from 2023-01-06 for 3 年 … counting from_start_day`: in force 2023-01-06 to
# 2026-01-05 (three years counted from the first day), by hand.
TEXTILE = ROOT / "policies" / "tzf-2023-1.policy"


@pytest.fixture(scope="module")
def textile() -> CompiledPolicy:
    return compile_policy(TEXTILE)


def test_a_day_before_the_first_day_is_named(textile: CompiledPolicy) -> None:
    notice = _out_of_force(textile, date(2023, 1, 5))
    assert "takes effect on 2023-01-06" in notice
    assert "2023-01-05" in notice


@pytest.mark.parametrize("day", [date(2023, 1, 6), date(2024, 6, 1), date(2026, 1, 5)])
def test_a_day_in_force_has_no_notice(textile: CompiledPolicy, day: date) -> None:
    assert _out_of_force(textile, day) == ""


def test_a_day_after_the_last_day_is_named(textile: CompiledPolicy) -> None:
    notice = _out_of_force(textile, date(2026, 1, 6))
    assert "in force until 2026-01-05" in notice


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(str(TEXTILE)) as url:
        yield url


def test_the_new_form_says_today_is_out_of_force(server: str) -> None:
    # Today is after 2026-01-05 from 2026-01-06 on: the notice is on the page, in Chinese.
    assert date.today() > date(2026, 1, 5)
    status, _, body = request(server, "GET", "/policies/tzf-2023-1")
    page = body.decode("utf-8")
    assert status == 200
    notice = page.split('<p class="notice" role="status">', 1)[1].split("</p>", 1)[0]
    assert "2026-01-05" in notice  # in the server's language (English under the tests' LANGUAGE)
    assert date.today().isoformat() in notice
