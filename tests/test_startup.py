"""A warm `policyc run` stays lean (issue 16): what it must not import, and the pieces that let it
(the builtin hashes and MAC, the printable check without a pattern, the cached catalogue).
Behaviour only: the speed itself is benchmarks/run.py's to measure."""

from __future__ import annotations

import gc
import gettext
import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler import catalogues, digests, i18n
from policyc.compiler.errors_base import printable

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "tzf-2023-1.policy"
CASE = ROOT / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"
CATALOGUE = Path(i18n.LOCALE_DIR) / "zh_CN" / "LC_MESSAGES" / "policyc.mo"

# Modules a warm `run` of one case has no use for: the parser and checker (and Lark, jinja2,
# attrs behind them), YAML (the case's parse is cached), OpenSSL (hashlib, hmac), the pickle
# module (the C unpickler does), signal's enums, argparse (a plain `run` line is read by hand),
# gettext (a run of one case translates no message), pathlib (and fnmatch, urllib.parse,
# ipaddress behind it: paths are str on `run`), typing, importlib.util (a finder is asked),
# calendar and locale behind it (deadlines count a month's days themselves).
NEVER_ON_A_WARM_RUN = (
    "lark", "jinja2", "attr", "attrs", "yaml", "policyc.compiler.checker",
    "policyc.compiler.parser", "policyc.compiler.codegen", "hashlib", "_hashlib", "hmac",
    "pickle", "signal", "argparse", "policyc.parsers", "gettext", "pathlib", "fnmatch",
    "urllib.parse", "ipaddress", "typing", "importlib.util", "policyc.case_fast",
    "policyc.runtime.daily_caps", "calendar", "locale",
)  # fmt: skip

# An editable install's import hook (and pytest's own start) may have imported some of them
# before policyc is: they are forgotten first, so that policyc importing one imports it again.
RUN_AND_LIST = """
import io, json, sys
for name in sys.argv[3].split(","):
    sys.modules.pop(name, None)
sys.argv = ["policyc", "run", sys.argv[1], "--case", sys.argv[2]]
out, sys.stdout = sys.stdout, io.StringIO()
from policyc.cli import main
status = main()
sys.stdout = out
import re
patterns = sorted(k[1] for k in re._cache if isinstance(k, tuple) and isinstance(k[1], str))
print(json.dumps({"status": status, "modules": sorted(sys.modules), "patterns": patterns}))
"""


def _run_listing_modules(cache: Path, language: str) -> dict[str, object]:
    env = {**os.environ, "POLICYC_CACHE_DIR": str(cache), "LANGUAGE": language}
    env.pop("POLICYC_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, str(POLICY), str(CASE), ",".join(NEVER_ON_A_WARM_RUN)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_warm_run_imports_no_compiler_yaml_or_openssl(tmp_path: Path, language: str) -> None:
    cold = _run_listing_modules(tmp_path / "cache", language)
    assert cold["status"] == 0
    assert "policyc.compiler.checker" in cold["modules"]  # the first run compiled: it can fail
    assert "pathlib" in cold["modules"]  # the checker's: forgotten modules are seen again
    warm = _run_listing_modules(tmp_path / "cache", language)
    assert warm["status"] == 0
    modules = set(warm["modules"])  # type: ignore[call-overload]
    assert sorted(m for m in NEVER_ON_A_WARM_RUN if m in modules) == []
    # A pattern no step of this case reads is never compiled: member_why's (no members here).
    patterns = warm["patterns"]
    assert isinstance(patterns, list) and patterns  # re's cache is where a pattern would show
    assert not [p for p in patterns if p.startswith("成员 ") or "（计入: " in p]


# ---- the hashes and the MAC without OpenSSL --------------------------------------------------


def test_the_builtin_hashes_are_the_standard_ones() -> None:
    data = "纺织服装 policyc".encode() * 1000
    assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert (
        digests.blake2b(data, digest_size=32).hexdigest()
        == hashlib.blake2b(data, digest_size=32).hexdigest()
    )
    # SHA-256 of "abc" (FIPS 180-2, appendix B.1)
    assert digests.sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_the_mac_is_keyed_blake2b_over_the_parts_joined() -> None:
    key = bytes(range(32))
    tag = digests.mac(key, b"name", b"\0", b"body")
    assert len(tag) == digests.MAC_BYTES == 32
    assert tag == hashlib.blake2b(b"name\0body", digest_size=32, key=key).digest()
    assert tag != digests.mac(bytes(32), b"name", b"\0", b"body")  # another key
    assert tag != digests.mac(key, b"name", b"\0", b"bodY")  # another body
    assert digests.compare_digest(tag, bytes(tag))
    assert not digests.compare_digest(tag, tag[:-1] + bytes([tag[-1] ^ 1]))
    assert digests.compare_digest is hmac.compare_digest or digests.compare_digest(b"a", b"a")


# ---- printable without compiling a pattern -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "结论\n  ✔ 适用: 1,000,000元\t（100万元）\n",
            "结论\n  ✔ 适用: 1,000,000元\t（100万元）\n",
        ),
        (
            "全角空格\u3000与不换行空格\u00a0照印",
            "全角空格\u3000与不换行空格\u00a0照印",
        ),  # not controls
        ("a\x1b[31mb", "a\\u001b[31mb"),  # ESC
        ("x\ry", "x\\u000dy"),  # CR inside a text
        ("\x7f\x85\x9f", "\\u007f\\u0085\\u009f"),  # DEL and C1 controls
        ("甲\u2028乙\u2029丙", "甲\\u2028乙\\u2029丙"),  # line and paragraph separators
        ("名\u202e称\u2066", "名\\u202e称\\u2066"),  # bidirectional override and isolate
        ("\x00\x08\x0b\x1f", "\\u0000\\u0008\\u000b\\u001f"),
        ("零宽\u200b字符", "零宽\u200b字符"),  # a format character UNPRINTABLE leaves alone
    ],
)
def test_printable_escapes_what_a_terminal_acts_on(text: str, shown: str) -> None:
    assert printable(text) == shown


