"""The grammar is checked in Lark's strict mode here, so the runtime need not be.

Strict mode turns terminal collisions and shift/reduce conflicts into errors; it needs
`interegular`, a dev dependency. The runtime builds the same LALR tables without it
(`policyc.compiler.parser.LARK_OPTIONS`), so a base install parses exactly what this test checks.
"""

from __future__ import annotations

import pytest
from lark import Lark

from policyc.compiler.parser import LARK_OPTIONS
from policyc.grammar import grammar_text


def test_the_grammar_builds_in_strict_mode() -> None:
    Lark(grammar_text(), strict=True, **LARK_OPTIONS)


def test_a_colliding_grammar_fails_in_strict_mode() -> None:
    """The strict build really checks: two terminals matching the same text are refused."""
    with pytest.raises(Exception, match=r"[Cc]ollision"):
        Lark("start: A | B\nA: /a+/\nB: /a/\n", strict=True, **LARK_OPTIONS)
