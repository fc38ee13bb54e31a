"""The page of one policy (`PolicyView.build`): header, rules, clauses, sections, decisions,
readings, inputs and declarations; and the pages beside it (its source, its received text, its
card on the home page)."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.case_caps import case_cap
from policyc.compiler.coverage import coverage
from policyc.compiler.daily_caps import daily_of
from policyc.compiler.group_checks import PERIOD_WORDS
from policyc.compiler.part_places import own_label, part_heading
from policyc.compiler.site.citizen import citizen_facts, figure_word
from policyc.compiler.site.layout import (
    cap_words,
    counts_durations,
    part_anchor,
    part_heading_alone,
    part_label,
    scopes,
    toc_label,
    unique,
)
from policyc.compiler.site.markdown import link, md
from policyc.compiler.site.people_view import classifier, group_view, limit_words, people_words
from policyc.compiler.site.policy_amounts import PolicyAmounts
from policyc.compiler.site.views import (
    AsideView,
    ClauseView,
    DecideView,
    DefineView,
    DocumentCard,
    EnumView,
    Fact,
    GazetteLine,
    GazettePage,
    InputView,
    PolicyPage,
    ProcedureView,
    ReadingNote,
    ReadingView,
    RepairView,
    RuleView,
    SectionTail,
    SectionView,
    SourcePage,
    TopClause,
    UnitRef,
)

COUNTING = {
    "from_start_day": "起始日计入",
    "from_next_day": "起始日不计入（民法典第二百零一条）",
}


# `convention missing_day …` in words (issue 12; runtime.dates.MISSING_DAY_CONVENTIONS).
MISSING_DAY_WORDS = {
    "month_end": (
        "整月、周年自次日起算；起算日在届满月份没有对应日的，以该月末日届满（民法典第二百零二条）"
    ),
    "next_day": "整月、周年自次日起算；起算日在届满月份没有对应日的，至次月一日届满",
}


# How a shared cap is shared out (runtime/amounts.py), as the site says it.
_SHARE_ORDER_WORDS = {"as_listed": "按所列顺序先到先得", "proportional": "超过时各项按比例核减"}


class PolicyView(PolicyAmounts):
    """Builds the page of one policy; also records which units it names where, every amount it
    states (for the amounts index), and which of its parts quote which line of the received
    text (for the received-text page)."""

    # -- rules and structure --
    def rule(self, owner: n.Section | n.Clause, rule: n.Rule) -> RuleView:
        name = rule.name.text
        anchor = f"rule-{name}"
        exprs: list[n.Expr] = list(rule.whens)
        if isinstance(rule.amount, n.Expr):
            exprs.append(rule.amount)
        if rule.cap is not None:
            exprs.append(rule.cap.amount)
        facts: list[Fact] = []
        if rule.kind:
            facts.append(Fact("类型", md(rule.kind)))
        if rule.beneficiary:
            facts.append(Fact("对象", md(rule.beneficiary)))
        if len(rule.whens) == 1:
            facts.append(Fact("条件", self.expr(rule.whens[0])))
        elif rule.whens:
            facts.append(Fact("条件", "须全部满足", tuple(self.expr(w) for w in rule.whens)))
        if isinstance(rule.amount, n.Unspecified):
            # Marked in words, never with a number: the document promises an amount, gives none.
            word = figure_word(rule.kind or "")  # a rate left to another document: 数额
            facts.append(
                Fact(f"{word}未规定", f"{md(rule.amount.text)}（文件未写明{word}，不作计算）")
            )
        elif rule.amount is not None:
            facts.append(Fact("金额", self.expr(rule.amount)))
        if rule.cap is not None:
            facts.append(Fact("封顶", cap_words(rule.cap, self.expr(rule.cap.amount))))
        facts.extend(self.after_cap_facts(rule))
        if rule.once is not None:
            scope = f"（{scopes(rule.once)}限一次）" if rule.once else ""
            facts.append(Fact("一次性", f"一次性{md(scope)}"))
        if rule.valid_by is not None:
            facts.append(
                Fact("有效期依据", f"以{md(rule.valid_by.text)}判断是否在有效期内（而非评估日）")
            )
        if rule.grants:
            facts.append(Fact("给予", md(rule.grants)))
        for limit in rule.limits:
            text = f"：{md(limit.text)}" if limit.text else ""
            facts.append(
                Fact(
                    "限额",
                    f"{md(limit.name.text)} {self.expr(limit.amount)}{text}"
                    "（所述限额，非本市支付）",
                )
            )
        where = f"{part_label(owner)} · 规则“{name}”"
        for label, role, names, open_list in (
            ("责任单位（本规则）", "责任单位", rule.responsible, rule.open_responsible),
            ("配合单位", "配合单位", rule.cooperates, False),
        ):
            units = unique(self.unit_name(u.text) for u in names)
            if units:
                etc = "等" if open_list else ""
                facts.append(Fact(label, "、".join(self.unit_link(u) for u in units) + etc))
            for unit in units:
                self.note_unit(unit, role, where, f"{self.page}#{anchor}")
        if rule.law:
            facts.append(Fact("依据", md(rule.law)))
        procedures = unique(p.text for p in rule.follows)
        if procedures:
            facts.append(Fact("办理程序", "、".join(self.procedure_link(p) for p in procedures)))
            for procedure in procedures:
                self.procedure_users.setdefault(procedure, []).append(link(name, f"#{anchor}"))
        if rule.refers:
            facts.append(Fact("参见", "、".join(self.reference(r) for r in rule.refers)))
        each_limit = rule.each_limit
        readings = unique(
            [r.text for r in rule.readings]
            + ([each_limit.reading.text] if each_limit and each_limit.reading else [])
            + ([days.reading.text] if (days := daily_of(rule)) is not None else [])
            + [e.reading for x in exprs for e in n.walk(x) if isinstance(e, n.ReadingIs)]
        )
        for reading in readings:
            self.reading_users.setdefault(reading, []).append(link(name, f"#{anchor}"))
        if rule.each is not None:
            whom = "家庭成员" if rule.each.text in ("members", "成员") else md(rule.each.text)
            each = classifier(rule)
            total = ""
            if case_cap(rule, self.policy.people.group) and rule.cap is not None:
                words = "".join(f"每{s}" for s in rule.cap.scopes)
                total = f"；{words}合计最高{self.expr(rule.cap.amount)}（各{whom}之和封顶一次）"
            facts.append(Fact("按成员", f"对每{each}{whom}分别判断、分别计发{total}"))
        if each_limit is not None:
            policy = self.policy
            dates = frozenset(
                [name for name, info in policy.inputs.items() if info.type.kind == "date"]
                + [name for name, kind in policy.define_types.items() if kind.kind == "date"]
            )
            facts.append(Fact("限额", limit_words(each_limit, self.policy.readings, dates)))
        inputs = self.policy.inputs_of(exprs)
        if inputs:
            facts.append(Fact("所需输入", "、".join(md(i) for i in inputs)))
        self.rule_amounts(owner, rule, exprs)
        self.rule_count += 1
        return RuleView(
            name=md(name),
            anchor=anchor,
            quotes=tuple(self.quote(q, (f"规则：{name}", anchor)) for q in rule.quotes),
            facts=tuple(facts),
            blocks=self.blocks(exprs),
            notes=tuple(md(t) for t in rule.notes),
            source=self.source_link(rule.span.line),
            readings=tuple(self.reading_note(r) for r in readings),
            citizen=citizen_facts(
                rule,
                self.expr,
                tuple(self.unit_link(u) for u in self.units_to_ask(owner, rule)),
                inputs,
                [e for e in self.examples if e.rule == name],
            ),
        )

    def units_to_ask(self, owner: n.Section | n.Clause, rule: n.Rule) -> tuple[str, ...]:
        """Whom a citizen asks about a rule: the units responsible for it, else those of its
        clause (or the clause's section), else the unit that interprets the document."""
        parents: list[n.Section | n.Clause] = [owner]
        parents += [s for s in self.file.sections if any(c is owner for c in s.clauses)]
        candidates = [[*rule.responsible], *([*p.leads, *p.responsible] for p in parents)]
        for names in candidates:
            if names:
                return unique(self.unit_name(u.text) for u in names)
        h = self.header
        fallback = h.interpreted_by or h.issuer
        return (self.unit_name(fallback.text),) if fallback is not None else ()

    def reading_note(self, name: str) -> ReadingNote:
        """A reading beside a rule: the question, the option taken and what it means."""
        title = "读法：" + link(name, f"#reading-{name}")
        decl = self.policy.readings.get(name)
        if decl is None:  # an unknown reading does not pass `check`
            return ReadingNote(title, "", "", "")
        taken = decl.take.text
        meaning = next((o.text for o in decl.options if o.name == taken), "")
        others = [o.name for o in decl.options if o.name != taken]
        return ReadingNote(
            title=title,
            question=md(decl.question),
            take=f"“{md(taken)}”" + (f"：{md(meaning)}" if meaning else ""),
            other="、".join(f"“{md(o)}”" for o in others),
        )

    def procedure_link(self, name: str, page: str = "") -> str:
        return link(name, f"{page}#procedure-{name}")

    def note_unit(self, unit: str, role: str, text: str, href: str) -> None:
        """`unit` has `role` in this document, at `text` (a part or a rule; "" for the whole
        document), `href` relative to the docs folder."""
        self.unit_refs.append((unit, UnitRef(role, self.header.number, text, href)))

    def units_facts(self, owner: n.Section | n.Clause) -> tuple[Fact, ...]:
        """牵头单位 and 责任单位 of a section, clause or task, linked; noted for the units."""
        facts: list[Fact] = []
        href = f"{self.page}#{part_anchor(owner)}"
        for role, names, open_list in (
            ("牵头单位", owner.leads, owner.open_leads),
            ("责任单位", owner.responsible, owner.open_responsible),
            ("配合单位", owner.cooperates, False),
        ):
            units = unique(self.unit_name(u.text) for u in names)
            for unit in units:
                self.note_unit(unit, role, part_label(owner), href)
            if units:
                etc = "等" if open_list else ""
                facts.append(Fact(role, "、".join(self.unit_link(u) for u in units) + etc))
        return tuple(facts)

    # -- structure --
    def clause(self, clause: n.Clause) -> ClauseView:
        units = self.units_facts(clause)
        funds: list[str] = []
        for fund in clause.funds:
            amount = f"{scopes(fund.scopes)}{self.expr(fund.amount)}"
            funds.append(f"**{md(fund.name.text)}**：{amount}，{md(fund.purpose)}")
            self.add_amount(
                clause,
                "",
                "资金",
                f"{scopes(fund.scopes)}{self.expr(fund.amount, self.page)}",
                f"{md(fund.name.text)}：{md(fund.purpose)}",
            )
        where = (part_heading_alone(clause), part_anchor(clause))
        quotes = tuple(self.quote(q, where) for q in clause.quotes)
        rules = tuple(self.rule(clause, r) for r in clause.rules)
        if len(rules) == 1 and not rules[0].quotes:
            # The clause's one rule states its whole text: show that text beside the rule.
            rules, quotes = (attrs.evolve(rules[0], quotes=quotes),), ()
        return ClauseView(
            heading=md(part_heading(clause)),
            toc_label=toc_label(clause),
            anchor=part_anchor(clause),
            quotes=quotes,
            notes=tuple(md(t) for t in clause.notes),
            units=units,
            funds=tuple(funds),
            rules=rules,
            targets=tuple(self.target(t) for t in clause.targets),
            refers=tuple(self.reference(r) for r in clause.refers),
            source=self.source_link(clause.span.line),
            # Decisions are listed together after the document's text (判定), not here.
            defines=tuple(self.define(d) for d in clause.defines if not d.decided),
        )

    def define(self, define: n.Define) -> DefineView:
        return DefineView(
            name=md(define.name.text),
            anchor=f"define-{define.name.text}",
            description=md(define.description),
            condition=self.expr(define.expr),
            blocks=self.blocks([define.expr]),
            source=self.source_link(define.span.line),
            # A named value (`define 计入带动人数 = …`) is no condition: 取值.
            label="条件" if self.policy.define_types[define.name.text].kind == "bool" else "取值",
        )

    def decide(self, define: n.Define) -> DecideView:
        """A decision: an if/else chain as its branches in order, else the expression."""
        name = define.name.text
        self.decide_amounts(define)  # the amounts index (policy_amounts)
        branches: list[str] = []
        expr = define.expr
        while isinstance(expr, n.If):
            branches.append(f"若 {self.expr(expr.cond)} 则 {self.expr(expr.then)}")
            expr = expr.otherwise
        if branches:
            branches.append(f"否则 {self.expr(expr)}")
        enum = self.value_enum(define.expr, frozenset({name}))
        values = ""
        if enum is not None:
            values = f"{link(enum, f'#enum-{enum}')}之一"
            if enum in self.policy.ordered_enums:
                values += f"，由低到高：{self.enum_order(enum)}"
        return DecideView(
            name=md(name),
            anchor=f"decide-{name}",
            description=md(define.description),
            values=values,
            branches=tuple(branches),
            expression=self.expr(define.expr),
            blocks=self.blocks([define.expr]),
            source=self.source_link(define.span.line),
            period=_decide_period(define),
        )

    def enum_order(self, enum: str) -> str:
        return " &lt; ".join(md(member) for member in self.policy.enums[enum])

    def value_enum(self, expr: n.Expr, seen: frozenset[str]) -> str | None:
        """The enum a decided value is a member of, when it is one."""
        if isinstance(expr, n.If):
            return self.value_enum(expr.then, seen) or self.value_enum(expr.otherwise, seen)
        if isinstance(expr, n.Call) and expr.func in ("min", "max"):
            for arg in expr.args:
                found = self.value_enum(arg, seen)
                if found is not None:
                    return found
            return None
        if not isinstance(expr, n.Ref):
            return None
        info = self.policy.inputs.get(expr.name)
        if info is not None:
            return info.type.enum if info.type.kind == "enum" else None
        define = self.policy.defines.get(expr.name)
        if define is not None:
            if not define.decided or expr.name in seen:
                return None
            return self.value_enum(define.expr, seen | {expr.name})
        return self.policy.member_enum(expr.name)

    def procedure(self, procedure: n.Procedure) -> ProcedureView:
        name = procedure.name.text
        title = procedure.title if procedure.title and procedure.title != name else ""
        return ProcedureView(
            name=md(f"{name}（{title}）" if title else name),
            anchor=f"procedure-{name}",
            steps=tuple(md(step) for step in procedure.steps),
            used_by=tuple(self.procedure_users.get(name, ())),
        )

    def section(self, section: n.Section) -> SectionView:
        units = self.units_facts(section)
        where = (part_heading(section), part_anchor(section))
        # Its quotes, rules and clauses in the order they were written (a stable sort by line),
        # as the document has them. Before its first clause, the section's own quotes head it
        # and its rules follow; after a clause, they go on under `一、…（续）` (`SectionTail`),
        # so that neither its sentence moves above the clauses nor its rules fall under the
        # last clause's heading.
        items: list[n.Quote | n.Rule | n.Clause] = [
            *section.quotes,
            *section.rules,
            *section.clauses,
        ]
        head: list[n.Quote] = []
        body: list[RuleView | ClauseView | None] = []  # None: a tail, made once its quotes known
        # a tail's place in body: (its line, its count in the section, its quotes)
        tails: dict[int, tuple[int, int, list[n.Quote]]] = {}
        tail: list[n.Quote] | None = None  # the open tail's quotes
        after_clause = False
        for item in sorted(items, key=lambda item: item.span.line):
            if isinstance(item, n.Clause):
                body.append(self.clause(item))
                after_clause, tail = True, None
                continue
            if after_clause and tail is None:
                tail = []
                tails[len(body)] = (item.span.line, len(tails) + 1, tail)
                body.append(None)
            if isinstance(item, n.Rule):
                body.append(self.rule(section, item))
            else:
                (head if tail is None else tail).append(item)
        return SectionView(
            heading=md(part_heading(section)),
            anchor=part_anchor(section),
            quotes=tuple(self.quote(q, where) for q in head),
            notes=tuple(md(t) for t in section.notes),
            # Decisions are listed together after the document's text (判定), not here.
            defines=tuple(self.define(d) for d in section.defines if not d.decided),
            body=tuple(
                self.section_tail(section, *tails[at]) if item is None else item
                for at, item in enumerate(body)
            ),
            units=units,
            targets=tuple(self.target(t) for t in section.targets),
            source=self.source_link(section.span.line),
        )

    def section_tail(
        self, section: n.Section, line: int, count: int, quotes: list[n.Quote]
    ) -> SectionTail:
        """The heading where `section`'s own text goes on at `line` of the policy file, after a
        clause, the `count`th time (anchor `section-一-续`, then `section-一-续2`), with the
        section's `quotes` written there."""
        heading = f"{part_heading(section)}（续）"
        anchor = f"{part_anchor(section)}-续{count if count > 1 else ''}"
        return SectionTail(
            heading=md(heading),
            anchor=anchor,
            quotes=tuple(self.quote(q, (heading, anchor)) for q in quotes),
            source=self.source_link(line),
        )

    def after_cap_facts(self, rule: n.Rule) -> list[Fact]:
        """Issue 12: the rule's rounding and the cap it shares with other rules."""
        facts: list[Fact] = []
        rounding = self.policy.roundings.get(rule.name.text)
        if rounding is not None:
            if rounding.declared_by == "rule":
                why = "文件规定"
            elif rounding.declared_by == "document":
                why = f"文件规定：{rounding.because}"
            else:
                why = "文件未规定，本政策的读法"
                why += f"：{rounding.because}" if rounding.because else ""
            # 封顶后 only where there is a cap to come after (its own or a shared one).
            capped = rule.cap is not None or any(
                rule.name.text in plan.members for plan in self.policy.shared_caps
            )
            when = "封顶后" if capped else ""
            facts.append(Fact("舍入", md(f"{when}{rounding.wording}（{why}）")))
        for plan in self.policy.shared_caps:
            if rule.name.text not in plan.members:
                continue
            others = "、".join(m for m in plan.members if m != rule.name.text) or "—"
            decl = next(c for c in self.file.shared_caps if c.name.text == plan.name)
            order = _SHARE_ORDER_WORDS.get(plan.order, plan.order)
            order += f"（{plan.because}）" if plan.because else ""
            head = f"「{plan.name}」：与{others}合计{scopes(decl.scopes)}"
            if isinstance(decl.amount, n.QuantityLit) or decl.amount is None:  # 最高30万元
                stated = f"{decl.amount.number}{decl.amount.measure}" if decl.amount else ""
                text = md(f"{head}最高{stated}，{order}")
            else:  # what the case gives, linked as the rules' amounts are: 不超过生前工资
                text = f"{md(head)}不超过{self.expr(decl.amount)}{md('，' + order)}"
            facts.append(Fact("合计封顶", text))
        for choice in self.policy.choices:  # `choose highest of …`: runtime/choices.py
            if rule.name.text in choice.members:
                facts.append(Fact("不重复", md(choice_words(rule.kind, choice.members))))
        return facts

    # -- header --
    def validity(self) -> str:
        """The validity under the readings the policy takes, as `run`'s header writes it."""
        from policyc.compiler.run_view import period_text

        return period_text(self.policy, {})

    def source_text(self) -> str:
        h = self.header
        if not h.source_file:
            return "未指定"
        # The path as written is relative to the policy file; never print an absolute path.
        shown = h.source_file if not Path(h.source_file).is_absolute() else Path(h.source_file).name
        lines = f"第{h.source_first_line}–{h.source_last_line}行"
        if self.gazette_page:
            lines = link(lines, self.gazette_page)
        return f"`{shown.replace('`', '')}` {lines}"

    def file_name(self) -> str:
        return Path(self.file.path).name

    def replaces(self) -> str:
        shown = [
            link(number, self.pages_by_number[number])
            if number in self.pages_by_number
            else md(number)
            for number in self.header.replaces
        ]
        return "、".join(shown) if shown else "—"

    def issuer_links(self) -> str:
        """The issuers, each linked to its unit's page: `市民政局`, or for 联合发文 the lead
        issuer marked `市民政局（牵头）、市财政局、市残联`; `—` when the header names none."""
        issuers = [self.unit_link(name.text) for name in self.header.issuers]
        if len(issuers) > 1:
            issuers[0] += "（牵头）"
        return "、".join(issuers) or "—"

    def header_facts(self) -> tuple[Fact, ...]:
        h = self.header
        facts = [
            Fact("文号", md(h.number)),
            Fact("标题", md(h.title)),
            Fact("发文单位", self.issuer_links()),
            Fact("发布日期", h.issued.isoformat() if h.issued else "—"),
            Fact("有效期", self.validity()),
        ]
        if h.valid_for is not None:
            counting = h.counting.text if h.counting else "from_start_day"
            length = f"{h.valid_for.number}{h.valid_for.measure}"
            facts.append(Fact("期限", md(f"{length}，{COUNTING.get(counting, counting)}")))
        for convention in self.file.conventions:
            option = convention.option.text
            words = MISSING_DAY_WORDS.get(option, option)
            because = f"（{convention.because}）" if convention.because else ""
            facts.append(Fact("期间计算", md(f"{words}{because}")))
        for plan in self.policy.shared_caps:
            decl = next(c for c in self.file.shared_caps if c.name.text == plan.name)
            quoted = "".join(f"“{q.text}”" for q in decl.quotes)
            members = "、".join(plan.members)
            order = _SHARE_ORDER_WORDS.get(plan.order, plan.order)
            facts.append(Fact("合计封顶", md(f"{plan.name}：{quoted}（{members}，{order}）")))
        for choice in self.policy.choices:  # which rules, as the shared caps say theirs
            members = "、".join(choice.members)
            which = choice_way(self._rule_kind(choice.members[0]))[0]
            facts.append(Fact("不重复", md(f"“{choice.quote}”（{members}，只按{which}的一项）")))
        if not self.file.conventions and counts_durations(self.policy):
            words = MISSING_DAY_WORDS[self.policy.conventions.get("missing_day", "month_end")]
            facts.append(Fact("期间计算", md(f"{words}（本政策未另行声明）")))
        facts += [
            Fact("解释单位", self.unit_link(h.interpreted_by.text) if h.interpreted_by else "—"),
            Fact("替代文件", self.replaces()),
            Fact("来文", self.source_text()),
            Fact("规则文件", link(self.file_name(), self.source_page)),
        ]
        return tuple(facts)

    def _rule_kind(self, name: str) -> str:
        """The `kind` of the rule named `name` ("" for none)."""
        return next((r.kind or "" for _, r in self.file.all_rules() if r.name.text == name), "")

    def summary(self) -> str:
        """4 部分 · 17 条 · 34 项规则 · …: what the page holds, counted."""
        clauses = list(self.file.all_clauses())
        tasks = sum(1 for c in clauses if c.kind == "task")
        # The document's own word for its sections (第二章 → 章) when they all share one.
        words = {own_label(s)[len(f"第{s.number}") :] or "部分" for s in self.file.sections}
        counts = [
            (len(self.file.sections), words.pop() if len(words) == 1 else "部分"),
            (len(clauses) - tasks, "条"),
            (tasks, "项任务"),
            (self.rule_count, "项规则"),
            (len(self.file.readings), "处读法"),
            (len(self.file.repairs), "处来文修正"),
        ]
        return " · ".join(f"{count} {what}" for count, what in counts if count)

    def coverage_text(self) -> str:
        """How much of the received text is restated or set aside (policyc check --coverage): a
        drafter's figure, folded on the page."""
        covered = coverage(self.policy)
        if not covered.total:
            return ""
        return f"来文覆盖 {covered.covered}/{covered.total} 句（{covered.percent:.1f}%）"

    # -- declarations --
    def input_view(self, decl: n.InputDecl) -> InputView:
        t = decl.type
        if t.kind == "bool":
            type_text = "是/否"
        elif t.kind == "date":
            type_text = "日期"
        elif t.kind == "series":
            type_text = f"{md(t.name)}（逐日序列）"
        elif t.by:
            type_text = f"{md(t.name)}，按{link(t.by, f'#enum-{t.by}')}分列"
        elif t.name in self.policy.enums:
            type_text = link(t.name, f"#enum-{t.name}")
        else:
            type_text = f"数量（{md(t.name)}）"
        if decl.presence == "optional":
            presence = "可选（未填时相关规则为“无法判定”）"
        elif decl.presence == "default":
            value = decl.default
            shown = self.expr(value) if isinstance(value, n.Expr) else md(str(value))
            presence = f"默认 {shown}"
        else:
            presence = "必填"
        if decl.name.text in self.policy.people.member_inputs:
            # Each member's value: a member's missing value is its default where one is declared
            # (默认 0元), else the rules that read it wait for it (无法判定).
            missing = presence if decl.presence == "default" else "未填时相关规则为“无法判定”"
            presence = f"按成员填写（{missing}）"
        type_text += people_words(self.policy.people, decl.name.text)
        return InputView(md(decl.name.text), type_text, presence, md(decl.description) or "—")

    def reading(self, decl: n.ReadingDecl) -> ReadingView:
        name = decl.name.text
        return ReadingView(
            name=md(name),
            anchor=f"reading-{name}",
            question=md(decl.question),
            options=tuple((md(o.name), md(o.text), o.name == decl.take.text) for o in decl.options),
            take=md(decl.take.text),
            because=md(decl.because),
            used_by=tuple(self.reading_users.get(name, ())),
            source=self.source_link(decl.span.line),
        )

    def build(self) -> PolicyPage:
        h = self.header
        for role, name in (*(("发文单位", i) for i in h.issuers), ("解释单位", h.interpreted_by)):
            if name is not None:
                self.note_unit(self.unit_name(name.text), role, "", self.page)
        # Sections and free clauses in document order (the AST keeps them in two lists).
        items: list[n.Section | n.Clause] = [*self.file.sections, *self.file.clauses]
        parts: list[SectionView | TopClause] = [
            self.section(item) if isinstance(item, n.Section) else TopClause(self.clause(item))
            for item in sorted(items, key=lambda item: item.span.line)
        ]
        decides = sorted(
            (d for d in self.file.all_defines() if d.decided), key=lambda d: d.span.line
        )
        # Readings and procedures last: their "used by" lists fill while the rules are built.
        return PolicyPage(
            page=self.page,
            nav_title=h.number,
            number=md(h.number),
            title=md(h.title),
            header=self.header_facts(),
            decides=tuple(self.decide(d) for d in decides),
            readings=tuple(self.reading(r) for r in self.file.readings),
            repairs=tuple(
                RepairView(
                    md(r.name.text),
                    r.line,
                    md(r.received),
                    md(r.corrected),
                    md(r.because),
                    self.received_href(r.line),
                )
                for r in sorted(self.file.repairs, key=lambda r: r.line)
            ),
            inputs=tuple(self.input_view(d) for d in self.file.inputs),
            group=group_view(self.file),
            enums=tuple(
                EnumView(
                    md(e.name.text),
                    f"enum-{e.name.text}",
                    tuple((md(m.label), md(m.description)) for m in e.members),
                    self.enum_order(e.name.text) if e.ordered else "",
                )
                for e in self.file.enums
            ),
            tables=tuple(
                self.table_block(t, anchor=f"table-{t.name.text}") for t in self.file.tables
            ),
            defines=tuple(self.define(d) for d in self.file.defines if not d.decided),
            procedures=tuple(self.procedure(p) for p in self.file.procedures),
            parts=tuple(parts),
            asides=tuple(
                AsideView(self.quote(n.Quote(a.text, a.span), ("未列为规则", "asides")), md(a.why))
                for a in sorted(self.file.asides, key=lambda a: a.span.line)
            ),
            source_page=self.source_page,
            gazette_page=self.gazette_page,
            summary=self.summary(),
            coverage=self.coverage_text(),
        )

    # -- the pages beside the policy's own --
    def source(self) -> SourcePage:
        text = self.policy.text
        longest = max((len(run) for run in re.findall("`+", text)), default=0)
        gazette = link("来文", f"../{self.gazette_page}") if self.gazette_page else ""
        return SourcePage(
            page=self.source_page,
            file_name=md(self.file_name()),
            document=link(f"{self.header.number} {self.header.title}".strip(), f"../{self.page}"),
            gazette=gazette,
            fence="`" * max(3, longest + 1),
            text=text if text.endswith("\n") else text + "\n",
        )

    def gazette(self) -> GazettePage | None:
        if not self.gazette_page:
            return None
        h = self.header
        fixes: dict[int, list[str]] = {}
        for r in self.file.repairs:
            fixes.setdefault(r.line, []).append(
                f"来文修正：“{md(r.received)}”应为“{md(r.corrected)}”（{md(r.because)}）"
            )
        lines = tuple(
            GazetteLine(
                number=number,
                text=md(text.strip()),
                quoted_by=tuple(self.quoted_by.get(number, ())),
                repairs=tuple(fixes.get(number, ())),
            )
            for number, text in sorted(self.received.items())
        )
        shown = h.source_file if not Path(h.source_file).is_absolute() else Path(h.source_file).name
        return GazettePage(
            page=self.gazette_page,
            number=md(h.number),
            title=md(h.title),
            document=link(f"{h.number} {h.title}".strip(), f"../{self.page}"),
            source=link(self.file_name(), f"../{self.source_page}"),
            file_name=f"`{shown.replace('`', '')}`",
            first=h.source_first_line,
            last=h.source_last_line,
            lines=lines,
        )

    def card(self, page: PolicyPage) -> DocumentCard:
        h = self.header
        facts = [
            Fact("发文单位", self.issuer_links()),
            Fact("发布日期", h.issued.isoformat() if h.issued else "—"),
            Fact("有效期", self.validity()),
        ]
        if h.interpreted_by is not None:
            facts.append(Fact("解释单位", self.unit_link(h.interpreted_by.text)))
        if h.replaces:
            facts.append(Fact("替代文件", self.replaces()))
        links = [link("条款", self.page), link("规则文件", self.source_page)]
        if self.gazette_page:
            links.append(link("来文", self.gazette_page))
        return DocumentCard(
            number=link(h.number, self.page),
            title=md(h.title),
            facts=tuple(facts),
            summary=page.summary,
            links=" · ".join(links),
        )


def _decide_period(define: n.Define) -> str:
    """What a citizen reads of `decide … per 月` / `per 年`: whose period the value is."""
    word = PERIOD_WORDS.get(define.period.text) if define.period is not None else None
    if word == "month":
        return "每月的值；按年计算的案例逐月判定"
    if word == "year":
        return "每年的值；按月计算的案例按所在年度判定"
    return ""


# How a `choose highest of …` is worded on the site, by the way its rules' money goes
# (compiler/checked.py `amount_flow`; a choice's rules are alike in kind): which one counts,
# and what is not done twice. A charge is collected, a fine imposed, a loan lent, a waiver
# granted — only money paid is 给予 … 享受.
_CHOICE_WORDS = {
    "paid": ("金额最高", "给予", "享受"),
    "waived": ("减免金额最高", "减免", "减免"),
    "lent": ("可贷额度最高", "贷款", "贷款"),
    "charge": ("金额最高", "收取", "收取"),
    "penalty": ("最重", "处罚", "处罚"),
    "": ("数额最高", "适用", "适用"),  # no flow: a figure, not money that goes one way
}
# The payable kind that is a charge, not a penalty (罚款, 罚金, 滞纳金, 没收 are imposed).
_CHARGE_KINDS = frozenset({"收费标准"})


def choice_way(kind: str) -> tuple[str, str, str]:
    """(which counts, the verb, what is not repeated) of a choice among rules of `kind`:
    ("金额最高", "给予", "享受") for money paid, ("最重", "处罚", "处罚") for a fine,
    ("金额最高", "收取", "收取") for a charge, ("减免金额最高", "减免", "减免") for a waiver,
    ("可贷额度最高", "贷款", "贷款") for a loan, ("数额最高", "适用", "适用") for a kind with no
    flow."""
    from policyc.compiler.checked import amount_flow

    flow = amount_flow(kind)
    if flow == "payable":
        flow = "charge" if kind in _CHARGE_KINDS else "penalty"
    return _CHOICE_WORDS.get(flow, _CHOICE_WORDS[""])


def choice_words(kind: str, members: tuple[str, ...]) -> str:
    """A `choose highest of …` in the citizen's words, by its rules' flow (`choice_way`): a fine
    is the heaviest tier, a benefit the highest one, a waiver the largest, a loan the highest
    limit; a tie goes to the first listed (runtime/choices.py)."""
    listed = "、".join(members)
    which, verb, repeat = choice_way(kind)
    tie = "一样重的" if which == "最重" else f"{which.removesuffix('最高')}相同的"
    return (
        f"同时符合以下多项的，只按{which}的一项{verb}，不重复{repeat}：{listed}"
        f"（{tie}，按所列第一项）"
    )
