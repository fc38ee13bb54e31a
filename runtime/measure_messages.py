"""What `runtime/quantity.py` says of a measure word it does not know (language.md §3
"Measures"): the message names the word and the likeliest fix. Imported only on an error, so
that reading a good value loads none of it (issue 16).
"""

from __future__ import annotations

from policyc.compiler.i18n import _
from policyc.runtime.quantity import (
    _BOUNDARY_WORDS,
    _EXPECTED,
    _PREFIXES,
    _UNITS,
    _VARIANTS,
    Declared,
    Dims,
    Measure,
    MeasureError,
    UndeclaredMeasure,
    _known,
    dims_text,
)
from policyc.runtime.quantity_reading import _HOURS

_AGES = ("周岁", "岁")


def _age_hint(message: str, part: str) -> str:
    """`满 40 周岁` is refused (never `周`, weeks): an age is a count of whole years between two
    dates, and which day it is judged on is the drafter's to say."""
    return _(
        "{message}: an age in whole years ({part}) is counted between two dates, as in "
        "`years_between(出生日期, 认定日期) 满 40 年` (a year is completed on the birthday; name "
        "the day the age is judged on: 认定日期, 申请日期, on_date())"
    ).format(message=message, part=part)


def unknown_measure(part: str, whole: str, declared: Declared) -> MeasureError:
    """The error for a measure word `part` (of the text `whole`) that is neither built in nor
    declared: a variant spelling (圆 for 元), a scale word or boundary word written alone, words
    run together (`50人以上`), an age (周岁), a close misspelling, or — an identifier — how a
    policy declares it (`UndeclaredMeasure`, carrying the message without the advice)."""
    where = _(" in `{whole}`").format(whole=whole) if whole != part else ""
    message = _("unknown measure `{part}`{where}").format(part=part, where=where)
    variant = "".join(_VARIANTS.get(c, c) for c in part)
    if variant != part and _known(variant, declared):
        return MeasureError(
            _("{message}; did you mean `{variant}`?").format(
                message=message,
                variant=variant,
            )
        )
    if part in _PREFIXES:
        return MeasureError(
            _("{message}: `{part}` scales a measure, write it before one: {part}元").format(
                message=message,
                part=part,
            )
        )
    if part in _BOUNDARY_WORDS:
        return MeasureError(
            _("{message}: `{part}` is a boundary word, not a measure").format(
                message=message,
                part=part,
            )
        )
    # `50人以上` lexes as one word; the usual fix is a space before the boundary word.
    for word in _BOUNDARY_WORDS:
        if part.endswith(word):
            hint = f"{part[: -len(word)]} {word}"
        elif part.startswith(word):
            hint = f"{word} {part[len(word) :]}"
        else:
            continue
        return MeasureError(
            _("{message}: words must be separated by spaces, as in `{hint}`").format(
                message=message, hint=hint
            )
        )
    if part in _AGES:
        return MeasureError(_age_hint(message, part))
    if part == "工作日":  # never guessed as 日: weekends and holidays fall between
        return UndeclaredMeasure(
            _(
                "{message}; a 工作日 (working day) is no built-in measure and no 日: a policy "
                'declares it, `measure 工作日 "…"` (a measure of its own, never converted to 日), '
                "or `measure 工作日 = 1 日` if it counts every day as one"
            ).format(message=message),
            message,
        )
    close = _close_measure(part, declared)
    if close:
        return MeasureError(
            _("{message}; did you mean `{variant}`?").format(message=message, variant=close)
        )
    if part.isidentifier():
        expected = _EXPECTED.get()
        multiple = f"N {expected}" if expected else _("N KNOWN_MEASURE")
        return UndeclaredMeasure(
            _(
                "{message}; a policy declares a measure the language lacks: `measure {part}` "
                "(a measure of its own) or `measure {part} = {multiple}` (an exact decimal "
                "multiple of a known one)"
            ).format(message=message, part=part, multiple=multiple),
            message,
        )
    return MeasureError(message)


def _close_measure(part: str, declared: Declared) -> str:
    """The known measure `part` most likely misspells (`立方` for 立方米), or ""."""
    import difflib  # only on an error

    names = [*_UNITS, *(name for name, _base, _size in declared)]
    rest = part[1:] if part[:1] in _PREFIXES else part
    close = difflib.get_close_matches(rest, names, n=1, cutoff=0.6)
    return part[: len(part) - len(rest)] + close[0] if close and len(rest) > 1 else ""


def other_dims(text: str, measure: Measure, got: Dims, expected: Dims) -> MeasureError:
    """The error for a case's value `text` of dimensions `got` given for an input of `measure`
    (of dimensions `expected`): both named, with why the two do not convert where a drafter
    or a case worker might think they do (亩 and 平方米; a 工作日 and a 日)."""
    shown = f"`{text[:40]}{'…' if len(text) > 40 else ''}`"
    message = _(
        "expected a quantity in {measure_name}, got {shown} (a quantity in {value})"
    ).format(
        measure_name=measure.name,
        shown=shown,
        value=dims_text(got) or _("plain units"),
    )
    if _HOURS in (got, expected) and "工作日" in measure.name + text:
        message += _(
            ": a 工作日 (working day) is not a 日 (weekends and holidays fall between); "
            "give the value in {measure_name}"
        ).format(measure_name=measure.name)
    if {got, expected} == {(("亩", 1),), (("平方米", 1),)}:
        message += _(
            ": 亩 is not converted to 平方米 or 公顷 (1 亩 = 10000/15 平方米 is no "
            "decimal); give the value in {measure_name}"
        ).format(measure_name=measure.name)
    return MeasureError(message)
