"""What a newcomer met writing case files: a key written twice hid the file's other problems;
YAML 1.1 reads `on`, `yes`, `no`, `off` as booleans. Every problem of a file is reported at
once, and `on:` is the key the docs say."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.pipeline import check_policy
from policyc.problems import ProblemsError

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini() -> CheckedPolicy:
    return check_policy(MINI / "mini.policy")


def problems_of(tmp_path: Path, policy: CheckedPolicy, text: str, name: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as info:
        load_case(path, policy)
    return [f"{p.line}:{p.column} {p.message}" for p in info.value.problems]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "twice.yaml",
            "on: 2023-06-31\ninputs:\n  申请人类型: 物流企业\n  年发货量: 5\n  年发货量: 6\n"
            "  年发货数量: 7\nexpect:\n  不存在: {status: applies}\n",
        ),
        (
            "twice.json",
            '{"on": "2023-06-31",\n "inputs": {"申请人类型": "物流企业",\n  "年发货量": 5,'
            ' "年发货量": 6,\n  "年发货数量": 7},\n "expect": {"不存在": {"status": "applies"}}}',
        ),
    ],
)
def test_a_key_written_twice_is_one_problem_among_all_of_them(
    tmp_path: Path, mini: CheckedPolicy, name: str, text: str
):
    problems = problems_of(tmp_path, mini, text, name)
    assert len(problems) == 4, problems
    assert "`年发货量` is written twice" in problems[0]
    rest = " | ".join(problems[1:])
    assert "2023-06-31" in rest  # the date that does not exist
    assert "unknown input `年发货数量`" in rest
    assert "`不存在`" in rest


def test_the_first_value_of_a_key_written_twice_is_the_one_checked(
    tmp_path: Path, mini: CheckedPolicy
):
    """The second `年发货量` is the problem; the first is still checked like any value."""
    text = "inputs:\n  申请人类型: 物流企业\n  年发货量: 五\n  年发货量: 6\n"
    problems = problems_of(tmp_path, mini, text, "first.yaml")
    assert [p.split(" ", 1)[0] for p in problems] == ["4:3", "3:3"]
    assert "`年发货量` is written twice, first at 3:3" in problems[0]
    assert "input `年发货量`" in problems[1]


def test_a_clean_file_with_a_key_written_twice_still_says_so(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\n  申请人类型: 物流企业\n"
    problems = problems_of(tmp_path, mini, text, "clean.yaml")
    assert problems == [
        "3:3 `申请人类型` is written twice, first at 2:3 and again here; keep one "
        "(a case must not say two things about one field)"
    ]


# ---- YAML 1.1: `on`, `yes`, `no`, `off` ---------------------------------------------------------


def test_on_is_the_key_the_docs_say(tmp_path: Path, mini: CheckedPolicy):
    """PyYAML resolves `on` to true; as a key it is the evaluation date, as written."""
    path = tmp_path / "on.yaml"
    path.write_text("on: 2023-06-30\ninputs:\n  申请人类型: 物流企业\n", encoding="utf-8")
    assert str(load_case(path, mini).on) == "2023-06-30"


@pytest.mark.parametrize("key", ["On", "ON"])
def test_on_in_another_case_is_named(tmp_path: Path, mini: CheckedPolicy, key: str):
    problems = problems_of(tmp_path, mini, f"{key}: 2023-06-30\ninputs: {{}}\n", "On.yaml")
    assert any(f"unknown field `{key}`; did you mean `on`?" in p for p in problems), problems


@pytest.mark.parametrize("word", ["no", "yes", "off", "On", "NO"])
def test_a_yes_no_word_where_a_number_is_expected_shows_the_word(
    tmp_path: Path, mini: CheckedPolicy, word: str
):
    text = f"inputs:\n  申请人类型: 物流企业\n  年发货量: {word}\n"
    (problem,) = problems_of(tmp_path, mini, text, "yesno.yaml")
    assert problem == (
        f"3:3 input `年发货量`: expected a number of 单, got `{word}` "
        f"(YAML reads an unquoted `{word}` as a yes/no answer)"
    )


def test_true_where_a_number_is_expected_is_shown_as_written(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\n  年发货量: true\n"
    (problem,) = problems_of(tmp_path, mini, text, "true.yaml")
    assert "got `true`" in problem and "yes/no answer" in problem


def test_a_quoted_word_is_text_and_needs_no_note(tmp_path: Path, mini: CheckedPolicy):
    text = 'inputs:\n  申请人类型: 物流企业\n  年发货量: "no"\n'
    (problem,) = problems_of(tmp_path, mini, text, "quoted.yaml")
    assert "yes/no answer" not in problem


def test_yes_no_words_in_the_date_status_and_received_fields_are_shown_as_written(
    tmp_path: Path, mini: CheckedPolicy
):
    text = (
        "on: off\ninputs:\n  申请人类型: 物流企业\n  入驻日期: no\nreceived: [yes]\n"
        "expect:\n  用工: {status: no, amount: on}\n"
    )
    problems = problems_of(tmp_path, mini, text, "words.yaml")
    assert "1:1 `on`: `off` is not a date" in problems[0]
    joined = " | ".join(problems)
    assert "input `入驻日期`: `no` is not a date" in joined
    assert "`received`: `yes` is not a rule" in joined
    assert "unknown status `no`" in joined
    assert "`amount`: expected an amount such as `100万元`, got `on`" in joined
    assert "True" not in joined and "False" not in joined


def test_a_reading_option_named_like_a_yes_no_word_is_the_word(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\nreadings:\n  口罩: off\n"
    (problem,) = problems_of(tmp_path, mini, text, "reading.yaml")
    assert "reading `口罩` has no option `off`" in problem


def test_a_part_over_its_whole_with_a_defaulted_part_is_shown_at_the_part_written(
    tmp_path: Path, mini: CheckedPolicy
) -> None:
    # 其他纺织品发货量 declares `default 0 单`: the case leaves it out, so the sum that exceeds
    # 年发货量 (5 单 + 0 单 > 3 单) ends on a part with no line of its own; the problem is shown
    # at 口罩发货量 (line 5), the part the case wrote (was a KeyError: an internal error)
    text = "on: 2023-06-30\ninputs:\n  申请人类型: 服装电商企业\n  年发货量: 3\n  口罩发货量: 5\n"
    found = problems_of(tmp_path, mini, text, "defaulted-part.yaml")
    assert len(found) == 1
    assert found[0].startswith("5:")
    assert "`年发货量` (3" in found[0] and "a part cannot exceed its whole" in found[0]
