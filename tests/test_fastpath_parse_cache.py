"""The parse cache (compiler/parser.py, compiler/ast_marshal.py): each file's AST kept by content
in the private, authenticated cache, as plain data; a changed, foreign or damaged entry is a
miss, never a wrong AST and never code that runs."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from policyc.compiler import ast_marshal, parser
from tests.conftest import REPO

POLICIES = sorted((REPO / "policies").glob("*.policy"))


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLICYC_NO_CACHE", raising=False)
    return folder


def _parse_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = parser._parse

    def counted(text: str, filename: str) -> object:
        calls.append(filename)
        return real(text, filename)

    monkeypatch.setattr(parser, "_parse", counted)
    return calls


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_every_shipped_policy_survives_the_round_trip(path: Path) -> None:
    tree = parser._parse(path.read_text(encoding="utf-8"), str(path))
    again = ast_marshal.decode(marshal.loads(marshal.dumps(ast_marshal.encode(tree))))
    assert again == tree
    assert repr(again) == repr(tree)  # spans too, which equality leaves out


def test_the_second_parse_comes_from_the_cache(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = REPO / "policies" / "tzf-2023-1.policy"
    text = path.read_text(encoding="utf-8")
    calls = _parse_counted(monkeypatch)
    first = parser.parse(text, str(path))
    second = parser.parse(text, str(path))
    assert calls == [str(path)]
    assert repr(second) == repr(first)
    assert list(private_cache.glob("parse-*.entry"))


def test_another_text_or_name_is_parsed_afresh(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = REPO / "policies" / "tzf-2023-1.policy"
    text = path.read_text(encoding="utf-8")
    calls = _parse_counted(monkeypatch)
    parser.parse(text, str(path))
    changed = parser.parse(text + "\n", str(path))
    renamed = parser.parse(text, "elsewhere.policy")
    assert len(calls) == 3
    assert renamed.header.span.file == "elsewhere.policy"
    assert changed == parser.parse(text, str(path))


def test_a_damaged_entry_is_a_miss(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = REPO / "policies" / "units.policy"
    text = path.read_text(encoding="utf-8")
    parser.parse(text, str(path))
    (entry,) = private_cache.glob("parse-*.entry")
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0x01
    entry.write_bytes(bytes(data))
    calls = _parse_counted(monkeypatch)
    parser.parse(text, str(path))
    assert calls == [str(path)]


def test_no_cache_means_nothing_kept(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYC_NO_CACHE", "1")
    path = REPO / "policies" / "units.policy"
    calls = _parse_counted(monkeypatch)
    parser.parse(path.read_text(encoding="utf-8"), str(path))
    parser.parse(path.read_text(encoding="utf-8"), str(path))
    assert len(calls) == 2
    assert not list(private_cache.glob("parse-*.entry"))


@pytest.mark.parametrize(
    "data",
    [
        ("n", "Popen", ()),  # a class outside the AST
        ("n", "Span", ("f", 1)),  # the wrong number of fields
        ("x", ()),  # an unknown tag
        (),
        3.5,
    ],
)
def test_decoding_names_only_ast_classes(data: object) -> None:
    with pytest.raises(ValueError):
        ast_marshal.decode(data)


def test_a_value_outside_the_encoding_is_refused() -> None:
    with pytest.raises(ast_marshal.NotPlainData):
        ast_marshal.encode(object())


def test_a_cached_check_never_imports_lark(private_cache: Path) -> None:
    # Lark and the tree builder are imported only to parse a file the cache does not hold: the
    # first check parses (and imports Lark), the second reads every AST from the cache.
    import subprocess
    import sys

    program = (
        "import sys; from policyc.cli import main; code = main(['check', 'policies/']); "
        "print('lark' in sys.modules, 'policyc.compiler.build' in sys.modules); sys.exit(code)"
    )
    seen = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        seen.append(done.stdout.splitlines()[-1])
    assert seen == ["True True", "False False"]
