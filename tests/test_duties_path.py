"""`policyc duties FILE` without a unit (the recheck newcomer's slip): the path is taken for the
unit and the default folder `policies` for the paths, which answered "policies: no such file
or folder". The command now says what it expected — a unit first, then the paths — and names
units of the policies at the path to choose from (cli/duties.py `refuse_path_as_unit`)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler.errors import InputError
from policyc.duties import refuse_path_as_unit, run_duties

REPO = Path(__file__).resolve().parent.parent
TEXTILE = REPO / "policies" / "tzf-2023-1.policy"


def test_a_policy_file_given_for_the_unit_is_refused_saying_the_order() -> None:
    with pytest.raises(InputError) as caught:
        run_duties(str(TEXTILE), [REPO / "policies"], "text", io.StringIO())
    message = str(caught.value)
    assert f"`{TEXTILE}` names a policy file or folder, not a unit" in message
    assert "`policyc duties UNIT [PATH...]`" in message
    # units of the textile policy's registry, to choose from (市商务局 leads its clauses)
    assert "units of the policies there: " in message


def test_a_folder_or_a_missing_policy_file_is_refused_too() -> None:
    with pytest.raises(InputError, match="not a unit"):
        refuse_path_as_unit(str(REPO / "policies"))
    with pytest.raises(InputError) as caught:
        refuse_path_as_unit("missing.policy")
    assert "not a unit" in str(caught.value) and "units of the policies" not in str(caught.value)


def test_a_unit_name_is_not_taken_for_a_path() -> None:
    refuse_path_as_unit("市商务局")  # no error: a unit's name
    out = io.StringIO()
    assert run_duties("市商务局", [REPO / "policies"], "text", out) == 0
    assert "市商务局" in out.getvalue()


def test_the_command_exits_2_with_the_message_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policyc", "duties", "policies/tzf-2023-1.policy"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "not a unit" in done.stderr and "Traceback" not in done.stderr
    assert "no such file" not in done.stderr
