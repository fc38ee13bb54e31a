"""`policyc new` keeps the document's own numbering in an article's quote (第三条 …), sets the 版记
aside, files a section's closing sentence in the section and treats every section heading that
is a sentence alike; `check --coverage` does not count a sentence said only in a title
(compiler/skeleton.py, compiler/coverage.py). What the eighth newcomer met restating a
就业困难人员补贴办法."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

NOTICE = """\
临江市人民政府办公室关于印发临江市创业补贴办法的通知
临政办发〔2026〕12号
各区人民政府，市政府各部门：
现将《临江市创业补贴办法》印发给你们，请认真贯彻执行。
临江市人民政府办公室
2026年12月10日
临江市创业补贴办法
第一章 总则
第一条 为鼓励创业带动就业，制定本办法。
第二章 补贴
第二条 首次创业的，给予一次性创业补贴5000元；
带动3人以上就业的，每多带动1人增加1000元。
第三条 本办法由市人力资源和社会保障局负责解释。
第四条 本办法自2027年1月1日起施行，有效期5年。
临江市人民政府办公室2026年12月10日印发
"""


def policyc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyc", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip


def _new(tmp_path: Path, text: str, lines: str) -> str:
    (tmp_path / "notice.txt").write_text(text, encoding="utf-8")
    done = policyc("new", "notice.txt", "--lines", lines, "-o", "new.policy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return (tmp_path / "new.policy").read_text(encoding="utf-8")


def _block(made: str, head: str) -> str:
    start = made.index(head)
    end = made.find("\n    }", start)
    return made[start : end if end >= 0 else None]


def test_an_articles_quote_keeps_its_number_and_the_imprint_is_an_aside(tmp_path: Path) -> None:
    made = _new(tmp_path, NOTICE, "1-15")
    assert 'quote "第一条 为鼓励创业带动就业，制定本办法。"' in made
    assert 'quote "第二条 首次创业的，给予一次性创业补贴5000元；"' in made
    # The article's second line is its own text, without a number.
    assert 'quote "带动3人以上就业的，每多带动1人增加1000元。"' in _block(made, "clause 二")
    # A one-sentence article: untitled, and not marked (an article has no title to fill,
    # skel12); its quote keeps the number.
    last = _block(made, "clause 四")
    assert 'quote "第四条 本办法自2027年1月1日起施行，有效期5年。"' in last
    assert last.splitlines()[0] == 'clause 四 "" {'
    # The 版记 line is an aside, not the last article's text.
    assert 'aside "临江市人民政府办公室2026年12月10日印发" "版记（印发机关和印发日期）"' in made
    assert "印发" not in last
    checked = policyc("check", "--coverage", "new.policy", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "source coverage 100.0%" in checked.stdout


def test_run_labels_the_article_as_the_document_numbers_it(tmp_path: Path) -> None:
    made = _new(tmp_path, NOTICE, "1-15")
    rule = "        rule 创业补贴 {\n            amount 5000 元\n        }\n"
    made = made.replace("        # TODO(drafter): the rules of clause 二", rule, 1)
    assert "rule 创业补贴" in made
    (tmp_path / "new.policy").write_text(made, encoding="utf-8")
    (tmp_path / "case.yaml").write_text("on: 2027-03-01\ninputs: {}\n", encoding="utf-8")
    done = policyc("run", "new.policy", "--case", "case.yaml", "--all", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "第二条" in done.stdout and "（二）" not in done.stdout


def test_a_sentence_said_only_in_a_title_is_not_covered(tmp_path: Path) -> None:
    made = _new(tmp_path, NOTICE, "1-15")
    # The newcomer's file: 第四条's sentence in its title only, its one quote the 版记 line.
    made = made.replace(
        'quote "第四条 本办法自2027年1月1日起施行，有效期5年。"',
        'quote "临江市人民政府办公室2026年12月10日印发"',
    ).replace('aside "临江市人民政府办公室2026年12月10日印发" "版记（印发机关和印发日期）"', "")
    (tmp_path / "new.policy").write_text(made, encoding="utf-8")
    checked = policyc("check", "--coverage", "new.policy", cwd=tmp_path)
    assert "source coverage 100.0%" not in checked.stdout
    said = checked.stdout + checked.stderr
    assert re.search(r"notice\.txt:14:1: warning\[uncovered-sentence\]", said)
    # A title that is a heading (`第二章 补贴`: no comma inside) stays covered by the structure.
    assert "notice.txt:10:" not in said


SECTIONS = """\
测政办发〔2026〕3号
测县补贴办法
各乡镇:
一、补贴
（一）对甲类人员给予补贴，每人每月100元。
（二）对乙类人员给予补贴，每人每月200元。
以上补贴由县财政局按月兑付。
二、对丙类人员给予一次性补助，每人500元，由县民政局审核发放，每年申报一次。
三、每户每月免收水量5立方米。
四、标准
（一）配套发展资金。
对新建项目按投资额给予补助。
"""


def test_a_sections_closing_sentence_is_the_sections(tmp_path: Path) -> None:
    made = _new(tmp_path, SECTIONS, "1-12")
    one = made[made.index("section 一") : made.index("section 二")]
    clause_two = _block(one, "clause 二")
    assert "以上补贴由县财政局按月兑付" not in clause_two
    assert re.search(r'^    quote "以上补贴由县财政局按月兑付。"$', one, re.M)
    # A clause whose line is its title only: the line after it is its text, not the section's.
    four = made[made.index("section 四") :]
    assert 'quote "对新建项目按投资额给予补助。"' in _block(four, "clause 一")
    checked = policyc("check", "--coverage", "new.policy", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "source coverage 100.0%" in checked.stdout


def test_section_headings_that_are_sentences_are_treated_alike(tmp_path: Path) -> None:
    made = _new(tmp_path, SECTIONS, "1-12")
    # 二 (a long sentence) and 三 (a short one) alike: no title taken, the sentence quoted.
    for number, sentence in (
        ("二", "对丙类人员给予一次性补助，每人500元，由县民政局审核发放，每年申报一次。"),
        ("三", "每户每月免收水量5立方米。"),
    ):
        head = f'section {number} "" {{  # TODO(drafter): the document gives section {number}'
        assert head in made
        block = made[made.index(head) :]
        assert f'quote "{sentence}"' in block.split("\n}")[0]
    assert 'section 一 "补贴" {' in made and 'section 四 "标准" {' in made
