"""Golden diagnostics: each fixture under fixtures/syntax and fixtures/check is a policy with one
mistake, beside the exact message `policyc check` must print for it (`NAME.err`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyc.cli import main
from policyc.compiler import errors
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.pipeline import check_policy

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(
    p
    for folder in ("syntax", "check")
    for p in (FIXTURES / folder).glob("*.policy")
    if p.name != "units.policy"
)


@pytest.mark.parametrize("policy", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_check_prints_the_expected_diagnostic(policy: Path, capsys: pytest.CaptureFixture[str]):
    cwd = os.getcwd()
    os.chdir(policy.parent)  # messages name the file as given on the command line
    try:
        status = main(["check", policy.name])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert err == policy.with_suffix(".err").read_text(encoding="utf-8")


def test_every_fixture_has_its_expected_output():
    assert len(CASES) >= 20
    for policy in CASES:
        assert policy.with_suffix(".err").exists(), policy


# ---- rendering many problems: linear, and bounded like a compiler's -------------------------

HEADER = """policy "测试〔2023〕9号" {{
    title "测试"
    issuer 天门市人民政府
    issued 2023-01-06
    source "source.txt" lines 1 to {lines}
    units from "units.policy"
}}
input 人数: 人 optional
clause 一 "一" {{
  quote "第一句。"
"""


def _project(tmp_path: Path, rules: str, extra_sentences: int = 0) -> Path:
    (tmp_path / "units.policy").write_text('unit 天门市人民政府 "天门市人民政府"\n', "utf-8")
    sentences = "".join(f"第{i}句没有被引用。\n" for i in range(extra_sentences))
    (tmp_path / "source.txt").write_text("一、第一句。\n" + sentences, encoding="utf-8")
    path = tmp_path / "p.policy"
    path.write_text(HEADER.format(lines=1 + extra_sentences) + rules + "}\n", encoding="utf-8")
    return path


def test_check_prints_at_most_100_problems_then_how_many_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    rules = "".join(
        f"  rule 规则{i} {{ when 人数{i} 5 人 以上 amount 1 元 }}\n" for i in range(150)
    )
    path = _project(tmp_path, rules)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    headers = [line for line in err.splitlines() if line.startswith(f"{path}:")]
    assert len(headers) == 100
    assert headers[0].startswith(f"{path}:11:")  # in source order: the first rule's line
    assert headers[-1].startswith(f"{path}:110:")
    assert err.endswith("… and 50 more errors and 1 more warning not shown\n")


def test_exactly_100_problems_print_no_more_line(tmp_path: Path):
    rules = "".join(
        f"  rule 规则{i} {{ when 人数{i} 5 人 以上 amount 1 元 }}\n" for i in range(100)
    )
    path = _project(tmp_path, rules)
    try:
        check_policy(path)
    except PolicyError as exc:
        rendered = exc.render()
    assert rendered.count(f"{path}:") == 100
    assert "more error" not in rendered


def test_the_coverage_listing_is_not_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = _project(tmp_path, "  rule 规则 { when 人数 5 人 以上 amount 1 元 }\n", 150)
    assert main(["check", "--coverage", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("no quote or aside covers this sentence") == 150
    assert "第149句没有被引用。" in err
    assert "not shown" not in err


def test_a_source_is_indexed_once_however_many_problems_it_has(monkeypatch: pytest.MonkeyPatch):
    built: list[int] = []
    original = errors._LineIndex.__init__

    def counting(self: errors._LineIndex, source: str) -> None:
        built.append(len(source))
        original(self, source)

    monkeypatch.setattr(errors._LineIndex, "__init__", counting)
    source = "".join(f"rule r{i} {{ }}\n" for i in range(1000))
    diagnostics = [Diagnostic(Span("p.policy", i + 1, 6), f"problem {i}") for i in range(1000)]
    rendered = PolicyError(diagnostics, {"p.policy": source}).render(limit=1000)
    assert built == [len(source)]
    assert rendered.count("\n  999 | rule r998 { }\n") == 1
    assert rendered.count("^") == 1000


@pytest.mark.parametrize(
    ("source", "line", "shown"),
    [
        ("a\r\nbb\r\n", 2, "    2 | bb"),  # CRLF: the CR is not part of the line
        ("a\nbb", 2, "    2 | bb"),  # no final line break
        ("a\nbb\n", 3, None),  # past the last line: no excerpt
        ("", 1, None),
        ("a\u2028b\nc\n", 2, "    2 | c"),  # lines end at \n only, as the parser counts them
    ],
)
def test_excerpt_lines_match_the_parsers_numbering(source: str, line: int, shown: str | None):
    rendered = Diagnostic(Span("p.policy", line, 1), "m").render(source).splitlines()
    assert rendered[0] == f"p.policy:{line}:1: m"
    assert (rendered[1] if len(rendered) > 1 else None) == shown
