"""What one case may be, as the documents name their beneficiaries: the words that mean the
applicant itself (docs/language.md §4, `beneficiary` and `cap … per`).

Read by the checker (a cap's `per` word, compiler/scope_checks.py) and by `run`'s totals (a
rule paid to 企业 or 企业或组织 is paid to the applicant, one paid to 外籍高层次专家 is not:
cli/report.py `totals_by_beneficiary`). Plain data, no imports: the warm run path loads it.
"""

SUBJECTS = (
    "企业", "单位", "机构", "组织", "企业或组织", "个人", "人", "户", "家庭", "农户", "项目",
    "申请人",
)  # fmt: skip
