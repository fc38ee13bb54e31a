"""What the eighth newcomer met (就业困难人员补贴办法): hints that pointed the wrong way (`周岁` →
`周`, `÷` with no hint, `cap … per 人` told to use a group on a rule paying one founder), the
site's `每创业人员` and `封顶后` on a rule with no cap, `policyc test mine/`, and `fmt` keeping an
`if … then …` line 121 columns wide."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import display_width, format_text
from policyc.compiler.render import each_scope
from tests.conftest import PolicyFactory


def _refusal(policies: PolicyFactory, rules: str, declarations: str = "") -> str:
    with pytest.raises(PolicyError) as raised:
        policies.compile(rules, declarations)
    return str(raised.value)


def policyc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip


# ---- 周岁: an age is years between two dates, never 周 (weeks) ----


@pytest.mark.parametrize("word", ["周岁", "岁"])
def test_an_age_in_years_points_to_years_between(policies: PolicyFactory, word: str) -> None:
    message = _refusal(
        policies,
        f"rule r {{ when years_between(出生日期, on_date()) 满 40 {word} amount 1 元 }}",
        'input 出生日期: date "出生日期"',
    )
    assert f"unknown measure `{word}`" in message
    assert "years_between(出生日期, 认定日期) 满 40 年" in message
    assert "did you mean `周`" not in message


def test_weeks_are_still_a_measure(policies: PolicyFactory) -> None:
    # The other side: 周 itself is known, and `满 40 年` is accepted.
    policies.compile(
        "rule r { when years_between(出生日期, on_date()) 满 40 年 amount 1 元 }",
        'input 出生日期: date "出生日期"',
    )


# ---- ÷: the sign `run` prints for divide ----


@pytest.mark.parametrize("sign", ["÷", "／"])
def test_a_division_sign_points_to_divide(policies: PolicyFactory, sign: str) -> None:
    message = _refusal(policies, f"rule r {{ amount 2 × 缴费 {sign} 3 }}", 'input 缴费: 元 "缴费"')
    assert f"unexpected character `{sign}`" in message
    assert "divide(A, B, 分, half_up)" in message


# ---- cap … per 人 on a rule paying one beneficiary ----

PEOPLE = 'input 带动就业人数: 人 "吸纳就业的人数"'


def test_a_cap_per_person_offers_the_rules_beneficiary(policies: PolicyFactory) -> None:
    message = _refusal(
        policies,
        "rule r { beneficiary 创业人员 amount 1000 元/人 × 带动就业人数 cap 2 万元 per 人 }",
        PEOPLE,
    )
    assert "expected `per 创业人员`, the rule's beneficiary" in message
    # and `per 创业人员` is accepted: one case pays one 创业人员.
    policies.compile(
        "rule r { beneficiary 创业人员 amount 1000 元/人 × 带动就业人数 cap 2 万元 per 创业人员 }",
        PEOPLE,
    )


def test_without_a_beneficiary_the_hint_is_a_group(policies: PolicyFactory) -> None:
    message = _refusal(
        policies, "rule r { amount 1000 元/人 × 带动就业人数 cap 2 万元 per 人 }", PEOPLE
    )
    assert "a rule `each ROLE` whose members are the 人" in message
    assert "the rule's beneficiary" not in message


@pytest.mark.parametrize(
    ("word", "words"),
    [
        ("创业人员", "每名创业人员"),
        ("灵活就业人员", "每名灵活就业人员"),
        ("用人单位", "每家用人单位"),
        ("人", "每人"),
        ("月", "每月"),
        ("户", "每户"),
        ("企业", "每企业"),
        ("台", "每台"),
    ],
)
def test_each_scope_says_a_persons_label_with_its_measure_word(word: str, words: str) -> None:
    assert each_scope(word) == words


# ---- the site: 每名创业人员, and 封顶后 only after a cap ----


def test_the_site_says_each_founder_and_rounds_after_a_cap_only_where_there_is_one(
    policies: PolicyFactory, tmp_path: Path
) -> None:
    rules = (
        "rule 创业补贴 { beneficiary 创业人员 amount 1000 元/人 × 带动就业人数"
        " cap 2 万元 per 创业人员 }\n"
        "rule 单位补贴 { beneficiary 用人单位 amount 缴费合计 - 个人部分 }\n"
    )
    declarations = (
        PEOPLE + '\ninput 缴费合计: 元 "合计"\ninput 个人部分: 元 "个人"\n'
        'rounding to 分 half_up because "到分"\n'
    )
    policies.write(policies.clause(rules, declarations))
    done = policyc("docs", "p.policy", "--out", "site", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.md"))
    founder = page[page.index("规则：创业补贴") : page.index("规则：单位补贴")]
    assert "每名创业人员最高2万元" in founder and "每创业人员" not in founder
    assert "封顶后按四舍五入保留到分" in founder
    unit = page[page.index("规则：单位补贴") :][:3000]
    assert "按四舍五入保留到分" in unit and "封顶后" not in unit


# ---- `policyc test mine/`: a folder of a drafter's own policies ----


def test_a_drafters_folder_is_tested_as_a_project(policies: PolicyFactory, tmp_path: Path) -> None:
    mine = tmp_path
    policies.write(policies.clause("rule 补贴 { amount 2 元/件 × 件数 }", 'input 件数: 件 "件数"'))
    (mine / "examples" / "p").mkdir(parents=True)
    # 3件 × 2元 = 6元, worked by hand.
    (mine / "examples" / "p" / "one.yaml").write_text(
        "on: 2023-06-30\ninputs:\n  件数: 3\nexpect:\n  补贴: {status: applies, amount: 6元}\n",
        encoding="utf-8",
    )
    done = policyc("test", mine.name, cwd=mine.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 0 failed" in done.stdout
    assert "is a folder" not in done.stderr


# ---- fmt: a line wide in columns breaks before `then` when nothing else is left ----


def test_fmt_breaks_a_too_wide_if_before_then() -> None:
    text = (
        "define 可延长至退休 = (if reading 退休延长判断时点 is 补贴起始时 then "
        "years_between(补贴起始日期, 法定退休日期) 不足 5 年 else "
        "years_between(补贴起始日期, 法定退休日期) 不足 8 年) and on_date() < 法定退休日期 "
        '"距法定退休年龄不足5年的，可延长至退休"\n'
    )
    formatted = format_text(text)
    assert all(display_width(line) <= 100 for line in formatted.splitlines())
    assert any(line.lstrip().startswith("then years_between") for line in formatted.splitlines())
    assert format_text(formatted) == formatted


def test_fmt_keeps_an_if_that_fits_on_its_line() -> None:
    text = 'define 计入人数 = if 含本人 then 带动就业人数 + 1 人 else 带动就业人数 "计入人数"\n'
    assert format_text(text) == text
