"""The built site as citizens read it (issue 15 items 5 and 6), in headless Chromium:

- the search box finds amounts and dates (100万元, 0.2元, 500元/人, 2023年1月6日): a sample of the
  number-with-measure phrases written on the built pages, each typed into the search box, must
  list a page that holds it;
- every page reads at phone width (390 px) and at desktop width (1280 px) without the page
  scrolling sideways (wide tables scroll inside their own box); screenshots are kept.

Skipped, with the reason, only when Chromium is missing and CI is not set.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser_check import Browser, find_chromium, serve

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = find_chromium()
IN_CI = bool(os.environ.get("CI"))
SAMPLE = 40  # phrases typed into the search box (the issue asks for at least 30)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not IN_CI,
    reason="Chromium is not installed (apt-get install chromium); CI runs this test",
)

# A number with its measure, as the pages write amounts, counts and dates.
MEASURED = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日"
    r"|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万|亿)?(?:元|单|人次|人|次|家|个|间|亩|平方米|吨|辆次|辆|场|户)(?:/(?:人|次|单|年|月|间|家|个|平方米))*"
)


def run(*args: str, cwd: Path) -> None:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("reading")
    run(sys.executable, "-m", "policyc", "docs", "policies", "--out", str(work / "src"), cwd=REPO)
    run(
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
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("reading-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    if CHROMIUM is None:
        pytest.fail("CI is set but Chromium is missing: apt-get install chromium")
    with serve(site) as base:
        yield base


def pages(site: Path) -> list[str]:
    """Every page of the site, as a path under it ('' for the home page)."""
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith(("search", "assets")):
            continue
        found.append("" if rel == "." else rel + "/")
    return found


def article_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    body = text[text.find("<article") : text.find("</article>")]
    # A gazette page's line numbers are no text of the line: `482` before `7.1人力资源保障` is not
    # a phrase `4827.1人`.
    body = re.sub(r'<span class="pc-ln">\d+</span>', "", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def phrases(site: Path) -> dict[str, set[str]]:
    """Each number-with-measure phrase on the pages → the pages that show it. A phrase whose
    measure begins a longer word (`7.1人` of `7.1人力资源保障`, a gazette heading) is no phrase
    of the page: the index, cut into words by jieba as the site's search is, holds 人力资源."""
    import jieba

    found: dict[str, set[str]] = {}
    for rel in pages(site):
        text = article_text(site / rel / "index.html")
        ends = {end for _, _, end in jieba.tokenize(text)}
        for match in MEASURED.finditer(text):
            if match.end() in ends:
                found.setdefault(match.group(), set()).add(rel.rstrip("/"))
    return found


def sample(found: dict[str, set[str]], size: int) -> list[str]:
    """`size` phrases spread evenly over them all (sorted: the same sample every run), with
    the issue's own examples first."""
    wanted = [p for p in ("100万元", "0.2元", "500元/人", "2023年1月6日") if p in found]
    rest = sorted(p for p in found if p not in wanted)
    step = max(1, len(rest) // max(1, size - len(wanted)))
    return (wanted + rest[::step])[:size]


def search(browser: Browser, base: str, query: str) -> set[str]:
    """Type `query` into the search box; the pages listed (paths without slashes)."""
    browser.open(base)
    browser.wait_for("document.querySelector('.md-search__input') !== null")
    browser.type(".md-search__input", query)
    try:
        browser.wait_for(
            "document.querySelectorAll('.md-search-result__list > .md-search-result__item').length"
            " || document.querySelector('.md-search-result__meta') &&"
            " /没有|No matching/.test(document.querySelector('.md-search-result__meta').innerText)",
            timeout=20,
        )
    except Exception:
        return set()
    time.sleep(0.3)
    hrefs = browser.js(
        "Array.from(document.querySelectorAll('.md-search-result__item a.md-search-result__link'))"
        ".map(a => a.getAttribute('href'))"
    )
    return {unquote(urlsplit(h).path).strip("/").removesuffix("/index.html") for h in hrefs or []}


def test_search_finds_amounts_and_dates(
    site: Path, served: str, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = phrases(site)
    assert len(found) >= SAMPLE, sorted(found)
    chosen = sample(found, SAMPLE)
    assert "100万元" in chosen and "0.2元" in chosen and "500元/人" in chosen
    missed = {}
    assert CHROMIUM is not None
    with Browser(CHROMIUM, width=1280, height=900) as browser:
        for phrase in chosen:
            listed = search(browser, served, phrase)
            if not listed & found[phrase]:
                missed[phrase] = (sorted(found[phrase]), sorted(listed)[:5])
        search(browser, served, "100万元")
        shot = browser.screenshot(artifacts / "search-100wan.png")
    with capsys.disabled():
        print(
            f"\n  search: {len(chosen) - len(missed)}/{len(chosen)} sampled phrases found; {shot}"
        )
    assert missed == {}


OVERFLOW_JS = """
(() => {
  const width = window.innerWidth;
  const wide = [];
  document.querySelectorAll("article *").forEach(el => {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest(".md-typeset__scrollwrap, pre, .highlight"))
      wide.push(el.tagName + "." + el.className + ": " + (el.innerText || "").slice(0, 40));
  });
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
})()
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(
    site: Path, served: str, artifacts: Path, capsys: pytest.CaptureFixture[str], width: int
) -> None:
    assert CHROMIUM is not None
    too_wide = {}
    every = pages(site)
    assert len(every) >= 20
    shots = []
    with Browser(CHROMIUM, width=width, height=844 if width < 600 else 900) as browser:
        for rel in every:
            browser.open(served + rel)
            measured = browser.js(OVERFLOW_JS)
            if measured["scroll"] > measured["width"]:
                too_wide[rel] = measured
        for rel, name in (("", "home"), ("tzf-2023-1/", "policy"), ("amounts/", "amounts")):
            browser.open(served + rel)
            shots.append(browser.screenshot(artifacts / f"{name}-{width}.png"))
        browser.open(served + "tzf-2023-1/#rule-自主品牌销售奖励")
        shots.append(browser.screenshot(artifacts / f"chart-{width}.png"))
    with capsys.disabled():
        print(
            f"\n  {width}px: {len(every) - len(too_wide)}/{len(every)} pages fit; "
            + ", ".join(map(str, shots))
        )
    assert too_wide == {}
