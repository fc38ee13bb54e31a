"""A citizen's view of each clause: who can apply, how much, a worked example from the shipped
cases (evaluated, the figures `policyc test` checks), whom to ask, the original sentence; the
drafter's details folded; tier tables and schedules drawn as reproducible SVG (issue 15 item 4)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policyc.compiler.docs import render_docs
from policyc.compiler.pipeline import check_policy
from policyc.worked_examples import worked_examples

REPO = Path(__file__).resolve().parent.parent
COUNTY = REPO / "tests" / "fixtures" / "county"
POLICY = COUNTY / "policies" / "lul-2024-3.policy"
CASES = COUNTY / "examples" / "lul-2024-3"


def rule_section(page: str, rule: str) -> str:
    start = page.index(f"#### 规则：{rule}")
    end = re.search(r"^#{1,4} ", page[start + 5 :], re.M)
    return page[start : start + 5 + end.start()] if end else page[start:]


def citizen_box(section: str) -> str:
    start = section.index('<div class="pc-citizen" markdown>')
    return section[start : section.index("</div>", start)]


@pytest.fixture(scope="module")
def county() -> dict[str, str]:
    policy = check_policy(POLICY)
    return render_docs([policy], examples=worked_examples([policy]))


def expected_amount(case: str, rule: str) -> str:
    """What the case file's `expect:` says (what `policyc test` compares the evaluation with)."""
    data = yaml.safe_load((CASES / case).read_text(encoding="utf-8"))
    return str(data["expect"][rule]["amount"])


@pytest.mark.parametrize(
    ("rule", "case"),
    [
        ("茶园建设补贴", "01-tea-garden.yaml"),
        ("销售奖励", "02-sales-award.yaml"),
        ("租金减免", "03-park-rent.yaml"),
    ],
)
def test_worked_example_is_the_checked_case(county: dict[str, str], rule: str, case: str) -> None:
    box = citizen_box(rule_section(county["docs/lul-2024-3.md"], rule))
    line = next(x for x in box.splitlines() if x.startswith("- **算例**："))
    assert f"来自示例案例 `examples/lul-2024-3/{case}`" in line
    assert "（评估日 2024-12-31）" in line
    # The amount shown is the evaluation's; it agrees with what the case expects (in the
    # measure the report uses, with the case's own wording beside it).
    assert (
        f"（{expected_amount(case, rule)}）" in line or f"**{expected_amount(case, rule)}**" in line
    )


def test_citizen_box_answers_who_how_much_whom(county: dict[str, str]) -> None:
    section = rule_section(county["docs/lul-2024-3.md"], "茶园建设补贴")
    box = citizen_box(section)
    assert "- **受益对象**：茶叶种植主体\n" in box  # who receives (docs/language.md)
    assert "新建茶园面积 10亩以上（含本数）" in box
    assert "- **能得多少**：300元/亩 × 新建茶园面积\n" in box
    assert "- **次数**：一次性给予\n" in box
    assert (
        "- **向谁咨询**：[县农业农村局](units/县农业农村局.md)、[县财政局](units/县财政局.md)"
        in box
    )
    # Only the inputs the rule reads: the case's applicant type and area.
    assert "申请人类型 茶叶种植主体，新建茶园面积 12亩（评估日" in box
    # The original sentence sits before the box; the policy file's line is folded after it.
    assert section.index("对新建标准化茶园面积10亩以上的") < section.index("**办事要点**")
    details = section.index('<details class="pc-drafter" markdown>')
    assert section.index("**办事要点**") < details < section.index("[规则文件第")


def test_units_to_ask_fall_back_to_the_interpreter(tmp_path: Path) -> None:
    project = tmp_path / "county"
    shutil.copytree(COUNTY, project)
    path = project / "policies" / "lul-2024-3.policy"
    text = path.read_text(encoding="utf-8").replace("    responsible 县商务局\n", "")
    path.write_text(text, encoding="utf-8")
    page = render_docs([check_policy(path)])["docs/lul-2024-3.md"]
    box = citizen_box(rule_section(page, "销售奖励"))
    assert "- **向谁咨询**：[县农业农村局](units/县农业农村局.md)\n" in box  # interpreted_by


def test_case_disagreeing_with_its_expectation_is_no_example(tmp_path: Path) -> None:
    """A case whose evaluation differs from its `expect:` (policyc test fails it), a file that
    is not a case, and a case leaving the examples folder through a link give no example."""
    project = tmp_path / "county"
    shutil.copytree(COUNTY, project)
    cases = project / "examples" / "lul-2024-3"
    wrong = (
        (cases / "01-tea-garden.yaml").read_text(encoding="utf-8").replace('"3600元"', '"3900元"')
    )
    (cases / "01-tea-garden.yaml").write_text(wrong, encoding="utf-8")
    (cases / "00-broken.yaml").write_text("policy: [\n", encoding="utf-8")
    outside = tmp_path / "outside.yaml"
    outside.write_text(
        (COUNTY / "examples/lul-2024-3/02-sales-award.yaml").read_text("utf-8"), "utf-8"
    )
    (cases / "02-sales-award.yaml").unlink()
    (cases / "02-sales-award.yaml").symlink_to(outside)
    policy = check_policy(project / "policies" / "lul-2024-3.policy")
    examples = worked_examples([policy])["鹭政发〔2024〕3号"]
    assert [e.rule for e in examples] == ["租金减免"]
    page = render_docs([policy], examples={"鹭政发〔2024〕3号": examples})["docs/lul-2024-3.md"]
    assert "- **算例**" not in rule_section(page, "茶园建设补贴")


