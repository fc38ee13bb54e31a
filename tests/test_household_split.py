"""A cap `per 户` on a rule paid `each` member: what each member receives of the capped total.

tests/fixtures/eldercare (青河政办发〔2026〕7号, invented): "符合条件的老年人，每人每月300元；80周岁以上的
老年人，每人每月400元" and "二级失能的每人每月500元，一级失能的每人每月600元", "同一户家庭有两名符合条件
老年人的，分别享受补贴，每户每月合计不超过800元". Each elder is entitled to his own amount; the
household's total is capped; nothing says how the capped 800元 is shared between them. So the
answer keeps each member's own standard, says that it is not what each receives, and that the
household's 800元 is the household's to split — it works out no per-member share.
Values worked by hand from those sentences.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from tests.conftest import FIXTURES

POLICY = FIXTURES / "eldercare" / "eldercare.policy"
CASES = FIXTURES / "eldercare" / "cases"
RULE = "养老服务补贴"


def run(capsys: pytest.CaptureFixture[str], case: Path, *more: str) -> str:
    assert main(["run", str(POLICY), "--case", str(case), *more]) == 0
    return capsys.readouterr().out


def rule_json(capsys: pytest.CaptureFixture[str], case: Path) -> Any:
    document = json.loads(run(capsys, case, "--format", "json"))
    (rule,) = [r for r in document["results"] if r["rule"] == RULE]
    return rule


SPLIT = (
    "各成员合计 1100元，本项按 800元 发放；文件未规定 800元 在各成员间如何分配，由本户分配，"
    "上列各成员金额为各自标准、不是各自实得"
)


def test_the_answer_says_the_capped_total_is_the_household_s_to_split(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 一级失能 600元 + 二级失能 500元 = 1100元 > 800元: the household is paid 800元; which of the
    # two is cut, and by how much, the text does not say
    out = run(capsys, CASES / "05-household-capped.yaml")
    assert (
        "  ✔ 养老服务补贴 — 适用: 800元（每月）（已封顶，封顶前 1100元） · 责任单位: 区民政局\n"
        "      各成员（各自标准）: 赵爷爷（老年人） 600元；钱奶奶（老年人） 500元\n"
        f"      {SPLIT}\n"
    ) in out


def test_all_lists_each_member_then_the_household_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(capsys, CASES / "05-household-capped.yaml", "--all")
    assert (
        "      · 赵爷爷（老年人）: 适用 600元\n      · 钱奶奶（老年人）: 适用 500元\n"
        f"      {SPLIT}\n"
    ) in out


def test_json_says_the_members_amounts_are_their_own_and_the_split_the_household_s(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rule = rule_json(capsys, CASES / "05-household-capped.yaml")
    assert rule["amount"]["value"] == "800"
    assert {m["member"]: m["amount"]["value"] for m in rule["members"]} == {
        "赵爷爷": "600",
        "钱奶奶": "500",
    }  # each one's standard, not a share: no member figure is invented
    split = rule["members_split"]
    assert (split["by"], split["members_total"]["value"], split["text"]) == (
        "household",
        "1100",
        SPLIT,
    )


def test_one_yuan_over_the_cap_is_split_by_the_household(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 二级失能 500元 + 80周岁以上 400元 = 900元 > 800元 (case 07): the same words, its figures
    out = run(capsys, CASES / "07-household-one-over-the-cap.yaml")
    assert "各成员（各自标准）: 孙爷爷（老年人） 500元；周奶奶（老年人） 400元" in out
    assert "各成员合计 900元，本项按 800元 发放；文件未规定 800元 在各成员间如何分配" in out


def test_a_household_at_its_cap_is_paid_what_each_member_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 500元 + 300元 = 800元: 不超过800元 includes 800元, nothing is cut, each receives his own
    out = run(capsys, CASES / "06-household-at-cap.yaml")
    assert "      各成员: 孙爷爷（老年人） 500元；李奶奶（老年人） 300元\n" in out
    assert "文件未规定" not in out
    assert "members_split" not in rule_json(capsys, CASES / "06-household-at-cap.yaml")


def test_the_web_result_says_it_too() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _result_view

    policy = compile_policy(POLICY)
    case = load_case(CASES / "05-household-capped.yaml", policy.checked)
    document = evaluate(policy, case, "case", explain=False)
    (rule,) = [r for r in document["results"] if r["rule"] == RULE]
    assert rule["members_split"]["text"] == SPLIT
    assert _result_view(policy, document, None) is not None


def test_the_web_result_item_shows_the_household_line_under_the_members() -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    import html
    import re

    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy
    from policyc.serve.evaluate import evaluate
    from policyc.serve.web import _TEMPLATES, _result_view

    policy = compile_policy(POLICY)
    case = load_case(CASES / "05-household-capped.yaml", policy.checked)
    document = evaluate(policy, case, "case", explain=True)  # as the form evaluates
    view = _result_view(policy, document, None)
    assert view is not None
    (rule,) = [r for r in view["applies"] if r["rule"] == RULE]
    item = _TEMPLATES.get_template("_result.html.j2").module.result_item(rule)  # type: ignore[attr-defined]
    shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", str(item))))
    assert "金额（各自标准）" in shown and "赵爷爷 老年人 适用 600元" in shown
    assert SPLIT in shown


def test_the_same_limit_written_as_a_shared_cap_invents_no_shares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 每户每月合计不超过800元 as `shared_cap … order as_listed over 养老服务补贴` instead of the
    # rule's `cap … per 户`: the household is paid 800元 all the same, and the members are not
    # given 436.36元 and 363.64元 (a proportion the text does not state)
    project = tmp_path / "eldercare"
    shutil.copytree(FIXTURES / "eldercare", project)
    path = project / "eldercare.policy"
    text = path.read_text(encoding="utf-8").replace("        cap 800 元 per 户 per 月\n", "")
    note = '    note "规则 养老服务补贴 的 cap … per 户: 本户各老年人的补贴相加, 合计封顶一次"\n'
    shared = (
        "    shared_cap 每户每月合计 {\n"
        '        quote "同一户家庭有两名符合条件老年人的，分别享受补贴，每户每月合计不超过800元。"\n'
        "        limit 800 元 per 户 per 月\n"
        "        over 养老服务补贴\n"
        '        order as_listed because "上限作用于本户各老年人补贴之和"\n'
        "    }\n"
    )
    assert note in text
    path.write_text(text.replace(note, shared), encoding="utf-8")
    assert (
        main(["run", str(path), "--case", str(project / "cases" / "05-household-capped.yaml")]) == 0
    )
    out = capsys.readouterr().out
    assert "      各成员（各自标准）: 赵爷爷（老年人） 600元；钱奶奶（老年人） 500元\n" in out
    assert f"      {SPLIT}\n" in out
    assert "436.36元" not in out
