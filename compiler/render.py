"""Expressions as plain Chinese text, for the docs and for `--explain`.

One function per node type, chosen through a table (as sqlglot's generator does). Boundary words
are spelled out with whether they include the stated number (民法典 art. 1259).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from policyc.compiler import nodes as n
from policyc.compiler.calendar_checks import working_days
from policyc.runtime.calendar_terms import crossing, show_month_day

INCLUSIVE = {"ge": True, "le": True, "gt": False, "lt": False, "eq": True, "ne": False}
SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "ne": "≠"}
WORDS_AFTER = {"以上", "以下", "以内", "以外", "及以上", "及以下", "之前", "以前"}

RefRenderer = Callable[[str], str]

# The measure `count(…)` of the group's members is said in (`group 购置机具 counted 台`:
# 机具的台数), set for one policy's generated module or site pages by `counting`.
_COUNTED: ContextVar[str] = ContextVar("counted", default="人")


def counted_word() -> str:
    """The measure members are counted in where `counting` set it (人 elsewhere)."""
    return _COUNTED.get()


@contextmanager
def counting(measure: str) -> Iterator[None]:
    """Within: a count of members renders as `…的{measure}数` (人数, 台数)."""
    token = _COUNTED.set(measure)
    try:
        yield
    finally:
        _COUNTED.reset(token)


def each_scope(word: str) -> str:
    """`每{word}` as a cap or a `once` says it: 每月, 每人, 每户, 每企业, 每台 as the documents
    write them; a beneficiary's label a person holds with its measure word, 每名创业人员 (never
    每创业人员), an organisation's 每家用人单位."""
    from policyc.compiler.subjects import SUBJECTS

    if len(word) == 1 or word in SUBJECTS or not word.isidentifier():
        return f"每{word}"
    if word.endswith(("人员", "人", "者", "职工", "学生", "员")):
        return f"每名{word}"
    if word.endswith(("企业", "单位", "公司", "机构", "商户", "医院", "学校")):
        return f"每家{word}"
    return f"每{word}"


def _plain(name: str) -> str:
    return name


def render(expr: n.Expr, ref: RefRenderer = _plain) -> str:
    return _Renderer(ref).render(expr)


def render_operand(expr: n.Expr) -> str:
    """EXPR's words as an argument of a phrase (`min`'s 甲、乙中最小者): bracketed unless a
    name, a literal or a closed phrase — how `--explain` names the argument chosen."""
    text = render(expr)
    return f"({text})" if level_of(expr) < POSTFIX else text


def render_apply_by(applying: n.ApplyBy) -> str:
    """An applicant's deadline in words: 每月10日前申请（含当日，遇节假日顺延）,
    每月底前申请（含当日）, 2026年3月31日前申请（含当日）,
    事故发生日期起30日的对应日前申请（含当日）."""
    if applying.day is None:
        day = f"每月{applying.month_day}日" if applying.month_day else "每月底"
    elif isinstance(applying.day, n.DateLit):
        written = applying.day.value
        day = f"{written.year}年{written.month}月{written.day}日"
    else:
        day = render(applying.day)
    moved = "，遇节假日顺延" if applying.postponed else ""
    return f"{day}前申请（含当日{moved}）"


def render_range(bounds: n.AmountRange, ref: RefRenderer = _plain) -> str:
    """`套取金额的1倍至3倍` for `amount range 1 × 套取金额 to 3 × 套取金额` (multiples of one
    value), else `LOW至HIGH` (`range_words`)."""
    return range_words(bounds, lambda e: render(e, ref))


def range_words(bounds: n.AmountRange, words: Callable[[n.Expr], str]) -> str:
    """A range's words, each end written by `words` (plain or linked): `套取金额的1倍至3倍`
    (multiples of one value), else `LOW至HIGH`, an end bracketed unless a name, a literal or
    a closed phrase (as an `operand`) — `500元至(若从轻下限则500元，否则800元)`,
    `(100元/平方米 × 广告面积)至…` —, as 至 joins two values and a choice, a product or a phrase
    beside it would run on (`…× 广告面积至若从轻下限则…`)."""
    low, high = multiple_of(bounds.low), multiple_of(bounds.high)
    if low is not None and high is not None and low[1] == high[1]:
        value = words(low[1])
        if level_of(low[1]) < POSTFIX:  # `(A + B)的1倍至3倍`
            value = f"({value})"
        return f"{value}的{low[0]}倍至{high[0]}倍"

    def end(expr: n.Expr) -> str:
        text = words(expr)
        return f"({text})" if level_of(expr) < POSTFIX else text

    return f"{end(bounds.low)}至{end(bounds.high)}"


