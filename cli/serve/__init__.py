"""`policyc serve`: the policies as a web service (a JSON API under /v1) and a form per policy.

Needs the `serve` extra (Starlette, uvicorn, python-multipart). The modules that do not import
Starlette — `catalog` (the compiled policies) and `evaluate` (one request's case → `policyc run
--format json`) — hold the logic; `api`, `web` and `app` only map HTTP onto them.
"""
