"""Property tests (hypothesis): policy files and case files mutated at random — tokens deleted,
duplicated, swapped or replaced, random Unicode inserted — never make `policyc check`, `run`,
`test` or `docs` crash: each returns 0, 1 (`test` only) or 2, prints no traceback and no
"internal error". (No deadline: speed is a figure of benchmarks/, never a timed test; a hang
is caught by each command's subprocess timeout.)

`KNOWN` lists internal errors found (by the fuzzer and by these tests) whose fix lies outside
this change; tests/test_hostile.py holds their reproductions. Remove an entry once it is fixed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.cli import main
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
POLICY_SEEDS = sorted(
    p
    for p in [
        REPO / "policies" / "tzf-2023-1.policy",
        FIXTURES / "mini" / "mini.policy",
        *(FIXTURES / "check").glob("*.policy"),
        *(FIXTURES / "lint").glob("*.policy"),
    ]
    if p.name != "units.policy"
)
CASE_SEEDS = [
    FIXTURES / "mini" / "case.yaml",
    *sorted((REPO / "examples" / "tzf-2023-1").glob("*.yaml"))[::10],
]
VOCABULARY = [
    *re.findall(r'"([^"\\]+)"', (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")),
    *[
        "元",
        "万元",
        "亿元",
        "美元",
        "人",
        "单",
        "月",
        "年",
        "日",
        "元/人",
        "元/月/间",
        "%",
        "0",
        "0.2",
        "100",
        "2023-01-06",
        "9999-12-31",
    ],
    *[
        "以上",
        "不满",
        "超过",
        "达到",
        "不少于",
        "is",
        "in",
        "and",
        "or",
        "not",
        "if",
        "then",
        "else",
        "tiers",
        "schedule",
        "cap",
    ],
    *[
        "on:",
        "inputs:",
        "received:",
        "readings:",
        "expect:",
        "&a",
        "*a",
        "!!str",
        "[",
        "]",
        "{",
        "}",
        "-",
        ":",
        "'",
    ],
]
KNOWN: dict[str, str] = {}  # internal errors found and not yet fixed: none
SETTINGS = settings(
    max_examples=int(os.environ.get("POLICYC_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder laid out like the repo, so that every seed finds its source and registry."""
    root = tmp_path_factory.mktemp("properties")
    (root / "sources").mkdir()
    (root / "policies").mkdir()
    for source in (REPO / "sources").glob("*.txt"):
        shutil.copy(source, root / "sources" / source.name)
    shutil.copy(REPO / "policies" / "units.policy", root / "policies" / "units.policy")
    shutil.copy(FIXTURES / "check" / "source.txt", root / "policies" / "source.txt")
    saved = {k: os.environ.get(k) for k in ("POLICYC_DEBUG", "POLICYC_CACHE_DIR")}
    os.environ.pop("POLICYC_DEBUG", None)
    os.environ["POLICYC_CACHE_DIR"] = str(root / "cache")
    yield root / "policies"
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def policyc(*args: str | Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
    return status, err.getvalue()


def assert_no_crash(status: int, err: str, allowed: tuple[int, ...] = (0, 2)) -> None:
    assert status in allowed, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    if "internal error" in err:
        line = next(x for x in err.splitlines() if "internal error" in x)
        if not any(known in line for known in KNOWN):
            raise AssertionError(f"new internal error: {line}")


# ---- mutations ---------------------------------------------------------------------------------

TOKENS = re.compile(r"\s+|[^\s{}()\[\],:\"]+|.", re.DOTALL)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Path]) -> str:
    """A seed's text with 1–6 edits on its tokens, or random Unicode inserted."""
    text = draw(st.sampled_from(seeds)).read_text(encoding="utf-8")
    tokens = TOKENS.findall(text)
    for _ in range(draw(st.integers(1, 6))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "cut"]))
        if op == "delete":
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i] * draw(st.integers(1, 3)))
        elif op == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "replace":
            tokens[i] = draw(st.sampled_from(VOCABULARY))
        elif op == "insert":
            tokens.insert(i, draw(st.text(min_size=1, max_size=20)))
        else:
            tokens = tokens[:i]
    return "".join(tokens)


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


@SETTINGS
@given(text=mutated(POLICY_SEEDS))
def test_a_mutated_policy_never_crashes_check(workspace: Path, text: str):
    assert_no_crash(*policyc("check", _write(workspace / "m.policy", text)))


@SETTINGS
@given(text=mutated(POLICY_SEEDS))
def test_a_mutated_policy_never_crashes_run(workspace: Path, text: str):
    policy = _write(workspace / "m.policy", text)
    assert_no_crash(*policyc("run", policy, "--case", FIXTURES / "mini" / "case.yaml"))


@settings(SETTINGS, max_examples=max(SETTINGS.max_examples // 4, 5))
@given(text=mutated([FIXTURES / "mini" / "mini.policy", *(FIXTURES / "check").glob("t*.policy")]))
def test_a_mutated_policy_never_crashes_docs(workspace: Path, text: str):
    out = workspace.parent / "generated_docs"
    shutil.rmtree(out, ignore_errors=True)
    assert_no_crash(*policyc("docs", _write(workspace / "m.policy", text), "--out", out))
    leftovers = [p.name for p in workspace.parent.iterdir() if p.name.startswith(".generated")]
    assert leftovers == []


@SETTINGS
@given(text=mutated(CASE_SEEDS))
def test_a_mutated_case_never_crashes_run(workspace: Path, text: str):
    for policy in (REPO / "policies" / "tzf-2023-1.policy", FIXTURES / "mini" / "mini.policy"):
        case = _write(workspace / "c.yaml", text)
        assert_no_crash(*policyc("run", policy, "--case", case, "--format", "json"))


@SETTINGS
@given(text=mutated(CASE_SEEDS))
def test_a_mutated_case_never_crashes_test(workspace: Path, text: str):
    folder = workspace / "cases"
    folder.mkdir(exist_ok=True)
    _write(folder / "c.yaml", text)
    status, err = policyc("test", REPO / "policies" / "tzf-2023-1.policy", folder)
    assert_no_crash(status, err, allowed=(0, 1, 2))


# ---- case files built from random values -------------------------------------------------------

INPUTS = [
    "申请人类型",
    "年发货量",
    "口罩发货量",
    "员工人数",
    "销售",
    "以往",
    "入驻日期",
    "房租",
    "参展次数",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["服装电商企业", "物流企业", "2023-12-31", "0001-01-01", "9999-12-31", "3万单",
                     "5 美元", "-1", "1e5", "NaN", "省内", "∞", "1,000"]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@SETTINGS
@given(
    inputs=st.dictionaries(st.sampled_from(INPUTS) | st.text(max_size=8), VALUES, max_size=8),
    on=SCALARS,
    extra=st.dictionaries(st.sampled_from(["received", "readings", "expect", "policy"]), VALUES),
    as_json=st.booleans(),
)
def test_a_generated_case_never_crashes_run(
    workspace: Path, inputs: dict[str, object], on: object, extra: dict[str, object], as_json: bool
):
    import json

    import yaml

    document = {"on": on, "inputs": inputs, **extra}
    if as_json:
        text, name = json.dumps(document, default=str, ensure_ascii=False), "g.json"
    else:
        text, name = yaml.safe_dump(document, allow_unicode=True, default_style=None), "g.yaml"
    case = _write(workspace / name, text)
    assert_no_crash(*policyc("run", FIXTURES / "mini" / "mini.policy", "--case", case))
