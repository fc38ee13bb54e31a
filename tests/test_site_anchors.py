"""Every `#anchor` link on every page of the site reaches an anchor that page writes: the
committed generated_docs/ and the site of every fixture folder whose policies check clean.

A link to a part of a page the site does not write (a define it dropped, a heading it renamed)
is a dead link a citizen follows to the top of the page; mkdocs's --strict build does not catch
it. The anchors a page writes, read from its Markdown: attribute lists (`{#id}`, `{: #id .c }`),
raw HTML `id="…"`, and the line spans of its first highlighted code block (`__span-0-N`, the
policy source page)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

from policyc.compiler.docs import render_docs
from policyc.compiler.errors_base import InputError, PolicyError
from policyc.compiler.parser import parse
from policyc.compiler.pipeline import check_policy, read_source
from policyc.worked_examples import worked_examples

REPO = Path(__file__).parent.parent
FIXTURES = REPO / "tests" / "fixtures"

_ATTR_ID = re.compile(r"\{:?\s*#([^\s}]+)")
_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_LINK = re.compile(r"\]\(([^)\s]*#[^)\s]+)\)|\bhref=\"([^\"]*#[^\"]+)\"")
_FENCE = re.compile(r"^```[^\n]*linenums[^\n]*\n(.*?)^```", re.M | re.S)


def anchors_of(page: str) -> set[str]:
    """The ids a Markdown page of the site writes."""
    found = set(_ATTR_ID.findall(page)) | set(_HTML_ID.findall(page))
    fence = _FENCE.search(page)
    if fence:
        found |= {f"__span-0-{n}" for n in range(1, fence.group(1).count("\n") + 1)}
    return found


def dead_links(pages: dict[str, str]) -> list[str]:
    """`page: link` for every `#anchor` link (in the page or to another page of the site)
    whose anchor the target page does not write."""
    anchors = {name: anchors_of(text) for name, text in pages.items() if name.endswith(".md")}
    dead = []
    for name, text in pages.items():
        if not name.endswith(".md"):
            continue
        for match in _LINK.finditer(text):
            link = match.group(1) or match.group(2)
            target, _, anchor = link.partition("#")
            if "://" in target:
                continue
            page = name
            if target:
                page = str(PurePosixPath(name).parent / target)
                parts: list[str] = []
                for part in page.split("/"):
                    if part == "..":
                        parts.pop()
                    elif part not in ("", "."):
                        parts.append(part)
                page = "/".join(parts)
            if page not in anchors or anchor not in anchors[page]:
                dead.append(f"{name}: {link}")
    return sorted(set(dead))


def test_anchors_of_reads_each_way_a_page_writes_an_id():
    page = (
        "### 定义：甲 {#define-甲}\n\n第一行\n{: #L42 .pc-line }\n\n"
        '<span id="raw">x</span>\n\n```policyc linenums="1"\na\nb\n```\n'
    )
    assert anchors_of(page) == {"define-甲", "L42", "raw", "__span-0-1", "__span-0-2"}


def test_dead_links_finds_a_missing_anchor_and_resolves_relative_pages():
    pages = {
        "a.md": "## 甲 {#x}\n[ok](#x) [bad](#y) [there](units/b.md#z)",
        "units/b.md": "## 乙 {#z}\n[back](../a.md#x) [gone](../a.md#nope)",
    }
    assert dead_links(pages) == ["a.md: #y", "units/b.md: ../a.md#nope"]


def _site_docs(folder: Path) -> dict[str, str] | None:
    try:
        paths = sorted(folder.glob("*.policy"))
        headed = [p for p in paths if parse(read_source(p), str(p)).header is not None]
        policies = [check_policy(p) for p in headed]
        return render_docs(policies, examples=worked_examples(policies)) if policies else None
    except (PolicyError, InputError):  # a fixture of errors (tests/fixtures/syntax, …): no site
        return None


def test_every_anchor_link_of_generated_docs_resolves():
    pages = {
        str(p.relative_to(REPO / "generated_docs")): p.read_text(encoding="utf-8")
        for p in (REPO / "generated_docs").rglob("*.md")
        if "site" not in p.relative_to(REPO / "generated_docs").parts
    }
    assert pages
    assert dead_links(pages) == []


# Folders of policies that are refused on purpose (each file a mistake `check` must name), and
# fmt's golden layouts (fragments, not whole policies): no site to render. The test below holds
# them to that, so the list cannot hide a site.
NO_SITE = ("check", "fmt", "lint", "syntax")
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and any(p.glob("*.policy")))


@pytest.mark.parametrize(
    "folder", [p for p in FOLDERS if p.name not in NO_SITE], ids=lambda p: p.name
)
def test_every_anchor_link_of_a_fixture_site_resolves(folder: Path):
    rendered = _site_docs(folder)
    assert rendered is not None, f"{folder.name}: no policy renders a site"
    assert dead_links(rendered) == []


@pytest.mark.parametrize("name", NO_SITE)
def test_the_folders_of_refused_policies_render_no_site(name: str):
    assert _site_docs(FIXTURES / name) is None
