"""`policyc run` on a cached policy prints what it prints on a fresh compile, to the byte (issue 16).

A warm run reads the plain-data view the cache keeps (compiler/run_view.py) and loads the
checked policy (the AST) only when `--explain` or a target's progress asks for it; a cold run
builds the view from the checked policy it has just compiled. Every example case of the five
policies and the households fixture goes through `main` with each (text, `--format json`,
`--all`, `--explain`, `--only`), and so do readings, dates, periods and mistakes; then a real
cold process and a real warm one, and what the warm one imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import policyc.cli as cli
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from tests.conftest import REPO

HOUSEHOLD = REPO / "tests" / "fixtures" / "county-household"
POLICIES = sorted(
    p for p in (REPO / "policies").glob("*.policy") if (REPO / "examples" / p.stem).is_dir()
)
VARIANTS = ((), ("--format", "json"), ("--all",), ("--explain",), ("--only", "适用,待定"))


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("warm") / "cache"
    saved = os.environ.get("POLICYC_CACHE_DIR")
    os.environ["POLICYC_CACHE_DIR"] = str(folder)
    os.environ.pop("POLICYC_NO_CACHE", None)
    yield folder
    if saved is None:
        os.environ.pop("POLICYC_CACHE_DIR", None)
    else:
        os.environ["POLICYC_CACHE_DIR"] = saved


@pytest.fixture(scope="module")
def compiled(cache_folder: Path) -> dict[Path, tuple[CompiledPolicy, CompiledPolicy]]:
    """Per policy: (cold: compiled now, warm: read back from the cache)."""
    pairs = {}
    for path in [*POLICIES, HOUSEHOLD / "county-household.policy"]:
        cold = compile_policy(path)
        warm = compile_policy(path)
        assert warm._checked is None, f"{path.name}: the second compile is not a cache hit"
        pairs[path] = (cold, warm)
    return pairs


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    policy: CompiledPolicy,
    argv: list[str],
) -> tuple[int, str, str]:
    """`policyc ARGV` in this process, with `policy` as what compiling its POLICY gives."""
    monkeypatch.setattr(cli, "compile_policy", lambda _path: policy)
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def same_cold_and_warm(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pair: tuple[CompiledPolicy, CompiledPolicy],
    argv: list[str],
) -> tuple[int, str, str]:
    cold, warm = pair
    before = run(monkeypatch, capsys, cold, argv)
    after = run(monkeypatch, capsys, warm, argv)
    assert after == before, f"policyc {' '.join(argv)}: the warm run printed something else"
    return after


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.stem)
def test_every_example_prints_the_same_warm(
    policy: Path,
    compiled: dict[Path, tuple[CompiledPolicy, CompiledPolicy]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = sorted((REPO / "examples" / policy.stem).iterdir())
    assert cases
    statuses = set()
    for case in cases:
        for variant in VARIANTS:
            argv = ["run", str(policy), "--case", str(case), *variant]
            status, out, _err = same_cold_and_warm(monkeypatch, capsys, compiled[policy], argv)
            statuses.add(status)
            assert out or status != 0
    assert 0 in statuses  # the examples are good cases: most of them evaluate


@pytest.mark.parametrize(
    "extra",
    [
        ("--reading", "纺织服装企业范围=不含服装电商"),
        ("--reading", "纺织服装企业范围=不含服装电商", "--format", "json"),
        ("--reading", "纺织服装企业范围=没有这个读法"),
        ("--reading", "没有这个读法=某项"),
        ("--reading", "缺少等号"),
        ("--on", "2026-02-01"),
        ("--on", "2023-01-05", "--all"),
        ("--on", "2023-13-01"),
        ("--only", "没有这个状态"),
        ("--format", "yaml"),
        ("--period", "2023-06"),
        ("--members", "m.csv"),
    ],
    ids=lambda words: " ".join(words),
)
def test_options_and_mistakes_print_the_same_warm(
    extra: tuple[str, ...],
    compiled: dict[Path, tuple[CompiledPolicy, CompiledPolicy]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = REPO / "policies" / "tzf-2023-1.policy"
    case = REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"
    argv = ["run", str(policy), "--case", str(case), *extra]
    same_cold_and_warm(monkeypatch, capsys, compiled[policy], argv)


@pytest.mark.parametrize(
    "content",
    [
        "on: 2023-12-31\ninputs:\n  年发货量: 很多\n",  # a value of the wrong kind
        "on: 2023-12-31\ninputs:\n  没有这个输入: 1\n  年发货量: 1\n  年发货量: 2\n",  # unknown, twice
        "on: 2023-12-31\ninputs:\n  申请人类型: 服装电商企业\n  年发货量: 10\n  口罩发货量: 20\n",
        "on: 2023-12-31\nreadings:\n  纺织服装企业范围: 不含服装电商\ninputs: {}\n",
        "on: 2023-12-31\nexpect:\n  没有这条规则: {status: applies}\ninputs: {}\n",
        "policy: 另一份文件\ninputs: {}\n",
        "inputs: {}\n",  # no date
        "- a list\n",
        "on: [2023\n",  # not YAML
    ],
)
def test_bad_cases_print_the_same_warm(
    content: str,
    tmp_path: Path,
    compiled: dict[Path, tuple[CompiledPolicy, CompiledPolicy]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = REPO / "policies" / "tzf-2023-1.policy"
    case = tmp_path / "case.yaml"
    case.write_text(content, encoding="utf-8")
    for variant in ((), ("--format", "json")):
        argv = ["run", str(policy), "--case", str(case), *variant]
        same_cold_and_warm(monkeypatch, capsys, compiled[policy], argv)


def test_households_and_periods_print_the_same_warm(
    compiled: dict[Path, tuple[CompiledPolicy, CompiledPolicy]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = HOUSEHOLD / "county-household.policy"
    for case in sorted((HOUSEHOLD / "cases").iterdir()):
        for variant in (*VARIANTS, ("--period", "2026-04"), ("--period", "2026-13")):
            argv = ["run", str(policy), "--case", str(case), *variant]
            same_cold_and_warm(monkeypatch, capsys, compiled[policy], argv)


def test_the_warm_view_is_the_cold_one(
    compiled: dict[Path, tuple[CompiledPolicy, CompiledPolicy]],
) -> None:
    """What a warm run reads is what the cold run built, field by field."""
    for cold, warm in compiled.values():
        for field in cold.view._fields:
            assert getattr(warm.view, field) == getattr(cold.view, field), field
        assert warm.checked.header.number == cold.checked.header.number  # loads on demand


# ---- real processes ----------------------------------------------------------------------------

LOADED = """
import runpy, sys
sys.argv = ["policyc", *sys.argv[1:]]
try:
    runpy.run_module("policyc", run_name="__main__")
