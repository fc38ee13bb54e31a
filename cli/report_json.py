"""The JSON answer of `policyc run --format json` and of the web service: one writer, bytes.

`answer_bytes(…)` writes the document of `policyc.report`'s schema as compact UTF-8 JSON; the
web service sends those bytes as they are, and `to_json(…)` is the same bytes read back (the
dict `run` prints with `json.dumps(indent=2)`), so the API and the command line cannot drift
apart. Key order is the schema's.

What depends on the policy only — a result's rule, clause, source sentences, units, procedures,
limits — is written once per rule (`_RuleChunks`, kept beside the rule's `RuleInfo` and dropped
with it); a case writes only its own parts (status, reason, amounts, missing inputs, value,
rounding, members, periods, trace) between those chunks. Format 2: a result the case rules out
(`RULED_OUT`) is lean, `LEAN_KEYS` only, written once per rule and wording; its rule's other
fields are `rule_fields` (the API's `rules` route). A random textile case's answer is about
16 kB (32 kB in format 1), of which the case's own parts are a few hundred bytes.

What recurs between cases is kept, each by exactly what it reads, each store bounded (issue 13:
the service writes one answer after another): a result the evaluation shares between cases
(`FixedResult`) by its identity (`_FixedStore`, looked up for all results in one pass); per
policy view (`_Written`), the document's head by case path, date and readings taken, the totals
by each counted result's rule and amount as written, the still-needed list by its items; a
plain result's own parts by its status, reason, missing inputs and amounts as written.

Money, the totals and the parties they are for are cli/report_totals.py's: this module writes the
document around them.

The encoder is orjson when installed (the `serve` extra), else the standard library's `json`;
both write the same document. A value orjson refuses (a lone surrogate from a `\\ud800` escape
in a request) is written by `json` with `\\u` escapes instead: the answer stays valid UTF-8.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date

from policyc.applying import applying_json
from policyc.choice_report import choice_json
from policyc.needs import any_of_sets, needed_for, per_view
from policyc.people_report import (
    evaluated_period,
    household_json,
    members_json,
    period_in_force,
    period_json,
    periods_json,
)
from policyc.report_ranges import range_json, totals_range_json
from policyc.report_totals import (
    MoneyKey,
    beneficiary_json,
    money,
    money_key,
    totals,
    totals_money,
    value_unit,
)
from policyc.runtime import deadlines
from policyc.runtime.evaluation import RuleInfo, RuleResult
from policyc.runtime.quantity import Quantity
from policyc.runtime.results import FixedResult, show_value
from policyc.runtime.shown_measures import measure_of, measures_of, show_named

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

    from policyc.compiler.pipeline import CompiledPolicy
    from policyc.compiler.run_view import RunView

SCHEMA_VERSION = 3  # 2: a ruled-out result is lean (`LEAN_KEYS`); its rule's fields, `rule_fields`
# 3: totals are kept by measure and period (`元` one-time, `元/月`, `元/年`: `totals_money`)
RULED_OUT = frozenset(("not_applicable", "not_in_force"))
# The keys of a result the case rules out, in order (then members, periods, trace if present).
LEAN_KEYS = ("rule", "clause", "heading", "kind", "flow", "role", "status", "reason")


def _stdlib_dumps(value: Any) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _escaped_dumps(value: Any) -> bytes:
    import json

    return json.dumps(value, separators=(",", ":")).encode()


@functools.cache
def _encoder() -> Callable[[Any], bytes]:
    """orjson's encoder when installed, chosen at the first document: the text answer of `run`
    never imports it."""
    try:
        import orjson
    except ImportError:  # the base install: `run` without the serve extra
        return _stdlib_dumps
    fast = orjson.dumps

    def dumps(value: Any) -> bytes:
        try:
            return fast(value)
        except TypeError:  # orjson.JSONEncodeError: a lone surrogate, an integer over 64 bits
            return _escaped_dumps(value)

    return dumps


def _dumps(value: Any) -> bytes:
    return _encoder()(value)


def in_force(policy: CompiledPolicy, on: date, readings: Mapping[str, str]) -> bool:
    start, end = policy.view.validity_under(dict(readings))
    return (start is None or on >= start) and (end is None or on <= end)


def to_json(
    policy: CompiledPolicy,
    results: list[RuleResult],
    on: date,
    readings: dict[str, str],
    case_path: str | None,
    explain: bool,
    totals_of: list[RuleResult] | None = None,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The document of `policyc.report`'s schema for `results` (the rules shown), as a fresh
    dict: `answer_bytes` read back. `totals_of` are all the results (totals and `still_needed`
    are over them), `given` the case's inputs."""
    import json

    document: dict[str, Any] = json.loads(
        answer_bytes(policy, results, on, readings, case_path, explain, totals_of, given)
    )
    return document


