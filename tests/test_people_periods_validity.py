"""A rule paid per month (`amount 200 元 per 月`) in a year's case, for a policy that takes effect
mid-year: each month is judged against the validity (a newcomer's whole-year case paid nothing
when the policy started on 04-01), and a policy whose only periodic thing is such a rule pays
each month of the year (it paid one month, and `--explain` failed with an internal error)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

POLICY = """\
policy "测〔2026〕3号" {{
    title "营养补助"
    valid from {start} until 2028-03-31
    source "source.txt" lines 1 to 1
}}
input 低保家庭: bool "是否低保家庭"
clause 一 "营养补助" {{
    quote "对低保家庭每月发放营养补助200元。"
    rule 营养补助 {{ kind 补助 when 低保家庭 amount 200 元 per 月 }}
}}
"""


def policyc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _answer(tmp_path: Path, start: str, period: str, *extra: str) -> dict[str, object]:
    (tmp_path / "source.txt").write_text("对低保家庭每月发放营养补助200元。\n", encoding="utf-8")
    (tmp_path / "p.policy").write_text(POLICY.format(start=start), encoding="utf-8")
    case = f"policy: 测〔2026〕3号\nperiod: {period}\ninputs: {{低保家庭: true}}\n"
    (tmp_path / "c.yaml").write_text(case, encoding="utf-8")
    done = policyc(tmp_path, "run", "p.policy", "--case", "c.yaml", "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)["results"]
    return dict(result)


@pytest.mark.parametrize("explain", [(), ("--explain",)])
@pytest.mark.parametrize(
    ("start", "period", "status", "amount"),
    [
        ("2026-04-01", "2026", "applies", "1800"),  # 2026-04 … 2026-12: 9 × 200元
        ("2025-04-01", "2026", "applies", "2400"),  # the whole year: 12 × 200元
        ("2026-04-01", "2026-03", "not_in_force", None),  # the day before it takes effect
        ("2026-04-01", "2026-04", "applies", "200"),  # its first month
    ],
)
def test_each_month_is_judged_against_the_validity(
    tmp_path: Path, start: str, period: str, status: str, amount: str | None, explain: tuple[str]
):
    result = _answer(tmp_path, start, period, *explain)
    assert result["status"] == status
    if amount is not None:
        assert Decimal(str(result["amount"]["value"])) == Decimal(amount)  # type: ignore[index]


def test_a_years_months_are_listed_with_the_ones_out_of_force(tmp_path: Path):
    result = _answer(tmp_path, "2026-04-01", "2026")
    periods = result["periods"]
    assert isinstance(periods, list) and len(periods) == 12
    statuses = [p["status"] for p in periods]
    assert statuses == ["not_applicable"] * 3 + ["applies"] * 9


@pytest.mark.parametrize(
    ("period", "state"),
    [
        ("2026", "该日不在有效期内，评估期间 2026 部分在有效期内"),  # 04–12 in force
        # no day of March; in force from 2026-04-01
        ("2026-03", "不在有效期内：本政策在该日尚未施行（自2026年4月1日起施行）"),
        ("2026-04", "在有效期内"),
    ],
)
def test_the_header_judges_the_period_too(tmp_path: Path, period: str, state: str):
    _answer(tmp_path, "2026-04-01", period)  # writes the policy and the case
    done = policyc(tmp_path, "run", "p.policy", "--case", "c.yaml")
    header = done.stdout.splitlines()[2]
    assert header.endswith(state) or f"· {state}" in header, header


def _document(tmp_path: Path, period: str, *extra: str) -> dict[str, object]:
    _answer(tmp_path, "2026-04-01", period)  # writes the policy and the case
    done = policyc(tmp_path, "run", "p.policy", "--case", "c.yaml", "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


# valid from 2026-04-01 until 2028-03-31, both days in force
@pytest.mark.parametrize(
    ("period", "date_in_force", "period_state"),
    [
        ("2026", False, "partly_in_force"),  # evaluated on 2026-01-01; April to December in force
        ("2026-03", False, "not_in_force"),  # no day of March 2026
        ("2026-04", True, "in_force"),  # its first month, whole
        ("2027", True, "in_force"),  # a whole year inside
        ("2028", True, "partly_in_force"),  # 2028-01-01 in force; January to March only
        ("2028-03", True, "in_force"),  # until 2028-03-31 includes the month's last day
        ("2028-04", False, "not_in_force"),  # the month after the last day
    ],
)
def test_the_json_judges_the_period_beside_the_date(
    tmp_path: Path, period: str, date_in_force: bool, period_state: str
):
    document = _document(tmp_path, period)
    assert document["period"] == period
    assert document["in_force"] is date_in_force
    assert document["period_in_force"] == period_state


def test_a_date_in_force_in_a_period_partly_in_force_says_both(tmp_path: Path):
    # 2026-06-01 is in force; the year 2026 is from April only.
    document = _document(tmp_path, "2026", "--on", "2026-06-01")
    assert document["in_force"] is True and document["period_in_force"] == "partly_in_force"
    done = policyc(tmp_path, "run", "p.policy", "--case", "c.yaml", "--on", "2026-06-01")
    header = done.stdout.splitlines()[2]
    assert "· 在有效期内；评估期间 2026 部分在有效期内" in header, header


def test_a_policy_without_periods_has_no_period_state(tmp_path: Path):
    source = POLICY.format(start="2026-04-01").replace(" per 月", "")
    (tmp_path / "source.txt").write_text("对低保家庭每月发放营养补助200元。\n", encoding="utf-8")
    (tmp_path / "p.policy").write_text(source, encoding="utf-8")
    case = "policy: 测〔2026〕3号\non: 2026-05-01\ninputs: {低保家庭: true}\n"
    (tmp_path / "c.yaml").write_text(case, encoding="utf-8")
    done = policyc(tmp_path, "run", "p.policy", "--case", "c.yaml", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["in_force"] is True
    assert "period" not in document and "period_in_force" not in document


def test_the_openapi_document_names_the_periods_states():
    from policyc.serve.openapi import openapi_document

    run = openapi_document()["components"]["schemas"]["Run"]["properties"]
    assert run["in_force"]["type"] == "boolean"
    assert run["period_in_force"]["enum"] == ["in_force", "partly_in_force", "not_in_force"]


@pytest.mark.parametrize(
    ("period", "said"),
    [
        ("2026", "评估日 2026-01-01；该日不在有效期内，评估期间 2026 部分在有效期内"),
        # which side, as run's header: in force from 2026-04-01
        (
            "2026-03",
            "评估日 2026-03-01；本政策在该日不在有效期内：尚未施行（自2026年4月1日起施行））",
        ),
        ("2026-04", "评估日 2026-04-01）"),
    ],
)
def test_the_web_form_says_the_periods_state_as_run_does(
    tmp_path: Path, period: str, said: str
) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    import urllib.parse

    from tests.serve_helpers import request, running_server

    _answer(tmp_path, "2026-04-01", period)  # writes the policy (valid from 2026-04-01)
    on = "2026-01-01" if period == "2026" else f"{period}-01"  # the period's first day
    fields = {"@on": on, "@period": period, "低保家庭": "是"}
    body = urllib.parse.urlencode(fields).encode()
    with running_server(str(tmp_path)) as base:
        status, _, page = request(
            base, "POST", "/policies/p", body, "application/x-www-form-urlencoded"
        )
    text = page.decode("utf-8")
    assert status == 200, text
    assert f"评估结果（{said}" in text, text[:2000]
