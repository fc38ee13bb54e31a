"""`policyc serve`'s JSON API, driven over HTTP against a real server on a free loopback port.

The answers are held against the command line itself: every example case's evaluation equals
`policyc run --format json` (with and without --explain), a bad field gets the message `run`
gives, the duties equal `policyc duties --format json`, the schema `policyc schema`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.cases import plain_data, read_case_file
from policyc.cli import main
from policyc.compiler.pipeline import check_policy
from policyc.schema import case_schema
from policyc.testing import case_files
from tests.serve_helpers import (
    REPO,
    declared_only,
    get_json,
    json_text,
    post_json,
    request,
    running_server,
)

pytest.importorskip("starlette", reason="the serve extra is not installed")

POLICIES = [
    p for p in sorted((REPO / "policies").glob("*.policy")) if (REPO / "examples" / p.stem).is_dir()
]
CASES = [(p, c) for p in POLICIES for c in case_files([REPO / "examples" / p.stem])]
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"
EVALUATE = "/v1/policies/tzf-2023-1/evaluate"
CAPPED = {
    "on": "2023-12-31",
    "inputs": {
        "申请人类型": "服装电商企业",
        "年发货量": "600万单",
        "口罩发货量": "1万单",
        "其他纺织品发货量": "4万单",
    },
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("policies") as url:
        yield url


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert main(["run", *args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    document["case"] = None  # the API has no file name to give
    return document


def run_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: dict[str, Any]
) -> list[tuple[str, str | None]]:
    """`policyc run --format json`'s messages and fields for the case written as a JSON file."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(TEXTILE), "--case", str(path), "--format", "json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False and all(e["file"] == str(path) for e in document["errors"])
    return [(e["message"], e["field"]) for e in document["errors"]]


# ---- the policies, health, OpenAPI -----------------------------------------------------------


def test_health(base: str):
    status, body = get_json(base, "/v1/health")
    assert status == 200 and body["status"] == "ok" and body["policies"] == 5


def test_the_policy_list_gives_number_title_issuer_validity_and_counts(
    base: str, capsys: pytest.CaptureFixture[str]
):
    status, body = get_json(base, "/v1/policies")
    assert status == 200
    by_id = {p["id"]: p for p in body["policies"]}
    assert set(by_id) == {p.stem for p in POLICIES}
    textile = by_id["tzf-2023-1"]
    assert textile["number"] == "天政发〔2023〕1号"
    assert textile["title"] == "市人民政府关于支持纺织服装产业高质量发展的若干意见"
    assert textile["issuer"] == "天门市人民政府"
    assert textile["valid_from"] == "2023-01-06"
    # The counts `policyc check` prints for each file.
    capsys.readouterr()
    assert main(["check", *map(str, POLICIES)]) == 0
    printed = capsys.readouterr().out
    for policy in POLICIES:
        found = re.search(rf"{policy.name}: ok \([^:]+: (\d+) clauses, (\d+) rules", printed)
        assert found, policy
        summary = by_id[policy.stem]
        assert (summary["clauses"], summary["rules"]) == (int(found[1]), int(found[2]))
    status, one = get_json(base, "/v1/policies/tzf-2023-1")
    assert status == 200 and one == textile


def test_openapi_describes_exactly_the_routes(base: str):
    from policyc.serve.api import ROUTES

    status, document = get_json(base, "/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.1")
    described = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    served = {(r.path, m) for r in ROUTES for m in r.methods if m != "HEAD"}
    assert described == served
    # Nothing writes a policy: the only POSTs evaluate.
    assert {p for p, m in served if m not in ("GET",)} == {
        "/v1/policies/{policy}/evaluate",
        "/v1/policies/{policy}/evaluate-many",
    }


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_no_route_writes_a_policy(base: str, method: str):
    for path in ("/v1/policies", "/v1/policies/tzf-2023-1", "/v1/policies/tzf-2023-1/schema"):
        status, _, body = request(base, method, path, b"policy x {}")
        assert status == 405, (method, path)
        assert json.loads(body)["error"]


def test_an_unknown_policy_is_404_naming_the_known_ones(base: str):
    status, body = post_json(base, "/v1/policies/nope/evaluate", json.dumps(CAPPED))
    assert status == 404
    assert "nope" in body["error"] and "tzf-2023-1" in body["error"]


