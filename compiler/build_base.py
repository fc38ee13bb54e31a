"""The AST builder's groundwork: places, names, dates, numbers and strings as written.

`BuilderBase` (a Lark Transformer) turns tokens and rule metadata into `Span`s, `Name`s and
dates; `unquote(token)` reads a string literal (only `\\\\` and `\\"` are escapes; control
characters are refused). A mistake found while building raises `BuildError` (a diagnostic) or
`BadString` (placed in the file by `build_policy`); numbers past `MAX_DIGITS` digits are refused.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lark import Token, Transformer
from lark.tree import Meta

from policyc.compiler import nodes as n
from policyc.compiler.errors import Diagnostic, Span
from policyc.compiler.i18n import _

MAX_DIGITS = 30  # in a number written in a policy


class BuildError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


class BadString(Exception):
    """A string literal `unquote` refuses; the builder adds the file name."""

    def __init__(self, token: Token, offset: int, message: str, expected: str):
        self.token, self.offset, self.message, self.expected = token, offset, message, expected

    def diagnostic(self, filename: str) -> Diagnostic:
        line, column = self.token.line or 0, (self.token.column or 0) + self.offset
        return Diagnostic(
            Span(filename, line, column, line, column + 1), self.message, self.expected
        )


# A string holds printable text only. Control characters (C0 but the tab, DEL, C1), line and
# paragraph separators and the bidirectional overrides would reach the terminal (escape codes),
# mkdocs.yml (which YAML refuses or breaks at them) and the site; `check` refuses them.
_REFUSED_CHARACTERS = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
# The two escapes a string knows: `\\` is a backslash, `\"` a double quote.
_ESCAPES = {"\\": "\\", '"': '"'}
STRING_ESCAPES_EXPECTED = _('`\\\\` for a backslash or `\\"` for a double quote')


def unquote(token: Token) -> str:
    """The text of a STRING token. Raises BadString at an escape other than `\\\\` and `\\"`
    and at a control character (see _REFUSED_CHARACTERS)."""
    body = str(token)[1:-1]
    refused = _REFUSED_CHARACTERS.search(body)
    if refused is not None:
        code = f"U+{ord(refused.group()):04X}"
        raise BadString(
            token,
            refused.start() + 1,
            _("a string may not hold the control character {code}").format(code=code),
            _("printable text (write the character out, or leave it out)"),
        )
    if "\\" not in body:
        return body
    out: list[str] = []
    at = 0
    while at < len(body):
        ch = body[at]
        if ch == "\\":
            escaped = body[at + 1 : at + 2]
            if escaped not in _ESCAPES:
                raise BadString(
                    token,
                    at + 1,
                    _("unknown escape `\\{escaped}` in a string").format(escaped=escaped),
                    STRING_ESCAPES_EXPECTED,
                )
            out.append(_ESCAPES[escaped])
            at += 2
        else:
            out.append(ch)
            at += 1
    return "".join(out)


class BuilderBase(Transformer[Token, Any]):
    """What every part of the builder needs: the file's name, and places, names, dates and
    numbers read from tokens."""

    def __init__(self, filename: str):
        super().__init__()
        self.file = filename

    def _span(self, meta: Meta) -> Span:
        if meta.empty:
            return Span(self.file, 0, 0)
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> Span:
        return Span(
            self.file,
            token.line or 0,
            token.column or 0,
            token.end_line or 0,
            token.end_column or 0,
        )

    def _name(self, token: Token) -> n.Name:
        return n.Name(str(token), self._tspan(token))

    def _date(self, token: Token) -> date:
        try:
            return date.fromisoformat(str(token))
        except ValueError:
            raise BuildError(
                Diagnostic(
                    self._tspan(token),
                    _("`{token}` is not a calendar date").format(
                        token=token,
                    ),
                    "YYYY-MM-DD",
                )
            ) from None

    def _check_digits(self, token: Token) -> None:
        # Exact arithmetic has a precision; numbers in policies never need 30 digits. (Python
        # itself refuses to convert more than 4,300 digits: this limit keeps them all a message.)
        text = str(token)
        if len(text.replace(".", "")) > MAX_DIGITS:
            shown = f"{text[:12]}…" if len(text) > 24 else text
            raise BuildError(
                Diagnostic(
                    self._tspan(token),
                    _("`{shown}` has more than {MAX_DIGITS} digits ({len_text} characters)").format(
                        shown=shown,
                        MAX_DIGITS=MAX_DIGITS,
                        len_text=len(text),
                    ),
                    _("a shorter number"),
                )
            )

    def _int(self, token: Token) -> int:
        self._check_digits(token)
        return int(token)