def multiple_of(expr: n.Expr) -> tuple[str, n.Expr] | None:
    """(N, X) for `N × X` with N a plain number (N倍 of X); else None."""
    if isinstance(expr, n.Arith) and expr.op == "×":
        number = expr.left
        if isinstance(number, n.QuantityLit) and not number.measure:
            return number.number, expr.right
    return None


def failed(cond: n.Expr, ref: RefRenderer = _plain) -> str:
    """The reason a `when` gives when it does not hold, in words a case worker reads as the
    reason: `条件不成立: 申请日期 >= 2026-03-01（含本数）`; a statement of what the case holds
    is negated rather than prefixed, `given(X)` failing is `案例未给出X` (not `条件不成立:
    案例给出了X`), `not given(X)` failing is `案例给出了X`, and `any(子女 where …)` failing is
    `条件不成立: 没有子女（…）`; `given(A) or given(B)` failing is `案例未给出A、B中的任何一项`.
    A condition that asks something not to hold says what holds instead, never a row of 并非
    read as the case's facts: `not A` failing is `「A」成立（此条要求其不成立）`, `not A and not B`
    failing is `「A」、「B」中至少一项成立（此条要求均不成立）`."""
    given = _given_of(cond)
    if given is not None:
        return f"案例未给出{render(given, ref)}"
    if isinstance(cond, n.Not) and (given := _given_of(cond.operand)) is not None:
        return f"案例给出了{render(given, ref)}"
    alternatives = _alternatives(cond)
    givens = [g for g in map(_given_of, alternatives) if g is not None]
    if len(alternatives) > 1 and len(givens) == len(alternatives):
        names = "、".join(render(g, ref) for g in givens)
        return f"案例未给出{names}中的任何一项"
    negated = _negations(cond)
    if negated is not None:
        return _held(negated, ref)
    text = render(cond, ref)
    is_any = isinstance(cond, (n.Aggregate, n.Call)) and cond.func == "any"
    return "条件不成立: " + ("没" + text if is_any and text.startswith("有") else text)


def _negations(cond: n.Expr) -> list[n.Expr] | None:
    """[A, B] for `not A and not B` (a `not` alone: [A]), else None. A `not given(X)` part is
    no statement to quote (failing, it is `案例给出了X`): None."""
    parts = _conjuncts(cond)
    if not all(isinstance(p, n.Not) and _given_of(p.operand) is None for p in parts):
        return None
    return [p.operand for p in parts if isinstance(p, n.Not)]


def _conjuncts(expr: n.Expr) -> list[n.Expr]:
    """The parts of `a and b and c` (the expression itself when it is no `and`)."""
    if isinstance(expr, n.And):
        return [*_conjuncts(expr.left), *_conjuncts(expr.right)]
    return [expr]


def _held(statements: list[n.Expr], ref: RefRenderer) -> str:
    """`「A」成立（此条要求其不成立）`, `「A」、「B」中至少一项成立（此条要求均不成立）`."""
    quoted = "、".join(f"「{render(s, ref)}」" for s in statements)
    if len(statements) == 1:
        return f"{quoted}成立（此条要求其不成立）"
    return f"{quoted}中至少一项成立（此条要求均不成立）"


def _alternatives(expr: n.Expr) -> list[n.Expr]:
    """The parts of `a or b or c` (the expression itself when it is no `or`)."""
    if isinstance(expr, n.Or):
        return [*_alternatives(expr.left), *_alternatives(expr.right)]
    return [expr]


def _given_of(expr: n.Expr) -> n.Expr | None:
    """X of `given(X)`, else None."""
    if isinstance(expr, n.Call) and expr.func == "given" and len(expr.args) == 1:
        return expr.args[0]
    return None