# ---- the schema ------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_the_schema_route_serves_policyc_schema(
    base: str, policy: Path, capsys: pytest.CaptureFixture[str]
):
    status, headers, body = request(base, "GET", f"/v1/policies/{policy.stem}/schema")
    assert status == 200 and headers["content-type"].startswith("application/schema+json")
    capsys.readouterr()
    assert main(["schema", str(policy)]) == 0
    assert json.loads(body) == json.loads(capsys.readouterr().out)
    assert json.loads(body) == case_schema(check_policy(policy))


# ---- evaluation equals `policyc run --format json` -------------------------------------------


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_every_example_case_evaluates_as_run_does(
    base: str, policy: Path, capsys: pytest.CaptureFixture[str]
):
    cases = [c for p, c in CASES if p == policy]
    assert cases
    for case in cases:
        body = json_text(plain_data(read_case_file(case)))
        for explain in (False, True):
            flags = ["--explain"] if explain else []
            expected = run_json(capsys, str(policy), "--case", str(case), *flags)
            path = f"/v1/policies/{policy.stem}/evaluate" + ("?explain=true" if explain else "")
            status, answer = post_json(base, path, body)
            assert status == 200, (case.name, answer)
            assert answer == expected, case.name


def test_the_capped_logistics_case_gives_the_cap_and_the_uncapped_amount(base: str):
    status, answer = post_json(base, EVALUATE, json.dumps(CAPPED, ensure_ascii=False))
    assert status == 200
    logistics = next(r for r in answer["results"] if r["rule"] == "电商物流补贴")
    assert logistics["status"] == "applies"
    assert logistics["amount"]["value"] == "1000000"
    assert logistics["uncapped"]["value"] == "1190000"  # (600万 − 1万 − 4万) × 0.2元


