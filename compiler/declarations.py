"""The policy's declarations: its own measures, enums, inputs (types, defaults, parts of a
whole), tables, readings, targets (whose actual figure is an input), procedures and `define`s.

Each `declare_*` method fills the checker's tables (`enums`, `inputs`, `tables`, `readings`,
`procedures`, `defines` and `define_types`) in the order `compiler.checker` calls them, and
reports names declared twice, unknown enums and measures, and values that do not fit their
type. Problems are collected as diagnostics; nothing raises.
"""

from __future__ import annotations

from fractions import Fraction

from policyc.compiler import group_checks, table_keys
from policyc.compiler import nodes as n
from policyc.compiler.checked import BOOL, DATE, UNKNOWN, InputInfo, Type
from policyc.compiler.errors import Span, did_you_mean
from policyc.compiler.expr_types import ExprTypes
from policyc.compiler.i18n import _
from policyc.runtime.quantity import (
    Declared,
    Dims,
    Measure,
    MeasureError,
    builtin_measure,
    parse_measure,
)


class Declarations(ExprTypes):
    def declare_measures(self) -> Declared:
        """The policy's own measures (`measure 标准箱`, `measure 方 = 1 立方米`), in order, each
        read with those before it: a name the language has is refused, as is a name declared
        twice, a size that is not a positive number of one known measure, or a percentage."""
        declared: list[tuple[str, str, Fraction]] = []
        for decl in self.file.measures:
            name = decl.name.text
            if builtin_measure(name):
                self.error(
                    decl.name.span,
                    _(
                        "`{name}` is a measure of the language already: "
                        "write it without declaring it"
                    ).format(name=name),
                )
                continue
            if any(name == other for other, _base, _size in declared):
                self.error(
                    decl.name.span, _("measure `{name}` is declared twice").format(name=name)
                )
                continue
            if decl.size is None:
                declared.append((name, name, Fraction(1)))
                continue
            size = self._declared_size(decl, tuple(declared))
            if size is not None:
                declared.append((name, *size))
        return tuple(declared)

    def _declared_size(
        self, decl: n.MeasureDecl, declared: Declared
    ) -> tuple[str, Fraction] | None:
        shape = _("`measure 方 = 1 立方米`: a positive number of one known measure")
        size = decl.size
        if not isinstance(size, n.QuantityLit) or not size.measure:
            self.error(
                decl.span,
                _("measure `{name}` must be a number of a known measure").format(
                    name=decl.name.text
                ),
                shape,
            )
            return None
        try:
            measure = parse_measure(size.measure, declared)
        except MeasureError as exc:
            self.error(size.span, str(exc), shape)
            return None
        number = Fraction(size.number)
        if len(measure.dims) != 1 or measure.dims[0][1] != 1 or number <= 0:
            self.error(
                size.span,
                _("measure `{name}` must be a positive number of one measure, not `{size}`").format(
                    name=decl.name.text, size=f"{size.number} {size.measure}"
                ),
                shape,
            )
            return None
        return measure.dims[0][0], number * Fraction(measure.factor)

    def declare_enums(self) -> None:
        for decl in self.file.enums:
            labels = tuple(m.label for m in decl.members)
            if decl.name.text in self.enums:
                self.error(
                    decl.name.span,
                    _("enum `{decl_name}` is declared twice").format(
                        decl_name=decl.name.text,
                    ),
                )
            for member in decl.members:
                if labels.count(member.label) > 1:
                    self.error(
                        member.span,
                        _("`{member_label}` appears twice in `{decl_name}`").format(
                            member_label=member.label,
                            decl_name=decl.name.text,
                        ),
                    )
            self.enums[decl.name.text] = labels
            if decl.ordered:
                self.ordered.add(decl.name.text)

    def resolve_type(self, t: n.TypeExpr) -> tuple[Type, Measure | None]:
        if t.kind == "bool":
            return BOOL, None
        if t.kind == "date":
            return DATE, None
        if t.kind == "series":
            measure = self.measure(t.name, t.span)
            return (Type("series", measure.dims) if measure else UNKNOWN), measure
        if t.by:
            if t.by not in self.enums:
                self.error(
                    t.span,
                    _("`{t_by}` is not an enum").format(
                        t_by=t.by,
                    ),
                    _("an enum declared with `enum`"),
                )
                return UNKNOWN, None
            measure = self.measure(t.name, t.span)
            return (Type("keyed", measure.dims, t.by) if measure else UNKNOWN), measure
        if t.name in self.enums:
            return Type("enum", enum=t.name), None
        measure = self.measure(t.name, t.span)
        if measure is None:
            return UNKNOWN, None
        return Type("quantity", measure.dims, percent=measure.name == "%"), measure

    def declare_inputs(self) -> None:
        for decl in self.file.inputs:
            name = decl.name.text
            if name in self.inputs:
                first = self.inputs[name].decl.name.span
                self.error(
                    decl.name.span,
                    _("input `{name}` is declared twice (first at {place})").format(
                        name=name, place=f"{first.file}:{first.line}:{first.column}"
                    ),
                )
            type_, measure = self.resolve_type(decl.type)
            self.inputs[name] = InputInfo(decl, type_, measure)
            if decl.presence == "default" and type_ is not UNKNOWN:
                self.check_default(decl, type_)
        for decl in self.file.inputs:
            if decl.part_of is not None:
                self.check_part(decl, decl.part_of)

    def check_part(self, decl: n.InputDecl, whole: n.Name) -> None:
        part_info, whole_info = self.inputs[decl.name.text], self.inputs.get(whole.text)
        if whole_info is None:
            hint = did_you_mean(whole.text, self.inputs)
            self.error(
                whole.span,
                _("`part of {whole}`: no such input{hint}").format(
                    whole=whole.text,
                    hint=hint,
                ),
                _("an input"),
            )
        elif whole.text == decl.name.text:
            self.error(
                whole.span,
                _("`{whole}` cannot be a part of itself").format(
                    whole=whole.text,
                ),
            )
        elif part_info.type.kind != "quantity" or part_info.type != whole_info.type:
            self.error(
                whole.span,
                _(
                    "`{decl_name}` ({part_info_type_describe}) cannot be a part of "
                    "`{whole}` ({whole_info_type_describe})"
                ).format(
                    decl_name=decl.name.text,
                    part_info_type_describe=part_info.type.describe(),
                    whole=whole.text,
                    whole_info_type_describe=whole_info.type.describe(),
                ),
                _("two quantities of one measure"),
            )
        else:
            self.parts[whole.text] = (*self.parts.get(whole.text, ()), decl.name.text)

    def check_default(self, decl: n.InputDecl, want: Type) -> None:
        value = decl.default
        if isinstance(value, str):
            ok = want.kind == "enum" and value in self.enums[want.enum]
        elif isinstance(value, n.Expr):
            ok = self.type_of(value) == want
        else:
            ok = False
        if not ok:
            self.error(
                decl.span,
                _("the default of `{decl_name}` does not fit its type").format(
                    decl_name=decl.name.text,
                ),
                want.describe(),
            )

    def declare_tables(self) -> None:
        for decl in self.file.tables:
            if decl.more_by or decl.more_keys:  # by two enums or more: compiler/table_keys.py
                if table_keys.declare(self, decl):
                    self.tables[decl.name.text] = decl
                continue
            if decl.by.text not in self.enums:
                self.error(
                    decl.by.span,
                    _("`{decl_by}` is not an enum").format(
                        decl_by=decl.by.text,
                    ),
                )
                continue
            members = self.enums[decl.by.text]
            dims: Dims | None = None
            known = True
            for label, value in decl.rows:
                if label not in members:
                    self.error(
                        value.span,
                        _("`{label}` is not a member of `{decl_by}`").format(
                            label=label,
                            decl_by=decl.by.text,
                        ),
                        " / ".join(members),
                    )
                t = self.type_of(value)
                if t is UNKNOWN:  # reported where it is written; no knock-on errors
                    known = False
                    continue
                if dims is not None and t.dims != dims:
                    self.error(value.span, _("the rows of a table must share one measure"))
                dims = t.dims
            missing = [m for m in members if m not in {label for label, _ in decl.rows}]
            if missing:  # fine where no reading reaches them (table_keys.check_partial_tables)
                self.partial_tables[decl.name.text] = tuple(missing)
            self.tables[decl.name.text] = decl
            self.table_types[decl.name.text] = (
                Type("keyed", dims, decl.by.text) if known and dims is not None else UNKNOWN
            )

    def declare_readings(self) -> None:
        for decl in self.file.readings:
            options = [o.name for o in decl.options]
            if decl.name.text in self.readings:
                self.error(
                    decl.name.span,
                    _("reading `{decl_name}` is declared twice").format(
                        decl_name=decl.name.text,
                    ),
                )
            if len(set(options)) != len(options):
                self.error(
                    decl.span,
                    _("reading `{decl_name}` repeats an option").format(
                        decl_name=decl.name.text,
                    ),
                )
            if len(options) < 2:
                self.error(decl.span, _("a reading needs at least two options to choose between"))
            self.is_option(decl, decl.take.text, decl.take.span)
            self.readings[decl.name.text] = decl

    def declare_targets(self) -> None:
        # A target's actual figure is an input of the same name: a progress case reports it.
        for _owner, target in self.file.all_targets():
            name = target.name.text
            if name in self.inputs:
                self.declared_again(target.name.span, name, target=True)
                continue
            value = self.type_of(target.value)
            if target.done:  # reported as true (done) or false: a yes/no input, no measure
                decl = n.InputDecl(
                    target.name,
                    n.TypeExpr("target", ""),
                    "optional",
                    None,
                    f"是否完成: {target.description or name}",
                    target.span,
                )
                self.inputs[name] = InputInfo(decl, value, None)
                continue
            if value is not UNKNOWN and value.kind != "quantity":
                self.error(
                    target.value.span, _("a target is a quantity"), _("a number with its measure")
                )
                continue
            if target.tolerance is not None and self.type_of(target.tolerance) != value:
                self.error(target.tolerance.span, _("the tolerance must have the target's measure"))
            # The actual figure is read in the target's own measure: a bare 6 for `7.5 %` is 6%.
            measure_text = target.value.measure if isinstance(target.value, n.QuantityLit) else ""
            if isinstance(target.value, n.PercentLit):
                measure_text = "%"
            # An unknown measure is reported once, by `type_of` above: not read again here.
            known = None if value is UNKNOWN else self.measure(measure_text, target.value.span)
            measure = known or parse_measure("")
            decl = n.InputDecl(
                target.name,
                n.TypeExpr("target", measure_text),
                "optional",
                None,
                f"实际完成: {target.description or name}",
                target.span,
            )
            self.inputs[name] = InputInfo(decl, Type("quantity", measure.dims), measure)

    def declared_again(self, span: Span, name: str, target: bool) -> None:
        """`name`, declared at `span` (by a target when `target`), names an input, a target or
        a define already: said with the place of the first, and, when either is a target, that
        a target's name is its reported figure (an input a progress case fills in), which no
        input or define may share."""
        define = self.defines.get(name)
        first = define.name.span if define is not None else self.inputs[name].decl.name.span
        first_is_target = define is None and self.inputs[name].decl.type.kind == "target"
        place = f"{first.file}:{first.line}:{first.column}"
        if target or first_is_target:
            self.error(
                span,
                _(
                    "`{name}` is already declared (first at {place}): a target's name is its "
                    "reported figure, an input a progress case fills in, so no input or define "
                    "may share it"
                ).format(name=name, place=place),
                _("a name of its own for the input or define"),
            )
            return
        message = _("`{name}` is already declared (first at {place})")
        self.error(span, message.format(name=name, place=place))

    def declare_procedures(self) -> None:
        for procedure in self.file.procedures:
            if procedure.name.text in self.procedures:
                self.error(
                    procedure.name.span,
                    _("procedure `{procedure_name}` is declared twice").format(
                        procedure_name=procedure.name.text,
                    ),
                )
            self.procedures[procedure.name.text] = procedure

    def declare_define(self, define: n.Define) -> None:
        name = define.name.text
        if name in self.defines or name in self.inputs:
            self.declared_again(define.name.span, name, target=False)
        self.defines[name] = define
        self.current_rule = name  # `amount_of` in a define: its edges for the cycle check
        per_member = group_checks.reads_a_member(self, define.expr)
        self.member_scope += per_member  # 年龄 = years_between(出生日期, …): one per member
        # A condition (是就业困难人员), or a named value of any type — a quantity, a date, an
        # enum member, a value that changes on dates (低保标准) — that only the traces of the
        # rules reading it show; a `decide` is a value `run` reports first.
        self.define_types[name] = self.type_of(define.expr)
        self.member_scope -= per_member
        if per_member:
            self.member_defines.add(name)

    def check_decide_period(self, define: n.Define) -> None:
        """`decide … per 月` / `per 年`, checked as a rule's `amount … per` is, by the one
        function of both (`group_checks.check_per`): the word is a period, and a month's value
        is not taken from a yearly input not declared a `flow`. A decision without `per` that
        reads an input per month for the evaluated period is warned of (`periodless-decide`,
        the logic of `periodless-rule`): in a year's case it decides on the year's total,
        which its name (a 月人均收入) may not say."""
        if not define.decided:
            return
        if define.period is None:
            found = group_checks.monthly_read(self, [define.expr], {define.name.text})
            if found is None:
                return
            name, via = found
            through = _(" (through `{via}`)").format(via=via) if via else ""
            self.warn(
                define.name.span,
                _(
                    "decision `{decide}` reads `{name}`{through}, an input per 月, but declares "
                    "no period: in a year's case it decides on the year's total; write "
                    "`decide … per 月` if the value is a month's"
                ).format(decide=define.name.text, name=name, through=through),
                "periodless-decide",
            )
            return
        group_checks.check_per(self, define.period, define.expr, decision=True)
