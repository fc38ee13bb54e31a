"""Generate the Python module that evaluates a checked policy.

Expressions become Python through a table of one function per node type; the module around them
comes from a jinja2 template (templates/module.py.j2). Generated code calls only the names
`policyc.runtime.evaluation.__all__` declares, and each rule function names its policy line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import jinja2

from policyc.compiler import nodes as n
from policyc.compiler.calendar_checks import CALENDAR_FUNCS, refuses_backwards
from policyc.compiler.case_caps import case_cap
from policyc.compiler.checker import CheckedPolicy, amount_flow
from policyc.compiler.daily_caps import daily_of
from policyc.compiler.fastpath import FastEmitter, fast_rule, first_conditions, rule_reads
from policyc.compiler.group_checks import PERIOD_FUNCS, PERIOD_WORDS, as_aggregate
from policyc.compiler.i18n import _
from policyc.compiler.lookup import reads_a_value
from policyc.compiler.render import (
    counting,
    failed,
    render,
    render_apply_by,
    render_operand,
    render_range,
    render_reference,
    render_target,
    render_threshold,
)
from policyc.compiler.table_keys import key_reads, nested
from policyc.compiler.templating import environment
from policyc.runtime import deadlines, evaluation
from policyc.runtime.amounts import ROUNDING_MODES, ROUNDING_UNITS
from policyc.runtime.quantity import (
    Quantity,
    declared_measures,
    parse_measure,
)


class Code(str):
    """Python source this generator built itself: from literals through `repr`, integers, and
    its own fixed words. The template writes nothing else (see `_only_code`)."""


def python_literal(value: object) -> Code:
    """`value` as a Python literal (`repr`): the one way data reaches generated code."""
    return Code(repr(value))


def comment_text(value: object) -> Code:
    """`value` for a `#` comment: every control, format, line or paragraph separator and
    surrogate character written as its escape, so that the comment cannot end early."""
    return Code(
        "".join(
            ch.encode("unicode_escape").decode("ascii")
            if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
            else ch
            for ch in str(value)
        )
    )


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifier(value: object) -> Code:
    """A name the generator chose (`rule_3`, `K0`, a RuleInfo field); raises ValueError for
    anything else."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise ValueError(_("not a generated identifier: {value!r}").format(value=value))
    return Code(value)


def _only_code(value: object) -> object:
    """Every `{{ … }}` of the template: generated code, an integer, or a refusal, so that a
    string from the policy or its file name can only enter through `py` or `comment`."""
    if isinstance(value, Code) or type(value) is int:
        return value
    raise TypeError(
        f"generated Python would include a raw {type(value).__name__} {str(value)[:60]!r}; "
        "write it through the `py`, `comment` or `ident` filter"
    )


def _environment() -> jinja2.Environment:
    env = environment()
    env.finalize = _only_code
    env.filters["py"] = python_literal
    env.filters["comment"] = comment_text
    env.filters["ident"] = identifier
    return env


def generate(policy: CheckedPolicy) -> str:
    """The Python source of the evaluation module for `policy`."""
    gen = _Generator(policy)
    # the policy's own measures (`measure 方 = …`) are read while its literals are generated
    with counting(policy.people.counted), declared_measures(policy.measures):
        entries = gen.entries()
        key = gen.dispatch(entries)
        defines = [gen.define(d) for d in policy.defines.values()]
        # a shared cap whose limit the case gives (生前工资): computed per case on the traced
        # path, by name (compiler/pipeline.py reads SHARED_LIMITS)
        limits = [
            {"name": name, "func": f"shared_limit_{i}", "code": Code(gen.py(expr))}
            for i, (name, expr) in enumerate(policy.shared_limits.items())
        ]
    return (
        _environment()
        .get_template("module.py.j2")
        .render(
            runtime_names=[identifier(name) for name in evaluation.__all__],
            source=policy.file.path,
            readings={name: r.take.text for name, r in policy.readings.items()},
            calendar=policy.calendar,
            calendar_incomplete=policy.calendar_incomplete,
            constants=[(identifier(name), Code(code)) for name, code in gen.constants.items()],
            defines=defines,
            limits=limits,
            rules=entries,
            key=key,
        )
    )


