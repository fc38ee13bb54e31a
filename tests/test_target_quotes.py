"""A target's own source sentence (`target … { quote "…" }`) and a unit's target in a citizen's
answer.

The notice below is made by hand: its section 二 states three targets in two sentences, so the
section's first sentence is the wrong 原文 for two of them. Every expected line is read off the
notice and the rules of the reports (a target is a unit's duty, never the applicant's), not
copied from the program's output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.parser import parse

SOURCE = """\
青禾市人民政府办公室关于做好惠民补贴和乡镇报告工作的通知
青政办发〔2023〕9号
一、发放惠民补贴
本市户籍居民年满60周岁的，每人发放补贴500元。
二、工作目标
全年新增就业岗位1000个，城镇调查失业率控制在5.5%以内。
各乡镇人民政府于2023年3月31日前向市政府办报告补贴发放情况。
青禾市人民政府办公室
2023年1月10日
"""

REGISTRY = """\
unit 市政府办 "青禾市人民政府办公室" alias 青禾市人民政府办公室
unit 市人社局 "青禾市人力资源和社会保障局"
"""

UNEMPLOYMENT_QUOTE = "城镇调查失业率控制在5.5%以内"
REPORT_QUOTE = "各乡镇人民政府于2023年3月31日前向市政府办报告补贴发放情况"

POLICY = f"""\
policy "青政办发〔2023〕9号" {{
    title "青禾市人民政府办公室关于做好惠民补贴和乡镇报告工作的通知"
    issuer 市政府办
    issued 2023-01-10
    source "notice.txt" lines 1 to 9
    units from "units.policy"
}}

aside "青政办发〔2023〕9号" "文号"
aside "青禾市人民政府办公室" "落款"
aside "2023年1月10日" "落款"

input 年满60周岁: bool "申请人是否年满60周岁"
input 本市户籍: bool "是否本市户籍"

section 一 "发放惠民补贴" {{
    quote "本市户籍居民年满60周岁的，每人发放补贴500元。"
    responsible 市政府办
    rule 惠民补贴 {{
        kind 补贴
        beneficiary 申请人
        when 本市户籍
        when 年满60周岁
        amount 500 元
    }}
}}

section 二 "工作目标" {{
    quote "全年新增就业岗位1000个，城镇调查失业率控制在5.5%以内。"
    quote "各乡镇人民政府于2023年3月31日前向市政府办报告补贴发放情况。"
    responsible 市人社局
    target 新增就业岗位 达到 1000 个 "全年新增就业岗位1000个"
    target 城镇调查失业率 5.5% 以内 "城镇调查失业率控制在5.5%以内" {{
        quote "{UNEMPLOYMENT_QUOTE}"
    }}
    target 乡镇报告补贴发放情况 不少于 1 次 by 2023-03-31 "2023年3月31日前报告" {{
        quote "{REPORT_QUOTE}"
    }}
}}
"""

CITIZEN = """\
policy: 青政办发〔2023〕9号
on: 2023-06-30
inputs:
  年满60周岁: true
  本市户籍: true