def test_on_and_reading_parameters_play_on_and_reading(
    base: str, capsys: pytest.CaptureFixture[str]
):
    case = REPO / "examples/tzf-2023-1/09-brand-sales-second-year.yaml"
    body = json_text(plain_data(read_case_file(case)))
    reading = "品牌销售奖励频次=一次性"
    expected = run_json(
        capsys, str(TEXTILE), "--case", str(case), "--on", "2024-06-30", "--reading", reading
    )
    status, answer = post_json(base, f"{EVALUATE}?on=2024-06-30&reading={reading}", body)
    assert status == 200 and answer == expected
    assert answer["readings"]["品牌销售奖励频次"] == "一次性"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("?reading=品牌销售奖励频次=每月", "reading=品牌销售奖励频次=每月"),
        ("?reading=无此读法=x", "reading=无此读法=x"),
        ("?reading=品牌销售奖励频次", "expected NAME=OPTION"),
        ("?on=2023-02-30", "on=2023-02-30"),
        ("?explain=maybe", "explain=maybe"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(base: str, query: str, named: str):
    status, body = post_json(base, EVALUATE + query, json.dumps(CAPPED, ensure_ascii=False))
    assert status == 400
    assert named in body["error"]


# ---- a list of cases -------------------------------------------------------------------------


def test_many_cases_answer_as_each_one_does(base: str):
    textile = [c for p, c in CASES if p == TEXTILE][:100]
    bodies = [json_text(plain_data(read_case_file(c))) for c in textile]
    status, answer = post_json(
        base, "/v1/policies/tzf-2023-1/evaluate-many", '{"cases":[' + ",".join(bodies) + "]}"
    )
    assert status == 200
    assert len(answer["results"]) == len(textile) == 100
    for body, result in zip(bodies, answer["results"], strict=True):
        assert result == post_json(base, EVALUATE, body)[1]


def test_more_cases_than_the_limit_are_declined(base: str):
    cases = json.dumps({"cases": [CAPPED] * 101}, ensure_ascii=False)
    status, body = post_json(base, "/v1/policies/tzf-2023-1/evaluate-many", cases)
    assert status == 422 and "at most 100" in body["error"]


def test_one_bad_case_in_a_list_is_named_by_its_place(base: str):
    bad = {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货量": "很多"}}
    cases = json.dumps({"cases": [CAPPED, CAPPED, bad]}, ensure_ascii=False)
    status, body = post_json(base, "/v1/policies/tzf-2023-1/evaluate-many", cases)
    assert status == 422
    assert [(p["file"], p["field"], p["message"]) for p in body["problems"]] == [
        (
            "cases[2]",
            "inputs.年发货量",
            "input `年发货量`: `很多` does not start with a number, as in `12单`",
        )
    ]
    assert body["error"].startswith("cases[2]: input `年发货量`")


# ---- bad requests: the messages of `run`, never a 500 -----------------------------------------

BAD_CASES = [
    ({"on": "2023-12-31", "inputs": {"申请人类型": "服装电商"}}, "inputs.申请人类型"),
    (
        {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货额": 1}},
        "inputs.年发货额",
    ),
    ({"on": "2023-12-31", "inputs": {}}, "inputs.申请人类型"),
    (
        {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货量": -5}},
        "inputs.年发货量",
    ),
    (
        {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "年发货量": "3万元"}},
        "inputs.年发货量",
    ),
    (
        {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "天门籍": "对"}},
        "inputs.天门籍",
    ),
    (
        {"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业", "成立日期": "2023-02-30"}},
        "inputs.成立日期",
    ),
    ({"on": "2023-13-01", "inputs": {"申请人类型": "服装电商企业"}}, "on"),
    ({"on": "2023-12-31", "inputs": {"申请人类型": "服装电商企业"}, "expected": {}}, "expected"),
    (
        {
            "on": "2023-12-31",
            "inputs": {"申请人类型": "服装电商企业"},
            "readings": {"品牌销售奖励频次": "每月"},
        },
        "readings.品牌销售奖励频次",
    ),
    (
        {
            "policy": "天政发〔2023〕2号",
            "on": "2023-12-31",
            "inputs": {"申请人类型": "服装电商企业"},
        },
        "policy",
    ),
]


@pytest.mark.parametrize(("case", "field"), BAD_CASES, ids=[f for _, f in BAD_CASES])
def test_a_bad_field_gets_runs_message_and_its_name(
    base: str, case: dict[str, Any], field: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    status, body = post_json(base, EVALUATE, json.dumps(case, ensure_ascii=False))
    assert status == 422
    answered = [(p["message"], p["field"]) for p in body["problems"]]
    assert answered == run_error(capsys, tmp_path, case)
    assert {p["file"] for p in body["problems"]} == {"case"}
    assert field in [p["field"] for p in body["problems"]]


def test_a_case_without_a_date_names_both_ways_to_give_one(base: str):
    status, body = post_json(base, EVALUATE, '{"inputs": {"申请人类型": "服装电商企业"}}')
    assert status == 422 and "`on`" in body["error"]
    status, answer = post_json(
        base, EVALUATE + "?on=2023-12-31", '{"inputs": {"申请人类型": "服装电商企业"}}'
    )
    assert status == 200 and answer["on"] == "2023-12-31"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"{not json", 400, "invalid JSON"),
        (b"", 400, "empty"),
        (b"\xff\xfe", 400, "not UTF-8"),
        (
            b'{"on": "2023-12-31", "inputs": {"\xe5\xb9\xb4\xe5\x8f\x91\xe8\xb4\xa7\xe9\x87\x8f": NaN}}',
            400,
            "NaN",
        ),
        (b"[1, 2]", 422, "a case is a mapping"),
        (b"[" * 100 + b"]" * 100, 400, "nested too deeply"),
        (b'"text"', 422, "a case is a mapping"),
    ],
)
def test_a_body_that_is_not_a_case_is_a_4xx_with_a_message(
    base: str, body: bytes, status: int, words: str
):
    got, headers, answer = request(base, "POST", EVALUATE, body)
    assert got == status
    assert headers["content-type"] == "application/json"
    assert words in json.loads(answer)["error"]


def test_a_body_over_the_limit_is_413(base: str):
    from policyc.serve.evaluate import MAX_BODY_BYTES

    status, body = declared_only(base, EVALUATE, MAX_BODY_BYTES + 1, "application/json")
    assert status == 413
    assert "1000000 bytes" in json.loads(body)["error"]
    # Just at the limit is read and evaluated.
    fits = (json.dumps(CAPPED) + " " * (MAX_BODY_BYTES - len(json.dumps(CAPPED)))).encode()
    assert len(fits) == MAX_BODY_BYTES
    assert request(base, "POST", EVALUATE, fits)[0] == 200


