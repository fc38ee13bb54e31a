"""A table read at the member a case gives: `救助比例[类别]` (compiler/lookup.py).

"特困人员按90%、低保对象按80%、其他救助对象按60%给予救助": a table of percentages by the
applicant's category, read at the category the case gives. Each amount below is worked by hand:
(个人自付费用 − 2000元) × the category's rate, rounded to 分 half up.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

SOURCE = (
    "救助对象个人自付部分超过起付线2000元以上的部分，特困人员按90%、低保对象按80%、"
    "其他救助对象按60%给予救助。\n"
)
POLICY = """\
policy "测〔2026〕9号" {
    title "医疗救助"
    source "source.txt" lines 1 to 1
}
rounding to 分 half_up because "按分四舍五入读"
enum 救助对象类别 { 特困人员, 低保对象, 其他救助对象 }
input 类别: 救助对象类别 optional "救助对象类别"
input 个人自付费用: 元 "个人自付费用"
table 救助比例 by 救助对象类别 { 特困人员: 90%, 低保对象: 80%, 其他救助对象: 60% }
clause 一 "住院救助" {
    quote "救助对象个人自付部分超过起付线2000元以上的部分，特困人员按90%、低保对象按80%、其他救助对象按60%给予救助。"
    rule 住院救助 {
        kind 补助
        when 个人自付费用 超过 2000 元
        amount 救助比例[类别] of (个人自付费用 - 2000 元)
    }
}
"""

# (类别 or None, 个人自付费用, status, amount)
CASES = [
    ("低保对象", "12345.67", "applies", Decimal("8276.54")),  # 10345.67 × 80% = 8276.536
    ("特困人员", "3000", "applies", Decimal("900")),  # 1000 × 90%
    ("其他救助对象", "2000.01", "applies", Decimal("0.01")),  # 0.01 × 60% = 0.006 → 0.01
    ("其他救助对象", "2000", "not_applicable", None),  # 超过 2000元 excludes 2000元
    (None, "5000", "undetermined", None),  # the case gives no 类别: the rule waits for it
]


def policyc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lookup")
    (root / "source.txt").write_text(SOURCE, encoding="utf-8")
    (root / "p.policy").write_text(POLICY, encoding="utf-8")
    for i, (kind, paid, _status, _amount) in enumerate(CASES):
        given = (f"类别: {kind}, " if kind else "") + f"个人自付费用: {paid}"
        (root / f"case{i}.yaml").write_text(
            f"policy: 测〔2026〕9号\non: 2026-06-01\ninputs: {{{given}}}\n", encoding="utf-8"
        )
    return root


def _answer(folder: Path, i: int, *extra: str) -> dict[str, object]:
    done = policyc(folder, "run", "p.policy", "--case", f"case{i}.yaml", "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)["results"]
    return dict(result)


@pytest.mark.parametrize("i", range(len(CASES)))
def test_the_table_is_read_at_the_members_the_cases_give(folder: Path, i: int):
    _kind, _paid, status, amount = CASES[i]
    result = _answer(folder, i)
    assert result["status"] == status
    if amount is not None:
        assert Decimal(str(result["amount"]["value"])) == amount
    if status == "undetermined":
        assert "类别" in json.dumps(result, ensure_ascii=False)
    traced = _answer(folder, i, "--explain")  # the traced path agrees with the fast one
    assert (traced["status"], traced.get("amount")) == (status, result.get("amount"))


def test_the_batch_reads_the_same_members(folder: Path):
    rows = [("类别", "个人自付费用")] + [(k or "", p) for k, p, _s, _a in CASES]
    with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    done = policyc(
        folder, "run", "p.policy", "--cases", "cases.csv", "--out", "out.csv", "--on", "2026-06-01"
    )
    assert done.returncode == 0, done.stderr
    with (folder / "out.csv").open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["住院救助.status"] for r in out] == [c[2] for c in CASES]
    paid = [Decimal(r["住院救助.amount_元"]) if r["住院救助.amount_元"] else None for r in out]
    assert paid == [c[3] for c in CASES]


@pytest.mark.parametrize(
    ("declaration", "key", "message"),
    [
        # an input of another type
        ("input 年龄: 年", "年龄", "`救助比例` is by `救助对象类别`; `年龄` is"),
        # neither a member nor an input
        ("", "低保户", "`低保户` is not a member of `救助对象类别`"),
    ],
)
def test_a_key_that_is_neither_a_member_nor_of_the_enum_is_refused(
    tmp_path: Path, declaration: str, key: str, message: str
):
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    policy = POLICY.replace("救助比例[类别]", f"救助比例[{key}]").replace(
        'input 个人自付费用: 元 "个人自付费用"',
        f'input 个人自付费用: 元 "个人自付费用"\n{declaration}',
    )
    (tmp_path / "p.policy").write_text(policy, encoding="utf-8")
    done = policyc(tmp_path, "check", "p.policy")
    assert done.returncode != 0
    assert message in done.stderr
    assert (
        "a member (特困人员 / 低保对象 / 其他救助对象) or an input of `救助对象类别`" in done.stderr
    )
