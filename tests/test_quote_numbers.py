"""`check` warns (`quote-without-number`) where a clause's first quote leaves out the 第N条 the
source writes right before it: a drafter's existing file whose quotes lack 第三条 is labelled
（三） by run, duties and the site (compiler/part_places.own_label reads the label from the
quote), and nothing said how to mend it (compiler/received_text.py `check_article_numbers`)."""

from __future__ import annotations

from pathlib import Path

from policyc.compiler.pipeline import check_policy

SOURCE = """第一条 为帮助就业困难人员实现就业，制定本办法。
第二条 本办法所称就业困难人员，是指在本市登记失业的人员。
本办法自发布之日起施行。第三条之一 另行规定。
"""
HEADER = """policy "测试〔2023〕2号" {
    title "测试"
    issuer 天门市人民政府
    issued 2023-01-06
    source "source.txt" lines 1 to 3
    units from "units.policy"
}
"""
UNITS = 'unit 天门市人民政府 "天门市人民政府"\n'


def _warnings(tmp_path: Path, body: str) -> list[tuple[int, str]]:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "units.policy").write_text(UNITS, encoding="utf-8")
    path = tmp_path / "p.policy"
    path.write_text(HEADER + body, encoding="utf-8")
    checked = check_policy(path)
    return [(d.span.line, d.message) for d in checked.warnings if d.code == "quote-without-number"]


def test_a_first_quote_without_its_article_number_is_warned_about(tmp_path: Path) -> None:
    body = (
        'clause 一 "目的" {\n    quote "为帮助就业困难人员实现就业，制定本办法。"\n}\n'
        'clause 二 "对象" {\n    quote "第二条 本办法所称就业困难人员，是指在本市登记失业的人员。"\n}\n'
        'aside "本办法自发布之日起施行。第三条之一 另行规定。" "施行"\n'
    )
    found = _warnings(tmp_path, body)
    # Line 9 is clause 一's quote (the header is lines 1-7, `clause 一` line 8), shown by its
    # first 8 characters; clause 二 starts with its number and is not warned about.
    assert [line for line, _message in found] == [9]
    assert found[0][1] == (
        "the source writes `第一条` right before this quote: start the quote with it "
        '(`quote "第一条 为帮助就业困难人…"`), so that run, duties and the site call the clause '
        "第一条, as the document does, not （一）"
    )


def test_a_quote_the_source_writes_no_number_before_is_not_warned_about(tmp_path: Path) -> None:
    # 本办法自发布之日起施行 follows 第二条's sentence, not a 第三条; and `第三条之一` is not 第三条.
    body = (
        'clause 一 "目的" {\n    quote "第一条 为帮助就业困难人员实现就业，制定本办法。"\n}\n'
        'clause 二 "对象" {\n    quote "第二条 本办法所称就业困难人员，是指在本市登记失业的人员。"\n}\n'
        'clause 三 "施行" {\n    quote "本办法自发布之日起施行。"\n}\n'
        'aside "第三条之一 另行规定。" "另行规定"\n'
    )
    assert _warnings(tmp_path, body) == []
