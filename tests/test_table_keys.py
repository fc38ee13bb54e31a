"""A table by two enums (compiler/table_keys.py): `table 安居补贴标准 by 学历, 工作年限档 {…}` read
as `安居补贴标准[学历, 档]`, on both sides of the 3-year edge, traced and fast alike, in the batch
query, checked for every combination, formatted, and drawn on the site as a two-way table.

Amounts from the text (天政办发〔2026〕7号, newcomer trial): 本科 不满3年 1.2万元, 满3年 1.8万元; 硕士研究生
不满3年 2.4万元, 满3年 3.6万元; 博士研究生 6万元."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from policyc.compiler.errors import PolicyError
from policyc.compiler.fmt import format_text
from policyc.compiler.pipeline import CompiledPolicy
from policyc.compiler.render import render
from policyc.runtime.quantity import Quantity
from tests.conftest import PolicyFactory
from tests.test_fastpath import both

ON = date(2025, 6, 30)
ENUMS = """enum 学历 { 本科, 硕士研究生, 博士研究生 }
enum 工作年限档 { 不满3年, 满3年 }
input 学历: 学历 optional
input 参加工作日期: date optional
decide 档 = if years_between(参加工作日期, on_date()) 满 3 年 then 满3年 else 不满3年 "工作年限档"
"""
ROWS = {
    ("本科", "不满3年"): "1.2 万元",
    ("本科", "满3年"): "1.8 万元",
    ("硕士研究生", "不满3年"): "2.4 万元",
    ("硕士研究生", "满3年"): "3.6 万元",
    ("博士研究生", "不满3年"): "6 万元",
    ("博士研究生", "满3年"): "6 万元",
}


def table(rows: dict[tuple[str, ...], str] = ROWS, by: str = "学历, 工作年限档") -> str:
    body = "".join(f"    {', '.join(keys)}: {value},\n" for keys, value in rows.items())
    return f"table 安居补贴标准 by {by} {{\n{body}}}\n"


def compile_two(
    policies: PolicyFactory, amount: str = "安居补贴标准[学历, 档]", **kw: str
) -> CompiledPolicy:
    rows = kw.get("table", table())
    return policies.compile(f"rule 安居 {{ amount {amount} }}", ENUMS + rows)


def amount(policy: CompiledPolicy, inputs: dict[str, object]) -> object:
    results = {r.info.name: r for r in policy.evaluate(inputs, ON)}
    found = results["安居"]
    both(policy, inputs, ON)
    return found.amount if found.status == "applies" else (found.status, found.missing)


def test_read_at_both_keys_on_both_sides_of_the_edge(policies: PolicyFactory) -> None:
    policy = compile_two(policies)
    # 2022-06-30 to 2025-06-30 is 3 full years (满3年); from 2022-07-01 only 2.
    assert amount(policy, {"学历": "本科", "参加工作日期": date(2022, 6, 30)}) == Quantity.of(
        "1.8", "万元"
    )
    assert amount(policy, {"学历": "本科", "参加工作日期": date(2022, 7, 1)}) == Quantity.of(
        "1.2", "万元"
    )
    assert amount(policy, {"学历": "硕士研究生", "参加工作日期": date(2022, 6, 30)}) == Quantity.of(
        "3.6", "万元"
    )
    assert amount(policy, {"学历": "博士研究生", "参加工作日期": date(2025, 1, 1)}) == Quantity.of(
        6, "万元"
    )


def test_a_key_not_given_leaves_the_amount_undetermined(policies: PolicyFactory) -> None:
    policy = compile_two(policies)
    assert amount(policy, {"参加工作日期": date(2022, 6, 30)}) == ("undetermined", ("学历",))
    assert amount(policy, {"学历": "本科"}) == ("undetermined", ("参加工作日期",))


def test_a_key_may_name_a_member(policies: PolicyFactory) -> None:
    policy = compile_two(policies, "安居补贴标准[硕士研究生, 档]")
    assert amount(policy, {"参加工作日期": date(2022, 7, 1)}) == Quantity.of("2.4", "万元")
    policy = compile_two(policies, "安居补贴标准[本科, 满3年]")
    assert amount(policy, {}) == Quantity.of("1.8", "万元")


def _problems(
    policies: PolicyFactory, amount: str = "安居补贴标准[学历, 档]", rows: str = ""
) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        compile_two(policies, amount, table=rows or table())
    return [d.message for d in caught.value.diagnostics if d.severity.value == "error"]


def test_every_combination_is_listed_or_the_missing_ones_are_named(policies: PolicyFactory) -> None:
    rows = {k: v for k, v in ROWS.items() if k != ("博士研究生", "满3年")}
    assert _problems(policies, rows=table(rows)) == [
        "table `安居补贴标准` has no row for 博士研究生, 满3年"
    ]


def test_a_row_is_checked_key_by_key(policies: PolicyFactory) -> None:
    rows = dict(ROWS)
    rows[("博士", "满3年")] = rows.pop(("博士研究生", "满3年"))
    assert _problems(policies, rows=table(rows)) == [
        "`博士` is not a member of `学历`",
        "table `安居补贴标准` has no row for 博士研究生, 满3年",
    ]
    rows = dict(ROWS)
    rows[("博士研究生",)] = rows.pop(("博士研究生", "满3年"))
    assert _problems(policies, rows=table(rows))[0] == (
        "this row of `安居补贴标准` does not name one member of each of 学历, 工作年限档"
    )
    text = table().replace("博士研究生, 满3年", "博士研究生, 不满3年")
    assert "table `安居补贴标准` has two rows for 博士研究生, 不满3年" in _problems(
        policies, rows=text
    )
    text = table().replace("博士研究生, 满3年: 6 万元", "博士研究生, 满3年: 6 人")
    assert _problems(policies, rows=text) == ["the rows of a table must share one measure"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "安居补贴标准",
            "`安居补贴标准` is by 学历, 工作年限档: read it at one member of each, "
            "`安居补贴标准[学历, 工作年限档]`",
        ),
        (
            "安居补贴标准[学历]",
            "`安居补贴标准` is by 学历, 工作年限档: read it at one member of each, "
            "`安居补贴标准[学历, 工作年限档]`",
        ),
        (
            "安居补贴标准[学历, 学历]",
            "`安居补贴标准` is by `工作年限档`; `学历` is a member of 学历, not a member of "
            "`工作年限档`",
        ),
        ("安居补贴标准[学历, 三年]", "`三年` is not a member of `工作年限档`"),
    ],
)
def test_a_reading_names_one_member_of_each(
    policies: PolicyFactory, written: str, message: str
) -> None:
    assert _problems(policies, written) == [message]


def test_the_batch_query_agrees_with_the_per_case_path(policies: PolicyFactory) -> None:
    pytest.importorskip("duckdb")
    from policyc.batch import run_batch

    policy = compile_two(policies)
    cases = [
        ("a", "本科", "2022-06-30"),
        ("b", "本科", "2022-07-01"),
        ("c", "硕士研究生", "2022-06-30"),
        ("d", "博士研究生", ""),
        ("e", "", "2022-06-30"),
    ]
    path = policies.folder / "cases.csv"
    path.write_text(
        "id,on,学历,参加工作日期\n" + "".join(f"{i},2025-06-30,{k},{d}\n" for i, k, d in cases),
        encoding="utf-8",
    )
    out = policies.folder / "out.csv"
    summary = io.StringIO()
    run_batch(policies.folder / "p.policy", path, out, None, [], "text", stdout=summary)
    assert "every rule evaluated by the batch query" in summary.getvalue()
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    got = {i: (rows[i]["安居.status"], rows[i]["安居.amount_元"]) for i, *_ in cases}
    assert got == {
        "a": ("applies", "18000"),
        "b": ("applies", "12000"),
        "c": ("applies", "36000"),
        "d": ("undetermined", ""),  # 博士研究生 is 6万元 either way, but 档 is not known
        "e": ("undetermined", ""),
    }
    for i, kind, day in cases:
        inputs: dict[str, object] = {}
        if kind:
            inputs["学历"] = kind
        if day:
            inputs["参加工作日期"] = date.fromisoformat(day)
        (result,) = [r for r in policy.evaluate(inputs, ON) if r.info.name == "安居"]
        assert result.status == got[i][0]


def test_fmt_aligns_the_rows_and_keeps_them() -> None:
    text = table()
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert "    本科, 不满3年:       1.2 万元,\n" in formatted
    assert "    硕士研究生, 不满3年: 2.4 万元,\n" in formatted


def test_render_and_the_site_draw_a_two_way_table(policies: PolicyFactory) -> None:
    from policyc.compiler import nodes as n
    from policyc.compiler.site.assemble import render_docs

    # in words on the site, as a one-key lookup is (h/polish: 救助比例（按类别查表）)
    assert (
        render(n.Index("安居补贴标准", "学历", more_keys=("档",)))
        == "安居补贴标准（按学历、档查表）"
    )
    policy = compile_two(policies)
    pages = render_docs([policy.checked])
    page = next(text for name, text in pages.items() if "| 学历＼工作年限档 |" in text)
    assert "| 学历＼工作年限档 | 不满3年 | 满3年 |" in page
    assert "| 本科 | 1.2万元 | 1.8万元 |" in page
    assert "| 硕士研究生 | 2.4万元 | 3.6万元 |" in page
    amounts = pages["docs/amounts.md"] if "docs/amounts.md" in pages else pages["amounts.md"]
    assert "·本科·满3年" in amounts and "1.8万元" in amounts


def test_one_key_tables_are_unchanged(policies: PolicyFactory, tmp_path: Path) -> None:
    policy = policies.compile(
        "rule r { amount 标准[学历] }",
        ENUMS + "table 标准 by 学历 { 本科: 1 元, 硕士研究生: 2 元, 博士研究生: 3 元 }\n",
    )
    table_decl = policy.checked.tables["标准"]
    assert table_decl.more_by == () and table_decl.more_keys == ()
    assert [keys for keys, _ in table_decl.cells()] == [("本科",), ("硕士研究生",), ("博士研究生",)]
    (result,) = [r for r in policy.evaluate({"学历": "硕士研究生"}, ON) if r.info.name == "r"]
    assert result.amount == Quantity.of(2, "元")


def test_the_language_server_shows_every_row(tmp_path: Path) -> None:
    from policyc.editing import Document

    document = Document(str(tmp_path / "p.policy"))
    document.update(ENUMS + table())
    (symbol,) = document.symbols["安居补贴标准"]
    assert symbol.hover.startswith("**table 安居补贴标准** by 学历, 工作年限档")
    assert "- 硕士研究生, 满3年: 3.6 万元" in symbol.hover
