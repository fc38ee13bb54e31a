"""Generate the policy site: a mkdocs-material site with a home page, one page per policy, one
page per unit, an amounts index, each policy's source and each document's received text.

`render_docs` is deterministic: checked policies in, `{relative path: text}` out, byte-identical
for the same input (it reads only the received text each policy names, which `check` has read
before it; never the clock). `write_docs` writes that into a fresh sibling folder and swaps it in,
so a reader (or `mkdocs serve`) never sees half a generation and files the new one no longer
produces vanish.

The pages are read by the public and by the drafters checking the rules against the gazette, so
every clause shows its original sentence beside what the rule does, links to that sentence's line
in the received text and to the clause's line in the policy file, every boundary word says whether
it includes the stated number, declared readings and repairs of the received text are marked, and
an amount the document leaves open is marked as such — never given a number.

What the site needs beyond Markdown is generated too (nothing under the output is written by
hand): a stylesheet, a script that makes the search find Chinese words (see
`templates/docs/search-zh.js.j2`), a script that says whether each document is in force on a
date the reader picks, and an mkdocs hook that lets `mkdocs build --strict` check links to the
lines of a highlighted policy file.

The generator lives in `compiler/site/`, one module per job (see its `__init__`); this module is
the stable entry point the command line and the tests import.
"""

from __future__ import annotations

from policyc.compiler.site.assemble import render_docs
from policyc.compiler.site.config import SiteConfig, load_site_config
from policyc.compiler.site.layout import DocsError, page_name
from policyc.compiler.site.markdown import link, md, yaml_str
from policyc.compiler.site.write import write_docs

_yaml_str = yaml_str  # the name the edge tests know it by

__all__ = [
    "DocsError",
    "SiteConfig",
    "link",
    "load_site_config",
    "md",
    "page_name",
    "render_docs",
    "write_docs",
]
