"""The published site, in a browser: `policyc docs` on the shipped policies, `mkdocs build
--strict`, served on localhost and driven with headless Chromium over the DevTools protocol.

It checks what a reader sees: a clause page shows the original text beside what the rule does
and its table; its links reach the right line of the received text and of the policy file; the
home page says which documents are in force on a date; and the search finds Chinese words
(物流补贴, 驰名商标, 红色预警) in the right clause. Screenshots are kept as artifacts: in
$POLICYC_TEST_ARTIFACTS when set, else in pytest's temporary folder; their paths are printed.

Skipped, with the reason, only when Chromium is missing and CI is not set; in CI it runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser_check import Browser, find_chromium, serve

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = find_chromium()
IN_CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not IN_CI,
    reason="Chromium is not installed (apt-get install chromium); CI runs this test",
)

# The parts of the page from one heading to the next of the same or a higher level: the text,
# the tables (rows of cell texts), the original sentences and the admonitions.
PART_JS = """
(id => {
  const start = document.getElementById(id);
  if (!start) return null;
  const level = Number(start.tagName.slice(1));
  const part = {heading: start.textContent.replace(/¶$/, "").trim(), text: "", tables: [],
                originals: [], does: [], admonitions: [], where: [], rules: []};
  const all = (el, sel) => [...(el.matches(sel) ? [el] : []), ...el.querySelectorAll(sel)];
  const take = el => {
    part.text += el.innerText + "\\n";
    all(el, "table").forEach(t => part.tables.push(
      Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))));
    all(el, ".pc-original").forEach(o => part.originals.push({
      text: o.querySelector(".pc-text") ? o.querySelector(".pc-text").innerText : "",
      link: o.querySelector(".pc-label a") ? o.querySelector(".pc-label a").href : "",
      box: o.getBoundingClientRect().toJSON()}));
    all(el, ".pc-citizen").forEach(d => part.does.push({
      text: d.innerText, box: d.getBoundingClientRect().toJSON()}));
    all(el, ".admonition").forEach(a => part.admonitions.push({
      kind: a.classList[1], title: a.querySelector(".admonition-title").textContent.trim()}));
    if (el.classList.contains("pc-where")) part.where.push(el.querySelector("a").href);
    if (el.tagName === "H4") part.rules.push(el.id);
  };
  for (let el = start.nextElementSibling; el; el = el.nextElementSibling) {
    if (/^H[1-6]$/.test(el.tagName) && Number(el.tagName.slice(1)) <= level) break;
    take(el);
  }
  return part;
})
"""

RESULTS_JS = """
Array.from(document.querySelectorAll(".md-search-result__list > .md-search-result__item")).map(
  li => Array.from(li.querySelectorAll("a.md-search-result__link")).map(a => ({
    href: a.getAttribute("href"),
    title: (a.querySelector("h1, h2") || a).innerText.replace(/[\\u200b]/g, "").trim()})))
