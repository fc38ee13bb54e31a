"""Text for the site's Markdown and YAML: escaping, links, titles, and the tidy layout every
generated page is written in."""

from __future__ import annotations

import json
import re

# ---- Markdown escaping -------------------------------------------------------------------------

# Characters that Python-Markdown would read as markup inside a line. `|` is escaped everywhere
# (the tables extension makes `\|` valid outside tables too) so any text may sit in a cell.
_INLINE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "#": "\\#",
    "|": "\\|",
    "<": "&lt;",
    ">": "&gt;",
}
_INLINE_RE = re.compile("|".join(re.escape(c) for c in _INLINE))
_BLOCK_START = re.compile(r"^(?:[-+]|\d+[.)](?=\s|$))")


def md(text: str) -> str:
    """Text as one line of literal Markdown: markup characters escaped, line breaks folded."""
    text = " ".join(text.split("\n")) if "\n" in text else text
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)
    # At the start of a block a leading `-` or `1.` would make a list: escape the marker.
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text, count=1)


def _href(target: str) -> str:
    # Percent-encode the few ASCII characters that end or break a Markdown link target.
    return "".join(f"%{ord(c):02X}" if c in " ()<>[]\"'\\%|" else c for c in target)


def link(text: str, target: str) -> str:
    return f"[{md(text)}]({_href(target)})"


_YAML_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def json_in_html(data: object) -> str:
    """JSON to put inside a <script type="application/json"> element: `<`, `>` and `&` written
    as their `\\u` escapes, so no policy string can close the element (`</script>`) or put the
    HTML parser into a comment or a nested script state (`<!--`, `<script`)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def yaml_str(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back as `text`, whatever it holds: a
    JSON string (YAML's double-quoted escapes include JSON's), with every character YAML would
    refuse or fold written as its `\\uXXXX` escape."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# HTML's markup characters as their fullwidth forms, which Chinese text uses anyway.
_FULLWIDTH_MARKUP = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def nav_title(text: str) -> str:
    """A title mkdocs.yml gives the navigation (or the site's name), quoted for YAML.

    mkdocs-material puts it into every page unescaped (the navigation), escaped (labels) and
    through `striptags` (the <title>), which strips tags and then *unescapes* entities — so an
    HTML-escaped `&lt;/title&gt;&lt;script&gt;` would come out live there. The title therefore
    holds no HTML markup character at all: `<>&"'` become their fullwidth forms, which read
    the same and mean nothing to any of the three."""
    return yaml_str(text.translate(_FULLWIDTH_MARKUP))


def tidy(text: str) -> str:
    """One blank line at most, no trailing spaces, one final newline: stable output to diff."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
