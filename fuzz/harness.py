"""One atheris target in this process: `python -m fuzz.harness TARGET [--stop] [libFuzzer
flags] DIRS…`.

By default an unexpected exception does not stop the run: each distinct one (by type and the
innermost policyc frame) is saved once as `crash-SHA1` (the input) with `crash-SHA1.txt` (the
traceback) in the artifact folder, and fuzzing goes on. With `--stop` the first one ends the run
as libFuzzer usually does. Timeouts and memory blow-ups always end it (libFuzzer kills us).
"""

from __future__ import annotations

import hashlib
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["policyc", "lark", "yaml"]):
    import lark  # noqa: F401  (instrumented for coverage)
    import yaml  # noqa: F401

    from fuzz import targets

    targets.setup()


def signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/policyc/" in f.filename or "/work/" in f.filename]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def keep_going(target: Callable[[bytes], None], artifacts: Path) -> Callable[[bytes], None]:
    seen: set[str] = set()

    def run(data: bytes) -> None:
        try:
            target(data)
        except Exception as exc:
            key = signature(exc)
            if key in seen:
                return
            seen.add(key)
            digest = hashlib.sha1(data).hexdigest()
            (artifacts / f"crash-{digest}").write_bytes(data)
            (artifacts / f"crash-{digest}.txt").write_text(
                key + "\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8"
            )
            print(f"FINDING: {key} -> crash-{digest}", file=sys.stderr, flush=True)

    return run


def main() -> None:
    name, *flags = sys.argv[1:]
    target = targets.TARGETS[name]
    if "--stop" in flags:
        flags.remove("--stop")
    else:
        prefix = next((f.split("=", 1)[1] for f in flags if f.startswith("-artifact_prefix=")), ".")
        target = keep_going(target, Path(re.sub(r"/?$", "", prefix) or "."))
    atheris.Setup([sys.argv[0], *flags], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