def render_threshold(threshold: n.Threshold, ref: RefRenderer = _plain) -> str:
    """`满3元（含本数）`, `3元以上（含本数）`, `≥ 3元（含本数）`: a boundary word is written against
    its value, so a value of arithmetic is bracketed (`满(a ÷ b（进一到分）)`), never `满a ÷ b`."""
    words = _Renderer(ref)
    if threshold.word in WORDS_AFTER:
        text = f"{words.operand(threshold.value)}{threshold.word}"
    elif threshold.word.isascii() or threshold.word in SYMBOLS.values():
        text = f"{SYMBOLS[threshold.op]} {words.render(threshold.value)}"
    else:
        text = f"{threshold.word}{words.operand(threshold.value)}"
    return f"{text}（{inclusion(threshold.op)}）"


def render_target(target: n.Target) -> str:
    """A target's wording: 不少于30家（含本数）, 7.5%左右（±0.5%）, 完成 (`done`); with
    `by DATE`, 达到90%（含本数），期限2027年12月31日."""
    value = render(target.value)
    if target.done:
        text = "完成"
    elif target.op == "about":
        margin = (
            f"（±{render(target.tolerance)}）" if target.tolerance is not None else "（不设容差）"
        )
        text = f"{value}左右{margin}"
    else:
        threshold = n.Threshold(target.op, target.word, target.value, target.span)
        text = render_threshold(threshold)
        if target.tolerance is not None:
            text = text[:-1] + f"；左右，容差{render(target.tolerance)}）"
    if isinstance(target.deadline, n.Recurring):
        text += "，" + recurring_words(target.deadline)
    elif target.deadline is not None:
        day = target.deadline
        text += f"，期限{day.year}年{day.month}月{day.day}日"
    if target.postponed:  # the day as written; run says the working day it moves to
        text += "（遇节假日顺延）"
    return text


def recurring_words(deadline: n.Recurring) -> str:
    """每季度末, 每月25日, 每月底 as a target's wording says its deadline; 长期坚持."""
    if deadline.every == "standing":
        return "长期坚持"
    if deadline.every == "quarter":
        return "期限每季度末"
    return f"期限每月{deadline.day}日" if deadline.day else "期限每月底"


def render_reference(reference: n.Reference) -> str:
    """`天政发〔2023〕1号第七条`; a document outside the project by its name and 文号 when
    given: `《湖北省困难残疾人生活补贴办法》（鄂政发〔2016〕5号）`."""
    if reference.outside:
        number = f"（{reference.document}）" if reference.document else ""
        return f"《{reference.title}》{number}"
    where = {
        "clause": f"第{reference.number}条",
        "task": f"第{reference.number}项任务",
        "section": f"第{reference.number}部分",
        "": "",
    }[reference.kind]
    return f"{reference.document}{where}"


def inclusion(op: str) -> str:
    return "含本数" if INCLUSIVE[op] else "不含本数"


