"""Build the AST (compiler.nodes) from Lark's parse tree, one method per grammar rule.

`build_policy(tree, filename)` returns the `PolicyFile`; a mistake Lark cannot see (a header
field given twice, a date not in the calendar, a bad string) raises PolicyError. The file,
header, declarations, clauses and rules are built here; expressions in `build_exprs`; places,
names, numbers and strings in `build_base`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lark import Token, Tree, v_args
from lark.exceptions import VisitError
from lark.tree import Meta

from policyc.compiler import nodes as n
from policyc.compiler.build_base import BadString, BuildError, unquote
from policyc.compiler.build_exprs import BOUND_OPS
from policyc.compiler.build_notices import NoticeBuilder
from policyc.compiler.errors import Diagnostic, PolicyError, Span
from policyc.compiler.i18n import _
from policyc.compiler.numbering import keyed_sections


def build_policy(tree: Tree[Token], filename: str) -> n.PolicyFile:
    try:
        result = _Builder(filename).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, BuildError):
            raise PolicyError([exc.orig_exc.diagnostic]) from None
        if isinstance(exc.orig_exc, BadString):
            raise PolicyError([exc.orig_exc.diagnostic(filename)]) from None
        raise
    assert isinstance(result, n.PolicyFile)
    return result


@v_args(meta=True)
class _Builder(NoticeBuilder):
    """The declarations and structure of a policy file; a year's holiday notice comes from
    NoticeBuilder, expressions from ExpressionBuilder."""

    # ---- file and header ----
    def start(self, meta: Meta, items: list[Any]) -> n.PolicyFile:
        buckets: dict[type, list[Any]] = {}
        for item in items:
            buckets.setdefault(type(item), []).append(item)
        headers = buckets.get(n.Header, [])
        if len(headers) > 1:
            raise BuildError(Diagnostic(headers[1].span, _("a file holds one `policy` header")))
        return n.PolicyFile(
            path=self.file,
            header=headers[0] if headers else None,
            units=tuple(buckets.get(n.UnitDecl, [])),
            measures=tuple(buckets.get(n.MeasureDecl, [])),
            enums=tuple(buckets.get(n.EnumDecl, [])),
            inputs=tuple(buckets.get(n.InputDecl, [])),
            tables=tuple(buckets.get(n.TableDecl, [])),
            readings=tuple(buckets.get(n.ReadingDecl, [])),
            repairs=tuple(buckets.get(n.RepairDecl, [])),
            defines=tuple(buckets.get(n.Define, [])),
            sections=keyed_sections(buckets.get(n.Section, [])),
            clauses=tuple(buckets.get(n.Clause, [])),
            procedures=tuple(buckets.get(n.Procedure, [])),
            asides=tuple(buckets.get(n.Aside, [])),
            conventions=tuple(buckets.get(n.Convention, [])),
            roundings=tuple(buckets.get(n.Rounding, [])),
            shared_caps=(
                *buckets.get(n.SharedCap, []),
                *(cap for s in buckets.get(n.Section, []) for cap in s.shared_caps),
            ),
            groups=tuple(buckets.get(n.GroupDecl, [])),
            choices=_choices_in(buckets),
            notices=tuple(buckets.get(n.HolidayNotice, [])),
        )

    def policy_block(self, meta: Meta, items: list[Any]) -> n.Header:
        fields: dict[str, Any] = {}
        for key, value, span in items[1:]:
            if key in fields:
                raise BuildError(
                    Diagnostic(
                        span,
                        _("`{key}` is given twice in the header").format(
                            key=key,
                        ),
                    )
                )
            fields[key] = value
        validity = fields.pop("valid", None)
        if validity is not None:
            fields["valid_from"], fields["valid_for"], fields["provisional"], fields["counting"] = (
                validity[:4]
            )
            if len(validity) > 4:  # `valid from … until DATE`
                fields["valid_end"] = validity[4]
        by_reading = fields.pop("valid_reading", None)
        if by_reading is not None:
            fields["valid_reading"], fields["valid_options"] = by_reading
        source = fields.pop("source", None)
        if source is not None:
            (
                fields["source_file"],
                fields["source_first_line"],
                fields["source_last_line"],
                fields["source_span"],
            ) = source
        issuers = fields.pop("issuer", ())
        if issuers:
            fields["issuer"], fields["co_issuers"] = issuers[0], issuers[1:]
        registry = fields.pop("registry_file", None)
        if registry is not None:
            fields["registry_file"], fields["registry_span"] = registry
        calendar = fields.pop("calendar_file", None)
        if calendar is not None:
            fields["calendar_file"], fields["calendar_span"] = calendar
        return n.Header(
            number=unquote(items[0]),
            span=self._span(meta),
            number_span=self._tspan(items[0]),
            **fields,
        )

    def title(self, meta: Meta, c: list[Token]) -> tuple[str, str, Span]:
        return "title", unquote(c[0]), self._span(meta)

    def issuer(self, meta: Meta, c: list[Token]) -> tuple[str, tuple[n.Name, ...], Span]:
        return "issuer", tuple(self._name(t) for t in c), self._span(meta)

    def issued(self, meta: Meta, c: list[Token]) -> tuple[str, date, Span]:
        return "issued", self._date(c[0]), self._span(meta)

    def validity(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        start, length, provisional, counting = c
        counted = self._name(counting) if counting is not None else None
        return (
            "valid",
            (self._date(start), length, provisional is not None, counted),
            self._span(meta),
        )

    def validity_until(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        start, end, provisional = c
        return (
            "valid",
            (self._date(start), None, provisional is not None, None, self._date(end)),
            self._span(meta),
        )

    def valid_reading(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return "valid_reading", (self._name(c[0]), tuple(c[1:])), self._span(meta)

    def valid_option(self, meta: Meta, c: list[Token]) -> n.ValidOption:
        option, start, counting = c
        return n.ValidOption(
            self._name(option), self._date(start), self._name(counting), self._span(meta)
        )

    def interpreted_by(self, meta: Meta, c: list[Token]) -> tuple[str, n.Name, Span]:
        return "interpreted_by", self._name(c[0]), self._span(meta)

    def replaces(self, meta: Meta, c: list[Token]) -> tuple[str, tuple[str, ...], Span]:
        return "replaces", tuple(unquote(t) for t in c), self._span(meta)

    def source_ref(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        file = (unquote(c[0]), self._int(c[1]), self._int(c[2]), self._tspan(c[0]))
        return "source", file, self._span(meta)

    def registry_ref(self, meta: Meta, c: list[Token]) -> tuple[str, tuple[str, Span], Span]:
        return "registry_file", (unquote(c[0]), self._tspan(c[0])), self._span(meta)

    def calendar_ref(self, meta: Meta, c: list[Token]) -> tuple[str, tuple[str, Span], Span]:
        return "calendar_file", (unquote(c[0]), self._tspan(c[0])), self._span(meta)

    # ---- declarations ----
    def unit_decl(self, meta: Meta, c: list[Any]) -> n.UnitDecl:
        aliases: list[n.Name] = []
        kind = "unit"
        for option in c[2:]:
            if option[0] == "alias":
                aliases.extend(option[1])
            else:
                kind = option[1]
        full = unquote(c[1]) if c[1] is not None else ""
        return n.UnitDecl(self._name(c[0]), full, tuple(aliases), kind, self._span(meta))

    def unit_alias(self, meta: Meta, c: list[Token]) -> tuple[str, list[n.Name]]:
        return "alias", [self._name(t) for t in c]

    def unit_kind(self, meta: Meta, c: list[Token]) -> tuple[str, str]:
        return "kind", str(c[0])

    def measure_decl(self, meta: Meta, c: list[Any]) -> n.MeasureDecl:
        description = unquote(c[2]) if c[2] is not None else ""
        return n.MeasureDecl(self._name(c[0]), c[1], description, self._span(meta))

    def enum_decl(self, meta: Meta, c: list[Any]) -> n.EnumDecl:
        members = tuple(m for m in c[2:] if m is not None)
        return n.EnumDecl(self._name(c[0]), members, c[1] is not None, self._span(meta))

    def enum_member(self, meta: Meta, c: list[Any]) -> n.EnumMember:
        description = unquote(c[1]) if c[1] is not None else ""
        return n.EnumMember(c[0], description, self._span(meta))

    def label(self, meta: Meta, c: list[Token]) -> str:
        return unquote(c[0]) if c[0].type == "STRING" else str(c[0])

    def bool_type(self, meta: Meta, c: list[Any]) -> n.TypeExpr:
        return n.TypeExpr("bool", span=self._span(meta))

    def date_type(self, meta: Meta, c: list[Any]) -> n.TypeExpr:
        return n.TypeExpr("date", span=self._span(meta))

    def named_type(self, meta: Meta, c: list[Any]) -> n.TypeExpr:
        by = str(c[1]) if c[1] is not None else ""
        return n.TypeExpr("named", c[0], by, self._span(meta))

    def percent_type(self, meta: Meta, c: list[Any]) -> n.TypeExpr:
        """`input 裁员率: %`: a ratio, the measure `%` (a case writes `5.5%`)."""
        return n.TypeExpr("named", "%", span=self._span(meta))

    def series_type(self, meta: Meta, c: list[Any]) -> n.TypeExpr:
        return n.TypeExpr("series", c[0], span=self._span(meta))

    def input_decl(self, meta: Meta, c: list[Any]) -> n.InputDecl:
        name, type_, *scopes, flow, presence, whole, description = c
        kind, default = presence if presence is not None else ("required", None)
        text = unquote(description) if description is not None else ""
        span = self._span(meta)
        return n.InputDecl(
            self._name(name), type_, kind, default, text, span, part_of=whole,
            per=tuple(n.Name(s.text, span) for s in scopes), flow=flow is not None,
        )  # fmt: skip

    def part_of(self, meta: Meta, c: list[Token]) -> n.Name:
        return self._name(c[0])

    def optional(self, meta: Meta, c: list[Any]) -> tuple[str, None]:
        return "optional", None

    def default(self, meta: Meta, c: list[Any]) -> tuple[str, Any]:
        return "default", c[0]

    def literal(self, meta: Meta, c: list[Any]) -> Any:
        return c[0]

    def table_decl(self, meta: Meta, c: list[Any]) -> n.TableDecl:
        name, by, *rest = c
        more_by = tuple(self._name(t) for t in rest if isinstance(t, Token))
        rows = [r for r in rest if not isinstance(r, Token)]
        if not more_by and all(len(keys) == 1 for keys, _ in rows):
            plain = tuple((keys[0], value) for keys, value in rows)
            return n.TableDecl(self._name(name), self._name(by), plain, self._span(meta))
        return n.TableDecl(
            self._name(name),
            self._name(by),
            tuple((keys[0], value) for keys, value in rows),
            self._span(meta),
            more_by,
            tuple(tuple(keys[1:]) for keys, _ in rows),
        )

    def table_row(self, meta: Meta, c: list[Any]) -> tuple[tuple[str, ...], n.QuantityLit]:
        return tuple(c[:-1]), c[-1]

    def reading_decl(self, meta: Meta, c: list[Any]) -> n.ReadingDecl:
        name, documentary, question, *options, take, because = c
        return n.ReadingDecl(
            self._name(name),
            unquote(question),
            tuple(options),
            self._name(take),
            unquote(because),
            self._span(meta),
            documentary=documentary is not None,
        )

    def reading_option(self, meta: Meta, c: list[Token]) -> n.ReadingOption:
        return n.ReadingOption(str(c[0]), unquote(c[1]), self._span(meta))

    def repair_decl(self, meta: Meta, c: list[Token]) -> n.RepairDecl:
        return n.RepairDecl(
            self._name(c[0]),
            self._int(c[1]),
            unquote(c[2]),
            unquote(c[3]),
            unquote(c[4]),
            self._span(meta),
        )

    def define_decl(self, meta: Meta, c: list[Any]) -> n.Define:
        description = unquote(c[2]) if c[2] is not None else ""
        return n.Define(self._name(c[0]), c[1], description, span=self._span(meta))

    def decide_decl(self, meta: Meta, c: list[Any]) -> n.Define:
        description = unquote(c[3]) if c[3] is not None else ""
        span = self._span(meta)
        return n.Define(self._name(c[0]), c[1], description, True, span, period=c[2])

    def procedure_decl(self, meta: Meta, c: list[Any]) -> n.Procedure:
        title = unquote(c[1]) if c[1] is not None else ""
        return n.Procedure(self._name(c[0]), title, tuple(c[2:]), self._span(meta))

    def aside_decl(self, meta: Meta, c: list[Token]) -> n.Aside:
        return n.Aside(unquote(c[0]), unquote(c[1]), self._span(meta))

    def step(self, meta: Meta, c: list[Token]) -> str:
        return unquote(c[0])

    # ---- targets and references ----
    def target(self, meta: Meta, c: list[Any]) -> n.Target:
        op, word, value, tolerance = c[1]
        description = unquote(c[3]) if c[3] is not None else ""
        deadline, postponed = c[2] if c[2] is not None else (None, False)
        return n.Target(
            self._name(c[0]),
            op,
            word,
            value,
            tolerance,
            description,
            self._span(meta),
            deadline,
            postponed,
            c[4] if c[4] is not None else (),
        )

    def target_quotes(self, meta: Meta, c: list[n.Quote]) -> tuple[n.Quote, ...]:
        return tuple(c)

    # Each `by` form gives (the deadline, whether 遇节假日顺延 moves it off rest days).

    def target_by(self, meta: Meta, c: list[Token]) -> tuple[date, bool]:
        return self._date(c[0]), c[1] is not None

    def by_quarter(self, meta: Meta, c: list[Any]) -> tuple[n.Recurring, bool]:
        return n.Recurring("quarter", span=self._span(meta)), c[1] is not None

    def by_standing(self, meta: Meta, c: list[Token]) -> tuple[n.Recurring, bool]:
        return n.Recurring("standing", span=self._span(meta)), False

    def by_month_day(self, meta: Meta, c: list[Any]) -> tuple[n.Recurring, bool]:
        """`by 每月 25 日`: day 1–28, which every month has (29–31 would be a guess in February
        or a 30-day month: 每月底 says the last day)."""
        day = int(str(c[1]))
        if not 1 <= day <= 28:
            raise BuildError(
                Diagnostic(
                    self._tspan(c[1]),
                    _(
                        "每月 {day} 日: a day of each month is 1 to 28 (not every month has a "
                        "29th, 30th or 31st)"
                    ).format(day=day),
                    _("a day from 1 to 28, or `每月底` for each month's last day"),
                )
            )
        return n.Recurring("month", day, self._span(meta)), c[3] is not None

    def by_month_end(self, meta: Meta, c: list[Any]) -> tuple[n.Recurring, bool]:
        return n.Recurring("month", 0, self._span(meta)), c[1] is not None

    # `apply 申请日期 by …`: the applicant's deadline (a rule item, n.ApplyBy)

    def apply_by_month_day(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        recurring, postponed = self.by_month_day(meta, c[1:])  # 每月 N 日: N 1–28, else refused
        span = self._span(meta)
        applying = n.ApplyBy(self._name(c[0]), None, recurring.day, False, postponed, span)
        return self._item("apply_by", applying, meta)

    def apply_by_month_end(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        applying = n.ApplyBy(self._name(c[0]), None, 0, True, c[2] is not None, self._span(meta))
        return self._item("apply_by", applying, meta)

    def apply_by_day(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        applying = n.ApplyBy(self._name(c[0]), c[1], 0, False, c[2] is not None, self._span(meta))
        return self._item("apply_by", applying, meta)

    def target_before(self, meta: Meta, c: list[Any]) -> tuple[str, str, Any, Any]:
        word = str(c[0])
        return BOUND_OPS[word], word, c[1], c[2]

    target_symbol = target_before

    def target_after(self, meta: Meta, c: list[Any]) -> tuple[str, str, Any, Any]:
        word = str(c[1])
        return BOUND_OPS[word], word, c[0], c[2]

    def target_about(self, meta: Meta, c: list[Any]) -> tuple[str, str, Any, Any]:
        return "about", "左右", c[0], c[1]

    def target_done(self, meta: Meta, c: list[Any]) -> tuple[str, str, Any, Any]:
        """`done`: met when the reported yes/no is true, so an `eq` against true (the figure
        every other form compares), worded 完成."""
        return "eq", "完成", n.BoolLit(True, self._span(meta)), None

    def refers(self, meta: Meta, c: list[Any]) -> n.Reference:
        kind = str(c[1]) if len(c) > 1 and c[1] is not None else ""
        number = c[2] if len(c) > 2 and c[2] is not None else ""
        return n.Reference(unquote(c[0]), kind, number, self._span(meta))

    def refers_of(self, meta: Meta, c: list[Any]) -> n.Reference:
        return n.Reference(unquote(c[2]), str(c[0]), c[1], self._span(meta))

    def refers_outside(self, meta: Meta, c: list[Any]) -> n.Reference:
        title = unquote(c[0]).strip()
        if title.startswith("《") and title.endswith("》"):  # the name as the text prints it
            title = title[1:-1].strip()
        number = unquote(c[1]).strip() if c[1] is not None else ""
        if not title:
            raise BuildError(
                Diagnostic(
                    self._span(meta),
                    _("`refers outside` names no document"),
                    _(
                        "the document's name, then its 文号 if the text gives one: `refers outside "
                        '"XX办法" "X政发〔2024〕1号"`'
                    ),
                )
            )
        return n.Reference(number, "", "", self._span(meta), outside=True, title=title)

    def ref_kind(self, meta: Meta, c: list[Token]) -> Token:
        return c[0]

    def lead(self, meta: Meta, c: list[Any]) -> tuple[str, list[n.Name], bool]:
        names = [self._name(t) for t in c if t is not None and t.type == "NAME"]
        return "lead", names, c[-1] is not None and c[-1].type == "ETC"

    # ---- structure ----
    def number(self, meta: Meta, c: list[Token]) -> str:
        return str(c[0])

    @staticmethod
    def _names_of(items: list[Any], key: str) -> tuple[tuple[n.Name, ...], bool]:
        names: list[n.Name] = []
        open_list = False
        for item in items:
            if isinstance(item, tuple) and item[0] == key:
                names.extend(item[1])
                open_list = open_list or item[2]
        return tuple(names), open_list

    def section(self, meta: Meta, c: list[Any]) -> n.Section:
        items = c[2:]
        return n.Section(
            number=c[0],
            title=unquote(c[1]),
            quotes=tuple(i for i in items if isinstance(i, n.Quote)),
            notes=tuple(i[1] for i in items if isinstance(i, tuple) and i[0] == "note"),
            defines=tuple(i for i in items if isinstance(i, n.Define)),
            rules=tuple(i for i in items if isinstance(i, n.Rule)),
            clauses=tuple(i for i in items if isinstance(i, n.Clause)),
            leads=self._names_of(items, "lead")[0],
            responsible=self._names_of(items, "responsible")[0],
            targets=tuple(i for i in items if isinstance(i, n.Target)),
            refers=tuple(i for i in items if isinstance(i, n.Reference)),
            open_leads=self._names_of(items, "lead")[1],
            open_responsible=self._names_of(items, "responsible")[1],
            span=self._span(meta),
            cooperates=self._cooperating(items),
            shared_caps=tuple(i for i in items if isinstance(i, n.SharedCap)),
            choices=tuple(i for i in items if isinstance(i, n.Choice)),
        )

    def clause(self, meta: Meta, c: list[Any], kind: str = "clause") -> n.Clause:
        items = c[2:]
        responsible, open_responsible = self._names_of(items, "responsible")
        leads, open_leads = self._names_of(items, "lead")
        return n.Clause(
            number=c[0],
            title=unquote(c[1]) if c[1] is not None else "",
            quotes=tuple(i for i in items if isinstance(i, n.Quote)),
            notes=tuple(i[1] for i in items if isinstance(i, tuple) and i[0] == "note"),
            responsible=responsible,
            funds=tuple(i for i in items if isinstance(i, n.Fund)),
            rules=tuple(i for i in items if isinstance(i, n.Rule)),
            kind=kind,
            leads=leads,
            open_leads=open_leads,
            open_responsible=open_responsible,
            targets=tuple(i for i in items if isinstance(i, n.Target)),
            refers=tuple(i for i in items if isinstance(i, n.Reference)),
            span=self._span(meta),
            cooperates=self._cooperating(items),
            defines=tuple(i for i in items if isinstance(i, n.Define)),
            choices=tuple(i for i in items if isinstance(i, n.Choice)),
        )

    @staticmethod
    def _cooperating(items: list[Any]) -> tuple[n.Name, ...]:
        """A section's or clause's `cooperates` units (a rule's are read by `rule`)."""
        return tuple(
            name for i in items if isinstance(i, tuple) and i[0] == "cooperates" for name in i[1]
        )

    def task(self, meta: Meta, c: list[Any]) -> n.Clause:
        return self.clause(meta, c, "task")

    def quote(self, meta: Meta, c: list[Token]) -> n.Quote:
        return n.Quote(unquote(c[0]), self._span(meta))

    def note(self, meta: Meta, c: list[Token]) -> tuple[str, str]:
        return "note", unquote(c[0])

    def responsible(self, meta: Meta, c: list[Any]) -> tuple[str, list[n.Name], bool]:
        names = [self._name(t) for t in c if t is not None and t.type == "NAME"]
        return "responsible", names, c[-1] is not None and c[-1].type == "ETC"

    def scope(self, meta: Meta, c: list[Token]) -> n.Name:
        return self._name(c[0])

    def fund(self, meta: Meta, c: list[Any]) -> n.Fund:
        scopes = tuple(s.text for s in c[2:-1])
        return n.Fund(self._name(c[0]), c[1], scopes, unquote(c[-1]), self._span(meta))

    def rule(self, meta: Meta, c: list[Any]) -> n.Rule:
        fields: dict[str, Any] = {
            "quotes": [],
            "notes": [],
            "responsible": [],
            "whens": [],
            "readings": [],
            "limits": [],
            "cooperates": [],
            "follows": [],
            "refers": [],
        }
        single = {"kind", "beneficiary", "amount", "cap", "once", "valid_by", "grants", "law"}
        single.add("apply_by")
        single.add("rounding")
        single.add("each")
        for item in c[1:]:
            key, value, span = self._rule_item(item)
            if key in single:
                if key in fields:
                    raise BuildError(
                        Diagnostic(
                            span, _("a rule has one `{key}`; this is a second").format(key=key)
                        )
                    )
                fields[key] = value
            elif key == "responsible":
                fields[key].extend(value[1])
                fields["open_responsible"] = fields.get("open_responsible", False) or value[2]
            elif key in ("cooperates", "follows"):
                fields[key].extend(value)
            else:
                fields[key].append(value)
        if isinstance(fields.get("each"), tuple):
            fields["each"], fields["each_limit"] = fields["each"]
        if isinstance(fields.get("amount"), n.AmountRange):
            fields["amount_range"] = fields.pop("amount")
        if isinstance(fields.get("amount"), tuple):
            fields["amount"], fields["period"] = fields["amount"]
        if fields.get("once") is not None:
            once = fields["once"]
            fields["once"], fields["once_spans"] = (
                tuple(s.text for s in once),
                tuple(s.span for s in once),
            )
        for key in (
            "quotes",
            "notes",
            "responsible",
            "whens",
            "readings",
            "limits",
            "cooperates",
            "follows",
            "refers",
        ):
            fields[key] = tuple(fields[key])
        return n.Rule(name=self._name(c[0]), span=self._span(meta), **fields)

    def _item(self, key: str, value: Any, meta: Meta) -> tuple[str, Any, Span]:
        return key, value, self._span(meta)

    def kind(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("kind", str(c[0]), meta)

    def beneficiary(self, meta: Meta, c: list[str]) -> tuple[str, Any, Span]:
        return self._item("beneficiary", c[0], meta)

    def when(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return self._item("whens", c[0], meta)

    def amount(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        if len(c) > 1 and c[1] is not None:
            return self._item("amount", (c[0], c[1]), meta)  # `amount … per 月`
        return self._item("amount", c[0], meta)

    def amount_per(self, meta: Meta, c: list[Token]) -> n.Name:
        return self._name(c[0])

    def amount_range(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return self._item("amount", n.AmountRange(c[0], c[1], self._span(meta)), meta)

    def unspecified_amount(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("amount", n.Unspecified(unquote(c[0]), self._span(meta)), meta)

    def cap(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        days = c[-1] if isinstance(c[-1], n.CapDays) else None
        scopes = c[1:-1] if days is not None else c[1:]
        words, spans = tuple(s.text for s in scopes), tuple(s.span for s in scopes)
        return self._item("cap", n.Cap(c[0], words, self._span(meta), spans, days), meta)

    def cap_days(self, meta: Meta, c: list[Any]) -> n.CapDays:
        names = [x for x in c if isinstance(x, Token)]
        options = tuple(x for x in c if isinstance(x, tuple))
        return n.CapDays(self._name(names[0]), self._name(names[1]), options, self._span(meta))

    def day_option(self, meta: Meta, c: list[Token]) -> tuple[n.Name, n.Name]:
        return self._name(c[0]), self._name(c[1])

    def once(self, meta: Meta, c: list[n.Name]) -> tuple[str, Any, Span]:
        return self._item("once", c, meta)

    def uses_reading(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("readings", self._name(c[0]), meta)

    def valid_by(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("valid_by", self._name(c[0]), meta)

    def grants(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("grants", unquote(c[0]), meta)

    def limit(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        text = unquote(c[2]) if c[2] is not None else ""
        return self._item("limits", n.Limit(self._name(c[0]), c[1], text, self._span(meta)), meta)

    def _rule_item(self, item: Any) -> tuple[str, Any, Span]:
        # A quote, a note and `responsible` are shared with clauses and come in their own shape.
        if isinstance(item, n.Quote):
            return "quotes", item, item.span
        if isinstance(item, n.Reference):
            return "refers", item, item.span
        if item[0] == "responsible":
            return "responsible", item, item[1][0].span
        if len(item) == 2:
            return "notes", item[1], n.NO_SPAN
        return item  # type: ignore[no-any-return]

    def cooperates(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("cooperates", [self._name(t) for t in c], meta)

    def follows(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("follows", [self._name(t) for t in c], meta)

    def law(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        return self._item("law", unquote(c[0]), meta)

    # ---- expressions ----

    # ---- households (issue 12) ----
    def group_decl(self, meta: Meta, c: list[Any]) -> n.GroupDecl:
        roles = tuple(r for r in c[2:] if isinstance(r, n.RoleDecl))
        return n.GroupDecl(self._name(c[0]), roles, self._span(meta), counted=c[1])

    def group_counted(self, meta: Meta, c: list[Token]) -> n.Name:
        return self._name(c[-1])

    def role_decl(self, meta: Meta, c: list[Any]) -> n.RoleDecl:
        least, most = c[1]
        text = unquote(c[2]) if c[2] is not None else ""
        return n.RoleDecl(self._name(c[0]), least, most, text, self._span(meta))

    def role_one(self, meta: Meta, c: list[Any]) -> tuple[int, int | None]:
        return 1, 1

    def role_many(self, meta: Meta, c: list[Any]) -> tuple[int, int | None]:
        return 0, None

    def role_at_most(self, meta: Meta, c: list[Token]) -> tuple[int, int | None]:
        return 0, self._int(c[0])

    def each_rule(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return self._item("each", (self._name(c[0]), c[1]), meta)

    def each_limit(self, meta: Meta, c: list[Any]) -> n.EachLimit:
        most, less, order = c[0], c[1], c[2]
        if isinstance(order, n.EachOrder):
            return n.EachLimit(most, less, order=order, span=self._span(meta))
        reading, options = order
        return n.EachLimit(most, less, reading=reading, options=options, span=self._span(meta))

    def order_fixed(self, meta: Meta, c: list[Any]) -> n.EachOrder:
        return next(x for x in c if isinstance(x, n.EachOrder))

    def order_reading(self, meta: Meta, c: list[Any]) -> tuple[n.Name, tuple[Any, ...]]:
        tokens = [x for x in c if isinstance(x, Token) and x.type == "NAME"]
        return self._name(tokens[0]), tuple(x for x in c if isinstance(x, tuple))

    def order_option(self, meta: Meta, c: list[Any]) -> tuple[n.Name, n.EachOrder]:
        return self._name(c[0]), c[1]

    def order_key(self, meta: Meta, c: list[Any]) -> n.EachOrder:
        key, direction = c[0], c[1] or ""
        span = self._span(meta)
        if not direction and str(key) == "as_listed":  # a key without a direction: see check
            return n.EachOrder(None, "", span)
        return n.EachOrder(self._name(key), direction, span)

    def order_direction(self, meta: Meta, c: list[Token]) -> str:
        return str(c[0])

    # ---- conventions, rounding, shared caps (issue 12) ----
    def convention_decl(self, meta: Meta, c: list[Any]) -> n.Convention:
        because = unquote(c[2]) if c[2] is not None else ""
        return n.Convention(self._name(c[0]), self._name(c[1]), because, self._span(meta))

    def rounding_decl(self, meta: Meta, c: list[Any]) -> n.Rounding:
        basis = c[2]
        because = basis if isinstance(basis, str) else ""
        quote = basis if isinstance(basis, n.Quote) else None
        return n.Rounding(self._name(c[0]), self._name(c[1]), because, self._span(meta), quote)

    def rounding_because(self, meta: Meta, c: list[Token]) -> str:
        return unquote(c[0])

    def rounding_quote(self, meta: Meta, c: list[Token]) -> n.Quote:
        return n.Quote(unquote(c[0]), self._span(meta))

    def round_rule(self, meta: Meta, c: list[Token]) -> tuple[str, Any, Span]:
        rounding = n.Rounding(self._name(c[0]), self._name(c[1]), "", self._span(meta))
        return self._item("rounding", rounding, meta)

    def shared_cap_decl(self, meta: Meta, c: list[Any]) -> n.SharedCap:
        fields: dict[str, Any] = {"quotes": [], "limit": None, "over": [], "order": None}
        for item in c[1:]:
            if isinstance(item, n.Quote):
                fields["quotes"].append(item)
                continue
            key, value, span = item
            if key == "over":
                fields["over"].extend(value)
            elif fields[key] is not None:
                second = _("a shared_cap has one `{key}`; this is a second").format(key=key)
                raise BuildError(Diagnostic(span, second))
            else:
                fields[key] = value
        amount, scopes = fields["limit"] if fields["limit"] is not None else (None, ())
        order, because = fields["order"] if fields["order"] is not None else (None, "")
        return n.SharedCap(
            self._name(c[0]),
            tuple(fields["quotes"]),
            amount,
            tuple(s.text for s in scopes),
            tuple(fields["over"]),
            order,
            because,
            self._span(meta),
            tuple(s.span for s in scopes),
        )

    def choose_decl(self, meta: Meta, c: list[Token]) -> n.Choice:
        quote = n.Quote(unquote(c[-1]), self._tspan(c[-1]))
        return n.Choice(tuple(self._name(t) for t in c[:-1]), quote, self._span(meta))

    def shared_limit(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return "limit", (c[0], c[1:]), self._span(meta)

    def shared_over(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        return "over", c, self._span(meta)

    def member_rule(self, meta: Meta, c: list[Token]) -> n.CapMember:
        return n.CapMember("rule", str(c[0]), self._span(meta))

    def member_clause(self, meta: Meta, c: list[Any]) -> n.CapMember:
        return n.CapMember("clause", c[0], self._span(meta))

    def shared_order(self, meta: Meta, c: list[Any]) -> tuple[str, Any, Span]:
        because = unquote(c[1]) if c[1] is not None else ""
        return "order", (self._name(c[0]), because), self._span(meta)


def _choices_in(buckets: dict[type, list[Any]]) -> tuple[n.Choice, ...]:
    """Every `choose`: those written outside any part, then each section's and its clauses',
    then those of the clauses outside any section (a choice is the policy's wherever it stands:
    its place keeps it beside its sentence)."""
    found: list[n.Choice] = list(buckets.get(n.Choice, []))
    for section in buckets.get(n.Section, []):
        found.extend(section.choices)
        for clause in section.clauses:
            found.extend(clause.choices)
    for clause in buckets.get(n.Clause, []):
        found.extend(clause.choices)
    return tuple(found)
