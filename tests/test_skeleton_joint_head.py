"""`policyc new` on a jointly issued notice and on heads the page broke (compiler/skeleton_signers.py,
compiler/skeleton_head.py): a 落款 of several units, on one line or stacked above the date, is
`issuer A, B, C`, the lead issuer first; a title keeps its words as printed, minus the page's
layout (a line break, spaces spreading Chinese characters); a 题注 printed over two lines is
one 题注.

newcomer finding (session 11): the notice of 市民政局 市财政局 市残联 had one issuer, the whole
signature line; a title's spaces were all dropped; a 题注 over two lines became the title. The
expected values are read off the texts below by hand."""

from __future__ import annotations

from policyc.compiler.skeleton import skeleton
from policyc.compiler.skeleton_head import title_text
from policyc.compiler.skeleton_signers import signers
from tests.test_skeleton_regulation_head import ARTICLES, NOTE, _field

REGISTRY = {
    "青山市民政局": "市民政局",
    "青山市财政局": "市财政局",
    "青山市残疾人联合会": "市残联",
}
HEAD = "青民发〔2026〕3号\n关于做好困难残疾人两项补贴发放工作的通知\n各乡镇民政办：\n"
TEXT = "一、补贴资金由市财政局按季度拨付。\n"


def _made(text: str) -> str:
    return skeleton(text.splitlines(), 1, "n.txt", REGISTRY.get, "units.policy")


def test_units_signing_on_one_line_are_the_issuers_the_first_the_lead() -> None:
    made = _made(f"{HEAD}{TEXT}青山市民政局　青山市财政局　青山市残疾人联合会\n2026年3月1日\n")
    assert _field(made, "issuer") == (
        "市民政局, 市财政局, 市残联",
        "TODO(drafter): confirm (落款: 青山市民政局 青山市财政局 青山市残疾人联合会)",
    )
    assert 'aside "青山市民政局　青山市财政局　青山市残疾人联合会" "落款"' in made


def test_units_stacked_above_the_date_are_the_issuers_in_the_order_printed() -> None:
    made = _made(f"{HEAD}{TEXT}青山市民政局\n青山市财政局\n青山市残疾人联合会\n2026年3月1日\n")
    assert _field(made, "issuer")[0] == "市民政局, 市财政局, 市残联"
    for unit in REGISTRY:
        assert f'aside "{unit}" "落款"' in made
    # The text above the signature stays the text of its part, not a signer.
    assert 'quote "补贴资金由市财政局按季度拨付。"' in made


def test_a_joint_issuer_not_in_the_registry_is_named_and_no_partial_list_written() -> None:
    made = _made(f"{HEAD}{TEXT}青山市民政局 青山市卫生健康委员会\n2026年3月1日\n")
    assert "    issuer " not in made  # 市民政局 alone would be a wrong lead-only list
    assert (
        "    # TODO(registry): issued jointly by 青山市民政局、青山市卫生健康委员会 (落款); "
        "not in the registry: 青山市卫生健康委员会: add them, then write "
        "`issuer LEAD, OTHER, …`, the lead issuer first"
    ) in made


def test_a_single_signer_stays_one_issuer() -> None:
    made = _made(f"{HEAD}{TEXT}青山市民政局\n2026年3月1日\n")
    assert _field(made, "issuer")[0] == "市民政局"


def test_which_lines_above_a_date_sign() -> None:
    # A signer who is a person (`总理　温家宝`) is one signer, the line as printed.
    assert signers(["特此通知。", "总理　温家宝"]) == (["总理　温家宝"], 1)
    # A sentence above the units is no unit; a line of text ending in 局 but with a comma is not.
    assert signers(["特此通知。", "甲市民政局", "甲市财政局"]) == (["甲市民政局", "甲市财政局"], 2)
    assert signers(["资金由市财政局，", "甲市民政局"]) == (["甲市民政局"], 1)
    # Spaces inside a line split it only when every piece is a unit's name.
    assert signers(["甲市民政局 乙公司张三"]) == (["甲市民政局 乙公司张三"], 1)
    assert signers([]) == ([], 0)


def test_a_title_keeps_its_words_minus_the_layout() -> None:
    # A title broken over two lines joins without a gap; spaces spreading Chinese go.
    assert title_text(["关于印发《青山市困难残疾人生活补贴办法》的", "通知"]) == (
        "关于印发《青山市困难残疾人生活补贴办法》的通知"
    )
    assert title_text(["关于印发《青山市困难残疾人生活补贴办法》的 通知"]) == (
        "关于印发《青山市困难残疾人生活补贴办法》的通知"
    )
    assert title_text(["通　　知"]) == "通知"
    # A space between two Latin words or figures is the title's own; kept, one.
    assert title_text(["关于推进 Wi-Fi  6 网络建设的通知"]) == "关于推进Wi-Fi 6网络建设的通知"
    assert title_text(["关于开展2026 年 Smart", "City 试点的通知"]) == (
        "关于开展2026年Smart City试点的通知"
    )


def test_a_notice_title_printed_on_two_lines_is_one_title() -> None:
    head = "青民发〔2026〕3号\n关于印发《青山市困难残疾人生活补贴办法》的\n通知\n各乡镇民政办：\n"
    made = _made(f"{head}{TEXT}青山市民政局\n2026年3月1日\n")
    assert _field(made, "title")[0] == '"关于印发《青山市困难残疾人生活补贴办法》的通知"'


def test_a_note_printed_over_two_lines_is_one_note() -> None:
    # NOTE broken after `根据2010年12月20日` as a narrow page prints it.
    first, second = NOTE[: NOTE.index("《")], NOTE[NOTE.index("《") :]
    made = _made(f"工伤保险条例\n{first}\n{second}\n国务院令第586号\n2010年12月20日\n{ARTICLES}")
    assert _field(made, "title")[0] == '"工伤保险条例"'
    assert f'aside "{NOTE}" "题注（公布、修改的日期和令号）"' in made
    policy_line = next(x for x in made.splitlines() if x.startswith("policy "))
    assert policy_line.startswith('policy "国务院令第586号" {')
    assert "the 题注 also names 中华人民共和国国务院令第375号" in policy_line
    # The issuer is the body before 令, as with the 题注 on one line (this registry lacks it).
    assert "the issuer 国务院 (令号 国务院令第586号) is not in the registry" in made
    # Its articles start where they did: the head took all five printed lines.
    assert '    clause 三十 "" {\n        quote "第三十条 职工' in made


def test_a_bracket_never_closed_leaves_the_lines_as_printed() -> None:
    # `（` opens and nothing closes it: not a 题注; read as before (the name line the title).
    made = _made(f"工伤保险条例\n（征求意见稿\n国务院令第586号\n2010年12月20日\n{ARTICLES}")
    assert _field(made, "title")[0] == '"工伤保险条例（征求意见稿"'
