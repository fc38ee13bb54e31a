"""The OpenAPI 3.1 document of the JSON API, served at /openapi.json.

Written out rather than generated: the case bodies are validated by `policyc.cases` (so that
messages match `run`), not by a model framework, and each policy's case schema is its own
document at /v1/policies/{id}/schema, which the request bodies point to.
"""

from __future__ import annotations

from typing import Any

from policyc import __version__
from policyc.report_json import LEAN_KEYS, SCHEMA_VERSION
from policyc.serve.evaluate import MAX_BODY_BYTES, MAX_CASES

_ERROR = {"$ref": "#/components/schemas/Error"}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_TEXT_FIELDS = (
    "rule", "clause", "clause_title", "owner_kind", "heading", "unspecified", "grants",
    "beneficiary", "kind", "flow", "role", "target", "law",
)  # fmt: skip
_RULE: dict[str, Any] = {
    "type": "object",
    "description": "a rule's fixed fields, as a full result carries them (cli/report_json.py "
    "`rule_fields`)",
    "required": ["rule", "clause", "heading", "kind", "flow", "role", "quotes"],
    "properties": {
        **{key: {"type": "string"} for key in _TEXT_FIELDS},
        **{
            key: _TEXTS
            for key in ("responsible", "quotes", "readings", "leads", "cooperates", "refers")
        },
        "line": {"type": "integer"},
        "procedures": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "title": {"type": "string"}},
            },
        },
        "limits": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {k: {"type": "string"} for k in ("name", "amount", "text")},
            },
        },
        "rounding": {"type": ["string", "null"]},
        # whose sentences `quotes` are: "" its own, "owner" its section's, clause's or task's
        "quote_of": {"enum": ["", "owner"]},
        "amount_per": {"enum": ["month", "year"]},
        "value_per": {"enum": ["month", "year"]},
    },
}
_POLICY_ID = {
    "name": "policy",
    "in": "path",
    "required": True,
    "description": "the policy's file name without `.policy` (see /v1/policies)",
    "schema": {"type": "string"},
}
_EVALUATE_PARAMETERS = [
    _POLICY_ID,
    {
        "name": "explain",
        "in": "query",
        "description": "add each result's `trace` (as `policyc run --explain`)",
        "schema": {"type": "boolean", "default": False},
    },
    {
        "name": "on",
        "in": "query",
        "description": "evaluation date, over the case's `on` (as `--on`)",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "reading",
        "in": "query",
        "description": "NAME=OPTION: take another option of a declared reading (as `--reading`)",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
]


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "the body is not JSON, or a query parameter is wrong",
        404: "no such policy or unit",
        413: f"the body is over {MAX_BODY_BYTES} bytes",
        422: "a case does not fit the policy: each problem names its field, as `run` says it",
    }
    return {
        str(code): {
            "description": words[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
        for code in codes
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    """The document; its paths are exactly the API's routes (a test holds them together)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "policyc",
            "version": __version__,
            "description": (
                "The policies of a folder, evaluated as `policyc run --format json` does. "
                "A case's body is a case file's content as JSON; each policy's JSON Schema "
                "of its case files is at /v1/policies/{policy}/schema. "
                f"Bodies are at most {MAX_BODY_BYTES} bytes (413 past it); "
                f"evaluate-many takes at most {MAX_CASES} cases. No route writes a policy."
            ),
        },
        "paths": {
            "/v1/health": {
                "get": {
                    "summary": "the server is up, with how many policies it serves",
                    "responses": {"200": _json({"type": "object"}, "ok")},
                }
            },
            "/v1/policies": {
                "get": {
                    "summary": "the policies: 文号, title, issuer, validity, counts",
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "policies": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Policy"},
                                    }
                                },
                            },
                            "the policies in file order",
                        )
                    },
                }
            },
            "/v1/policies/{policy}": {
                "get": {
                    "summary": "one policy's summary",
                    "parameters": [_POLICY_ID],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Policy"}, "the policy"),
                        **_errors(404),
                    },
                }
            },
            "/v1/policies/{policy}/schema": {
                "get": {
                    "summary": "the JSON Schema of the policy's case files (`policyc schema`)",
                    "parameters": [_POLICY_ID],
                    "responses": {
                        "200": {
                            "description": "a JSON Schema, draft 2020-12",
                            "content": {"application/schema+json": {"schema": {}}},
                        },
                        **_errors(404),
                    },
                }
            },
            "/v1/policies/{policy}/rules": {
                "get": {
                    "summary": "every rule's fixed fields: what a lean (ruled-out) result "
                    "leaves out; fetch once per policy",
                    "parameters": [_POLICY_ID],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Rules"}, "the rules"),
                        **_errors(404),
                    },
                }
            },
            "/v1/policies/{policy}/evaluate": {
                "post": {
                    "summary": "evaluate one case: the answer is `policyc run --format json`",
                    "parameters": _EVALUATE_PARAMETERS,
                    "requestBody": {
                        "required": True,
                        "description": "a case file's content as JSON (see the policy's schema)",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Run"}, "the results"),
                        **_errors(400, 404, 413, 422),
                    },
                }
            },
            "/v1/policies/{policy}/evaluate-many": {
                "post": {
                    "summary": f"evaluate up to {MAX_CASES} cases in one request",
                    "parameters": _EVALUATE_PARAMETERS,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["cases"],
                                    "properties": {
                                        "cases": {
                                            "type": "array",
                                            "maxItems": MAX_CASES,
                                            "items": {"type": "object"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Run"},
                                    }
                                },
                            },
                            "one document per case, in order",
                        ),
                        **_errors(400, 404, 413, 422),
                    },
                }
            },
            "/v1/duties/{unit}": {
                "get": {
                    "summary": "what a unit leads, shares or cooperates on (`policyc duties`)",
                    "parameters": [
                        {
                            "name": "unit",
                            "in": "path",
                            "required": True,
                            "description": "a unit's name or alias, as 市商务局",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json({"type": "object"}, "`policyc duties --format json`"),
                        **_errors(404),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "problems"],
                    "properties": {
                        "error": {"type": "string"},
                        "problems": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "description": "the problem shape of `policyc run --format json`",
                                "required": ["message", "field", "file"],
                                "properties": {
                                    "message": {"type": "string"},
                                    "field": {
                                        "type": ["string", "null"],
                                        "description": "inputs.NAME, on, readings.NAME, policy",
                                    },
                                    "file": {
                                        "type": ["string", "null"],
                                        "description": "case, or cases[N] in a list request",
                                    },
                                    **{
                                        key: {"type": ["integer", "null"]}
                                        for key in ("line", "column", "end_line", "end_column")
                                    },
                                    **{
                                        key: {"type": ["string", "null"]}
                                        for key in ("expected", "code", "hint")
                                    },
                                    "severity": {"enum": ["error", "warning"]},
                                },
                            },
                        },
                    },
                },
                "Policy": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "number": {"type": "string", "description": "文号"},
                        "title": {"type": "string"},
                        "issuer": {
                            "type": ["string", "null"],
                            "description": "the lead issuer (牵头发文单位)",
                        },
                        "issuers": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "every issuer, the lead issuer first (联合发文)",
                        },
                        "issued": {"type": ["string", "null"], "format": "date"},
                        "valid_from": {"type": ["string", "null"], "format": "date"},
                        "valid_until": {"type": ["string", "null"], "format": "date"},
                        "provisional": {"type": "boolean"},
                        "clauses": {"type": "integer"},
                        "rules": {"type": "integer"},
                        "inputs": {"type": "integer"},
                    },
                },
                "Rules": {
                    "type": "object",
                    "required": ["policyc", "policy", "rules"],
                    "properties": {
                        "policyc": {"const": SCHEMA_VERSION},
                        "policy": {"type": "string", "description": "文号"},
                        "rules": {"type": "array", "items": _RULE},
                    },
                },
                "Run": {
                    "type": "object",
                    "description": "the document of `policyc run --format json` (cli/report.py)",
                    "required": ["policyc", "policy", "on", "results", "totals"],
                    "properties": {
                        "policyc": {
                            "const": SCHEMA_VERSION,
                            "description": "the format's version: 2 since ruled-out results "
                            "are lean",
                        },
                        "results": {
                            "type": "array",
                            "items": {
                                "description": "a result the case rules out (status "
                                "not_applicable or not_in_force) is lean: only "
                                + ", ".join(LEAN_KEYS)
                                + " (and members, periods, trace if present); its rule's other "
                                "fields are in /v1/policies/{policy}/rules. Any other result "
                                "carries its rule's fields too.",
                                "type": "object",
                                "required": list(LEAN_KEYS),
                            },
                        },
                        "on": {"type": "string", "format": "date"},
                        "in_force": {
                            "type": "boolean",
                            "description": "whether the date `on` lies in the validity",
                        },
                        "period": {
                            "type": "string",
                            "description": "the period evaluated (2026-03, 2026): a policy with "
                            "periods or a group only",
                        },
                        "period_in_force": {
                            "enum": ["in_force", "partly_in_force", "not_in_force"],
                            "description": "every day, some days or no day of `period` in the "
                            "validity (beside `period` only)",
                        },
                    },
                },
            }
        },
    }
