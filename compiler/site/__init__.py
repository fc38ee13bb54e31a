"""The clause site, one module per job (`policyc.compiler.docs` is the entry point):

- `config`: the site's name, publisher and reference dates (policies or site.toml);
- `layout`: folder names, the page of each policy and unit, anchors, the links pages may make;
- `markdown`: escaping, links and YAML quoting; the tidy layout of every generated file;
- `views`: the frozen records the templates show (`templates/docs/*.j2`);
- `citizen`: what a citizen reads first for each rule; `charts`: SVG of tiers and schedules;
- `policy_text`, `policy_amounts`, `policy_view`: one policy's page, built in three layers —
  linked expressions and tables, the amounts index, the rules and structure of the page;
- `directory`: the units' pages and the home page's validity table;
- `assemble`: every file of the site rendered in memory (`render_docs`);
- `write`: the atomic swap of the output folder (`write_docs`).
"""
