"""Issue 15, item 1 (and the reading labels of item 2): `run` answers first.

The default text is the answer (decided values, what applies and how much), then ONE list of
every input that could change an undetermined result, found through all of a rule's layers at
once (validity, conditions, amount), then one line counting the rest. `--all`, `--explain` and
`--only` list every rule; `--only` takes Chinese and English status words; an undetermined
any-of never reads as a final no; reading options show the policy's Chinese label.

The expectations are read from the policy files by hand: 装修补贴 is `when 入驻日期 <= on_date()`,
`valid_by 入驻日期`, `amount 150 元/平方米 × 装修面积` (tzf-2023-1 第十六条).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main

REPO = Path(__file__).parent.parent
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
NOISE = REPO / "policies" / "tzbh-2023-1.policy"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["run", *args])
    out, err = capsys.readouterr()
    return status, out, err


def case(tmp_path: Path, inputs: dict[str, Any], on: str = "2023-09-01") -> Path:
    path = tmp_path / "case.json"
    doc = {"policy": "天政发〔2023〕1号", "on": on, "inputs": inputs}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def noise_case(tmp_path: Path, inputs: dict[str, Any]) -> Path:
    path = tmp_path / "noise.json"
    doc = {"policy": "天政办函〔2023〕1号", "on": "2023-06-30", "inputs": inputs}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], policy: Path, path: Path, *extra: str) -> Any:
    status, out, err = run(capsys, str(policy), "--case", str(path), "--format", "json", *extra)
    assert status == 0, err
    return json.loads(out)


def flat_needed(doc: Any) -> list[Any]:
    """`still_needed`'s inputs, an `any_of` set's one after the other."""
    return [one for item in doc["still_needed"] for one in item.get("any_of", [item])]


def needed(doc: Any) -> dict[str, list[str]]:
    return {item["name"]: item["rules"] for item in flat_needed(doc)}


def result(doc: Any, rule: str) -> Any:
    return next(r for r in doc["results"] if r["rule"] == rule)


FACTORY = {"申请人类型": "服装生产加工类企业"}


# ---- one list, every layer at once -------------------------------------------------------------


def test_renovation_asks_for_entry_date_and_area_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = run_json(capsys, TEXTILE, case(tmp_path, FACTORY))
    assert result(doc, "装修补贴")["status"] == "undetermined"
    needs = needed(doc)
    assert "装修补贴" in needs["入驻日期"]  # the validity and the condition
    assert "装修补贴" in needs["装修面积"]  # the amount, a layer the evaluation never reached
    entry = next(item for item in flat_needed(doc) if item["name"] == "入驻日期")
    assert entry["measure"] == "日期"
    assert entry["description"] == "入驻国投产业园的日期"
    area = next(item for item in flat_needed(doc) if item["name"] == "装修面积")
    assert (area["measure"], area["description"]) == ("平方米", "实际装修面积")
    # each input once, however many rules need it
    names = [item["name"] for item in flat_needed(doc)]
    assert len(names) == len(set(names))
    assert needs["入驻日期"] == ["租金减免", "装修补贴", "物业费减半", "宿舍租赁费按标准收取"]


def test_the_rule_names_a_missing_input_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`需要输入 入驻日期、入驻日期` named the anchor date twice: as `valid_by` and as the
    condition's input."""
    doc = run_json(capsys, TEXTILE, case(tmp_path, FACTORY))
    for rule in ("租金减免", "装修补贴", "物业费减半", "宿舍租赁费按标准收取"):
        item = result(doc, rule)
        assert item["missing"] == ["入驻日期"]
        assert item["reason"] == "需要输入 入驻日期"


def test_given_inputs_are_never_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    entered = run_json(capsys, TEXTILE, case(tmp_path, {**FACTORY, "入驻日期": "2023-03-01"}))
    assert needed(entered)["装修面积"] == ["装修补贴"]
    assert "入驻日期" not in needed(entered)
    both = {**FACTORY, "入驻日期": "2023-03-01", "装修面积": 800}
    done = run_json(capsys, TEXTILE, case(tmp_path, both))
    assert result(done, "装修补贴")["status"] == "applies"
    assert "装修面积" not in needed(done) and "入驻日期" not in needed(done)