"""


def _run(*args: str, cwd: Path) -> None:
    done = subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as CI would publish it: generated from policies/, built strictly."""
    work = tmp_path_factory.mktemp("site")
    _run(sys.executable, "-m", "policyc", "docs", "policies", "--out", str(work / "src"), cwd=REPO)
    _run(
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-d",
        str(work / "site"),
        cwd=work / "src",
    )
    return work / "site"


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("POLICYC_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("site-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    if CHROMIUM is None:
        pytest.fail("CI is set but Chromium is missing: apt-get install chromium")
    with serve(site) as base, Browser(CHROMIUM, width=1400, height=1000) as b:
        yield b, base


def keep(browser: Browser, artifacts: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = browser.screenshot(artifacts / name)
    with capsys.disabled():
        print(f"\n  screenshot: {path}")


def part(browser: Browser, anchor: str) -> dict[str, Any]:
    found = browser.js(f"{PART_JS}({json.dumps(anchor)})")
    assert found is not None, f"no element #{anchor} on {browser.js('location.href')}"
    return dict(found)


def search(browser: Browser, base: str, query: str) -> list[list[dict[str, str]]]:
    """Type `query` into Material's search box, as a reader would; the result groups (one per
    page, best first), each a list of {href, title}, the page itself first."""
    browser.open(base)
    browser.wait_for("document.querySelector('.md-search__input') !== null")
    browser.type(".md-search__input", query)
    browser.wait_for(
        "document.querySelectorAll('.md-search-result__list > .md-search-result__item').length",
        timeout=30,
    )
    time.sleep(0.3)  # the list fills in one go, but let a late re-render settle
    groups: list[list[dict[str, str]]] = browser.js(RESULTS_JS)
    return groups


def located(href: str) -> tuple[str, str]:
    """(page path, anchor) of a result link, without the ?h= highlight query."""
    parts = urlsplit(href)
    return parts.path.strip("/").removesuffix("/index.html"), unquote(parts.fragment)


# ---- a clause page ----


def test_clause_page_shows_the_original_beside_the_rule_and_its_table(
    browser: tuple[Browser, str], artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b, base = browser
    b.open(base + "tzf-2023-1/#clause-十二")
    clause = part(b, "clause-十二")
    assert clause["heading"] == "（十二）鼓励参展参会"
    # The original text renders, and it links to its line of the received text.
    assert clause["originals"], clause
    first = clause["originals"][0]
    assert "省内" in first["text"] and "省外" in first["text"]
    assert "/gazette/tzf-2023-1/#L" in first["link"]
    # Beside it, what the citizen reads first; below, the rule's table of standards.
    rule = clause["does"][0]
    assert "能得多少" in rule["text"] and "向谁咨询" in rule["text"]
    assert first["box"]["top"] == pytest.approx(rule["box"]["top"], abs=2)
    assert first["box"]["right"] <= rule["box"]["left"]
    table = next(t for t in clause["tables"] if t[0] == ["展会地点", "标准"])
    cells = {row[0]: row[1] for row in table[1:]}
    assert cells["省内"] == "2000元/次"
    assert cells["省外"] == "4000元/次"
    b.js("document.getElementById('clause-十二').scrollIntoView()")
    keep(b, artifacts, "clause-page.png", capsys)


def test_readings_and_repairs_are_marked(browser: tuple[Browser, str]) -> None:
    b, base = browser
    b.open(base + "tzf-2023-1/")
    logistics = part(b, "rule-电商物流补贴")
    assert {"kind": "note", "title": "读法：口罩等纺织品"} in logistics["admonitions"]
    page_admonitions = b.js(
        "Array.from(document.querySelectorAll('.admonition.warning .admonition-title'))"
        ".map(t => t.innerText)"
    )
    assert "来文修正" in page_admonitions


def test_clause_links_reach_their_lines(browser: tuple[Browser, str]) -> None:
    b, base = browser
    b.open(base + "tzf-2023-1/")
    clause = part(b, "clause-七")
    # The clause's line in the policy file.
    (source,) = clause["where"]
    b.open(source)
    line = b.js("document.getElementById(decodeURIComponent(location.hash.slice(1))).innerText")
    assert 'clause 七 "降低物流成本"' in line
    assert b.js("document.querySelector(':target') !== null")
    # The original sentence's line in the received text.
    b.open(base + "tzf-2023-1/")
    clause = part(b, "clause-七")
    b.open(clause["originals"][0]["link"])
    line = b.js("document.getElementById(location.hash.slice(1)).innerText")
    assert "(七)降低物流成本" in line


# ---- the home page ----


def test_home_lists_the_documents_and_when_they_are_in_force(
    browser: tuple[Browser, str], artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b, base = browser
    b.open(base)
    cards = b.js(
        "Array.from(document.querySelectorAll('.grid.cards > ul > li')).map(li => li.innerText)"
    )
    documents = sorted(p.stem for p in (REPO / "policies").glob("*.policy") if p.stem != "units")
    assert len(cards) == len(documents)
    textile = next(c for c in cards if c.startswith("天政发〔2023〕1号"))
    assert "有效期：2023-01-06 至 2026-01-05（暂定）" in textile
    head, *rows = part(b, "in-force")["tables"][0]
    # The dates the headers write: the first is 天政发〔2023〕1号's issue date.
    assert head[:3] == ["文件", "有效期", "2023-01-06"]
    row = next(r for r in rows if r[0] == "天政发〔2023〕1号")
    assert row[2] == "有效"
    assert row[head.index("2026-01-06")] == "已失效"
    # The date picker answers for the date chosen, in the browser.
    b.js(
        "(() => { const i = document.getElementById('pc-date'); i.value = '2026-01-06';"
        " i.dispatchEvent(new Event('change')); })()"
    )
    answer = b.js(
        "Array.from(document.querySelectorAll('#pc-on-date-result tr'))"
        ".map(r => Array.from(r.cells).map(c => c.innerText.trim()))"
    )
    assert ["天政发〔2023〕1号", "已失效"] in answer
    keep(b, artifacts, "home.png", capsys)


# ---- search in Chinese ----


@pytest.mark.parametrize(
    ("query", "page", "anchors"),
    [
        ("物流补贴", "tzf-2023-1", {"clause-七", "rule-电商物流补贴", "rule-物流专线经营补贴"}),
        ("驰名商标", "tzf-2023-1", {"clause-九", "rule-驰名商标奖励"}),
        ("红色预警", "tzbf-2023-2", {"define-红色条件", "clause-3.3", "clause-3.4"}),
    ],
)
def test_chinese_search_finds_the_clause(
    browser: tuple[Browser, str],
    artifacts: Path,
    capsys: pytest.CaptureFixture[str],
    query: str,
    page: str,
    anchors: set[str],
) -> None:
    b, base = browser
    groups = search(b, base, query)
    assert groups, f"no results for {query}"
    best = groups[0]
    assert located(best[0]["href"])[0] == page, [g[0]["title"] for g in groups]
    top = [located(item["href"])[1] for item in best[1:4]]
    assert anchors & set(top), top
    # The words are matched whole: both halves of the query are marked in the best result.
    marked = b.js(
        "Array.from(document.querySelectorAll('.md-search-result__item mark'))"
        ".slice(0, 40).map(m => m.innerText)"
    )
    halves = {query[:2], query[2:]}
    assert halves <= set(marked) or query in marked, marked
    if query == "物流补贴":
        keep(b, artifacts, "search-wuliu-butie.png", capsys)
