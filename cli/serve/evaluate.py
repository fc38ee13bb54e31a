"""One request's cases evaluated: JSON text → validated cases → `policyc run --format json`.

The case is checked by `policyc.cases` (the messages are the ones `run` gives for the same
mistake in a JSON case file; the place is `case`, or `cases[3]` in a list) and the answer is
`policyc.report_json.answer_bytes`, the writer of `policyc run --format json`, so the API and
the command line cannot drift apart (the API sends its bytes as they are). Nothing here
imports Starlette: a problem is a `RequestError` carrying the HTTP status to answer with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from policyc.cases import Case, case_from_data, read_json_data, reading_problem
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import CompiledPolicy
from policyc.problems import Problem, ProblemsError
from policyc.report_json import answer_bytes
from policyc.runtime.dates import parse_iso_date
from policyc.runtime.evaluation import EvaluationError

MAX_BODY_BYTES = 1_000_000  # any request body; a case is a few hundred bytes
MAX_CASES = 100  # cases in one list request


class RequestError(Exception):
    """A request the server declines: the status, the message, and each problem as data (the
    shape `policyc run --format json` prints, `policyc.problems.Problem`)."""

    def __init__(self, status: int, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = list(problems) or [
            Problem(line, field=field_of(line)) for line in message.splitlines() if line.strip()
        ]

    @classmethod
    def from_input(cls, status: int, exc: InputError) -> RequestError:
        """A case's problems keep the fields the case reader found; other input errors (bad
        JSON, too deep) are one problem each line."""
        problems = exc.problems if isinstance(exc, ProblemsError) else ()
        return cls(status, str(exc), problems)

    def body(self) -> dict[str, Any]:
        """{"error": str, "problems": [Problem.to_json(), …]}: each problem's `message`, `field`
        (`inputs.年发货量`, `on`, `readings.NAME`, `policy` or null) and place (`file` is `case`
        or `cases[3]`)."""
        return {"error": self.message, "problems": [p.to_json() for p in self.problems]}


_FIELD = re.compile(
    r"(?:missing |unknown )?input `(?P<input>[^`]+)`"
    r"|unknown field `(?P<field>[^`]+)`"
    r"|reading `(?P<reading>[^`]+)`"
    r"|`(?P<key>on|inputs|received|readings|expect|policy)`"
)


def field_of(message: str) -> str | None:
    """The case field a message that is not a located Problem is about (a query parameter's
    message: `on=…`, `reading=…`), or None."""
    match = _FIELD.search(message)
    if match is None:
        return None
    if match["input"]:
        return f"inputs.{match['input']}"
    if match["reading"]:
        return f"readings.{match['reading']}"
    return match["field"] or match["key"]


def parse_json(raw: bytes, name: str) -> Any:
    """A request body as plain data (numbers as Decimal, never float); RequestError 400."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(
            400,
            _("{name}: not UTF-8 text (bad byte at offset {exc_start})").format(
                name=name,
                exc_start=exc.start,
            ),
        ) from None
    try:
        return read_json_data(text, name)
    except InputError as exc:
        raise RequestError.from_input(400, exc) from None


def options(
    policy: CompiledPolicy, query: Mapping[str, str], readings: Sequence[str]
) -> tuple[date | None, dict[str, str], bool]:
    """The query's `on`, `reading` (NAME=OPTION, repeatable) and `explain`, checked as `run`
    checks --on, --reading and --explain; RequestError 400 naming the parameter."""
    problems: list[str] = []
    on = None
    if query.get("on"):
        try:
            on = parse_iso_date(query["on"])
        except ValueError as exc:
            problems.append(_("on={query_on}: {exc}").format(query_on=query["on"], exc=exc))
    chosen: dict[str, str] = {}
    for pair in readings:
        name, sep, option = pair.partition("=")
        if not sep:
            problems.append(_("reading={pair}: expected NAME=OPTION").format(pair=pair))
            continue
        problem = reading_problem(policy.checked, name.strip(), option.strip())
        if problem:
            problems.append(_("reading={pair}: {problem}").format(pair=pair, problem=problem))
        else:
            chosen[name.strip()] = option.strip()
    explain_text = query.get("explain", "false").lower()
    if explain_text not in ("true", "false", "1", "0", ""):
        problems.append(
            _("explain={query_explain}: expected true or false").format(
                query_explain=query["explain"],
            )
        )
    if problems:
        raise RequestError(400, "\n".join(problems))
    return on, chosen, explain_text in ("true", "1")


