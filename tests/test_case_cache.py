"""A YAML case's parse kept by its content (cli/case_cache.py): read back exactly as PyYAML reads
it, missed when a byte changes, never kept with a problem, and never trusted unauthenticated."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.case_files import DuplicateKeys, read_case_file
from policyc.cases import load_case
from tests.conftest import REPO


def kept(folder: Path) -> list[Path]:
    return sorted(folder.glob("case-*.entry"))


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any parse by PyYAML from here on fails the test."""
    import yaml

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed by PyYAML, not read from the cache")

    monkeypatch.setattr(yaml, "compose", refuse)


def test_every_example_reads_back_as_parsed(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = sorted(p for p in (REPO / "examples").rglob("*.yaml"))
    cases = every[:: len(every) // 150 + 1]  # within the cache's MAX_ENTRIES, every policy's
    assert len(cases) > 100
    parsed = {path: read_case_file(path, remember=True) for path in cases}
    assert len(kept(cache_folder)) == len(cases)
    no_yaml(monkeypatch)
    for path, node in parsed.items():
        again = read_case_file(path, remember=True)
        assert again == node, path  # values, places and plain texts alike


def test_a_changed_byte_is_parsed_again(tmp_path: Path, cache_folder: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("on: 2023-12-31\ninputs:\n  年发货量: 6000000\n", encoding="utf-8")
    first = read_case_file(case, remember=True)
    case.write_text("on: 2023-12-31\ninputs:\n  年发货量: 6000001\n", encoding="utf-8")
    second = read_case_file(case, remember=True)
    assert first.value["inputs"].value["年发货量"].value == 6000000
    assert second.value["inputs"].value["年发货量"].value == 6000001
    assert len(kept(cache_folder)) == 2


def test_a_case_with_a_problem_is_not_kept(tmp_path: Path, cache_folder: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("on: 2023-12-31\non: 2024-01-01\ninputs: {}\n", encoding="utf-8")
    with pytest.raises(DuplicateKeys):
        read_case_file(case, remember=True)
    with pytest.raises(DuplicateKeys):  # the same problem again: nothing was kept
        read_case_file(case, remember=True)
    assert kept(cache_folder) == []


def test_only_run_remembers(cache_folder: Path) -> None:
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(REPO / "policies" / "tzf-2023-1.policy")
    case = REPO / "examples" / "tzf-2023-1" / "07-logistics-capped.yaml"
    load_case(case, policy.view)  # `policyc test`, the docs' examples, the batch path
    assert kept(cache_folder) == []
    load_case(case, policy.view, remember=True)  # `policyc run`
    assert len(kept(cache_folder)) == 1


def test_a_tampered_entry_is_parsed_again(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("on: 2023-12-31\ninputs:\n  年发货量: 6000000\n", encoding="utf-8")
    first = read_case_file(case, remember=True)
    (entry,) = kept(cache_folder)
    data = bytearray(entry.read_bytes())
    data[-3] ^= 1
    entry.write_bytes(bytes(data))
    parsed: list[str] = []
    import yaml

    original = yaml.compose

    def spy(text: str, **kwargs: object) -> object:
        parsed.append(text)
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml, "compose", spy)
    assert read_case_file(case, remember=True) == first
    assert parsed  # the damaged entry was not used


def test_a_case_whose_anchors_share_parts_is_not_kept(tmp_path: Path, cache_folder: Path) -> None:
    """Written out, nine levels of ten references are a billion values: such a case is parsed
    each time (PyYAML shares the parts), never expanded into an entry."""
    lines = ['a0: &a0 "lol"'] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)
    ]
    case = tmp_path / "case.yaml"
    case.write_text("description:\n" + "".join(f"  {line}\n" for line in lines), encoding="utf-8")
    node = read_case_file(case, remember=True)
    assert node.value["description"].value["a0"].value == "lol"
    assert kept(cache_folder) == []