def test_shipped_examples_reach_the_pages() -> None:
    """Every rule of 天政发〔2023〕1号 that a shipped case expects to apply with an amount (and
    that passes) shows a worked example: the shipped logistics case among them."""
    policy = check_policy(REPO / "policies" / "tzf-2023-1.policy")
    examples = worked_examples([policy])["天政发〔2023〕1号"]
    assert len(examples) >= 20
    chosen = {e.rule: e for e in examples}
    logistics = chosen["电商物流补贴"]
    assert logistics.case.startswith("examples/tzf-2023-1/")
    data = yaml.safe_load((REPO / logistics.case).read_text(encoding="utf-8"))
    assert data["expect"]["电商物流补贴"]["status"] == "applies"


# ---- charts ----


def test_tier_chart_draws_the_document_steps(county: dict[str, str]) -> None:
    page = county["docs/lul-2024-3.md"]
    section = rule_section(page, "销售奖励")
    found = re.search(
        r"!\[档次图：[^\]]*\]\((assets/charts/[^)]+\.svg)\)\{: \.pc-chart \}", section
    )
    assert found is not None
    svg = county[f"docs/{found.group(1)}"]
    assert svg.startswith("<?xml") and "<svg" in svg
    # The thresholds as the document writes them, and the award reached at each: each_new adds
    # the tiers, so 3万元 from 1000万元 and 3万元 + 8万元 from 3000万元.
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for label in ("1000万元", "3000万元", "3万元", "11万元"):
        assert label in texts, (label, texts)


def test_schedule_chart_draws_each_year(county: dict[str, str]) -> None:
    section = rule_section(county["docs/lul-2024-3.md"], "租金减免")
    found = re.search(r"!\[年度图：[^\]]*\]\((assets/charts/[^)]+\.svg)\)", section)
    assert found is not None
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", county[f"docs/{found.group(1)}"])
    assert [t for t in texts if t.startswith("第")] == ["第1年", "第2年", "第3年"]
    # 前两年免收 (100% of the rent waived), 第三年减半 (50%).
    assert [t for t in texts if t.endswith("%")] == ["100%", "100%", "50%"]


def build(out: Path, seed: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            *extra,
            "-m",
            "policyc",
            "docs",
            str(COUNTY / "policies"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_rebuilt_twice_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(first, "1").returncode == 0
    assert build(second, "4242").returncode == 0
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert len([name for name in one if name.endswith(".svg")]) == 2


def test_without_matplotlib_the_site_says_so_and_has_no_charts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    blocked = "import sys; sys.modules['matplotlib'] = None; from policyc.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", blocked, "docs", str(COUNTY / "policies"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line]
    assert notes == [
        "charts left out: they need matplotlib: pip install 'policyc[docs]' "
        "(in a checkout: pip install '.[docs]')"
    ]
    assert not (out / "docs" / "assets" / "charts").exists()
    page = (out / "docs" / "lul-2024-3.md").read_text(encoding="utf-8")
    assert ".svg" not in page and "**档次表**" in page


@pytest.fixture(scope="module")
def textile() -> str:
    policy = check_policy(REPO / "policies" / "tzf-2023-1.policy")
    pages = render_docs([policy], examples=worked_examples([policy]))
    return pages["docs/tzf-2023-1.md"]


def test_a_charge_is_owed_and_a_waiver_waived_not_received(textile: str) -> None:
    """天政发〔2023〕1号: "职工宿舍租赁费按200元/月/间收取" (kind 收费标准) is owed by the
    enterprise: 10 间 × 200 元/月/间 × 12 月 = 24,000元 to pay, never "能得多少 … 得"; the rent
    waived (kind 减免) is 减免. A newcomer's 罚款 page said 谁可以申请 … → 得 100,000元."""
    charge = citizen_box(rule_section(textile, "宿舍租赁费按标准收取"))
    assert "**应缴多少**" in charge and "→ 应缴 **24,000元（2.4万元）**" in charge
    assert "能得多少" not in charge and "→ 得" not in charge
    # the one who owes it is 应缴方, as `run` labels a charge's party (not 适用对象, not 受益)
    assert "**应缴方**" in charge and "受益对象" not in charge and "适用对象" not in charge
    waived = citizen_box(rule_section(textile, "租金减免"))
    assert "**减免多少**" in waived and "→ 减免 **" in waived and "→ 得" not in waived
