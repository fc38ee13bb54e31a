"""Exact quantities with measures: 元, 万元/人, 3 万单/月, 10% (language.md §3 "Measures").

A quantity is a Decimal in base units together with its dimensions, so 1 亿元, 10000 万元 and
100000000 元 are one and the same value. Arithmetic runs in a 60-digit context that traps
Inexact: a result that would have to be rounded raises `decimal.Inexact` instead of quietly
losing a 分. Binary floats are refused everywhere.

Time in a denominator is the one subtle case. 1 元/年 is 1/12 元/月, which no decimal holds, so a
quantity whose calendar (or clock) time has a negative exponent is stored per 年 (per 日) instead
of per 月 (per 小时): 200 元/月 is held as 2400 元/年. Every measure's factor then stays a
decimal, and multiplication converts back when the time cancels (500 元/年 × 6 月 = 250 元).

Here: the measure table and its parsing, `Quantity` and its arithmetic. Written out for people
and JSON: runtime/quantity_format.py; read from a case's text: runtime/quantity_reading.py.
"""

from __future__ import annotations

import contextlib
import decimal
import functools
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from fractions import Fraction

from policyc.compiler.i18n import _
from policyc.runtime.plain import Frozen, _set

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "BASES",
    "COUNTS",
    "CURRENCIES",
    "TIME_BASES",
    "Declared",
    "Dims",
    "Measure",
    "MeasureError",
    "Quantity",
    "builtin_measure",
    "builtin_measure_text",
    "declared_measures",
    "dims_text",
    "parse_measure",
    "round_to_step",
    "same_dims",
    "stored_dims_text",
    "stored_per",
]

Dims = tuple[tuple[str, int], ...]
"""Base measure and exponent pairs, sorted by base name, without zero exponents; () is a plain
number."""


Declared = tuple[tuple[str, str, Fraction], ...]
"""A policy's own measures (`measure 标准箱`, `measure 方 = 1 立方米`, language.md §3): each name,
its base and its size in that base; a new base is its own base, of size 1. A value, never a
registry: each policy holds its own, so two policies may declare one name differently."""

# The measures in force while a checked policy's literals are read (its checker, generator, batch
# query and site): set by `declared_measures` for the span of one policy's work, in the current
# context only (a thread or a task sees its own, as decimal's context), never shared between
# policies.
_IN_FORCE: ContextVar[Declared] = ContextVar("policyc_declared_measures", default=())


# The measure the place being read expects (an input's, while its case value is read): what the
# unknown-measure hint suggests declaring a multiple of (`measure 分钟 = N 小时`); "" elsewhere.
_EXPECTED: ContextVar[str] = ContextVar("policyc_expected_measure", default="")


@contextlib.contextmanager
def declared_measures(declared: Declared) -> Iterator[None]:
    """Read measure texts with `declared` (a policy's own measures) in the `with` block."""
    token = _IN_FORCE.set(declared)
    try:
        yield
    finally:
        _IN_FORCE.reset(token)


class MeasureError(ValueError):
    """Incompatible dimensions, an unknown measure or an unreadable quantity, said plainly."""


class UndeclaredMeasure(MeasureError):
    """An unknown measure a policy could declare (`measure 方 …`, a drafter's remedy, which the
    message says); `head` is the message without that advice, for one who fills in a case."""

    def __init__(self, message: str, head: str):
        super().__init__(message)
        self.head = head

    def __reduce__(self) -> tuple[type[UndeclaredMeasure], tuple[str, str]]:
        return UndeclaredMeasure, (str(self), self.head)  # whole across processes too


