"""The pages a case worker uses: the policy list, a form per policy, the result beside it.

Plain HTML forms posted to the server, so that filling, submitting, reading the result,
downloading the case as YAML and uploading one all work with JavaScript off.

    GET  /                          the policies, each with a link to its form
    GET  /policies/{id}             the empty form
    POST /policies/{id}             evaluate (the result above the filled form) or, with the
                                    button `@action=download`, the filled case as a YAML file
    POST /policies/{id}/upload      a case file (multipart field `case`) fills the form
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from policyc.cases import MAX_CASE_BYTES, case_from_data, plain_data, read_case_text
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import CompiledPolicy
from policyc.problems import Problem
from policyc.report import STATUS_WORDS
from policyc.serve.api import catalog_of, policy_of
from policyc.serve.catalog import summary
from policyc.serve.evaluate import RequestError, evaluate, validated
from policyc.serve.form import (
    ON,
    READING,
    RECEIVED,
    case_data,
    case_yaml,
    fields_of,
    form_values,
    readings_of,
    received_choices,
)

PLACE = "表单"  # where a form's problems are, in the messages `run` would give for a file
MAX_FORM_FIELDS = 1000
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(
    name: str, status: int = 200, headers: Mapping[str, str] | None = None, **context: Any
) -> HTMLResponse:
    html = _TEMPLATES.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=headers)


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    return page("error.html.j2", status, headers, code=status, message=message)


async def index(request: Request) -> Response:
    catalog = catalog_of(request)
    return page("index.html.j2", policies=[summary(i, p) for i, p in catalog.policies.items()])


async def form_page(request: Request) -> Response:
    policy_id, policy = policy_of(request)
    return _form(policy_id, policy, {}, [], {}, [])


async def submit(request: Request) -> Response:
    policy_id, policy = policy_of(request)
    form = await _read_form(request)
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != RECEIVED}
    received = [v for v in form.getlist(RECEIVED) if isinstance(v, str)]
    data = case_data(policy.checked, values, received)
    if values.get("@action") == "download":
        # The file name is the policy's, which the folder decides: kept to safe characters.
        name = re.sub(r"[^A-Za-z0-9._-]", "_", policy_id) + "-case.yaml"
        return Response(
            case_yaml(data),
            media_type="application/yaml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    try:
        case = validated(policy, data, PLACE)
        document = evaluate(policy, case, PLACE, explain=True)
    except RequestError as exc:
        field_problems, general = _problems(exc.problems, PLACE)
        return _form(policy_id, policy, values, received, field_problems, general, status=422)
    return _form(policy_id, policy, values, received, {}, [], result=_result_view(policy, document))


async def upload(request: Request) -> Response:
    policy_id, policy = policy_of(request)
    form = await _read_form(request)
    file = form.get("case")
    if not isinstance(file, UploadFile) or not file.filename:
        return _form(policy_id, policy, {}, [], {}, ["请选择一个案例文件（.yaml 或 .json）"], 422)
    name = Path(file.filename).name[:100] or "case.yaml"
    raw = await file.read(MAX_CASE_BYTES + 1)
    try:
        text = raw.decode("utf-8")
        node = read_case_text(text, name, as_json=name.lower().endswith(".json"))
    except UnicodeDecodeError as exc:
        message = _("{name}: not UTF-8 text (bad byte at offset {exc_start})").format(
            name=name, exc_start=exc.start,
        )
        return _form(policy_id, policy, {}, [], {}, [message], 422)
    except InputError as exc:
        return _form(policy_id, policy, {}, [], {}, str(exc).splitlines(), 422)
    data = plain_data(node)
    values, received = form_values(policy.checked, data)
    try:
        case_from_data(data, policy.checked, name)
    except InputError as exc:
        field_problems, general = _problems(RequestError.from_input(422, exc).problems, name)
        return _form(policy_id, policy, values, received, field_problems, general, 422)
    return _form(policy_id, policy, values, received, {}, [], notice=f"已从 {name} 填入表单")


async def _read_form(request: Request) -> FormData:
    try:
        return await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
    except (ValueError, KeyError) as exc:
        raise RequestError(400, _("the form could not be read ({exc})").format(exc=exc)) from None


def _problems(problems: Sequence[Problem], place: str) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem beside its input's field (by the form's field name), the rest on top."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        field = problem.field
        shown = problem.message.removeprefix(f"{place}: ")
        if field is not None and field.startswith("inputs."):
            by_field.setdefault(field.removeprefix("inputs."), []).append(shown)
        elif field == "on":
            by_field.setdefault(ON, []).append(shown)
        elif field is not None and field.startswith("readings."):
            by_field.setdefault(READING + field.removeprefix("readings."), []).append(shown)
        else:
            general.append(shown)
    return by_field, general


def _form(
    policy_id: str,
    policy: CompiledPolicy,
    values: Mapping[str, str],
    received: list[str],
    problems: Mapping[str, list[str]],
    general: list[str],
    status: int = 200,
    result: dict[str, Any] | None = None,
    notice: str = "",
) -> HTMLResponse:
    checked = policy.checked
    fields = fields_of(checked)
    readings = readings_of(checked, policy.namespace["READINGS"])
    # A problem about a field the form does not have (an uploaded file's unknown input) goes on top.
    shown = {ON, *(f.name for f in fields), *(READING + r.name for r in readings)}
    general = [*general, *(p for key, ps in problems.items() if key not in shown for p in ps)]
    return page(
        "form.html.j2",
        status,
        policy=summary(policy_id, policy),
        fields=fields,
        readings=readings,
        received_choices=received_choices(checked),
        values=values,
        received=received,
        problems=problems,
        general=general,
        result=result,
        notice=notice,
        ON=ON,
        READING=READING,
        RECEIVED=RECEIVED,
    )


def _result_view(policy: CompiledPolicy, document: dict[str, Any]) -> dict[str, Any]:
    """What the result page shows: what applies and how much (totals per kind), what is still
    missing (each input with its description), the rest folded; each result keeps its trace
    and source sentences."""
    results = document["results"]
    for item in results:
        item["status_word"] = STATUS_WORDS.get(item["status"], item["status"])
    applies = [r for r in results if r["status"] in ("applies", "unspecified")]
    undetermined = [r for r in results if r["status"] == "undetermined"]
    decided = [r for r in results if r["status"] in ("decided", "met", "not_met", "not_reported")]
    shown = {id(r) for r in (*applies, *undetermined, *decided)}
    others = [r for r in results if id(r) not in shown]
    per_kind: dict[tuple[str, str], Decimal] = {}
    for r in applies:
        if r["amount"] is not None:
            key = (r["kind"] or "其他", r["amount"]["unit"])
            per_kind[key] = per_kind.get(key, Decimal(0)) + Decimal(r["amount"]["value"])
    return {
        "document": document,
        "applies": applies,
        "undetermined": undetermined,
        "decided": decided,
        "others": others,
        "totals_by_kind": [
            {"kind": kind, "unit": unit, "amount": f"{amount:,f}"}
            for (kind, unit), amount in per_kind.items()
        ],
        # every input that could change an undetermined result, all layers at once (issue 15)
        "missing": document["still_needed"],
    }


ROUTES: list[Any] = [
    Route("/", index, methods=["GET"]),
    Route("/policies/{policy}", form_page, methods=["GET"]),
    Route("/policies/{policy}", submit, methods=["POST"]),
    Route("/policies/{policy}/upload", upload, methods=["POST"]),
]
