"""The text of one policy's page: names and expressions as linked Markdown, quotes with their
line in the received text, and the tables drawn from tiers, schedules, tables and condition lists.
`PolicyText` is the base of the page builder (`policy_view.PolicyView`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

from policyc.compiler import nodes as n
from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.render import render, render_reference, render_target, render_threshold
from policyc.compiler.site import charts
from policyc.compiler.site.layout import (
    ASSETS_DIR,
    GAZETTE_DIR,
    SOURCE_DIR,
    SOURCE_LINE_ANCHOR,
    SiteLinks,
    page_name,
    read_received,
    squeeze,
    years,
)
from policyc.compiler.site.markdown import link, md
from policyc.compiler.site.progressive_chart import progressive_chart
from policyc.compiler.site.views import (
    AmountRow,
    Block,
    QuoteView,
    TargetView,
    UnitRef,
    WorkedExample,
)

TIER_MODES = {
    "highest": "取达到的最高一档的金额（只计一档）。",
    "each": "达到的各档金额相加。",
    "highest_new": "取本次达到的最高一档的金额；以往最高值（{prior}）已达到该档的，不再给予。",
    "each_new": "本次达到、而以往最高值（{prior}）未达到的各档金额相加（每档只给一次）。",
}


class PolicyText:
    """Builds the page of one policy; also records which units it names where, every amount it
    states (for the amounts index), and which of its parts quote which line of the received
    text (for the received-text page)."""

    def __init__(
        self, policy: CheckedPolicy, site: SiteLinks, examples: Sequence[WorkedExample] = ()
    ):
        self.policy = policy
        self.file = policy.file
        self.header = policy.header
        self.page = page_name(policy)
        self.stem = self.page.removesuffix(".md")
        self.source_page = f"{SOURCE_DIR}/{self.page}"
        self.received = read_received(policy)
        self.gazette_page = f"{GAZETTE_DIR}/{self.page}" if self.received else ""
        self.site = site
        self.pages_by_number = site.pages
        self.unit_refs: list[tuple[str, UnitRef]] = []  # canonical unit name, where
        self.reading_users: dict[str, list[str]] = {name: [] for name in policy.readings}
        self.procedure_users: dict[str, list[str]] = {name: [] for name in policy.procedures}
        self.amounts: list[AmountRow] = []
        self.tables_used: set[str] = set()
        self.quoted_by: dict[int, list[str]] = {}  # received line -> links (from gazette/)
        self.rule_count = 0
        self.examples = tuple(examples)
        self.charts: dict[str, str] = {}  # assets/charts/<stem>-N.svg -> the SVG

    # -- names and expressions --
    def unit_name(self, written: str) -> str:
        unit = self.policy.registry.resolve(written)
        return unit.name if unit is not None else written

    def unit_link(self, written: str) -> str:
        name = self.unit_name(written)
        if name not in self.site.units:
            return md(name)  # unresolved names do not pass `check`; never link to nothing
        return link(name, self.site.units[name])

    def source_link(self, line: int, text: str = "") -> str:
        """A link to a line of the policy file (its page under source/)."""
        anchor = SOURCE_LINE_ANCHOR.format(line=line)
        return link(text or f"规则文件第{line}行", f"{self.source_page}#{anchor}")

    def received_href(self, line: int | None) -> str:
        if line is None or not self.gazette_page or line not in self.received:
            return ""
        return f"{self.gazette_page}#L{line}"

    def name_link(self, name: str, page: str = "") -> str:
        """A name in an expression: a link to its define, decision or table. `page` is the
        policy's page when the link is made from another page (the amounts index)."""
        define = self.policy.defines.get(name)
        if define is not None:
            kind = "decide" if define.decided else "define"
            return link(name, f"{page}#{kind}-{name}")
        if name in self.policy.tables:
            return link(name, f"{page}#table-{name}")
        return md(name)

    def _linked(self, produce: Callable[[Callable[[str], str]], str], page: str = "") -> str:
        # Names become links; they go through placeholders so escaping the text around them
        # leaves the link syntax intact.
        links: list[str] = []

        def ref(name: str) -> str:
            links.append(self.name_link(name, page))
            return f"\x00{len(links) - 1}\x00"

        return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], md(produce(ref)))

    def expr(self, expr: n.Expr, page: str = "") -> str:
        return self._linked(lambda ref: render(expr, ref), page)

    def threshold(self, threshold: n.Threshold, page: str = "") -> str:
        return self._linked(lambda ref: render_threshold(threshold, ref), page)

    def reference(self, reference: n.Reference) -> str:
        """`refers`: a link to the document's page and part when it is published here."""
        text = render_reference(reference)
        if reference.outside:  # a document this site does not publish: named, never linked
            return md(text + "（本站未收录）")
        page = self.site.pages.get(reference.document)
        if page is None:
            return md(text)
        anchor = f"{reference.kind}-{reference.number}" if reference.kind else ""
        if anchor not in self.site.anchors.get(reference.document, frozenset()):
            return link(text, page)  # the whole document (a missing part fails `check`)
        return link(text, f"#{anchor}" if page == self.page else f"{page}#{anchor}")

    def target(self, target: n.Target) -> TargetView:
        return TargetView(
            md(target.name.text),
            md(render_target(target)),
            md(target.description) or "—",
            tuple(self.quote(q) for q in target.quotes),
        )

    def quote(self, quote: n.Quote, where: tuple[str, str] | None = None) -> QuoteView:
        """A quoted sentence, its line in the received text and the repairs made inside it.
        `where` (text, anchor on this page) is noted on that line of the received-text page."""
        line = self.policy.quote_line(quote)
        squeezed = squeeze(quote.text)
        repairs = tuple(
            f"第{r.line}行来文“{md(r.received)}”应为“{md(r.corrected)}”：{md(r.because)}"
            for r in self.file.repairs
            if squeeze(r.received)
            and squeeze(r.received) in squeezed
            and (line is None or r.line >= line)
        )
        href = self.received_href(line)
        if where is not None and line is not None and href:
            back = link(where[0], f"../{self.page}#{where[1]}")
            users = self.quoted_by.setdefault(line, [])
            if back not in users:
                users.append(back)
        return QuoteView(md(quote.text), line, repairs, href)

    # -- blocks --
    def blocks(self, exprs: Iterable[n.Expr]) -> tuple[Block, ...]:
        found: list[Block] = []
        seen_tables: set[str] = set()
        for root in exprs:
            for node, branches in self._walk_branches(root, ()):
                block: Block | None = None
                if isinstance(node, n.Tiers):
                    block = self.tiers_block(node)
                elif isinstance(node, n.Schedule):
                    block = self.schedule_block(node)
                elif isinstance(node, n.Progressive):
                    block = self.progressive_block(node)
                elif isinstance(node, n.Dated):
                    block = self.dated_block(node)
                elif isinstance(node, (n.AnyOf, n.AllOf)):
                    block = self.list_block(node)
                elif (
                    isinstance(node, (n.Ref, n.Index))
                    and node.name in self.policy.tables
                    and node.name not in seen_tables
                ):
                    seen_tables.add(node.name)
                    key = "、".join(node.keys) if isinstance(node, n.Index) else None
                    block = self.table_block(self.policy.tables[node.name], key)
                if block is not None and branches:
                    # Inside `if … then … else`: say when this table applies, or two tier tables
                    # that differ only in mode would look alike.
                    applies = f"*适用*：{'；'.join(branches)}"
                    block = attrs.evolve(block, notes=(applies, *block.notes))
                if block is not None:
                    found.append(block)
        return _each_chart_once(found)

    def _walk_branches(
        self, expr: n.Expr, branches: tuple[str, ...], page: str = ""
    ) -> Iterator[tuple[n.Expr, tuple[str, ...]]]:
        """`nodes.walk`, with the `if` branches each node sits in, in words."""
        yield expr, branches
        if isinstance(expr, n.If):
            yield from self._walk_branches(expr.cond, branches, page)
            yield from self._walk_branches(
                expr.then, (*branches, self.branch(expr.cond, True, page)), page
            )
            yield from self._walk_branches(
                expr.otherwise, (*branches, self.branch(expr.cond, False, page)), page
            )
            return
        for child in expr.child_nodes():
            yield from self._walk_branches(child, branches, page)

    def branch(self, cond: n.Expr, holds: bool, page: str = "") -> str:
        if isinstance(cond, n.ReadingIs):
            decl = self.policy.readings.get(cond.reading)
            active = (decl is not None and decl.take.text == cond.option) == holds
            word = "取" if holds else "不取"
            status = "现采用" if active else "现未采用"
            name = link(cond.reading, f"{page}#reading-{cond.reading}")
            return f"读法{name}{word}“{md(cond.option)}”时（{status}）"
        text = self.expr(cond, page)
        return f"{text}时" if holds else f"并非“{text}”时"

    def chart_file(self, svg: str | None) -> str:
        """Where a chart goes (one file per distinct drawing), or "" for no chart."""
        if svg is None:
            return ""
        for path, drawn in self.charts.items():
            if drawn == svg:
                return path
        path = f"{ASSETS_DIR}/charts/{self.stem}-{len(self.charts) + 1}.svg"
        self.charts[path] = svg
        return path

    def tiers_block(self, tiers: n.Tiers) -> Block:
        prior = self.expr(tiers.prior) if tiers.prior is not None else "—"
        mode = TIER_MODES[tiers.mode].format(prior=prior)
        # The mode as written too: the documents leave it open, so the policy had to choose.
        since = tiers.mode + (f" since {render(tiers.prior)}" if tiers.prior is not None else "")
        rows = tuple(
            (str(i), self.threshold(row.threshold), self.expr(row.amount))
            for i, row in enumerate(tiers.rows, start=1)
        )
        subject = render(tiers.subject)
        return Block(
            kind="table",
            caption=f"**档次表**（按{self.expr(tiers.subject)}分档）",
            notes=(f"**计法**（{md(since)}）：{mode}",),
            head=("档次", "门槛（边界）", "金额"),
            rows=rows,
            chart=self.chart_file(charts.tier_chart(tiers, subject, "金额")),
            chart_alt=md(f"档次图：金额随{subject}变化（实心点表示含本数）"),
        )

    def schedule_block(self, schedule: n.Schedule) -> Block:
        rows = tuple((years(r.first, r.last), self.expr(r.amount)) for r in schedule.rows)
        return Block(
            kind="table",
            caption=f"**年度表**（自{self.expr(schedule.anchor)}起按年度计）",
            notes=(
                "第1年自起算日起至满一周年的前一日止，以后各年类推；"
                "早于起算日或晚于最后一年的，不予给付。",
            ),
            head=("年度", "金额"),
            rows=rows,
            chart=self.chart_file(charts.schedule_chart(schedule, render(schedule.anchor))),
            chart_alt=md(f"年度图：自{render(schedule.anchor)}起各年度的金额"),
        )

    def progressive_block(self, scale: n.Progressive) -> Block:
        """分段表: each band in the document's words and its rate (runtime/scales.py)."""
        rows = tuple(
            (str(i), self.threshold(band.threshold), self.expr(band.rate))
            for i, band in enumerate(scale.bands, start=1)
        )
        # a price per measure (元/立方米 each band) is a 单价 applied to the band's quantity; a
        # percentage (or a plain ratio) a 比例 of the band's part
        priced = any(per_measure(band.rate) for band in scale.bands)
        word, part = ("单价", "该段的用量") if priced else ("比例", "落在该段内的部分")
        return Block(
            kind="table",
            caption=f"**分段表**（按{self.expr(scale.base)}分段累进）",
            notes=(
                f"**计法**：各段的{word}只适用于{part}，各段金额相加；"
                "恰好等于分界数的，归入用语包含该数的一段（两段用语都包含时归入前一段），"
                "金额不因归属而不同。",
            ),
            head=("段", "分界（边界）", word),
            rows=rows,
            chart=self.chart_file(progressive_chart(scale, render(scale.base))),
            chart_alt=md(f"分段图：金额随{render(scale.base)}变化（各段斜率为该段的{word}）"),
        )

    def dated_block(self, dated: n.Dated) -> Block:
        """The history of a value that changes on dates: each value, from when, set by what."""
        day = self.expr(dated.on) if dated.on is not None else "评估日"
        ends = [r.start for r in dated.rows[1:]]
        rows = tuple(
            (
                f"{row.start.isoformat()} 起"
                + (
                    f"，至 {(ends[i] - datetime.timedelta(days=1)).isoformat()}"
                    if i < len(ends)
                    else ""
                ),
                self.expr(row.value),
                md(row.source) or "—",
            )
            for i, row in enumerate(dated.rows)
        )
        return Block(
            kind="table",
            caption=f"**标准沿革**（按{day}适用当日有效的标准）",
            notes=(f"{dated.rows[0].start.isoformat()} 以前没有规定的标准，不予计算。",),
            head=("施行期间", "标准", "依据"),
            rows=rows,
        )

    def table_block(self, table: n.TableDecl, key: str | None = None, anchor: str = "") -> Block:
        if table.more_by:
            return self.two_way_block(table, key, anchor)
        by = table.by.text
        notes = (f"本规则取“{md(key)}”一项。",) if key is not None else ()
        # With an anchor the caption is the table's own heading; elsewhere it links there.
        if anchor:
            caption = f"{md(table.name.text)}（按{md(by)}）"
        else:
            caption = f"**标准表** {self.name_link(table.name.text)}（按{md(by)}）"
        return Block(
            kind="table",
            caption=caption,
            notes=notes,
            head=(md(by), "标准"),
            rows=tuple((md(member), self.expr(value)) for member, value in table.rows),
            anchor=anchor,
        )

    def two_way_block(self, table: n.TableDecl, key: str | None, anchor: str) -> Block:
        """A table by two enums as a two-way table: the first enum's members down, the second's
        across (学历 × 工作年限档); by more enums, one row per combination."""
        from policyc.compiler.table_keys import two_way

        by = "×".join(md(e) for e in table.enums)
        notes = (f"本规则按“{md(key)}”取值。",) if key is not None else ()
        if anchor:
            caption = f"{md(table.name.text)}（按{by}）"
        else:
            caption = f"**标准表** {self.name_link(table.name.text)}（按{by}）"
        if len(table.enums) == 2:
            columns, rows = two_way(table)
            head = (f"{md(table.enums[0])}＼{md(table.enums[1])}", *(md(c) for c in columns))
            cells = tuple(
                (md(first), *(self.expr(value) for value in values)) for first, values in rows
            )
        else:
            head = (*(md(e) for e in table.enums), "标准")
            cells = tuple(
                (*(md(k) for k in keys), self.expr(value)) for keys, value in table.cells()
            )
        return Block(
            kind="table", caption=caption, notes=notes, head=head, rows=cells, anchor=anchor
        )

    def list_block(self, node: n.AnyOf | n.AllOf) -> Block:
        head = (
            "**满足下列条件之一**：" if isinstance(node, n.AnyOf) else "**同时满足下列全部条件**："
        )
        items = tuple(f"**{md(item.label)}**：{self.expr(item.expr)}" for item in node.items)
        return Block(kind="list", caption=head, items=items)


def _each_chart_once(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """The blocks with each drawing shown once: a tier table repeated under several reading
    branches (每年 or once, 最高档 or each) often draws the same steps; the later tables say
    which chart above is theirs instead of repeating it."""
    shown: dict[str, int] = {}  # a drawing -> the 1-based number of the table that shows it
    kept: list[Block] = []
    for number, block in enumerate(blocks, start=1):
        if block.chart and block.chart in shown:
            note = f"图：与上文第{shown[block.chart]}张表的图相同，不再重画。"
            block = attrs.evolve(block, chart="", chart_alt="", notes=(*block.notes, note))
        elif block.chart:
            shown[block.chart] = number
        kept.append(block)
    return tuple(kept)


def per_measure(rate: n.Expr) -> bool:
    """Whether a rate is written as a price per measure: a quantity in 元/立方米 (or any `/`
    measure) anywhere in it, as in `3.45 元/立方米 - 1.36 元/立方米`."""
    return any(isinstance(node, n.QuantityLit) and "/" in node.measure for node in n.walk(rate))