def answer_bytes(
    policy: CompiledPolicy,
    results: list[RuleResult],
    on: date,
    readings: Mapping[str, str],
    case_path: str | None,
    explain: bool,
    totals_of: list[RuleResult] | None = None,
    given: Mapping[str, Any] | None = None,
) -> bytes:
    """`to_json`'s document as compact UTF-8 JSON (the bytes the web service answers)."""
    view = policy.view
    state = _STATES.get(id(view)) or _state(view)
    opening = state.head(policy, on, readings, case_path) + b',"results":['
    everything = totals_of or results
    # One pass sorts out what the totals read (the results that apply with an amount or a
    # range: most cases have none, and their totals are written once, `_NO_TOTALS_WRITTEN`)
    # and what `still_needed` reads (the undetermined results, the decided values).
    counted: list[RuleResult] = []
    waiting: list[RuleResult] = []
    settled: list[str] = []
    refused: list[RuleResult] = []
    for r in everything:
        status = r.status
        if status == "not_applicable":  # most results
            continue
        if status == "undetermined":
            waiting.append(r)
            if r.refused:  # a day the official calendar lacks (`date_plus(d, N 工作日)`)
                refused.append(r)
        elif status == "applies":
            if r.amount is not None or r.range is not None:
                counted.append(r)
        elif status == "decided":
            settled.append(r.info.name)
        elif r.refused:  # a target whose 顺延 deadline cannot be told
            refused.append(r)
    needed = needed_for(view, waiting, settled, given or {}, readings) if waiting else []
    # A result the evaluation shares between cases (a rule the case's type rules out, a day
    # out of force): written once, found by its identity in one pass (`_FixedStore`).
    written: list[bytes | None] = [None] * len(results) if explain else _FIXED.found(results)
    if None in written:
        roundings = view.roundings
        for index, r in enumerate(results):
            if written[index] is None:
                written[index] = _result_bytes(policy, r, explain, roundings)
    period = evaluated_period(view, given, on)
    if period is None and not counted:
        closing = [_NO_TOTALS_WRITTEN]
    else:
        closing = [b"],"]
        if period is not None:  # households and periods (people_report.py)
            in_period = period_in_force(view, period, readings)
            closing += (_dumps({"period": period, "period_in_force": in_period})[1:-1], b",")
        closing += (state.totals(counted) if counted else _NO_TOTALS, b',"still_needed":[')
    closing += (state.still_needed(view, needed), b"]")
    if refused:  # a part of the answer refused (a target's deadline that cannot be told)
        closing.append(b',"refused":' + _dumps(refused_json(refused)))
    closing.append(b"}")
    # The answer copied once: the opening glued to the first result, the closing to the last,
    # the results joined between them.
    ending = b"".join(closing)
    if not written:
        return opening + ending
    written[0] = opening + written[0]  # type: ignore[operator]  # every place filled
    written[-1] += ending  # type: ignore[operator]
    return b",".join(written)  # type: ignore[arg-type]


def refused_json(refused: list[RuleResult]) -> list[dict[str, Any]]:
    """The document's closing "refused" list: each result the evaluation could not give in full
    (a target whose 顺延 deadline the official calendar cannot tell), as {"rule", "line",
    "reason"}; `run` exits 1 when it is not empty."""
    return [{"rule": r.info.name, "line": r.info.line, "reason": r.refused} for r in refused]


