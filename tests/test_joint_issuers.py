"""联合发文: `issuer A, B, C` names every issuing unit, the lead issuer first (grammar `issuer`,
nodes.Header.issuers), shown wherever the issuer is — `run`'s header and JSON, the site, the
serve API — and checked against the registry like any unit (compiler/header_checks.py).

newcomer finding (session 11): a notice issued by 市民政局 市财政局 市残联 could not be written;
`issuer` took one unit. The expected values are read off tests/joint_helpers.py by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policyc.compiler.errors import PolicyError
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import check_policy
from tests.joint_helpers import body, header, project

CASE = "policy: 青民发〔2026〕3号\non: 2026-04-01\ninputs:\n  困难残疾人: true\n"


def policyc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args], cwd=cwd, capture_output=True, text=True
    )


def test_several_issuers_parse_the_first_the_lead() -> None:
    parsed = parse(header() + body(), "joint.policy")
    assert parsed.header.issuer is not None and parsed.header.issuer.text == "市民政局"
    assert [name.text for name in parsed.header.issuers] == ["市民政局", "市财政局", "市残联"]
    # One issuer is as before: the lead issuer alone.
    single = parse(header(issuers="市民政局") + body(), "joint.policy")
    assert [name.text for name in single.header.issuers] == ["市民政局"]
    assert single.header.co_issuers == ()


def test_an_issuer_not_in_the_registry_is_named_where_it_is_written(tmp_path: Path) -> None:
    path = project(tmp_path, header(issuers="市民政局, 市财政厅, 市残联") + body())
    try:
        problems = check_policy(path).diagnostics
    except PolicyError as exc:
        problems = exc.diagnostics
    unknown = [d for d in problems if "市财政厅" in d.message]
    assert len(unknown) == 1
    # `    issuer 市民政局, 市财政厅, 市残联`: line 3; 17 characters before the second name.
    assert (unknown[0].span.line, unknown[0].span.column) == (3, 18)
    assert "unknown unit `市财政厅`" in unknown[0].message


def test_a_unit_named_twice_among_the_issuers_is_an_error(tmp_path: Path) -> None:
    # 市残疾人联合会 is an alias of 市残联: the same unit, named twice.
    path = project(tmp_path, header(issuers="市残联, 市民政局, 市残疾人联合会") + body())
    try:
        problems = check_policy(path).diagnostics
    except PolicyError as exc:
        problems = exc.diagnostics
    twice = [d for d in problems if "already named" in d.message]
    assert [(d.span.line, d.span.column) for d in twice] == [(3, 23)]
    assert "issuer `市残疾人联合会` is the unit `市残联` already named (line 3)" in twice[0].message


def test_run_shows_every_issuer_the_lead_first(tmp_path: Path) -> None:
    path = project(tmp_path)
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    text = policyc("run", str(path), "--case", "case.yaml", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "青民发〔2026〕3号  关于做好困难残疾人两项补贴发放工作的通知"
    assert lines[1] == "联合发文: 市民政局（牵头）、市财政局、市残联"
    as_json = policyc("run", str(path), "--case", "case.yaml", "--format", "json", cwd=tmp_path)
    assert json.loads(as_json.stdout)["issuers"] == ["市民政局", "市财政局", "市残联"]


def test_run_of_a_single_issuer_has_no_joint_line(tmp_path: Path) -> None:
    path = project(tmp_path, header(issuers="市民政局") + body())
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    text = policyc("run", str(path), "--case", "case.yaml", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "联合发文" not in text.stdout
    as_json = policyc("run", str(path), "--case", "case.yaml", "--format", "json", cwd=tmp_path)
    assert json.loads(as_json.stdout)["issuers"] == ["市民政局"]


def test_the_site_lists_every_issuer_and_each_units_page_names_the_notice(tmp_path: Path) -> None:
    project(tmp_path)
    out = tmp_path / "site"
    made = policyc("docs", "joint.policy", "--out", str(out), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    page = next((out / "docs").rglob("joint.md")).read_text(encoding="utf-8")
    facts = [line for line in page.splitlines() if "发文单位" in line]
    assert facts, page[:2000]
    issuers = facts[0]
    # Each linked to its unit's page, the lead first and marked.
    assert issuers.index("市民政局") < issuers.index("市财政局") < issuers.index("市残联")
    assert "市民政局](" in issuers and "（牵头）" in issuers
    for unit in ("市民政局", "市财政局", "市残联"):
        unit_page = next((out / "docs").rglob(f"{unit}.md")).read_text(encoding="utf-8")
        assert "发文单位" in unit_page and "青民发〔2026〕3号" in unit_page


def test_the_serve_summary_gives_the_lead_issuer_and_all_issuers(tmp_path: Path) -> None:
    from policyc.compiler.pipeline import compile_policy
    from policyc.serve.catalog import summary

    shown = summary("joint", compile_policy(project(tmp_path)))
    assert shown["issuer"] == "市民政局"
    assert shown["issuers"] == ["市民政局", "市财政局", "市残联"]


def test_the_sites_publisher_is_every_issuer_by_its_full_name(tmp_path: Path) -> None:
    from policyc.compiler.site.config import issuer_names, shared_place

    names = issuer_names([check_policy(project(tmp_path))])
    assert names == ["青山市民政局", "青山市财政局", "青山市残疾人联合会"]
    assert shared_place(names) == "青山市"


def test_fmt_keeps_the_issuers_as_a_list() -> None:
    from policyc.compiler.fmt import format_text

    text = header(issuers="市民政局 ,市财政局,  市残联")
    assert "    issuer 市民政局, 市财政局, 市残联\n" in format_text(text)


def test_the_web_pages_show_the_issuers_the_lead_marked(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from policyc.serve.app import create_app

    client = TestClient(create_app([project(tmp_path)]))
    shown = "市民政局（牵头）、市财政局、市残联"
    assert f"<td>{shown}</td>" in client.get("/").text
    assert f'<p class="meta">{shown} · ' in client.get("/policies/joint").text
