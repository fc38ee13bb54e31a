"""A table or tally read at a member the case gives: `救助比例[类别]`.

"特困人员按90%、低保对象按80%、其他救助对象按60%给予救助" is a table by the applicant's category,
read at the category the case gives (an enum input, or a `decide` of that enum). `TABLE[KEY]`
reads the member KEY when KEY is one of the enum's members (`救助比例[低保对象]`), else the value
of the input or decided value named KEY: `check` holds its enum to the table's, the runtime
reads the member the case gives (unknown while the case does not), the batch query a CASE over
the members.
"""

from __future__ import annotations

from typing import Any

from policyc.compiler import nodes as n


def keyed_enum(policy: Any, name: str) -> str | None:
    """The enum a table or tally `name` is by, or None when it is neither."""
    table = policy.tables.get(name)
    if table is not None:
        return str(table.by.text)
    info = policy.inputs.get(name)
    kind = getattr(info, "type", None)
    return str(kind.enum) if kind is not None and kind.kind == "keyed" else None


def reads_a_value(policy: Any, e: n.Index) -> bool:
    """Whether `e` reads the table at the member a case gives (KEY names an input or a decided
    value rather than one of the enum's members); for a table by several enums, whether any of
    its keys does (compiler/table_keys.py)."""
    if e.more_keys:
        from policyc.compiler.table_keys import key_reads

        return any(reads for _, reads in key_reads(policy, e))
    enum = keyed_enum(policy, e.name)
    if enum is not None and e.key in policy.enums.get(enum, ()):
        return False
    return e.key in policy.inputs or e.key in policy.defines