def _result_bytes(
    policy: CompiledPolicy, r: RuleResult, explain: bool, roundings: Mapping[str, Any]
) -> bytes:
    """One result as the answer writes it; a shared result (`FixedResult`) without a trace is
    kept in `_FIXED` for the next case that meets it."""
    info = r.info
    chunks = _CHUNKS.get(id(info)) or _chunks(info, policy.view.places)
    if r.status in RULED_OUT:  # lean: the rule's fixed fields are `rule_fields`'
        plain = not explain and r.members is None and r.periods is None
        written = chunks.lean_written.get((r.status, r.reason)) if plain else None
        if written is None:
            written = _lean(r, chunks, explain)
            if plain and r.status != "not_in_force":  # (its reason names a day: not again)
                if len(chunks.lean_written) >= _LEAN_ENTRIES:
                    chunks.lean_written.clear()
                chunks.lean_written[(r.status, r.reason)] = written
        if not explain and r.__class__ is FixedResult:
            _FIXED.keep(r, written)
        return written
    if explain or not (
        r.value is None and r.unrounded is None and r.shared is None and r.members is None
        and r.periods is None and r.range is None and not r.due and r.choice is None
        and not r.refused and r.applying is None
    ):  # fmt: skip
        return _written(policy, r, chunks, info.name in roundings, explain)
    # Most results: 申请人类型 alone rules out most rules. The rule's parts, the case's
    # status, reason, amounts and missing inputs (written once per wording and amounts as
    # written), the rule's parts.
    tail = chunks.plain_tail
    if tail is None:
        tail = chunks.plain_tail = _plain_tail(policy, r, chunks)
    key = (r.status, r.reason, r.missing, money_key(r.amount), money_key(r.uncapped))
    own = _PLAIN_OWN.get(key)
    if own is None:
        if len(_PLAIN_OWN) >= _PLAIN_ENTRIES:
            _PLAIN_OWN.clear()
        own = _PLAIN_OWN[key] = _own_bytes(r)
    written = b"".join((chunks.head, own, tail))
    if r.__class__ is FixedResult:
        _FIXED.keep(r, written)
    return written


def _needed_bytes(item: tuple[str, str, str, tuple[str, ...]]) -> bytes:
    """A still-needed input (`needed_fields`) as `NeededInput.to_json()` writes it, written
    once per (name, description, measure, rules)."""
    written = _NEEDED.get(item)
    if written is None:
        if len(_NEEDED) >= _PLAIN_ENTRIES:
            _NEEDED.clear()
        written = _NEEDED[item] = _dumps({
            "name": item[0], "description": item[1], "measure": item[2], "rules": item[3],
        })  # fmt: skip
    return written


def _lean(r: RuleResult, chunks: _RuleChunks, explain: bool) -> bytes:
    """A result the case rules out: `LEAN_KEYS`, then members, periods and trace if present.
    Its status and reason are written once per wording."""
    key = (r.status, r.reason)
    own = _LEAN_OWN.get(key)
    if own is None:
        if len(_LEAN_OWN) >= _LEAN_OWN_ENTRIES:
            _LEAN_OWN.clear()
        own = _LEAN_OWN[key] = _dumps({"status": r.status, "reason": r.reason})[1:-1]
    if not explain and r.members is None and r.periods is None:
        return b"".join((chunks.lean, own, b"}"))
    more: dict[str, Any] = {}
    if r.members is not None:
        more["members"] = members_json(r, money, _value_json)
    if r.periods is not None:
        more["periods"] = periods_json(r, money, _value_json)
    if explain:
        more["trace"] = [{"text": s.text, "line": s.line} for s in r.steps]
    return b"".join((chunks.lean, own, b",", _dumps(more)[1:-1], b"}"))


