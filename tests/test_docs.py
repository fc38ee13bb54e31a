"""The docs generator: page content, determinism, the atomic write, and `mkdocs build --strict`."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.docs import DocsError, md, render_docs, write_docs
from policyc.compiler.pipeline import check_policy
from tests.conftest import fail_third_write

REPO = Path(__file__).resolve().parent.parent
TZF = REPO / "policies" / "tzf-2023-1.policy"

SOURCE = """\
天政发〔20239

关于测试政策的意见

(一)用工支持。对常年用工50人以上的企业,员工满6个月按500元/人补贴。(责任单位:市人社局、市财政局)

(二)做大总量。年销售收入首次达到5000万元、超过1亿元的,分别奖励5万元、15万元。

(三)租金减免。入驻企业前两年免收房租,后三年减半.

(四)参展补贴。省内2000元/次,省外4000元/次。

(五)物流专线。正常经营半年以上的,给予经营补贴。

(六)入驻条件。具备以下条件之一的可以入驻:从业人员不少于50人;年销售额不低于500万元。

本意见自发布之日起实施,有效期暂定3年,由市商务局负责解释。
"""

UNITS = """\
unit 天门市人民政府 "天门市人民政府"
unit 市人社局 "天门市人力资源和社会保障局" alias 市人力资源和社会保障局
unit 市财政局 "天门市财政局"
unit 市商务局 "天门市商务局"
unit 市国投集团 "天门市国有资产投资集团" kind group
"""

POLICY = """\
policy "天政发〔2023〕9号" {
    title "关于测试政策的意见"
    issuer 天门市人民政府
    issued 2023-01-06
    valid from 2023-01-06 for 3 年 provisional counting from_start_day
    interpreted_by 市商务局
    replaces "天政发〔2020〕1号"
    source "source.txt" lines 1 to 17
    units from "registry.policy"
}

enum 展会地点 { 省内, 省外 }
input 员工人数: 人 "常年用工人数"
input 在岗月数: 月 optional
input 年销售收入: 万元
input 以往最高年销售收入: 万元 default 0 万元
input 入驻日期: date optional "入驻国投产业园的日期"
input 年房租: 元
input 参展次数: 次 by 展会地点 "本年度参展次数"
input 经营月数: 月 optional
input 年销售额: 万元 optional

table 参展补贴标准 by 展会地点 { 省内: 2000 元/次, 省外: 4000 元/次 }

reading 推荐补贴关系 {
    question "满6个月与满1年的补贴是替代还是叠加?"
    option 替代 "满1年时按1000元/人计"
    option 叠加 "合计1500元/人"
    take 替代 because "按最高档计是通常读法"
}

repair 文号 {
    line 1
    received "天政发〔20239"
    corrected "天政发〔2023〕9号"
    because "来文缺“〕”和“号”"
}

repair 句号 {
    line 9
    received "后三年减半."
    corrected "后三年减半。"
    because "来文句末为英文句点"
}

