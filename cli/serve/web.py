"""The pages a case worker uses: the policy list, a form per policy, the result beside it.

Plain HTML forms posted to the server, so that filling, submitting, reading the result,
downloading the case as YAML and uploading one all work with JavaScript off.

    GET  /                          the policies, each with a link to its form
    GET  /policies/{id}             the empty form
    POST /policies/{id}             evaluate (the result above the filled form) or, with the
                                    button `@action=download`, the filled case as a YAML file,
                                    or with `@action=add-member` the form with one more member row
    POST /policies/{id}/upload      a case file (multipart field `case`) fills the form
"""

from __future__ import annotations

import codecs
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from policyc.case_files import DuplicateKeys, utf8_text
from policyc.cases import (
    MAX_CASE_BYTES,
    plain_data,
    read_case_text,
    validate_case,
)
from policyc.compiler.errors import InputError
from policyc.compiler.i18n import _
from policyc.compiler.pipeline import CompiledPolicy
from policyc.compiler.run_view import from_issue, period_text
from policyc.member_why import FailedParts, MemberWhys, case_no_answers
from policyc.people_report import bare_headings, key_total_text, part_word, period_words, total_key
from policyc.problems import Problem
from policyc.report import (
    DUE_WORDS,
    FLOW_WORDS,
    STATUS_WORDS,
    done_words,
    in_measure,
    issuers_text,
    party_word,
    quote_label,
    unspecified_word,
)
from policyc.report_json import rule_fields
from policyc.report_ranges import ends_words
from policyc.report_totals import flow_words, payer
from policyc.runtime.quantity import MeasureError, Quantity, declared_measures
from policyc.runtime.validity_words import out_of_force_state
from policyc.serve.api import catalog_of, policy_of
from policyc.serve.catalog import summary
from policyc.serve.evaluate import RequestError, evaluate, validated
from policyc.serve.form import (
    MEMBERS,
    ON,
    PERIOD,
    READING,
    RECEIVED,
    case_data,
    case_yaml,
    chosen_readings,
    current_name,
    fields_of,
    form_values,
    member_name_key,
    member_role_key,
    member_rows,
    member_words,
    readings_of,
    received_choices,
    reported_by,
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
_TEMPLATES.globals["party_word"] = party_word  # 受益 / 应缴方 (cli/report.py), as `run` labels
_TEMPLATES.globals["quote_label"] = quote_label  # 原文, or a target's owner's sentence, as `run`
_TEMPLATES.globals["unspecified_word"] = unspecified_word  # 金额未规定 / 数额未规定, as `run`
_TEMPLATES.globals["issuers_text"] = issuers_text  # 联合发文: the lead marked, as `run`


def _validity_state(document: Mapping[str, Any]) -> str:
    """尚未施行（自2026年4月1日起施行） or 已失效（…起失效） for a result document (`run --format
    json`: `on`, `valid_from`, `valid_until` as ISO dates or null) out of force, as `run`'s
    header says it; "" when neither bound explains it."""

    def day(key: str) -> date | None:
        written = document.get(key)
        return date.fromisoformat(written) if written else None

    on = day("on")
    return out_of_force_state(on, day("valid_from"), day("valid_until")) if on else ""


_TEMPLATES.globals["validity_state"] = _validity_state  # the form's heading, as `run`'s header


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
    return page("index.html.j2", policies=[page_summary(i, p) for i, p in catalog.policies.items()])


def page_summary(
    policy_id: str, policy: CompiledPolicy, readings: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The policy list's summary (catalog.summary) with `validity`: the validity under the
    readings taken (`readings`: reading → option; those it leaves out, and an option the policy
    does not have, take the declared one) as `run`'s header and the site write it
    (run_view.period_text): `2023-03-31 至 2026-03-30（暂定）`, `自发布之日 2027-01-15 起，
    终止日未规定`, `未规定`."""
    return {**summary(policy_id, policy), "validity": period_text(policy.checked, readings or {})}


async def form_page(request: Request) -> Response:
    """A new form, its evaluation date today's (the case worker at the counter evaluates the
    case in front of them; another date is typed over it)."""
    policy_id, policy = policy_of(request)
    today = date.today()
    notice = _out_of_force(policy, today)
    return _form(policy_id, policy, {ON: today.isoformat()}, [], {}, [], notice=notice)


def _out_of_force(policy: CompiledPolicy, day: date) -> str:
    """A notice when the form's default evaluation date lies outside the policy's validity (a
    notice not yet in force, or expired): every rule would be 未施行 on it, which a case worker
    should know before filling in the form; empty otherwise."""
    checked = policy.checked
    # A policy without `valid from` is in force from its issue date, as `run` judges it
    # (run_view.validity_under; the taken validity reading's dates for one that has one).
    start, end = checked.validity_under({})
    if start is not None and day < start and from_issue(checked):
        return _(
            "This policy was issued on {start}: on the evaluation date {day} it is not yet in "
            "force; type a date in force to evaluate the case under it"
        ).format(start=start.isoformat(), day=day.isoformat())
    if start is not None and day < start:
        return _(
            "This policy takes effect on {start}: on the evaluation date {day} every rule is not "
            "in force; type a date in force to evaluate the case under it"
        ).format(start=start.isoformat(), day=day.isoformat())
    if end is not None and day > end:
        return _(
            "This policy was in force until {end}: on the evaluation date {day} every rule is not "
            "in force; type a date in force to evaluate the case under it"
        ).format(end=end.isoformat(), day=day.isoformat())
    return ""


async def submit(request: Request) -> Response:
    policy_id, policy = policy_of(request)
    form = await _read_form(request)
    items = [(current_name(k), v) for k, v in form.multi_items() if isinstance(v, str)]
    values = {k: v for k, v in items if k != RECEIVED}
    received = [v for k, v in items if k == RECEIVED]
    if values.get("@action") == "add-member":
        rows = member_rows(policy.checked, values, more=1)
        return _form(policy_id, policy, {**values, MEMBERS: str(rows)}, received, {}, [])
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
        field_problems, general = _problems(exc.problems, PLACE, values)
        return _form(policy_id, policy, values, received, field_problems, general, status=422)
    readings = {**policy.namespace["READINGS"], **case.readings}
    said = case_no_answers(policy, case.inputs, readings)
    view = _result_view(policy, document, said)
    return _form(policy_id, policy, values, received, {}, [], result=view)


async def upload(request: Request) -> Response:
    policy_id, policy = policy_of(request)
    form = await _read_form(request)
    file = form.get("case")
    if not isinstance(file, UploadFile) or not file.filename:
        return _form(policy_id, policy, {}, [], {}, ["请选择一个案例文件（.yaml 或 .json）"], 422)
    name = Path(file.filename).name[:100] or "case.yaml"
    raw = await file.read(MAX_CASE_BYTES + 1)
    found: list[Problem] = []
    try:
        text = utf8_text(raw, name)
        node = read_case_text(text, name, as_json=name.lower().endswith(".json"))
    except DuplicateKeys as exc:  # one problem among the file's others, as `run` reports them
        node, found = exc.root, list(exc.problems)
    except InputError as exc:
        return _form(policy_id, policy, {}, [], {}, str(exc).splitlines(), 422)
    data = plain_data(node)
    values, received = form_values(policy.checked, data)
    try:
        validate_case(node, policy.checked, name, found)
    except InputError as exc:
        problems = RequestError.from_input(422, exc).problems
        field_problems, general = _problems(problems, name, values, located=True)
        return _form(policy_id, policy, values, received, field_problems, general, 422)
    return _form(policy_id, policy, values, received, {}, [], notice=f"已从 {name} 填入表单")


async def _read_form(request: Request) -> FormData:
    """The posted form's fields. A url-encoded body is text in the charset its Content-Type
    names, UTF-8 when it names none (the charset of the form's page, in which the HTML standard
    has a browser submit it): raw bytes (`curl --data '企业类型=电商企业'`) and percent-escapes
    alike; a body that is not such text is a RequestError 400 naming the first bad byte. A
    multipart body (an upload) is Starlette's to read."""
    kind, _sep, params = request.headers.get("content-type", "").partition(";")
    try:
        if kind.strip().lower() != "application/x-www-form-urlencoded":
            return await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
        fields: list[tuple[str, str | UploadFile]] = [
            *url_encoded_fields(await request.body(), _charset(params))
        ]
        return FormData(fields)
    except (ValueError, KeyError) as exc:
        raise RequestError(400, _("the form could not be read ({exc})").format(exc=exc)) from None


def _charset(params: str) -> str:
    for param in params.split(";"):
        name, _sep, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or "utf-8"
    return "utf-8"


def url_encoded_fields(raw: bytes, charset: str = "utf-8") -> list[tuple[str, str]]:
    """`a=1&b=%E4%BA%8C` as [(name, value)] in order, `+` a space, each name and value decoded
    in `charset`; at most MAX_FORM_FIELDS fields. RequestError 400 for a charset Python does not
    know, bytes (raw or percent-escaped) that are not text in it, or too many fields."""
    try:
        codecs.lookup(charset)
    except LookupError:
        raise RequestError(
            400, _("the form's charset `{charset}` is not known").format(charset=charset[:40])
        ) from None
    try:
        text = raw.decode(charset)
    except UnicodeDecodeError as exc:
        raise RequestError(
            400,
            _("the form is not {charset} text (bad byte at offset {offset})").format(
                charset=charset.upper(), offset=exc.start
            ),
        ) from None
    try:
        return urllib.parse.parse_qsl(
            text,
            keep_blank_values=True,
            encoding=charset,
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except UnicodeDecodeError:
        raise RequestError(
            400,
            _("the form has a percent-escaped value that is not {charset} text").format(
                charset=charset.upper()
            ),
        ) from None
    except ValueError:
        raise RequestError(
            400, _("the form has over {limit} fields").format(limit=MAX_FORM_FIELDS)
        ) from None


def _problems(
    problems: Sequence[Problem], place: str, values: Mapping[str, str], located: bool = False
) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem beside its input's field (by the form's field name; a member's beside its
    row's field, found by the member's name in `values`), the rest on top — `located`: with
    their file, line and column, as `run` prints them (an uploaded file's)."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    rows = {
        value.strip(): key.removeprefix("@member").removesuffix(".name")
        for key, value in values.items()
        if key.startswith("@member") and key.endswith(".name") and value.strip()
    }
    # A row filled in without a name is the case's `成员3` (form.case_data)
    for key, value in values.items():
        row = re.match(r"@member(\d{1,3}):", key)
        if row and value.strip() and not values.get(member_name_key(int(row[1])), "").strip():
            rows.setdefault(f"成员{row[1]}", row[1])
    for problem in problems:
        field = problem.field
        shown = problem.message.removeprefix(f"{place}: ")
        member = _member_field(field, rows)
        if member is not None:
            by_field.setdefault(member, []).append(shown)
        elif field is not None and field.startswith("inputs."):
            by_field.setdefault(field.removeprefix("inputs."), []).append(shown)
        elif field == "on":
            by_field.setdefault(ON, []).append(shown)
        elif field == "period":
            by_field.setdefault(PERIOD, []).append(shown)
        elif field is not None and field.startswith("readings."):
            by_field.setdefault(READING + field.removeprefix("readings."), []).append(shown)
        else:
            general.append(str(problem) if located else shown)
    return by_field, general


def _member_field(field: str | None, rows: Mapping[str, str]) -> str | None:
    """The form field a member's problem belongs beside (`members.王芳.inputs.月收入.2026-03` →
    `@member1:月收入`, `members.王芳.role` → `@member1.role`), or None."""
    if field is None or not field.startswith("members."):
        return None
    rest = field.removeprefix("members.")
    for name, row in rows.items():
        if rest == name or rest.startswith(name + "."):
            part = rest[len(name) + 1 :]
            if part.startswith("inputs."):
                return f"@member{row}:{part.removeprefix('inputs.').split('.')[0]}"
            return member_role_key(int(row)) if part == "role" else member_name_key(int(row))
    return None


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
    units = reported_by(checked, policy.rules)
    readings = readings_of(checked, policy.namespace["READINGS"])
    rows = member_rows(checked, values)
    members = [(row, member_name_key(row), member_role_key(row)) for row in range(1, rows + 1)]
    # A per-period input's problem (`月收入.2026-03`) goes beside its field.
    problems = _by_input(problems)
    # A problem about a field the form does not have (an uploaded file's unknown input) goes on top.
    shown = {
        ON,
        PERIOD,
        *(f.name for f in fields),
        *(READING + r.name for r in readings),
        *(key for row, *keys in members for key in keys),
        *(f.member_key(row) for row, *_keys in members for f in fields if f.per_member),
    }
    general = [*general, *(p for key, ps in problems.items() if key not in shown for p in ps)]
    return page(
        "form.html.j2",
        status,
        # the validity under the readings the form chose, as `run` takes them for its case
        policy=page_summary(policy_id, policy, chosen_readings(checked, values)),
        fields=[f for f in fields if not f.per_member and f.name not in units],
        # A target's figure, a duty's input: not the applicant's, folded apart with its unit.
        unit_fields=[(f, units[f.name]) for f in fields if not f.per_member and f.name in units],
        # open when one is filled in or has a problem, or when the form has nothing else
        unit_open=any(values.get(name) or problems.get(name) for name in units)
        or not (checked.people.group or any(f.name not in units for f in fields)),
        member_fields=[f for f in fields if f.per_member],
        group=checked.people.group,
        words=member_words(checked.people.group, checked.people.counted),
        roles=checked.people.role_names(),
        members=members,
        rows=rows,
        readings=readings,
        received_choices=received_choices(checked),
        values=values,
        received=received,
        problems=problems,
        general=general,
        result=result,
        notice=notice,
        ON=ON,
        PERIOD=PERIOD,
        MEMBERS=MEMBERS,
        READING=READING,
        RECEIVED=RECEIVED,
    )


def _by_input(problems: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Problems keyed by an input and a period (`月收入.2026-03`, `@member1:月收入.2026-03`)
    keyed by the input's field alone; a tally's (`参展次数[省内]`) stay as they are."""
    merged: dict[str, list[str]] = {}
    for key, found in problems.items():
        field = re.sub(r"\.\d{4}(?:-\d{1,2})?$", "", key)
        merged.setdefault(field, []).extend(found)
    return merged


# What a lean result leaves out that a full result's case gives: none of it for a ruled-out one.
_NO_CASE_PARTS: dict[str, Any] = {
    "amount": None, "uncapped": None, "capped": False, "missing": [], "value": None,
    "unrounded": None, "shared_cap": None,
}  # fmt: skip


def _in_target_measure(policy: CompiledPolicy, value: dict[str, Any], measure: str) -> Any:
    """A target's reported figure (JSON Money) with its text in the target's own measure
    (9.99亿元, as `run` writes it: report.in_measure); as it was when it is no exact number."""
    try:
        with declared_measures(policy.checked.measures):
            shown = in_measure(Quantity.of(value["value"], value["unit"]), measure)
    except (MeasureError, KeyError, ValueError, ArithmeticError):
        return value
    return value if shown is None else {**value, "text": shown}


def _result_view(
    policy: CompiledPolicy,
    document: dict[str, Any],
    said: Callable[..., list[str]] | None = None,
) -> dict[str, Any]:
    """What the result page shows: what applies and how much (totals per kind), what is still
    missing (each input with its description), the rest folded; each result keeps its trace
    and source sentences; `said`: a member's yes/no answers (member_why.case_no_answers)."""
    results = document["results"]
    failed = FailedParts(policy)
    members = MemberWhys(policy, said)
    fixed: dict[str, dict[str, Any]] | None = None
    measures = {i.name: i.measure for i in policy.rules if i.role == "target" and i.measure}
    for item in results:
        if "quotes" not in item:  # lean (a ruled-out result): its rule's fields, its case's none
            if fixed is None:
                fixed = {f["rule"]: f for f in rule_fields(policy)}
            item.update({**_NO_CASE_PARTS, **fixed[item["rule"]], **item})
        item["status_word"] = STATUS_WORDS.get(item["status"], item["status"])
        if item.get("due"):  # a target before or past its `by` day: 进行中 / 逾期 (report.py)
            item["status_word"] = DUE_WORDS[(item["status"], item["due"])][1]
        item["amount_words"] = amount_words(item)
        if item["rule"] in measures and isinstance(item.get("value"), dict):
            item["value"] = _in_target_measure(policy, item["value"], measures[item["rule"]])
        elif item.get("role") == "target" and isinstance(item.get("value"), bool):
            item["value"] = done_words(item["value"])  # a `done` target: 已完成, as run says
        # 为何不适用 for a member aggregate: which member failed which condition (the trace's);
        # else for a named condition: which part of it failed
        steps = [(step["text"], step["line"]) for step in item.get("trace") or ()]
        left_out = item["status"] == "not_applicable"
        item["member_whys"] = members.lines(item["rule"], steps) if left_out else []
        if not left_out:
            members.saw(steps)
        if item.get("trace"):  # as `--explain` prints it: no member heading carrying nothing
            bare = bare_headings(steps)
            item["trace"] = [step for at, step in enumerate(item["trace"]) if at not in bare]
        if left_out:
            parts = failed.lines(steps, item.get("reason") or "", item["rule"])
            item["member_whys"] = members.after_parts(parts, item["member_whys"])
        for part in (*(item.get("members") or ()), *(item.get("periods") or ())):
            part["status_word"] = STATUS_WORDS.get(part["status"]) or part_word(part["status"])
    # Each result in one list only: a decided value under 判定 whatever its status (an
    # undetermined 审核期限 was listed there and under 无法判定 too: newcomer 15)
    decided = [
        r
        for r in results
        if r["status"] == "decided"
        or r.get("role") == "decision"  # a value not decided (not in force) says why here
    ]
    in_decided = {id(r) for r in decided}
    rest = [r for r in results if id(r) not in in_decided]
    applies = [r for r in rest if r["status"] in ("applies", "unspecified")]
    undetermined = [r for r in rest if r["status"] == "undetermined" and r.get("role") != "target"]
    # A target is a unit's duty, not the applicant's: those the case reports stand apart from
    # the answer, those it does not are folded (never something the applicant failed).
    targets = [r for r in rest if r.get("role") == "target"]
    reported = [r for r in targets if r["status"] in ("met", "not_met")]
    unreported = [r for r in targets if r["status"] not in ("met", "not_met")]
    shown = {id(r) for r in (*applies, *undetermined, *decided, *targets)}
    others = [r for r in results if id(r) not in shown]
    per_kind: dict[tuple[str, str, str], Decimal] = {}
    # who pays a payable amount, as the totals name it: the applicant when the case is paid or
    # relieved as that party (report_totals `payer`)
    served = {
        r.get("beneficiary", "") for r in applies if r["flow"] in ("paid", "waived") and r["amount"]
    }
    for r in applies:
        if r["amount"] is not None:
            who = payer(r.get("beneficiary", ""), served) if r["flow"] == "payable" else ""
            words = flow_words(r["flow"], who) if r["flow"] in FLOW_WORDS else ""
            # a month's amount is never added to a one-time one (people_report `total_key`)
            per = r.get("amount_per") or "once"
            period = "year" if per == "month" and r.get("periods") else per
            key = (words, r["kind"] or "其他", total_key(r["amount"]["unit"], period))
            per_kind[key] = per_kind.get(key, Decimal(0)) + Decimal(r["amount"]["value"])
    return {
        "document": document,
        "applies": applies,
        "undetermined": undetermined,
        "decided": decided,
        "targets": reported,
        "unreported_targets": unreported,
        "others": others,
        # One line per way the money goes, as `run` writes it (合计（支付给申请人）/（减免）/
        # （申请人应缴）): what is paid and what is owed are never one sum.
        # … and per party where the rules name several, or the one who pays (违法行为人应缴).
        "totals_by_flow": _totals_by_flow(document),
        "totals_by_kind": [
            {
                "flow": flow,
                "kind": kind,
                "unit": unit,
                "amount": key_total_text(unit, amount, [unit]),
            }
            for (flow, kind, unit), amount in per_kind.items()
        ],
        # every input that could change an undetermined result, all layers at once (issue 15)
        "missing": document["still_needed"],
        # input → who reports it, for a needed input that is not the applicant's (a target's)
        "units": reported_by(policy.checked, policy.rules),
    }


def amount_words(item: Mapping[str, Any]) -> str:
    """What `run`'s answer writes for a result's amount (cli/report.py `amount_text`), from the
    result's JSON: `800元（每月）（已封顶，封顶前 1100元）`, `2万元至6万元（在幅度内决定）（申请人
    应缴）`, with `（舍入前 …）` and `（减免）`; "" for a result without an amount."""
    flow = item["flow"]
    who = payer(item.get("beneficiary", "")) if flow == "payable" else ""
    amount, span = item.get("amount"), item.get("range")
    if amount is None:
        if span is None or flow not in FLOW_WORDS:
            return ""
        low, high = span["low"]["text"], span["high"]["text"]
        ends = low if low == high else f"{low}至{high}（在幅度内决定）"
        return f"{ends}（{flow_words(flow, who)}）"
    periods = item.get("periods")
    text = str(amount["text"]) + period_words(
        item.get("amount_per", ""), None if periods is None else [p["period"] for p in periods]
    )
    if item.get("uncapped") is not None:
        text += f"（已封顶，封顶前 {item['uncapped']['text']}）"
    if item.get("unrounded") is not None:
        text += f"（舍入前 {item['unrounded']['text']}）"
    if flow in ("waived", "payable", "lent"):
        text += f"（{flow_words(flow, who)}）"
    return text


def _totals_by_flow(document: dict[str, Any]) -> list[dict[str, str]]:
    """`{"words", "text"}` a line, as `run` writes its totals: one a `totals_by_beneficiary`
    item, named by its `words` (违法行为人应缴: the payer the rules name); an item holding a
    fine's range (its `range`, cli/report_ranges.py) as its two ends, `40,000元至80,000元`,
    the exact amounts of that party included in both ends."""

    def ends(by_unit: dict[str, Any]) -> str:
        return ends_words((v["low"]["text"], v["high"]["text"]) for v in by_unit.values())

    lines = []
    for item in document["totals_by_beneficiary"]:
        if "range" in item:
            text = ends(item["range"])
        else:
            text = "；".join(m["text"] for m in item["totals"].values())
        lines.append({"words": item["words"], "text": text})
    return lines


ROUTES: list[Any] = [
    Route("/", index, methods=["GET"]),
    Route("/policies/{policy}", form_page, methods=["GET"]),
    Route("/policies/{policy}", submit, methods=["POST"]),
    Route("/policies/{policy}/upload", upload, methods=["POST"]),
]