def _gate(gate: tuple[str, str] | None) -> tuple[Code, Code] | None:
    return None if gate is None else (Code(gate[0]), Code(gate[1]))


def _date_code(day: date | None) -> str:
    return "None" if day is None else f"date({day.year}, {day.month}, {day.day})"


class _Generator:
    def __init__(self, policy: CheckedPolicy):
        self.policy = policy
        self.constants: dict[str, str] = {}
        self._constant_names: dict[str, str] = {}
        self.define_funcs = {name: f"define_{i}" for i, name in enumerate(policy.defines)}
        self.household = household_defines(policy)
        self.section_leads: dict[int, tuple[n.Name, ...]] = {}
        self.section_refers: dict[int, tuple[n.Reference, ...]] = {}
        self.fast = FastEmitter(self)
        self.rule_nodes: dict[int, n.Rule] = {}  # entry index -> its rule

    def constant(self, code: str) -> str:
        """Literals are built once, at import, not on every evaluation."""
        if code not in self._constant_names:
            name = f"K{len(self._constant_names)}"
            self._constant_names[code] = name
            self.constants[name] = code
        return self._constant_names[code]

    # ---- declarations ----
    def define(self, define: n.Define) -> dict[str, Any]:
        fast = self.fast.define_code(define.name.text)
        return {
            "func": self.define_funcs[define.name.text],
            "name": define.name.text,
            "line": define.span.line,
            "code": self.py(define.expr),
            "fast": Code(fast) if fast is not None else None,
        }

    def fast_rule(self, rule: n.Rule) -> dict[str, Any] | None:
        """The straight-line version of the rule (fastpath.py), or None."""
        found = fast_rule(self.fast, rule)
        if found is None:
            return None
        return found | {
            "whens": [
                (Code(code), text, _gate(gate), Code(three) if three else None)
                for code, text, gate, three in found["whens"]
            ],
            "amount": Code(found["amount"]),
            "amount_gate": _gate(found["amount_gate"]),
            "cap": Code(found["cap"]),
            "cap_gate": _gate(found["cap_gate"]),
        }

    def dispatch(self, entries: list[dict[str, Any]]) -> str:
        """The key input of the fast path's dispatch (fastpath.first_conditions; "" for none);
        sets each entry's `first` (code of its first condition, or None), its `first_reason`
        and `reads` (fastpath.rule_reads; None for a decision or a target)."""
        indices = sorted(self.rule_nodes)
        key, codes = first_conditions(self.fast, [self.rule_nodes[i] for i in indices])
        for index, entry in enumerate(entries):
            entry["first"], entry["first_reason"] = None, ""
            rule = self.rule_nodes.get(index)
            entry["reads"] = rule_reads(self.policy, rule) if rule is not None else None
        for position, code in codes.items():
            index = indices[position]
            entries[index]["first"] = Code(code)
            when = self.rule_nodes[index].whens[0]
            entries[index]["first_reason"] = failed(when)
        return key

    def entries(self) -> list[dict[str, Any]]:
        """Decisions first, then each owner's rules and targets, in document order."""
        out = [self.decision(i, d) for i, d in enumerate(self.policy.defines.values()) if d.decided]
        owners: list[n.Section | n.Clause] = []
        for section in self.policy.file.sections:
            owners.append(section)
            owners.extend(section.clauses)
            # A task without lead units of its own is led by its section's (天政办函〔2023〕5号).
            self.section_leads.update({id(c): section.leads for c in section.clauses})
            # a section's references are its parts' too (refers_of_owner)
            self.section_refers.update({id(c): section.refers for c in section.clauses})
        owners.extend(self.policy.file.clauses)
        for owner in owners:
            out.extend(self.rule(len(out), owner, rule) for rule in owner.rules)
            out.extend(self.target(len(out), owner, target) for target in owner.targets)
        return out

    def units(self, names: tuple[n.Name, ...]) -> tuple[str, ...]:
        registry = self.policy.registry
        return tuple((u.name if (u := registry.resolve(x.text)) else x.text) for x in names)

    def owner_info(self, owner: n.Section | n.Clause) -> dict[str, Any]:
        kind = owner.kind if isinstance(owner, n.Clause) else "section"
        return {
            "owner_kind": kind,
            "owner_number": owner.ident if isinstance(owner, n.Clause) else owner.number,
            "owner_title": owner.title,
            "leads": self.units(owner.leads or self.section_leads.get(id(owner), ())),
            "refers": self.references(owner.refers, self.section_refers.get(id(owner), ())),
        }

    @staticmethod
    def references(*written: tuple[n.Reference, ...]) -> tuple[str, ...]:
        """The references written on a rule, its clause or task, and its section, innermost
        first, each once: `run` and the JSON show them wherever the rule is (a `refers outside`
        in the clause of a rule with a computed amount was once shown by the site alone)."""
        rendered = (render_reference(r) for references in written for r in references)
        return tuple(dict.fromkeys(rendered))

    def decision(self, index: int, define: n.Define) -> dict[str, Any]:
        info = self.base_info(index, define.name.text, define.span.line) | {
            "owner_kind": "policy",
            "role": "decision",
            "description": define.description,
        }
        if define.name.text in self.policy.people.member_defines:
            info["each"] = "members"
        if define.period is not None:  # `decide … per 月`: decided period by period
            info["period"] = PERIOD_WORDS.get(define.period.text, "")
        return {
            "func": self.define_funcs[define.name.text],
            "role": "decision",
            "info": info,
            "generated": False,
            "fast": None,
        }

    def target(self, index: int, owner: n.Section | n.Clause, target: n.Target) -> dict[str, Any]:
        wording = render_target(target)
        responsible = owner.responsible
        info = self.base_info(index, target.name.text, target.span.line) | self.owner_info(owner)
        info |= {
            "role": "target",
            "target": wording,
            "responsible": self.units(responsible),
            # its own sentence; else its owner's, and the reports say so (`quote_of`)
            "quotes": tuple(q.text for q in target.quotes or owner.quotes),
            "quote_of": "" if target.quotes else "owner",
            "description": target.description,
            "deadline": _deadline_code(target.deadline, postponed=target.postponed),
            "measure": target.value.measure if isinstance(target.value, n.QuantityLit) else "",
        }
        actual = f"c.get({target.name.text!r})"
        if target.op == "about":
            tolerance = self.py(target.tolerance) if target.tolerance is not None else "None"
            code = (
                f"c.about({actual}, {self.py(target.value)}, {tolerance}, "
                f"{wording!r}, {target.span.line})"
            )
        else:
            bound: str = self.py(target.value)
            if target.tolerance is not None:
                # 左右 on one side: the bound moves by the tolerance in the target's favour.
                widen = "sub" if target.op in ("ge", "gt") else "add"
                bound = f"{widen}({bound}, {self.py(target.tolerance)})"
            code = (
                f"c.cmp({target.op!r}, {actual}, {bound}, "
                f"{target.name.text + wording!r}, {target.span.line})"
            )
        return {
            "func": f"target_{index}",
            "role": "target",
            "info": info,
            "generated": True,
            "fast": None,
            "code": Code(code),
            "owner": owner.ident if isinstance(owner, n.Clause) else owner.number,
            "name": target.name.text,
            "line": target.span.line,
        }

    @staticmethod
    def base_info(index: int, name: str, line: int) -> dict[str, Any]:
        return {
            "index": index, "name": name, "owner_kind": "", "owner_number": "", "owner_title": "",
            "kind": "", "beneficiary": "", "responsible": (), "quotes": (), "line": line,
            "readings": (), "unspecified": "", "grants": "", "once": False, "valid_by": "",
            "has_amount": False, "has_cap": False,
        }  # fmt: skip

    def rule(self, index: int, owner: n.Section | n.Clause, rule: n.Rule) -> dict[str, Any]:
        units = rule.responsible or owner.responsible
        amount = rule.amount if isinstance(rule.amount, n.Expr) else None
        quotes = rule.quotes or owner.quotes
        procedures = self.policy.procedures
        info = self.base_info(index, rule.name.text, rule.span.line) | self.owner_info(owner)
        limit = rule.each_limit
        limit_reading = [limit.reading.text] if limit is not None and limit.reading else []
        days = daily_of(rule)
        if days is not None:  # `cap … per 日 of INPUT by reading NAME`: shown beside the rule
            limit_reading.append(days.reading.text)
        info |= {
            "kind": rule.kind,
            "beneficiary": rule.beneficiary,
            "responsible": self.units(units),
            "quotes": tuple(q.text for q in quotes),
            "quote_of": "" if rule.quotes else "owner",
            "readings": tuple(dict.fromkeys([r.text for r in rule.readings] + limit_reading)),
            "unspecified": rule.amount.text if isinstance(rule.amount, n.Unspecified) else "",
            "grants": rule.grants,
            "once": rule.once is not None,
            "valid_by": rule.valid_by.text if rule.valid_by else "",
            "has_amount": amount is not None or rule.amount_range is not None,
            "has_cap": rule.cap is not None,
            # an amount left unspecified goes the way its kind says too (an unspecified 罚款
            # is owed: its party 应缴方, not 受益)
            "flow": amount_flow(rule.kind)
            if amount is not None or rule.amount is not None or rule.amount_range is not None
            else "",
            "cooperates": self.units(rule.cooperates or owner.cooperates),
            "law": rule.law,
            "procedures": tuple(
                (p.text, procedures[p.text].title, procedures[p.text].steps) for p in rule.follows
            ),
            "refers": self.references(
                rule.refers, owner.refers, self.section_refers.get(id(owner), ())
            ),
            "limits": tuple((x.name.text, render(x.amount), x.text) for x in rule.limits),
        }
        if rule.apply_by is not None:  # 每月10日前申请（遇节假日顺延）: the answer and site say it
            info["applying"] = render_apply_by(rule.apply_by)
        if rule.period is not None:
            info["period"] = dict(self.policy.people.rule_periods).get(rule.name.text, "")
        self.rule_nodes[index] = rule
        return {
            "role": "rule",
            "generated": True,
            "func": f"rule_{index}",
            "owner": owner.ident if isinstance(owner, n.Clause) else owner.number,
            "name": rule.name.text,
            "line": rule.span.line,
            "whens": [
                {"code": self.py(w), "text": render(w), "line": w.span.line, "failed": failed(w)}
                for w in rule.whens
            ],
            "amount": self.py(amount) if amount is not None else "",
            "amount_text": _amount_formula(amount),
            "amount_line": amount.span.line if amount is not None else 0,
            "amount_inputs": self.inputs_of(amount),
            "cap": self.py(rule.cap.amount) if rule.cap is not None else "",
            "cap_line": rule.cap.span.line if rule.cap is not None else 0,
            "info": info,
            # a cap per day evaluates the amount once per day, an applicant's deadline may read
            # the calendar: the traced path's (daily_caps, runtime/applications.py)
            "fast": self.fast_rule(rule) if days is None and rule.apply_by is None else None,
            "apply_by": self.apply_by(rule.apply_by) if rule.apply_by is not None else None,
            "daily": (
                (
                    days.input.text,
                    days.reading.text,
                    tuple((o.text, m.text) for o, m in days.options),
                )
                if days is not None
                else None
            ),
            "each": rule.each.text if rule.each is not None else "",
            "limit": self.each_limit(rule.each_limit) if rule.each_limit is not None else "",
            "range": self.amount_range(rule.amount_range) if rule.amount_range else None,
            # `cap … per 户` on an `each` rule: the members' total capped once (case_caps)
            "case_cap": case_cap(rule, self.policy.people.group),
        }

    def apply_by(self, applying: n.ApplyBy) -> dict[str, Any]:
        """`c.apply_by(applied, day, code, line)`'s arguments (runtime/applications.py): the
        input's name, the day's code (`lambda: …` for a day an expression gives, else None)."""
        day = f"(lambda: {self.py(applying.day)})" if applying.day is not None else "None"
        return {
            "applied": applying.applied.text,
            "day": Code(day),
            "code": applying.code,
            "line": applying.span.line,
        }

    def amount_range(self, bounds: n.AmountRange) -> dict[str, Any]:
        """`c.amount_range(low, high, text, line)`'s arguments (runtime Ctx.amount_range)."""
        return {
            "low": self.py(bounds.low),
            "high": self.py(bounds.high),
            "text": render_range(bounds),
            "line": bounds.span.line,
        }

    def each_limit(self, limit: n.EachLimit) -> Code:
        """`EachLimit(most, less, less_text, reading, orders, text)` (runtime/each_limits.py)
        for `each … at_most …`: built in the rule's function, its lambdas reading `c`."""
        less = f"(lambda: {self.py(limit.less)})" if limit.less is not None else "None"
        less_text = render(limit.less) if limit.less is not None else ""
        pairs = [("", limit.order)] if limit.order is not None else []
        pairs += [(option.text, order) for option, order in limit.options]
        orders = ", ".join(f"{option!r}: {self.order_of(order)}" for option, order in pairs)
        reading = limit.reading.text if limit.reading is not None else ""
        text = f"不超过{limit.most.number}{limit.most.measure}"
        return Code(
            f"EachLimit({self.py(limit.most)}, {less}, {less_text!r}, {reading!r}, "
            f"{{{orders}}}, {text!r})"
        )

    def order_of(self, order: n.EachOrder) -> str:
        if order.key is None:
            return "('', False, None)"
        value = self.py(n.Ref(order.key.text, order.key.span))
        return f"({order.key.text!r}, {order.descending!r}, (lambda: {value}))"

    def inputs_of(self, expr: n.Expr | None) -> tuple[str, ...]:
        """The inputs an amount reads, in order of first mention, for the trace."""
        return self.policy.inputs_of([expr]) if expr is not None else ()

    # ---- expressions ----
    def py(self, expr: n.Expr) -> Code:
        """The expression as Python. Each emitter writes policy values only through `repr`
        (`!r`), integers and its own fixed words."""
        return Code(_EMITTERS[type(expr)](self, expr))

    def quantity(self, e: n.QuantityLit) -> str:
        # Its stored value and dimensions (`100万元` is Q('1000000', (('元', 1),))): the module
        # parses no measure when it is loaded, which a warm `run` pays for (issue 16). A percent
        # (`Quantity.of` marks it, to show it as one) is written as the policy writes it.
        measure = parse_measure(e.measure, self.policy.measures)
        if not measure.dims and measure.name.endswith("%"):
            return self.constant(f"Q({e.number!r}, {e.measure!r})")
        q = Quantity.of(e.number, measure)
        return self.constant(f"Q({str(q.value)!r}, {q.dims!r})")

    def percent(self, e: n.PercentLit) -> str:
        return self.constant(f"Q({e.number!r}, '%')")  # 10% is 0.1, shown as 10%

    def ref(self, e: n.Ref) -> str:
        if self.policy.member_enum(e.name) is not None:
            return repr(e.name)
        if e.name in self.define_funcs:
            line = self.policy.defines[e.name].span.line
            # the household's value, once per case even where a member is in view (a rule paid
            # `each` member re-traced its household condition once per member)
            household = ", True" if e.name in self.household else ""
            return f"c.use({e.name!r}, {self.define_funcs[e.name]}, {line}{household})"
        if e.name in self.policy.tables:
            return self.table(self.policy.tables[e.name])
        return f"c.get({e.name!r})"

    def table(self, table: n.TableDecl) -> str:
        # A row is a quantity or a percentage (救助比例 { 特困人员: 90%, … }).
        if table.more_by:  # by two enums: nested dicts, read one key at a time (table_keys)
            return self.constant(_nested_source(nested(table, self.py)))
        rows = ", ".join(f"{label!r}: {self.py(value)}" for label, value in table.rows)
        return self.constant("{" + rows + "}")

    def order(self, kind: str) -> str:
        return self.constant(repr(self.policy.enums[kind.removeprefix("enum:")]))

    def call(self, e: n.Call) -> str:
        aggregate = as_aggregate(e)
        if aggregate is not None and not (e.func in ("min", "max") and len(e.args) != 1):
            return self.aggregate(aggregate)
        if e.func in PERIOD_FUNCS:
            assert isinstance(e.args[0], n.Ref)
            return f"c.at_period({e.func!r}, {e.args[0].name!r}, {e.span.line})"
        if e.func == "divide":
            unit, mode = e.args[2], e.args[3]
            assert isinstance(unit, n.Ref) and isinstance(mode, n.Ref)
            places, rounding = ROUNDING_UNITS[unit.name], ROUNDING_MODES[mode.name]
            left, right = self.py(e.args[0]), self.py(e.args[1])
            return (
                f"c.divide({left}, {right}, {places!r}, {rounding!r}, {render(e)!r}, {e.span.line})"
            )
        if e.func == "round":  # a quantity rounded to a step of its measure
            mode = e.args[2]
            assert isinstance(mode, n.Ref)
            value, step = self.py(e.args[0]), self.py(e.args[1])
            how = ROUNDING_MODES[mode.name]
            return f"c.round_step({value}, {step}, {how!r}, {render(e)!r}, {e.span.line})"
        if e.func == "given":
            assert isinstance(e.args[0], n.Ref)
            return f"c.given({e.args[0].name!r})"
        if e.func == "amount_of":
            assert isinstance(e.args[0], n.Ref)
            name = e.args[0].name
            zero = self.zero(dict(self.policy.people.rule_dims).get(name, ()))
            return f"c.amount_of({name!r}, BY_NAME, EACH, {zero}, {e.span.line})"
        args = ", ".join(self.py(a) for a in e.args)
        if e.func == "date_plus":  # runtime/calendar_terms.py, under the declared convention
            missing_day = self.policy.conventions.get("missing_day", "month_end")
            return f"date_plus(c, {args}, {missing_day!r}, {render(e)!r}, {e.span.line})"
        if e.func in CALENDAR_FUNCS:  # runtime/calendar_terms.py
            return f"{e.func}(c, {args}, {render(e)!r}, {e.span.line})"
        if e.func in ("months_between", "years_between"):  # counted under the declared convention
            missing_day = self.policy.conventions.get("missing_day", "month_end")
            refuse = refuses_backwards(e)  # both dates the case's: out of order is refused
            return f"c.{e.func}({args}, {missing_day!r}, {render(e)!r}, {e.span.line}, {refuse})"
        kind = self.policy.special.get(e)
        if kind is not None:
            return f"c.{e.func}_ranked({args}, {self.order(kind)}, {e.span.line})"
        if e.func in ("min", "max"):  # `--explain` names the argument chosen, in policy words
            labels = tuple(render_operand(a) for a in e.args)
            return f"c.pick({e.func!r}, ({args},), {labels!r}, {render(e)!r}, {e.span.line})"
        return f"c.{e.func}({args})"

    def aggregate(self, e: n.Aggregate) -> str:
        """count/sum/min/max/any/all over members (runtime/people_ops.aggregate)."""
        if e.func in ("count", "any", "all"):
            assert isinstance(e.subject, n.Ref)
            role, subject = e.subject.name, "None"
        else:
            role, subject = e.role, f"lambda: {self.py(e.subject)}"
        where = f"lambda: {self.py(e.where)}" if e.where is not None else "None"
        dims = dict(self.policy.people.sum_dims).get(e)
        zero = self.zero(dims) if e.func == "sum" and dims is not None else "None"
        if e.func == "count":  # counted in the group's measure (`group … counted 台`)
            zero = self.constant(f"Q('0', {self.policy.people.counted!r})")
        return (
            f"c.aggregate({e.func!r}, {role!r}, {subject}, {where}, {zero}, {render(e)!r}, "
            f"{e.span.line})"
        )

    def zero(self, dims: tuple[tuple[str, int], ...]) -> str:
        return self.constant(f"zero_of({python_literal(dims)})")

    def index(self, e: n.Index) -> str:
        if e.more_keys:  # `安居补贴标准[学历, 档]`: one level per key, each unknown while not given
            out = self.ref(n.Ref(e.name))
            for key, reads in key_reads(self.policy, e):
                out = f"c.index({out}, {self.py(n.Ref(key, e.span)) if reads else repr(key)})"
            return out
        if reads_a_value(self.policy, e):  # `救助比例[类别]`: the member the case gives
            return f"c.index({self.ref(n.Ref(e.name))}, {self.py(n.Ref(e.key, e.span))})"
        return f"c.index({self.ref(n.Ref(e.name))}, {e.key!r})"

    def reading_is(self, e: n.ReadingIs) -> str:
        return f"(c.reading({e.reading!r}) == {e.option!r})"

    def labelled(self, e: n.AnyOf | n.AllOf) -> str:
        items = "".join(f"({i.label!r}, lambda: {self.py(i.expr)}), " for i in e.items)
        method = "any_of" if isinstance(e, n.AnyOf) else "all_of"
        return f"c.{method}(({items}), {e.span.line})"

    def arith(self, e: n.Arith) -> str:
        func = {"+": "add", "-": "sub", "×": "mul"}[e.op]
        return f"{func}({self.py(e.left)}, {self.py(e.right)})"

    def of(self, e: n.Of) -> str:
        return f"c.of({self.py(e.ratio)}, {self.py(e.base)})"

    def compare(self, e: n.Compare) -> str:
        kind = self.policy.special.get(e)
        if kind == "series":
            left, right = self.py(e.left), self.py(e.right)
            return f"c.cmp_series({e.op!r}, {left}, {right}, {render(e)!r}, {e.span.line})"
        if kind is not None:
            return (
                f"c.cmp_ranked({e.op!r}, {self.py(e.left)}, {self.py(e.right)}, "
                f"{self.order(kind)}, {render(e)!r}, {e.span.line})"
            )
        return (
            f"c.cmp({e.op!r}, {self.py(e.left)}, {self.py(e.right)}, {render(e)!r}, {e.span.line})"
        )

    def is_in(self, e: n.Is | n.In) -> str:
        members = (e.member,) if isinstance(e, n.Is) else e.members
        return f"c.is_in({self.py(e.subject)}, {members!r}, {render(e)!r}, {e.span.line})"

    def _flatten(self, e: n.Expr, kind: type) -> list[n.Expr]:
        if isinstance(e, kind):
            return self._flatten(e.left, kind) + self._flatten(e.right, kind)  # type: ignore[attr-defined]
        return [e]

    def logic(self, e: n.And | n.Or) -> str:
        flat = self._flatten(e, type(e))
        parts = "".join(f"lambda: {self.py(p)}, " for p in flat)
        method = "all" if isinstance(e, n.And) else "any"
        # A part that records no step of its own (a yes/no input or define, a reading, a `not`
        # of one) is named in the trace when it holds (Ctx.all_shown): `登记失业 and (… or
        # 持有残疾人证)` then says why it holds. Without such a part, the plain call.
        shown = tuple((render(p), p.span.line) if _silent(p) else ("", 0) for p in flat)
        if not any(text for text, _line in shown):
            return f"c.{method}(({parts}))"
        return f"c.{method}_shown(({parts}), {self.constant(repr(shown))})"

    def not_(self, e: n.Not) -> str:
        return f"c.not_({self.py(e.operand)})"

    def if_(self, e: n.If) -> str:
        then, otherwise = self.py(e.then), self.py(e.otherwise)
        return f"c.if_({self.py(e.cond)}, lambda: {then}, lambda: {otherwise})"

    def tiers(self, e: n.Tiers) -> str:
        rows = "".join(
            f"({row.threshold.op!r}, {self.py(row.threshold.value)}, {self.py(row.amount)}, "
            f"{render(row.threshold.value)!r}), "
            for row in e.rows
        )
        prior = self.py(e.prior) if e.prior is not None else "None"
        lowest = render_threshold(e.rows[0].threshold)  # why a value below every row gets nothing
        return (
            f"c.tiers({self.py(e.subject)}, {prior}, {e.mode!r}, ({rows}), {e.span.line}, "
            f"{lowest!r})"
        )

    def schedule(self, e: n.Schedule) -> str:
        rows = "".join(f"({r.first}, {r.last}, lambda: {self.py(r.amount)}), " for r in e.rows)
        return f"c.schedule({self.py(e.anchor)}, ({rows}), {e.span.line})"

    def progressive(self, e: n.Progressive) -> str:
        rows = "".join(
            f"({b.threshold.op!r}, {self.py(b.threshold.value)}, {self.py(b.rate)}, "
            f"{render(b.threshold.value)!r}), "
            for b in e.bands
        )
        return f"c.progressive({self.py(e.base)}, ({rows}), {e.span.line}, {render(e.base)!r})"

    def dated(self, e: n.Dated) -> str:
        on = self.py(e.on) if e.on is not None else "None"
        rows = "".join(
            f"({self.constant(_date_code(r.start))}, lambda: {self.py(r.value)}, {r.source!r}), "
            for r in e.rows
        )
        # A named standard (`define 低保标准 = dated { … }`) is cited by its name.
        named = (d.name.text for d in self.policy.defines.values() if d.expr is e)
        return f"c.dated({on}, ({rows}), {e.span.line}, {next(named, render(e))!r})"