section 一 "测试部分" {
    define 用工大户 = 员工人数 50 人 以上 "常年用工50人以上的企业"
    clause 一 "用工支持" {
        quote "对常年用工50人以上的企业,员工满6个月按500元/人补贴。"
        responsible 市人力资源和社会保障局, 市财政局
        rule 推荐补贴 {
            kind 补贴
            beneficiary 推荐者
            when 用工大户
            when 在岗月数 满 6 月
            amount if reading 推荐补贴关系 is 叠加
                then tiers 在岗月数 each { 满 6 月: 500 元, 满 12 月: 1000 元 }
                else tiers 在岗月数 highest { 满 6 月: 500 元, 满 12 月: 1000 元 }
            cap 1600 元 per 人 per 年
            reading 推荐补贴关系
            note "按人计 | 不含<派遣>员工"
        }
    }
    clause 二 "做大总量" {
        quote "年销售收入首次达到5000万元、超过1亿元的,分别奖励5万元、15万元。"
        responsible 市商务局
        fund 奖励资金 500 万元 per 年 "用于做大总量奖励"
        rule 总量奖励 {
            kind 奖励
            amount tiers 年销售收入 each_new since 以往最高年销售收入 {
                达到 5000 万元: 5 万元,
                超过 1 亿元: 15 万元,
            }
            once per 企业
        }
    }
    clause 三 "租金减免" {
        quote "入驻企业前两年免收房租,后三年减半."
        rule 租金减免 {
            kind 减免
            amount schedule from 入驻日期 {
                year 1 to 2: 100% of 年房租,
                year 3 to 5: 50% of 年房租,
            }
            valid_by 入驻日期
        }
    }
    clause 四 "参展补贴" {
        quote "省内2000元/次,省外4000元/次。"
        rule 参展补贴 {
            amount total(参展补贴标准 × 参展次数)
        }
    }
    clause 五 "物流专线" {
        quote "正常经营半年以上的,给予经营补贴。"
        rule 经营补贴 {
            when 经营月数 满 6 月
            amount unspecified "给予经营补贴"
            responsible 市商务局
        }
    }
    clause 六 "入驻条件" {
        quote "具备以下条件之一的可以入驻"
        rule 入驻资格 {
            kind 资格
            when any_of {
                "从业人员不少于50人": 员工人数 不少于 50 人,
                "年销售额不低于500万元": 年销售额 不低于 500 万元,
            }
            grants "可以入驻"
        }
    }
}
"""


def make_policy(folder: Path, stem: str = "test-1", text: str = POLICY) -> CheckedPolicy:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "registry.policy").write_text(UNITS, encoding="utf-8")
    path = folder / f"{stem}.policy"
    path.write_text(text, encoding="utf-8")
    return check_policy(path)


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> CheckedPolicy:
    return make_policy(tmp_path_factory.mktemp("policy"))


@pytest.fixture(scope="module")
def files(policy: CheckedPolicy) -> dict[str, str]:
    return render_docs([policy])


def section_of(page: str, heading: str, level: int = 6) -> str:
    """The text from a heading line up to the next heading of `level` or higher (any, by
    default)."""
    start = page.index(heading)
    rest = page[start + len(heading) :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return page[start : start + len(heading) + (end.start() if end else len(rest))]


def original(line: int, text: str, page: str = "test-1") -> str:
    """How an original sentence shows: its line linked into the received text, then the text."""
    return (
        f"**原文** · [来文第{line}行](gazette/{page}.md#L{line})\n{{: .pc-label }}\n\n"
        f"{text}\n{{: .pc-text }}\n"
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mkdocs_build(out: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


# ---- content ----


def test_files_produced(files: dict[str, str]) -> None:
    assert sorted(files) == [
        ".policyc-docs",
        "docs/amounts.md",
        # 推荐补贴's two tier tables (each, highest), 总量奖励's tiers, 租金减免's schedule
        "docs/assets/charts/test-1-1.svg",
        "docs/assets/charts/test-1-2.svg",
        "docs/assets/charts/test-1-3.svg",
        "docs/assets/charts/test-1-4.svg",
        "docs/assets/policyc.css",
        "docs/assets/search-zh.js",
        "docs/assets/validity.js",
        "docs/gazette/test-1.md",
        "docs/index.md",
        "docs/source/test-1.md",
        "docs/test-1.md",
        "docs/units/index.md",
        "docs/units/天门市人民政府.md",
        "docs/units/市人社局.md",
        "docs/units/市商务局.md",
        "docs/units/市国投集团.md",
        "docs/units/市财政局.md",
        "mkdocs.yml",
        "policyc_hooks.py",
    ]
    config = files["mkdocs.yml"]
    assert 'docs_dir: "docs"' in config
    assert 'site_name: "天门市政策条款"' in config
    assert '- "天政发〔2023〕9号": "test-1.md"' in config
    assert '- "天政发〔2023〕9号": "source/test-1.md"' in config
    assert '- "天政发〔2023〕9号": "gazette/test-1.md"' in config
    assert '- "市人社局": "units/市人社局.md"' in config


def test_site_config_material_and_chinese_search(files: dict[str, str]) -> None:
    config = files["mkdocs.yml"]
    assert "  name: material\n  language: zh\n" in config
    assert (
        "  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-（）()=，,：:；;、。/]'\n"
        in config
    )
    for extension in ("admonition", "md_in_html", "attr_list", "pymdownx.superfences"):
        assert f"  - {extension}\n" in config
    assert "      anchor_linenums: true\n      line_spans: __span\n" in config
    assert 'extra_javascript:\n  - "assets/search-zh.js"\n  - "assets/validity.js"\n' in config
    assert 'hooks:\n  - "policyc_hooks.py"\n' in config
    assert "anchors: warn" in config
    # The hook lets links to a highlighted line pass the strict build, and nothing else.
    hook = files["policyc_hooks.py"]
    assert "def on_page_content(html, page, **kwargs):" in hook
    assert "__(?:span|codelineno)-\\d+-\\d+" in hook


def test_header_and_validity(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    assert page.startswith("# 天政发〔2023〕9号 关于测试政策的意见\n")
    assert "| 有效期 | 2023-01-06 至 2026-01-05（暂定） |" in page
    assert "| 期限 | 3年，起始日计入 |" in page
    assert "| 解释单位 | [市商务局](units/市商务局.md) |" in page
    assert "| 来文 | `source.txt` [第1–17行](gazette/test-1.md) |" in page
    assert "| 规则文件 | [test-1.policy](source/test-1.md) |" in page
    index = files["docs/index.md"]
    card = index.split("-   **[天政发〔2023〕9号](test-1.md)**", 1)[1].split("\n-   ", 1)[0]
    assert "    关于测试政策的意见\n" in card
    assert "    - 发文单位：[天门市人民政府](units/天门市人民政府.md)\n" in card
    assert "    - 有效期：2023-01-06 至 2026-01-05（暂定）\n" in card
    assert "    - 替代文件：天政发〔2020〕1号\n" in card  # replaces
    assert "    1 部分 · 6 条 · 6 项规则 · 1 处读法 · 2 处来文修正\n" in card
    assert "来文覆盖" not in card  # a drafter's figure: folded on the document's page
    assert "[条款](test-1.md) · [规则文件](source/test-1.md) · [来文](gazette/test-1.md)" in card


def test_in_force_on_fixed_dates_never_the_day_of_generation(files: dict[str, str]) -> None:
    index = files["docs/index.md"]
    validity = section_of(index, "## 在某日是否有效", level=2)
    # The header's date (issued and in force from 2023-01-06), the period's last day, the next.
    assert "| 文件 | 有效期 | 2023-01-06 | 2026-01-05 | 2026-01-06 |" in validity
    assert (
        "| [天政发〔2023〕9号](test-1.md) | 2023-01-06 至 2026-01-05（暂定） | 有效 | 有效 | 已失效 |"
        in validity
    )
    assert "- 2023-01-06：天政发〔2023〕9号发布\n" in validity
    assert "- 2026-01-06：天政发〔2023〕9号失效\n" in validity
    # The reader's own date is answered in the browser, from facts the page carries.
    data = re.search(r'<script type="application/json" id="pc-validity-data">(.*)</script>', index)
    assert data is not None
    assert json.loads(data.group(1)) == [
        {
            "from": "2023-01-06",
            "issued": "2023-01-06",
            "number": "天政发〔2023〕9号",
            "replaced": None,
            "until": "2026-01-05",
        }
    ]
    today = datetime.date.today().isoformat()
    if today not in ("2023-01-06", "2023-03-31", "2026-01-05", "2026-01-06"):
        assert not any(today in text for text in files.values())


def test_validity_without_period_replaced_and_not_yet_issued(tmp_path: Path) -> None:
    """A document without a validity period is in force from its issue (as `run` has it); one
    replaced by another of the site is not, from the other's start."""
    old = POLICY.replace('    replaces "天政发〔2020〕1号"\n', "")
    new = (
        POLICY.replace("天政发〔2023〕9号", "天政发〔2023〕10号")
        .replace("天政发〔2020〕1号", "天政发〔2023〕9号")
        .replace("issued 2023-01-06", "issued 2023-06-01")
        .replace(
            "valid from 2023-01-06 for 3 年 provisional counting from_start_day",
            "valid from 2023-06-01",
        )
    )
    policies = [
        make_policy(tmp_path / "a", text=old),
        make_policy(tmp_path / "b", stem="test-2", text=new),
    ]
    index = render_docs(policies, reference_dates=[(datetime.date(2023, 3, 31), "刊载日")])[
        "docs/index.md"
    ]
    assert "| 文件 | 有效期 | 2023-03-31 | 2026-01-05 | 2026-01-06 |" in index
    assert (
        "| [天政发〔2023〕9号](test-1.md) | 2023-01-06 至 2026-01-05（暂定） | 有效 | 已被替代 | 已被替代 |"
        in index
    )
    assert (
        "| [天政发〔2023〕10号](test-2.md) | 2023-06-01 至 未规定 | 尚未发布 | 有效 | 有效 |"
        in index
    )


