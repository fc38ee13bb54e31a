"""`policyc test` of households (issue 12 leftovers): `expect:` per member, what is refused in it,
and the counts and words of the report in its language (Chinese by default, English under
LANGUAGE=en)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.testing import check_case

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
POLICY = FIXTURE / "county-household.policy"

# 2026-03-01 (the period's first day): 大女儿, born 2008-03-01, is 满18 that day, so not 未满18;
# 小儿子, born 2008-03-02, is 17: 200元 for him, 200元 for the rule. 王芳 is no 子女.
FAMILY = """period: 2026-03
members:
  王芳: {role: 申请人, inputs: {出生日期: 1980-05-01, 月收入: 5000}}
  大女儿: {role: 子女, inputs: {出生日期: 2008-03-01, 月收入: 0}}
  小儿子: {role: 子女, inputs: {出生日期: 2008-03-02, 月收入: 0}}
expect:
"""


@pytest.fixture(scope="module")
def county() -> CompiledPolicy:
    return compile_policy(POLICY)


def write(tmp_path: Path, expect: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(FAMILY + expect, encoding="utf-8")
    return path


def test_each_members_result_as_worked_out_passes(county: CompiledPolicy, tmp_path: Path) -> None:
    expect = (
        "  育儿补贴:\n    amount: 200 元\n    members:\n      大女儿: not_applicable\n"
        "      小儿子: {status: applies, amount: 200 元}\n"
    )
    assert check_case(county, write(tmp_path, expect)) == []


def test_a_members_neighbouring_amount_and_status_fail_naming_the_member(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    expect = "  育儿补贴:\n    members:\n      大女儿: applies\n      小儿子: {amount: 199.99 元}\n"
    found = check_case(county, write(tmp_path, expect))
    assert found[0].startswith("育儿补贴: 大女儿: status: expected applies, got not_applicable")
    assert found[1] == "育儿补贴: 小儿子: amount: expected 199.99元, got 200元"
    assert len(found) == 2


def test_an_unknown_member_gets_a_did_you_mean(county: CompiledPolicy, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        check_case(county, write(tmp_path, "  育儿补贴: {members: {小儿: applies}}\n"))
    assert "`小儿` is not a member of this case; did you mean `小儿子`?" in str(caught.value)


def test_a_member_the_rule_is_not_evaluated_for_is_refused(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as caught:
        check_case(county, write(tmp_path, "  育儿补贴: {members: {王芳: not_applicable}}\n"))
    assert "`王芳` is a member of the case, but `育儿补贴` is evaluated for 大女儿、小儿子" in str(
        caught.value
    )


def test_members_of_a_rule_not_paid_per_member_is_refused_at_its_place(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as caught:
        check_case(county, write(tmp_path, "  低保金: {members: {王芳: applies}}\n"))
    message = str(caught.value)
    assert ":7:9: `低保金` is not evaluated per member" in message


def test_an_unknown_rule_in_expect_gets_a_did_you_mean(
    county: CompiledPolicy, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as caught:
        check_case(county, write(tmp_path, "  育儿补助: applies\n"))
    assert "did you mean `育儿补贴`?" in str(caught.value)


def policyc_test(env_language: str | None, *paths: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LANG")}
    if env_language:
        env["LANGUAGE"] = env_language
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "test", str(POLICY), *map(str, paths)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    return done.stdout


def test_the_report_counts_in_chinese_by_default_with_the_run_reports_words(
    tmp_path: Path,
) -> None:
    failing = write(tmp_path, "  育儿补贴: {status: not_applicable, amount: 300 元}\n")
    text = policyc_test(None, failing, FIXTURE / "cases" / "05-aged-80.yaml")
    assert "育儿补贴: 状态: 应为 不适用，实为 适用" in text
    assert "育儿补贴: 金额: 应为 300元，实为 200元" in text
    assert text.rstrip().endswith(f"{POLICY}: 通过 1 个，不符 1 个")


def test_the_report_counts_in_english_under_language_en(tmp_path: Path) -> None:
    failing = write(tmp_path, "  育儿补贴: {status: not_applicable}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(FAMILY + "  育儿补贴: {members: {小儿: applies}}\n", encoding="utf-8")
    text = policyc_test("en", failing, bad)
    assert "育儿补贴: status: expected not_applicable, got applies" in text
    assert text.rstrip().endswith(f"{POLICY}: 0 passed, 1 failed, 1 case file in error")
