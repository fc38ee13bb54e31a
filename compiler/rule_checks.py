"""Clauses and rules: numbering, quotes, units named, references, and each rule's conditions,
amount (money, of a kind that says its flow) and cap; then conventions, rounding and shared caps
(`compiler.amount_checks`) and the words after `per` (`compiler.scope_checks`).

`RuleChecks.check_structure` walks sections, clauses and rules in order; the type of each rule's
amount is kept in `rule_types`, what each reads in `references`. Problems are collected as
diagnostics; nothing raises.
"""

from __future__ import annotations

from policyc.compiler import (
    amount_checks,
    amount_ranges,
    group_checks,
    period_amounts,
    scope_checks,
)
from policyc.compiler import nodes as n
from policyc.compiler.checked import (
    BOOL,
    DATE,
    FLOW_OF_KIND,
    MONEY_DIMS,
    UNKNOWN,
    Type,
    amount_flow,
)
from policyc.compiler.choices import check_choices
from policyc.compiler.declarations import Declarations
from policyc.compiler.errors import Span
from policyc.compiler.i18n import _
from policyc.compiler.received_text import ReceivedText
from policyc.runtime.quantity import dims_text


class RuleChecks(Declarations, ReceivedText):
    def check_structure(self, header: n.Header) -> None:
        seen_numbers: dict[str, Span] = {}
        seen_rules: dict[str, Span] = {}
        for aside in self.file.asides:
            self.check_quote(n.Quote(aside.text, aside.span))
        for section in self.file.sections:
            for quote in section.quotes:
                self.check_quote(quote)
            for name in (*section.leads, *section.responsible, *section.cooperates):
                self.registry.check_name(name, self.diagnostics)
            for reference in section.refers:
                self.references.append(
                    (
                        _("section {section_number}").format(
                            section_number=section.number,
                        ),
                        reference,
                    )
                )
        for clause in self.file.all_clauses():
            key = f"{clause.kind} {clause.ident}"
            if key in seen_numbers:
                self.error(
                    clause.span,
                    _("{key} appears twice (first at line {seen_numbers_key__line})").format(
                        key=key,
                        seen_numbers_key__line=seen_numbers[key].line,
                    ),
                )
            seen_numbers[key] = clause.span
            for name in clause.leads:
                self.registry.check_name(name, self.diagnostics)
            for reference in clause.refers:
                self.references.append((key, reference))
            if not clause.quotes:
                self.error(
                    clause.span,
                    _("clause {clause_number} quotes no original text").format(
                        clause_number=clause.number,
                    ),
                    _('`quote "…"` with the sentence as received'),
                )
            for quote in clause.quotes:
                self.check_quote(quote)
            for name in (*clause.responsible, *clause.cooperates):
                self.registry.check_name(name, self.diagnostics)
            for fund in clause.funds:
                t = self.type_of(fund.amount)
                if t.kind == "quantity" and t.dims not in MONEY_DIMS:
                    self.error(fund.amount.span, _("a fund is an amount of money"), _("元 or 美元"))
        for _owner, target in self.file.all_targets():
            for quote in target.quotes:  # its own sentence: in the received text, as a rule's
                self.check_quote(quote)
        for owner, rule in self.file.all_rules():
            if rule.name.text in seen_rules:
                self.error(
                    rule.name.span,
                    _("rule `{rule_name}` is declared twice (first at line {value})").format(
                        rule_name=rule.name.text,
                        value=seen_rules[rule.name.text].line,
                    ),
                )
            seen_rules[rule.name.text] = rule.name.span
            self.check_rule(owner, rule)

    def check_rule(self, owner: n.Section | n.Clause, rule: n.Rule) -> None:
        for quote in rule.quotes:
            self.check_quote(quote)
        for name in (*rule.responsible, *rule.cooperates):
            self.registry.check_name(name, self.diagnostics)
        for procedure in rule.follows:
            if procedure.text not in self.procedures:
                self.error(
                    procedure.span,
                    _("unknown procedure `{procedure}`").format(procedure=procedure.text),
                    _("a procedure declared with `procedure NAME { step … }`"),
                )
        for reference in rule.refers:
            self.references.append(
                (
                    _("rule {rule_name}").format(
                        rule_name=rule.name.text,
                    ),
                    reference,
                )
            )
        for reading in rule.readings:
            self.reading(reading.text, reading.span)
        self.current_rule = rule.name.text
        group_checks.check_each(self, rule)
        group_checks.check_period(self, rule)
        self.member_scope += rule.each is not None
        try:
            self.check_rule_values(rule)
        finally:
            self.member_scope -= rule.each is not None
        self.current_rule = ""
        if rule.valid_by is not None:
            info = self.inputs.get(rule.valid_by.text)
            if info is None or info.type != DATE:
                self.error(
                    rule.valid_by.span,
                    _("`valid_by {rule_valid_by}` needs a date input").format(
                        rule_valid_by=rule.valid_by.text
                    ),
                )
            else:
                self.used_inputs.add(rule.valid_by.text)
        for limit in rule.limits:
            self.type_of(limit.amount)
        units = rule.responsible or owner.responsible
        if (
            rule.amount is None
            and rule.amount_range is None
            and not rule.grants
            and not rule.limits
            and not units
        ):
            self.error(
                rule.span,
                _("rule `{rule_name}` says neither an amount, what it grants, nor who acts").format(
                    rule_name=rule.name.text
                ),
                _('`amount …`, `amount unspecified "…"`, `grants "…"` or `limit …`'),
            )

    def check_rule_values(self, rule: n.Rule) -> None:
        """A rule's conditions, amount and cap (with a member in view in an `each` rule)."""
        for cond in rule.whens:
            self.expect(cond, BOOL, _("a condition"))
        if rule.apply_by is not None:  # `apply 申请日期 by …`: two dates, compared
            applied = rule.apply_by.applied
            self.expect(n.Ref(applied.text, applied.span), DATE, _("the date the case applied"))
            if rule.apply_by.day is not None:
                self.expect(rule.apply_by.day, DATE, _("the last day to apply"))
        amount_type: Type | None = None
        if isinstance(rule.amount, n.Expr):
            if not amount_flow(rule.kind):
                words = "、".join(f"{k} ({v})" for k, v in FLOW_OF_KIND.items())
                self.error(
                    rule.amount.span,
                    _(
                        "rule `{rule_name}` computes an amount, but its kind `{rule_kind}` does "
                        "not say whether it is paid to the applicant, waived, or payable by the "
                        "applicant, so it cannot be totalled"
                    ).format(
                        rule_name=rule.name.text,
                        rule_kind=rule.kind,
                    ),
                    _("a kind that does: {words}").format(words=words),
                )
            amount_type = self.type_of(rule.amount)
            if period_amounts.implied(rule, amount_type):  # `原工资福利 per 月`: a month's money
                self.period_rewrites.setdefault(rule.name.text, set()).add("amount")
                amount_type = period_amounts.per_period_type(amount_type)
            if amount_type is not UNKNOWN and not (
                amount_type.kind == "quantity" and amount_type.dims in MONEY_DIMS
            ):
                self.error(
                    rule.amount.span,
                    _("an amount must be money, not {amount_type_describe}").format(
                        amount_type_describe=amount_type.describe(),
                    ),
                    money_rate_hint(rule, amount_type, self.sources)
                    or _("a quantity in 元 or 美元"),
                )
        amount_ranges.check_range(self, rule)
        if rule.cap is not None and rule.amount_range is None:  # a range's cap: amount_ranges
            cap_type = self.type_of(rule.cap.amount)
            if period_amounts.implied(rule, cap_type):  # `cap 生前工资 per 户 per 月`
                self.period_rewrites.setdefault(rule.name.text, set()).add("cap")
                cap_type = period_amounts.per_period_type(cap_type)
            if amount_type is None:
                self.error(rule.cap.span, _("a cap needs an amount to bound"))
            elif UNKNOWN not in (amount_type, cap_type) and cap_type != amount_type:
                self.error(
                    rule.cap.amount.span,
                    _("the cap is {cap_type} but the amount is {amount_type}").format(
                        cap_type=cap_type.describe(), amount_type=amount_type.describe()
                    ),
                )
        if amount_type is not None:
            self.rule_types[rule.name.text] = amount_type

    def check_after_amounts(self) -> None:
        """Conventions, rounding and shared caps (issue 12; compiler/amount_checks.py)."""
        self.conventions = amount_checks.check_conventions(self)
        self.roundings = amount_checks.check_roundings(self)
        self.shared_caps = amount_checks.check_shared_caps(self)
        self.choices = check_choices(self)
        scope_checks.check_scopes(self)


def money_rate_hint(rule: n.Rule, amount_type: Type, sources: dict[str, str]) -> str:
    """What to write for an amount without `per` that is money per month or year (`原工资福利`,
    an input in 元/月): `原工资福利 per 月`, the money of one period (compiler/period_amounts.py);
    "" for another measure."""
    if amount_type.kind != "quantity" or not isinstance(rule.amount, n.Expr):
        return ""
    money = tuple(d for d in amount_type.dims if d != ("月", -1))  # 元/月 and 元/年 alike
    if money == amount_type.dims or money not in MONEY_DIMS:
        return ""
    return _(
        "{measure} is money per period, not an amount: a rule paid each month says so, "
        "`amount {expr} per 月` (the money of one month), as `per 年` a year's"
    ).format(measure=dims_text(amount_type.dims), expr=_written(rule.amount.span, sources))


def _written(span: Span, sources: dict[str, str]) -> str:
    """An expression as the policy writes it (its first line), for a message to copy from."""
    lines = sources.get(span.file, "").splitlines()
    if not 1 <= span.line <= len(lines):
        return "…"
    line = lines[span.line - 1]
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    return line[span.column - 1 : end].strip()
