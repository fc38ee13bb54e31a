"""The `policyc` command as a user meets it: exit codes, messages, the JSON document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"


def policyc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def run_mini(*extra: str, case: Path = MINI / "case.yaml") -> subprocess.CompletedProcess[str]:
    return policyc("run", str(MINI / "mini.policy"), "--case", str(case), *extra)


def test_check_ok_prints_a_summary():
    done = policyc("check", str(MINI / "mini.policy"))
    assert done.returncode == 0, done.stderr
    # 5 sentences in the source; the quote and the heading （七）降低物流成本 cover 2.
    assert "ok (测试〔2023〕1号: 1 clauses, 5 rules, source coverage 40.0%)" in done.stdout


def test_run_json_document():
    done = run_mini("--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["policyc"] == 1
    assert doc["policy"] == "测试〔2023〕1号"
    assert doc["in_force"] is True
    assert doc["valid_until"] == "2026-01-05"
    by_rule = {r["rule"]: r for r in doc["results"]}
    logistics = by_rule["电商物流补贴"]
    # 0.2元/单 × (6,000,000 − 10,000) 单 = 1,198,000元, capped at 100万元.
    assert logistics["amount"]["value"] == "1000000"
    assert logistics["uncapped"]["value"] == "1198000"
    assert logistics["capped"] is True
    assert logistics["responsible"] == ["市商务局", "市财政局"]
    assert logistics["quotes"][0].startswith("对服装电商企业")
    assert "trace" not in logistics
    assert by_rule["用工"]["status"] == "unspecified"
    assert by_rule["用工"]["amount"] is None
    # 1.2亿 first reaches 8000万 and 1亿 (6000万 had already passed 5000万): 8万 + 15万.
    assert by_rule["档"]["amount"]["value"] == "230000"
    # 省内 2 × 2000 + 国(境)外 1 × 10000.
    assert by_rule["展"]["amount"]["value"] == "14000"


def test_explain_traces_each_number_to_its_line():
    doc = json.loads(run_mini("--format", "json", "--explain").stdout)
    trace = {r["rule"]: r["trace"] for r in doc["results"]}["电商物流补贴"]
    texts = [step["text"] for step in trace]
    assert any(
        "金额 = 0.2元/单 × (年发货量 − 口罩发货量 − (若读法「口罩」取「全部」则其他纺织品发货量，否则0单))"
        in t
        and "6,000,000单" in t
        for t in texts
    )
    assert any(t.startswith("封顶") for t in texts)
    policy_lines = (MINI / "mini.policy").read_text(encoding="utf-8").splitlines()
    for step in trace:
        assert 1 <= step["line"] <= len(policy_lines)
    amount_step = next(s for s in trace if s["text"].startswith("金额"))
    assert "amount 0.2 元/单" in policy_lines[amount_step["line"] - 1]


def test_date_outside_validity_says_not_in_force():
    done = run_mini("--on", "2026-01-06")
    assert done.returncode == 0
    assert "不在有效期内" in done.stdout
    doc = json.loads(run_mini("--on", "2026-01-06", "--format", "json").stdout)
    assert doc["in_force"] is False
    statuses = {r["rule"]: r["status"] for r in doc["results"]}
    assert statuses["电商物流补贴"] == "not_in_force"
    # the rent relief is judged on its anchor (入驻日期 2023-03-01), inside the validity period
    assert statuses["租"] == "applies"
    last_day = json.loads(run_mini("--on", "2026-01-05", "--format", "json").stdout)
    assert last_day["in_force"] is True


def test_reading_override():
    done = run_mini("--reading", "口罩=全部", "--format", "json")
    assert json.loads(done.stdout)["readings"]["口罩"] == "全部"
    bad = run_mini("--reading", "口罩=一半")
    assert bad.returncode == 2
    assert "reading `口罩` has no option `一半`; its options are 仅口罩, 全部" in bad.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", "nope.policy", "--case", "x.yaml"], "nope.policy: no such file"),
        (["run", str(MINI), "--case", str(MINI / "case.yaml")], "is a folder"),
        (["run", str(MINI / "mini.policy"), "--case", str(MINI)], "is a folder"),
        (
            [
                "run",
                str(MINI / "mini.policy"),
                "--case",
                str(MINI / "case.yaml"),
                "--on",
                "2023-13-01",
            ],
            "--on 2023-13-01",
        ),
        (["run", str(MINI / "mini.policy")], "one of the arguments --case --cases is required"),
        (["check"], "the following arguments are required: PATH"),
        (["check", "missing-folder"], "missing-folder: no such file or folder"),
        (["frobnicate"], "invalid choice"),
        (
            [
                "run",
                str(MINI / "mini.policy"),
                "--case",
                str(MINI / "case.yaml"),
                "--format",
                "xml",
            ],
            "invalid choice",
        ),
    ],
)
def test_errors_are_messages_with_status_2(args: list[str], words: str):
    done = policyc(*args)
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_check_a_broken_policy_fails_with_status_2(tmp_path: Path):
    (tmp_path / "bad.policy").write_text("clause 七 {\n}\n", encoding="utf-8")
    done = policyc("check", "bad.policy", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("bad.policy:1:10: unexpected `{`")


def test_policyc_test_reports_actual_against_expected(tmp_path: Path):
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    good = (
        case + "expect:\n  电商物流补贴: {status: applies, amount: 100万元, uncapped: 1198000元}\n"
    )
    bad = (
        case
        + "expect:\n  电商物流补贴: {status: applies, amount: 99万元}\n  用工: not_applicable\n"
    )
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    done = policyc("test", str(MINI / "mini.policy"), str(tmp_path))
    assert done.returncode == 1
    assert "amount: expected 990,000元（99万元）, got 1,000,000元（100万元）" in done.stdout
    assert "用工: status: expected not_applicable, got unspecified" in done.stdout
    assert "1 passed, 1 failed" in done.stdout
    (tmp_path / "bad.yaml").unlink()
    assert policyc("test", str(MINI / "mini.policy"), str(tmp_path)).returncode == 0


def test_a_rule_that_cannot_be_evaluated_names_its_policy_line(tmp_path: Path):
    for name in ("source.txt", "units.policy"):
        (tmp_path / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    header = (MINI / "mini.policy").read_text(encoding="utf-8").split("}\n", 1)[0] + "}\n"
    policy = header + (
        "input 月数: 月\n"
        'clause 七 "降低物流成本" {\n'
        '  quote "对服装电商企业,按实际发货量每单补贴0.2元(不含口罩等纺织品),单个企业每年最高补贴100万元。"\n'
        "  rule r { amount 1 元/年 × 月数 }\n"
        "}\n"
    )
    (tmp_path / "p.policy").write_text(policy, encoding="utf-8")
    (tmp_path / "c.yaml").write_text("on: 2023-05-01\ninputs: {月数: 1}\n", encoding="utf-8")
    done = policyc("run", "p.policy", "--case", "c.yaml", cwd=tmp_path)
    assert done.returncode == 2
    line = policy.splitlines().index("  rule r { amount 1 元/年 × 月数 }") + 1
    assert done.stderr.startswith(
        f"p.policy:{line}: rule `r` could not be evaluated: the amount is not an exact decimal"
    )
    assert "Traceback" not in done.stderr
    (tmp_path / "c.yaml").write_text("on: 2023-05-01\ninputs: {月数: 12}\n", encoding="utf-8")
    assert "1元" in policyc("run", "p.policy", "--case", "c.yaml", cwd=tmp_path).stdout


def test_only_filters_the_listing_but_not_the_totals():
    doc = json.loads(run_mini("--format", "json", "--only", "unspecified").stdout)
    assert [r["rule"] for r in doc["results"]] == ["用工"]
    assert (
        doc["totals"]["元"]["value"] == "1364000"
    )  # 100万 + 23万 + 12万 + 1.4万, all still counted
    bad = run_mini("--only", "maybe")
    assert bad.returncode == 2
    assert "unknown status maybe" in bad.stderr
