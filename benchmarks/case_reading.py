"""Reading a request's case (issue 13, item 5): the short reading (cli/case_fast.py) against
the full one (`validate_case` over `wrap_plain`), and the JSON parse before both.

    python benchmarks/case_reading.py [N] [ROUNDS]

N random textile cases (benchmarks/serve.py's `random_case`, the bodies `serve.py` sends) are
parsed once (`read_json_data`), then read by each way in turn, ROUNDS times alternating, timed
by the thread's CPU time (`time.thread_time_ns`: other jobs on the machine do not count). Prints
µs per case for the parse, the full reading, the short reading (`case_from_data`), and the
share of cases the short way took. Instructions, repeatable under any load:
`valgrind --tool=callgrind python benchmarks/case_reading.py 1000 1 short` against `… full`
(the mode's loop only; subtract a run with mode `none`).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from serve import random_case  # noqa: E402

from policyc.case_fast import fast_case  # noqa: E402
from policyc.case_files import Where, read_json_data, wrap_plain  # noqa: E402
from policyc.cases import case_from_data, validate_case  # noqa: E402
from policyc.compiler.pipeline import compile_policy  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    only = sys.argv[3] if len(sys.argv) > 3 else ""
    view = compile_policy(HERE.parent / "policies" / "tzf-2023-1.policy").view
    rng = random.Random(13)
    texts = [json.dumps(random_case(rng), ensure_ascii=False) for _ in range(n)]
    datas = [read_json_data(t, "case") for t in texts]

    def parse() -> None:
        for text in texts:
            read_json_data(text, "case")

    def full() -> None:
        for data in datas:
            validate_case(wrap_plain(data, Where("case"), 0), view, "case")

    def short() -> None:
        for data in datas:
            case_from_data(data, view, "case")

    ways = {"parse": parse, "full": full, "short": short}
    if only:  # one way, once (for callgrind); `none`: the setup alone
        if only != "none":
            ways[only]()
        return
    for way in ways.values():
        way()  # warm: the plan compiled, dates and measures met once
    spent = dict.fromkeys(ways, 0)
    for _ in range(rounds):
        for name, way in ways.items():
            start = time.thread_time_ns()
            way()
            spent[name] += time.thread_time_ns() - start
    taken = sum(fast_case(d, view, "case") is not None for d in datas)
    for name, total in spent.items():
        print(f"{name:>6}: {total / rounds / n / 1000:7.1f} µs per case")
    print(f" short way taken by {taken} of {n} cases")


if __name__ == "__main__":
    main()
