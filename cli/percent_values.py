"""A `%` input's value in a case: written with its sign, `5.5%`, never a bare number.

`input 上年度裁员率: %` holds a ratio, and so does the reported figure of a target written in `%`
(`target 网上可办率 98% 以上`). A bare `0.055` or `5.5` would leave open whether the case
worker meant a fraction (5.5%) or a number of percent (0.055%, or 5.5%): the two readings differ
a hundredfold and a wrong one passes every condition silently, so a bare number is refused with
a message that shows how to write it (language.md §7 "Reading a value"). Case files, the web
form and batch rows read through `case_values.read_quantity`, which asks here first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from policyc.compiler.i18n import _

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing on `run` (issue 16)
if TYPE_CHECKING:
    from policyc.compiler.checked import InputInfo
    from policyc.compiler.run_view import InputView

# What the JSON Schema of a case file allows for a `%` input (cli/schema.py).
PERCENT_PATTERN = r"^\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\s*%\s*$"
_BARE = r"\s*[+-]?[\d,]*\.?\d+\s*"  # compiled on first use (re keeps it)


def needs_sign(info: InputInfo | InputView) -> bool:
    """Whether the input is declared `%`, or is the reported figure of a target written in `%`
    (`target 网上可办率 98% 以上`: a bare `0.98` there meant 98%, and was read as 0.98%), so that a
    case writes its value with the sign (a batch reads no such column in SQL alone: every value
    goes through the per-case reader)."""
    return (
        info.decl.type.kind in ("named", "target")
        and info.measure is not None
        and info.measure.name == "%"
    )


def bare_percent_problem(info: InputInfo | InputView, value: object) -> str:
    """The message refusing `value` for the input `info`, or "" when it is fine: the input is not
    a `%` input or a `%` target's figure (`needs_sign`), or the value carries its sign (`5.5%`,
    `5.5 ％`)."""
    if not needs_sign(info):
        return ""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str) and re.fullmatch(_BARE, value):
        text = value.strip()
    else:
        return ""
    times = _times_hundred(text)
    if times.lstrip("-") == "0":  # 0 and 0% are one value: no two readings to name
        return _("a percentage is written with its sign: `{text}%`").format(text=text)
    return _(
        "a percentage is written with its sign, as in `{example}`: a bare `{text}` could mean "
        "{text}% or {times}%"
    ).format(example="5.5%", text=text, times=times)


def _times_hundred(text: str) -> str:
    try:
        number = Decimal(text.replace(",", "")) * 100
    except ArithmeticError:
        return text
    return format(number.normalize(), "f")
