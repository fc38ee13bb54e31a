"""How case-file problems show what was written, and the suggestions they make.

`shown_value` quotes a value (shortened; a mapping or a list by its kind); `as_written` gives an
unquoted YAML `yes`/`no`/`on`/`off` back as the word where no boolean is expected, and
`yes_no_note` says so in a message; `close_word` suggests the case file's own English words by
spelling, `not_a_rule` names a rule that is not one with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterable

from policyc.case_files import Node
from policyc.compiler.errors_base import did_you_mean
from policyc.compiler.i18n import _

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any


YES, NO = "是", "否"
# What a yes/no accepts as text, in any letter case: 是/否 (the form's select) and the words a YAML
# case file reads unquoted as yes/no, so a quoted `"true"`, a CSV cell or a form posted by hand
# reads as the same answer.
YES_WORDS = (YES, "true", "yes", "on")
NO_WORDS = (NO, "false", "no", "off")


def yes_no(text: str) -> str | None:
    """`是` or `否` for a word a yes/no accepts (YES_WORDS, NO_WORDS, any letter case), None for
    any other text."""
    word = text.strip().lower()
    if word in YES_WORDS:
        return YES
    if word in NO_WORDS:
        return NO
    return None


def close_word(word: str, choices: Iterable[str]) -> str:
    """A did-you-mean for the case file's own English words (fields, status words): spelling
    distance suits them, where the character overlap of `did_you_mean` suits Chinese names."""
    listed = list(choices)
    same = [c for c in listed if c.lower() == word.lower()]  # `On:` for `on:`
    import difflib  # here: only a mistake in a case asks for a close word

    close = same or difflib.get_close_matches(word, listed, n=2, cutoff=0.7)
    if not close:
        return ""
    return _("; did you mean {names}?").format(names=", ".join(f"`{c}`" for c in close))


def not_a_rule(name: str, rule_names: list[str], number: str) -> str:
    return _("`{name}` is not a rule of {number}{value}").format(
        name=name,
        number=number,
        value=did_you_mean(name, rule_names),
    )


def as_written(node: Node) -> Any:
    """The value, but an unquoted word that YAML 1.1 reads as a boolean (`yes`, `no`, `on`,
    `off`, `true`, `false`, any case) as the word written: where no boolean is expected (a
    reading's option, a rule's name, a status, a message) the case means the word."""
    if isinstance(node.value, bool) and node.text is not None:
        return node.text
    return node.value


def yes_no_note(node: Node) -> str:
    """What to tell a drafter whose unquoted `no` (or `yes`, `on`, `off`, `true`, `false`) was
    read as a boolean where a boolean is not expected."""
    if not isinstance(node.value, bool) or node.text is None:
        return ""
    return _(" (YAML reads an unquoted `{word}` as a yes/no answer)").format(word=node.text)


def shown_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _("a mapping") if isinstance(value, dict) else _("a list")
    text = str(value)
    return f"`{text[:40]}{'…' if len(text) > 40 else ''}`"