except SystemExit as exc:
    status = exc.code
heavy = ("attrs", "lark", "jinja2", "policyc.compiler.nodes", "policyc.compiler.checker",
         "policyc.compiler.parser", "policyc.compiler.codegen", "policyc.compiler.errors")
sys.stderr.write("LOADED " + " ".join(m for m in heavy if m in sys.modules) + "\\n")
sys.exit(status)
"""


def policyc_process(cache: Path, *argv: str) -> tuple[int, str, str, list[str]]:
    env = {**os.environ, "POLICYC_CACHE_DIR": str(cache)}
    env.pop("POLICYC_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, env=env, cwd=REPO
    )
    err, _, loaded = done.stderr.rpartition("LOADED ")
    return done.returncode, done.stdout, err, loaded.split()


def test_a_warm_process_prints_the_same_and_loads_no_compiler(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    argv = (
        "run",
        "policies/tzf-2023-1.policy",
        "--case",
        "examples/tzf-2023-1/07-logistics-capped.yaml",
    )
    cold = policyc_process(cache, *argv)
    warm = policyc_process(cache, *argv)
    assert cold[0] == 0, cold[2]
    assert "policyc.compiler.checker" in cold[3]  # the cold process compiled the policy
    assert warm[:3] == cold[:3]
    assert warm[3] == [], f"a warm run imported {warm[3]}"
    json_cold = policyc_process(tmp_path / "other", *argv, "--format", "json")
    json_warm = policyc_process(tmp_path / "other", *argv, "--format", "json")
    assert json_warm[:3] == json_cold[:3] and json_warm[3] == []


def test_a_changed_policy_is_compiled_again_by_the_next_process(tmp_path: Path) -> None:
    """The warm path is only a cache: an edit to the policy is seen by the next run."""
    cache = tmp_path / "cache"
    policy = tmp_path / "policies" / "tzf-2023-1.policy"
    policy.parent.mkdir()
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    shutil.copy(REPO / "policies" / "units.policy", policy.parent / "units.policy")
    text = (REPO / "policies" / "tzf-2023-1.policy").read_text(encoding="utf-8")
    policy.write_text(text, encoding="utf-8")
    case = str(REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml")
    first = policyc_process(cache, "run", str(policy), "--case", case)
    assert first[0] == 0, first[2]
    assert "100万元" in first[1]
    assert "cap 100 万元 per 企业 per 年" in text
    policy.write_text(
        text.replace("cap 100 万元 per 企业 per 年", "cap 90 万元 per 企业 per 年"),
        encoding="utf-8",
    )
    second = policyc_process(cache, "run", str(policy), "--case", case)
    assert second[0] == 0, second[2]
    assert "policyc.compiler.checker" in second[3]  # compiled again, not read back
    assert "900,000元（90万元）" in second[1] and "100万元" not in second[1]
