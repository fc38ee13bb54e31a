"""`policyc new` on a regulation printed as the gazette prints one — its name, its 题注, the 令号
it was issued under and the date, then its chapters and articles — and on a head line that is a
sentence (compiler/skeleton_head.py); an article has no title to fill, a first sentence that
introduces a list is no title (compiler/skeleton_parts.py, skeleton_render.py).

newcomer-s10 finding 12 (工伤保险条例): the 文号 was the name line, the title the 题注, the issuer
the 令号, and every article was marked untitled; newcomer-s10b finding 11: a note line before the
title went into the title, and `第四条 贷款额度按下列各项分别计算，取其中最低者确定：` became the
title of 第四条. The expected values are read off the documents below by hand."""

from __future__ import annotations

import re

from policyc.compiler.skeleton import skeleton

NOTE = (
    "（2003年4月27日中华人民共和国国务院令第375号公布　根据2010年12月20日"
    "《国务院关于修改〈工伤保险条例〉的决定》修订）"
)
ARTICLES = """第五章 工伤保险待遇
第三十条 职工因工作遭受事故伤害或者患职业病进行治疗，享受工伤医疗待遇。
第三十一条 社会保险行政部门作出认定为工伤的决定后发生行政复议、行政诉讼的，行政复议和行政诉讼期间不停止支付工伤职工治疗工伤的医疗费用。
"""
WORK_INJURY = f"工伤保险条例\n{NOTE}\n国务院令第586号\n2010年12月20日\n{ARTICLES}"


def _made(text: str) -> str:
    return skeleton(text.splitlines(), 1, "n.txt", lambda unit: unit, "units.policy")


def _field(made: str, name: str) -> tuple[str, str]:
    """(value, comment) of the header line `    NAME value  # comment`."""
    line = next(x for x in made.splitlines() if x.startswith(f"    {name} "))
    value, _, comment = line[len(name) + 5 :].partition("  # ")
    return value.strip(), comment.strip()


def test_a_regulations_name_is_its_title_and_its_printed_decree_number_its_number() -> None:
    made = _made(WORK_INJURY)
    policy_line = next(x for x in made.splitlines() if x.startswith("policy "))
    assert policy_line.startswith('policy "国务院令第586号" {  # TODO(drafter): 文号 — ')
    # The 题注 names the 令号 of 2003 as well: the drafter is told which one is taken.
    assert "the 题注 also names 中华人民共和国国务院令第375号" in policy_line
    assert _field(made, "title")[0] == '"工伤保险条例"'
    # The issuer is the body before 令 (the country's name dropped, as registries name it).
    assert _field(made, "issuer") == (
        "国务院",
        "TODO(drafter): confirm (令号 国务院令第586号: 国务院)",
    )
    assert _field(made, "issued") == (
        "2010-12-20",
        "TODO(drafter): confirm (the date printed under the 令号)",
    )
    assert f'aside "{NOTE}" "题注（公布、修改的日期和令号）"' in made
    assert 'aside "国务院令第586号" "令号, 写在 header 的 policy 中"' in made
    assert 'aside "2010年12月20日" "公布日期, 写在 header 的 issued 中"' in made
    assert 'aside "工伤保险条例"' not in made


def test_an_article_has_no_title_to_fill() -> None:
    made = _made(WORK_INJURY)
    # 第三十条: a regulation's article has no title; nothing for the drafter to write there.
    assert '    clause 三十 "" {\n        quote "第三十条 职工' in made
    assert '    clause 三十一 "" {\n' in made
    assert "no title" not in made
    # An article titled as some local rules print one keeps it (`第三条 医疗救助` alone).
    titled = _made("青山市医疗救助办法\n第三条 医疗救助\n困难群众可以申请医疗救助。\n")
    assert 'clause 三 "医疗救助" {' in titled


def test_a_decree_number_only_in_the_note_is_taken_and_marked() -> None:
    made = _made(f"工伤保险条例\n{NOTE}\n{ARTICLES}")
    policy_line = next(x for x in made.splitlines() if x.startswith("policy "))
    assert policy_line.startswith(
        'policy "中华人民共和国国务院令第375号" {  # TODO(drafter): 文号 — the 令号 the 题注 '
        "names (中华人民共和国国务院令第375号)"
    )
    assert _field(made, "title")[0] == '"工伤保险条例"'
    assert _field(made, "issuer") == ("国务院", "TODO(drafter): confirm (题注: 国务院)")
    assert "    issued " not in made  # the 题注's dates are its history, not the issue date


