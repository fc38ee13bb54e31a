"""Shared helpers: build small policies in a temporary folder beside a tiny source and registry."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The tests assert the messages as written in the code, in English; policyc speaks Chinese by
# default. LANGUAGE comes first in gettext's order, and subprocesses inherit it. Set before
# policyc is imported: the language is read once per process (tests/test_i18n.py checks Chinese).
os.environ["LANGUAGE"] = "en"

import pytest

from policyc.compiler.pipeline import CompiledPolicy, compile_policy

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent

HEADER = """policy "测试〔2023〕1号" {
    title "测试政策"
    issuer 天门市人民政府
    issued 2023-01-06
    valid from 2023-01-06 for 3 年 provisional counting from_start_day
    interpreted_by 市商务局
    source "source.txt" lines 1 to 3
    units from "units.policy"
}
"""

QUOTE = 'quote "对服装电商企业,按实际发货量每单补贴0.2元(不含口罩等纺织品),单个企业每年最高补贴100万元。"'


class PolicyFactory:
    """Writes a policy (header + body) next to the mini fixture's source and units."""

    def __init__(self, folder: Path):
        self.folder = folder
        for name in ("source.txt", "units.policy"):
            shutil.copy(FIXTURES / "mini" / name, folder / name)

    def write(self, body: str, name: str = "p.policy", header: str = HEADER) -> Path:
        path = self.folder / name
        path.write_text(header + body, encoding="utf-8")
        return path

    def clause(self, rules: str, declarations: str = "") -> str:
        return f'{declarations}\nclause 七 "降低物流成本" {{\n  {QUOTE}\n  responsible 市商务局\n{rules}\n}}\n'

    def compile(self, rules: str, declarations: str = "") -> CompiledPolicy:
        return compile_policy(self.write(self.clause(rules, declarations)))


@pytest.fixture
def policies(tmp_path: Path) -> PolicyFactory:
    return PolicyFactory(tmp_path)


# Compiled policies are cached per user; tests (and the policyc processes they start) use their
# own folder so that they neither read nor leave entries elsewhere.
os.environ.setdefault("POLICYC_CACHE_DIR", tempfile.mkdtemp(prefix="policyc-test-cache-"))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (POLICYC_CACHE_DIR), the cache switched on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYC_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLICYC_NO_CACHE", raising=False)
    return folder


def fail_third_write(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make the third file write fail as a full disk would (for the docs writer's atomicity);
    returns the list of files written so far, so a test can see the failure really happened."""
    attempts: list[Path] = []
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        attempts.append(self)
        if len(attempts) == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    return attempts