class _Renderer:
    def __init__(self, ref: RefRenderer):
        self.ref = ref

    def render(self, expr: n.Expr) -> str:
        return _RENDERERS[type(expr)](self, expr)

    def at(self, expr: n.Expr, level: int) -> str:
        """EXPR's words, in brackets when it binds less tightly than LEVEL (see `level`)."""
        text = self.render(expr)
        return f"({text})" if level_of(expr) < level else text

    def operand(self, expr: n.Expr) -> str:
        """An argument of a phrase (`…与…中较大者`, `…÷…`, `…的20%`): bracketed unless a name,
        a literal or a closed phrase."""
        return self.at(expr, POSTFIX)

    def quantity(self, e: n.QuantityLit) -> str:
        """`6 月` is a count of months, said `6个月` (a bare `6月` reads as June); 年, 日,
        工作日 and every other measure are said as written."""
        return f"{e.number}{'个月' if e.measure == '月' else e.measure}"

    def percent(self, e: n.PercentLit) -> str:
        return f"{e.number}%"

    def call(self, e: n.Call) -> str:
        if e.func in _AGGREGATE_WORDS and len(e.args) == 1:
            return self.aggregate(n.Aggregate(e.func, e.args[0], "", None, e.span))
        people = _people_call(self, e)
        if people:
            return people
        args = [self.operand(a) for a in e.args]
        if e.func in ("min", "max"):  # two: 甲与乙中较小者; more: 甲、乙、丙中最小者
            if len(args) == 2:
                return f"{args[0]}与{args[1]}中{'较小' if e.func == 'min' else '较大'}者"
            return f"{'、'.join(args)}中{'最小' if e.func == 'min' else '最大'}者"
        if e.func == "total":
            return f"{args[0]}各项合计"
        if e.func == "longest_run":  # of a condition: its words end at （不含本数）
            return f"{self.at(e.args[0], STATEMENT)}的最长连续天数"
        if e.func == "first":
            return f"{args[0]}的第一日"
        if e.func == "highest":
            return f"{args[0]}的最高值"
        if e.func == "months_between":
            return f"自{args[0]}至{args[1]}的整月数"
        if e.func == "calendar_months_between":  # runtime/calendar_terms.py
            return f"自{args[0]}所在月至{args[1]}所在月相隔的月数"
        if e.func == "within_each_year" and len(e.args) == 3:
            start, end = e.args[1], e.args[2]
            if isinstance(start, n.MonthDayLit) and isinstance(end, n.MonthDayLit):
                low, high = (start.month, start.day), (end.month, end.day)
                window = f"{show_month_day(low)}至{crossing(low, high)}{show_month_day(high)}"
                return f"{args[0]}在每年{window}之间（含首尾）"  # 至 includes both days
        if e.func == "years_between":
            return f"自{args[0]}至{args[1]}的周年数"
        if e.func == "year_of":  # runtime/calendar_terms.py
            return f"{args[0]}所在年份"
        if e.func == "date_plus":
            if (count := working_days(e.args[1])) is not None:  # the calendar's, not 日
                return f"{args[0]}后第{count}个工作日"
            return f"{args[0]}起{args[1]}的对应日"
        return {"on_date": "评估日", "valid_until": "有效期末日"}[e.func]

    def aggregate(self, e: n.Aggregate) -> str:
        """家庭成员中子女（出生日期…）的人数, 家庭成员月收入之和."""
        whose = "家庭成员" if e.role in ("", "members", "成员") else e.role
        where = f"（{self.render(e.where)}）" if e.where is not None else ""
        if e.func in ("count", "any", "all"):
            subject = e.subject.name if isinstance(e.subject, n.Ref) else self.render(e.subject)
            who = "家庭成员" if subject in ("members", "成员") else subject
            if e.func == "count":
                return f"{who}{where}的{_COUNTED.get()}数"
            return f"有{who}{where}" if e.func == "any" else f"{who}均{where}"
        word = {"sum": "之和", "min": "的最小值", "max": "的最大值"}[e.func]
        return f"{whose}{where}{self.operand(e.subject)}{word}"

    def arith(self, e: n.Arith) -> str:
        """`a + b − c`; `a − (b + c)`; `(a + b) × c`: the left operand of + and − is read
        first, a sum on the right of + changes nothing, anything looser is bracketed; an
        implied `× 1 月` (compiler/period_amounts.py) is not written."""
        if e.implied:
            return self.render(e.left)
        if e.op == "×":
            left, right = self.operand(e.left), self.operand(e.right)
        else:
            left = self.at(e.left, ADD)
            right = self.at(e.right, ADD if e.op == "+" else MUL)
        op = {"+": "+", "-": "−", "×": "×"}[e.op]
        return f"{left} {op} {right}"

    def of(self, e: n.Of) -> str:
        return f"{self.operand(e.base)}的{self.operand(e.ratio)}"

    def compare(self, e: n.Compare) -> str:
        """`a ÷ b（进一到分） > 1元（不含本数）`, `a 超过(b ÷ c（进一到分）)（不含本数）`: a symbol
        stands apart from both sides, a boundary word is written against its value (`超过3元`),
        so a value of arithmetic after it is bracketed: `超过b ÷ c` would read as (超过b) ÷ c."""
        left = self.at(e.left, ADD)
        if e.word in WORDS_AFTER:
            text = f"{left} {self.operand(e.right)}{e.word}"
        elif e.word.isascii() or e.word in SYMBOLS.values():
            text = f"{left} {SYMBOLS[e.op]} {self.at(e.right, ADD)}"
        else:
            text = f"{left} {e.word}{self.operand(e.right)}"
        return f"{text}（{inclusion(e.op)}）" if e.op in ("ge", "gt", "le", "lt") else text

    def is_(self, e: n.Is) -> str:
        return f"{self.operand(e.subject)}为{e.member}"

    def in_(self, e: n.In) -> str:
        return f"{self.operand(e.subject)}为{'、'.join(e.members)}之一"

    def and_(self, e: n.And) -> str:
        """`a，且b，且c`; an `or` (or an `if`) inside is bracketed: `a，且(b，或c)`."""
        return f"{self.at(e.left, AND)}，且{self.at(e.right, AND)}"

    def or_(self, e: n.Or) -> str:
        """`a，或b，或c`; an `and` inside is bracketed: `(a，且b)，或c`."""
        left = self.render(e.left) if isinstance(e.left, n.Or) else self.at(e.left, STATEMENT)
        right = self.render(e.right) if isinstance(e.right, n.Or) else self.at(e.right, STATEMENT)
        return f"{left}，或{right}"

    def not_(self, e: n.Not) -> str:
        given = _given_of(e.operand)
        if given is not None:  # `not given(死亡)`: 未填写死亡, not 并非「填写了死亡」
            return f"未填写{self.render(given)}"
        return f"并非「{self.render(e.operand)}」"

    def if_(self, e: n.If) -> str:
        """`若c则x，否则y`; a condition joined by 且/或 and an `if` in the then-branch are
        bracketed, an `if` in the else-branch chains (`…，否则若d则y，否则z`)."""
        cond, then = self.at(e.cond, STATEMENT), self.at(e.then, STATEMENT)
        chained = isinstance(e.otherwise, n.If)
        otherwise = self.render(e.otherwise) if chained else self.at(e.otherwise, STATEMENT)
        return f"若{cond}则{then}，否则{otherwise}"

    def labelled(self, e: n.AnyOf | n.AllOf) -> str:
        head = "下列条件之一" if isinstance(e, n.AnyOf) else "下列全部条件"
        marks = "①②③④⑤⑥⑦⑧⑨⑩"
        items = [
            f"{marks[i] if i < len(marks) else i + 1}{item.label}" for i, item in enumerate(e.items)
        ]
        return f"{head}：{'；'.join(items)}"

    def tiers(self, e: n.Tiers) -> str:
        mode = {
            "highest": "按达到的最高档",
            "each": "按达到的各档合计",
            "highest_new": "按首次达到的最高档",
            "each_new": "按首次达到的各档合计",
        }[e.mode]
        return f"{self.operand(e.subject)}{mode}（见档次表）"

    def schedule(self, e: n.Schedule) -> str:
        return f"自{self.render(e.anchor)}起按年度（见年度表）"

    def progressive(self, e: n.Progressive) -> str:
        return f"{self.operand(e.base)}分段累进计算（见分段表）"

    def dated(self, e: n.Dated) -> str:
        when = f"按{self.render(e.on)}" if e.on is not None else "按评估日"
        entries = "；".join(f"自{r.start.isoformat()}起{self.render(r.value)}" for r in e.rows)
        return f"{when}适用的标准（{entries}）"


