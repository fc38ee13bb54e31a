"""`generated_docs/` is exactly what `policyc docs` makes from `policies/` now: regenerating it
changes nothing, and nothing in it is written by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policyc.compiler.docs import render_docs
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import check_policy, read_source
from policyc.worked_examples import worked_examples

REPO = Path(__file__).parent.parent


def test_generated_docs_are_up_to_date():
    policies = [
        check_policy(path)
        for path in sorted((REPO / "policies").glob("*.policy"))
        if parse(read_source(path), str(path)).header is not None
    ]
    rendered = render_docs(policies, examples=worked_examples(policies))
    on_disk = {
        str(p.relative_to(REPO / "generated_docs")): p.read_text(encoding="utf-8")
        for p in (REPO / "generated_docs").rglob("*")
        if p.is_file() and "site" not in p.relative_to(REPO / "generated_docs").parts
    }
    assert sorted(on_disk) == sorted(rendered), "files differ: run `policyc docs` and commit"
    stale = [name for name in rendered if rendered[name] != on_disk[name]]
    assert not stale, f"out of date: {stale}; run `policyc docs` and commit"


def test_the_committed_site_builds_strictly(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=REPO / "generated_docs", capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "tzf-2023-1" / "index.html").exists()
