"""A day out of force says which side of the validity it lies on (the 大病保险 newcomer's
`不在有效期内：本政策在该日未生效或已失效`): 尚未施行 from the first day, or 已失效 from the day
after the last (有效期至 includes its day), in the run header, every rule's reason and the form.

Validity of the test policy (tests/conftest.py HEADER, as test_answer_words.py): 2023-01-06 to
2026-01-05 inclusive; the newcomer's 细则: 2026-04-01 to 2030-12-31.
"""

from __future__ import annotations

from datetime import date

import pytest

from policyc.runtime.validity_words import out_of_force_reason, out_of_force_state
from policyc.serve.web import _validity_state

FIRST, LAST = date(2026, 4, 1), date(2030, 12, 31)


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2026, 3, 31), "尚未施行（自2026年4月1日起施行）"),  # the day before the first
        (date(2026, 4, 1), ""),  # the first day: in force
        (date(2030, 12, 31), ""),  # the last day: in force (有效期至 includes it)
        (date(2031, 1, 1), "已失效（2031年1月1日起失效）"),  # the day after the last
        (date(2035, 6, 1), "已失效（2031年1月1日起失效）"),  # long after: the same day named
    ],
)
def test_each_side_of_the_validity(day: date, state: str) -> None:
    assert out_of_force_state(day, FIRST, LAST) == state


def test_an_open_end_never_lapses_and_an_unknown_start_is_never_early() -> None:
    assert out_of_force_state(date(2099, 1, 1), FIRST, None) == ""
    assert out_of_force_state(date(2000, 1, 1), None, LAST) == ""


def test_a_rule_judged_on_an_input_date_names_it() -> None:
    reason = out_of_force_reason("出院日期 2026-03-01", date(2026, 3, 1), FIRST, LAST)
    assert reason == "政策在 出院日期 2026-03-01 不在有效期内：尚未施行（自2026年4月1日起施行）"


def test_the_form_heading_reads_the_result_document() -> None:
    document = {"on": "2026-01-06", "valid_from": "2023-01-06", "valid_until": "2026-01-05"}
    assert _validity_state(document) == "已失效（2026年1月6日起失效）"
    assert _validity_state(document | {"on": "2023-01-05"}) == "尚未施行（自2023年1月6日起施行）"
    assert _validity_state(document | {"valid_until": None, "on": "2030-01-01"}) == ""
