"""The pipeline in one place: read → parse → check → generate → load.

`compile_policy` is the whole compiler as a reader would describe it; each stage lives in its own
module (parser, checker, codegen), and the docs generator reads the same checked policy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from datetime import date
from types import CodeType

from policyc.compiler import cache
from policyc.compiler.errors_base import InputError
from policyc.compiler.files import control_character, read_text, recording_reads
from policyc.compiler.i18n import _
from policyc.compiler.run_view import RunView, as_view
from policyc.runtime import workdays
from policyc.runtime.amounts import apply_after_caps
from policyc.runtime.evaluation import Ctx, RuleInfo, RuleResult
from policyc.runtime.fast import FastTable, evaluate_case
from policyc.runtime.people import PeriodPlan, prepare
from policyc.runtime.shown_measures import measures_of

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from policyc.compiler.checker import CheckedPolicy
    from policyc.compiler.errors import Diagnostic
    from policyc.compiler.files import StrPath


class CompiledPolicy:
    """A policy compiled: the generated module's namespace and source, the run's plain-data
    view of the checked policy (`view`, compiler/run_view.py) and the checked policy itself
    (`checked`: the AST, for `--explain`, the docs, the web forms). From the cache, `checked`
    and `python_source` are read when first asked for (`load_rest` gives both): a `run` that
    reads only the view never loads the AST."""

    __slots__ = ("_checked", "_load_rest", "_source", "namespace", "view")

    def __init__(
        self,
        checked: CheckedPolicy | None,
        python_source: str | None,
        namespace: dict[str, Any],
        view: RunView | None = None,
        load_rest: Callable[[], tuple[CheckedPolicy, str]] | None = None,
    ):
        if (checked is None or python_source is None) and load_rest is None:
            raise TypeError(
                "a CompiledPolicy needs its checked policy and source or a way to load them"
            )
        self._checked = checked
        self._source = python_source
        self._load_rest = load_rest
        self.namespace = namespace
        self.view: RunView = view if view is not None else as_view(checked)  # type: ignore[arg-type]

    def _rest(self) -> tuple[CheckedPolicy, str]:
        """(checked policy, Python source), loaded by `load_rest` once, when either is first
        asked for; `load_rest` is then let go, and with it the cache entry's bytes it holds."""
        if self._checked is None or self._source is None:
            assert self._load_rest is not None
            self._checked, self._source = self._load_rest()
            self._load_rest = None
        return self._checked, self._source

    @property
    def checked(self) -> CheckedPolicy:
        checked = self._checked  # once loaded, no call: read on the web's and batch's paths
        return checked if checked is not None else self._rest()[0]

    @property
    def python_source(self) -> str:
        """The generated module's Python source."""
        source = self._source
        return source if source is not None else self._rest()[1]

    @property
    def switchable_readings(self) -> set[str]:
        """Readings a run may choose: those not marked `documentary` (see the checker)."""
        return set(self.view.switchable_readings)

    @property
    def rules(self) -> tuple[RuleInfo, ...]:
        return self.namespace["RULES"]  # type: ignore[no-any-return]

    def evaluate(
        self,
        inputs: Mapping[str, Any],
        on: date,
        readings: Mapping[str, str] | None = None,
        received: Iterable[str] = (),
        explain: bool = False,
        fast: bool = True,
    ) -> list[RuleResult]:
        """Every rule's result for one case, in document order. Without `explain`, the
        straight-line fast path runs where it can (`fast=False` forces the traced path: the
        results are the same, tests/test_fastpath.py compares them). Results of the fast path
        may be shared with other cases and are then immutable (runtime/results.FixedResult).
        The project's 节假日安排 notices (the module's `CALENDAR`) are the working-day calendar's
        during the evaluation (runtime/workdays.using)."""
        calendar = self.namespace.get("CALENDAR")
        incomplete = self.namespace.get("CALENDAR_INCOMPLETE", ())
        if not calendar and not incomplete:
            return self._evaluate(inputs, on, readings, received, explain, fast)
        token = workdays.using(calendar or (), incomplete)
        try:
            return self._evaluate(inputs, on, readings, received, explain, fast)
        finally:
            workdays.done(token)

    def _evaluate(
        self,
        inputs: Mapping[str, Any],
        on: date,
        readings: Mapping[str, str] | None,
        received: Iterable[str],
        explain: bool,
        fast: bool,
    ) -> list[RuleResult]:
        namespace = self.namespace
        done = received if received.__class__ is frozenset else frozenset(received)
        if fast and not explain:  # straight-line: compiler/fastpath.py, runtime/fast.py
            table = namespace.get("FAST_TABLE")
            if table is None or table.fast is not namespace.get("FAST"):
                table = None
                if "FAST" in namespace:
                    table = namespace["FAST_TABLE"] = fast_table(namespace, self.view)
            if table is not None:
                if table.by_period:
                    inputs = self._prepared(inputs, on)
                results = evaluate_case(table, inputs, on, readings, done)
                if table.after_caps:
                    view = self.view
                    limits = self._case_limits(inputs, on, readings, None)
                    apply_after_caps(
                        results, view.roundings, view.shared_caps, False, view.choices, limits
                    )
                return results
        if self.view.people.by_period:
            inputs = self._prepared(inputs, on)
        chosen = dict(namespace["READINGS"])
        if readings:
            chosen.update(readings)
        valid_from, valid_until = self.view.validity_under(chosen)
        checked = self.view
        ctx = Ctx(inputs, on, chosen, valid_from, valid_until, explain)
        if explain:
            ctx.measures = measures_of(checked)
        results = []
        for info, function in zip(self.rules, namespace["FUNCTIONS"], strict=True):
            if info.role == "decision":
                results.append(ctx.run_decision(info, function))
            elif info.role == "target":
                results.append(ctx.run_target(info, function))
            else:
                results.append(ctx.run_rule(info, function, done))
        if checked.roundings or checked.shared_caps or checked.choices:
            limits = self._case_limits(inputs, on, readings, ctx)
            apply_after_caps(
                results, checked.roundings, checked.shared_caps, explain, checked.choices, limits
            )
        return results

    def _case_limits(
        self, inputs: Mapping[str, Any], on: date, readings: Mapping[str, str] | None,
        ctx: Ctx | None,
    ) -> dict[str, Any]:  # fmt: skip
        """The limit of each shared cap the case gives (`limit 生前工资 …`): name -> a Quantity,
        or an Unknown naming what it needs. Computed on the traced path's context (the fast
        path builds one for it: a limit is one expression, read once per case)."""
        functions = self.namespace.get("SHARED_LIMITS")
        if not functions:
            return {}
        if ctx is None:
            chosen = dict(self.namespace["READINGS"])
            if readings:
                chosen.update(readings)
            valid_from, valid_until = self.view.validity_under(chosen)
            ctx = Ctx(inputs, on, chosen, valid_from, valid_until, False)
        return {name: function(ctx) for name, function in functions.items()}

    def _prepared(self, inputs: Mapping[str, Any], on: date) -> Mapping[str, Any]:
        """Households, periods, and rules paid per period (`amount … per 月`): the inputs as
        runtime/people.py prepares them."""
        people = self.view.people
        defaults = dict(people.defaults)
        plan = PeriodPlan(
            people.period_of, people.flows, people.member_inputs, defaults,
            dict(people.rule_periods), self.view.roundings,
        )  # fmt: skip
        return prepare(inputs, on, plan)


