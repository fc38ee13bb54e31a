"""Why a policy is not in force on a day, in the answer's words: not yet in force (尚未施行, from
which day) or no longer (已失效, from which day) — never the bare "未生效或已失效" that leaves
the case worker to work out which from the validity line."""

from __future__ import annotations

from datetime import date, timedelta

from policyc.runtime.dates import written_day as written


def out_of_force_state(day: date, valid_from: date | None, valid_until: date | None) -> str:
    """`尚未施行（自2026年4月1日起施行）` for a `day` before `valid_from`; `已失效（2031年1月1日起
    失效）` for one after `valid_until` (inclusive: 有效期至2030年12月31日 lapses the day after);
    "" for a day within both (or bounds not given)."""
    if valid_from is not None and day < valid_from:
        return f"尚未施行（自{written(valid_from)}起施行）"
    if valid_until is not None and day > valid_until:
        return f"已失效（{written(valid_until + timedelta(days=1))}起失效）"
    return ""


def out_of_force_reason(
    which: str, day: date, valid_from: date | None, valid_until: date | None
) -> str:
    """A rule's reason on a day the policy is not in force: `政策在 2026-03-31 不在有效期内：尚未
    施行（自2026年4月1日起施行）`; `which` is how the day is named (`2026-03-31`, or `出院日期
    2026-03-31` for a rule judged on an input's date)."""
    state = out_of_force_state(day, valid_from, valid_until)
    return f"政策在 {which} 不在有效期内" + (f"：{state}" if state else "")
