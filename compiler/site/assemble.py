"""The site in memory: every page rendered from its template, `mkdocs.yml`, the stylesheet,
scripts and build hook; `render_docs` is the entry point."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

import attrs
import jinja2

from policyc.compiler.checker import CheckedPolicy
from policyc.compiler.i18n import _
from policyc.compiler.project import refuse_same_numbers
from policyc.compiler.render import counting
from policyc.compiler.site.config import SiteConfig, site_identity
from policyc.compiler.site.directory import unit_views, validity_table
from policyc.compiler.site.layout import (
    ASSETS_DIR,
    DOCS_DIR,
    HOOKS_FILE,
    MARKER,
    MARKER_TEXT,
    RESERVED_PAGES,
    UNITS_DIR,
    DocsError,
    SiteLinks,
    page_name,
)
from policyc.compiler.site.markdown import md, nav_title, tidy, yaml_str
from policyc.compiler.site.policy_view import PolicyView
from policyc.compiler.site.views import WorkedExample
from policyc.compiler.templating import environment
from policyc.runtime.quantity import declared_measures


def _environment() -> jinja2.Environment:
    env = environment()
    env.filters["yaml"] = yaml_str
    env.filters["nav_title"] = nav_title
    # `{#id}` cannot be written literally in a template: `{#` opens a jinja comment.
    env.filters["anchor"] = lambda anchor, toc="": (
        f' {{#{anchor} data-toc-label="{toc}"}}' if toc else f" {{#{anchor}}}"
    )
    return env


def _document_order(policy: CheckedPolicy) -> tuple[bool, str, str, int, str]:
    """Documents in the order they were issued (as the gazette prints them); ties by their
    place in the received text, then by page: the same order whatever order they came in."""
    h = policy.header
    issued = h.issued.isoformat() if h.issued else ""
    return (h.issued is None, issued, h.source_file, h.source_first_line, page_name(policy))


def _ordered(policies: Iterable[CheckedPolicy]) -> list[CheckedPolicy]:
    ordered = sorted(policies, key=_document_order)
    names = [page_name(p) for p in ordered]
    for name, policy in zip(names, ordered, strict=True):
        if names.count(name) > 1:
            raise DocsError(
                _(
                    "two policies would share the page `{name}` "
                    "({policy_header_number}); rename one of the files"
                ).format(
                    name=name,
                    policy_header_number=policy.header.number,
                )
            )
        if name.removesuffix(".md") in RESERVED_PAGES:
            raise DocsError(
                _(
                    "`{policy_file_path}`: the page name `{name}` is reserved for the "
                    "site's own pages; rename the policy file"
                ).format(
                    policy_file_path=policy.file.path,
                    name=name,
                )
            )
    return ordered


# Files copied as they are (no template syntax is read in them): name under templates/docs/ ->
# path in the output. They carry `.j2` so that the package data pattern ships them.
STATIC_FILES = {
    "policyc.css.j2": f"{DOCS_DIR}/{ASSETS_DIR}/policyc.css",
    "search-zh.js.j2": f"{DOCS_DIR}/{ASSETS_DIR}/search-zh.js",
    "validity.js.j2": f"{DOCS_DIR}/{ASSETS_DIR}/validity.js",
    "policyc_hooks.py.j2": HOOKS_FILE,
}


def render_docs(
    policies: Sequence[CheckedPolicy],
    config: SiteConfig | None = None,
    *,
    examples: Mapping[str, Sequence[WorkedExample]] | None = None,
    site_name: str | None = None,
    reference_dates: Sequence[tuple[datetime.date, str]] | None = None,
) -> dict[str, str]:
    """Every file of the site, relative path → text. Deterministic: the same policies (and
    received texts) give the same bytes, whatever the day.

    The site's name, publisher and reference dates come from `config` where it sets them, else
    from the policies (`config.site_identity`); `site_name` and `reference_dates` override both.
    `examples` gives each policy (by 文号) its worked examples: shipped cases evaluated by the
    command line (`policyc.worked_examples`); without them the pages show none.
    Raises DocsError when two policies would share a page or one takes a reserved name, and
    PolicyError when two share a 文号 (compiler/project.py: their pages would be mixed up)."""
    refuse_same_numbers((p.header, p.text) for p in policies)
    config = config or SiteConfig()
    if site_name is not None:
        config = attrs.evolve(config, name=site_name)
    if reference_dates is not None:
        config = attrs.evolve(config, reference_dates=tuple(reference_dates))
    ordered = _ordered(policies)
    identity = site_identity(ordered, config)
    site = SiteLinks.of(ordered)
    views = [PolicyView(p, site, (examples or {}).get(p.header.number, ())) for p in ordered]
    pages = []
    amount_groups = []
    for view in views:
        # `count(机具)` said as 机具的台数; the policy's own measures (`measure 方 = …`) read
        with counting(view.policy.people.counted), declared_measures(view.policy.measures):
            pages.append(view.build())
            amount_groups.append(view.amount_group())
    units = unit_views(views, site)
    env = _environment()

    def page(template: str, **context: object) -> str:
        return tidy(env.get_template(f"docs/{template}").render(**context))

    files: dict[str, str] = {
        MARKER: MARKER_TEXT,
        "mkdocs.yml": page(
            "mkdocs.yml.j2",
            site_name=identity.name,
            publisher=identity.publisher,
            docs_dir=DOCS_DIR,
            pages=pages,
            units=units,
            units_dir=UNITS_DIR,
            assets=ASSETS_DIR,
            hooks=HOOKS_FILE,
        ),
        f"{DOCS_DIR}/index.md": page(
            "index.md.j2",
            site_name=md(identity.name),
            publisher=md(identity.publisher),
            cards=[v.card(p) for v, p in zip(views, pages, strict=True)],
            validity=validity_table(views, identity.reference_dates),
            units_index=f"{UNITS_DIR}/index.md",
        ),
        f"{DOCS_DIR}/{UNITS_DIR}/index.md": page("units.md.j2", units=units),
        f"{DOCS_DIR}/amounts.md": page("amounts.md.j2", groups=amount_groups),
    }
    for unit in units:
        files[f"{DOCS_DIR}/{unit.page}"] = page("unit.md.j2", u=unit)
    for view, p in zip(views, pages, strict=True):
        files[f"{DOCS_DIR}/{p.page}"] = page(
            "policy.md.j2", p=p, units_index=f"{UNITS_DIR}/index.md"
        )
        source = view.source()
        # The policy file goes in as it is: tidying would merge its blank lines and shift every
        # line number after them.
        files[f"{DOCS_DIR}/{source.page}"] = (
            page("source.md.j2", s=source)
            + f'\n{source.fence}policyc linenums="1"\n{source.text}{source.fence}\n'
        )
        for chart, svg in view.charts.items():
            files[f"{DOCS_DIR}/{chart}"] = svg  # as matplotlib wrote it: not tidied
        gazette = view.gazette()
        if gazette is not None:
            files[f"{DOCS_DIR}/{gazette.page}"] = page("gazette.md.j2", g=gazette)
    loader = env.loader
    assert loader is not None
    for name, path in STATIC_FILES.items():
        files[path] = tidy(loader.get_source(env, f"docs/{name}")[0])
    return dict(sorted(files.items()))


# ---- writing -----------------------------------------------------------------------------
