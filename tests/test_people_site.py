"""What the citizen reads of a rule paid per period or per member, and the period line of
`run --explain`/`--all` (issue 12 leftovers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler import nodes as n
from policyc.compiler.pipeline import compile_policy
from policyc.compiler.site.people_view import amount_words, example_note

FIXTURE = Path(__file__).parent / "fixtures" / "county-household"
POLICY = FIXTURE / "county-household.policy"


def test_the_citizen_reads_whom_and_which_period_beside_the_amount() -> None:
    from policyc.compiler.site.assemble import render_docs

    page = render_docs([compile_policy(POLICY).checked])["docs/county-household.md"]
    assert "- **能得多少**：每位子女每月 200元\n" in page  # 第二条: 按每人每月200元
    assert "- **能得多少**：每位家庭成员每月 100元\n" in page  # 第三条
    assert "- **能得多少**：每年 500元\n" in page  # 第四条: 按年发放取暖补贴500元


def rule(each: str | None, period: str | None) -> n.Rule:
    name = n.Name("甲")
    return n.Rule(
        name,
        each=n.Name(each) if each else None,
        period=n.Name(period) if period else None,
    )


@pytest.mark.parametrize(
    ("each", "period", "words", "note"),
    [
        ("子女", "月", "每位子女每月", "（本例各位子女合计，每月）"),
        ("members", "月", "每位家庭成员每月", "（本例各位家庭成员合计，每月）"),
        (None, "年", "每年", "（每年）"),
        ("子女", None, "每位子女", "（本例各位子女合计）"),
        (None, None, "", ""),
    ],
)
def test_amount_words_and_the_worked_examples_note(
    each: str | None, period: str | None, words: str, note: str
) -> None:
    assert amount_words(rule(each, period)) == words
    assert example_note(rule(each, period)) == note


@pytest.mark.parametrize("flag", ["--explain", "--all"])
def test_the_full_listing_names_the_period_evaluated(flag: str) -> None:
    case = FIXTURE / "cases" / "06-heating-year-36000.yaml"  # period: 2026
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "run", str(POLICY), "--case", str(case), flag],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[1] == "评估期间 2026"
    if flag == "--explain":  # a monthly rule in a year's case: each of its twelve months named
        assert sum(1 for line in lines if line.strip().startswith("· 期间 2026-")) >= 12
        assert "        · 期间 2026-12  [county-household.policy 第26行]" in lines


def test_a_member_input_with_a_default_says_its_default(tmp_path: Path) -> None:
    """A member's missing value with a declared default is that default, not "无法判定" (a
    newcomer's 自付费用 `per member default 0 元` was described as leaving rules undetermined)."""
    import shutil

    from policyc.compiler.site.assemble import render_docs

    for name in ("source.txt", "units.policy"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    text = POLICY.read_text(encoding="utf-8").replace(
        'input 月收入: 元 per member per 月 flow "成员当月的收入"',
        'input 月收入: 元 per member per 月 flow default 0 元 "成员当月的收入"',
    )
    (tmp_path / "p.policy").write_text(text, encoding="utf-8")
    page = render_docs([compile_policy(tmp_path / "p.policy").checked])["docs/p.md"]
    income = next(line for line in page.splitlines() if line.startswith("| 月收入 |"))
    assert "按成员填写（默认 0元）" in income, income
    birth = next(line for line in page.splitlines() if line.startswith("| 出生日期 |"))
    assert "按成员填写（未填时相关规则为“无法判定”）" in birth, birth
