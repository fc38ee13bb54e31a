"""The compiled-policy cache: hits when nothing changed, misses when anything it depends on did,
survives a damaged entry or two processes compiling at once, and never runs what a cache folder
holds unless this user's own policyc wrote it (issue 17, section 1)."""

from __future__ import annotations

import marshal
import os
import pickle
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler import cache, files, pipeline
from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import compile_policy
from tests.conftest import HEADER, PolicyFactory

RULE = "  rule r { amount 1 元 }"


def amount(path: Path) -> str:
    (result,) = compile_policy(path).evaluate({}, date(2023, 6, 30))
    assert result.amount is not None
    return str(result.amount.value)


def entries(folder: Path) -> list[Path]:
    """The compiled policies in the folder (not the parser's tables, nor parsed files)."""
    return [p for p in folder.glob("*.entry") if not p.name.startswith(("lark-", "parse-"))]


class Marker:
    """Unpickling this creates `path`: a payload that must never run."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (str(self.path), "w"))


def spy_loads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    hits: list[bool] = []
    original = cache.load

    def spy(key: str):  # type: ignore[no-untyped-def]
        hit = original(key)
        hits.append(hit is not None)
        return hit

    monkeypatch.setattr(cache, "load", spy)
    return hits


def test_an_unchanged_policy_is_read_from_the_cache(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    assert len(entries(cache_folder)) == 1
    hits = spy_loads(monkeypatch)
    assert amount(path) == "1"
    assert hits == [True]


def test_the_folder_is_private_and_the_key_is_0600(policies: PolicyFactory, cache_folder: Path):
    amount(policies.write(policies.clause(RULE)))
    assert stat.S_IMODE(cache_folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_folder / "secret.key").stat().st_mode) == 0o600
    assert len((cache_folder / "secret.key").read_bytes()) == 32
    for entry in cache_folder.iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600, entry


def test_a_change_to_the_policy_is_seen(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    amount(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("amount 1 元", "amount 2 元"), encoding="utf-8"
    )
    assert amount(path) == "2"


# ---- the files the checker read, however the header names them -------------------------------

HEADERS = {
    "as written": HEADER,
    "on one line": " ".join(line.strip() for line in HEADER.splitlines()) + "\n",
    "a comment inside `units from`": HEADER.replace('units from "units.policy"', 'units # 单位名录\n from "units.policy"')
    .replace('source "source.txt"', 'source # 原文\n "source.txt"'),
}  # fmt: skip


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_a_changed_registry_is_seen(policies: PolicyFactory, cache_folder: Path, header: str):
    path = policies.write(policies.clause(RULE), header=header)
    assert amount(path) == "1"
    assert amount(path) == "1"  # now from the cache
    registry = policies.folder / "units.policy"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("unit 市商务局", "unit 市商务厅"),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="市商务局"):  # as `check` says
        compile_policy(path)
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("unit 市商务厅", "unit 市商务局"),
        encoding="utf-8",
    )
    assert amount(path) == "1"


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_a_changed_source_text_is_seen(policies: PolicyFactory, cache_folder: Path, header: str):
    path = policies.write(policies.clause(RULE), header=header)
    assert amount(path) == "1"
    assert amount(path) == "1"
    source = policies.folder / "source.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("每单补贴0.2元", "每单补贴0.3元"),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="quote"):
        compile_policy(path)


def test_a_dependency_is_hashed_within_the_size_limit(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """A registry grown past the limit after a cached run: the lookup hashes no more of it than
    the checker reads (it is refused on its size), misses, and `run` says what `check` says."""
    path = policies.write(policies.clause(RULE))
    assert amount(path) == "1"
    registry = policies.folder / "units.policy"
    registry.write_text(registry.read_text(encoding="utf-8") + "# 填充\n" * 200, encoding="utf-8")
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    assert files.digest_of(registry) == files.UNREADABLE
    with pytest.raises(PolicyError, match="larger than 1000 bytes"):
        compile_policy(path)


# ---- what the folder holds is not trusted ---------------------------------------------------


def test_a_damaged_entry_is_recompiled(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    amount(path)
    (entry,) = entries(cache_folder)
    entry.write_bytes(entry.read_bytes()[:40])
    assert amount(path) == "1"


@pytest.mark.parametrize("where", [0, 20, 40, 100, -200, -1])
def test_a_flipped_bit_is_never_loaded(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch, where: int
):
    path = policies.write(policies.clause(RULE))
    amount(path)
    fresh = compile_policy(path).python_source
    (entry,) = entries(cache_folder)
    data = bytearray(entry.read_bytes())
    # magic, the head's MAC, the rest's MAC, the head's length, the head, the rest
    head_ends = 16 + 32 + 32 + 8 + int.from_bytes(data[80:88], "little")
    data[where] ^= 0x10
    entry.write_bytes(bytes(data))
    hits = spy_loads(monkeypatch)
    checks: list[object] = []
    check_policy = pipeline.check_policy
    monkeypatch.setattr(pipeline, "check_policy", lambda *a: checks.append(a) or check_policy(*a))
    assert amount(path) == "1"
    if where % len(data) < head_ends:
        assert hits == [False]  # the head (what a run reads) refused: compiled again
    else:
        # The run reads the head; the rest (checked policy, source) is refused when asked for,
        # never unpickled, and compiled again.
        assert hits == [True] and checks == []
        policy = compile_policy(path)
        assert policy.python_source == fresh
        assert policy.checked.file.path == str(path)
        assert len(checks) == 1


def test_a_replaced_entry_never_runs_its_payload(
    policies: PolicyFactory, cache_folder: Path, tmp_path: Path
):
    """An entry written by someone without the key: a pickle whose loading creates a file, and a
    code object that would create another and return a wrong amount."""
    path = policies.write(policies.clause(RULE))
    amount(path)
    (entry,) = entries(cache_folder)
    pickled, code_marker = tmp_path / "PWNED-pickle", tmp_path / "PWNED-code"
    code = compile(f"open({str(code_marker)!r}, 'w')\nRULES = FUNCTIONS = ()\n", "<evil>", "exec")
    body = marshal.dumps(((), pickle.dumps(Marker(pickled)), "", marshal.dumps(code)))
    original = entry.read_bytes()
    for forged in (
        original[: len(b"policyc-cache-2\n")] + bytes(32) + body,  # a MAC the forger guessed
        original[: len(b"policyc-cache-2\n") + 32] + body,  # the old MAC on a new body
        pickle.dumps(Marker(pickled)),  # the old format: a bare pickle
    ):
        entry.write_bytes(forged)
        assert amount(path) == "1"
        assert not pickled.exists() and not code_marker.exists()


def test_an_entry_of_another_python_is_not_used(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    with monkeypatch.context() as other:
        other.setattr(cache, "python_tag", lambda: "cpython-399 3.99.0 marshal 9")
        assert amount(path) == "1"
    (foreign,) = entries(cache_folder)
    hits = spy_loads(monkeypatch)
    assert amount(path) == "1"
    assert hits == [False]
    # Renamed to this Python's name it is still refused: the MAC covers the name.
    (mine,) = [e for e in entries(cache_folder) if e != foreign]
    mine.write_bytes(foreign.read_bytes())
    assert amount(path) == "1"
    assert hits == [False, False]


def test_a_group_writable_folder_is_refused(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):  # fmt: skip
    cache_folder.mkdir(mode=0o700)
    cache_folder.chmod(0o770)
    path = policies.write(policies.clause(RULE))
    hits = spy_loads(monkeypatch)
    assert amount(path) == "1"
    assert amount(path) == "1"
    assert hits == [False, False]
    assert list(cache_folder.iterdir()) == []
    assert "can be written by others" in capsys.readouterr().err


def test_a_group_writable_entry_is_refused(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    amount(path)
    (entry,) = entries(cache_folder)
    entry.chmod(0o660)
    hits = spy_loads(monkeypatch)
    assert amount(path) == "1"
    assert hits == [False]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand a folder to another user")
def test_a_folder_of_another_user_is_refused(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    cache_folder.mkdir(mode=0o700)
    os.chown(cache_folder, 65534, 65534)
    hits = spy_loads(monkeypatch)
    assert amount(policies.write(policies.clause(RULE))) == "1"
    assert hits == [False]
    assert list(cache_folder.iterdir()) == []


def test_a_key_others_can_read_is_refused(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    amount(path)
    (cache_folder / "secret.key").chmod(0o644)
    hits = spy_loads(monkeypatch)
    assert amount(path) == "1"
    assert hits == [False]


def test_a_symlinked_folder_is_refused(policies: PolicyFactory, cache_folder: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache_folder.symlink_to(elsewhere)
    assert amount(policies.write(policies.clause(RULE))) == "1"
    assert list(elsewhere.iterdir()) == []


def test_a_failed_write_leaves_no_temporary_file(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    failures: list[str] = []

    def full_disk(*args: object, **kwargs: object) -> None:
        failures.append(str(args[0]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full_disk)
    assert amount(path) == "1"
    assert failures  # the write was really attempted, and failed
    assert not [p for p in cache_folder.iterdir() if p.name.endswith(".tmp")]
    assert entries(cache_folder) == []


def test_the_cache_is_bounded(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    paths = [policies.write(policies.clause(RULE), name=f"p{i}.policy") for i in range(5)]
    for path in paths:
        assert amount(path) == "1"
    assert len(list(cache_folder.glob("*.entry"))) == 3
    hits = spy_loads(monkeypatch)
    assert amount(paths[-1]) == "1" and amount(paths[0]) == "1"
    assert hits == [True, False]  # the newest kept, the oldest evicted
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 1000)
    big = policies.write(policies.clause(RULE), name="big.policy")
    assert amount(big) == "1"
    assert amount(big) == "1"
    assert hits[-2:] == [False, False]


def test_turned_off_stores_no_compiled_policy(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("POLICYC_NO_CACHE", "1")
    assert amount(policies.write(policies.clause(RULE))) == "1"
    assert not cache_folder.exists() or entries(cache_folder) == []


def test_two_processes_compiling_at_once(policies: PolicyFactory, cache_folder: Path):
    path = policies.write(policies.clause(RULE))
    code = f"from policyc.cli import main; raise SystemExit(main(['check', {str(path)!r}]))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    assert all(run.wait(timeout=120) == 0 for run in runs)
    case = policies.folder / "case.yaml"
    case.write_text("on: 2023-06-30\ninputs: {}\n", encoding="utf-8")
    code = f"from policyc.cli import main; raise SystemExit(main(['run', {str(path)!r}, '--case', {str(case)!r}]))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all("1元" in out.decode() for out, _ in outputs)
    assert not list(cache_folder.glob("*.tmp"))


def test_another_build_of_the_compiler_never_reuses_an_entry(
    policies: PolicyFactory, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    path = policies.write(policies.clause(RULE))
    text = path.read_text(encoding="utf-8")
    before = cache.cache_key(path, text)
    monkeypatch.setattr(cache, "_compiler_fingerprint", lambda: b"another build")
    assert cache.cache_key(path, text) != before


# ---- the parser's tables -------------------------------------------------------------------

PLANT_OLD_LARK_CACHE = """
import pickle, sys, tempfile, pathlib
from lark import Lark
from policyc.grammar import grammar_text
from policyc.compiler.parser import LARK_OPTIONS
from policyc.compiler.glued import GluedBoundaries

