"""A policy full of hostile strings, published: `policyc docs` then `mkdocs build --strict`, and
no markup of the payload is live in the built site (issue 17: stored XSS through the navigation
titles of mkdocs.yml, the Markdown pages and the search index)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_docs import POLICY, SOURCE, UNITS
from tests.test_hostile import policyc

pytest.importorskip("material", reason="the site is built with mkdocs-material")

# Each would be live markup, a template, a link, YAML structure or Markdown emphasis if it went
# through unescaped. `\\` and `\"` are the two escapes a policy string knows.
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "{{ 7*7 }}{% raw %}",
    "[点我](javascript:alert(3))",
    "`代码` *粗* _斜_ | 表 |",
    ": 键 # 注释 &a *a !!python/object/apply:os.system ['id'] - 项 ? 问",
    "{: onclick=alert(4) } <a href='javascript:alert(5)'>",
    '\\" 引号 \\\\ 反斜杠 </textarea><svg onload=alert(6)>',
)
HOSTILE = " ".join(PAYLOADS)
# The quotes of title-less tasks, whose start the table of contents shows: each begins with a
# character Markdown reads as markup.
UNTITLED = (
    "*粗*_斜_`码`#<img src=x onerror=alert(7)>[x](javascript:alert(8))",
    "_斜体_开头的任务原文",
    "`代码`开头的任务原文",
    "#井号开头的任务原文",
)


def hostile_policy(folder: Path) -> Path:
    """The docs fixture with every string the generator shows made hostile, a title-less task
    whose quote starts with Markdown specials, and a source line that holds the payload."""
    text = POLICY
    text = text.replace('policy "天政发〔2023〕9号"', f'policy "天政发〔2023〕9号{HOSTILE}"')
    text = text.replace('title "关于测试政策的意见"', f'title "关于{HOSTILE}"')
    text = text.replace('section 一 "测试部分"', f'section 一 "测试{HOSTILE}"')
    text = text.replace('clause 一 "用工支持"', f'clause 一 "用工{HOSTILE}"')
    text = text.replace('"常年用工人数"', f'"人数{HOSTILE}"')
    text = text.replace('"满6个月与满1年的补贴是替代还是叠加?"', f'"问{HOSTILE}"')
    text = text.replace('"按最高档计是通常读法"', f'"因{HOSTILE}"')
    text = text.replace('"来文缺“〕”和“号”"', f'"缺{HOSTILE}"')
    text = text.replace('"按人计 | 不含<派遣>员工"', f'"注{HOSTILE}"')
    text = text.replace('"用于做大总量奖励"', f'"资金{HOSTILE}"')
    text = text.replace('"给予经营补贴"', f'"给予{HOSTILE}"')
    text = text.replace('replaces "天政发〔2020〕1号"', f'replaces "天政发〔2020〕1号{HOSTILE}"')
    text = text.replace('"满1年时按1000元/人计"', f'"选项{HOSTILE}"')
    text = text.replace('"常年用工50人以上的企业"', f'"定义{HOSTILE}"')
    text = text.replace('"可以入驻"', f'"授予{HOSTILE}"')
    text = text.replace('"入驻国投产业园的日期"', f'"日期{HOSTILE}"')
    text = text.replace(
        "enum 展会地点 { 省内, 省外 }", f'enum 展会地点 {{ 省内 "省内{HOSTILE}", 省外 }}'
    )
    assert text.count(HOSTILE) >= 16, "the fixture changed: update the replacements"
    # Comments may hold anything: the source page shows them highlighted, never as markup, and
    # YAML's and the terminal's troublemakers in them break nothing.
    text += "# </code></pre><script>alert(9)</script> {{ 7*7 }} \u2028 \x7f \x85 \x1b[31m\n"
    text += (
        f'\naside "关于测试政策的意见" "旁注{HOSTILE}"\n'
        f'procedure 转办 "程序{HOSTILE}" {{ step "步骤{HOSTILE}" }}\n'
    )
    tasks = "".join(
        f'    task {number} {{\n        quote "{line}"\n        responsible 市商务局\n    }}\n'
        for number, line in enumerate(UNTITLED, 1)
    )
    text += f'\nsection 二 "任务" {{\n{tasks}}}\n'
    source = SOURCE.replace(
        "本意见自发布之日起实施", "\n\n".join((*UNTITLED, "本意见自发布之日起实施"))
    )
    last = 17 + 2 * len(UNTITLED)
    text = text.replace("lines 1 to 17", f"lines 1 to {last}")
    (folder / "source.txt").write_text(source, encoding="utf-8")
    (folder / "registry.policy").write_text(
        UNITS.replace('"天门市商务局"', f'"商务局{HOSTILE}"'),
        encoding="utf-8",
    )
    path = folder / "hostile.policy"
    path.write_text(text, encoding="utf-8")
    return path


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _Markup(HTMLParser):
    """Every element, attribute and script body of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.script_types: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")
            self.script_types.append(dict(attrs).get("type") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def live_markup(html: str) -> list[str]:
    """What of the payload the page holds as markup rather than text: its elements (the site
    has scripts and images of its own: those of the payload run `alert` or load `x`), any
    event handler attribute, and any `javascript:` link."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    found = [f"<{tag}>" for tag in parser.tags if tag == "textarea"]
    for body, kind in zip(parser.scripts, parser.script_types, strict=True):
        if kind == "application/json":
            json.loads(body)  # data, whole: nothing in it ended the element early
            if "<" in body:  # could start `</script>` or `<!--`: written as \u003c instead
                found.append(f"<script type={kind}>{body[:60]}")
        elif "alert(" in body:
            found.append(f"<script>{body[:60]}")
    for tag, name, value in parser.attributes:
        if name.startswith("on") or name in ("srcdoc", "formaction", "action", "style"):
            found.append(f"<{tag} {name}={value!r}>")
        if name in URL_ATTRIBUTES and "javascript:" in value.replace(" ", "").lower():
            found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and name == "src" and value == "x":
            found.append(f"<{tag} {name}={value!r}>")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    policy = hostile_policy(folder)
    checked = policyc("check", policy)
    assert checked.status == 0, checked.err
    out = folder / "generated"
    done = policyc("docs", policy, "--out", out)
    assert done.status == 0, done.err
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "site")],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return folder / "site"


def test_no_live_markup_on_any_page(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 6
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert live_markup(html) == [], page.relative_to(site)
        shown += html.count("onerror=alert(1)")  # as text: escaped, so `&lt;img src=x …`
    assert shown > 0, "the payload should be shown as text somewhere"


def test_the_payload_is_shown_as_text(site: Path) -> None:
    index = (site / "hostile" / "index.html").read_text(encoding="utf-8")
    # The headings show the number as it is written; the navigation and the page's <title> with
    # HTML's markup characters in their fullwidth forms (see docs._nav_title).
    assert '">天政发〔2023〕9号&lt;img src=x onerror=alert(1)&gt;' in index  # <h1 id="…">
    assert "<title>天政发〔2023〕9号＜img src=x onerror=alert(1)＞ ＜script＞" in index
    assert "{{ 7*7 }}{% raw %}" in index  # no template ran: never 49
    assert ">49<" not in index


def test_untitled_tasks_keep_their_anchors(site: Path) -> None:
    # `mkdocs build --strict` has checked every link to them; the ids are on the headings.
    page = (site / "hostile" / "index.html").read_text(encoding="utf-8")
    for number in range(1, len(UNTITLED) + 1):
        assert f'<h3 id="task-{number}"' in page, number
    toc = page[page.index('<nav class="md-nav md-nav--secondary"') :]
    assert "任务 1：粗斜码imgsr…" in toc  # the markup characters are left out of the label
    assert "任务 2：斜体开头的任务原文" in toc
    assert "任务 3：代码开头的任务原文" in toc
    assert "任务 4：井号开头的任务原文" in toc


def test_the_search_index_holds_no_markup(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert live_markup(doc.get(field, "")) == [], (doc["location"], field)


def test_mkdocs_yml_is_yaml_that_says_what_the_policy_says(site: Path) -> None:
    import yaml

    config = (site.parent / "generated" / "mkdocs.yml").read_text(encoding="utf-8")
    nav = yaml.safe_load(config)["nav"]
    titles = [
        next(iter(item))
        for group in nav[1:]
        for entry in group.values()
        if isinstance(entry, list)
        for item in entry
        if isinstance(item, dict)
    ]
    assert any(title.startswith("天政发〔2023〕9号＜img src=x") for title in titles), titles
    assert "!!python" not in config.replace("!!python/object/apply", "")


@pytest.mark.parametrize("character", ["\x7f", "\u2028", "\u0085", "\x1b", "\u202e"])
def test_a_control_character_in_a_policy_string_is_refused_at_check(
    tmp_path: Path, character: str
) -> None:
    policy = hostile_policy(tmp_path)
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("天政发〔2023〕9号", f"天政发{character}〔2023〕9号", 1))
    for command in (["check", policy], ["docs", policy, "--out", tmp_path / "out"]):
        done = policyc(*command)
        done.refused("hostile.policy:1:12", f"control character U+{ord(character):04X}")
        assert character not in done.err
    assert not (tmp_path / "out").exists()
