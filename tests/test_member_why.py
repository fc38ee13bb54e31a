"""`run`'s answer under 为何不适用 for a rule over a household's members (`any (老年人 where
符合条件)`): one line per member left out, with the condition it failed, as the web form's
result page gives them (cli/member_why.py).

The policy is tests/fixtures/elder-care (第一条: 本区户籍、申请之日年满60周岁、家庭人均月收入
低于1200元 → 每人每月300元, at most 500元 a household)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main

POLICY = Path(__file__).parent / "fixtures/elder-care/elder-care.policy"


def answer(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    *members: Any,
    income: int = 1000,
    options: tuple[str, ...] = (),
) -> str:
    """`run`'s default answer for April 2027, 家庭人均月收入 `income` 元/人, `members` as
    (name, 本区户籍, 出生日期), each applying on 2027-02-28."""
    case = {
        "policy": "某民发〔2027〕1号",
        "on": "2027-04-30",
        "period": "2027-04",
        "inputs": {"家庭人均月收入": income},
        "members": {
            name: {
                "role": "老年人",
                "inputs": {"本区户籍": local, "出生日期": born, "申请日期": "2027-02-28"},
            }
            for name, local, born in members
        },
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), "utf-8")
    code = main(["run", str(POLICY), "--case", str(path), *options])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_each_member_left_out_is_named_with_what_it_failed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 张大爷 is not 本区户籍 (a yes/no read bare: the trace names it as the failing part of the
    # member's `and`, runtime/evaluation.py all_shown);
    # 李大妈, born 1967-03-01, is 59 on 2027-02-28: 不满60.
    out = answer(capsys, tmp_path, ("张大爷", False, "1950-01-01"), ("李大妈", True, "1967-03-01"))
    why = out.partition("为何不适用\n")[2].split("\n\n")[0].splitlines()
    assert why[0].startswith("  ✘ 养老服务补贴 — 条件不成立: ")
    assert why[1:] == [
        "      · 张大爷（老年人）: 本区户籍 → 不成立",
        "      · 李大妈（老年人）: 自出生日期至申请日期的周年数 满60年（含本数）: 59年 对 60年"
        " → 不成立",
    ]


def test_a_member_turning_60_on_the_day_is_counted_and_not_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Born 1967-02-28: 满60 on 2027-02-28 (含本数): 300元 a month; 张大爷 is not said to fail,
    # as the rule applies.
    out = answer(capsys, tmp_path, ("张大爷", False, "1950-01-01"), ("李大妈", True, "1967-02-28"))
    assert "✔ 养老服务补贴 — 适用: 300元（每月）" in out
    assert "张大爷（老年人）: " not in out


def test_an_income_at_1200_fails_before_any_member_is_looked_at(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 1200元/人 is not 低于1200元: the rule fails on the income; its members are not read
    # (no member line), and the part of its 且 that failed is named under the cut reason.
    out = answer(capsys, tmp_path, ("张大爷", False, "1950-01-01"), income=1200)
    why = out.partition("为何不适用\n")[2].split("\n\n")[0].splitlines()
    assert why[0].startswith("  ✘ 养老服务补贴 — 条件不成立: 家庭人均月收入")
    assert why[1:] == [
        "      · 家庭人均月收入 低于1200元/人（不含本数）: 1200元/人 对 1200元/人 → 不成立"
    ]


def test_an_income_just_below_1200_pays(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = answer(capsys, tmp_path, ("张大爷", True, "1950-01-01"), income=1199)
    assert "✔ 养老服务补贴 — 适用: 300元（每月）" in out


@pytest.mark.parametrize("options", [("--all",), ("--only", "不适用")])
def test_the_full_listing_says_it_under_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, options: tuple[str, ...]
) -> None:
    out = answer(
        capsys,
        tmp_path,
        ("张大爷", False, "1950-01-01"),
        ("李大妈", True, "1967-03-01"),
        options=options,
    )
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("      原因: 条件不成立"))
    assert lines[at + 1 : at + 3] == [
        "        · 张大爷（老年人）: 本区户籍 → 不成立",
        "        · 李大妈（老年人）: 自出生日期至申请日期的周年数 满60年（含本数）: 59年 对 60年"
        " → 不成立",
    ]


def test_explain_gives_the_steps_not_the_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = answer(capsys, tmp_path, ("李大妈", True, "1967-03-01"), options=("--explain",))
    assert "        · 成员 李大妈（老年人）" in out
    assert "· 李大妈（老年人）: " not in out
