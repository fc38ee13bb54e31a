"""The stable codes of policyc's warnings, and what each one means.

A warning's code is how a drafter, a CI script or an editor names it: `check --format json`
prints it, and a comment `# policyc: ignore[CODE] reason` on or above the line silences it
there (compiler/ignores.py). Codes never change meaning; a new check adds a new code here, in
one line, and passes it to `Diagnostic(..., code=...)`.
"""

from __future__ import annotations

# code -> what it warns about (one line, shown by the language server on hover of an ignore).
WARNING_CODES: dict[str, str] = {
    # lint: conditions
    "never-holds": "a rule, define or `if` whose conditions can never all hold",
    "dead-alternative": "an alternative of `or`/`any_of` that cannot hold beside the rest",
    "ranges-meet": (
        "two rules of a clause, or of one kind for one beneficiary (tiers of one fine), whose "
        "ranges both include, or both exclude, a value"
    ),
    "tiers-overlap": (
        "two tiers of one fine (one kind, one beneficiary, ranges of one value apart) that can "
        "both apply by another road"
    ),
    # lint: amounts, caps, tiers, values
    "cap-below-amount": "a literal cap below what the rule always pays",
    "share-over-whole": "a share above 100%",
    "negative-value": "literal arithmetic that works out negative",
    "negative-amount": "an amount whose subtraction can come out below zero",
    "applies-to-every-case": (
        "a rule granting something with no condition and reading no input, whose text states one"
    ),
    "once-per-counted": "`once per 人` on an amount counted per 人 (a one-time award per person)",
    "mixed-boundaries": "tier rows mixing a word including its threshold with one excluding it",
    "same-threshold": "two tier rows with the same threshold",
    "tiers-descend": "a higher tier paying less than, or the same as, a lower one",
    "schedule-gap": "schedule years that fall in no row",
    # lint: dates, durations, validity
    "long-duration": "a duration beyond 100 years",
    "months-by-day": "`months_between(…, on_date())` where a case is a month (次月起)",
    "date-outside-validity": "a literal date outside the document's validity",
    "zero-validity": "a validity of zero length",
    "weekend-holiday": "a holiday of a 节假日安排 notice whose rest days are all weekend days",
    "notice-incomplete": "a 节假日安排 notice not declared `complete`: it answers no day",
    "notice-without-source": (
        "a 节假日安排 notice without `source`: its quotes are checked against nothing"
    ),
    # lint: declarations and numbering
    "unused-reading": "a reading that nothing uses",
    "unused-define": "a `define` that no rule, target or other value reads",
    "numbering-order": "a section, clause or task number lower than the one before",
    "target-without-quote": (
        "a target without a quote of its own whose part's first sentence writes neither its "
        "figure nor its deadline's day"
    ),
    "same-full-name": "two units with the same full name",
    "alias-repeats-name": "an alias equal to its unit's name",
    "duplicate-alias": "an alias listed twice",
    "unused-unit": "a unit a policy declares itself that no policy checked names",
    # checker and coverage
    "unused-input": "an input that no rule uses",
    "periodless-rule": "a rule without `amount … per` that reads an input per month",
    "group-uncounted": "a group of things that does not say its measure (`counted 台`)",
    "periodless-decide": "a `decide` without `per` that reads an input per month",
    "uncovered-sentence": "a sentence of the source text that no quote or aside covers",
    "ambiguous-quote": (
        "a quote the source holds more than once, where the quotes around it do not tell which "
        "occurrence it is"
    ),
    "quote-without-number": "a clause's first quote leaving out the 第N条 the source writes",
    "todo": "a `# TODO(…)` comment `policyc new` left: a field to confirm or rules to write",
    # the ignore comments themselves
    "bad-ignore": "an ignore comment without a reason or naming an unknown code",
}

# Codes of errors (never silenced), so that `check --format json` gives every line a code.
ERROR_CODES: dict[str, str] = {
    "syntax": "the file does not parse",
    "check": "the policy does not check (names, units, measures, tiers, quotes …)",
    "input": "a file that cannot be read",
}
