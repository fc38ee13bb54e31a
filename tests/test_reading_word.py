"""One Chinese word for a policy's declared reading of an ambiguous sentence: 读法 (tidy10, item
6). `run`, the site, the form and the schema said 读法 while the catalogue's messages said 解读 —
a 政策解读 is the bureau's published explanation, and 负责解释 names the interpreting unit. The
glossary at the top of the catalogue now gives 读法, and no translation says 解读."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages import pofile

from tests.conftest import PolicyFactory
from tests.test_lint import COND, ELIGIBLE, messages

LOCALE = Path(__file__).resolve().parent.parent / "compiler" / "locale" / "zh_CN" / "LC_MESSAGES"


@pytest.mark.parametrize("name", ["policyc.po", "argparse.po"])
def test_the_glossary_gives_one_word_for_a_reading(name: str) -> None:
    head = (LOCALE / name).read_text(encoding="utf-8").split('msgid ""', 1)[0]
    assert "reading / option  读法 / 选项" in head
    assert "仅作记录的读法" in head
    assert "读法, never 解读" in head  # and why, for the next translator


def test_no_translation_calls_a_reading_解读() -> None:
    with (LOCALE / "policyc.po").open("rb") as f:
        catalogue = pofile.read_po(f)
    said = [
        text
        for m in catalogue
        if m.id
        for text in ([m.string] if isinstance(m.string, str) else list(m.string))
        if "解读" in text
    ]
    assert said == []
    readings = [m for m in catalogue if m.id and "reading" in str(m.id) and m.string]
    assert any("读法" in str(m.string) for m in readings)


DOCUMENTARY = (
    'reading 口罩 documentary { question "q" option 仅口罩 "a" option 全部 "b" '
    'take 仅口罩 because "c" }'
)


@pytest.mark.parametrize("note", ["见读法 口罩", "见解读 口罩", "按读法口罩"])
def test_a_note_pointing_at_a_reading_by_either_word_uses_it(
    policies: PolicyFactory, note: str
) -> None:
    # 解读 NAME stays accepted: the shipped policies' notes write it so.
    rules = f'rule r {{ {COND} amount 1 元 note "{note}" }}'
    assert messages(policies, rules, DOCUMENTARY + "\n" + ELIGIBLE) == []


def test_the_unused_reading_warning_names_the_word(policies: PolicyFactory) -> None:
    rules = f'rule r {{ {COND} amount 1 元 note "见读法 口罩罩" }}'
    (message,) = messages(policies, rules, DOCUMENTARY + "\n" + ELIGIBLE)
    assert message.startswith("reading `口罩` is declared but nothing uses it")
    assert "mentions `读法 口罩`" in message
