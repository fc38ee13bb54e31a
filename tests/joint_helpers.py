"""A small project for the joint-issuance and `refers outside` tests: a notice issued jointly by
three units (市民政局 市财政局 市残联), one of its amounts set by a document the project does not
restate (按《湖北省困难残疾人生活补贴和重度残疾人护理补贴实施办法》规定的标准执行)."""

from __future__ import annotations

from pathlib import Path

NOTICE = """\
青民发〔2026〕3号
关于做好困难残疾人两项补贴发放工作的通知
各乡镇民政办：
一、困难残疾人生活补贴按《湖北省困难残疾人生活补贴和重度残疾人护理补贴实施办法》规定的标准执行。
二、补贴资金由市财政局按季度拨付。
青山市民政局　青山市财政局　青山市残疾人联合会
2026年3月1日
"""

UNITS = """\
unit 市民政局 "青山市民政局"
unit 市财政局 "青山市财政局"
unit 市残联 "青山市残疾人联合会" alias 市残疾人联合会
"""

OUTSIDE_TITLE = "湖北省困难残疾人生活补贴和重度残疾人护理补贴实施办法"


def header(issuers: str = "市民政局, 市财政局, 市残联", number: str = "青民发〔2026〕3号") -> str:
    return f"""policy "{number}" {{
    title "关于做好困难残疾人两项补贴发放工作的通知"
    issuer {issuers}
    issued 2026-03-01
    source "notice.txt" lines 1 to 7
    units from "units.policy"
}}
"""


def body(refers: str = f'refers outside "{OUTSIDE_TITLE}" "鄂政发〔2016〕5号"') -> str:
    return f"""
input 困难残疾人: bool "申请人是否为困难残疾人"

clause 一 "生活补贴" {{
    quote "一、困难残疾人生活补贴按《{OUTSIDE_TITLE}》规定的标准执行。"
    responsible 市民政局
    rule 生活补贴 {{
        kind 补贴
        beneficiary 申请人
        when 困难残疾人
        amount unspecified "按《{OUTSIDE_TITLE}》规定的标准执行"
        {refers}
    }}
}}

clause 二 "资金拨付" {{
    quote "二、补贴资金由市财政局按季度拨付。"
    responsible 市财政局
}}
"""


def project(folder: Path, policy: str | None = None) -> Path:
    """The project in `folder`: notice.txt, units.policy and the policy file `joint.policy`
    (`policy`, else the jointly issued notice with its outside reference). Returns the policy."""
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "units.policy").write_text(UNITS, encoding="utf-8")
    path = folder / "joint.policy"
    path.write_text(policy if policy is not None else header() + body(), encoding="utf-8")
    return path