# How tightly an expression's words bind, loosest first. An operand that binds less tightly
# than its place needs is bracketed: `1000元/人 × (计入带动人数 − 3人与0人中较大者)` is
# bracketed twice over (`(计入带动人数 − 3人)与0人中较大者` inside), never read as
# `1000元/人 × 计入带动人数 − max(3人, 0人)`.
IF = 0  # 若…则…，否则…
OR = 1  # …，或…
AND = 2  # …，且…
STATEMENT = 3  # a comparison, `为`, 并非「…」, given/any/all, 读法…, labelled lists
PHRASE = 4  # two values joined by a word: …与…中较大者, …按…取整, 在每年…之间
ADD = 5  # + −
MUL = 6  # × and ÷ (`divide`)
POSTFIX = 7  # one value and a closing word: …的20%, …之和, 上月的…, …（按…查表）, 档次表
ATOM = 8  # a name, a number, a date, 「…」的金额, 评估日

_CALL_LEVELS = {
    "min": PHRASE,
    "max": PHRASE,
    "round": PHRASE,
    "within_each_year": PHRASE,
    "year_of": POSTFIX,
    "date_plus": POSTFIX,
    "divide": MUL,
    "given": STATEMENT,
    "any": STATEMENT,
    "all": STATEMENT,
    "amount_of": ATOM,
    "on_date": ATOM,
    "valid_until": ATOM,
}
_LEVELS: dict[type, int] = {
    n.If: IF,
    n.Or: OR,
    n.And: AND,
    n.Compare: STATEMENT,
    n.Is: STATEMENT,
    n.In: STATEMENT,
    n.Not: STATEMENT,
    n.ReadingIs: STATEMENT,
    n.Labelled: STATEMENT,
    n.AnyOf: STATEMENT,
    n.AllOf: STATEMENT,
    n.Of: POSTFIX,
    n.Index: POSTFIX,
    n.Tiers: POSTFIX,
    n.Schedule: POSTFIX,
    n.Progressive: POSTFIX,
    n.Dated: POSTFIX,
}