def rule_fields(policy: CompiledPolicy) -> list[dict[str, Any]]:
    """Every rule's fixed fields, in the policy's order: what a full result carries that
    depends on its rule only, under the same names and with the same values (lists as JSON
    lists once encoded), the fields a lean result leaves out (`GET /v1/policies/{id}/rules`):

        {"rule", "clause", "clause_title", "owner_kind", "heading", "unspecified", "grants",
         "beneficiary", "kind", "responsible": [str], "quotes": [str], "quote_of", "line": int,
         "readings": [str], "flow", "role", "target", "leads": [str], "cooperates": [str],
         "law", "procedures": [{"name", "title", "steps"}], "refers": [str],
         "limits": [{"name", "amount", "text"}], "rounding": str|null}
    plus "amount_per" (a rule with `amount … per`) or "value_per" (`decide … per`): "month" |
    "year"."""
    places = policy.view.places
    out: list[dict[str, Any]] = []
    for info in policy.rules:
        fields: dict[str, Any] = {
            "rule": info.name,
            "clause": info.owner_number,
            "clause_title": info.owner_title,
            "owner_kind": info.owner_kind,
            "heading": places.get(f"{info.owner_kind} {info.owner_number}", ""),
            "unspecified": info.unspecified,
            "grants": info.grants,
            "beneficiary": info.beneficiary,
            "kind": info.kind,
            "responsible": list(info.responsible),
            "quotes": list(info.quotes),
            "quote_of": info.quote_of,
            "line": info.line,
            "readings": list(info.readings),
            "flow": info.flow,
            "role": info.role,
            "target": info.target,
            "leads": list(info.leads),
            "cooperates": list(info.cooperates),
            "law": info.law,
            "procedures": [{"name": p[0], "title": p[1], "steps": p[2]} for p in info.procedures],
            "refers": list(info.refers),
            "limits": [{"name": n, "amount": a, "text": t} for n, a, t in info.limits],
            "rounding": _rounding_wording(policy, info.name),
        }
        if info.period in ("month", "year"):
            fields["value_per" if info.role == "decision" else "amount_per"] = info.period
        out.append(fields)
    return out


def _own_bytes(r: RuleResult) -> bytes:
    """The case's own first fields of a result, without the braces: status to missing."""
    return _dumps({
        "status": r.status,
        "reason": r.reason,
        "amount": money(r.amount),
        "uncapped": money(r.uncapped),
        "capped": r.uncapped is not None,
        "missing": r.missing,
    })[1:-1]  # fmt: skip


def _plain_tail(policy: CompiledPolicy, r: RuleResult, chunks: _RuleChunks) -> bytes:
    """A result's fields after `missing` when it has no value, rounding's exact amount, shared
    cap, members, periods, range, due or trace (an amount it may have): they depend on its rule
    only (the rounding's wording, `amount … per`)."""
    if r.info.name in policy.view.roundings:
        after = _dumps(_after_caps_json(policy, r))[1:-1]
    else:
        after = _NO_AFTER_CAPS
    more = period_json(r)
    extra = b"," + _dumps(more)[1:-1] if more else b""
    return b"".join((chunks.middle, b"null", chunks.tail, after, extra, b"}"))


def _written(
    policy: CompiledPolicy, r: RuleResult, chunks: _RuleChunks, rounded: bool, explain: bool
) -> bytes:
    own = _own_bytes(r)
    value = b"null" if r.value is None else _dumps(_shown_value_json(policy, r))
    if r.unrounded is not None or r.shared is not None or rounded:
        after = _dumps(_after_caps_json(policy, r))[1:-1]
    else:
        after = _NO_AFTER_CAPS
    more: dict[str, Any] = {}
    if r.members is not None:
        more["members"] = members_json(r, money, _value_json)
        more |= household_json(r, money)  # a cap for the whole case cut the members' total
    if r.periods is not None:
        more["periods"] = periods_json(r, money, _value_json)
    more |= period_json(r)  # `amount … per`: people_report.py
    if r.range is not None:  # `amount range`: cli/report_ranges.py
        more["range"] = range_json(r)
    if r.choice is not None:  # `choose highest of …`: cli/choice_report.py
        more["choice"] = choice_json(r, money)
    if r.due:  # a target not met or not reported, with a deadline: before it or past it
        more["due"] = r.due
        if r.deadline:  # the day in view (a recurring deadline's current period's)
            more["deadline"] = r.deadline
        if r.postponed:  # 遇节假日顺延 moved it from a rest day: the day as written, and why
            more["postponed"] = {"from": r.postponed[0], "reason": r.postponed[1]}
        if recurs := deadlines.recurs(r.info.deadline):  # quarterly | monthly | standing
            more["recurs"] = recurs
    if r.refused:  # a day the official calendar does not know: due "unknown", or undetermined
        more["refused"] = r.refused
    if r.applying is not None:  # `apply 申请日期 by …`: the deadline, and the case's application
        more["apply_by"] = applying_json(r.applying)
    if explain:
        more["trace"] = [{"text": s.text, "line": s.line} for s in r.steps]
    extra = b"," + _dumps(more)[1:-1] if more else b""
    return b"".join((
        chunks.head, own, chunks.middle, value, chunks.tail, after, extra, b"}",
    ))  # fmt: skip