def test_clause_heading_anchor_and_quote_line(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    assert "## 一、测试部分 {#section-一}" in page
    assert "### （一）用工支持 {#clause-一}" in page
    clause = section_of(page, "### （一）用工支持", level=3)
    assert original(5, "对常年用工50人以上的企业,员工满6个月按500元/人补贴。") in clause
    # Clauses appear in document order.
    numbers = re.findall(r"^### （(.)）", page, re.M)
    assert numbers == ["一", "二", "三", "四", "五", "六"]


def test_original_beside_what_the_rule_does(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    clause = section_of(page, "### （一）用工支持", level=3)
    # The clause's one rule states its whole text: the text goes beside the rule, not above.
    rule = section_of(clause, "#### 规则：推荐补贴")
    grid = rule.index('<div class="pc-rule" markdown>\n<div class="pc-original" markdown>\n')
    quote = rule.index(original(5, "对常年用工50人以上的企业,员工满6个月按500元/人补贴。"))
    citizen = rule.index('</div>\n<div class="pc-citizen" markdown>\n\n**办事要点**\n')
    how_much = rule.index("- **能得多少**：按下表（及图）计算，每人每年最高1600元")
    ask = rule.index("- **向谁咨询**：[市人社局](units/市人社局.md)、[市财政局](units/市财政局.md)")
    # The drafter's details (the policy file's line, the rule as written) folded below.
    folded = rule.index(
        '<details class="pc-drafter" markdown>\n<summary>规则细节（供起草与核对）</summary>'
    )
    label = rule.index(
        "**本规则** · [规则文件第51行](source/test-1.md#__span-0-51)\n{: .pc-label }"
    )
    facts = rule.index("- **类型**：补贴")
    assert (
        grid < quote < citizen < how_much < ask < folded < label < facts < rule.index("</details>")
    )
    assert clause.count("对常年用工50人以上的企业") == 1
    # Each clause links to its line in the policy file.
    assert (
        "### （一）用工支持 {#clause-一}\n\n[规则文件第48行](source/test-1.md#__span-0-48)\n{: .pc-where }"
        in page
    )


def test_source_links_point_at_the_lines(policy: CheckedPolicy, files: dict[str, str]) -> None:
    lines = policy.text.splitlines()
    page = files["docs/test-1.md"]
    found = re.findall(r"\[规则文件第(\d+)行\]\(source/test-1\.md#__span-0-(\d+)\)", page)
    assert len(found) >= 15
    for shown, anchor in found:
        assert shown == anchor
    targets = {lines[int(n) - 1].split()[0] for n, _ in found}
    assert targets == {"section", "clause", "rule", "define", "reading"}
    assert lines[48 - 1].strip() == 'clause 一 "用工支持" {'
    assert lines[51 - 1].strip() == "rule 推荐补贴 {"


def test_source_page_is_the_policy_file(policy: CheckedPolicy, files: dict[str, str]) -> None:
    page = files["docs/source/test-1.md"]
    assert page.startswith("---\nsearch:\n  exclude: true\n---\n\n# 规则文件 test-1.policy\n")
    assert "[天政发〔2023〕9号 关于测试政策的意见](../test-1.md)" in page
    assert "[来文](../gazette/test-1.md)" in page
    # Verbatim, blank lines and all, so that line N of the block is line N of the file.
    assert f'\n```policyc linenums="1"\n{policy.text}```\n' in page


def test_source_page_fence_outlasts_backticks_in_the_file(tmp_path: Path) -> None:
    text = POLICY.replace('note "按人计 | 不含<派遣>员工"', 'note "按人计 ```` 不含"')
    checked = make_policy(tmp_path, text=text)
    page = render_docs([checked])["docs/source/test-1.md"]
    assert '\n`````policyc linenums="1"\n' in page
    assert page.endswith("\n`````\n")


def test_received_text_page(files: dict[str, str]) -> None:
    page = files["docs/gazette/test-1.md"]
    assert page.startswith("---\nsearch:\n  exclude: true\n---\n\n# 来文 天政发〔2023〕9号\n")
    assert "`source.txt` 第1–17行" in page
    # Every line, numbered and anchored; the parts that quote it link back.
    assert (
        '<span class="pc-ln">5</span>(一)用工支持。对常年用工50人以上的企业,员工满6个月按500元/人补贴。'
        "(责任单位:市人社局、市财政局) "
        '<span class="pc-back">→ [（一）用工支持](../test-1.md#clause-一)</span>\n{: #L5 .pc-line }\n'
    ) in page
    assert '<span class="pc-ln">2</span>\n{: #L2 .pc-line }\n' in page
    assert page.count(".pc-line }") == 17
    assert (
        '<span class="pc-fix">来文修正：“天政发〔20239”应为“天政发〔2023〕9号”（来文缺“〕”和“号”）</span>'
    ) in page
    # Every "来文第N行" on the policy page has its line here.
    policy_page = files["docs/test-1.md"]
    for line in re.findall(r"\(gazette/test-1\.md#L(\d+)\)", policy_page):
        assert f"{{: #L{line} .pc-line }}" in page


def test_conditions_spell_out_inclusion(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    rule = section_of(page, "#### 规则：推荐补贴")
    assert "- **条件**：须全部满足" in rule
    assert "    1. [用工大户](#define-用工大户)" in rule
    assert "    2. 在岗月数 满6个月（含本数）" in rule
    define = section_of(page, "### 定义：用工大户 {#define-用工大户}")
    assert "常年用工50人以上的企业" in define
    assert "**条件**：员工人数 50人以上（含本数）" in define
    assert "- **封顶**：每人每年最高1600元" in rule


def test_tier_table(files: dict[str, str]) -> None:
    rule = section_of(files["docs/test-1.md"], "#### 规则：总量奖励")
    assert "| 档次 | 门槛（边界） | 金额 |" in rule
    assert "| 1 | 达到5000万元（含本数） | 5万元 |" in rule
    assert "| 2 | 超过1亿元（不含本数） | 15万元 |" in rule
    assert "本次达到、而以往最高值（以往最高年销售收入）未达到的各档金额相加" in rule
    assert "each\\_new since 以往最高年销售收入" in rule
    assert "- **一次性**：一次性（每企业限一次）" in rule


def test_tiers_chosen_by_a_reading_say_which_applies(files: dict[str, str]) -> None:
    rule = section_of(files["docs/test-1.md"], "#### 规则：推荐补贴")
    reading = "读法[推荐补贴关系](#reading-推荐补贴关系)"
    each = rule.index(f"*适用*：{reading}取“叠加”时（现未采用）")
    highest = rule.index(f"*适用*：{reading}不取“叠加”时（现采用）")
    assert each < rule.index("**计法**（each）：达到的各档金额相加。") < highest
    assert highest < rule.index("**计法**（highest）：取达到的最高一档的金额（只计一档）。")
    assert rule.count("| 2 | 满12个月（含本数） | 1000元 |") == 2


def test_schedule_and_table(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    schedule = section_of(page, "#### 规则：租金减免")
    assert "| 第1–2年 | 年房租的100% |" in schedule
    assert "| 第3–5年 | 年房租的50% |" in schedule
    assert "- **有效期依据**：以入驻日期判断是否在有效期内（而非评估日）" in schedule
    table = section_of(page, "#### 规则：参展补贴")
    assert "([参展补贴标准](#table-参展补贴标准) × 参展次数)各项合计" in table
    assert "| 省内 | 2000元/次 |" in table
    assert "| 省外 | 4000元/次 |" in table
    assert "### 参展补贴标准（按展会地点） {#table-参展补贴标准}" in page


def test_unspecified_amount_has_no_number(files: dict[str, str]) -> None:
    rule = section_of(files["docs/test-1.md"], "#### 规则：经营补贴")
    assert "- **金额未规定**：给予经营补贴（文件未写明金额，不作计算）" in rule
    assert "- **金额**：" not in rule
    assert "- **能得多少**：文件未写明金额，请向下列单位咨询" in rule
    # The only numbers in what the rule does are the condition's 6 months (once for the
    # citizen, once in the folded details): no amount was invented.
    facts = "\n".join(line for line in rule.splitlines() if line.startswith("- **"))
    assert re.findall(r"\d+", facts) == ["6", "6"]


def test_any_of_numbered_list(files: dict[str, str]) -> None:
    rule = section_of(files["docs/test-1.md"], "#### 规则：入驻资格")
    assert "**满足下列条件之一**：" in rule
    assert "1. **从业人员不少于50人**：员工人数 不少于50人（含本数）" in rule
    assert "2. **年销售额不低于500万元**：年销售额 不低于500万元（含本数）" in rule
    assert "- **给予**：可以入驻" in rule


def test_reading_taken_option_marked(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    reading = section_of(page, "### 推荐补贴关系 {#reading-推荐补贴关系}")
    assert "**问题**：满6个月与满1年的补贴是替代还是叠加?" in reading
    assert "| **替代** | 满1年时按1000元/人计 | ✔ 采用 |" in reading
    assert "| 叠加 | 合计1500元/人 | |" in reading
    assert "**理由**：按最高档计是通常读法" in reading
    assert "[推荐补贴](#rule-推荐补贴)" in reading
    assert "[规则文件第25行](source/test-1.md#__span-0-25)" in reading
    # Beside the rule that depends on it, the reading is marked (a Material note).
    rule = section_of(page, "#### 规则：推荐补贴")
    assert (
        '!!! note "读法：[推荐补贴关系](#reading-推荐补贴关系)"\n'
        "    **问题**：满6个月与满1年的补贴是替代还是叠加?\n\n"
        "    **采用**：“替代”：满1年时按1000元/人计（未采用：“叠加”）\n"
    ) in rule


def test_repairs_shown(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    assert (
        "| [第1行](gazette/test-1.md#L1) | 天政发〔20239 | 天政发〔2023〕9号 | 来文缺“〕”和“号” |"
        in page
    )
    assert (
        "| [第9行](gazette/test-1.md#L9) | 后三年减半. | 后三年减半。 | 来文句末为英文句点 |"
        in page
    )
    # A repair inside a quote is shown with the quote too, marked (a Material warning).
    clause = section_of(page, "### （三）租金减免", level=3)
    assert (
        original(9, "入驻企业前两年免收房租,后三年减半.")
        + '\n!!! warning "来文修正"\n'
        + "    第9行来文“后三年减半.”应为“后三年减半。”：来文句末为英文句点\n"
    ) in clause


def test_inputs_and_funds(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    assert "| 员工人数 | 数量（人） | 必填 | 常年用工人数 |" in page
    assert "| 以往最高年销售收入 | 数量（万元） | 默认 0万元 | — |" in page
    assert "| 参展次数 | 次，按[展会地点](#enum-展会地点)分列 | 必填 | 本年度参展次数 |" in page
    assert "- **奖励资金**：每年500万元，用于做大总量奖励" in page


def test_responsible_units_linked(files: dict[str, str]) -> None:
    page = files["docs/test-1.md"]
    clause = section_of(page, "### （一）用工支持")
    # Written with an alias, shown and linked by the canonical name.
    assert "**责任单位**：[市人社局](units/市人社局.md)、[市财政局](units/市财政局.md)" in clause
    rule = section_of(page, "#### 规则：经营补贴")
    assert "- **责任单位（本规则）**：[市商务局](units/市商务局.md)" in rule
    hr = files["docs/units/市人社局.md"]
    assert hr.startswith("# 市人社局\n")
    assert "| 全称 | 天门市人力资源和社会保障局 |" in hr
    assert "| 别名 | 市人力资源和社会保障局 |" in hr
    document = section_of(hr, "## 天政发〔2023〕9号 关于测试政策的意见 {#doc-test-1}")
    assert "[文件全文](../test-1.md)\n{: .pc-where }" in document
    assert "- **责任单位**：\n    - [（一）用工支持](../test-1.md#clause-一)\n" in document
    commerce = files["docs/units/市商务局.md"]
    assert "(../test-1.md#clause-二)" in commerce
    assert "[（五）物流专线 · 规则“经营补贴”](../test-1.md#rule-经营补贴)" in commerce
    assert "- **解释单位**：\n    - [本文件](../test-1.md)\n" in commerce
    assert "| 职责条目 | 责任 2 · 解释 1 |" in commerce
    group = files["docs/units/市国投集团.md"]
    assert "| 类别 | 单位组 |" in group
    assert "本站的文件未指定本单位的职责。" in group
    # The index: every unit of the registry, sorted by name, linked to its page.
    index = files["docs/units/index.md"]
    assert index.startswith("# 单位与职责\n")
    rows = re.findall(r"^\| \[(\S+)\]\((\S+)\.md\) \|", index, re.M)
    assert [name for name, _ in rows] == sorted(name for name, _ in rows)
    assert len(rows) == 5
    assert all(name == page for name, page in rows)
    assert "| [市商务局](市商务局.md) | 天门市商务局 | 单位 | 责任 2 · 解释 1 |" in index


def test_markdown_escaping(files: dict[str, str]) -> None:
    assert md("a|b <x> [y] *z* _w_") == "a\\|b &lt;x&gt; \\[y\\] \\*z\\* \\_w\\_"
    assert md("1. 开头") == "1\\. 开头"
    assert md("- 开头") == "\\- 开头"
    rule = section_of(files["docs/test-1.md"], "#### 规则：推荐补贴")
    assert "*说明*：按人计 \\| 不含&lt;派遣&gt;员工" in rule


def test_no_absolute_paths_and_plain_newlines(policy: CheckedPolicy, files: dict[str, str]) -> None:
    folder = str(Path(policy.file.path).parent)
    for text in files.values():
        assert folder not in text
        assert "\r" not in text
        assert text.endswith("\n") and not text.endswith("\n\n")


# ---- determinism ----


OTHER = POLICY.replace("天政发〔2023〕9号", "天政发〔2023〕10号")  # a site holds one file a 文号


def test_render_is_deterministic(policy: CheckedPolicy, tmp_path: Path) -> None:
    other = make_policy(tmp_path / "b", stem="test-2", text=OTHER)
    once = render_docs([policy, other])
    assert render_docs([policy, other]) == once
    assert render_docs([other, policy]) == once  # the input order does not matter
    assert list(once) == sorted(once)


def test_page_name_clashes_are_errors(policy: CheckedPolicy, tmp_path: Path) -> None:
    with pytest.raises(DocsError, match="share the page"):
        render_docs([policy, make_policy(tmp_path / "b", text=OTHER)])
    with pytest.raises(DocsError, match="reserved"):
        render_docs([make_policy(tmp_path / "c", stem="units")])


# ---- writing ----


def test_write_twice_identical_and_no_stale_files(policy: CheckedPolicy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_docs([policy], out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(render_docs([policy]))
    first = snapshot(out)
    (out / "docs" / "stale.md").write_text("# old\n", encoding="utf-8")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built", encoding="utf-8")
    write_docs([policy], out)
    second = snapshot(out)
    assert "docs/stale.md" not in second
    assert second.pop("site/index.html") == b"built"  # mkdocs' build folder is kept
    assert second == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folders left


def test_failed_write_leaves_previous_output(
    policy: CheckedPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_docs([policy], out)
    before = snapshot(out)
    attempts = fail_third_write(monkeypatch)
    other = make_policy(tmp_path / "b", stem="test-2", text=OTHER)
    with pytest.raises(OSError, match="No space"):
        write_docs([policy, other], out)
    assert len(attempts) == 3
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "out"]


def test_failed_swap_restores_previous_output(
    policy: CheckedPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_docs([policy], out)
    before = snapshot(out)
    calls = 0
    real_replace = os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the old folder has moved aside; moving the new one in fails
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="Permission denied"):
        write_docs([policy], out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_to_replace_a_foreign_folder(policy: CheckedPolicy, tmp_path: Path) -> None:
    out = tmp_path / "project"
    out.mkdir()
    (out / "README.md").write_text("mine", encoding="utf-8")
    with pytest.raises(DocsError, match="refusing"):
        write_docs([policy], out)
    assert (out / "README.md").read_text(encoding="utf-8") == "mine"


def test_mkdocs_build_strict(policy: CheckedPolicy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_docs([policy], out, site_name="测试站点")
    result = mkdocs_build(out, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "test-1" / "index.html").read_text(encoding="utf-8")
    assert 'id="clause-一"' in html
    assert 'href="../units/%E5%B8%82%E4%BA%BA%E7%A4%BE%E5%B1%80/"' in html  # units/市人社局/
    assert 'href="../source/test-1/#__span-0-48"' in html
    assert 'href="../gazette/test-1/#L5"' in html
    assert '<div class="admonition note">' in html and '<div class="admonition warning">' in html
    # The policy file is highlighted with the policyc lexer, each line anchored.
    source = (tmp_path / "site" / "source" / "test-1" / "index.html").read_text(encoding="utf-8")
    assert '<div class="language-policyc highlight">' in source
    assert '<span id="__span-0-48">' in source
    assert '<span class="k">clause</span>' in source
    received = (tmp_path / "site" / "gazette" / "test-1" / "index.html").read_text("utf-8")
    assert '<p class="pc-line" id="L5">' in received
    # The strict build does check anchors: a link to a missing one fails it, a missing line of
    # a policy file included (the hook adds the lines there are, no more).
    page = out / "docs" / "test-1.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n[x](units/市人社局.md#无)\n", "utf-8")
    assert mkdocs_build(out, tmp_path / "site2").returncode != 0
    page.write_text(text + "\n[x](source/test-1.md#__span-0-9999)\n", "utf-8")
    failed = mkdocs_build(out, tmp_path / "site3")
    assert failed.returncode != 0
    assert "__span-0-9999" in failed.stderr


def test_strict_build_fails_without_jieba(policy: CheckedPolicy, tmp_path: Path) -> None:
    """Without jieba the search cannot find a Chinese word: the generated hook makes that a
    warning, so the strict build refuses to publish such a site."""
    out = tmp_path / "out"
    write_docs([policy], out)
    blocked = "import sys; sys.modules['jieba'] = None; from mkdocs.__main__ import cli; cli()"
    done = subprocess.run(
        [sys.executable, "-c", blocked, "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode != 0
    assert "jieba is not installed" in done.stderr


# ---- work plans, decisions, procedures; the units and amounts pages ----

PLAN_SOURCE = """\
天政办发〔2023〕7号

测试工作方案

一、构建现代产业体系
规上工业增加值增速15%左右。
29.新增规上工业企业30家、专精特新企业8家。(牵头单位:市经信局;责任单位:市发改委、各乡镇办场等)
30.落实纺织服装产业支持政策。(牵头单位:市商务局等;责任单位:市财政局)

二、污染天气应对
预测日AQI>200持续72小时的,发布红色预警;持续48小时的,发布橙色预警。
1.对违规行为转办有关部门依法查处。
"""

PLAN_UNITS = """\
unit 天门市人民政府 "天门市人民政府"
unit 市经信局 "天门市经济和信息化局"
unit 市发改委 "天门市发展和改革委员会"
unit 各乡镇办场 "各乡镇人民政府、办事处、农场" kind group
unit 市商务局 "天门市商务局"
unit 市财政局 "天门市财政局"
unit 市城管局 "天门市城市管理执法局"
unit 市生态环境局 "天门市生态环境局"
"""

# Every construct of a work plan and of a warning plan: tasks with leads, open lists, targets
# and references (to the fixture policy above, and to one not published), a section's lead and
# target, an ordered enum, a daily series, decisions (one inside a section), a procedure and a
# rule that follows it with 配合 units and the law it enforces.
PLAN = """\
policy "天政办发〔2023〕7号" {
    title "测试工作方案"
    issuer 天门市人民政府
    issued 2023-02-01
    interpreted_by 市经信局
    source "plan-source.txt" lines 1 to 12
    units from "units.policy"
}

aside "测试工作方案" "标题，不构成规则"

enum 预警级别 ordered { 无, 黄色, 橙色, 红色 }
input 预测日AQI: AQI series optional "未来数日的逐日AQI预测"
input 区域预警: 预警级别 default 无 "省级发布的区域预警级别"

decide 城市预警 = if longest_run(预测日AQI 超过 200 AQI) 不少于 72 小时 then 红色
    else if longest_run(预测日AQI 超过 200 AQI) 不少于 48 小时 then 橙色 else 无 "城市预警级别"

procedure 转办 "转交有关部门办理" { step "填写转办函" step "督促被转单位核实处理" }

section 一 "构建现代产业体系" {
    quote "规上工业增加值增速15%左右。"
    lead 市经信局
    target 规上工业增加值增速 about 15 % within 1 % "规上工业增加值增速"
    task 29 {
        quote "新增规上工业企业30家、专精特新企业8家。"
        lead 市经信局
        responsible 市发改委, 各乡镇办场 etc
        target 新增规上工业企业 不少于 30 家 "新增规上工业企业"
        target 新增专精特新企业 8 家 以上
        refers "天政发〔2023〕9号" clause 二
    }
    task 30 "落实支持政策" {
        quote "落实纺织服装产业支持政策。"
        lead 市商务局 etc
        responsible 市财政局
        refers "天政发〔2023〕9号"
        refers "天政发〔2099〕1号" clause 一
    }
}

section 二 "污染天气应对" {
    quote "预测日AQI>200持续72小时的,发布红色预警;持续48小时的,发布橙色预警。"
    decide 响应级别 = max(城市预警, 区域预警) "不低于区域预警"
    clause 1 "查处" {
        quote "对违规行为转办有关部门依法查处。"
        rule 违规查处 {
            kind 查处
            when 响应级别 >= 橙色
            responsible 市城管局
            cooperates 市生态环境局
            law "《大气污染防治法》"
            follows 转办
            grants "依法查处"
        }
    }
}
"""


def make_plan(folder: Path) -> CheckedPolicy:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan-source.txt").write_text(PLAN_SOURCE, encoding="utf-8")
    (folder / "units.policy").write_text(PLAN_UNITS, encoding="utf-8")
    path = folder / "plan-7.policy"
    path.write_text(PLAN, encoding="utf-8")
    return check_policy(path)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> CheckedPolicy:
    return make_plan(tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def both(policy: CheckedPolicy, plan: CheckedPolicy) -> dict[str, str]:
    return render_docs([policy, plan])


def positions(text: str, *parts: str) -> list[int]:
    return [text.index(part) for part in parts]


def test_task_with_lead_open_list_targets_and_reference(both: dict[str, str]) -> None:
    task = section_of(
        both["docs/plan-7.md"],
        '### 任务 29 {#task-29 data-toc-label="任务 29：新增规上工业企业30家、专精特新…"}',
    )
    assert original(7, "新增规上工业企业30家、专精特新企业8家。", "plan-7") in task
    assert "**牵头单位**：[市经信局](units/市经信局.md)\n" in task  # no 等: etc is not here
    assert (
        "**责任单位**：[市发改委](units/市发改委.md)、[各乡镇办场](units/各乡镇办场.md)等\n" in task
    )
    assert "| 指标 | 目标 | 说明 |" in task
    assert "| 新增规上工业企业 | 不少于30家（含本数） | 新增规上工业企业 |" in task
    assert "| 新增专精特新企业 | 8家以上（含本数） | — |" in task
    assert "**参见**：[天政发〔2023〕9号第二条](test-1.md#clause-二)" in task
    # In the order written: the quote, the units, the targets, the reference.
    order = positions(task, "**原文", "**牵头单位**", "**责任单位**", "**目标**", "**参见**")
    assert order == sorted(order)


def test_task_title_etc_on_the_lead_and_unpublished_reference(both: dict[str, str]) -> None:
    task = section_of(both["docs/plan-7.md"], "### 任务 30：落实支持政策 {#task-30}")
    assert "**牵头单位**：[市商务局](units/市商务局.md)等\n" in task
    assert "**责任单位**：[市财政局](units/市财政局.md)\n" in task
    # The whole document links to its page; a document not published here stays plain text.
    assert "**参见**：[天政发〔2023〕9号](test-1.md)、天政发〔2099〕1号第一条\n" in task


def test_reference_without_the_document_is_plain_text(plan: CheckedPolicy) -> None:
    task = section_of(
        render_docs([plan])["docs/plan-7.md"],
        '### 任务 29 {#task-29 data-toc-label="任务 29：新增规上工业企业30家、专精特新…"}',
    )
    assert "**参见**：天政发〔2023〕9号第二条\n" in task


def test_section_lead_and_target(both: dict[str, str]) -> None:
    page = both["docs/plan-7.md"]
    section = section_of(page, "## 一、构建现代产业体系 {#section-一}")
    assert "**牵头单位**：[市经信局](units/市经信局.md)" in section
    assert "| 规上工业增加值增速 | 15%左右（±1%） | 规上工业增加值增速 |" in section
    # Targets are what a progress case reports: listed as targets, never as inputs.
    inputs = section_of(page, "## 输入 {#inputs}")
    assert "规上工业" not in inputs and "新增" not in inputs


def test_document_order(both: dict[str, str]) -> None:
    page = both["docs/plan-7.md"]
    headings = re.findall(r"^#+ .*\{#([^\s}]+)[^}]*\}$", page, re.M)
    # The document's text first, in its order; then what its rules are built from.
    assert headings == [
        "section-一",
        "task-29",
        "task-30",
        "section-二",
        "clause-1",
        "rule-违规查处",
        "decisions",
        "decide-城市预警",
        "decide-响应级别",  # a decision inside a section is listed with the others
        "procedures",
        "procedure-转办",
        "readings",
        "repairs",
        "inputs",
        "enums",
        "enum-预警级别",
        "asides",
    ]
    assert page.count("不低于区域预警") == 1  # not repeated inside section 二


def test_decisions_with_branches_and_ordered_enum(both: dict[str, str]) -> None:
    page = both["docs/plan-7.md"]
    order = "无 &lt; 黄色 &lt; 橙色 &lt; 红色"
    city = section_of(page, "### 城市预警 {#decide-城市预警}")
    assert "城市预警级别" in city
    assert f"**取值**：[预警级别](#enum-预警级别)之一，由低到高：{order}" in city
    assert (
        "1. 若 预测日AQI 超过200AQI（不含本数）的最长连续天数 不少于72小时（含本数） 则 红色\n"
        "2. 若 预测日AQI 超过200AQI（不含本数）的最长连续天数 不少于48小时（含本数） 则 橙色\n"
        "3. 否则 无\n"
    ) in city
    response = section_of(page, "### 响应级别 {#decide-响应级别}")
    assert "**判定**：[城市预警](#decide-城市预警)与区域预警中较大者" in response
    assert f"由低到高：{order}" in response
    enum = section_of(page, "### 预警级别 {#enum-预警级别}")
    assert f"**有序**，由低到高：{order}" in enum
    # A rule that tests a decision links to it.
    rule = section_of(page, "#### 规则：违规查处")
    assert "- **条件**：[响应级别](#decide-响应级别) ≥ 橙色（含本数）" in rule


def test_series_input(both: dict[str, str]) -> None:
    page = both["docs/plan-7.md"]
    assert (
        "| 预测日AQI | AQI（逐日序列） | 可选（未填时相关规则为“无法判定”） | 未来数日的逐日AQI预测 |"
        in page
    )
    assert "| 区域预警 | [预警级别](#enum-预警级别) | 默认 无 | 省级发布的区域预警级别 |" in page


def test_procedure_cooperates_and_law(both: dict[str, str]) -> None:
    page = both["docs/plan-7.md"]
    procedure = section_of(page, "### 转办（转交有关部门办理） {#procedure-转办}")
    assert "1. 填写转办函\n2. 督促被转单位核实处理\n" in procedure
    assert "**适用规则**：[违规查处](#rule-违规查处)" in procedure
    rule = section_of(page, "#### 规则：违规查处")
    assert "- **责任单位（本规则）**：[市城管局](units/市城管局.md)" in rule
    assert "- **配合单位**：[市生态环境局](units/市生态环境局.md)" in rule
    assert "- **依据**：《大气污染防治法》" in rule
    assert "- **办理程序**：[转办](#procedure-转办)" in rule


def test_asides_listed_with_their_line(both: dict[str, str]) -> None:
    asides = both["docs/plan-7.md"].split("{#asides}", 1)[1]
    assert original(3, "测试工作方案", "plan-7") in asides
    assert "*未列为规则*：标题，不构成规则" in asides


def test_unit_pages_list_every_role_across_documents(both: dict[str, str]) -> None:
    lead = both["docs/units/市经信局.md"]
    plan = section_of(lead, "## 天政办发〔2023〕7号 测试工作方案 {#doc-plan-7}")
    assert "- **牵头单位**：\n    - [一、构建现代产业体系](../plan-7.md#section-一)\n" in plan
    # A task without a title is named by the start of its text.
    assert (
        "    - [任务 29：新增规上工业企业30家、专精特新企业8家。](../plan-7.md#task-29)\n" in plan
    )
    assert "- **解释单位**：\n    - [本文件](../plan-7.md)" in plan
    order = positions(plan, "- **牵头单位**：", "- **解释单位**：")  # roles in a fixed order
    assert order == sorted(order)
    commerce = both["docs/units/市商务局.md"]
    assert "[任务 30：落实支持政策](../plan-7.md#task-30)" in commerce
    assert "(../test-1.md#clause-二)" in commerce  # and its duties in the other document
    # Documents in the order they were issued.
    assert positions(commerce, "{#doc-test-1}", "{#doc-plan-7}") == sorted(
        positions(commerce, "{#doc-test-1}", "{#doc-plan-7}")
    )
    helper = both["docs/units/市生态环境局.md"]
    assert (
        "- **配合单位**：\n    - [（1）查处 · 规则“违规查处”](../plan-7.md#rule-违规查处)"
    ) in helper
    group = both["docs/units/各乡镇办场.md"]
    assert "| 类别 | 单位组 |" in group
    assert "(../plan-7.md#task-29)" in group
    government = both["docs/units/天门市人民政府.md"]
    assert "- **发文单位**：\n    - [本文件](../plan-7.md)" in government
    assert "- **发文单位**：\n    - [本文件](../test-1.md)" in government
    assert "| 职责条目 | 发文 2 |" in government


def test_amounts_index(both: dict[str, str]) -> None:
    amounts = both["docs/amounts.md"]
    assert amounts.startswith("# 金额索引\n")
    assert "| [天政发〔2023〕9号](#amounts-test-1) | 15 | 1 |" in amounts
    assert "| [天政办发〔2023〕7号](#amounts-plan-7) | 0 | 0 |" in amounts
    plan = section_of(amounts, "## 天政办发〔2023〕7号 测试工作方案 {#amounts-plan-7}")
    assert "本文件未写明金额。" in plan
    group = amounts.split("{#amounts-test-1}", 1)[1]
    clause = "[（一）用工支持](test-1.md#clause-一)"
    rule = "[推荐补贴](test-1.md#rule-推荐补贴)"
    rows = [
        f"| {clause} | {rule} | 金额 | 若读法「推荐补贴关系」取「叠加」则在岗月数按达到的各档合计（见档次表），"
        "否则在岗月数按达到的最高档（见档次表） | 补贴；对象：推荐者 |",
        # The two tier tables differ only in their mode: each tier amount is listed once.
        f"| {clause} | {rule} | 档次金额 | 500元 | 第1档：满6个月（含本数） |",
        f"| {clause} | {rule} | 档次金额 | 1000元 | 第2档：满12个月（含本数） |",
        f"| {clause} | {rule} | 封顶 | 每人每年最高1600元 | — |",
        "| [（二）做大总量](test-1.md#clause-二) | — | 资金 | 每年500万元 | 奖励资金：用于做大总量奖励 |",
        "| [（二）做大总量](test-1.md#clause-二) | [总量奖励](test-1.md#rule-总量奖励) | 档次金额 | 15万元 "
        "| 第2档：超过1亿元（不含本数） |",
        "| [（三）租金减免](test-1.md#clause-三) | [租金减免](test-1.md#rule-租金减免) | 年度金额 | 年房租的50% "
        "| 第3–5年 |",
        "| [（四）参展补贴](test-1.md#clause-四) | [参展补贴](test-1.md#rule-参展补贴) | 标准表 | 4000元/次 "
        "| [参展补贴标准](test-1.md#table-参展补贴标准)·省外 |",
        "| [（五）物流专线](test-1.md#clause-五) | [经营补贴](test-1.md#rule-经营补贴) | 金额未规定 | 金额未规定 "
        "| 给予经营补贴 |",
    ]
    order = positions(group, *rows)
    assert order == sorted(order)  # document order
    assert group.count("| 档次金额 | 500元 |") == 1
    config = both["mkdocs.yml"]
    assert (
        '  - "单位与职责":\n      - "units/index.md"\n      - "各乡镇办场": "units/各乡镇办场.md"\n'
        in config
    )
    assert '  - "金额索引": amounts.md\n' in config
    assert "[金额索引](amounts.md)" in both["docs/index.md"]


def test_amounts_in_branches_that_differ_say_when(tmp_path: Path) -> None:
    text = POLICY.replace(
        "highest { 满 6 月: 500 元, 满 12 月: 1000 元 }",
        "highest { 满 6 月: 500 元, 满 12 月: 800 元 }",
    )
    assert text != POLICY
    amounts = render_docs([make_policy(tmp_path, text=text)])["docs/amounts.md"]
    reading = "读法[推荐补贴关系](test-1.md#reading-推荐补贴关系)"
    assert "| 档次金额 | 500元 | 第1档：满6个月（含本数） |" in amounts  # alike in both branches
    assert (
        f"| 档次金额 | 1000元 | 第2档：满12个月（含本数）（适用：{reading}取“叠加”时（现未采用）） |"
        in amounts
    )
    assert (
        f"| 档次金额 | 800元 | 第2档：满12个月（含本数）（适用：{reading}不取“叠加”时（现采用）） |"
        in amounts
    )


def test_work_plan_render_is_deterministic(policy: CheckedPolicy, plan: CheckedPolicy) -> None:
    once = render_docs([policy, plan])
    assert render_docs([plan, policy]) == once
    assert render_docs([policy, plan]) == once


def test_mkdocs_build_strict_with_work_plan(
    policy: CheckedPolicy, plan: CheckedPolicy, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_docs([policy, plan], out)
    result = mkdocs_build(out, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "plan-7" / "index.html").read_text(encoding="utf-8")
    for anchor in ("task-29", "decide-城市预警", "procedure-转办", "section-一"):
        assert f'id="{anchor}"' in html
    assert 'href="../test-1/#clause-二"' in html
    # An untitled task: the heading is its number, the table of contents adds its first words.
    assert re.search(r'<h3 id="task-29">任务 29<a class="headerlink"', html)
    assert "任务 29：新增规上工业企业30家、专精特新…" in html
    amounts = (tmp_path / "site" / "amounts" / "index.html").read_text(encoding="utf-8")
    assert 'href="../test-1/#rule-推荐补贴"' in amounts


# ---- the shipped policy ----

CLAUSES = [*"一二三四五六七八九十", *(f"十{d}" for d in "一二三四五六七")]  # （一）…（十七）


@pytest.mark.skipif(not TZF.exists(), reason="policies/tzf-2023-1.policy is not written yet")
def test_tzf_2023_1(tmp_path: Path) -> None:
    checked = check_policy(TZF)
    files = render_docs([checked])
    page = files["docs/tzf-2023-1.md"]
    for number in CLAUSES:
        assert re.search(rf"^### （{number}）.* \{{#clause-{number}\}}$", page, re.M), number
    assert "2023-01-06 至 2026-01-05（暂定）" in page
    out = tmp_path / "out"
    write_docs([checked], out)
    result = mkdocs_build(out, tmp_path / "site")
    assert result.returncode == 0, result.stderr


def test_each_document_shows_its_source_coverage():
    from policyc.compiler.pipeline import check_policy as check_one

    policy = check_one(Path(__file__).parent.parent / "policies" / "tzf-2023-1.policy")
    pages = render_docs([policy])
    # 79 sentences in lines 42–108: every one quoted, or set aside with a reason.
    assert "来文覆盖 79/79 句（100.0%）" not in pages["docs/index.md"]
    page = pages["docs/tzf-2023-1.md"]
    folded = page.index("<summary>起草与核对信息</summary>")
    assert folded < page.index("- 来文覆盖 79/79 句（100.0%）") < page.index("</details>", folded)
