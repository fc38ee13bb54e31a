"""Every amount a policy states, for the amounts index: each rule's amount, tier, year and table
value, cap and limit, and each fund, with the clause and rule it belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.render import range_words
from policyc.compiler.site.layout import (
    cap_words,
    part_anchor,
    part_heading_alone,
    unique,
    years,
)
from policyc.compiler.site.markdown import link, md
from policyc.compiler.site.policy_text import PolicyText, per_measure
from policyc.compiler.site.views import AmountGroup, AmountRow
from policyc.runtime.quantity import MeasureError, Quantity
from policyc.runtime.quantity_format import format_quantity


class PolicyAmounts(PolicyText):
    """Adds the amounts index to `PolicyText`: rows collect while the page is built."""

    def add_amount(
        self, owner: n.Section | n.Clause, rule: str, item: str, value: str, note: str
    ) -> None:
        part = link(part_heading_alone(owner), f"{self.page}#{part_anchor(owner)}")
        rule_link = link(rule, f"{self.page}#rule-{rule}") if rule else "—"
        self.amounts.append(AmountRow(part, rule_link, item, value, note or "—"))

    def rule_amounts(self, owner: n.Section | n.Clause, rule: n.Rule, exprs: list[n.Expr]) -> None:
        """Every amount a rule states: the amount, each tier, year and table value, the cap and
        the limits. Links point at the policy's page: the index is another page."""
        page, name = self.page, rule.name.text

        def add(item: str, value: str, note: str = "") -> None:
            self.add_amount(owner, name, item, value, note)

        if isinstance(rule.amount, n.Unspecified):
            add("金额未规定", "金额未规定", md(rule.amount.text))
        elif rule.amount is not None:
            what = [md(rule.kind)] if rule.kind else []
            what += [f"对象：{md(rule.beneficiary)}"] if rule.beneficiary else []
            what += ["一次性"] if rule.once is not None else []
            add("金额", self.expr(rule.amount, page), "；".join(what))
        elif rule.amount_range is not None:  # 处500元以上800元以下罚款
            what = [md(rule.kind)] if rule.kind else []
            what += [f"对象：{md(rule.beneficiary)}"] if rule.beneficiary else []
            add(
                "金额幅度",
                range_words(rule.amount_range, lambda e: self.expr(e, page)),
                "；".join(what),
            )
            for item, value, applies in self.range_amounts(rule.amount_range):
                add(item, value, f"适用：{applies}" if applies else "")
        for item, value, note, applies in self.branch_amounts(exprs):
            add(item, value, f"{note}（适用：{applies}）" if applies else note)
        for item, value, note in self.bound_amounts(rule):
            add(item, value, note)
        if rule.cap is not None:
            # 每日最高20元（停放时长每满24小时为一日…）
            add("封顶", cap_words(rule.cap, self.expr(rule.cap.amount, page)))
        for limit in rule.limits:
            text = f"：{md(limit.text)}" if limit.text else ""
            add(
                "限额",
                self.expr(limit.amount, page),
                f"{md(limit.name.text)}{text}（所述限额，非本市支付）",
            )

    def range_amounts(self, bounds: n.AmountRange) -> list[tuple[str, str, str]]:
        """The sums a range's ends write, each once: (item, value, the `if` branches it applies
        under) — 幅度下限 500元, 幅度上限 800元 (若…), a price per measure (100元/平方米), and a
        sum a `min()` holds the end to, 最高 2万元 (最高不超过2万元)."""
        page = self.page
        rows: dict[tuple[str, str, str], None] = {}
        for word, end in (("幅度下限", bounds.low), ("幅度上限", bounds.high)):
            nodes = list(self._walk_branches(end, (), page))
            most = {
                id(arg)
                for node, _ in nodes
                if isinstance(node, n.Call) and node.func == "min"
                for arg in node.args
            }
            for node, branches in nodes:
                if not isinstance(node, n.QuantityLit):
                    continue
                if not (_is_money(node) or ("/" in node.measure and _is_money_rate(node))):
                    continue
                # a maximum holds in whichever branch it is written: stated once, unconditioned
                item, where = ("最高", "") if id(node) in most else (word, "；".join(branches))
                rows[(item, self.expr(node, page), where)] = None
        return list(rows)

    def decide_amounts(self, define: n.Define) -> None:
        """The sums of money a decision yields, each with the branch it applies under: worked
        out where its expression is literals, `if`s and arithmetic (`(if 双方缴存 then 80 万元
        else 60 万元) × (if 多子女家庭 then 120% else 100%)`: 96万、80万、72万、60万), else the
        sums it writes (`if 年满80周岁 then 400 元 else 300 元`) but for a rounding step and a
        floor of nothing (`round(…, 1000 元, down)`, `max(…, 0 元)`: no case receives them);
        and its tier, year and table values."""
        page, name = self.page, define.name.text
        where = link(f"判定：{name}", f"{page}#decide-{name}")
        seen: set[tuple[str, str]] = set()

        def put(value: str, branches: Sequence[str]) -> None:
            applies = "；".join(branches)
            if (value, applies) not in seen:
                seen.add((value, applies))
                note = f"适用：{applies}" if applies else md(define.description) or "—"
                self.amounts.append(AmountRow("—", where, "判定中的金额", value, note))

        outcomes = self._outcomes(define.expr, (), page)
        if outcomes is not None and any(_is_money_quantity(q) for q, _ in outcomes):
            for outcome, branches in outcomes:
                put(format_quantity(outcome), branches)
        else:
            skipped = _not_received(define.expr)
            for node, branches in self._walk_branches(define.expr, (), page):
                if isinstance(node, n.QuantityLit) and _is_money(node) and id(node) not in skipped:
                    put(self.expr(node, page), branches)
        for item, value, note, applies in self.branch_amounts([define.expr]):
            note = f"{note}（适用：{applies}）" if applies else note
            self.amounts.append(AmountRow("—", where, item, value, note or "—"))

    def _outcomes(
        self, expr: n.Expr, branches: tuple[str, ...], page: str
    ) -> list[tuple[Quantity, tuple[str, ...]]] | None:
        """Each value an expression of literals, `if`s, `+ - ×` and `of` takes, with the
        branches (in words) it takes it under; None for any other expression (one that reads
        an input: its values are the case's) or past _MOST_OUTCOMES."""
        if isinstance(expr, n.QuantityLit):
            try:
                return [(Quantity.of(expr.number, expr.measure), branches)]
            except MeasureError:
                return None
        if isinstance(expr, n.PercentLit):
            return [(Quantity.ratio(expr.number), branches)]
        if isinstance(expr, n.If):
            then = self._outcomes(expr.then, (*branches, self.branch(expr.cond, True, page)), page)
            other = self._outcomes(
                expr.otherwise, (*branches, self.branch(expr.cond, False, page)), page
            )
            return None if then is None or other is None else then + other
        pair = (
            (expr.left, expr.right, expr.op)
            if isinstance(expr, n.Arith)
            else (expr.base, expr.ratio, "×")
            if isinstance(expr, n.Of)
            else None
        )
        if pair is None:
            return None
        left = self._outcomes(pair[0], branches, page)
        if left is None:
            return None
        found: list[tuple[Quantity, tuple[str, ...]]] = []
        for a, a_branches in left:
            right = self._outcomes(pair[1], a_branches, page)
            if right is None:
                return None
            for b, b_branches in right:
                try:
                    value = a * b if pair[2] == "×" else a + b if pair[2] == "+" else a - b
                except MeasureError:
                    return None
                found.append((value, b_branches))
        return found if len(found) <= _MOST_OUTCOMES else None

    def bound_amounts(self, rule: n.Rule) -> list[tuple[str, str, str]]:
        """The least (most) sum a rule pays, where a condition it requires compares what it
        pays with a sum of money (`define 达到最低额度 = 贷款额度 不低于 5 万元`, read through the
        defines its `when`s name): (最低金额 or 最高金额, the sum, the condition in words)."""
        if not isinstance(rule.amount, n.Expr):
            return []
        paid = {node.name for node in n.walk(rule.amount) if isinstance(node, n.Ref)}
        if isinstance(rule.amount, n.Ref):
            paid.add(rule.amount.name)
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        todo = list(rule.whens)
        while todo:
            for node in n.walk(todo.pop()):
                if isinstance(node, n.Ref) and node.name not in seen:
                    define = self.policy.defines.get(node.name)
                    if define is not None and not define.decided:
                        seen.add(node.name)
                        todo.append(define.expr)
                if not isinstance(node, n.Compare) or node.op not in _LOWER_BOUND:
                    continue
                for ours, other, flipped in (
                    (node.left, node.right, False),
                    (node.right, node.left, True),
                ):
                    if not (isinstance(ours, n.Ref) and ours.name in paid):
                        continue
                    if isinstance(other, n.QuantityLit) and _is_money(other):
                        lower = _LOWER_BOUND[node.op] != flipped
                        item = "最低金额" if lower else "最高金额"
                        rows.append(
                            (
                                item,
                                self.expr(other, self.page),
                                f"条件：{self.expr(node, self.page)}",
                            )
                        )
        return rows

    def branch_amounts(self, exprs: Sequence[n.Expr]) -> list[tuple[str, str, str, str]]:
        """The tier, year and table values in a rule's expressions: (item, value, note, the
        `if` branches it applies under). A value written alike in several branches (tier tables
        that differ only in their mode) is listed once, with its branches, or none if it stands
        in every branch where values of its kind do."""
        page = self.page
        found: dict[tuple[str, str, str], list[tuple[str, ...]]] = {}
        contexts: dict[str, set[tuple[str, ...]]] = {}

        def put(item: str, value: str, note: str, branches: tuple[str, ...]) -> None:
            found.setdefault((item, value, note), []).append(branches)
            contexts.setdefault(item, set()).add(branches)

        for root in exprs:
            for node, branches in self._walk_branches(root, (), page):
                if isinstance(node, n.Tiers):
                    for i, row in enumerate(node.rows, start=1):
                        threshold = self.threshold(row.threshold, page)
                        amount = self.expr(row.amount, page)
                        put("档次金额", amount, f"第{i}档：{threshold}", branches)
                elif isinstance(node, n.Progressive):
                    for i, band in enumerate(node.bands, start=1):
                        edge = self.threshold(band.threshold, page)
                        rate = self.expr(band.rate, page)
                        put(_band_word(band.rate), rate, f"第{i}段：{edge}", branches)
                elif isinstance(node, n.Dated):
                    for drow in node.rows:
                        note = f"自{drow.start.isoformat()}起" + (
                            f"（{md(drow.source)}）" if drow.source else ""
                        )
                        put("按日期的标准", self.expr(drow.value, page), note, branches)
                elif isinstance(node, n.Schedule):
                    for srow in node.rows:
                        amount = self.expr(srow.amount, page)
                        put("年度金额", amount, years(srow.first, srow.last), branches)
                elif isinstance(node, (n.Ref, n.Index)) and node.name in self.policy.tables:
                    self.tables_used.add(node.name)
                    for members, cell in self.policy.tables[node.name].cells():
                        if isinstance(node, n.Index) and _not_read(self.policy, node, members):
                            continue
                        key = "·".join((self.name_link(node.name, page), *map(md, members)))
                        put("标准表", self.expr(cell, page), key, branches)
        result: list[tuple[str, str, str, str]] = []
        for (item, value, note), where in found.items():
            distinct = unique("；".join(b) for b in where)
            if set(where) == contexts[item] or "" in distinct:
                applies = ""  # in every branch (or outside any): no condition to state
            else:
                applies = "，或".join(distinct)
            result.append((item, value, note, applies))
        return result

    def unused_table_amounts(self) -> list[AmountRow]:
        rows: list[AmountRow] = []
        for table in self.file.tables:
            if table.name.text in self.tables_used:
                continue
            for members, value in table.cells():
                key = "·".join((self.name_link(table.name.text, self.page), *map(md, members)))
                rows.append(AmountRow("—", "—", "标准表", self.expr(value, self.page), key))
        return rows

    def amount_group(self) -> AmountGroup:
        rows = (*self.amounts, *self.unused_table_amounts())
        anchor = f"amounts-{self.page.removesuffix('.md')}"
        return AmountGroup(
            number=md(self.header.number),
            title=md(self.header.title),
            page=link(self.header.number, self.page),
            anchor=anchor,
            jump=link(self.header.number, f"#{anchor}"),
            rows=rows,
            unspecified=sum(1 for r in rows if r.item == "金额未规定"),
        )