# Division and sums must either be exact or fail loudly; 60 digits leave room for 30-digit
# amounts times 亿 and the like.
_EXACT = decimal.Context(
    prec=60,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
# Its methods bound once: looking one up on every operation of every rule cost a third of the
# operation (the fast path's amounts, issue 16).
_add, _subtract, _multiply = _EXACT.add, _EXACT.subtract, _EXACT.multiply

CURRENCIES = ("元", "美元")
# The counts of whole things, in the order messages list them; `_COUNT_SET` for the tests made
# on every quantity (`Measure.whole`, `_why`).
COUNTS = (
    "人", "单", "次", "间", "家", "个", "项", "件", "台", "辆", "场", "条", "所", "座", "批",
    "人次", "辆次", "场次", "户", "村", "处", "套",
)  # fmt: skip
_COUNT_SET: frozenset[str] = frozenset(COUNTS)
_PHYSICAL = ("AQI", "平方米", "亩", "米", "公里", "吨", "公斤", "立方米", "千瓦时")
# Each time base, with its larger unit and how many base units that is; the larger unit is the
# storage unit when the time is in a denominator (see the module docstring).
_TIME: dict[str, tuple[str, int]] = {"月": ("年", 12), "小时": ("日", 24)}
BASES: frozenset[str] = frozenset((*CURRENCIES, *COUNTS, *_PHYSICAL, *_TIME))
TIME_BASES: frozenset[str] = frozenset(_TIME)  # a product may be divided when these cancel


def stored_per(time: str) -> str:
    """The unit a rate per `time` is kept per inside (月 → 年, 小时 → 日: the module docstring);
    KeyError for a time that is not a base."""
    return _TIME[time][0]


# Every named measure: its base and how many base units one of it is. 亩 and 平方米 (and 米 and
# 公里, 吨 and 公斤) are separate bases on purpose: the policies never convert them (1 亩 =
# 10000/15 平方米 is no decimal). 公顷 and 平方公里 are exact in 平方米, 升 in 立方米 (1 立方米 =
# 1000 升), 克 in 公斤 (千克 is 公斤), 度 is 千瓦时, 周 is 7 日.
_UNITS: dict[str, tuple[str, Fraction]] = {
    **{base: (base, Fraction(1)) for base in BASES},
    "公顷": ("平方米", Fraction(10**4)),
    "平方公里": ("平方米", Fraction(10**6)),
    "升": ("立方米", Fraction(1, 1000)),
    "千克": ("公斤", Fraction(1)),
    "克": ("公斤", Fraction(1, 1000)),
    "度": ("千瓦时", Fraction(1)),
    "周": ("小时", Fraction(24 * 7)),
    "年": ("月", Fraction(12)),
    "个月": ("月", Fraction(1)),  # "满6个月" as usually written, and what format_quantity prints
    "日": ("小时", Fraction(24)),
    "天": ("小时", Fraction(24)),
}
_PREFIXES = {"万": 10**4, "亿": 10**8}
_BOUNDARY_WORDS = ("以上", "以下", "以内", "以外")
# Characters written for a measure's by habit or by a slip of the input method: 圆 is the
# currency's name on banknotes, 块 its spoken name; 畝 and 頃 are the traditional 亩 and 顷.
# Only suggested, never accepted.
_VARIANTS = {"圆": "元", "园": "元", "块": "元", "畝": "亩", "頃": "顷"}  # and traditional forms


def _normalize(pairs: Iterable[tuple[str, int]]) -> Dims:
    total: dict[str, int] = {}
    for base, exp in pairs:
        total[base] = total.get(base, 0) + exp
    return tuple(sorted((base, exp) for base, exp in total.items() if exp))


class Measure(Frozen):
    """A measure as written (`万元/人`): its dimensions and how many stored units one of it is."""

    _fields = ("name", "dims", "factor", "declared")
    __slots__ = _fields
    name: str
    dims: Dims
    factor: Decimal
    # The policy's own measures it was read with: a case's value for an input of this measure is
    # read with them too (`44方` for an input in 立方米).
    declared: Declared

    def __init__(self, name: str, dims: Dims, factor: Decimal, declared: Declared = ()):
        _set(self, "name", name)
        _set(self, "dims", dims)
        _set(self, "factor", factor)
        _set(self, "declared", declared)

    @property
    def whole(self) -> bool:
        """A count of whole things (人, 家, 个, 次, 间, 单 … and their 万/亿 multiples): its
        values are whole numbers of the base count, so 0.5人 is no value of it (0.5万人 is)."""
        return len(self.dims) == 1 and self.dims[0][1] == 1 and self.dims[0][0] in _COUNT_SET


def _lookup(name: str, declared: Declared) -> tuple[str, Fraction] | None:
    """A measure's base and size by its name, the policy's own first; None if unknown."""
    for declared_name, base, size in declared:
        if declared_name == name:
            return base, size
    return _UNITS.get(name)


def _known(part: str, declared: Declared = ()) -> bool:
    """Whether `part` names a measure (with its 万/亿 prefix, if any)."""
    for prefix in _PREFIXES:
        if part.startswith(prefix) and _lookup(part[len(prefix) :], declared) is not None:
            return True
    return _lookup(part, declared) is not None


def builtin_measure(name: str) -> bool:
    """Whether `name` is one of the language's own measures (which a policy may not redeclare),
    with or without 万/亿: 元, 万元, 立方米, 度 …"""
    return name in ("1", "%") or _known(name)


def builtin_measure_text(text: str) -> bool:
    """Whether a measure text (`元/立方米`) is read without any policy's declarations."""
    try:
        _parse_measure(text, ())
    except MeasureError:
        return False
    return True


def _unit(part: str, whole: str, declared: Declared = ()) -> tuple[str | None, Fraction]:
    """One name between slashes: its base (None for a plain number) and its size in base units."""
    if not part:
        raise MeasureError(
            _("`{whole}` has an empty measure between or after `/`").format(
                whole=whole,
            )
        )
    if part == "1":
        return None, Fraction(1)
    if part == "%":
        return None, Fraction(1, 100)
    found = _lookup(part, declared)  # a name that is itself a measure is never split
    if found is not None:
        return found
    prefix, rest = part[0], part[1:]
    found = _lookup(rest, declared) if prefix in _PREFIXES else None
    if found is not None:
        return found[0], _PREFIXES[prefix] * found[1]
    from policyc.runtime.measure_messages import unknown_measure  # only on an error

    raise unknown_measure(part, whole, declared)


def parse_measure(text: str, declared: Declared | None = None) -> Measure:
    """Parse `元`, `万元/人`, `元/月/间`, `%`; "" and "1" are plain numbers.

    Names after the first `/` divide. `万` (10^4) or `亿` (10^8) before a known measure scales it.
    `declared` are the policy's own measures; None: those in force (`declared_measures`), by
    default none. Raises MeasureError for an unknown name, saying how to declare one.
    """
    return _parse_measure(text, _IN_FORCE.get() if declared is None else declared)


@functools.lru_cache(maxsize=1024)
def _parse_measure(text: str, declared: Declared) -> Measure:
    name = text.strip()
    if name in ("", "1"):
        return Measure(name, (), Decimal(1), declared)
    exponents: list[tuple[str, int]] = []
    size = Fraction(1)
    for i, part in enumerate(name.split("/")):
        sign = 1 if i == 0 else -1
        base, part_size = _unit(part.strip(), name, declared)
        if base is not None:
            exponents.append((base, sign))
        size *= part_size**sign
    dims = _normalize(exponents)
    for base, exp in dims:
        if base in _TIME and exp < 0:  # stored per 年 / per 日, see the module docstring
            size *= _TIME[base][1] ** -exp
    try:
        with decimal.localcontext(_EXACT):
            factor = Decimal(size.numerator) / Decimal(size.denominator)
    except decimal.Inexact:
        raise MeasureError(_("`{name}` has no exact decimal size").format(name=name)) from None
    return Measure(name, dims, factor, declared)


def _to_decimal(number: object) -> Decimal:
    # bool is an int subclass, and float would smuggle binary rounding in: refuse both.
    if isinstance(number, bool) or not isinstance(number, Decimal | int | str):
        raise TypeError(
            f"a quantity needs a Decimal, int or str, not {type(number).__name__} "
            "(policyc never uses binary floats)"
        )
    if isinstance(number, str):
        try:
            number = Decimal(number.strip())
        except decimal.InvalidOperation:
            raise MeasureError(_("`{number}` is not a number").format(number=number)) from None
    value = Decimal(number)
    if not value.is_finite():
        raise MeasureError(_("`{number}` is not a finite number").format(number=number))
    return value


def _check_value(_instance: Any, _attribute: Any, value: Decimal) -> None:
    # Checked at run time too: generated code and callers may still pass a float.
    if not isinstance(value, Decimal):
        raise TypeError(f"Quantity.value must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise MeasureError(_("`{value}` is not a finite number").format(value=value))


def _unit_text(dims: Dims, stored: bool) -> str:
    def name(base: str, exp: int) -> str:
        shown = _TIME[base][0] if stored and exp < 0 and base in _TIME else base
        return shown if abs(exp) == 1 else f"{shown}^{abs(exp)}"

    # Money leads, as the documents write it: 元·人, not 人·元.
    money_first = sorted(dims, key=lambda pair: pair[0] not in CURRENCIES)
    top = "·".join(name(base, exp) for base, exp in money_first if exp > 0)
    bottom = "".join("/" + name(base, exp) for base, exp in dims if exp < 0)
    return (top or ("1" if bottom else "")) + bottom


def dims_text(dims: Dims) -> str:
    """Dimensions in base measures, for messages: `元/单`, `元·人`, `元/月`; "" if plain."""
    return _unit_text(dims, stored=False)


def stored_dims_text(dims: Dims) -> str:
    """The measure a quantity of `dims` is held in (`Quantity.value`'s): `元/年` for 元/月
    dimensions (the module docstring), `元/单` — the unit to write beside a held number."""
    return _unit_text(dims, stored=True)


def _describe(dims: Dims) -> str:
    return dims_text(dims) or _("a plain number")


def _why(a: Dims, b: Dims) -> str:
    if len(a) == len(b) == 1 and a[0][1] == b[0][1] == 1:
        x, y = a[0][0], b[0][0]
        if x in CURRENCIES and y in CURRENCIES:
            return _("{y} is another currency").format(y=y)
        if {x, y} == set(_TIME):
            return _("calendar time (月, 年) and clock time (小时, 日) do not convert")
        if x in _COUNT_SET and y in _COUNT_SET:
            return _("{x} and {y} count different things").format(x=x, y=y)
        return _("{x} and {y} are different measures").format(x=x, y=y)
    return _("{describe_a} and {describe_b} have different dimensions").format(
        describe_a=_describe(a),
        describe_b=_describe(b),
    )


def _mismatch(verb: str, a: Dims, b: Dims) -> MeasureError:
    return MeasureError(
        _("cannot {verb} {describe_a} and {describe_b}: {why_a_b}").format(
            verb=verb,
            describe_a=_describe(a),
            describe_b=_describe(b),
            why_a_b=_why(a, b),
        )
    )


def _time_shift(a: Dims, b: Dims, product: Dims) -> int:
    """What a product of stored values is divided by to land in the product's storage units.

    A stored value carries a factor R^min(e, 0) for each time base (R = 12 or 24), so the product
    must be divided by R^(min(ea, 0) + min(eb, 0) - min(ea + eb, 0)): 1 for most products, 12 for
    元/年 × 月.
    """
    ea, eb, ep = dict(a), dict(b), dict(product)
    divisor = 1
    for base, (_unit, ratio) in _TIME.items():
        shift = min(ep.get(base, 0), 0) - min(ea.get(base, 0), 0) - min(eb.get(base, 0), 0)
        divisor *= ratio**shift
    return divisor


class Quantity(Frozen):
    """An exact amount in stored base units with its dimensions; equal values are equal (and hash
    alike) whatever measure they were written in."""

    _fields = ("value", "dims")
    # `_percent` is set (True) only on a plain number written or computed as a percentage.
    __slots__ = (*_fields, "_percent")
    value: Decimal
    dims: Dims

    def __init__(self, value: Decimal, dims: Iterable[tuple[str, int]] = ()):
        _check_value(None, None, value)
        _set(self, "value", value)
        _set(self, "dims", _normalize(dims))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Quantity:
            return NotImplemented
        return self.value == other.value and self.dims == other.dims

    @property
    def percent(self) -> bool:
        """A plain number written or computed as a percentage (`10%`, a `%` input, `6 × 10%`,
        `1 - 10%`): shown as 10%, where a number written without % (`6`) is shown as 6. Equality
        ignores it: 10% is 0.1."""
        return getattr(self, "_percent", False)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.value, self.dims, self.percent))

    def __hash__(self) -> int:
        return hash((self.value, self.dims))

    @classmethod
    def of(cls, number: Decimal | int | str, measure: Measure | str) -> Quantity:
        """`Quantity.of("0.2", "元/单")`; a float raises TypeError."""
        m = parse_measure(measure) if isinstance(measure, str) else measure
        value = _to_decimal(number)
        with decimal.localcontext(_EXACT):
            q = cls(value * m.factor, m.dims)
        if not m.dims and m.name.endswith("%"):
            _set(q, "_percent", True)
        return q

    @classmethod
    def ratio(cls, percent: Decimal | int | str) -> Quantity:
        """A percentage as a plain ratio: `Quantity.ratio(10)` is 0.1."""
        return cls.of(percent, "%")

    def _same(self, other: Quantity, verb: str) -> None:
        if self.dims != other.dims:
            raise _mismatch(verb, self.dims, other.dims)

    # Arithmetic runs on every rule of every case: results are built without the converter and
    # validator (their dims are normalized and their values finite by construction), and the
    # exact context's own methods apply its precision and traps without switching contexts.
    def __add__(self, other: Quantity) -> Quantity:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("add", self.dims, other.dims)
        q = _make(_add(self.value, other.value), self.dims)
        return q if self.dims else _plain(q, self, other)

    def __sub__(self, other: Quantity) -> Quantity:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("subtract", self.dims, other.dims)
        q = _make(_subtract(self.value, other.value), self.dims)
        return q if self.dims else _plain(q, self, other)

    def __mul__(self, other: Quantity | Decimal | int) -> Quantity:
        if other.__class__ is Quantity:
            dims, divisor = _product_dims(self.dims, other.dims)
            value = _multiply(self.value, other.value)
            if divisor != 1:
                value = _EXACT.divide(value, divisor)
            q = _make(value, dims)
            return q if dims else _plain(q, self, other)
        if isinstance(other, str):
            raise TypeError(_("multiply a quantity by a Decimal, an int or a quantity"))
        q = _make(_multiply(self.value, _to_decimal(other)), self.dims)
        return q if self.dims else _plain(q, self, self)

    def __rmul__(self, other: Decimal | int) -> Quantity:
        return self * other

    def __neg__(self) -> Quantity:
        q = _make(_EXACT.minus(self.value), self.dims)
        return q if self.dims else _plain(q, self, self)

    def __lt__(self, other: Quantity) -> bool:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("compare", self.dims, other.dims)
        return self.value < other.value

    def __le__(self, other: Quantity) -> bool:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("compare", self.dims, other.dims)
        return self.value <= other.value

    def __gt__(self, other: Quantity) -> bool:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("compare", self.dims, other.dims)
        return self.value > other.value

    def __ge__(self, other: Quantity) -> bool:
        if other.__class__ is not Quantity:
            return NotImplemented
        if self.dims != other.dims:
            raise _mismatch("compare", self.dims, other.dims)
        return self.value >= other.value

    def is_zero(self) -> bool:
        return self.value.is_zero()

    def to(self, measure: Measure | str) -> Decimal:
        """The value counted in `measure`, exactly: `Quantity.of(3, "年").to("月") == 36`."""
        m = parse_measure(measure) if isinstance(measure, str) else measure
        if m.dims != self.dims:
            raise MeasureError(
                _(
                    "cannot express {describe_self_dims} in {m_name_or_a_plain_number}: "
                    "{why_self_dims_m_dims}"
                ).format(
                    describe_self_dims=_describe(self.dims),
                    m_name_or_a_plain_number=m.name or _("a plain number"),
                    why_self_dims_m_dims=_why(self.dims, m.dims),
                )
            )
        try:
            with decimal.localcontext(_EXACT):
                return self.value / m.factor
        except decimal.Inexact:
            from policyc.runtime.quantity_format import plain_text  # only on an error

            raise MeasureError(
                _("{plain_text_self} is no exact number of {m_name}").format(
                    plain_text_self=plain_text(self),
                    m_name=m.name,
                )
            ) from None


