"""`policyc serve`'s pages over plain HTTP (what a browser with JavaScript off sends): a form per
policy built from its declarations, the YAML a filled form downloads (a case `run` reads), a case
file uploaded to fill the form, and problems shown without a traceback."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policyc.cli import main
from policyc.compiler.pipeline import check_policy
from tests.serve_helpers import REPO, declared_only, post_json, request, running_server

pytest.importorskip("starlette", reason="the serve extra is not installed")

POLICIES = [p for p in sorted((REPO / "policies").glob("*.policy")) if p.stem != "units"]
FORM = "/policies/tzf-2023-1"
CAPPED_FORM = {
    "case.on": "2023-12-31",
    "申请人类型": "服装电商企业",
    "年发货量": "600万单",
    "口罩发货量": "1万单",
    "其他纺织品发货量": "4万单",
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("policies") as url:
        yield url


def post_form(base: str, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
    body = urllib.parse.urlencode(fields).encode()
    status, headers, answer = request(base, "POST", path, body, "application/x-www-form-urlencoded")
    return status, headers, answer.decode("utf-8")


def get_page(base: str, path: str) -> tuple[int, str]:
    status, _, body = request(base, "GET", path)
    return status, body.decode("utf-8")


def upload(base: str, name: str, content: bytes) -> tuple[int, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="case"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _, answer = request(
        base, "POST", f"{FORM}/upload", body, f"multipart/form-data; boundary={boundary}"
    )
    return status, answer.decode("utf-8")


def values_in(page: str) -> dict[str, str]:
    """The value of each text and date field, and the selected option of each select."""
    found = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input type="(?:text|date)" [^>]*name="([^"]+)" value="([^"]*)"', page
        )
    }
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        found[html.unescape(name)] = html.unescape(chosen[1]) if chosen else ""
    return {k: v for k, v in found.items() if v}


def test_the_home_page_links_every_policy(base: str):
    status, page = get_page(base, "/")
    assert status == 200
    for policy in POLICIES:
        assert f'href="/policies/{policy.stem}"' in page
        assert check_policy(policy).header.number in page.replace("&#12308;", "〔")


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_each_policy_has_a_form_of_its_inputs(base: str, policy: Path):
    checked = check_policy(policy)
    status, page = get_page(base, f"/policies/{policy.stem}")
    assert status == 200
    text = html.unescape(page)
    assert 'name="case.on"' in text and 'type="date" id="f-on"' in text
    for name, info in checked.inputs.items():
        assert f'data-input="{name}"' in text, name
        assert info.decl.description in text, name
        if info.type.kind == "enum":
            for member in checked.enums[info.type.enum]:
                assert f'<option value="{member}"' in text
        if info.type.kind == "date":
            assert re.search(rf'<input type="date" [^>]*name="{re.escape(name)}"', text)
        if info.measure is not None and info.type.kind == "quantity":
            block = text.split(f'data-input="{name}"', 1)[1].split('class="field', 1)[0]
            assert f'<span class="measure">{info.measure.name}</span>' in block
        block = text.split(f'data-input="{name}"', 1)[1].split('class="field', 1)[0]
        if info.decl.presence != "required":
            assert "（可不填）" in block and " required" not in block
        else:  # said (必填) and marked so for assistive technology (the form is novalidate)
            assert "（必填）" in block or "<fieldset" in block
            assert (
                re.search(r"<(input|select|textarea) [^>]* required", block) or "<fieldset" in block
            )


def test_a_new_form_is_for_today(base: str):
    """A case worker evaluates the case at the counter today; another date is typed over it."""
    from datetime import date

    status, page = get_page(base, FORM)
    assert status == 200
    text = html.unescape(page)
    today = date.today().isoformat()
    assert re.search(rf'<input type="date" id="f-on" name="case.on" value="{today}" required', text)


def test_the_form_gives_what_the_api_gives(base: str):
    status, _, page = post_form(base, FORM, CAPPED_FORM)
    assert status == 200
    text = html.unescape(page)
    assert "1,000,000元（100万元）" in text and "1,190,000元（119万元）" in text
    assert "<summary>为什么</summary>" in text  # the explanation, folded
    # Each result under its clause's heading as the document writes it: 天政发〔2023〕1号 (七)
    # 降低物流成本, whose sentence holds the logistics subsidy.
    assert '<span class="clause">（七）降低物流成本</span>' in text


def test_the_last_releases_at_on_is_still_read(base: str):
    """The date field is `case.on` (curl's `--data-urlencode '@on=…'` reads a file); a form
    posted with the last release's `@on` (and `@reading:`) gets the same answer (polish3)."""
    legacy = {("@on" if k == "case.on" else k): v for k, v in CAPPED_FORM.items()}
    status, _, page = post_form(base, FORM, legacy)
    assert status == 200
    text = html.unescape(page)
    assert "评估日 2023-12-31" in text or 'value="2023-12-31"' in text
    assert "1,000,000元（100万元）" in text and "1,190,000元（119万元）" in text
    assert 'name="case.on"' in text and 'name="@on"' not in text


def test_the_downloaded_case_is_a_case_file_run_reads(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    status, headers, text = post_form(base, FORM, {**CAPPED_FORM, "@action": "download"})
    assert status == 200
    assert headers["content-disposition"] == 'attachment; filename="tzf-2023-1-case.yaml"'
    case = tmp_path / "downloaded.yaml"
    case.write_text(text, encoding="utf-8")
    capsys.readouterr()
    policy = str(REPO / "policies" / "tzf-2023-1.policy")
    assert main(["run", policy, "--case", str(case), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    logistics = next(r for r in document["results"] if r["rule"] == "电商物流补贴")
    assert (logistics["amount"]["value"], logistics["uncapped"]["value"]) == ("1000000", "1190000")
    document["case"] = None
    api_case = {
        "on": "2023-12-31",
        "inputs": {k: v for k, v in CAPPED_FORM.items() if k != "case.on"},
    }
    assert post_json(base, "/v1/policies/tzf-2023-1/evaluate", json.dumps(api_case))[1] == document


def test_an_uploaded_case_file_fills_the_form(base: str):
    example = REPO / "examples/tzf-2023-1/07-logistics-capped.yaml"
    status, page = upload(base, example.name, example.read_bytes())
    assert status == 200
    assert "已从 07-logistics-capped.yaml 填入表单" in html.unescape(page)
    assert values_in(page) == CAPPED_FORM


def test_an_uploaded_case_with_a_tally_and_a_bool_fills_their_fields(base: str):
    case = (
        "on: 2023-12-31\ninputs:\n  申请人类型: 服装生产加工类企业\n  天门籍: yes\n"
        "  参展次数: {省内: 2, 国(境)外: 1}\n"
    )
    status, page = upload(base, "mine.yaml", case.encode())
    assert status == 200
    assert values_in(page) == {
        "case.on": "2023-12-31",
        "申请人类型": "服装生产加工类企业",
        "天门籍": "是",
        "参展次数[省内]": "2",
        "参展次数[国(境)外]": "1",
    }


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bad.yaml", b"inputs: [1, 2", "invalid YAML"),
        ("bad.json", b"{", "invalid JSON"),
        ("bad.yaml", b"\xff\xfe", "not UTF-8"),
        (
            "bad.yaml",
            "on: 2023-12-31\ninputs:\n  年发货额: 5\n".encode(),
            "unknown input `年发货额`",
        ),
    ],
)
def test_a_bad_upload_is_a_message_on_the_form(base: str, name: str, content: bytes, words: str):
    status, page = upload(base, name, content)
    assert status == 422
    assert words in html.unescape(page)
    assert "Traceback" not in page


def test_a_bad_value_is_shown_beside_its_field_and_the_rest_kept(base: str):
    fields: dict[str, Any] = {**CAPPED_FORM, "年发货量": "-3", "case.on": "2023-02-30"}
    status, _, page = post_form(base, FORM, fields)
    assert status == 422
    text = html.unescape(page)
    shipped = text.split('data-input="年发货量"', 1)[1].split('class="field', 1)[0]
    assert "input `年发货量`: must not be negative, got `-3`" in shipped
    on = text.split('id="f-on"', 1)[1].split('class="field', 1)[0]
    assert "`on`" in on
    assert values_in(page)["口罩发货量"] == "1万单"


def test_a_form_over_the_size_limit_is_413(base: str):
    form = "application/x-www-form-urlencoded"
    status, page = declared_only(base, FORM, 1_100_000, form)
    assert status == 413 and "1000000 bytes" in page and "<html" in page


def test_an_unknown_policy_page_is_404(base: str):
    status, page = get_page(base, "/policies/nope")
    assert status == 404 and "nope" in page


def test_a_policy_file_name_with_spaces_quotes_and_chinese_is_served_safely(tmp_path: Path):
    (tmp_path / "sources").mkdir()
    source = "000_45db2a21785f5603.txt"
    (tmp_path / "sources" / source).write_bytes((REPO / "sources" / source).read_bytes())
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "units.policy").write_bytes((REPO / "policies" / "units.policy").read_bytes())
    odd = '噪声 "职责" <1>'
    (folder / f"{odd}.policy").write_bytes((REPO / "policies" / "tzbh-2023-1.policy").read_bytes())
    with running_server(str(folder)) as url:
        status, page = get_page(url, "/")
        assert status == 200
        link = re.search(r'href="(/policies/[^"]+)"', page)
        assert link and urllib.parse.unquote(html.unescape(link[1])) == f"/policies/{odd}"
        status, _, body = request(url, "GET", html.unescape(link[1]))
        assert status == 200
        form_action = re.search(r'<form method="post" action="([^"]+)" class="case"', body.decode())
        assert form_action and html.unescape(form_action[1]) == html.unescape(link[1])
        status, headers, _ = request(
            url,
            "POST",
            urllib.parse.quote(f"/policies/{odd}"),
            b"%40on=2023-12-31&%40action=download",
            "application/x-www-form-urlencoded",
        )
        assert status == 200
        assert headers["content-disposition"] == 'attachment; filename="_________1_-case.yaml"'


def test_the_form_asks_for_every_input_still_needed_at_once(base: str):
    """Issue 15: 装修补贴 needs 入驻日期 (its validity and condition) and 装修面积 (its amount);
    the page asks for both, each once, beside the other inputs still needed."""
    fields = {"case.on": "2023-09-01", "申请人类型": "服装生产加工类企业"}
    status, _, page = post_form(base, FORM, fields)
    assert status == 200
    block = html.unescape(page).split('<ul class="missing">')[1].split("</ul>")[0]
    items = re.findall(r"<li><strong>([^<]+)</strong>", block)
    assert "入驻日期" in items and "装修面积" in items
    assert len(items) == len(set(items))


def test_reading_options_read_by_their_chinese_label(base: str):
    """Issue 15: `有效期起算`'s options are named from_start_day, from_next_day in the policy;
    the form shows the policy's description of each and still sends the option's name."""
    _, page = get_page(base, FORM)
    text = html.unescape(page)
    assert '<option value="from_next_day">依民法典第二百零一条,开始当日不计入' in text
    assert "按政策文件（自签发日2023-01-06起算,当日计入,有效期至2026-01-05）" in text
    assert ">from_start_day<" not in text and ">from_next_day<" not in text


def test_the_result_page_shows_decided_values_targets_and_lead_units(base: str):
    # The emergency plan's example 01: forecast AQI 201, 120, 110 → 黄色 warning, Ⅲ response,
    # 10% reduction per pollutant (examples/tzbf-2023-2/01-yellow-201-one-day.yaml's comments)
    fields = {"case.on": "2023-12-01", "预测日AQI": "201, 120, 110", "首要污染物": "颗粒物"}
    status, _, page = post_form(base, "/policies/tzbf-2023-2", fields)
    assert status == 200
    text = html.unescape(page)

    def block(rule: str) -> str:
        return text.split(f"<strong>{rule}</strong>", 1)[1].split("</li>", 1)[0]

    assert '<div class="value">结果：<strong>黄色</strong></div>' in block("预警级别")
    assert '<div class="value">结果：<strong>Ⅲ</strong></div>' in block("响应级别")
    assert "结果：<strong>10%</strong>" in block("减排比例")  # a ratio, as `run` writes it
    # a task list's targets and lead units (the 2023 work report's GDP target, 7.5% 左右)
    status, _, page = post_form(base, "/policies/tzbf-2023-1", {"case.on": "2023-12-31"})
    text = html.unescape(page)
    assert "目标：不低于7.5%（含本数；左右，容差0.5%）" in text
    assert "牵头单位：市发改委" in text


def test_a_number_fields_hint_is_written_in_its_own_measure(base: str):
    # a newcomer's 月 field was hinted "如 600万月", another policy's example with its measure
    _, page = get_page(base, FORM)
    text = html.unescape(page)

    def hint(name: str) -> str:
        return text.split(f'data-input="{name}"', 1)[1].split('class="field', 1)[0]

    assert "可带单位，如 12单；不带单位按 单 计" in hint("年发货量")
    assert "600万" not in text


def test_the_result_page_totals_what_is_paid_waived_and_owed_apart():
    """天政发〔2023〕1号 第十七条, examples/tzf-2023-1/17-property-and-dormitory.yaml: 物业费减半
    36000元 × 50% = 18000元 waived, 宿舍租赁费 200元/月/间 × 10间 × 12月 = 24000元 owed — two
    totals as `run` writes them, never one sum of 42000元 "by kind" (a newcomer's form read
    补贴 300,000元 / 收费标准 20,000元 under one heading)."""
    from datetime import date

    from policyc.cases import load_case
    from policyc.compiler.pipeline import compile_policy
    from policyc.report_json import to_json
    from policyc.serve.web import _result_view

    policy = compile_policy(REPO / "policies" / "tzf-2023-1.policy")
    case = load_case(REPO / "examples/tzf-2023-1/17-property-and-dormitory.yaml", policy.checked)
    on = date(2024, 12, 31)
    readings = dict(policy.namespace["READINGS"]) | case.readings
    results = policy.evaluate(case.inputs, on, readings, case.received)
    view = _result_view(policy, to_json(policy, results, on, readings, None, False))
    assert view["totals_by_flow"] == [
        {"words": "减免", "text": "18,000元（1.8万元）"},
        {"words": "申请人应缴", "text": "24,000元（2.4万元）"},
    ]
    assert {(t["flow"], t["kind"], t["amount"]) for t in view["totals_by_kind"]} == {
        ("减免", "减免", "18,000元（1.8万元）"),  # as the totals write money (polish5)
        ("申请人应缴", "收费标准", "24,000元（2.4万元）"),
    }


def test_inputs_either_of_which_suffices_are_asked_as_one_set(base: str):
    """新进规上服务业 or 新进限上商贸业 settles 服务业商贸业进规奖励 (an `or`, each side one input):
    the page asks for any one of them, under 以下任一 (polish3)."""
    fields = {"case.on": "2023-09-01", "申请人类型": "服装生产加工类企业"}
    status, _, page = post_form(base, FORM, fields)
    assert status == 200
    block = html.unescape(page).split('<li class="any-of">以下任一：<ol>')[1].split("</ol>")[0]
    assert re.findall(r"<li><strong>([^<]+)</strong>", block) == [
        "新进规上服务业",
        "新进限上商贸业",
    ]