def household_defines(policy: CheckedPolicy) -> frozenset[str]:
    """The defines of a policy with a group whose value is the household's, whichever member is
    in view: they read no member's value outside an expression over the members (not in
    `people.member_defines`) and no rule's amount (`amount_of` gives a member's own amount
    where one is in view), themselves or through the defines they read. Empty without a group."""
    if not policy.people.group:
        return frozenset()
    member = set(policy.people.member_defines)
    pending = {name: define.expr for name, define in policy.defines.items() if name not in member}
    depends: dict[str, set[str]] = {}
    for name, expr in pending.items():
        nodes = list(n.walk(expr))
        if any(isinstance(e, n.Call) and e.func == "amount_of" for e in nodes):
            member.add(name)
        depends[name] = {e.name for e in nodes if isinstance(e, n.Ref) and e.name in policy.defines}
    changed = True
    while changed:  # a define reading one valued per member is valued per member
        changed = False
        for name, reads in depends.items():
            if name not in member and reads & member:
                member.add(name)
                changed = True
    return frozenset(name for name in policy.defines if name not in member)


def _silent(e: n.Expr) -> bool:
    """A condition whose evaluation records no step: a name, a reading's option, a `not` of one."""
    if isinstance(e, n.Not):
        return _silent(e.operand)
    return isinstance(e, n.Ref | n.ReadingIs)