# ---- the catalogue read back from the cache ----------------------------------------------------


def _messages(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_the_cached_catalogue_answers_as_gettext_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    reference = _messages(CATALOGUE)
    first = catalogues.translations(str(CATALOGUE))  # read from the file, then kept
    again = catalogues.translations(str(CATALOGUE))
    assert isinstance(again, catalogues.Catalogue)
    assert len(list((tmp_path / "cache").glob("catalogue-*.entry"))) == 1
    msgids = {k if isinstance(k, str) else k[0] for k in again.messages}
    assert len(msgids) > 100
    for msgid in msgids:
        assert again.gettext(msgid) == reference.gettext(msgid) == first.gettext(msgid)
    singular, plural = "{n} more error", "{n} more errors"
    assert again.ngettext(singular, plural, 2) != plural  # translated (Chinese has one form)
    for count in (0, 1, 2, 5):
        assert again.ngettext(singular, plural, count) == reference.ngettext(
            singular, plural, count
        )
    assert again.gettext("not a message of policyc") == "not a message of policyc"
    assert again.ngettext("one apple", "{n} apples", 1) == "one apple"
    assert again.ngettext("one apple", "{n} apples", 2) == "{n} apples"


def test_a_rewritten_catalogue_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "policyc.mo"
    copy.write_bytes(CATALOGUE.read_bytes())
    msgid = next(k for k in _messages(copy)._catalog if isinstance(k, str) and k)  # type: ignore[attr-defined]
    catalogues.translations(str(copy))
    assert catalogues.translations(str(copy)).gettext(msgid) != msgid
    # The same file with no messages but its header (a .mo of one entry, written by hand).
    header = b"Content-Type: text/plain; charset=UTF-8\n"
    empty = (
        (0x950412DE).to_bytes(4, "little") + (0).to_bytes(4, "little")
        + (1).to_bytes(4, "little") + (28).to_bytes(4, "little") + (36).to_bytes(4, "little")
        + (0).to_bytes(4, "little") + (0).to_bytes(4, "little")
        + (0).to_bytes(4, "little") + (44).to_bytes(4, "little")
        + len(header).to_bytes(4, "little") + (45).to_bytes(4, "little")
        + b"\0" + header + b"\0"
    )  # fmt: skip
    copy.write_bytes(empty)
    assert catalogues.translations(str(copy)).gettext(msgid) == msgid
    assert catalogues.translations(str(copy)).gettext(msgid) == msgid  # from the cache


# ---- the garbage collector while the program starts ---------------------------------------------

# `python -m policyc` as a process runs it, then what became of the collector.
COLLECTOR_AFTER = """
import gc, io, json, runpy, sys
sys.argv = ["policyc", *sys.argv[1:]]
out, sys.stdout = sys.stdout, io.StringIO()
import policyc  # counted from here: an editable install's finder and runpy come first
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
try:
    runpy.run_module("policyc", run_name="__main__")
except SystemExit as exc:
    status = exc.code
sys.stdout = out
print(json.dumps({"status": status, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                  "collections": len(collections)}))
"""


def _collector_after(cache: Path, *argv: str) -> dict[str, object]:
    env = {**os.environ, "POLICYC_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR_AFTER, *argv],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_run_of_one_case_keeps_the_collector_off_and_freezes_at_the_end(tmp_path: Path) -> None:
    cold = _collector_after(tmp_path / "cache", "run", str(POLICY), "--case", str(CASE))
    warm = _collector_after(tmp_path / "cache", "run", str(POLICY), "--case", str(CASE))
    for after in (cold, warm):
        assert after["status"] == 0
        assert after["enabled"] is False
        assert isinstance(after["frozen"], int) and after["frozen"] > 10_000  # the modules' objects
    assert warm["collections"] == 0
    # Compiling the policy (the cache did not hold it) ran with the collector on.
    assert isinstance(cold["collections"], int) and cold["collections"] > 0


def test_compiling_a_policy_collects_and_leaves_the_collector_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policyc.compiler.pipeline import compile_policy

    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    collections: list[dict[str, int]] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info)

    gc.callbacks.append(count)
    gc.disable()
    try:
        compile_policy(str(POLICY))  # not in the cache: parsed, checked, generated
        assert collections and not gc.isenabled()
        collections.clear()
        compile_policy(str(POLICY))  # from the cache: no collection while it is off
        assert not collections and not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
    compile_policy(str(POLICY))
    assert gc.isenabled()


@pytest.mark.parametrize(
    "argv",
    [
        ("check", str(POLICY)),
        ("run", str(POLICY), "--cases", "no-such-cases.parquet"),  # a batch: any number of rows
        ("fmt", "--check", str(POLICY)),
    ],
)
def test_every_other_command_runs_with_the_collector_on(tmp_path: Path, argv: tuple[str, ...]):
    after = _collector_after(tmp_path / "cache", *argv)
    assert after["enabled"] is True
    assert after["frozen"] == 0  # nothing kept from collection


def test_main_leaves_the_collector_as_it_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policyc.cli import main

    monkeypatch.setenv("POLICYC_CACHE_DIR", str(tmp_path / "cache"))
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    assert main(["run", str(POLICY), "--case", str(CASE)]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        assert main(["check", str(POLICY)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert "结论" in capsys.readouterr().out