_new_quantity = object.__new__


def _plain(result: Quantity, a: Quantity, b: Quantity) -> Quantity:
    """`result` (a plain number) of an operation on `a` and `b`: a percentage when either of
    them is one (6 × 10% is 60%; 6 × 2 is 12)."""
    if a.percent or b.percent:
        _set(result, "_percent", True)
    return result


def _restore(value: Decimal, dims: Dims, percent: bool) -> Quantity:
    q = _make(value, dims)
    if percent:
        _set(q, "_percent", True)
    return q


def _make(value: Decimal, dims: Dims) -> Quantity:
    """A Quantity from an exact result and normalized dims, without re-checking either."""
    q: Quantity = _new_quantity(Quantity)
    _set(q, "value", value)
    _set(q, "dims", dims)
    return q


@functools.lru_cache(maxsize=4096)
def _product_dims(a: Dims, b: Dims) -> tuple[Dims, int]:
    """The dims of a product and what its stored value is divided by (see _time_shift)."""
    dims = _normalize((*a, *b))
    return dims, _time_shift(a, b, dims)


def same_dims(a: Quantity, b: Quantity) -> bool:
    return a.dims == b.dims


def round_to_step(value: Quantity, step: Quantity, mode: str) -> Quantity:
    """`value` rounded to a whole number of `step`s in `mode` (a decimal rounding constant:
    ROUND_UP, ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN), keeping its measure: `round(停放时长,
    1 小时, up)` makes 1.5 小时 2 小时, leaves 1 小时 and 0 as they are (language.md "Rounding a
    quantity to a step"). Both are of one dimension, so their stored values share one storage
    unit; `step` is positive (the checker refuses any other). Exact: the count of steps is a
    Fraction until rounded, the result whole steps times the step."""
    exact = Fraction(value.value) / Fraction(step.value)
    whole, rest = divmod(abs(exact.numerator), exact.denominator)
    # Where the rest lies against one half decides any mode: write it as .4, .5 or .6 and let
    # Decimal round that, the sign put back first.
    half = Fraction(rest, exact.denominator) - Fraction(1, 2)
    tail = "" if rest == 0 else (".5" if half == 0 else (".4" if half < 0 else ".6"))
    digits = Decimal(f"{'-' if exact < 0 else ''}{whole}{tail}")
    count = digits.quantize(Decimal(1), rounding=mode)
    result = Quantity(_multiply(count, step.value), value.dims)
    if value.percent or step.percent:  # 12.345% to 0.1% is 12.3%, shown as a percentage
        _set(result, "_percent", True)
    return result
