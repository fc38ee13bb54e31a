"""Coverage-guided fuzzing of policyc with atheris (libFuzzer): `fuzz/run.sh [seconds]` or
`python -m fuzz [--seconds N] [TARGET ...]`.

Targets (see `fuzz.targets`):

- `parse`: text → AST;
- `check`: parse, check, lint, source coverage, then generate and load the Python module, as
  `policyc run` does;
- `case`: the case loader on bytes written to a file (as .yaml and as .json, against two
  policies), then the evaluation and both reports.

Only policyc's own exceptions (PolicyError, InputError) are expected; anything else — and any
hang or runaway memory — is a finding, written under `fuzz/findings/TARGET/` (see
`fuzz.harness`). Replay one with `python -m fuzz.replay TARGET FILE...`.
"""