def fast_table(namespace: Mapping[str, Any], view: RunView) -> FastTable:
    """The fast path's table for a generated module's namespace and its policy's run view
    (runtime/fast.py)."""
    return FastTable(
        namespace["RULES"], namespace["FUNCTIONS"], namespace["FAST"], namespace.get("KEY", ""),
        namespace.get("FIRST", ()), namespace.get("FIRST_REASONS", ()), namespace.get("READS", ()),
        [v for k, v in namespace.items() if k[:1] == "K" and k[1:].isdigit()],
        namespace["READINGS"], view.validity_under, view.people.by_period,
        bool(view.roundings or view.shared_caps or view.choices),
    )  # fmt: skip


def check_references(policies: list[CheckedPolicy]) -> list[Diagnostic]:
    """Every `refers` must name a loaded document and, when it says so, a clause, task or
    section of it. The caller loads the documents (a folder's policies). The check itself runs
    on each policy's plain facts (compiler/check_facts.py), as `check` keeps them cached."""
    from policyc.compiler.check_facts import facts_of, reference_problems

    return reference_problems([facts_of(policy, registry=False) for policy in policies])


def read_source(path: StrPath) -> str:
    """The policy file's text. Raises InputError for a name with a control character (a newline
    in a file name must never reach a comment of generated code, nor a terminal), for a missing,
    non-regular, oversized or non-UTF-8 file."""
    refuse_control_characters(path)
    try:
        return read_text(path)
    except IsADirectoryError:
        raise InputError(
            _("{path}: is a folder, expected a policy file").format(
                path=path,
            )
        ) from None
    except FileNotFoundError:
        raise InputError(_("{path}: no such file").format(path=path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            _("{name}: not UTF-8 text (bad byte at offset {exc_start})").format(
                name=path,
                exc_start=exc.start,
            )
        ) from None
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read ({exc_strerror})").format(
                path=path,
                exc_strerror=exc.strerror,
            )
        ) from None
    except ValueError as exc:  # a NUL in the path
        raise InputError(
            _("{path!r}: not a usable file name ({exc})").format(
                path=str(path),
                exc=exc,
            )
        ) from None


