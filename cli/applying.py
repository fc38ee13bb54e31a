"""A rule's applicant deadline (`apply 申请日期 by …`, runtime/applications.py) as the answer and
its JSON say it."""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.runtime.applications import Applying
    from policyc.runtime.results import RuleResult


def applying_lines(r: RuleResult) -> list[str]:
    """The answer's lines under a rule with an applicant deadline:
    `申请截止: 2026-03-10（含当日）`,
    `申请截止: 2026-02-24（2026年2月15日为春节假期，顺延至2月24日）` and, when the case says
    when it applied, `申请日期: 2026-02-20，按期申请`; while the day waits on an input,
    `申请截止: …，需要输入 事故发生日期`; when 顺延 reaches a day the calendar does not know,
    `申请截止: 2027-01-30，遇节假日顺延（该日是否为节假日，工作日历尚未收录）`. None without a
    deadline."""
    applying: Applying | None = r.applying
    if applying is None:
        return []
    if applying.day is None:
        return [f"      申请截止: {r.info.applying}，需要输入 {'、'.join(applying.waits)}"]
    if applying.unknown:  # the words carry their own （…）
        lines = [f"      申请截止: {applying.day.isoformat()}，{applying.moved}"]
    else:
        lines = [f"      申请截止: {applying.day.isoformat()}（{applying.moved or '含当日'}）"]
    if applying.applied is not None:
        judged = "按期申请" if applying.in_time else "逾期申请"
        lines.append(f"      申请日期: {applying.applied.isoformat()}，{judged}")
    return lines


def applying_json(applying: Applying) -> dict[str, Any]:
    """A result's "apply_by": {"deadline": "YYYY-MM-DD" | null (waiting on "waits"), "postponed":
    {"from", "reason"} when 顺延 moved it (and "unknown": true when it reached a day the calendar
    does not know: "deadline" is then the earliest the day can be), "applied": "YYYY-MM-DD" |
    null, "in_time": bool | null (not judged: no application date, or no deadline yet)}."""
    shown: dict[str, Any] = {"deadline": applying.day.isoformat() if applying.day else None}
    if applying.day is None:
        shown["waits"] = list(applying.waits)
    if applying.moved and applying.nominal is not None:
        shown["postponed"] = {"from": applying.nominal.isoformat(), "reason": applying.moved}
        if applying.unknown:
            shown["postponed"]["unknown"] = True
    shown["applied"] = applying.applied.isoformat() if applying.applied else None
    shown["in_time"] = applying.in_time
    return shown
