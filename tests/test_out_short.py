"""`-o` is `--out` for every command that writes to --out (newcomer17 item 9: `new -o` worked,
`docs -o` was refused)."""

from __future__ import annotations

from pathlib import Path

from policyc.parsers import _COMMANDS, _build_parsers

REPO = Path(__file__).resolve().parent.parent


def test_every_out_option_has_the_short_spelling() -> None:
    _parser, commands = _build_parsers()
    having_out = []
    for name, command in commands.items():
        for action in command._actions:
            if "--out" in action.option_strings:
                having_out.append(name)
                assert "-o" in action.option_strings, name
    assert sorted(having_out) == ["docs", "new", "run"]
    assert set(commands) == set(_COMMANDS)


def test_docs_o_writes_the_site_where_out_would(tmp_path: Path) -> None:
    _parser, commands = _build_parsers("docs")
    short = commands["docs"].parse_intermixed_args(["policies", "-o", str(tmp_path / "a")])
    long = commands["docs"].parse_intermixed_args(["policies", "--out", str(tmp_path / "a")])
    assert short == long
    assert short.out == tmp_path / "a"


def test_docs_o_on_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    policy = "policies/tzf-2023-1.policy"
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "docs", policy, "-o", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "mkdocs.yml").is_file()


def test_run_o_reads_as_out() -> None:
    _parser, commands = _build_parsers("run")
    args = commands["run"].parse_intermixed_args(["p.policy", "--cases", "c.csv", "-o", "r.csv"])
    assert args.out == "r.csv"
