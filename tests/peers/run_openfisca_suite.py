"""Run OpenFisca's country-template tests against the restatement and print the passes by file.

    .venv/bin/python -m tests.peers.run_openfisca_suite [-v]

`-v` prints each failing test with its reasons. Needs the `peers` extra.
"""

from __future__ import annotations

import sys

from tests.peers.openfisca import run_all, table


def main(argv: list[str]) -> int:
    outcomes = run_all()
    if "-v" in argv:
        for outcome in outcomes:
            mark = "ok  " if outcome.passed else "FAIL"
            print(f"{mark} {outcome.test.id}")
            for failure in outcome.failures:
                print(f"       {failure}")
    print(table(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