def validated(policy: CompiledPolicy, data: Any, name: str) -> Case:
    """The case, or RequestError 422 listing every problem as `run` words it."""
    try:
        return case_from_data(data, policy.view, name)
    except InputError as exc:
        raise RequestError.from_input(422, exc) from None


def evaluate(
    policy: CompiledPolicy,
    case: Case,
    name: str,
    on: date | None = None,
    readings: Mapping[str, str] | None = None,
    explain: bool = False,
) -> dict[str, Any]:
    """`policyc run --format json` for the case as a dict (`case` in it is None: no file)."""
    document: dict[str, Any] = json.loads(answer(policy, case, name, on, readings, explain))
    return document


def answer(
    policy: CompiledPolicy,
    case: Case,
    name: str,
    on: date | None = None,
    readings: Mapping[str, str] | None = None,
    explain: bool = False,
) -> bytes:
    """`policyc run --format json` for the case, as compact UTF-8 JSON.

    `on` and `readings` play --on and --reading: they take precedence over the case's own.
    """
    day = on if on is not None else case.on
    if day is None:
        raise RequestError(
            422,
            _("{name}: no evaluation date: give `on` in the case or the `on` parameter").format(
                name=name,
            ),
        )
    chosen = dict(policy.namespace["READINGS"])
    chosen.update(case.readings)
    chosen.update(readings or {})
    try:
        results = policy.evaluate(case.inputs, day, chosen, case.received, explain)
    except EvaluationError as exc:
        raise RequestError(422, f"{served_name(policy)}:{exc}") from None
    return answer_bytes(
        policy, results, day, chosen, None, explain, totals_of=results, given=case.inputs
    )


def served_name(policy: CompiledPolicy) -> str:
    """The policy as a served answer names it: its file name (`parking.policy`; the service's
    id is its stem), never the server's path to it, which `policyc run` may show but the web
    must not."""
    return PurePath(str(policy.checked.file.path)).name


def evaluate_one(
    policy: CompiledPolicy,
    raw: bytes,
    query: Mapping[str, str],
    readings: Sequence[str],
) -> bytes:
    """The body is one case's content as JSON; the answer `answer`'s bytes."""
    on, chosen, explain = options(policy, query, readings)
    case = validated(policy, parse_json(raw, "case"), "case")
    return answer(policy, case, "case", on, chosen, explain)


def evaluate_many(
    policy: CompiledPolicy,
    raw: bytes,
    query: Mapping[str, str],
    readings: Sequence[str],
) -> bytes:
    """The body is {"cases": [case, …]} with at most MAX_CASES cases; the answer
    {"results": [document, …]} in the same order. One bad case declines the whole request,
    listing every problem of every case (`cases[3]: input …`)."""
    on, chosen, explain = options(policy, query, readings)
    data = parse_json(raw, "body")
    if not isinstance(data, dict) or set(data) != {"cases"} or not isinstance(data["cases"], list):
        raise RequestError(422, _('body: expected {"cases": [case, …]}, a list of cases'))
    items = data["cases"]
    if len(items) > MAX_CASES:
        raise RequestError(
            422,
            _("body: {len_items} cases; one request evaluates at most {MAX_CASES}").format(
                len_items=len(items),
                MAX_CASES=MAX_CASES,
            ),
        )
    cases: list[Case] = []
    messages: list[str] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        try:
            cases.append(validated(policy, item, f"cases[{index}]"))
        except RequestError as exc:
            messages.append(exc.message)
            problems.extend(exc.problems)
    if problems:
        raise RequestError(422, "\n".join(messages), problems)
    documents = [
        answer(policy, case, f"cases[{index}]", on, chosen, explain)
        for index, case in enumerate(cases)
    ]
    return b'{"results":[' + b",".join(documents) + b"]}"
