"""Hostile inputs through the command line, in a subprocess with bounded time and memory: every
one ends in a policyc message and exit status 2 — never a traceback, an internal error, a hang or
a partial output folder.

tests/test_cases.py tests the case loader directly on some of these; here the whole command runs.
Tests marked `finding(…)` reproduce findings of the fuzzer or of these tests; each names where
the bug was. All of them are fixed and pass.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.cli import main
from tests.conftest import HEADER, QUOTE, REPO, fail_third_write

MINI = REPO / "tests" / "fixtures" / "mini"
MEMORY = 1536 * 2**20  # bytes of address space a hostile run may take
TIMEOUT = 120  # seconds: a hang guard (a command answers in about a second; a hang never does)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def policyc(*args: str | Path, cwd: Path | None = None, timeout: float = TIMEOUT) -> Done:
    env = {k: v for k, v in os.environ.items() if k != "POLICYC_DEBUG"}
    env["POLICYC_NO_CACHE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "policyc", *map(str, args)],
        capture_output=True,
        text=True,
        errors="replace",
        cwd=cwd,
        env=env,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
    )
    return Done(done.returncode, done.stdout, done.stderr)


class Done:
    def __init__(self, status: int, out: str, err: str):
        self.status, self.out, self.err = status, out, err

    def refused(self, *words: str) -> None:
        """Exit status 2 with a message containing `words`, no traceback, nothing on stdout."""
        assert self.status == 2, (self.status, self.err[-2000:])
        assert "Traceback" not in self.err, self.err[-2000:]
        assert "internal error" not in self.err, self.err[-2000:]
        assert self.err.startswith(("policyc: ", "usage: ")) or ":" in self.err.split("\n")[0]
        for word in words:
            assert word in self.err, (word, self.err[-2000:])
        assert self.out == ""


def run_case(tmp_path: Path, content: str | bytes, name: str = "case.yaml") -> Done:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return policyc("run", MINI / "mini.policy", "--case", path)


def finding(reason: str) -> pytest.MarkDecorator:
    """Marks a regression test that reproduces a fuzzer (or hostile-input) finding; `reason`
    says where the bug was. The fixes have landed, so the mark no longer expects a failure."""
    return pytest.mark.skipif(False, reason=reason)


# ---- case files ------------------------------------------------------------------------------

ONE = "on: 2023-12-31\ninputs:\n  申请人类型: 服装电商企业\n"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        # numbers: huge, tiny, negative, not finite, written as strings, in exponent form
        (ONE + "  年发货量: " + "9" * 40 + "\n", "more than 30 integer digits"),
        (ONE + "  年发货量: '" + "9" * 31 + " 单'\n", "more than 30 integer digits"),
        (ONE + "  年发货量: -1\n", "must not be negative"),
        (ONE + "  年发货量: -0.5万单\n", "must not be negative"),
        (ONE + "  年发货量: .nan\n", "is not a number a case may hold"),
        (ONE + "  年发货量: -.inf\n", "is not a number a case may hold"),
        (ONE + "  年发货量: 'NaN'\n", "not a finite number"),
        (ONE + "  年发货量: 'Infinity 单'\n", "not a finite number"),
        (ONE + "  年发货量: 1e400\n", "without an exponent"),
        (ONE + "  年发货量: 0x1F\n", "年发货量"),
        (ONE + "  年发货量: 5 美元\n", "expected a quantity in 单"),
        # wrong types
        (ONE + "  年发货量: [1, 2]\n", "expected a number of 单, got a list"),
        (ONE + "  年发货量: {a: 1}\n", "expected a number of 单, got a mapping"),
        (ONE + "  年发货量: true\n", "expected a number of 单"),
        (ONE.replace("服装电商企业", "[服装电商企业]"), "expected one of 服装电商企业, 物流企业"),
        (ONE.replace("服装电商企业", "5"), "expected one of 服装电商企业, 物流企业"),
        (ONE + "  入驻日期: 20230101\n", "入驻日期"),
        (ONE + "  入驻日期: 2023-02-30\n", "2023-02-30"),
        (ONE + "  参展次数: 5\n", "参展次数"),
        (ONE + "  参展次数: {省内: [1]}\n", "参展次数"),
        (ONE.replace("2023-12-31", "[2023]"), "`on`"),
        (ONE.replace("2023-12-31", "99999-01-01"), "`on`"),
        (ONE + "received: 5\n", "`received` must be a list of rule names"),
        (ONE + "received: [[电商物流补贴]]\n", "`received` must be a list of rule names"),
        (ONE + "readings: [口罩]\n", "`readings` maps a reading's name"),
        (ONE + "readings: {口罩: [全部]}\n", "has no option"),
        ("inputs: 5\n", "`inputs` must be a mapping"),
        ("just a string\n", "a case is a mapping"),
        ("? [a, b]\n: 1\n", "a key must be a plain name"),
        # structure
        ("inputs: " + "{a: " * 200 + "1" + "}" * 200 + "\n", "nested too deeply"),
        ("inputs: {申请人类型: !!python/object/apply:os.system [echo pwned]}\n", "申请人类型"),
        ("inputs: {申请人类型: !!binary aGVsbG8=}\n", "申请人类型"),
        ("inputs: {申请人类型: !custom 物流企业, 年发货量: !!set {1: null}}\n", "年发货量"),
        ("inputs: [unclosed\n", "invalid YAML"),
        ("inputs: {a: 1}\n\t- tab\n", "invalid YAML"),
        ("%YAML 9.9\n---\ninputs: {}\n", "invalid YAML"),
        ("---\ninputs: {}\n---\ninputs: {}\n", "invalid YAML"),
        # not text, or nothing
        (b"\xff\xfeo\x00n\x00", "not UTF-8"),
        ("inputs: {申请人类型: 物流企业}\n".encode("utf-16"), "not UTF-8"),
        (b"on: 2023-12-31\ninputs: {\xe7\x94: 1}\n", "not UTF-8"),
        (b"", "the file is empty"),
        (b"\n\n   \n", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"---\n...\n", "a case is a mapping"),
    ],
)
def test_hostile_yaml_case(tmp_path: Path, content: str | bytes, words: str):
    run_case(tmp_path, content).refused(words)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"inputs": {"年发货量": NaN}}', "`NaN` is not a number a case may hold"),
        ('{"inputs": {"年发货量": -Infinity}}', "`-Infinity` is not a number a case may hold"),
        ('{"inputs": {"年发货量": 1e999999999}}', "without an exponent"),
        ('{"inputs": {"年发货量": "1e5"}}', "without an exponent"),
        pytest.param(
            '{"on": "2023-12-31", "inputs": {"申请人类型": null}}',
            "missing input `申请人类型`",
            marks=finding(
                "cli/cases.py validate_inputs: a required input written as null is 'the same as "
                "not given' but escapes the missing-input check (`name not in given`); test "
                "`name not in values` instead"
            ),
        ),
        ('{"inputs": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"inputs": {"申请人类型": "物流企业"', "invalid JSON"),
        ("[1, 2]", "a case is a mapping"),
        ('"text"', "a case is a mapping"),
        ('{"inputs": {"申请人类型": "物流企业"}}\x00', "invalid JSON"),
    ],
)
def test_hostile_json_case(tmp_path: Path, content: str, words: str):
    run_case(tmp_path, content, "case.json").refused(words)


@finding(
    "cli/cases.py _from_yaml: PyYAML's composer recurses, so 5000 nested `[` raise "
    "RecursionError before the depth check in _convert; catch RecursionError around "
    "yaml.compose: `except RecursionError: raise InputError(f'{path}: nested too deeply')`"
)
def test_yaml_nested_deeper_than_the_composer_recurses(tmp_path: Path):
    run_case(tmp_path, "inputs: " + "[" * 5000 + "]" * 5000 + "\n").refused("nested too deeply")


@finding(
    "runtime/quantity.py parse_quantity_text: a number of more than 60 significant digits "
    "(here 61 decimals; the fuzzer's was 9.2222…亿元) makes the exact context raise "
    "decimal.Inexact in `number *= 万` or in Quantity.of; refuse more than 30 digits after the "
    "point as it refuses more than 30 before it, or turn Inexact into a MeasureError"
)
@pytest.mark.parametrize("value", ["9." + "2" * 61 + "万单", "9." + "2" * 80])
def test_fuzz_a_number_with_too_many_decimals(tmp_path: Path, value: str):
    run_case(tmp_path, ONE + f"  年发货量: {value}\n").refused("年发货量")


def test_exponential_yaml_anchors_through_run(tmp_path: Path):
    """A billion laughs: 9 levels of 10 references each, in a field and in a value."""
    lines = ['a0: &a0 "lol"'] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)
    ]
    text = "description:\n" + "".join(f"  {line}\n" for line in lines)
    text += "on: 2023-12-31\ninputs:\n  申请人类型: *a9\n  参展次数: {省内: *a9}\n"
    run_case(tmp_path, text).refused("申请人类型", "expected one of 服装电商企业, 物流企业")


def test_a_mapping_merge_of_anchors_is_read(tmp_path: Path):
    text = "base: &b {申请人类型: 物流企业}\non: 2023-12-31\ninputs:\n  <<: *b\n"
    done = run_case(tmp_path, text)
    assert done.status in (0, 2) and "Traceback" not in done.err
    assert "internal error" not in done.err


def test_a_case_file_over_the_size_limit(tmp_path: Path):
    run_case(tmp_path, ONE + "description: '" + "x" * 5_100_000 + "'\n").refused("too large")


def test_a_long_value_is_shown_shortened(tmp_path: Path):
    done = run_case(tmp_path, ONE.replace("服装电商企业", "类" * 100_000))
    done.refused("…")
    assert len(done.err) < 2000


def test_a_folder_or_a_missing_case(tmp_path: Path):
    policyc("run", MINI / "mini.policy", "--case", tmp_path).refused("is a folder")
    policyc("run", MINI / "mini.policy", "--case", tmp_path / "nope.yaml").refused("no such file")


@finding(
    "cli/cases.py read_case_file: a device reads forever (st_size is 0). Refuse anything that "
    "is not a regular file (`if not path.is_file(): raise InputError(f'{path}: not a regular "
    "file')`) and read at most MAX_CASE_BYTES + 1 bytes"
)
def test_a_device_as_the_case(tmp_path: Path):
    policyc("run", MINI / "mini.policy", "--case", "/dev/zero", timeout=120).refused("/dev/zero")


@finding("cli/cases.py read_case_file: a FIFO blocks forever in open(); same fix (is_file)")
def test_a_fifo_as_the_case(tmp_path: Path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    try:
        # A hang guard, not a speed test: a refusal takes a second; blocking takes forever.
        done = policyc("run", MINI / "mini.policy", "--case", fifo, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("policyc run hangs on a FIFO")
    done.refused("case.yaml")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--on", "2023-13-45"], "--on 2023-13-45"),
        (["--on", "9" * 5000], "--on"),
        (["--reading", "口罩"], "expected NAME=OPTION"),
        (["--reading", "口罩=不存在"], "has no option"),
        (["--reading", "不存在=x"], "is not a reading"),
    ],
)
def test_hostile_run_arguments(args: list[str], words: str):
    policyc("run", MINI / "mini.policy", "--case", MINI / "case.yaml", *args).refused(words)


@pytest.mark.parametrize(
    "expect",
    [
        *(
            pytest.param(
                text,
                marks=finding(
                    "cli/cases.py load_case: `expect` that is not a mapping reaches "
                    "testing.check_case, which calls .items() on it; report "
                    "f'{node.where}: `expect` maps rule names to what they should give'"
                ),
            )
            for text in ("expect: 5\n", "expect: [电商物流补贴]\n")
        ),
        "expect: {电商物流补贴: [applies]}\n",
        "expect: {电商物流补贴: {status: applies, amount: 1e999}}\n",
        "expect: {电商物流补贴: {amount: {a: 1}}}\n",
        "expect: {不存在: applies}\n",
    ],
)
def test_hostile_expectations_through_policyc_test(tmp_path: Path, expect: str):
    case = (MINI / "case.yaml").read_text(encoding="utf-8")
    (tmp_path / "c.yaml").write_text(case + expect, encoding="utf-8")
    done = policyc("test", MINI / "mini.policy", tmp_path)
    assert done.status in (1, 2), done.err
    assert "Traceback" not in done.err and "internal error" not in done.err, done.err


# ---- policy files ----------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("source.txt", "units.policy"):
        shutil.copy(MINI / name, tmp_path / name)
    return tmp_path


def check_text(folder: Path, text: str | bytes, name: str = "p.policy") -> Done:
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return policyc("check", name, cwd=folder)


def clause(rules: str, declarations: str = "") -> str:
    return f'{HEADER}{declarations}\nclause 七 "t" {{\n  {QUOTE}\n  responsible 市商务局\n{rules}\n}}\n'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (b"", "a policy file starts with a `policy` header"),
        (b"\n \t\n", "a policy file starts with a `policy` header"),
        (b"\xff\xfe\x00p", "not UTF-8"),
        (b"policy \xe6\x96", "not UTF-8"),
        (b"\x00\x01\x02\x03", "unexpected character"),
        ("\ufeff" + HEADER, "unexpected character"),
        ("{" * 100_000, "unexpected"),
        ('"' * 10_001, "unexpected"),
        ("policy " + "x" * 1_000_000, "unexpected `xxx"),
        (HEADER + "clause 七 \"t\" { quote \"" + "长" * 200_000 + "\" }", "not in the source"),
        (HEADER.replace('"source.txt"', '"."'), "cannot read the source text"),
        (HEADER.replace('"units.policy"', '"."'), "cannot read the unit registry"),
        (HEADER.replace('"units.policy"', '"missing.policy"'), "cannot read the unit registry"),
        (HEADER.replace('"units.policy"', '"p.policy"'), "p.policy"),  # itself as its registry
        (HEADER.replace("lines 1 to 3", "lines 3 to 1"), "outside the file"),
        (HEADER.replace("lines 1 to 3", "lines 1 to " + "9" * 30), "outside the file"),
        (HEADER.replace("lines 1 to 3", "lines 1 to " + "9" * 50), "more than 30 digits"),
        (HEADER.replace("2023-01-06", "2023-02-30", 1), "not a calendar date"),
        (clause("rule r { amount tiers x highest { 达到 1 元: 1 元, 达到 1 元: 2 元 } }", "input x: 元"),
         "tiers must ascend"),
    ],
)  # fmt: skip
def test_hostile_policy_through_check(folder: Path, text: str | bytes, words: str):
    check_text(folder, text).refused(words)


@finding(
    "compiler/checker.py check_header: a validity of 99999999999 年 makes period_last_day "
    "raise OverflowError; catch it with MeasureError: 'the validity period runs past the year "
    "9999'"
)
def test_a_validity_past_the_calendar(folder: Path):
    check_text(folder, HEADER.replace("for 3 年", "for 99999999999 年")).refused("validity")


LARK_MATCH_EXAMPLES = (
    'policy""{title""issued2023-01-06validfrom2023-01-06for3source""lines1to3unitsfrom""}'
    'enum型{服}input量:单""input量:l\ninput数:l\ninput售:l\ninput往:l\ninput期:l\ninput租:元\n'
    'input数:l\ntable准 by点{内:0}reading罩{question""option部""take罩 because""}section二""'
    '{clause七""{quote""responsible务 rule贴{beneficiary申}rule档{amounttiers 售 each_newsince往'
    "{达到元:5}达到元:"
)  # the fuzzer's input (parse target), reduced by delta debugging


@finding(
    "compiler/parser.py _diagnose: Lark 1.3.1's UnexpectedInput.match_examples(use_accepts=True) "
    "raises TypeError (`logger.debug('…state[%d]…' % (self.state, …))` with a ParserState) when "
    "an example fails in the same state with other accepts; wrap the call: `try: label = "
    "exc.match_examples(…) except TypeError: label = ''`"
)
def test_fuzz_a_syntax_error_that_trips_lark_match_examples(folder: Path):
    check_text(folder, LARK_MATCH_EXAMPLES).refused("unexpected")


def test_a_folder_without_policies_and_a_folder_named_like_one(tmp_path: Path):
    policyc("check", tmp_path).refused("no .policy files")
    (tmp_path / "x.policy").mkdir()
    policyc("check", tmp_path).refused("is a folder")


def test_a_large_valid_policy_checks_in_bounded_time(folder: Path):
    rules = "\n".join(f"rule r{i} {{ when x 不少于 {i} 人 amount 1 元 }}" for i in range(3000))
    done = check_text(folder, clause(rules, "input x: 人"))
    assert done.status == 0, done.err


DEEP_SUM = clause("rule r { amount x" + " + x" * 600 + " }", "input x: 元")
DEEP_NOT = clause("rule r { when" + " not" * 3000 + " b amount 1 元 }", "input b: bool")
NESTING_FIX = (
    "compiler/parser.py parse: RecursionError in the builder (and in the checker, codegen and "
    "Python's compile(), which refuses more than 200 nested parentheses) — measure the parse "
    "tree's depth iteratively after Lark and raise a PolicyError 'nested too deeply (more than "
    "64 levels)' at the first node deeper than 64 (the shipped policies need 13)"
)


@finding(NESTING_FIX)
@pytest.mark.parametrize("text", [DEEP_SUM, DEEP_NOT], ids=["sum", "not"])
def test_deep_nesting_through_check(folder: Path, text: str):
    check_text(folder, text).refused("nested")


@finding(NESTING_FIX)
def test_nesting_that_checks_but_python_cannot_compile(folder: Path):
    (folder / "p.policy").write_text(
        clause("rule r { amount x" + " + x" * 200 + " }", "input x: 元"), encoding="utf-8"
    )
    (folder / "c.yaml").write_text("on: 2023-06-01\ninputs: {x: 1}\n", encoding="utf-8")
    policyc("run", "p.policy", "--case", "c.yaml", cwd=folder).refused("nested")


@finding(
    "compiler/checker.py check_rule: a cap in an unknown measure gives Type UNKNOWN, whose "
    "describe() raises KeyError('unknown'); compare only when neither type is UNKNOWN "
    "(`elif UNKNOWN not in (amount_type, cap_type) and cap_type != amount_type`)"
)
def test_fuzz_cap_in_an_unknown_measure(folder: Path):
    check_text(folder, clause("rule r { amount 1 元 cap 100 万元P }")).refused("unknown measure")


@finding(
    "compiler/checker.py _tiers: `constant()` of a threshold in an unknown measure raises "
    "MeasureError; only call it when the threshold's type is known (or have constant() return "
    "None on MeasureError)"
)
def test_fuzz_tier_threshold_in_an_unknown_measure(folder: Path):
    text = clause(
        "rule r { amount tiers x highest { 达到 1 万X: 1 万元, 达到 2 万元: 2 万元 } }",
        "input x: 元",
    )
    check_text(folder, text).refused("unknown measure")


@finding(
    "compiler/checker.py load_units and load_source: a NUL in the file name makes open() raise "
    "ValueError('embedded null byte'); catch ValueError with OSError (or refuse the name)"
)
@pytest.mark.parametrize("field", ['"source.txt"', '"units.policy"'])
def test_fuzz_a_nul_in_a_file_name(folder: Path, field: str):
    check_text(folder, HEADER.replace(field, field[:-1] + '\x00"')).refused(
        "control character U+0000"
    )


@finding(
    "compiler/build.py (quantity literals): a number of more than 60 digits makes "
    "Quantity.of raise decimal.Inexact (in the checker's constant() and in the generated "
    "module's constants); refuse literals of more than 30 integer digits as case files do"
)
@pytest.mark.parametrize("command", ["check", "run"])
def test_a_number_too_long_to_be_exact(folder: Path, command: str):
    digits = "9" * 70
    text = clause(
        f"rule r {{ amount tiers x highest {{ 达到 {digits} 元: 1 元, 达到 {digits}9 元: 2 元 }} }}",
        "input x: 元",
    )
    (folder / "p.policy").write_text(text, encoding="utf-8")
    (folder / "c.yaml").write_text("on: 2023-06-01\ninputs: {x: 1}\n", encoding="utf-8")
    args = ["check", "p.policy"] if command == "check" else ["run", "p.policy", "--case", "c.yaml"]
    policyc(*args, cwd=folder).refused("digits")


@finding(
    "compiler/pipeline.py read_source (and checker load_source/load_registry, cache.cache_key): "
    "a device named as the policy, its source or its registry is read forever; refuse what is "
    "not a regular file before reading"
)
@pytest.mark.parametrize("where", ["policy", "source", "registry"])
def test_a_device_as_a_policy_file(folder: Path, where: str):
    if where == "policy":
        done = policyc("check", "/dev/zero", cwd=folder, timeout=120)
    else:
        field = '"source.txt"' if where == "source" else '"units.policy"'
        done = check_text(folder, HEADER.replace(field, '"/dev/zero"'))
    done.refused("/dev/zero")


# ---- docs: a write that fails halfway leaves no half-written folder --------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_docs_into_a_path_under_a_file_leaves_nothing(tmp_path: Path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    done = policyc("docs", MINI / "mini.policy", "--out", tmp_path / "afile" / "out")
    assert done.status == 2 and "Traceback" not in done.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@finding(
    "cli/cli.py cmd_docs (or compiler/docs.py write_docs): an OSError while writing is reported "
    "as 'internal error'; wrap it: `except OSError as exc: raise DocsError(f'{out_dir}: cannot "
    "write the docs ({exc.strerror})') from None`"
)
def test_docs_into_a_path_under_a_file_is_a_message(tmp_path: Path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    policyc("docs", MINI / "mini.policy", "--out", tmp_path / "afile" / "out").refused("afile")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_docs_into_a_read_only_folder(tmp_path: Path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        done = policyc("docs", MINI / "mini.policy", "--out", parent / "generated_docs")
        assert done.status == 2 and "Traceback" not in done.err
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o700)


def docs_in_process(out: Path, *policies: Path) -> tuple[int, str]:
    err = io.StringIO()
    env_debug = os.environ.pop("POLICYC_DEBUG", None)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main(["docs", *map(str, policies), "--out", str(out)])
    finally:
        if env_debug is not None:
            os.environ["POLICYC_DEBUG"] = env_debug
    return status, err.getvalue()


@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "replacing"])
def test_docs_write_that_fails_halfway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
):
    out = tmp_path / "generated_docs"
    policies = [MINI / "mini.policy", REPO / "policies" / "tzf-2023-1.policy"]
    if existing:
        assert docs_in_process(out, *policies)[0] == 0
    before = snapshot(out) if existing else None
    attempts = fail_third_write(monkeypatch)
    status, err = docs_in_process(out, *policies)
    assert status == 2
    assert len(attempts) == 3
    assert "Traceback" not in err and "No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == (["generated_docs"] if existing else [])
    if existing:
        assert snapshot(out) == before


def test_docs_of_a_broken_policy_writes_nothing(tmp_path: Path):
    bad = tmp_path / "bad.policy"
    bad.write_text(HEADER + "clause 七 {\n", encoding="utf-8")
    done = policyc("docs", bad, "--out", tmp_path / "generated_docs")
    done.refused("bad.policy")
    assert not (tmp_path / "generated_docs").exists()