_NO_AFTER_CAPS = b'"unrounded":null,"rounding":null,"shared_cap":null'
# The totals of a case no result of which applies with an amount or a range, and their bytes
# between the results and `still_needed` when the policy has no periods.
_NO_TOTALS = b'"totals":{},"totals_by_kind":{},"totals_by_beneficiary":[]'
_NO_TOTALS_WRITTEN = (
    b'],"totals":{},"totals_by_kind":{},"totals_by_beneficiary":[],"still_needed":['
)
# The case's own parts of a result without an amount, by (status, reason, missing), written
# once: the same wording comes back case after case. Started over when full, so the memory
# stays flat (a few hundred bytes an entry).
_PLAIN_OWN: dict[tuple[str, str, tuple[str, ...], MoneyKey | None, MoneyKey | None], bytes] = {}
_PLAIN_ENTRIES = 1024
_LEAN_OWN: dict[tuple[str, str], bytes] = {}  # a lean result's status and reason, by them
# Reasons name days (政策在 2026-03-01 不在有效期内): a day's are written once for every rule.
_LEAN_OWN_ENTRIES = 4096
_LEAN_ENTRIES = 64  # a rule's lean results kept (`_RuleChunks.lean_written`), then started over
_NEEDED: dict[tuple[str, str, str, tuple[str, ...]], bytes] = {}  # a still-needed input, by
# its fields (the same inputs are still needed by the same rules case after case)


class _RuleChunks:
    """A result's fields that depend on the rule only, written once, in the schema's order:
    `head` up to the case's status, `middle` from `unspecified` up to the case's `value`, `tail`
    from `target` up to the rounding fields; `plain_tail`, everything after the case's `missing`
    for a result without a value, amount, members, periods or trace (made at its first); `lean`,
    a ruled-out result's rule part (format 2), up to its status."""

    __slots__ = ("head", "lean", "lean_written", "middle", "plain_tail", "tail")

    def __init__(self, info: RuleInfo, places: Mapping[str, str]):
        head = _dumps({
            "rule": info.name,
            "clause": info.owner_number,
            "clause_title": info.owner_title,
            "owner_kind": info.owner_kind,
            # The owner's heading in the document's own style (compiler/part_places.py):
            # `（二）外籍专家生活补助`, `第三条 医疗救助`; "" for a rule of the policy itself.
            "heading": places.get(f"{info.owner_kind} {info.owner_number}", ""),
        })  # fmt: skip
        middle = _dumps({
            "unspecified": info.unspecified,
            "grants": info.grants,
            "beneficiary": info.beneficiary,
            "kind": info.kind,
            "responsible": info.responsible,
            "quotes": info.quotes,
            "quote_of": info.quote_of,
            "line": info.line,
            "readings": info.readings,
            "flow": info.flow,
            "role": info.role,
        })  # fmt: skip
        tail = _dumps({
            "target": info.target,
            "leads": info.leads,
            "cooperates": info.cooperates,
            "law": info.law,
            "procedures": [
                {"name": p[0], "title": p[1], "steps": p[2]} for p in info.procedures
            ],
            "refers": info.refers,
            "limits": [{"name": n, "amount": a, "text": t} for n, a, t in info.limits],
        })  # fmt: skip
        lean = _dumps({
            "rule": info.name,
            "clause": info.owner_number,
            "heading": places.get(f"{info.owner_kind} {info.owner_number}", ""),
            "kind": info.kind,
            "flow": info.flow,
            "role": info.role,
        })  # fmt: skip
        self.lean = lean[:-1] + b","  # a lean result's rule part, up to its status
        # its lean results without members, periods or trace, by (status, reason)
        self.lean_written: dict[tuple[str, str], bytes] = {}
        self.head = head[:-1] + b","
        self.middle = b"," + middle[1:-1] + b',"value":'
        self.tail = b"," + tail[1:-1] + b","
        self.plain_tail: bytes | None = None  # after `missing`, for a result with no amount…


# By the RuleInfo's id, dropped with it (a policy's rules live as long as the policy).
_CHUNKS: dict[int, _RuleChunks] = {}


def _chunks(info: RuleInfo, places: Mapping[str, str]) -> _RuleChunks:
    found = _CHUNKS.get(id(info))
    if found is None:
        import weakref

        found = _CHUNKS[id(info)] = _RuleChunks(info, places)
        weakref.finalize(info, _CHUNKS.pop, id(info), None)
    return found


