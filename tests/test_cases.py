"""Case files: every malformed field gets a message naming the place, the field and what was
expected; hostile files end in a clean error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from policyc.cases import load_case
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import check_policy
from policyc.runtime.quantity import Quantity

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini() -> CheckedPolicy:
    return check_policy(MINI / "mini.policy")


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, policy: CheckedPolicy, text: str, name: str = "case.yaml") -> str:
    with pytest.raises(InputError) as info:
        load_case(write(tmp_path, text, name), policy)
    return str(info.value)


def test_the_shipped_mini_case_loads_exactly(mini: CheckedPolicy):
    case = load_case(MINI / "case.yaml", mini)
    assert case.inputs["年发货量"] == Quantity.of(6_000_000, "单")
    assert case.inputs["销售"] == Quantity.of(Decimal("120000000"), "元")
    assert case.inputs["参展次数"]["省外"] == Quantity.of(0, "次")  # absent members are zero
    assert str(case.on) == "2023-12-31"


def test_missing_required_input(tmp_path: Path, mini: CheckedPolicy):
    message = error_of(tmp_path, mini, "on: 2023-06-30\ninputs:\n  年发货量: 5\n")
    assert "missing input `申请人类型`" in message
    assert "服装电商企业, 物流企业" in message


def test_unknown_input_suggests_the_close_name(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\n  年发货数量: 5\n"
    message = error_of(tmp_path, mini, text)
    assert message.startswith(f"{tmp_path / 'case.yaml'}:3:3: unknown input `年发货数量`")
    assert "`年发货量`" in message


def test_wrong_currency_is_refused(tmp_path: Path, mini: CheckedPolicy):
    message = error_of(tmp_path, mini, "inputs:\n  申请人类型: 物流企业\n  房租: 3 美元\n")
    assert ":3:3: input `房租`: expected a quantity in 元" in message
    assert "美元" in message


def test_wrong_count_unit_is_refused(tmp_path: Path, mini: CheckedPolicy):
    message = error_of(tmp_path, mini, "inputs:\n  申请人类型: 物流企业\n  员工人数: 5 单\n")
    assert "input `员工人数`: expected a quantity in 人" in message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-5", "must not be negative"),
        (".nan", "is not a number a case may hold"),
        (".inf", "is not a number a case may hold"),
        ("true", "expected a number of 单"),
        ("[1, 2]", "expected a number of 单"),
        ("'1e5'", "1e5"),
        ("abc", "abc"),
    ],
)
def test_bad_numbers(tmp_path: Path, mini: CheckedPolicy, value: str, words: str):
    message = error_of(tmp_path, mini, f"inputs:\n  申请人类型: 物流企业\n  年发货量: {value}\n")
    assert words in message
    assert "年发货量" in message or ".nan" in value or ".inf" in value


def test_numbers_as_text_with_measures_are_read_exactly(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs:\n  申请人类型: 物流企业\n  年发货量: '0.1万'\n  销售: 3.01万元\n"
    case = load_case(write(tmp_path, text), mini)
    assert case.inputs["年发货量"] == Quantity.of(1000, "单")
    assert case.inputs["销售"] == Quantity.of(Decimal("30100"), "元")


def test_enum_bool_date_and_tally_errors(tmp_path: Path, mini: CheckedPolicy):
    text = (
        "inputs:\n  申请人类型: 外贸企业\n  入驻日期: 2023-02-30\n  参展次数: {省内: 1, 海外: 2}\n"
    )
    message = error_of(tmp_path, mini, text)
    assert "input `申请人类型`: expected one of 服装电商企业, 物流企业, got `外贸企业`" in message
    assert "2023-02-30" in message
    assert "`海外` is not one of 省内, 省外, 国(境)外" in message


def test_every_problem_is_reported_at_once(tmp_path: Path, mini: CheckedPolicy):
    message = error_of(tmp_path, mini, "inputs:\n  年发货量: x\n  房租: 1 美元\nextra: 1\n")
    assert len(message.splitlines()) == 4  # 年发货量, 房租, extra, and the missing 申请人类型


def test_case_for_another_policy(tmp_path: Path, mini: CheckedPolicy):
    message = error_of(
        tmp_path, mini, "policy: 天政发〔2023〕1号\ninputs: {申请人类型: 物流企业}\n"
    )
    assert "this case is for `天政发〔2023〕1号`, not for 测试〔2023〕1号" in message


def test_unknown_reading_and_received_rule(tmp_path: Path, mini: CheckedPolicy):
    text = (
        "inputs: {申请人类型: 物流企业}\nreadings: {口罩: 全部纺织品}\nreceived: [不存在的规则]\n"
    )
    message = error_of(tmp_path, mini, text)
    assert "reading `口罩` has no option `全部纺织品`; its options are 仅口罩, 全部" in message
    assert ":3:12: `received`: `不存在的规则` is not a rule of 测试〔2023〕1号" in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"inputs: [unclosed\n", "invalid YAML"),
        (b"- 1\n- 2\n", "a case is a mapping"),
        (b"inputs: 5\n", "`inputs` must be a mapping"),
    ],
)
def test_hostile_yaml(tmp_path: Path, mini: CheckedPolicy, content: bytes, words: str):
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        load_case(path, mini)


def test_exponential_anchors_cost_nothing(tmp_path: Path, mini: CheckedPolicy):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 30)
    ]
    text = "description:\n" + "\n".join("  " + line for line in lines)
    text += "\ninputs: {申请人类型: 物流企业}\n"
    case = load_case(write(tmp_path, text), mini)  # 6**29 leaves if expanded; converted once each
    assert case.inputs["申请人类型"] == "物流企业"


def test_deep_nesting_is_refused(tmp_path: Path, mini: CheckedPolicy):
    text = "description: " + "[" * 100 + "]" * 100 + "\ninputs: {申请人类型: 物流企业}\n"
    assert "nested too deeply" in error_of(tmp_path, mini, text)


def test_json_cases(tmp_path: Path, mini: CheckedPolicy):
    good = '{"on": "2023-06-30", "inputs": {"申请人类型": "物流企业", "销售": 0.1}}'
    case = load_case(write(tmp_path, good, "c.json"), mini)
    assert case.inputs["销售"] == Quantity.of(Decimal("0.1"), "元")
    assert "invalid JSON" in error_of(tmp_path, mini, '{"inputs": ', "d.json")
    assert "NaN" in error_of(tmp_path, mini, '{"inputs": {"年发货量": NaN}}', "e.json")


def test_a_folder_or_a_missing_file(tmp_path: Path, mini: CheckedPolicy):
    with pytest.raises(InputError, match="is a folder"):
        load_case(tmp_path, mini)
    with pytest.raises(InputError, match="no such file"):
        load_case(tmp_path / "nope.yaml", mini)


# ---- refusing what the reader does not understand ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "first", "again"),
    [
        ("a.yaml", "inputs:\n  申请人类型: 物流企业\n  年发货量: 5\n  年发货量: 6\n", "3:3", "4:3"),
        (
            "b.yaml",
            "on: 2023-06-30\ninputs: {申请人类型: 物流企业}\non: 2023-07-01\n",
            "1:1",
            "3:1",
        ),
        (
            "c.yaml",
            "inputs: {申请人类型: 物流企业}\nexpect:\n  电商物流补贴: {amount: 1元, amount: 2元}\n",
            "3:12",
            "3:24",
        ),
        (
            "d.json",
            '{"inputs": {"申请人类型": "物流企业",\n  "年发货量": 5, "年发货量": 6}}',
            "2:3",
            "2:14",
        ),
        (
            "e.json",
            '{"inputs": {"申请人类型": "物流企业"},\n "expect": {"用工": {"status": "applies",'
            '\n   "status": "not_applicable"}}}',
            "2:20",
            "3:4",
        ),
        ("f.json", '{"on": "2023-06-30", "on": "2023-07-01", "inputs": {}}', "1:2", "1:22"),
    ],
)
def test_a_key_written_twice_is_refused_with_both_places(
    tmp_path: Path, mini: CheckedPolicy, name: str, text: str, first: str, again: str
):
    message = error_of(tmp_path, mini, text, name)
    path = tmp_path / name
    assert message.startswith(f"{path}:{again}: `"), message
    assert f"is written twice, first at {first} and again here" in message


def test_json_fields_are_placed_where_their_names_are_written(tmp_path: Path, mini: CheckedPolicy):
    text = '{"inputs": {\n  "申请人类型": "物流企业",\n    "年发货数量": 5}}'
    message = error_of(tmp_path, mini, text, "c.json")
    assert message.startswith(f"{tmp_path / 'c.json'}:3:5: unknown input `年发货数量`")


@pytest.mark.parametrize(
    ("expect", "words"),
    [
        (
            "{amout: 100万元}",
            ["unknown field `amout`; did you mean `amount`", "status, due, amount"],
        ),
        ("{uncaped: 1元}", ["unknown field `uncaped`; did you mean `uncapped`?"]),
        ("{status: applys}", ["unknown status `applys`; did you mean `applies`?"]),
        ("maybe", ["unknown status `maybe`", "not_applicable"]),
        ("{status: applies, amount: 一百元}", ["`amount`: `一百元` does not start with a number"]),
        ("{amount: [1]}", ["`amount`: expected an amount such as `100万元`, got a list"]),
        ("[applies]", ["expected a status (decided,"]),
    ],
)
def test_an_expectation_not_understood_is_refused(
    tmp_path: Path, mini: CheckedPolicy, expect: str, words: list[str]
):
    text = f"inputs: {{申请人类型: 物流企业}}\nexpect:\n  电商物流补贴: {expect}\n"
    message = error_of(tmp_path, mini, text)
    assert message.startswith(f"{tmp_path / 'case.yaml'}:3:"), message
    for word in words:
        assert word in message


@pytest.mark.parametrize(("word", "status"), [("适用", "applies"), ("待定", "undetermined")])
def test_an_expectation_takes_the_status_words_only_takes(
    tmp_path: Path, mini: CheckedPolicy, word: str, status: str
):
    path = tmp_path / "case.yaml"
    path.write_text(
        f"inputs: {{申请人类型: 物流企业}}\nexpect:\n  电商物流补贴: {{status: {word}}}\n",
        encoding="utf-8",
    )
    case = load_case(path, mini)
    assert case.expect["电商物流补贴"].status == status


def test_rule_names_in_expect_and_received_get_a_did_you_mean(tmp_path: Path, mini: CheckedPolicy):
    text = "inputs: {申请人类型: 物流企业}\nreceived: [电商物流]\nexpect:\n  电商物流补: applies\n"
    message = error_of(tmp_path, mini, text)
    assert (
        ":2:12: `received`: `电商物流` is not a rule of 测试〔2023〕1号; did you mean `电商物流补贴`?"
        in (message)
    )
    assert (
        ":4:3: `电商物流补` is not a rule of 测试〔2023〕1号; did you mean `电商物流补贴`?"
        in message
    )


def test_problems_carry_file_line_column_and_field(tmp_path: Path, mini: CheckedPolicy):
    from policyc.problems import ProblemsError

    text = "inputs: {申请人类型: 物流企业, 房租: 3 美元}\nexpect:\n  电商物流补贴: {amout: 1元}\n"
    with pytest.raises(ProblemsError) as info:
        load_case(write(tmp_path, text), mini)
    places = {(p.line, p.column, p.field) for p in info.value.problems}
    assert places == {(1, 23, "inputs.房租"), (3, 12, "expect.电商物流补贴.amout")}
    assert {p.file for p in info.value.problems} == {str(tmp_path / "case.yaml")}


def test_a_full_expectation_is_read_exactly(tmp_path: Path, mini: CheckedPolicy):
    text = (
        "inputs: {申请人类型: 物流企业}\nexpect:\n"
        "  电商物流补贴: {status: applies, amount: 100万元, uncapped: null}\n  用工: unspecified\n"
    )
    case = load_case(write(tmp_path, text), mini)
    logistics = case.expect["电商物流补贴"]
    assert logistics.status == "applies"
    assert logistics.amounts == {"amount": Quantity.of(1_000_000, "元"), "uncapped": None}
    assert case.expect["用工"].status == "unspecified"
    assert case.expect["用工"].amounts == {}
