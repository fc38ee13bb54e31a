"""The one jinja2 environment every generator renders its templates with (templates/).

The generators write Python, SQL and Markdown, never HTML, so autoescaping is off and each
generator escapes what its own output needs; an undefined name in a template is an error.
"""

from __future__ import annotations

import jinja2


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("policyc.compiler", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
    )