def test_a_body_without_a_length_is_counted_as_it_arrives():
    """Chunked bodies declare no length: the bytes are counted (in-process, the ASGI app)."""
    import asyncio

    from policyc.serve.app import create_app
    from policyc.serve.evaluate import MAX_BODY_BYTES

    app = create_app([REPO / "policies"])
    chunks = [b" " * 100_000] * (MAX_BODY_BYTES // 100_000) + [b"{}"]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": EVALUATE,
        "raw_path": EVALUATE.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert "1000000 bytes" in json.loads(sent[1]["body"])["error"]


# ---- duties ----------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["市商务局", "市生态环境局"])
def test_duties_equal_policyc_duties(base: str, unit: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["duties", unit, str(REPO / "policies"), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    status, answer = get_json(base, f"/v1/duties/{unit}")
    assert status == 200
    for duty in (*answer["duties"], *expected["duties"]):
        duty["policy_file"] = Path(duty["policy_file"]).name  # served from the absolute folder
    assert answer == expected


def test_an_unknown_unit_is_404_with_close_names(base: str):
    status, body = get_json(base, "/v1/duties/市商务")
    assert status == 404 and "市商务局" in body["error"]


# ---- the command -----------------------------------------------------------------------------


def test_serve_without_the_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "starlette" else real(name, *a),
    )
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'policyc[serve]'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--port", "70000"], "--port 70000"),
        (["--workers", "0"], "--workers 0"),
        (["no-such-folder"], "no-such-folder: no such file or folder"),
    ],
)
def test_serve_refuses_a_bad_argument_before_listening(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["serve", *args]) == 2
    assert words in capsys.readouterr().err


def test_serve_refuses_a_port_in_use(base: str, capsys: pytest.CaptureFixture[str]):
    port = base.rsplit(":", 1)[1]
    assert main(["serve", str(REPO / "policies"), "--port", port]) == 2
    assert f"127.0.0.1:{port}: cannot listen there" in capsys.readouterr().err


# ---- whatever the body, a 2xx or a 4xx with messages -----------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(["600万单", "2023-12-31", "服装电商企业", "是", "1e5", "0x1F", "-0", "", "万"]),
    st.text(max_size=12),
)
_NAMES = st.sampled_from(
    ["申请人类型", "年发货量", "参展次数", "成立日期", "天门籍", "预测日AQI", "x", ""]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_NAMES | st.text(max_size=4), inner, max_size=4),
    ),
    max_leaves=12,
)
_CASES = st.fixed_dictionaries(
    {},
    optional={
        "on": _SCALARS,
        "inputs": st.one_of(_VALUES, st.dictionaries(_NAMES, _VALUES, max_size=6)),
        "received": _VALUES,
        "readings": _VALUES,
        "policy": _SCALARS,
        "other": _SCALARS,
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=_CASES)
def test_any_case_body_is_answered_without_a_500(base: str, case: dict[str, Any]):
    status, _, body = request(base, "POST", EVALUATE, json_text(case).encode())
    assert status in (200, 400, 422), body[:500]
    answer = json.loads(body)
    if status != 200:
        assert answer["problems"] and all(p["message"] for p in answer["problems"])


def test_two_policy_files_of_the_same_name_are_refused(tmp_path: Path):
    from policyc.compiler.errors import InputError
    from policyc.serve.catalog import load_catalog

    # the project is the folder above `policies/`; each copy quotes ../sources/ beside its folder
    project = tmp_path / "policies"
    (project / "sources").mkdir(parents=True)
    source = "000_45db2a21785f5603.txt"
    (project / "sources" / source).write_bytes((REPO / "sources" / source).read_bytes())
    for folder in ("a", "b"):
        (project / folder).mkdir()
        for name in ("tzbh-2023-1.policy", "units.policy"):
            (project / folder / name).write_bytes((REPO / "policies" / name).read_bytes())
    with pytest.raises(InputError, match="same name"):
        load_catalog([tmp_path])
