"""Number, measure and boundary word written together, as documents write them (`50人以上`,
`500万元及以上`, `不少于50人`): read exactly as the spaced form, on both sides of the number;
names keep their boundary words; what cannot be read is named at its own column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.parser import parse
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_boundaries import CASES

ON = date(2023, 6, 30)


def _rule(condition: str, amount: str = "1 元") -> str:
    return f'clause 一 "t" {{\n  quote "q"\n  rule r {{\n    when {condition}\n    amount {amount}\n  }}\n}}\n'


@pytest.mark.parametrize(("word", "after", "truth"), CASES, ids=[c[0] for c in CASES])
def test_every_boundary_word_written_together(
    policies: PolicyFactory, word: str, after: bool, truth: dict[int, bool]
):
    condition = f"员工人数 50人{word}" if after else f"员工人数 {word}50人"
    policy = policies.compile(f"rule r {{ when {condition} amount 1 元 }}", "input 员工人数: 人")
    for staff, holds in truth.items():
        (result,) = policy.evaluate({"员工人数": Quantity.of(staff, "人")}, ON)
        assert result.status == ("applies" if holds else "not_applicable"), (word, staff)


@pytest.mark.parametrize(
    ("glued", "spaced"),
    [
        ("x 50人以上", "x 50 人 以上"),
        ("x 50 人以上", "x 50 人 以上"),
        ("x 500万元及以上", "x 500 万元 及以上"),
        ("x 6个月以内", "x 6 个月 以内"),
        ("x 200元/人以下", "x 200 元/人 以下"),
        ("x 200元/人/月以外", "x 200 元/人/月 以外"),
        ("x 50%以上", "x 50 % 以上"),
        ("x 不超过50万元", "x 不超过 50 万元"),
        ("x 满6个月", "x 满 6 个月"),
        ("x>=50人", "x >= 50 人"),
    ],
)
def test_written_together_parses_as_written_apart(glued: str, spaced: str):
    assert parse(_rule(glued), "a.policy") == parse(_rule(spaced), "a.policy")


def test_tiers_and_targets_read_glued_thresholds():
    tiers = "tiers x highest {{ {a}: 1 元, {b}: 2 元 }}"
    glued = tiers.format(a="达到500万元", b="1000万元以上")
    spaced = tiers.format(a="达到 500 万元", b="1000 万元 以上")
    assert parse(_rule("true", glued), "a.policy") == parse(_rule("true", spaced), "a.policy")
    task = 'task 1 "t" {{ quote "q"\n target 产值 {t} }}\n'
    assert parse(task.format(t="500万元以上"), "a.policy") == parse(
        task.format(t="500 万元 以上"), "a.policy"
    )


def test_names_keep_their_boundary_words():
    """Only a measure's place splits: a name that holds a boundary word is one name."""
    text = "input 新签约亿元以上项目: 个\ninput 满1年人数: 人\n" + _rule("满1年人数 50人以上")
    policy = parse(text, "a.policy")
    assert [i.name.text for i in policy.inputs] == ["新签约亿元以上项目", "满1年人数"]


def test_the_formatter_writes_the_spaced_form():
    formatted = format_text(_rule("x 50人以上 and y 200元/人以内"), "a.policy")
    assert "when x 50 人 以上 and y 200 元/人 以内" in formatted


def _error(text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        parse(text, "a.policy")
    (diagnostic,) = caught.value.diagnostics
    span = diagnostic.span
    return f"{span.line}:{span.column}-{span.end_column} {diagnostic.message}"


def test_a_measure_that_runs_on_is_named_where_it_is_written():
    """`50人以上的` parses up to the next line's `amount`: the error names the word itself."""
    assert _error(_rule("x 50人以上的")) == (
        "4:12-18 `50人以上的` is not a number, a measure and a boundary word written together: "
        "write them as in `50人以上`, with nothing run on after the boundary word"
    )
    # The drafter's own number and measure, not an example's.
    assert _error(_rule("x 5人以上的")).endswith(
        "write them as in `5人以上`, with nothing run on after the boundary word"
    )


def test_a_division_with_a_slash_points_to_divide():
    """`a / b` is no expression (`/` joins measures, 元/人): the error says how to divide."""
    message = _error(_rule("x / y 低于 1 元/人"))
    assert message.startswith(
        "4:12-13 unexpected `/`: to divide, write `divide(A, B, 分, half_up)`"
    )


def test_two_boundary_words_on_one_number():
    message = _error(_rule("x 不少于50人以上"))
    assert message.startswith("4:18-20 unexpected `以上`: one boundary word to a number")


def test_a_name_run_into_its_number_says_how_to_write_it(policies: PolicyFactory):
    path = policies.write(
        policies.clause("rule r { when 员工人数50人以上 amount 1 元 }", "input 员工人数: 人")
    )
    from policyc.compiler.pipeline import check_policy

    with pytest.raises(PolicyError) as caught:
        check_policy(Path(path))
    messages = [d.message for d in caught.value.diagnostics]
    assert (
        "unknown name `员工人数50人以上`: a name and a condition written together; "
        "write `员工人数 50人以上`"
    ) in messages


def test_the_boundary_words_are_the_grammars():
    """The post-lexer and the hints know every boundary word the grammar has, no more."""
    from policyc.compiler.glued import PREFIX_BOUNDS, SUFFIX_BOUNDS
    from policyc.grammar import grammar_text

    grammar = grammar_text()
    prefix = grammar.split("!prefix_bound:")[1].split("!suffix_bound")[0]
    suffix = grammar.split("!suffix_bound:")[1].split("\n")[0]
    assert sorted(PREFIX_BOUNDS) == sorted(
        w.strip('" ') for w in prefix.replace("\n", "").split("|")
    )
    assert sorted(SUFFIX_BOUNDS) == sorted(w.strip('" ') for w in suffix.split("|"))
    assert [w for w in CASES_WORDS if w not in (*PREFIX_BOUNDS, *SUFFIX_BOUNDS)] == []


CASES_WORDS = [word for word, _, _ in CASES if word.isalpha()]
