"""The `policyc` command as a user meets it: exit codes, messages, the JSON document."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from importlib import metadata
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
    assert doc["policyc"] == 3  # format 2: ruled-out results are lean; 3: totals by period
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


# ---- options anywhere, a closed pipe, --version ----------------------------------------------

REPO = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "args",
    [
        ["check", "policies/tzf-2023-1.policy", "--strict", "policies/tzbh-2023-1.policy"],
        ["check", "--strict", "policies/tzf-2023-1.policy", "policies/tzbh-2023-1.policy"],
        ["duties", "市商务局", "--format", "json", "policies/"],
        ["duties", "--format", "json", "市商务局", "policies/"],
        [
            "run",
            "--format",
            "json",
            "tests/fixtures/mini/mini.policy",
            "--on",
            "2023-06-30",
            "--case",
            "tests/fixtures/mini/case.yaml",
        ],
        ["test", "tests/fixtures/mini/mini.policy", "--format", "json", "examples/none-here"],
    ],
    ids=["check-between", "check-before", "duties-between", "duties-before", "run", "test"],
)
def test_options_go_anywhere(args: list[str]):
    if args[0] == "test":
        # a case folder after the option: the option must not swallow it, nor end the paths
        folder = REPO / "examples" / "none-here"
        assert not folder.exists()
    done = policyc(*args, cwd=REPO)
    assert "unrecognized arguments" not in done.stderr
    if args[0] == "test":
        assert done.returncode == 2
        assert json.loads(done.stdout)["errors"][0]["message"] == "no such file or folder"
        return
    assert done.returncode == 0, done.stderr
    if "json" in args:
        json.loads(done.stdout)
    else:
        assert done.stdout.count(": ok (") == 2


def test_docs_options_go_anywhere(tmp_path: Path):
    done = policyc("docs", "--out", str(tmp_path / "site"), "policies/tzf-2023-1.policy", cwd=REPO)
    assert done.returncode == 0, done.stderr
    again = policyc("docs", "policies/tzf-2023-1.policy", "--out", str(tmp_path / "b"), cwd=REPO)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "b" / "mkdocs.yml").read_bytes() == (
        tmp_path / "site" / "mkdocs.yml"
    ).read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ["check", "policies/"],
        ["test"],
        ["run", "tests/fixtures/mini/mini.policy", "--case", "tests/fixtures/mini/case.yaml"],
        ["duties", "市商务局", "policies/"],
        ["check", "--format", "json", "policies/tzf-2023-1.policy"],
    ],
    ids=["check", "test", "run", "duties", "check-json"],
)
def test_a_pipe_closed_by_its_reader_ends_the_command_quietly(args: list[str]):
    # The reader is gone before policyc writes its first byte, as `| head -0` would leave it.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "policyc", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            timeout=300,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 128 + signal.SIGPIPE, done.stderr
    assert done.stderr == ""


def test_head_reads_one_line_and_policyc_stops_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "policyc", "check", "policies/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    status = process.wait(timeout=300)
    assert first.decode().endswith(
        ": ok (天政办发〔2023〕1号: 121 clauses, 0 rules, 66 targets, 0 decided values, "
        "source coverage 100.0%)\n"
    )
    # The whole report fits a pipe's buffer, so it may all be written before the close (0);
    # either way nothing is said about the pipe.
    assert status in (0, 128 + signal.SIGPIPE)
    assert "Error" not in err and "Exception" not in err, err


def test_version_comes_from_the_installed_distribution():
    done = policyc("--version")
    assert done.returncode == 0
    assert done.stdout == f"policyc {metadata.version('policyc')}\n"


# ---- errors as JSON --------------------------------------------------------------------------

ERROR_FIELDS = {"file", "line", "column", "field", "message", "expected", "severity",
                "end_line", "end_column", "code", "hint"}  # fmt: skip


def json_error(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert done.returncode == 2, done.stderr
    assert done.stderr == ""
    doc = json.loads(done.stdout)
    assert doc["policyc"] == 1 and doc["ok"] is False
    for error in doc["errors"]:
        assert set(error) == ERROR_FIELDS
    errors: list[dict[str, object]] = doc["errors"]
    return errors


def test_a_case_file_error_is_json(tmp_path: Path):
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "c.yaml").write_text(case + "  口罩发货量: 5\n", encoding="utf-8")
    errors = json_error(run_mini("--format", "json", case=tmp_path / "c.yaml"))
    line = len(case.splitlines()) + 1
    assert errors == [
        {
            "file": str(tmp_path / "c.yaml"),
            "line": line,
            "column": 3,
            "field": "口罩发货量",
            "message": "`口罩发货量` is written twice, first at 6:3 and again here; keep one "
            "(a case must not say two things about one field)",
            "expected": None,
            "severity": "error",
            "end_line": None,
            "end_column": None,
            "code": None,
            "hint": None,
        }
    ]


def test_a_policy_that_does_not_check_is_json(tmp_path: Path):
    (tmp_path / "bad.policy").write_text("clause 七 {\n}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("inputs: {}\n", encoding="utf-8")
    for args in (["run", "bad.policy", "--case", "c.yaml"], ["check", "bad.policy"]):
        errors = json_error(policyc(*args, "--format", "json", cwd=tmp_path))
        assert [(e["file"], e["line"], e["column"]) for e in errors] == [("bad.policy", 1, 10)]
        assert str(errors[0]["message"]).startswith("unexpected `{`")


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["--on", "2023-13-01"], "--on", "--on 2023-13-01: "),
        (["--reading", "口罩=一半"], "--reading", "has no option `一半`"),
        (["--only", "maybe"], "--only", "unknown status maybe"),
        (["--frobnicate"], "arguments", "unrecognized arguments: --frobnicate"),
    ],
)
def test_a_bad_argument_is_json(args: list[str], field: str, words: str):
    errors = json_error(run_mini("--format", "json", *args))
    assert len(errors) == 1
    assert errors[0]["field"] == field
    assert words in str(errors[0]["message"])


def test_a_missing_file_is_json():
    errors = json_error(policyc("run", "nope.policy", "--case", "x.yaml", "--format", "json"))
    assert errors[0]["file"] == "nope.policy"
    assert errors[0]["message"] == "no such file"


def test_duties_error_is_json():
    errors = json_error(policyc("duties", "市商务", "--format", "json", "policies/", cwd=REPO))
    assert "unknown unit `市商务`; did you mean `市商务局`" in str(errors[0]["message"])


def test_policyc_test_json_keeps_case_file_errors_apart(tmp_path: Path):
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "a-good.yaml").write_text(case + "expect:\n  用工: unspecified\n", encoding="utf-8")
    (tmp_path / "b-bad.yaml").write_text(case + "expect:\n  用工: unspecifed\n", encoding="utf-8")
    (tmp_path / "c-fail.yaml").write_text(case + "expect:\n  用工: applies\n", encoding="utf-8")
    done = policyc("test", str(MINI / "mini.policy"), str(tmp_path), "--format", "json")
    assert done.returncode == 2, done.stderr  # a case file in error outweighs a failure
    [doc] = json.loads(done.stdout)["policies"]
    assert (doc["passed"], doc["failed"], doc["errors"]) == (1, 1, 1)
    by_name = {Path(c["file"]).name: c for c in doc["cases"]}
    assert by_name["a-good.yaml"]["result"] == "ok"
    assert by_name["c-fail.yaml"]["differences"] == [
        "用工: status: expected applies, got unspecified (给予经营补贴): the rule applies but its "
        "amount is unspecified (`amount unspecified`), write `status: unspecified`"
    ]
    [error] = by_name["b-bad.yaml"]["errors"]
    assert set(error) == ERROR_FIELDS
    assert (error["line"], error["column"], error["field"]) == (
        len(case.splitlines()) + 2,
        3,  # a field's problems are placed where its name is written
        "expect.用工.status",
    )
    assert "unknown status `unspecifed`; did you mean `unspecified`?" in error["message"]


def test_policyc_test_text_reports_an_unknown_status_as_a_case_file_error(tmp_path: Path):
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "c.yaml").write_text(case + "expect:\n  用工: unspecifed\n", encoding="utf-8")
    done = policyc("test", str(MINI / "mini.policy"), str(tmp_path))
    assert done.returncode == 2
    assert f"ERROR {tmp_path / 'c.yaml'}" in done.stdout
    assert "0 passed, 0 failed, 1 case file in error" in done.stdout


def test_check_json_lists_the_files_and_their_warnings():
    done = policyc("check", str(MINI / "mini.policy"), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ok"] is True
    assert doc["files"] == [
        {
            "file": str(MINI / "mini.policy"),
            "policy": "测试〔2023〕1号",
            "clauses": 1,
            "rules": 5,
            "targets": 0,
            "decisions": 0,
            "coverage": 40.0,
        }
    ]