def test_an_option_ruled_out_by_a_given_input_asks_for_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """入驻国投产业园 is an any-of by applicant type: a 服装生产加工类企业 can only qualify by its
    staff, so the e-commerce option's 月发货量 and the fabric option's 年销售额 are not asked."""
    needs = needed(run_json(capsys, TEXTILE, case(tmp_path, FACTORY)))
    assert needs["从业人员数"] == ["入驻国投产业园"]
    assert "月发货量" not in needs and "直播间数" not in needs and "年销售额" not in needs
    shop = needed(run_json(capsys, TEXTILE, case(tmp_path, {"申请人类型": "服装电商企业"})))
    assert "入驻国投产业园" in shop["月发货量"] and "入驻国投产业园" in shop["直播间数"]
    assert "从业人员数" not in shop


def test_an_amount_branch_another_reading_takes_asks_for_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """自主品牌销售奖励 compares with 以往最高… only under 品牌销售奖励频次 = 一次性."""
    path = case(tmp_path, FACTORY)
    yearly = needed(run_json(capsys, TEXTILE, path))
    assert yearly["自主品牌产品年销售额"] == ["自主品牌销售奖励"]
    assert "以往最高自主品牌产品年销售额" not in yearly
    once = needed(run_json(capsys, TEXTILE, path, "--reading", "品牌销售奖励频次=一次性"))
    assert once["以往最高自主品牌产品年销售额"] == ["自主品牌销售奖励"]


def test_still_needed_is_over_every_result_whatever_only_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = case(tmp_path, FACTORY)
    full = run_json(capsys, TEXTILE, path)
    applies = run_json(capsys, TEXTILE, path, "--only", "applies")
    assert applies["still_needed"] == full["still_needed"]
    assert {r["status"] for r in applies["results"]} == {"applies"}


# ---- the default text: the answer first ---------------------------------------------------------


def rule_count(policy: Path) -> int:
    return len(re.findall(r"^\s*rule \S+ \{", policy.read_text(encoding="utf-8"), re.M))


def test_noise_complaint_answers_in_a_few_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Over-standard construction noise reported to 市住建局: the notice gives it to
    市生态环境局 (第(一)项1(5)), and the receiving unit transfers it (转办)."""
    path = noise_case(tmp_path, {"行为": "超标排放建筑施工噪声", "收件单位": "市住建局"})
    status, text, _ = run(capsys, str(NOISE), "--case", str(path))
    assert status == 0
    answer = text.split("\n\n")[1].splitlines()
    assert answer[0] == "结论"
    assert "  承办单位: 市生态环境局" in answer
    assert any(line.startswith("  ✔ 查处超标排放建筑施工噪声 — 适用") for line in answer)
    assert any(line.startswith("  ✔ 转办 — 适用") for line in answer)
    # 20 lines: 为何不适用 names the two failed parts of 收件部门自办 (an `or`) under 自办
    assert len(text.splitlines()) <= 20
    # standing duties are counted, not listed; not-applying rules are counted
    assert "噪声污染防治统一监督管理" not in text
    assert "查处夜间无证明施工" not in text
    last = text.rstrip("\n").splitlines()[-1]
    assert last.endswith("逐条列出: --all")


def test_the_count_line_accounts_for_every_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Rules listed in the answer + waiting + not applying + standing = the policy's rules."""
    path = noise_case(tmp_path, {"行为": "超标排放建筑施工噪声", "收件单位": "市住建局"})
    _, text, _ = run(capsys, str(NOISE), "--case", str(path))
    listed = len(re.findall(r"^  ✔ ", text, re.M))
    waiting = int(re.search(r"（(\d+) 项结果待定）", text).group(1))  # type: ignore[union-attr]
    last = text.rstrip("\n").splitlines()[-1]
    not_applying = int(re.search(r"不适用 (\d+) 条", last).group(1))  # type: ignore[union-attr]
    standing = int(re.search(r"始终适用的 (\d+) 条", last).group(1))  # type: ignore[union-attr]
    assert listed + waiting + not_applying + standing == rule_count(NOISE)
    assert standing > 0
    _, everything, _ = run(capsys, str(NOISE), "--case", str(path), "--all")
    assert len(re.findall(r"^  [✔✘?–] ", everything, re.M)) == rule_count(NOISE)
    assert "噪声污染防治统一监督管理 — 适用" in everything


