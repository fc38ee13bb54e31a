"""`policyc new` resolves a unit the text writes by its full name: with `unit 市发改委
"临江市发展和改革委员会"` in the registry, a notice signed 临江市发展和改革委员会 has issuer 市发改委
(it said the 落款 was not in the registry until the full name was added as an alias)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOTICE = """临江市发展和改革委员会关于城区公共停车场收费标准的通知
临发改价〔2026〕5号
各区发展改革局，各停车场经营单位：
一、城区公共停车场小型车停放收费标准为每小时2元。（责任单位：临江市发展和改革委员会、临江市停车管理中心）
本通知自2027年1月1日起执行，有效期3年。
临江市发展和改革委员会
2026年12月1日
"""


def _new(tmp_path: Path, units: str) -> str:
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "units.policy").write_text(units, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "new", "notice.txt", "--lines", "1-7"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_full_name_resolves_to_the_unit(tmp_path: Path) -> None:
    made = _new(tmp_path, 'unit 市发改委 "临江市发展和改革委员会"\n')
    assert "    issuer 市发改委 " in made
    assert "is not in the registry" not in made
    assert "responsible 市发改委\n" in made  # 临江市停车管理中心 is no unit of the registry
    assert "units not in the registry: 临江市停车管理中心" in made


def test_a_name_that_only_resembles_the_full_name_does_not(tmp_path: Path) -> None:
    # 临江市发展改革委员会 (without 和) is another text: listed for the registry, not guessed
    made = _new(tmp_path, 'unit 市发改委 "临江市发展和改革委员会"\n'.replace("发展和", "发展"))
    assert "the issuer 临江市发展和改革委员会 (落款) is not in the registry" in made
    assert "临江市发展和改革委员会" in made.split("units not in the registry: ")[1].split("\n")[0]
