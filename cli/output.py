"""Every line policyc prints goes through here: `printable_output` routes standard output and
error through `PrintableStream` (control characters shown as escapes, never acted on by the
terminal), and `json_text` is how every JSON document is written. Kept apart from the reports so
that every command, `run` first, imports it cheaply."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator

from policyc.compiler.errors_base import printable

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any, TextIO


def json_text(doc: dict[str, Any]) -> str:
    import json  # here: the text answer of `run` writes no JSON

    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class PrintableStream:
    """A text stream that passes what is written through `printable` (compiler/errors.py): a
    policy string, a case value or a file name holding ESC, CSI or another control character
    shows it as `\\u001b`, never acts on the terminal. JSON output stays the same JSON.

    A carriage return is kept only at the very start or end of a write, which is how a progress
    bar redraws its line; anywhere else it is escaped like the rest."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        body = text
        lead = body[: len(body) - len(body.lstrip("\r"))]
        body = body[len(lead) :]
        trail = body[len(body.rstrip("\r")) :]
        body = body[: len(body) - len(trail)]
        self._stream.write(lead + printable(body) + trail)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno…
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr print through PrintableStream."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(saved[0]), PrintableStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
