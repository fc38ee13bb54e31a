"""`policyc lsp`: a language server for policy files over stdio, on pygls (extra `lsp`).

Features: diagnostics as you type (every `check` error and lint warning, with its range and
code), hover, go to definition (units into the registry file), completion, document symbols
(sections, clauses and rules) and formatting through `policyc fmt`. The answers come from
cli/editing.py; this module only speaks the protocol. Positions: the protocol counts lines and
characters from 0, in UTF-16 code units; policy text is BMP Chinese, one unit a character.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from policyc.compiler.errors import Diagnostic, PolicyError, Severity, Span
from policyc.compiler.i18n import _
from policyc.editing import Document, Outline

_KINDS = {
    "keyword": t.CompletionItemKind.Keyword,
    "input": t.CompletionItemKind.Variable,
    "define": t.CompletionItemKind.Function,
    "table": t.CompletionItemKind.Struct,
    "enum": t.CompletionItemKind.Enum,
    "member": t.CompletionItemKind.EnumMember,
    "reading": t.CompletionItemKind.Interface,
    "option": t.CompletionItemKind.Value,
    "unit": t.CompletionItemKind.Module,
    "rule": t.CompletionItemKind.Method,
}
_SYMBOL_KINDS = {
    "section": t.SymbolKind.Namespace,
    "clause": t.SymbolKind.Class,
    "task": t.SymbolKind.Class,
    "rule": t.SymbolKind.Method,
}

server = LanguageServer("policyc", "0.1.0")
documents: dict[str, Document] = {}


def _path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _uri(path: str) -> str:
    return Path(path).resolve().as_uri()


def _range(span: Span) -> t.Range:
    start = t.Position(span.line - 1, max(span.column - 1, 0))
    if span.end_line:
        end = t.Position(span.end_line - 1, max(span.end_column - 1, 0))
    else:
        end = t.Position(start.line, start.character + 1)
    return t.Range(start, end)


def _diagnostic(d: Diagnostic) -> t.Diagnostic:
    warning = d.severity is Severity.WARNING
    expected = _("expected {expected}").format(expected=d.expected)
    message = d.message + ("\n" + expected if d.expected else "")
    return t.Diagnostic(
        range=_range(d.span),
        message=message,
        severity=t.DiagnosticSeverity.Warning if warning else t.DiagnosticSeverity.Error,
        code=d.code or None,
        source="policyc",
    )


def _refresh(uri: str) -> None:
    text = server.workspace.get_text_document(uri).source
    document = documents.setdefault(uri, Document(_path(uri)))
    document.update(text)
    server.text_document_publish_diagnostics(
        t.PublishDiagnosticsParams(
            uri=uri, diagnostics=[_diagnostic(d) for d in document.own_diagnostics()]
        )
    )


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(params: t.DidOpenTextDocumentParams) -> None:
    _refresh(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(params: t.DidChangeTextDocumentParams) -> None:
    _refresh(params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
def did_save(params: t.DidSaveTextDocumentParams) -> None:
    _refresh(params.text_document.uri)


def _at(document: t.TextDocumentIdentifier) -> Document | None:
    return documents.get(document.uri)


@server.feature(t.TEXT_DOCUMENT_HOVER)
def hover(params: t.HoverParams) -> t.Hover | None:
    document = _at(params.text_document)
    if document is None:
        return None
    symbol = document.lookup(params.position.line + 1, params.position.character + 1)
    if symbol is None:
        return None
    return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=symbol.hover))


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
def definition(params: t.DefinitionParams) -> t.Location | None:
    document = _at(params.text_document)
    if document is None:
        return None
    symbol = document.lookup(params.position.line + 1, params.position.character + 1)
    if symbol is None:
        return None
    return t.Location(uri=_uri(symbol.span.file), range=_range(symbol.span))


@server.feature(t.TEXT_DOCUMENT_COMPLETION)
def completion(params: t.CompletionParams) -> t.CompletionList:
    document = _at(params.text_document)
    items = document.completions() if document is not None else []
    return t.CompletionList(
        is_incomplete=False,
        items=[
            t.CompletionItem(label=label, kind=_KINDS.get(kind), detail=detail or None)
            for label, kind, detail in items
        ],
    )


def _symbol(outline: Outline) -> t.DocumentSymbol:
    span = outline.span
    return t.DocumentSymbol(
        name=outline.name,
        detail=outline.detail or None,
        kind=_SYMBOL_KINDS.get(outline.kind, t.SymbolKind.Object),
        range=_range(span),
        selection_range=_range(Span(span.file, span.line, span.column)),
        children=[_symbol(child) for child in outline.children],
    )


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
    document = documents.get(params.text_document.uri)
    return [_symbol(o) for o in document.outline] if document is not None else []


@server.feature(t.TEXT_DOCUMENT_FORMATTING)
def formatting(params: t.DocumentFormattingParams) -> list[t.TextEdit] | None:
    from policyc.compiler.fmt import format_text

    text = server.workspace.get_text_document(params.text_document.uri).source
    try:
        formatted = format_text(text, _path(params.text_document.uri))
    except PolicyError:
        return None  # the diagnostics already say why
    if formatted == text:
        return []
    lines = text.split("\n")
    whole = t.Range(t.Position(0, 0), t.Position(len(lines), 0))
    return [t.TextEdit(range=whole, new_text=formatted)]


def run() -> int:
    """Serve on stdin/stdout until the client says exit."""
    server.start_io()
    # pygls closes stdout when the client says exit; nothing is printed after it, and the
    # CLI's last flush must find an open stream (it raised "I/O operation on closed file").
    if sys.stdout.closed:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (open until exit)
    return 0