_MOST_OUTCOMES = 16  # values a decision's branches may take before it is listed by its literals
# A comparison's operator → whether its right side bounds its left from below (贷款额度 不低于
# 5万元: a least sum); the others (== !=) bound nothing.
_LOWER_BOUND = {"ge": True, "gt": True, "le": False, "lt": False}


def _is_money_quantity(q: Quantity) -> bool:
    from policyc.compiler.checked import MONEY_DIMS

    return q.dims in MONEY_DIMS


def _not_received(expr: n.Expr) -> set[int]:
    """The sums in `expr` no case receives: a rounding's step (`round(x, 1000 元, down)`) and a
    floor of nothing (`max(x, 0 元)`: it keeps an amount from going below zero)."""
    found: set[int] = set()
    for node in n.walk(expr):
        if isinstance(node, n.Call) and node.func == "round" and len(node.args) > 1:
            found.add(id(node.args[1]))
        if isinstance(node, n.Call) and node.func == "max":
            found.update(
                id(arg)
                for arg in node.args
                if isinstance(arg, n.QuantityLit) and Decimal(arg.number.replace(",", "")) == 0
            )
    return found


def _band_word(rate: n.Expr) -> str:
    """What a progressive band's rate is called: 分段比例 for a percentage (3%), 分段单价 for a
    price per measure (3.45 元/吨, 3.45 元/立方米 - 1.36 元/立方米), else 分段标准."""
    if isinstance(rate, n.PercentLit):
        return "分段比例"
    if per_measure(rate):
        return "分段单价"
    return "分段标准"


def _is_money(node: n.QuantityLit) -> bool:
    return _money_measure(node.measure)


def _money_measure(measure: str) -> bool:
    from policyc.compiler.checked import MONEY_DIMS
    from policyc.runtime.quantity import MeasureError, parse_measure

    try:
        return parse_measure(measure).dims in MONEY_DIMS
    except MeasureError:
        return False


def _is_money_rate(node: n.QuantityLit) -> bool:
    """Whether a literal is a sum of money per measure: 100 元/平方米, 3.45 元/立方米."""
    head = node.measure.split("/", 1)[0].strip()
    return bool(head) and _money_measure(head)


def _not_read(policy: Any, node: n.Index, members: tuple[str, ...]) -> bool:
    """Whether a table's row (its `members`, one per enum) is one `node` never reads: a key that
    names a member other than the row's (`T[本科, 档]` never reads 硕士研究生's rows)."""
    from policyc.compiler.table_keys import key_reads

    return any(
        not reads and key != member
        for (key, reads), member in zip(key_reads(policy, node), members, strict=False)
    )
