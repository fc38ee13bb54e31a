"""The generated module is compiled in pieces (memory bounded by a piece, issue 17 §3): the
pieces together behave as the whole module, and each function keeps its generated line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policyc.compiler import pipeline
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory


def test_a_module_in_pieces_evaluates_as_a_whole(
    policies: PolicyFactory, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("POLICYC_NO_CACHE", "1")
    monkeypatch.setattr(pipeline, "PIECE_LINES", 40)
    rules = "\n".join(f"  rule r{i} {{ when x >= {i} 元 amount {i} 元 }}" for i in range(300))
    compiled = policies.compile(rules, "input x: 元\n")
    source = compiled.python_source
    codes = pipeline.compile_module(source, "<test>")
    assert len(codes) > 10
    lines = source.splitlines()
    for function in compiled.namespace["FUNCTIONS"]:
        line = lines[function.__code__.co_firstlineno - 1]
        assert line.startswith(f"def {function.__name__}(c):"), line
    assert len(compiled.rules) == 300
    results = compiled.evaluate({"x": Quantity.of(Decimal(150), "元")}, date(2023, 6, 30))
    applies = [r for r in results if r.status == "applies"]
    assert len(applies) == 151  # r0 … r150: 150 元 以上 includes 150
    assert sum(r.amount.value for r in applies if r.amount) == Decimal(150 * 151 // 2)
