"""`policyc lsp` end to end: a real LSP client (pygls's) starts the server over stdio, opens a
shipped policy with a typo in a unit name and receives the diagnostic with its did-you-mean,
hovers an input, jumps to a unit's definition in the registry file, completes, outlines and
formats."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.fmt import format_text
from tests.conftest import REPO

pytest.importorskip("pygls", reason="the language server needs the `lsp` extra")
from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

POLICY = REPO / "policies" / "tzf-2023-1.policy"
UNITS = REPO / "policies" / "units.policy"
TIERS = REPO / "tests" / "fixtures" / "lint" / "tier-mixed-words.policy"


def position(text: str, needle: str, offset: int = 0) -> t.Position:
    """Where `needle` first occurs (plus `offset` characters), 0-based as the protocol counts."""
    for number, line in enumerate(text.split("\n")):
        if needle in line:
            return t.Position(number, line.index(needle) + offset)
    raise AssertionError(f"{needle!r} not in the text")


class Session:
    def __init__(self) -> None:
        self.client = LanguageClient("policyc-test", "1")
        self.diagnostics: dict[str, asyncio.Queue[list[t.Diagnostic]]] = {}

        @self.client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: t.PublishDiagnosticsParams) -> None:
            self.queue(params.uri).put_nowait(list(params.diagnostics))

    def queue(self, uri: str) -> asyncio.Queue[list[t.Diagnostic]]:
        return self.diagnostics.setdefault(uri, asyncio.Queue())

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "policyc", "lsp")
        await self.client.initialize_async(
            t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=REPO.as_uri())
        )
        self.client.initialized(t.InitializedParams())

    async def open(self, path: Path, text: str) -> list[t.Diagnostic]:
        uri = path.as_uri()
        item = t.TextDocumentItem(uri=uri, language_id="policy", version=1, text=text)
        self.client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=item))
        return await asyncio.wait_for(self.queue(uri).get(), 60)

    async def change(self, path: Path, text: str, version: int) -> list[t.Diagnostic]:
        uri = path.as_uri()
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await asyncio.wait_for(self.queue(uri).get(), 60)

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def run_session(scenario: Any) -> None:
    async def main() -> None:
        session = Session()
        await session.start()
        try:
            await asyncio.wait_for(scenario(session), 240)
        finally:
            await session.stop()

    asyncio.run(main())


def test_a_drafting_session():
    text = POLICY.read_text(encoding="utf-8")
    typo = text.replace(
        "responsible 市财政局, 市政府金融办", "responsible 市财政厅, 市政府金融办", 1
    )
    assert typo != text
    doc = t.TextDocumentIdentifier(uri=POLICY.as_uri())

    async def scenario(session: Session) -> None:
        client = session.client
        # 1. the typo: an error at the unit's name, with the did-you-mean
        found = await session.open(POLICY, typo)
        assert len(found) == 1, [d.message for d in found]
        (error,) = found
        assert error.severity == t.DiagnosticSeverity.Error
        assert "unknown unit `市财政厅`; did you mean `市财政局`" in error.message
        start = position(typo, "市财政厅")
        assert error.range == t.Range(start, t.Position(start.line, start.character + 4))

        # 2. hover an input where a rule uses it
        at = position(text, "0.2 元/单 × (年发货量", offset=len("0.2 元/单 × (") + 1)
        shown = await client.text_document_hover_async(t.HoverParams(doc, at))
        assert shown is not None and isinstance(shown.contents, t.MarkupContent)
        assert "input 年发货量" in shown.contents.value
        assert "评估年度实际发货量(全部商品)" in shown.contents.value

        # 3. go to a unit's definition: into the registry file
        at = position(text, "interpreted_by 市商务局", offset=len("interpreted_by "))
        where = await client.text_document_definition_async(t.DefinitionParams(doc, at))
        assert isinstance(where, t.Location)
        assert where.uri == UNITS.resolve().as_uri()
        assert where.range.start == position(UNITS.read_text(encoding="utf-8"), "unit 市商务局 ", 5)

        # 4. hover a unit (full name) and a reading (its question)
        unit = await client.text_document_hover_async(t.HoverParams(doc, at))
        assert unit is not None and isinstance(unit.contents, t.MarkupContent)
        assert "天门市商务局" in unit.contents.value
        at = position(text, "reading 口罩等纺织品 is", offset=len("reading "))
        reading = await client.text_document_hover_async(t.HoverParams(doc, at))
        assert reading is not None and isinstance(reading.contents, t.MarkupContent)
        assert "只扣除口罩,还是扣除口罩及其他一切非服装纺织品" in reading.contents.value

        # 5. completion: keywords, units, inputs, enum members, reading options
        listed = await client.text_document_completion_async(
            t.CompletionParams(doc, t.Position(0, 0))
        )
        assert isinstance(listed, t.CompletionList)
        labels = {item.label: item.kind for item in listed.items}
        assert labels["rule"] == t.CompletionItemKind.Keyword
        assert labels["市商务局"] == t.CompletionItemKind.Module
        assert labels["年发货量"] == t.CompletionItemKind.Variable
        assert labels["服装电商企业"] == t.CompletionItemKind.EnumMember
        assert labels["非服装纺织品"] == t.CompletionItemKind.Value

        # 6. the outline: sections, their clauses, their rules
        outline = await client.text_document_document_symbol_async(
            t.DocumentSymbolParams(text_document=doc)
        )
        assert outline is not None
        sections = [s for s in outline if isinstance(s, t.DocumentSymbol)]
        assert [s.name for s in sections] == [
            "section 一",
            "section 二",
            "section 三",
            "section 四",
        ]
        first_clause = (sections[0].children or [])[0]
        assert (first_clause.name, first_clause.detail) == ("clause 一", "配套发展资金")
        assert [r.name for r in first_clause.children or []] == [
            "产业发展专项资金支持",
            "政银担融资担保支持",
        ]

        # 7. the typo fixed: no diagnostics
        assert await session.change(POLICY, text, 2) == []

        # 8. formatting through fmt
        messy = text.replace("    title ", "  title   ", 1)
        await session.change(POLICY, messy, 3)
        edits = await client.text_document_formatting_async(
            t.DocumentFormattingParams(doc, t.FormattingOptions(tab_size=4, insert_spaces=True))
        )
        assert edits is not None and len(edits) == 1
        assert edits[0].new_text == format_text(messy)
        assert edits[0].range.start == t.Position(0, 0)

        # 9. a lint warning carries its code
        warned = await session.open(TIERS, TIERS.read_text(encoding="utf-8"))
        assert [(d.code, d.severity) for d in warned] == [
            ("mixed-boundaries", t.DiagnosticSeverity.Warning)
        ]

    run_session(scenario)


def test_the_textmate_grammar_is_generated_from_the_lexer_words():
    from policyc.lexer import BOUNDARY_WORDS, KEYWORDS
    from policyc.textmate import textmate_json

    shipped = (REPO / "editors" / "policy.tmLanguage.json").read_text(encoding="utf-8")
    assert shipped == textmate_json(), (
        "run: python -m policyc.textmate > editors/policy.tmLanguage.json"
    )
    import json
    import re

    patterns = {p.get("name"): p["match"] for p in json.loads(shipped)["patterns"]}
    keywords = re.compile(patterns["keyword.control.policy"])
    assert all(keywords.fullmatch(word) for word in KEYWORDS)
    assert not keywords.fullmatch("rules") and not keywords.search("规则rule")
    assert all(re.fullmatch(patterns["keyword.operator.word.policy"], w) for w in BOUNDARY_WORDS)


def test_a_session_ended_by_shutdown_and_exit_leaves_with_status_0_and_no_message():
    # a newcomer's editor saw "internal error: ValueError: I/O operation on closed file", exit 2
    import json
    import subprocess

    def framed(message: dict[str, Any]) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    session = b"".join(
        framed(m)
        for m in (
            {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": None, "rootUri": None, "capabilities": {}}},
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        )
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "lsp"], input=session, capture_output=True, timeout=60
    )
    assert done.stderr == b""
    assert done.returncode == 0
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout  # shutdown was answered
