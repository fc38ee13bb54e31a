"""Lint (compiler/lint.py): each check has a failing fixture under fixtures/lint with the exact
warnings it must produce (`NAME.err`, written by hand from the rule) and a passing one
(`NAME-ok.policy`); folder checks have a folder each, with `expected.err`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import Diagnostic, Severity
from policyc.compiler.lint import lint
from policyc.compiler.lint_document import number_value
from policyc.compiler.lint_units import lint_folder
from policyc.compiler.pipeline import check_policy
from tests.conftest import REPO, PolicyFactory

LINT = Path(__file__).parent / "fixtures" / "lint"
# The factory's clause quotes 对服装电商企业: a rule placed there for another check tests it, so
# that `applies-to-every-case` (a rule granting to every case) does not fire beside that check.
ELIGIBLE = 'input 是电商: bool "申请人是否为服装电商企业"'
COND = "when 是电商"
FAILING = sorted(
    p for p in LINT.glob("*.policy") if p.name != "units.policy" and not p.stem.endswith("-ok")
)
PASSING = sorted(LINT.glob("*-ok.policy"))
FOLDERS = sorted(p for p in LINT.iterdir() if p.is_dir() and not p.name.endswith("-ok"))
OK_FOLDERS = sorted(p for p in LINT.iterdir() if p.is_dir() and p.name.endswith("-ok"))


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in `folder`, so that messages name files as `policyc check NAME` would."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)


def rendered(diagnostics: list[Diagnostic]) -> str:
    return "".join(
        d.render(Path(d.span.file).read_text(encoding="utf-8")) + "\n" for d in diagnostics
    )


def checked_here(name: str) -> CheckedPolicy:
    policy = check_policy(Path(name))
    assert [w for w in policy.warnings if w.severity is Severity.WARNING] == [], name
    return policy


@pytest.mark.parametrize("policy", FAILING, ids=[p.stem for p in FAILING])
def test_lint_prints_the_expected_warnings(policy: Path):
    with inside(LINT):
        found = lint(checked_here(policy.name))
        assert all(d.severity is Severity.WARNING for d in found)
        assert rendered(found) == policy.with_suffix(".err").read_text(encoding="utf-8")


@pytest.mark.parametrize("policy", PASSING, ids=[p.stem for p in PASSING])
def test_the_passing_example_has_no_warning(policy: Path):
    with inside(LINT):
        assert lint(checked_here(policy.name)) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_lint_folder_prints_the_expected_warnings(folder: Path):
    with inside(folder):
        policies = [checked_here(p.name) for p in sorted(Path().glob("[!u]*.policy"))]
        assert [lint(p) for p in policies] == [[] for _ in policies]
        assert rendered(lint_folder(policies)) == (folder / "expected.err").read_text(
            encoding="utf-8"
        )


@pytest.mark.parametrize("folder", OK_FOLDERS, ids=[p.name for p in OK_FOLDERS])
def test_the_passing_folder_has_no_warning(folder: Path):
    with inside(folder):
        policies = [checked_here(p.name) for p in sorted(Path().glob("[!u]*.policy"))]
        assert lint_folder(policies) == []


def test_every_failing_example_has_its_expected_output_and_a_passing_twin():
    assert len(FAILING) >= 17
    for policy in FAILING:
        assert policy.with_suffix(".err").exists(), policy
        assert policy.with_name(f"{policy.stem}-ok.policy").exists(), policy
    for folder in FOLDERS:
        assert (folder / "expected.err").exists(), folder
        assert folder.with_name(f"{folder.name}-ok").is_dir(), folder


def test_the_shipped_policy_is_clean():
    policy = check_policy(REPO / "policies" / "tzf-2023-1.policy")
    assert lint(policy) == []


def test_the_check_and_mini_fixtures_lint_without_error():
    """Every policy the repo ships that checks also lints (lint never raises)."""
    for path in sorted((REPO / "tests" / "fixtures").rglob("*.policy")):
        try:
            policy = check_policy(path)
        except Exception:
            continue
        lint(policy)


# ---- checks without a golden file: the message, and the quiet cases that must stay quiet ----


def messages(policies: PolicyFactory, rules: str, declarations: str = "") -> list[str]:
    return [d.message for d in lint(policies.compile(rules, declarations).checked)]


def test_an_if_condition_that_never_holds(policies: PolicyFactory):
    found = messages(
        policies,
        "rule r { amount if 员工人数 超过 200 人 and 员工人数 不满 100 人 then 1 元 else 2 元 }",
        "input 员工人数: 人",
    )
    assert found == [
        "this `if` condition can never hold: `员工人数 超过 200 人` and `员工人数 不满 100 人` "
        "cannot both hold"
    ]


def test_a_boolean_and_its_negation(policies: PolicyFactory):
    found = messages(
        policies, "rule r { when 天门籍 and not 天门籍 amount 1 元 }", "input 天门籍: bool"
    )
    assert found == ["rule `r` can never apply: `天门籍` and `not 天门籍` cannot both hold"]


def test_a_comparison_of_literals_that_is_false(policies: PolicyFactory):
    found = messages(policies, "rule r { when 40 人 不少于 50 人 amount 1 元 }")
    assert found == ["rule `r` can never apply: `40 人 不少于 50 人` never holds"]


def test_a_define_that_never_holds_and_a_rule_through_it(policies: PolicyFactory):
    declarations = (
        "enum 类型 { 甲, 乙, 丙 }\ninput 申请人类型: 类型\n"
        'define 甲乙 = 申请人类型 in {甲, 乙} "甲或乙"\n'
        'define 不可能 = 申请人类型 is 甲 and 申请人类型 is 丙 "矛盾"\n'
    )
    found = messages(
        policies,
        "rule r { when 甲乙 when 申请人类型 is 丙 amount 1 元 }\n"
        "rule s { when 不可能 or 申请人类型 is 乙 amount 1 元 }",
        declarations,
    )
    assert found == [
        "`不可能` can never hold: `申请人类型 is 甲` and `申请人类型 is 丙` cannot both hold",
        "rule `r` can never apply: `申请人类型 in {甲, 乙}` and `申请人类型 is 丙` cannot both hold",
    ]


def test_a_general_define_narrowed_by_a_rule_is_not_a_dead_alternative(policies: PolicyFactory):
    declarations = (
        "enum 类型 { 甲, 乙, 丙 }\ninput 申请人类型: 类型\ninput 人数: 人\n"
        'define 合格 = 申请人类型 is 甲 or (申请人类型 is 乙 and 人数 不少于 5 人) "合格"\n'
    )
    assert (
        messages(policies, "rule r { when 合格 when 申请人类型 is 乙 amount 1 元 }", declarations)
        == []
    )


def test_the_same_non_literal_threshold_twice(policies: PolicyFactory):
    found = messages(
        policies,
        "rule r { amount tiers 销售 highest { 达到 以往: 1 万元, 达到 以往: 2 万元 } }",
        "input 销售: 元\ninput 以往: 元",
    )
    assert found == ["this row has the same threshold as row 1 (`以往`)"]


def test_equal_tier_amounts_in_highest_mode(policies: PolicyFactory):
    found = messages(
        policies,
        "rule r { amount tiers 销售 highest_new since 以往 { 达到 1 万元: 5 元, 达到 2 万元: 5 元 } }",
        "input 销售: 元\ninput 以往: 元",
    )
    assert found == [
        "tier amounts run the wrong way: `达到 2 万元` pays `5 元`, the same as `5 元` for "
        "`达到 1 万元` below it; in `highest_new` mode a higher row pays more"
    ]


def test_descending_amounts_are_fine_when_each_row_adds(policies: PolicyFactory):
    rules = "rule r { amount tiers 销售 each { 达到 1 万元: 5 元, 达到 2 万元: 3 元 } }"
    assert messages(policies, rules, "input 销售: 元") == []


def test_a_cap_below_a_tier_row(policies: PolicyFactory):
    rules = "rule r { amount tiers 销售 highest { 达到 1 万元: 5 万元, 达到 2 万元: 50 万元 } cap 30 万元 }"
    assert messages(policies, rules, "input 销售: 元") == [
        "the cap `30 万元` is below the amount `50 万元`: every case that pays is capped"
    ]


def test_a_per_month_rate_times_years_converts_and_is_not_a_warning(policies: PolicyFactory):
    """Decided (see lint.py): 元/月 × 年 is exact arithmetic, not a mistake."""
    rules = "rule r { amount 200 元/月/间 × 间数 × 年数 }"
    policy = policies.compile(rules, "input 间数: 间\ninput 年数: 年")
    assert lint(policy.checked) == []
    from datetime import date

    from policyc.runtime.quantity import Quantity

    [result] = policy.evaluate(
        {"间数": Quantity.of(2, "间"), "年数": Quantity.of(1, "年")}, date(2023, 6, 1)
    )
    assert result.amount == Quantity.of(4800, "元")


def test_a_zero_length_validity(policies: PolicyFactory):
    from tests.conftest import HEADER

    path = policies.write(
        policies.clause(f"rule r {{ {COND} amount 1 元 }}", ELIGIBLE),
        header=HEADER.replace("for 3 年", "for 0 年"),
    )
    found = [d.message for d in lint(check_policy(path))]
    assert found == ["a validity of zero length: the policy is never in force"]


def test_a_reading_named_by_the_header_counting_is_used(policies: PolicyFactory):
    declarations = (
        'reading 起算 documentary { question "q" option from_start_day "a" option from_next_day "b" '
        'take from_start_day because "c" }\n' + ELIGIBLE
    )
    assert messages(policies, f"rule r {{ {COND} amount 1 元 }}", declarations) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十七", 17), ("二十", 20), ("二十一", 21), ("一百二十", 120),
     ("120", 120), ("甲", None), ("一一", None), ("", None)],
)  # fmt: skip
def test_number_value(text: str, value: int | None):
    assert number_value(text) == value


def test_a_reading_mentioned_in_a_note_is_used(policies: PolicyFactory):
    declarations = (
        'reading 口罩 documentary { question "q" option 仅口罩 "a" option 全部 "b" '
        'take 仅口罩 because "c" }\n' + ELIGIBLE
    )
    rules = f'rule r {{ {COND} amount 1 元 note "见解读 口罩" }}'
    assert messages(policies, rules, declarations) == []
    rules = f'rule r {{ {COND} amount 1 元 note "见解读 口罩罩" }}'
    assert [m.split(":")[0] for m in messages(policies, rules, declarations)] == [
        "reading `口罩` is declared but nothing uses it"
    ]


def test_lint_of_a_clause_of_many_rules(policies: PolicyFactory):
    # How its cost grows with the rules is a figure, not a timed test:
    # benchmarks/scaling_lint.py prints it at 300, 3,000 and 30,000 rules.
    rules = "\n".join(
        f"rule r{i} {{ when x 不少于 {i} 人 and x 不满 {i + 1} 人 amount 1 元 }}"
        for i in range(3000)
    )
    policy = check_policy(policies.write(policies.clause(rules, "input x: 人")))
    assert lint(policy) == []  # each range ends where the next begins, one word in, one out


def test_ranges_of_rules_for_different_applicants_do_not_meet(policies: PolicyFactory):
    declarations = "enum 类型 { 甲, 乙 }\ninput 申请人类型: 类型\ninput 时长: 月"
    rules = (
        "rule a { when 申请人类型 is 甲 and 时长 不满 12 月 amount 1 元 }\n"
        "rule b { when 申请人类型 is 乙 and 时长 超过 12 月 amount 2 元 }"
    )
    assert messages(policies, rules, declarations) == []
    same = rules.replace("is 乙", "is 甲")
    assert len(messages(policies, same, declarations)) == 1


def test_a_new_project_with_the_whole_registry_passes_strict(tmp_path: Path):
    """What a newcomer met: units.policy copied into a new project, one policy naming two of
    its 95 units. The registry's other units are not unused (no warning floods `--strict`);
    a unit the policy declares itself and nothing names still is."""
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).parent.parent
    (tmp_path / "policies").mkdir()
    shutil.copy(repo / "policies" / "units.policy", tmp_path / "policies")
    text = (LINT / "folder-unused-unit" / "a.policy").read_text(encoding="utf-8")
    (tmp_path / "policies" / "a.policy").write_text(text, encoding="utf-8")
    source = (LINT / "folder-unused-unit" / "source.txt").read_text(encoding="utf-8")
    (tmp_path / "policies" / "source.txt").write_text(source, encoding="utf-8")

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "policyc", "check", "--strict", "policies/"],
            capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False,
        )  # fmt: skip

    done = check()
    assert done.returncode == 2
    assert done.stderr.count("warning[unused-unit]") == 1
    assert "unit `市统计局` is declared by a policy" in done.stderr
    (tmp_path / "policies" / "a.policy").write_text(
        text.replace(
            'unit 市统计局 "天门市统计局"  # declared here, named by no policy: unused\n', ""
        ),
        encoding="utf-8",
    )
    done = check()
    assert done.returncode == 0, done.stderr
    assert "unused-unit" not in done.stderr