"""


def _project(folder: Path, policy: str = POLICY) -> Path:
    (folder / "notice.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "units.policy").write_text(REGISTRY, encoding="utf-8")
    (folder / "plan.policy").write_text(policy, encoding="utf-8")
    (folder / "citizen.yaml").write_text(CITIZEN, encoding="utf-8")
    return folder


def _policyc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("target-quotes"))


# ---- the language: parse, fmt, check ----------------------------------------------------------


def test_a_target_carries_its_own_quotes() -> None:
    file = parse(POLICY, "plan.policy")
    targets = {t.name.text: t for _, t in file.all_targets()}
    assert targets["新增就业岗位"].quotes == ()
    assert [q.text for q in targets["城镇调查失业率"].quotes] == [UNEMPLOYMENT_QUOTE]
    assert [q.text for q in targets["乡镇报告补贴发放情况"].quotes] == [REPORT_QUOTE]
    # a quote after the target, outside its braces, stays its section's
    section = file.sections[1]
    assert len(section.quotes) == 2


def test_an_empty_brace_after_a_target_is_refused() -> None:
    text = POLICY.replace(f'{{\n        quote "{UNEMPLOYMENT_QUOTE}"\n    }}', "{ }")
    with pytest.raises(PolicyError):
        parse(text, "plan.policy")


def test_fmt_writes_a_target_quote_as_a_block_and_keeps_it() -> None:
    one_line = POLICY.replace(
        f'{{\n        quote "{UNEMPLOYMENT_QUOTE}"\n    }}', f'{{quote   "{UNEMPLOYMENT_QUOTE}"}}'
    )
    assert one_line != POLICY
    assert format_text(one_line) == POLICY
    assert format_text(POLICY) == POLICY


def test_check_passes_with_quotes_found_in_the_received_text(folder: Path) -> None:
    done = _policyc(folder, "check", "plan.policy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_target_quote_not_in_the_received_text_is_refused_at_its_place(tmp_path: Path) -> None:
    # 5.0% where the notice says 5.5%: a near miss, refused as a rule's quote is
    wrong = POLICY.replace(f'quote "{UNEMPLOYMENT_QUOTE}"', 'quote "城镇调查失业率控制在5.0%以内"')
    _project(tmp_path, wrong)
    done = _policyc(tmp_path, "check", "plan.policy")
    assert done.returncode == 2
    line = wrong.splitlines().index('        quote "城镇调查失业率控制在5.0%以内"') + 1
    assert f"plan.policy:{line}:9: this quote is not in the source text" in done.stderr
    assert "the sentence exactly as received (lines 1–9)" in done.stderr


# ---- the reports cite it ----------------------------------------------------------------------


def test_run_all_cites_a_targets_own_sentence_and_says_when_it_has_none(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--case", "citizen.yaml", "--all")
    out = done.stdout
    assert f"      原文: {UNEMPLOYMENT_QUOTE}\n" in out
    assert f"      原文: {REPORT_QUOTE}\n" in out
    # 新增就业岗位 quotes none: its section's first sentence, said to stand in for it
    assert (
        "      原文（目标未引原文，此为所在条款首句）: "
        "全年新增就业岗位1000个，城镇调查失业率控制在5.5%以内。\n"
    ) in out
    # a rule citing its section keeps the plain label (a rule restates its part)
    assert "      原文: 本市户籍居民年满60周岁的，每人发放补贴500元。\n" in out


def test_json_gives_each_targets_quotes_and_whose_they_are(folder: Path) -> None:
    done = _policyc(folder, "run", "plan.policy", "--case", "citizen.yaml", "--format", "json")
    results = {r["rule"]: r for r in json.loads(done.stdout)["results"]}
    assert results["城镇调查失业率"]["quotes"] == [UNEMPLOYMENT_QUOTE]
    assert results["城镇调查失业率"]["quote_of"] == ""
    assert results["乡镇报告补贴发放情况"]["quotes"] == [REPORT_QUOTE]
    assert results["新增就业岗位"]["quote_of"] == "owner"
    assert results["新增就业岗位"]["quotes"][0].startswith("全年新增就业岗位1000个")
    # the rule quotes nothing itself: its section's sentence, as for any rule
    assert results["惠民补贴"]["quote_of"] == "owner"


def test_the_site_gives_a_targets_quote_in_its_row(folder: Path, tmp_path: Path) -> None:
    done = _policyc(folder, "docs", "plan.policy", "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "docs" / "plan.md").read_text(encoding="utf-8")
    assert "| 指标 | 目标 | 说明 | 原文 |" in page
    assert "| 新增就业岗位 | 达到1000个（含本数） | 全年新增就业岗位1000个 | 见本条原文 |" in page
    # line 6 of notice.txt holds the sentence
    assert f"| {UNEMPLOYMENT_QUOTE}（[来文第6行](gazette/plan.md#L6)） |" in page


# ---- a unit's target in a citizen's answer ---------------------------------------------------


def test_a_citizens_answer_never_lists_a_units_target_as_failed(folder: Path) -> None:
    """On 2023-06-30 the 乡镇's report (due 2023-03-31) is overdue and not reported: a duty of
    a unit, not something the applicant failed — it is counted apart, never under 结论."""
    done = _policyc(folder, "run", "plan.policy", "--case", "citizen.yaml")
    out = done.stdout
    conclusion = out.split("结论\n", 1)[1].split("\n\n", 1)[0]
    assert "✔ 惠民补贴 — 适用: 500元" in conclusion
    assert "乡镇报告补贴发放情况" not in out
    assert "逾期" not in out
    assert "单位目标 3 项本案例未填报（由有关单位填报，非申请人事项）" in out


def test_a_reported_target_stands_in_its_own_block(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "progress.yaml").write_text(CITIZEN + "  新增就业岗位: 1200\n", encoding="utf-8")
    out = _policyc(tmp_path, "run", "plan.policy", "--case", "progress.yaml").stdout
    conclusion = out.split("结论\n", 1)[1].split("\n\n", 1)[0]
    assert "新增就业岗位" not in conclusion
    block = out.split("单位目标（由有关单位填报，非申请人事项）\n", 1)[1].split("\n\n", 1)[0]
    # 1200 against 达到 1000 个 (含本数): met
    assert block == "  ✔ 新增就业岗位 — 达到目标（目标：达到1000个（含本数），实际：1200个）"
    assert "单位目标 2 项本案例未填报" in out


def test_a_reported_target_never_leaves_the_conclusion_empty(tmp_path: Path) -> None:
    """Not 60 yet: 惠民补贴 does not apply, and the target reported stands in its own block, so
    结论 says that no clause applies rather than being followed by a blank line."""
    _project(tmp_path)
    young = CITIZEN.replace("年满60周岁: true", "年满60周岁: false") + "  新增就业岗位: 1200\n"
    (tmp_path / "young.yaml").write_text(young, encoding="utf-8")
    out = _policyc(tmp_path, "run", "plan.policy", "--case", "young.yaml").stdout
    assert out.split("结论\n", 1)[1].split("\n\n", 1)[0] == "  本案例没有适用的条款"
    assert "单位目标（由有关单位填报，非申请人事项）\n  ✔ 新增就业岗位" in out


def test_the_forms_result_folds_unreported_targets_apart(folder: Path) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([folder / "plan.policy"]))
    page = client.post(
        "/policies/plan",
        data={"case.on": "2023-06-30", "年满60周岁": "是", "本市户籍": "是"},
    ).text
    assert "判定与目标" not in page
    folded = page.split('<details class="unreported-targets">', 1)[1].split("</details>", 1)[0]
    assert "单位目标（3）：本案例未填报完成情况，由有关单位填报，非申请人事项" in folded
    assert "乡镇报告补贴发放情况" in folded
    before = page.split('<details class="unreported-targets">', 1)[0]
    assert "逾期未报告" not in before
    assert f"原文：{REPORT_QUOTE}" in folded
    assert "原文（目标未引原文，此为所在条款首句）：全年新增就业岗位1000个" in folded


# ---- lint: a target cited with a sentence that is not its own ---------------------------------


def _target_warnings(folder: Path, policy: str) -> list[tuple[int, str]]:
    from policyc.compiler.lint import lint
    from policyc.compiler.pipeline import check_policy

    _project(folder, policy)
    found = lint(check_policy(folder / "plan.policy"))
    return [(d.span.line, d.message) for d in found if d.code == "target-without-quote"]


FIRST = '    quote "全年新增就业岗位1000个，城镇调查失业率控制在5.5%以内。"\n'
SECOND = '    quote "各乡镇人民政府于2023年3月31日前向市政府办报告补贴发放情况。"\n'


def test_lint_is_quiet_where_the_first_sentence_writes_the_figure(tmp_path: Path) -> None:
    # 新增就业岗位 (no quote): 1000个 is in the section's first sentence; the others quote
    assert _target_warnings(tmp_path, POLICY) == []


def test_lint_warns_where_the_first_sentence_is_another_targets(tmp_path: Path) -> None:
    swapped = POLICY.replace(FIRST + SECOND, SECOND + FIRST)
    assert swapped != POLICY
    line = (
        swapped.splitlines().index('    target 新增就业岗位 达到 1000 个 "全年新增就业岗位1000个"')
        + 1
    )
    found = _target_warnings(tmp_path, swapped)
    assert [at for at, _ in found] == [line]
    assert "target `新增就业岗位` quotes no sentence of its own" in found[0][1]
    assert "does not write 1000个" in found[0][1]


def test_lint_is_quiet_for_a_target_with_its_own_quote(tmp_path: Path) -> None:
    swapped = POLICY.replace(FIRST + SECOND, SECOND + FIRST).replace(
        '"全年新增就业岗位1000个"\n',
        '"全年新增就业岗位1000个" {\n        quote "全年新增就业岗位1000个"\n    }\n',
    )
    assert _target_warnings(tmp_path, swapped) == []


def test_lint_reads_a_figure_whole_not_inside_a_larger_one(tmp_path: Path) -> None:
    """5% is not written by "5.5%" (the end of another figure): warned; 5.5% is."""
    own = f'{{\n        quote "{UNEMPLOYMENT_QUOTE}"\n    }}'
    bare = POLICY.replace(f'"城镇调查失业率控制在5.5%以内" {own}', '"城镇调查失业率控制在5.5%以内"')
    assert bare != POLICY
    assert _target_warnings(tmp_path, bare) == []
    five = bare.replace("target 城镇调查失业率 5.5% 以内", "target 城镇调查失业率 5% 以内")
    found = _target_warnings(tmp_path, five)
    assert len(found) == 1 and "does not write 5%" in found[0][1]


def test_policyc_rules_says_whose_sentences_a_target_cites(folder: Path) -> None:
    out = _policyc(folder, "rules", "plan.policy").stdout
    own = out.split("  城镇调查失业率（", 1)[1].split("  乡镇报告补贴发放情况（", 1)[0]
    assert f"    「{UNEMPLOYMENT_QUOTE}」" in own and "未引原文" not in own
    borrowed = out.split("  新增就业岗位（", 1)[1].split("\n  城镇调查失业率", 1)[0]
    assert "    （目标未引原文，以下为所在条款的原文）\n" in borrowed
    assert "    「全年新增就业岗位1000个，城镇调查失业率控制在5.5%以内。」" in borrowed


def test_the_forms_result_shows_a_reported_target_under_its_own_heading(folder: Path) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([folder / "plan.policy"]))
    page = client.post(
        "/policies/plan",
        data={
            "case.on": "2023-06-30",
            "年满60周岁": "是",
            "本市户籍": "是",
            "新增就业岗位": "1200",
        },
    ).text
    block = page.split("<h3>单位目标（由有关单位填报，非申请人事项）</h3>", 1)[1]
    block = block.split("</ul>", 1)[0]
    assert "<strong>新增就业岗位</strong>" in block and "达到目标" in block
    # the two it does not report stay folded: 2 of 3
    assert "单位目标（2）：本案例未填报完成情况" in page


def test_lint_reads_a_deadline_day_as_the_sentence_stating_a_target(tmp_path: Path) -> None:
    """不少于 1 次 by 2023-03-31: the notice writes no 1次, but 3月31日; the first sentence that
    writes the day is taken as the target's, one that writes neither is warned."""
    own = f'{{\n        quote "{REPORT_QUOTE}"\n    }}'
    bare = POLICY.replace(f'"2023年3月31日前报告" {own}', '"2023年3月31日前报告"')
    assert bare != POLICY
    found = _target_warnings(tmp_path, bare)
    assert len(found) == 1 and "does not write 1次、3月31日" in found[0][1]
    swapped = _target_warnings(tmp_path, bare.replace(FIRST + SECOND, SECOND + FIRST))
    # now the first sentence is the 乡镇's (3月31日): quiet for it; 新增就业岗位's 1000个 is not
    assert [message.split("`")[1] for _, message in swapped] == ["新增就业岗位"]


# ---- the shipped policies ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tzbf-2023-1", "tzbh-2023-5"])
def test_every_shipped_target_quotes_a_sentence_writing_its_figure(name: str) -> None:
    """Each target of the two work plans quotes the words of the received text that state it
    (check verifies they are received); here: they write the target's number, standing alone
    (`10` not read inside `100`)."""
    import re

    from policyc.compiler.pipeline import read_source

    path = Path(__file__).resolve().parent.parent / "policies" / f"{name}.policy"
    file = parse(read_source(path), str(path))
    targets = [target for _, target in file.all_targets()]
    assert targets
    for target in targets:
        assert target.quotes, target.name.text
        number = getattr(target.value, "number", "")
        assert number, target.name.text
        pattern = rf"(?<![\d.]){re.escape(str(number))}(?![\d])"
        assert any(re.search(pattern, q.text) for q in target.quotes), target.name.text