_EMITTERS: dict[type, Callable[[_Generator, Any], str]] = {
    n.QuantityLit: _Generator.quantity,
    n.PercentLit: _Generator.percent,
    n.BoolLit: lambda g, e: repr(e.value),
    n.DateLit: lambda g, e: g.constant(_date_code(e.value)),
    n.MonthDayLit: lambda g, e: f"({e.month!r}, {e.day!r})",
    n.Ref: _Generator.ref,
    n.Call: _Generator.call,
    n.Index: _Generator.index,
    n.ReadingIs: _Generator.reading_is,
    n.AnyOf: _Generator.labelled,
    n.AllOf: _Generator.labelled,
    n.Arith: _Generator.arith,
    n.Of: _Generator.of,
    n.Compare: _Generator.compare,
    n.Is: _Generator.is_in,
    n.In: _Generator.is_in,
    n.And: _Generator.logic,
    n.Or: _Generator.logic,
    n.Not: _Generator.not_,
    n.If: _Generator.if_,
    n.Tiers: _Generator.tiers,
    n.Schedule: _Generator.schedule,
    n.Progressive: _Generator.progressive,
    n.Dated: _Generator.dated,
    n.Aggregate: _Generator.aggregate,
}


def _nested_source(table: dict[str, Any]) -> str:
    """Python source of nested dicts whose leaves are already source (compiler/table_keys.py)."""
    items = (
        f"{key!r}: {_nested_source(value) if isinstance(value, dict) else value}"
        for key, value in table.items()
    )
    return "{" + ", ".join(items) + "}"


def _deadline_code(deadline: date | n.Recurring | None, *, postponed: bool) -> str:
    """RuleInfo.deadline: `by DATE` as YYYY-MM-DD, a recurring or standing one by its code
    (quarterly, monthly:25, monthly:end, standing), `:postponed` after it for 遇节假日顺延
    (runtime/deadlines.py reads them)."""
    if deadline is None:
        return ""
    code = deadline.code if isinstance(deadline, n.Recurring) else deadline.isoformat()
    return code + deadlines.POSTPONED if postponed else code


def _amount_formula(amount: n.Expr | None) -> str:
    """The words of an amount the trace shows before its value (`金额 = 月工资 × 3 = 9000元`); ""
    for a written sum of money (`amount 5000 元`), whose value says it all: the trace then says
    `金额 = 5000元` once, not `金额 = 5000元 = 5000元`. A rate (`500 元/月 per 月`) keeps its words,
    which say the period its value is for."""
    if amount is None:
        return ""
    constant = isinstance(amount, n.QuantityLit) and "/" not in amount.measure
    return "" if constant else render(amount)