def test_a_law_adopted_at_a_meeting_names_the_body_and_leaves_the_number() -> None:
    law = (
        "中华人民共和国农村土地承包法\n"
        "（2002年8月29日第九届全国人民代表大会常务委员会第二十九次会议通过）\n"
        "第一章 总则\n"
        "第一条 为了巩固和完善以家庭承包经营为基础、统分结合的双层经营体制，制定本法。\n"
    )
    made = _made(law)
    policy_line = next(x for x in made.splitlines() if x.startswith("policy "))
    assert "the text prints none" in policy_line
    assert _field(made, "title")[0] == '"中华人民共和国农村土地承包法"'
    # The 届 is no part of the body's name; the country's name is kept for 全国人大.
    assert _field(made, "issuer")[0] == "全国人民代表大会常务委员会"


def test_a_decree_printed_before_the_name_leaves_the_name_the_title() -> None:
    text = (
        "青山市人民政府令　第5号\n"
        "《青山市居民生活用水管理办法》已经2026年10月8日市人民政府第12次常务会议通过，现予公布。\n"
        "市长　张三\n"
        "2026年10月20日\n"
        "青山市居民生活用水管理办法\n"
        "第一章 总则\n"
        "第一条 为促进节约用水，制定本办法。\n"
    )
    made = _made(text)
    assert re.search(r'^policy "青山市人民政府令第5号" \{ +# TODO\(drafter\): 文号$', made, re.M)
    assert _field(made, "title")[0] == '"青山市居民生活用水管理办法"'
    assert _field(made, "issuer")[0] == "青山市人民政府"
    assert _field(made, "issued")[0] == "2026-10-20"
    assert 'aside "市长　张三" "签署人"' in made
    assert re.search(r'aside "《青山市居民生活用水管理办法》已经.*" "TODO\(drafter\): 说明', made)


NOTICE = """【说明】本文件为虚构的测试文件，不是真实的政策文件。
云溪市住房公积金管理委员会关于印发《云溪市住房公积金个人住房贷款管理办法》的通知
云公积金委〔2026〕3号
各县（市、区）人民政府：
现将《云溪市住房公积金个人住房贷款管理办法》印发给你们，请认真贯彻执行。
云溪市住房公积金管理委员会
2026年3月1日
第一章 贷款额度
第四条 贷款额度按下列各项分别计算，取其中最低者确定：
（一）按账户余额计算的额度，为借款人住房公积金账户余额的15倍；
（二）按房价计算的额度，为所购住房总价×（1－首付款比例）。
"""


def test_a_head_line_that_is_a_sentence_is_an_aside_not_the_title() -> None:
    made = _made(NOTICE)
    # The title line is 42 characters, longer than a clause's title may be: it stays the title.
    title = "云溪市住房公积金管理委员会关于印发《云溪市住房公积金个人住房贷款管理办法》的通知"
    assert _field(made, "title")[0] == f'"{title}"'
    assert (
        'aside "【说明】本文件为虚构的测试文件，不是真实的政策文件。" '
        '"TODO(drafter): 说明（标题前的一句话, 不是标题）"'
    ) in made
    assert 'policy "云公积金委〔2026〕3号" {' in made


def test_a_first_sentence_that_introduces_a_list_is_no_title() -> None:
    made = _made(NOTICE)
    assert (
        '    clause 四 "" {\n        quote "第四条 贷款额度按下列各项分别计算，取其中最低者确定："'
        in made
    )
    # A section heading that ends in `：` is text too (untitled, marked); one without stays.
    head = "青山市关于住房补贴的通知\n青政发〔2026〕1号\n各区人民政府：\n"
    items = "（一）在本市缴存住房公积金；\n（二）在本市无自有住房。\n"
    colon = _made(f"{head}一、申请补贴应当符合下列条件：\n{items}")
    assert 'section 一 "" {  # TODO(drafter): the document gives section 一 no title' in colon
    assert 'quote "申请补贴应当符合下列条件："' in colon
    plain = _made(f"{head}一、申请条件\n{items}")
    assert 'section 一 "申请条件" {' in plain
