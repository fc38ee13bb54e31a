"""`policyc new`: the dates a notice prints — its 落款 (`2026年3月1日`, `二〇二六年三月一日`),
its 版记 (`…办公室2026年12月10日印发`) — and the numbers written in Chinese numerals (三, 十二).
"""

from __future__ import annotations

import re

# The 落款 date, in figures or in Chinese numerals as signatures print it (二〇二六年三月一日).
DATE_DIGITS = "0-9〇零一二两三四五六七八九十"
SIGNATURE_DATE = re.compile(
    rf"^([{DATE_DIGITS}]{{4}})\s*年\s*([{DATE_DIGITS}]{{1,3}})\s*月\s*([{DATE_DIGITS}]{{1,3}})\s*日$"
)
# The 版记 at the foot of a notice: `临江市人民政府办公室2026年12月10日印发` (the office that
# printed it and the day), an aside like the signature, never the text of the last clause.
IMPRINT = re.compile(
    rf"^\S*?\s*[{DATE_DIGITS}]{{4}}\s*年\s*[{DATE_DIGITS}]{{1,3}}\s*月\s*[{DATE_DIGITS}]{{1,3}}"
    r"\s*日\s*印发$"
)

_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def signature_iso(date: re.Match[str]) -> str:
    """2026-03-01 from `2026年3月1日` or `二〇二六年三月一日`."""
    year = "".join(str(_CHINESE_DIGITS.get(c, c)) for c in date[1])
    return f"{year}-{count_written(date[2]):02d}-{count_written(date[3]):02d}"


def iso_day(written: str) -> str:
    year, month, day = re.findall(r"\d+", written)
    return f"{year}-{int(month):02d}-{int(day):02d}"


def count_written(written: str) -> int:
    """3, 三, 十二, 九十, 一百八十, 一百零五 → the number (0 for what it does not read)."""
    if written.isdigit():
        return int(written)
    hundreds, hundred, rest = written.partition("百")
    if hundred:
        below = rest.lstrip("零〇")
        return (_CHINESE_DIGITS.get(hundreds, 0) if hundreds else 1) * 100 + (
            count_written(below) if below else 0
        )
    tens, _, units = written.partition("十")
    if "十" not in written:
        return _CHINESE_DIGITS.get(written, 0)
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + _CHINESE_DIGITS.get(units, 0)