def test_the_textile_answer_lists_what_is_needed_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = case(tmp_path, FACTORY)
    _, text, _ = run(capsys, str(TEXTILE), "--case", str(path))
    needed_block = text.split("还需要以下输入")[1].split("\n\n")[0].splitlines()[1:]
    names = [line.strip().split("（")[0] for line in needed_block]
    assert len(names) == len(set(names))
    assert (
        "  入驻日期（日期）: 入驻国投产业园的日期 — 影响 租金减免、装修补贴、物业费减半 等 4 项"
        in (needed_block)
    )
    assert "  装修面积（平方米）: 实际装修面积 — 影响 装修补贴" in needed_block
    assert "入驻日期、入驻日期" not in text


def test_the_answer_gives_amounts_and_totals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """07-logistics-capped: (600万 - 1万 - 4万)单 × 0.2元 = 119万元, over the 100万元 cap."""
    path = REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"
    _, text, _ = run(capsys, str(TEXTILE), "--case", str(path))
    assert (
        "电商物流补贴 — 适用: 1,000,000元（100万元）（已封顶，封顶前 1,190,000元（119万元））"
        in text
    )
    assert "  合计（支付给申请人）: 1,000,000元（100万元）" in text


def test_explain_and_only_list_every_rule_as_before(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(noise_case(tmp_path, {"行为": "超标排放建筑施工噪声", "收件单位": "市住建局"}))
    _, explained, _ = run(capsys, str(NOISE), "--case", path, "--explain")
    assert "噪声污染防治统一监督管理 — 适用" in explained
    assert "· 条件不成立" in explained
    _, only, _ = run(capsys, str(NOISE), "--case", path, "--only", "not_applicable")
    assert "查处夜间无证明施工 — 不适用" in only and "— 适用" not in only


# ---- status words in Chinese and English ------------------------------------------------------


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("适用", "applies"),
        ("不适用", "not_applicable"),
        ("待定", "undetermined"),
        ("无法判定", "undetermined"),
        ("判定", "decided"),
        ("不在有效期", "not_in_force"),
    ],
)
def test_only_takes_chinese_status_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, chinese: str, english: str
) -> None:
    path = str(noise_case(tmp_path, {"行为": "饲养宠物产生噪声"}))
    status, in_chinese, err = run(capsys, str(NOISE), "--case", path, "--only", chinese)
    assert status == 0, err
    _, in_english, _ = run(capsys, str(NOISE), "--case", path, "--only", english)
    assert in_chinese == in_english


def test_only_mixes_languages_and_separators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(noise_case(tmp_path, {"行为": "饲养宠物产生噪声"}))
    _, mixed, _ = run(capsys, str(NOISE), "--case", path, "--only", "适用，undetermined")
    _, plain, _ = run(capsys, str(NOISE), "--case", path, "--only", "applies,undetermined")
    assert mixed == plain and "— 适用" in plain and "— 无法判定" in plain


@pytest.mark.parametrize("word", ["合格", "apply", ","])
def test_a_bad_status_word_names_the_accepted_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, word: str
) -> None:
    path = str(noise_case(tmp_path, {"行为": "饲养宠物产生噪声"}))
    status, out, err = run(capsys, str(NOISE), "--case", path, "--only", word)
    assert status == 2 and out == ""
    assert f"--only {word}" in err
    for accepted in ("applies", "适用", "not_applicable", "不适用", "undetermined", "待定"):
        assert accepted in err
    assert "Traceback" not in err


# ---- an undetermined any-of is never a final no -----------------------------------------------


def trace_of(doc: Any, rule: str) -> list[str]:
    return [step["text"] for step in result(doc, rule)["trace"]]