class _FixedStore:
    """The bytes of each shared result (`FixedResult`) written without a trace, by the result's
    identity: `found(results)` is one pass in C (`map`) giving each result's bytes or None.

    The results are kept alive beside their bytes (`kept`), so an id in `written` is that
    result's and no other object's for as long as it is there: both are started over together
    past ENTRIES, `written` first, and a result is kept before its bytes are stored (another
    thread never finds bytes whose result is gone). About 400 bytes an entry."""

    ENTRIES = 8192  # a day out of force shares a result per rule: a few hundred days

    __slots__ = ("get", "kept", "written")

    def __init__(self) -> None:
        self.written: dict[int, bytes] = {}
        self.kept: dict[int, RuleResult] = {}
        self.get = self.written.get

    def found(self, results: list[RuleResult]) -> list[bytes | None]:
        return list(map(self.get, map(id, results)))

    def keep(self, r: RuleResult, written: bytes) -> None:
        if len(self.written) >= self.ENTRIES:
            self.written.clear()
            self.kept.clear()
        self.kept[id(r)] = r
        self.written[id(r)] = written


_FIXED = _FixedStore()


class _Written:
    """What a policy's answers share, written once per policy view: the document's head up to
    `results` by (case path, evaluation date, readings taken in their order), and the
    still-needed list's `any_of` pairs by the `needed_fields` items. Each
    started over past its bound; dropped with the view."""

    HEADS = 2048  # evaluation dates × choices of readings (a few hundred bytes each)
    NEEDS = 4096  # lists of still-needed inputs met
    SUMS = 1024  # sets of amounts that apply (about 1.5 kB each; most sets recur rarely)

    __slots__ = ("heads", "needs", "sums")

    def __init__(self) -> None:
        self.sums: dict[tuple[tuple[str, MoneyKey | None], ...], bytes] = {}
        self.heads: dict[tuple[str | None, date, tuple[tuple[str, str], ...]], bytes] = {}
        self.needs: dict[tuple[tuple[str, str, str, tuple[str, ...]], ...], dict[str, str]] = {}

    def head(
        self,
        policy: CompiledPolicy,
        on: date,
        readings: Mapping[str, str],
        case_path: str | None,
    ) -> bytes:
        """The document up to `results`, without its closing brace: policyc, policy, title,
        issuers, case, on, in_force, valid_from, valid_until, provisional, readings (in their
        order)."""
        key = (case_path, on, tuple(readings.items()))
        found = self.heads.get(key)
        if found is None:
            header = policy.view.header
            valid_from, valid_until = policy.view.validity_under(dict(readings))
            head = {
                "policyc": SCHEMA_VERSION,
                "policy": header.number,
                "title": header.title,
                "issuers": list(header.issuers),  # the lead issuer first
                "case": case_path,
                "on": on.isoformat(),
                "in_force": (valid_from is None or on >= valid_from)
                and (valid_until is None or on <= valid_until),  # in_force's, dates read once
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "provisional": header.provisional,
                "readings": readings,
            }
            if len(self.heads) >= self.HEADS:
                self.heads.clear()
            found = self.heads[key] = _dumps(head)[:-1]
        return found

    def totals(self, counted: list[RuleResult]) -> bytes:
        """The totals of the results `counted` (those that apply with an amount or a range),
        without braces: totals, totals_by_kind, totals_range_by_kind (where a range applies),
        totals_by_beneficiary. Kept by what they read — each result's rule and amount as
        written — when no result has a range or periods."""
        key = None
        if all(r.range is None and r.periods is None for r in counted):
            key = tuple([(r.info.name, money_key(r.amount)) for r in counted])
            found = self.sums.get(key)
            if found is not None:
                return found
        written = _totals_bytes(counted)
        if key is not None:
            if len(self.sums) >= self.SUMS:
                self.sums.clear()
            self.sums[key] = written
        return written

    def still_needed(
        self, view: RunView, needed: list[tuple[str, str, str, tuple[str, ...]]]
    ) -> bytes:
        """`still_needed`'s items, comma-separated: two inputs either of which suffices
        (`any_of_sets`) as one item {"any_of": [item, item]} where the first of them stands.
        Each item is written once (`_needed_bytes`); the pairs are kept by the items (a small
        dict each, mostly the shared empty one: the lists' bytes would be kilobytes each)."""
        if len(needed) < 2:
            return _needed_bytes(needed[0]) if needed else b""
        key = tuple(needed)
        pairs = self.needs.get(key)
        if pairs is None:
            if len(self.needs) >= self.NEEDS:
                self.needs.clear()
            pairs = self.needs[key] = dict(any_of_sets(view, needed)) or _NO_PAIRS
        if not pairs:
            return b",".join([_needed_bytes(item) for item in needed])
        by_name = {item[0]: item for item in needed}
        seconds = set(pairs.values())
        return b",".join([
            b'{"any_of":[' + _needed_bytes(item) + b"," + _needed_bytes(by_name[pairs[item[0]]])
            + b"]}"
            if item[0] in pairs
            else _needed_bytes(item)
            for item in needed
            if item[0] not in seconds
        ])  # fmt: skip