def level_of(expr: n.Expr) -> int:
    """How tightly EXPR's Chinese words bind: IF (loosest) … ATOM (a name or a literal)."""
    if isinstance(expr, n.Arith):
        return MUL if expr.op == "×" else ADD
    if isinstance(expr, n.Aggregate):  # 家庭成员月收入之和; 有子女（…）
        return STATEMENT if expr.func in ("any", "all") else POSTFIX
    if isinstance(expr, n.Call):
        return _CALL_LEVELS.get(expr.func, POSTFIX)
    return _LEVELS.get(type(expr), ATOM)


_AGGREGATE_WORDS = ("count", "sum", "any", "all")
_PERIOD_WORDS = {
    "last_month": "上月的",
    "last_year": "上年同期的",
    "january": "当年1月的",
    "year_total": "全年各月合计",
}


_MODE_WORDS = {"half_up": "四舍五入", "down": "舍去", "up": "进一", "half_even": "银行家舍入"}


def _people_call(r: _Renderer, e: n.Call) -> str:
    """The period functions, `divide` and `amount_of` in words ("" for any other call)."""
    if e.func in _PERIOD_WORDS and e.args:
        word = _PERIOD_WORDS[e.func]
        name = r.operand(e.args[0])
        return f"{name}{word}" if e.func == "year_total" else f"{word}{name}"
    if e.func == "divide" and len(e.args) == 4:
        unit, mode = e.args[2], e.args[3]
        how = _MODE_WORDS.get(mode.name, mode.name) if isinstance(mode, n.Ref) else ""
        to = unit.name if isinstance(unit, n.Ref) else ""
        return f"{r.operand(e.args[0])} ÷ {r.operand(e.args[1])}（{how}到{to}）"
    if e.func == "round" and len(e.args) == 3:  # a quantity to a step of its measure
        mode = e.args[2]
        how = _MODE_WORDS.get(mode.name, mode.name) if isinstance(mode, n.Ref) else ""
        return f"{r.operand(e.args[0])}按{r.operand(e.args[1])}{how}取整"
    if e.func == "given" and e.args:  # as a reader of the site says it: 填写了伤残等级
        return f"填写了{r.render(e.args[0])}"
    if e.func == "amount_of" and e.args:
        return f"「{r.render(e.args[0])}」的金额"
    return ""


_RENDERERS: dict[type, Callable[[_Renderer, Any], str]] = {
    n.QuantityLit: _Renderer.quantity,
    n.PercentLit: _Renderer.percent,
    n.BoolLit: lambda r, e: "是" if e.value else "否",
    n.DateLit: lambda r, e: e.value.isoformat(),
    n.MonthDayLit: lambda r, e: show_month_day((e.month, e.day)),
    n.Ref: lambda r, e: r.ref(e.name),
    n.Call: _Renderer.call,
    # `救助比例[类别]` in words: the row is the one of the case's 类别 (or the member named);
    # a table by two keys names both (`安居补贴标准（按学历、档查表）`).
    n.Index: lambda r, e: f"{r.ref(e.name)}（按{'、'.join(r.ref(k) for k in e.keys)}查表）",
    n.ReadingIs: lambda r, e: f"读法「{e.reading}」取「{e.option}」",
    n.Labelled: lambda r, e: f"{e.label}：{r.render(e.expr)}",
    n.AnyOf: _Renderer.labelled,
    n.AllOf: _Renderer.labelled,
    n.Arith: _Renderer.arith,
    n.Of: _Renderer.of,
    n.Compare: _Renderer.compare,
    n.Is: _Renderer.is_,
    n.In: _Renderer.in_,
    n.And: _Renderer.and_,
    n.Or: _Renderer.or_,
    n.Not: _Renderer.not_,
    n.If: _Renderer.if_,
    n.Tiers: _Renderer.tiers,
    n.Schedule: _Renderer.schedule,
    n.Progressive: _Renderer.progressive,
    n.Dated: _Renderer.dated,
    n.Aggregate: _Renderer.aggregate,
}