class Marker:
    def __reduce__(self):
        return (open, (sys.argv[1], "w"))

# Let Lark write its cache once, to learn the predictable name, then plant a payload there:
# Lark reads the first line (a hash anyone can compute) and unpickles what follows.
# The formatter's options (`fmt`) keep every token and read `50人以上` with the post-lexer
# (Lark's cache name hashes the options in the order given).
if sys.argv[2] == "fmt":
    Lark(grammar_text(), cache=True, keep_all_tokens=True, postlex=GluedBoundaries(), **LARK_OPTIONS)
else:
    Lark(grammar_text(), cache=True, **LARK_OPTIONS)
(planted,) = pathlib.Path(tempfile.gettempdir()).glob(".lark_cache_*")
first_line = planted.read_bytes().split(b"\\n", 1)[0]
planted.write_bytes(first_line + b"\\n" + pickle.dumps(Marker()))
print(planted)
"""


@pytest.mark.parametrize("command", ["check", "fmt"])
def test_a_planted_lark_cache_in_the_temp_folder_is_not_loaded(
    policies: PolicyFactory, tmp_path: Path, command: str
):
    temp, marker = tmp_path / "tmp", tmp_path / "PWNED"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "POLICYC_DEBUG"}
    env |= {"TMPDIR": str(temp), "POLICYC_CACHE_DIR": str(tmp_path / "private")}
    planted = subprocess.run(
        [sys.executable, "-c", PLANT_OLD_LARK_CACHE, str(marker), command],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    assert Path(planted.stdout.strip()).exists() and not marker.exists()
    path = policies.write(policies.clause(RULE))
    done = subprocess.run(
        [sys.executable, "-m", "policyc", command, str(path)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not marker.exists()


def test_a_planted_parser_entry_is_not_loaded(tmp_path: Path, cache_folder: Path):
    from policyc.compiler import parser

    parser.cached_lark.__wrapped__()  # type: ignore[attr-defined]  # builds and stores the tables here
    (entry,) = cache_folder.glob("lark-*.entry")
    marker = tmp_path / "PWNED"
    for forged in (
        entry.read_bytes()[:48] + pickle.dumps(Marker(marker)),
        pickle.dumps(Marker(marker)),
    ):
        entry.write_bytes(forged)
        assert cache.load_blob(entry.name.removesuffix(".entry")) is None
        fresh = parser.cached_lark.__wrapped__()  # type: ignore[attr-defined]
        assert fresh.parse('policy "x" { title "t" }') is not None
        assert not marker.exists()