def test_an_undetermined_any_of_says_which_options_wait(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = run_json(capsys, TEXTILE, case(tmp_path, {"申请人类型": "服装电商企业"}), "--explain")
    assert result(doc, "入驻国投产业园")["status"] == "undetermined"
    steps = [s for s in trace_of(doc, "入驻国投产业园") if s.startswith("满足以下之一")]
    assert len(steps) == 1
    assert "无一满足" not in steps[0]
    assert "尚未确定" in steps[0]
    assert (
        "「服装电商企业月发货量不少于3万单或直播间不少于5个」需要输入 月发货量、直播间数"
        in steps[0]
    )
    assert "其余各项不满足" in steps[0]


def test_a_decided_any_of_still_says_none_holds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = run_json(capsys, TEXTILE, case(tmp_path, {"申请人类型": "物流企业"}), "--explain")
    assert result(doc, "入驻国投产业园")["status"] == "not_applicable"
    assert "满足以下之一: 无一满足" in trace_of(doc, "入驻国投产业园")


def test_a_condition_waiting_for_an_input_is_in_the_trace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = run_json(capsys, TEXTILE, case(tmp_path, FACTORY), "--explain")
    steps = trace_of(doc, "整体搬迁补贴")
    assert any(s.startswith("条件待定: ") and "需要输入 整体搬迁来天或返天" in s for s in steps)


# ---- reading options by their Chinese label ---------------------------------------------------


def test_reading_options_show_the_policys_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(case(tmp_path, FACTORY))
    _, everything, _ = run(capsys, str(TEXTILE), "--case", path, "--all")
    assert "有效期起算 = 自签发日2023-01-06起算,当日计入,有效期至2026-01-05" in everything
    assert "from_start_day" not in everything
    _, chosen, _ = run(
        capsys, str(TEXTILE), "--case", path, "--reading", "有效期起算=from_next_day"
    )
    assert (
        "有效期起算 = 依民法典第二百零一条,开始当日不计入,自次日起算,有效期至2026-01-06" in chosen
    )
    assert "from_next_day" not in chosen
    # the JSON document keeps the option's name: it is what --reading and case files take
    doc = run_json(capsys, TEXTILE, Path(path))
    assert doc["readings"]["有效期起算"] == "from_start_day"


# ---- every example case ------------------------------------------------------------------------


def test_every_missing_input_of_every_example_is_in_the_one_list() -> None:
    """Over the shipped examples: each input a rule names as missing is in `still_needed` with
    that rule, no input the case gives is asked for, and each input comes once."""
    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy
    from policyc.needs import still_needed

    checked_cases = 0
    for policy_file in sorted((REPO / "policies").glob("tz*.policy")):
        policy = compile_policy(policy_file)
        for path in sorted((REPO / "examples" / policy_file.stem).glob("*.yaml")):
            loaded = load_case(path, policy.checked)
            readings = dict(policy.namespace["READINGS"]) | loaded.readings
            results = policy.evaluate(loaded.inputs, loaded.on, readings, loaded.received)
            needs = still_needed(policy.checked, results, loaded.inputs, readings)
            by_name = {item.name: item.rules for item in needs}
            assert len(by_name) == len(needs), path
            assert not set(by_name) & set(loaded.inputs), path
            for r in results:
                for name in r.missing:
                    assert r.info.name in by_name[name], (path, r.info.name, name)
            checked_cases += 1
    assert checked_cases > 200


def test_a_misspelt_status_word_gets_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(noise_case(tmp_path, {"行为": "饲养宠物产生噪声"}))
    status, _, err = run(capsys, str(NOISE), "--case", path, "--only", "aplies")
    assert status == 2
    assert "unknown status aplies; did you mean `applies`" in err


def test_only_shiyong_lists_what_the_answer_marks_applying(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 产业发展专项资金支持 applies with an amount the document leaves open (unspecified): the
    # answer marks it `✔`, so `--only 适用` lists it; the JSON name `applies` stays exact.
    case = str(REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml")
    textile = str(REPO / "policies" / "tzf-2023-1.policy")
    _, shiyong, _ = run(capsys, textile, "--case", case, "--only", "适用")
    _, applies, _ = run(capsys, textile, "--case", case, "--only", "applies")
    _, both, _ = run(capsys, textile, "--case", case, "--only", "applies,unspecified")
    assert shiyong == both != applies
    assert "产业发展专项资金支持" in shiyong and "产业发展专项资金支持" not in applies
