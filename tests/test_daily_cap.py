"""A cap per day over a duration: "每车每日收费最高不超过20元" (language.md "A cap per day over a
duration"), on tests/fixtures/parking/ (青发改价格〔2026〕15号, invented).

Worked by hand from the notice: 超过1小时的，每小时收费2元，不足1小时的按1小时计; 每车每日收费最高
不超过20元, read as 每满24小时为一日 (the reading the policy takes) — the stay split into days of 24
hours and what is left, each day's fee (its hours rounded up, 2元 each) capped at 20元 (不超过:
20元 itself is allowed), the days added up. Whether the stay is charged at all (超过1小时, 1小时
itself excluded) is judged on the whole stay.

- 1 小时: not over 1 小时 — no fee; 1.5 小时: 2 小时 → 4元;
- 10 小时: 20元, exactly the cap (not capped); 10.5 小时: 11 小时 → 22元 → 20元;
- 24 小时: one day, 48元 → 20元; 24.5 小时: 20元 + (0.5 → 1 小时) 2元 = 22元;
- 25 小时: 20元 + 2元 = 22元 (the stay is over 1 小时: the second day's hour is charged);
- 30 小时: 20元 + 6 × 2元 = 32元 (60元 before the caps); 48 小时: 20元 + 20元 = 40元;
- at 1 元/小时 (the brief's figures): 30 小时 → 20元 + 6元 = 26元.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.daily_caps import parts
from policyc.runtime.evaluation import EvaluationError
from policyc.runtime.quantity import Quantity
from tests.batch_helpers import batch_csv
from tests.test_fastpath import both

FIXTURE = Path(__file__).parent / "fixtures" / "parking"
ON = date(2027, 2, 1)
CAP_LINE = "cap 20 元 per 日 of 停放时长 by reading 每日 { 满24小时: every_24_hours, 自然日: calendar_day }"


def _copy(tmp_path: Path, text: str | None = None) -> Path:
    for name in ("notice.txt", "units.policy"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    path = tmp_path / "parking.policy"
    path.write_text(text or (FIXTURE / "parking.policy").read_text(encoding="utf-8"), "utf-8")
    return path


def _changed(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURE / "parking.policy").read_text(encoding="utf-8")
    assert old in text
    return _copy(tmp_path, text.replace(old, new))


@pytest.fixture(scope="module")
def parking() -> CompiledPolicy:
    return compile_policy(FIXTURE / "parking.policy")


def _fee(policy: CompiledPolicy, hours: str, **kw: Any) -> Any:
    inputs = {"停放时长": Quantity.of(hours, "小时")}
    both(policy, inputs, ON, **kw)  # the fast path (which leaves it to the traced) agrees
    (fee,) = [r for r in policy.evaluate(inputs, ON, **kw) if r.info.name == "停车费"]
    return fee


@pytest.mark.parametrize(
    ("hours", "charged", "before"),
    [
        ("1.5", "4", None),
        ("10", "20", None),  # exactly the cap: 不超过20元 allows 20元
        ("10.5", "20", "22"),
        ("24", "20", "48"),
        ("24.5", "22", "50"),  # a second day of half an hour, charged as 1 小时
        ("25", "22", "50"),
        ("30", "32", "60"),
        ("48", "40", "96"),
        ("48.5", "42", "98"),
    ],
)
def test_each_day_of_24_hours_capped(
    parking: CompiledPolicy, hours: str, charged: str, before: str | None
) -> None:
    fee = _fee(parking, hours)
    assert fee.status == "applies"
    assert fee.amount == Quantity.of(charged, "元")
    assert fee.uncapped == (Quantity.of(before, "元") if before is not None else None)


def test_one_hour_is_not_charged(parking: CompiledPolicy) -> None:
    assert _fee(parking, "1").status == "not_applicable"  # 超过1小时 excludes 1 小时


def test_a_rate_of_1_yuan_gives_26_for_30_hours(tmp_path: Path) -> None:
    policy = compile_policy(_changed(tmp_path, "2 元/小时 × 计费时长", "1 元/小时 × 计费时长"))
    assert _fee(policy, "30").amount == Quantity.of(26, "元")
    assert _fee(policy, "24").amount == Quantity.of(20, "元")  # 24元 → 20元
    assert _fee(policy, "20").amount == Quantity.of(20, "元")  # 20元: the cap itself


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("0", ["0"]), ("6", ["6"]), ("24", ["24"]), ("24.5", ["24", "0.5"]), ("48", ["24", "24"])],
)
def test_parts(hours: str, expected: list[str]) -> None:
    got = parts(Quantity.of(hours, "小时"))
    assert got == [Quantity.of(h, "小时") for h in expected]


def test_explain_shows_each_day(parking: CompiledPolicy) -> None:
    fee = _fee(parking, "30", explain=True)
    texts = [step.text for step in fee.steps]
    assert "第1日: 停放时长 = 24小时（每满24小时为一日）" in texts
    assert "第1日: 48元 超过每日上限 20元, 按 20元 计" in texts
    assert "第2日: 12元, 未超过每日上限 20元" in texts
    assert "2日合计: 32元" in texts


def test_undetermined_without_the_duration(parking: CompiledPolicy) -> None:
    (fee,) = [r for r in parking.evaluate({}, ON) if r.info.name == "停车费"]
    assert fee.status == "undetermined"


def test_a_run_choosing_calendar_days_is_refused(parking: CompiledPolicy) -> None:
    with pytest.raises(EvaluationError) as caught:
        parking.evaluate({"停放时长": Quantity.of(30, "小时")}, ON, readings={"每日": "自然日"})
    assert "reading `每日` is `自然日`" in str(caught.value)
    assert "times of day" in str(caught.value)


# ---- check ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # no reading declared: the two readings named, and how to write one
        (CAP_LINE, "cap 20 元 per 日", "`per 日`: a day over a stay has two readings"),
        ("take 满24小时", "take 自然日", "reading `每日` takes `自然日`, each calendar day"),
        ("自然日: calendar_day", "自然日: midnight", "`midnight` is not a kind of day"),
        (", 自然日: calendar_day", "", "`by reading 每日` says nothing of option(s) 自然日"),
        (
            "满24小时: every",
            "满二十四小时: every",
            "`满二十四小时` is not an option of reading `每日`",
        ),
        ("of 停放时长 by", "of 计费 by", "`of 计费`: no input of that name"),
        ("by reading 每日 {", "by reading 每天 {", "unknown reading `每天`"),
        ("per 日 of", "per 年 of", "splits a duration into days, but the cap is not per day"),
        ("input 停放时长: 小时", "input 停放时长: 元", "`停放时长` is not one duration"),
    ],
)
def test_check_refuses(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy(_changed(tmp_path, old, new))
    assert message in str(caught.value), str(caught.value)


def test_the_refusal_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy(_changed(tmp_path, CAP_LINE, "cap 20 元 per 日"))
    text = str(caught.value)
    assert "every 24 hours (每满24小时为一日) or each calendar day" in text
    assert "every_24_hours" in text and "calendar_day" in text
    assert "parking.policy:28:" in text  # at the word `日`


def test_a_week_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy(_changed(tmp_path, CAP_LINE, "cap 20 元 per 周"))
    assert "a cap's period is 年 or 月 only" in str(caught.value)


# ---- the batch: the rule runs case by case, with the same figures -------------------------


def test_batch_evaluates_it_case_by_case(parking: CompiledPolicy, tmp_path: Path) -> None:
    fallback, rows = batch_csv(parking, tmp_path, "停放时长\n30小时\n10.5小时\n1小时\n", ON)
    assert "per day" in fallback["停车费"]
    assert [Decimal(r["停车费"][1]) for r in rows[:2]] == [32, 20]
    assert rows[2]["停车费"][0] == "not_applicable"  # 1小时 is not 超过1小时


# ---- the site ------------------------------------------------------------------------------


def test_the_site_says_what_a_day_is() -> None:
    from policyc.compiler.docs import render_docs
    from policyc.compiler.pipeline import check_policy

    page = render_docs([check_policy(FIXTURE / "parking.policy")])["docs/parking.md"]
    words = "每日最高20元（停放时长每满24小时为一日，不足24小时的部分另为一日，各日分别封顶）"
    assert f"- **封顶**：{words}" in page
    assert f"，{words}" in page  # the citizen's 应缴多少 too
    assert "- **应缴方**：车主" in page
    assert "### 每日 {#reading-每日}" in page  # the reading, its question and options


def test_the_language_server_says_what_a_day_is(tmp_path: Path) -> None:
    # Hovering the rule shows its cap as the site words it: 每日 with what a day is.
    from policyc.editing import Document

    source = (Path(__file__).parent / "fixtures" / "parking" / "parking.policy").read_text(
        encoding="utf-8"
    )
    document = Document(str(tmp_path / "parking.policy"))
    document.update(source)
    (symbol,) = document.symbols["停车费"]
    assert "- 上限: 每日 20元（停放时长每满24小时为一日" in symbol.hover