def refuse_control_characters(path: StrPath) -> None:
    """Raises InputError when the path holds a control, format or line-separator character."""
    found = control_character(str(path))
    if found is not None:
        index, char = found
        raise InputError(
            _(
                "{str_path!r}: the file name contains the control character U+{ord_char:04X} "
                "at position {index_1}; rename the file (names of policy files are plain text)"
            ).format(
                str_path=str(path),
                ord_char=ord(char),
                index_1=index + 1,
            )
        )


def check_policy(path: StrPath, text: str | None = None) -> CheckedPolicy:
    """The policy at `path` parsed and checked (`text` when the caller has read it already).
    Raises InputError or PolicyError."""
    # Imported here: a cached `run` never needs the parser, Lark or the checker's passes.
    from policyc.compiler.checker import check
    from policyc.compiler.parser import parse

    if text is None:
        text = read_source(path)
    return check(parse(text, str(path)), text)


def compile_policy(path: StrPath) -> CompiledPolicy:
    """The policy compiled, from the cache when nothing it depends on has changed: its text,
    policyc and Python (the entry's name), and every file the checker read (checked on a hit)."""
    text = read_source(path)
    key = cache.cache_key(path, text)
    hit = cache.load(key)
    if hit is not None:
        view, code, cached_rest = hit

        def load_rest() -> tuple[CheckedPolicy, str]:
            found = cached_rest()
            if found is not None:
                return found
            # The entry's rest did not authenticate (a damaged file): compiled again, as it was.
            from policyc.compiler.codegen import generate

            checked = check_policy(path, text)
            return checked, generate(checked)

        return CompiledPolicy(None, None, _execute(code), view, load_rest)
    from policyc.compiler.codegen import generate

    # Parsing, checking and generating make cycles in volume: the collector runs, even in a
    # `policyc run` of one case, which starts with it off (`policyc.command`), as it was after.
    collecting = gc.isenabled()
    gc.enable()
    try:
        with recording_reads() as dependencies:
            checked = check_policy(path, text)
        source = generate(checked)
        code = compile_module(source, f"<policyc: {path}>")
        view = as_view(checked)
        cache.store(key, checked, view, source, code, dependencies)
    finally:
        if not collecting:
            gc.disable()
    return CompiledPolicy(checked, source, _execute(code), view)


PIECE_LINES = 2000


def compile_module(source: str, filename: str) -> tuple[CodeType, ...]:
    """The generated module compiled in pieces of about PIECE_LINES lines, cut where a top-level
    statement starts, each keeping its own line numbers. CPython's compiler holds the whole
    syntax tree of what it compiles, some 80 bytes per byte of source: in one piece, a policy of
    100k rules took gigabytes; in pieces it takes what the largest piece takes."""
    lines = source.splitlines(keepends=True)
    codes: list[CodeType] = []
    start = 0
    while start < len(lines):
        end = min(start + PIECE_LINES, len(lines))
        # The generator writes every continuation line indented, or as a closing bracket.
        while end < len(lines) and not _starts_statement(lines[end]):
            end += 1
        code = compile("".join(lines[start:end]), filename, "exec")
        codes.append(_shift_lines(code, start))
        start = end
    return tuple(codes)


def _shift_lines(code: CodeType, offset: int) -> CodeType:
    """`code` (and the functions and lambdas it defines) as if it started `offset` lines later;
    line tables count from co_firstlineno."""
    if not offset:
        return code
    consts = tuple(
        _shift_lines(c, offset) if isinstance(c, CodeType) else c for c in code.co_consts
    )
    return code.replace(co_firstlineno=code.co_firstlineno + offset, co_consts=consts)


def _starts_statement(line: str) -> bool:
    return bool(line) and (line[0].isalpha() or line[0] == "_")


def _execute(codes: tuple[CodeType, ...]) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    for code in codes:
        exec(code, namespace)
    return namespace