_NO_PAIRS: dict[str, str] = {}


def _totals_bytes(counted: list[RuleResult]) -> bytes:
    """`_Written.totals`' bytes, worked out."""
    sums = totals(counted)
    by_kind = {flow: totals_money(by_unit) for flow, by_unit in sums.items()}
    written: dict[str, Any] = {
        "totals": by_kind.get("paid", {}),  # the same Money, written twice
        "totals_by_kind": by_kind,
    }
    ranged = totals_range_json(counted)
    if ranged:  # `amount range` (cli/report_ranges.py): only where some range applies
        written["totals_range_by_kind"] = ranged
    written["totals_by_beneficiary"] = beneficiary_json(counted)
    return _dumps(written)[1:-1]


# By the view's id, dropped with it (as `_CHUNKS`).
_STATES: dict[int, _Written] = {}


def _state(view: RunView) -> _Written:
    state: _Written = per_view(_STATES, view, _Written)
    return state


def _after_caps_json(policy: CompiledPolicy, r: RuleResult) -> dict[str, Any]:
    """Issue 12: the rounding (the exact amount when it changed it) and the shared cap.

    "unrounded": Money|null, "rounding": str|null (按四舍五入保留到分（…）),
    "shared_cap": null | {"name", "limit": Money, "before": Money, "after": Money,
                          "used_before": Money, "position": int, "order": str,
                          "limit_named": str|null} (`order` as_listed or proportional; under
    proportional, `used_before` is what all asked together; `limit_named`: what the case's
    limit is, `生前工资`, null for a limit the document states)"""
    wording = _rounding_wording(policy, r.info.name)
    share = r.shared
    shared = None
    if share is not None:
        shared = {
            "name": share.cap,
            "limit": money(share.limit),
            "before": money(share.before),
            "after": money(share.after),
            "used_before": money(share.used_before),
            "position": share.position,
            "order": share.order,
            "limit_named": share.limit_text or None,
        }
    return {"unrounded": money(r.unrounded), "rounding": wording, "shared_cap": shared}


def _rounding_wording(policy: CompiledPolicy, rule: str) -> str | None:
    """The rule's rounding as a result's `rounding` says it: 按四舍五入保留到分（文件规定）."""
    rounding = policy.view.roundings.get(rule)
    if rounding is None:
        return None
    who = "文件规定" if rounding.by_document else "本政策的读法"
    return f"{rounding.wording}（{who}）"


def _shown_value_json(policy: CompiledPolicy, r: RuleResult) -> Any:
    """A decided value for JSON in the measure its inputs have: `text` `20,000元/月` and `value`
    20000, `unit` 元/月 alike (a consumer need not convert); `半年收入` reading a 元/年 input:
    30000, 元/年."""
    shown = _value_json(r.value)
    if isinstance(r.value, Quantity) and r.value.dims and isinstance(shown, dict):
        measures = measures_of(policy.view)
        shown["text"] = show_named(measures, r.info.name, r.value)
        measure = measure_of(measures, r.info.name, r.value)
        if measure is not None:
            shown["value"], shown["unit"] = value_unit(r.value, measure)
    return shown


def _value_json(value: Any) -> Any:
    if value is None or isinstance(value, bool):  # a yes/no is JSON's own true/false
        return value
    if isinstance(value, Quantity):
        shown = money(value)
        if shown is not None and not value.dims:  # a ratio: "10%", as the text report writes it
            shown["text"] = show_value(value)
        return shown
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
