"""OpenFisca's YAML tests, read from the installed `openfisca-country-template`, as policyc cases.

The package (extra `peers`) is AGPL-3.0: nothing of it is copied here. Its test files are read at
test time from the installed distribution (`importlib.metadata`, without importing OpenFisca), and
each OpenFisca test becomes one or more policyc evaluations of the restatement in
`peers/openfisca-country-template/`:

- **periods**: a month `2017-01` or a year `2017` is the case's `period:` (evaluated on its first
  day); an output given per period (`age: {2015-02: 34, 2015-03: 35}`) is one evaluation per
  period; ETERNITY has no date and is refused.
- **inputs**: a map period → value is passed as such; a scalar is, as OpenFisca sets it, the value
  for the test's period (a map of that one period where the restatement reads the input per
  period); a vector `[0, 249, …]` is one case per position (outputs' vectors then hold one
  expected value each). What a test leaves out takes the restatement's declared `default`.
- **entities**: OpenFisca's persons and households (with their roles `adults`/`children`) are the
  case's `members` and group inputs where the restatement declares a group; a test without them
  is one person (`本人`, an adult) in one household.
- **outputs**: a rule's amount (not applicable = 0), a decided value (age, per member), or an
  input's value as the evaluation reads it (housing_occupancy_status): per test, per period, per
  member.
- **comparison**: money is compared exactly to the cent: the expected figure (an OpenFisca YAML
  number or arithmetic such as `600 - 200 / 12`, evaluated exactly with fractions) and policyc's
  exact amount are both rounded half up to 0.01 and must be equal. OpenFisca's
  `absolute_error_margin` exists for its float32 arithmetic; policyc is exact, so the margin is not
  used. Other values (age in years, booleans, enum members) are compared exactly.
- **reforms**: a named reform is a reading of the restatement (`REFORMS`); an inline `parameters:`
  override is an amended copy of the policy text in which the overridden parameter's `dated`
  value is replaced by the override's values (`PARAMETERS`).

An OpenFisca test that cannot be expressed is a failure naming why, never a skip.
"""

from __future__ import annotations

import ast
import datetime
import importlib.metadata
import re
import tempfile
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
import yaml

from policyc.cases import Case, case_from_data
from policyc.compiler.errors import InputError
from policyc.compiler.pipeline import CompiledPolicy, compile_policy
from policyc.runtime.evaluation import RuleResult
from policyc.runtime.people import PeriodPlan, prepare
from policyc.runtime.people_ops import MemberResult
from policyc.runtime.quantity import Quantity
from policyc.runtime.quantity_format import format_quantity

DISTRIBUTION = "openfisca-country-template"
VERSION = "8.2.0"
EXTRA = "peers"
RESTATEMENT = Path(__file__).resolve().parents[2] / "peers" / "openfisca-country-template"
POLICY_FILE = RESTATEMENT / "country-template.policy"
EXPECTED_TESTS = 38  # the 8.2.0 wheel's tests/ folder: 38 tests in 15 files


class PeerMissing(RuntimeError):
    """The peer package is not installed (or not the version restated)."""


@attrs.frozen
class Variable:
    """An OpenFisca variable as the restatement names it: `name` in the policy, `entity`
    (`person` or `household`), `kind` (`input`, `rule`, `decision`) and, for an enum, its
    members by OpenFisca's names."""

    name: str
    entity: str
    kind: str
    members: Mapping[str, str] = attrs.field(factory=dict)
    measure: str = "元"  # money is compared to the cent; any other measure exactly
    # A computed variable a case may give instead: the input holding the given value, which the
    # restatement reads with `given(…)` in place of the computation.
    given_as: str | None = None


VARIABLES: dict[str, Variable] = {
    "birth": Variable("出生日期", "person", "input"),
    "age": Variable("年龄", "person", "decision", measure="年", given_as="给定年龄"),
    "salary": Variable("工资", "person", "input"),
    "capital_returns": Variable("资本收益", "person", "input"),
    "basic_income": Variable("基本收入", "person", "rule"),
    "pension": Variable("养老金", "person", "rule"),
    "income_tax": Variable("所得税", "person", "rule"),
    "social_security_contribution": Variable("社会保障缴费", "person", "rule"),
    "has_car": Variable("有车", "person", "input"),
    "new_tax": Variable("新税", "person", "rule"),
    "goes_to_school": Variable("上学", "person", "input"),
    "rent": Variable("房租", "household", "input"),
    "accommodation_size": Variable("住房面积", "household", "input"),
    "housing_occupancy_status": Variable(
        "居住状况",
        "household",
        "input",
        {"owner": "业主", "tenant": "租户", "free_lodger": "免费寄住", "homeless": "无家可归"},
    ),
    "household_income": Variable("家庭收入", "household", "decision", given_as="给定家庭收入"),
    "housing_allowance": Variable("住房补贴", "household", "rule"),
    "parenting_allowance": Variable("育儿补贴", "household", "rule"),
    "meal_price": Variable("餐价", "household", "rule"),
    "swimming_pool_access": Variable("游泳池入场费", "household", "rule"),
    "housing_tax": Variable("住房税", "household", "rule"),
    "disposable_income": Variable("可支配收入", "household", "rule"),
}

# A named reform → the readings of the restatement that state it.
REFORMS: dict[str, dict[str, str]] = {
    "openfisca_country_template.reforms.modify_social_security_taxation"
    ".modify_social_security_taxation": {"社会保障缴费方案": "改革"},
    "openfisca_country_template.reforms.add_new_tax.add_new_tax": {"新税": "施行"},
    # The reform only adds an input with a default; the restatement declares it (上学).
    "openfisca_country_template.reforms.add_dynamic_variable.add_dynamic_variable": {},
}

# An OpenFisca parameter path → the `define` of the restatement holding its dated values, and
# the measure its values are written in (a rate `/1` is a percentage).
PARAMETERS: dict[str, tuple[str, str]] = {
    "benefits.housing_allowance": ("住房补贴比例", "%"),
}

ROLES = {"adults": "成年人", "children": "子女"}
SOLE_PERSON = "本人"  # the one person of a test that names no persons
CENT = Decimal("0.01")


@attrs.frozen
class PeerTest:
    """One OpenFisca test: its file (relative to the package's tests/ folder), its position in
    the file, its name and its data as read (numbers as Decimal, never float)."""

    file: str
    index: int
    name: str
    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.index + 1}:{self.name}"


@attrs.frozen
class Outcome:
    """A test's result: passed, or the reasons it failed (each check that failed, or why the
    test cannot be expressed); `checks` counts the values compared."""

    test: PeerTest
    failures: tuple[str, ...]
    checks: int

    @property
    def passed(self) -> bool:
        return not self.failures and self.checks > 0


class Unexpressible(Exception):
    """The test says something the translator or the restatement cannot state."""


class _ExactLoader(yaml.SafeLoader):
    """YAML with decimals read exactly: OpenFisca's `0.1` is Decimal('0.1'), never a float."""


def _exact_float(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    assert isinstance(node, yaml.ScalarNode)
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact_float)


def peer_files() -> list[tuple[str, str]]:
    """The installed package's test files: (path under tests/, text), sorted by path.

    Raises PeerMissing naming the extra when the package is absent or another version."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise PeerMissing(
            f"{DISTRIBUTION} is not installed: pip install '.[{EXTRA}]' (the `{EXTRA}` extra)"
        ) from None
    if dist.version != VERSION:
        raise PeerMissing(
            f"{DISTRIBUTION} {dist.version} is installed; the restatement is of {VERSION}"
        )
    found: list[tuple[str, str]] = []
    for file in dist.files or ():
        parts = PurePosixPath(str(file)).parts
        in_tests = len(parts) > 2 and parts[:2] == ("openfisca_country_template", "tests")
        if in_tests and parts[-1].endswith(".yaml"):
            found.append(("/".join(parts[2:]), file.read_text(encoding="utf-8")))
    return sorted(found)


def peer_tests() -> list[PeerTest]:
    """Every OpenFisca test of the installed package, by file and position."""
    tests: list[PeerTest] = []
    for name, text in peer_files():
        data = yaml.load(text, Loader=_ExactLoader)  # a SafeLoader subclass
        for index, test in enumerate(data or []):
            tests.append(PeerTest(name, index, str(test.get("name", "")), test))
    return tests


# ---- expected values ---------------------------------------------------------------------


def exact_number(value: Any) -> Fraction:
    """An expected figure exactly: a YAML number, or arithmetic on numbers (`600 - 200 / 12`,
    `100*0.1`) evaluated with fractions. Raises Unexpressible for anything else."""
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, int | Decimal):
        return Fraction(value)
    if isinstance(value, str):
        try:
            tree = ast.parse(value.strip(), mode="eval")
        except SyntaxError:
            raise Unexpressible(f"expected value {value!r} is not a number") from None
        return _arith(tree.body, value)
    raise Unexpressible(f"expected value {value!r} is not a number")


def _arith(node: ast.expr, text: str) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Fraction(Decimal(ast.get_source_segment(text.strip(), node) or str(node.value)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_arith(node.operand, text)
    if isinstance(node, ast.BinOp):
        a, b = _arith(node.left, text), _arith(node.right, text)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            return a / b
    raise Unexpressible(f"expected value {text!r}: only numbers and + - * / are read")


def to_cent(value: Fraction | Decimal) -> Decimal:
    """Rounded half up to 0.01, exactly."""
    fraction = Fraction(value)
    return (
        (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        if fraction.denominator != 1
        else Decimal(fraction.numerator).quantize(CENT)
    )


# ---- periods -------------------------------------------------------------------------------


def period_text(period: Any) -> str:
    """OpenFisca's period as written: `2017-01`, `2017`; raises Unexpressible for others."""
    text = str(period)
    if text == "ETERNITY":
        raise Unexpressible("a period ETERNITY has no evaluation date")
    if re.fullmatch(r"\d{4}(-\d{2})?", text):
        return text
    raise Unexpressible(f"period {text!r} is not a month or a year")


# ---- the translation -------------------------------------------------------------------------


@attrs.frozen
class Check:
    """One value to compare: the policyc case (plain data), the variable, the member (for a
    per-person value in a group case) and the expected value as OpenFisca wrote it."""

    case: dict[str, Any]
    variable: str
    member: str | None
    expected: Any
    where: str


class Translator:
    """Turns OpenFisca tests into policyc checks against one compiled restatement."""

    def __init__(self, policy: CompiledPolicy):
        self.policy = policy
        self.doc_number = policy.checked.header.number
        # Persons are members where the restatement declares a group; inputs read per period.
        people = policy.checked.people
        self.takes_members = bool(people.group)
        self.periodic = frozenset(people.period_of)

    def checks(self, test: PeerTest) -> Iterator[Check]:
        data = test.data
        unknown = set(data) - {
            "name", "description", "period", "input", "output", "absolute_error_margin",
            "relative_error_margin", "reforms", "parameters", "keywords", "extensions",
        }  # fmt: skip
        if unknown:
            raise Unexpressible(f"test keys not read: {sorted(unknown)}")
        if "extensions" in data:
            raise Unexpressible("extensions are not restated")
        period = period_text(data["period"])
        readings = self._readings(data.get("reforms"))
        inputs = dict(data.get("input") or {})
        outputs = dict(data.get("output") or {})
        width = _vector_width(inputs, outputs)
        for position in range(width or 1):
            picked_inputs = _at(inputs, position) if width else inputs
            picked_outputs = _at(outputs, position) if width else outputs
            label = f"[{position}]" if width else ""
            yield from self._checks_of(period, picked_inputs, picked_outputs, readings, label)

    def _readings(self, reforms: Any) -> dict[str, str]:
        if reforms is None:
            return {}
        names = [reforms] if isinstance(reforms, str) else list(reforms)
        chosen: dict[str, str] = {}
        for name in names:
            if name not in REFORMS:
                raise Unexpressible(f"reform {name} has no reading in the restatement")
            chosen.update(REFORMS[name])
        return chosen

    def _checks_of(
        self,
        period: str,
        inputs: dict[str, Any],
        outputs: dict[str, Any],
        readings: dict[str, str],
        label: str,
    ) -> Iterator[Check]:
        grouped = "persons" in inputs or "household" in inputs or "households" in inputs
        if grouped:
            household_inputs, members = self._group(inputs)
        else:
            household_inputs, members = self._single(inputs)
        wanted: list[tuple[str, str | None, Any]] = []
        for key, value in outputs.items():
            if key in ("persons", "household", "households"):
                entities = value if key != "household" else {"household": value}
                for member, values in entities.items():
                    for variable, expected in (values or {}).items():
                        who = member if key == "persons" else None
                        wanted.append((variable, who, expected))
            else:
                person = VARIABLES.get(key, Variable("", "person", "")).entity == "person"
                who = SOLE_PERSON if person and self.takes_members else None
                wanted.append((key, who, value))
        for variable, member, expected in wanted:
            if variable not in VARIABLES:
                raise Unexpressible(f"output {variable} has no counterpart in the restatement")
            per_period = expected if isinstance(expected, dict) else {period: expected}
            for at, value in per_period.items():
                at_text = period_text(at)
                case = self._case(at_text, period, household_inputs, members, readings)
                where = (
                    f"{variable}{label}" + (f" of {member}" if member else "") + f" for {at_text}"
                )
                yield Check(case, variable, member, value, where)

    def _single(self, inputs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        household: dict[str, Any] = {}
        person: dict[str, Any] = {}
        for key, value in inputs.items():
            variable = self._input(key)
            (person if variable.entity == "person" else household)[key] = value
        if not self.takes_members:
            return {**household, **person}, {}
        return household, {SOLE_PERSON: {"role": "adults", **person}}

    def _group(self, inputs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        if not self.takes_members:
            raise Unexpressible(
                "the test describes a household with members; the restatement declares no group yet"
            )
        if "households" in inputs:
            raise Unexpressible("several households in one test")
        household = dict(inputs.get("household") or {})
        persons = {str(k): dict(v or {}) for k, v in (inputs.get("persons") or {}).items()}
        members: dict[str, dict[str, Any]] = {
            name: dict(values) for name, values in persons.items()
        }
        for role in ("adults", "children"):
            for name in household.pop(role, []) or []:
                members.setdefault(str(name), {})["role"] = role
        for name, values in members.items():
            if "role" not in values:
                raise Unexpressible(f"person {name} has no role in the household")
            for key in values:
                if key != "role" and self._input(key).entity != "person":
                    raise Unexpressible(f"{key} is a household variable given for person {name}")
        for key in household:
            if self._input(key).entity != "household":
                raise Unexpressible(f"{key} is a person's variable given for the household")
        return household, members

    def _input(self, key: str) -> Variable:
        variable = VARIABLES.get(key)
        if variable is None:
            raise Unexpressible(f"input {key} has no counterpart in the restatement")
        if variable.kind != "input" and variable.given_as is None:
            raise Unexpressible(f"{key} is computed by the restatement and cannot be given")
        return variable

    def _case(
        self,
        period: str,
        test_period: str,
        household: dict[str, Any],
        members: dict[str, dict[str, Any]],
        readings: dict[str, str],
    ) -> dict[str, Any]:
        # Evaluated on the period's first day: the language's rule for a case with a period.
        case: dict[str, Any] = {"policy": self.doc_number, "period": period}
        case["inputs"] = self._inputs(household, test_period)
        if members:
            case["members"] = {
                name: {
                    "role": ROLES[values["role"]],
                    "inputs": self._inputs(
                        {k: v for k, v in values.items() if k != "role"}, test_period
                    ),
                }
                for name, values in members.items()
            }
        if readings:
            case["readings"] = dict(readings)
        return case

    def _inputs(self, given: Mapping[str, Any], test_period: str) -> dict[str, Any]:
        """OpenFisca's inputs as the restatement's: a computed variable given directly is its
        `given_as` input."""
        inputs: dict[str, Any] = {}
        for key, value in given.items():
            variable = VARIABLES[key]
            if variable.given_as is not None:
                name = variable.given_as
                inputs[name] = self._value(key, value, test_period, name)
            else:
                inputs[variable.name] = self._value(key, value, test_period, variable.name)
        return inputs

    def _value(self, key: str, value: Any, test_period: str, name: str) -> Any:
        """A value as the case gives it. OpenFisca sets a scalar input for the test's period:
        for an input the restatement reads per period, that is a map {test period: value}; a
        map is given as such (the language refuses one for an input it does not read per
        period, and the test fails saying so)."""
        variable = VARIABLES[key]
        if not isinstance(value, dict) and name in self.periodic:
            value = {test_period: value}
        if isinstance(value, dict):
            return {period_text(p): self._scalar(variable, v) for p, v in value.items()}
        return self._scalar(variable, value)

    @staticmethod
    def _scalar(variable: Variable, value: Any) -> Any:
        if variable.members:
            if str(value) not in variable.members:
                raise Unexpressible(f"{value!r} is not a member of {variable.name}")
            return variable.members[str(value)]
        if isinstance(value, datetime.date | bool):
            return value.isoformat() if isinstance(value, datetime.date) else value
        if isinstance(value, int | Decimal):
            return Decimal(value)
        raise Unexpressible(f"input value {value!r} for {variable.name} is not read")


def _vector_width(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> int:
    widths = {len(v) for v in (*inputs.values(), *outputs.values()) if isinstance(v, list)}
    widths -= {0}
    if len(widths) > 1:
        raise Unexpressible(f"vectors of different lengths {sorted(widths)}")
    lists_in_groups = any(isinstance(v, list) for v in inputs.get("household", {}) or {})
    if lists_in_groups:
        raise Unexpressible("vectors inside a household")
    return widths.pop() if widths else 0


def _at(values: Mapping[str, Any], position: int) -> dict[str, Any]:
    return {k: (v[position] if isinstance(v, list) else v) for k, v in values.items()}


# ---- evaluation and comparison ---------------------------------------------------------------


def amended_policy_text(text: str, overrides: Mapping[str, Any]) -> str:
    """The restatement with OpenFisca's inline `parameters:` override applied: each overridden
    parameter's `define NAME = dated { … }` replaced by the override's dated values."""
    for path, node in _parameter_leaves(overrides, ""):
        if path not in PARAMETERS:
            raise Unexpressible(f"parameter {path} has no counterpart in the restatement")
        name, measure = PARAMETERS[path]
        values = node.get("values") if isinstance(node, dict) else None
        if not isinstance(values, dict) or not values:
            raise Unexpressible(f"parameter {path}: only a `values:` override is restated")
        rows = []
        for start, entry in sorted(values.items(), key=lambda kv: str(kv[0])):
            raw = entry.get("value") if isinstance(entry, dict) else entry
            if raw is None:
                raise Unexpressible(f"parameter {path}: an ended value is not restated")
            number = Decimal(raw) * 100 if measure == "%" else Decimal(raw)
            written = f"{_plain(number)}%" if measure == "%" else f"{_plain(number)} {measure}"
            rows.append(f'    from {start}: {written} "test override",')
        pattern = re.compile(r"define " + re.escape(name) + r" = dated \{.*?\n\}", re.DOTALL)
        replacement = "define " + name + " = dated {\n" + "\n".join(rows) + "\n}"
        text, count = pattern.subn(replacement.replace("\\", "\\\\"), text, count=1)
        if count != 1:
            raise Unexpressible(f"parameter {path}: `define {name} = dated {{…}}` not found")
    return text


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _parameter_leaves(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict) and "values" in node:
        yield prefix, node
        return
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _parameter_leaves(child, f"{prefix}.{key}" if prefix else str(key))
        return
    raise Unexpressible(f"parameter override at {prefix or 'top'} is not a parameter node")


class PeerSuite:
    """The restatement compiled once (and once per parameter override), and each test run."""

    def __init__(self, policy_file: Path = POLICY_FILE):
        self.policy_file = policy_file
        self.policy = compile_policy(policy_file)
        self._amended: dict[str, CompiledPolicy] = {}

    def _policy_for(self, test: PeerTest) -> CompiledPolicy:
        overrides = test.data.get("parameters")
        if not overrides:
            return self.policy
        text = amended_policy_text(self.policy_file.read_text(encoding="utf-8"), overrides)
        if text not in self._amended:
            folder = Path(tempfile.mkdtemp(prefix="policyc-peer-"))
            for sibling in self.policy_file.parent.iterdir():
                if sibling.is_file():
                    (folder / sibling.name).write_bytes(sibling.read_bytes())
            amended = folder / self.policy_file.name
            amended.write_text(text, encoding="utf-8")
            self._amended[text] = compile_policy(amended)
        return self._amended[text]

    def run(self, test: PeerTest) -> Outcome:
        try:
            policy = self._policy_for(test)
            checks = list(Translator(policy).checks(test))
        except Unexpressible as exc:
            return Outcome(test, (f"cannot be expressed: {exc}",), 0)
        failures: list[str] = []
        for check in checks:
            problem = self._compare(policy, check)
            if problem:
                failures.append(f"{check.where}: {problem}")
        return Outcome(test, tuple(failures), len(checks))

    def _compare(self, policy: CompiledPolicy, check: Check) -> str:
        try:
            case = case_from_data(check.case, policy.checked, "translated case")
        except InputError as exc:
            return f"the translated case is refused: {exc}"
        if case.on is None:
            return "the translated case has no date"
        variable = VARIABLES[check.variable]
        try:
            if variable.kind == "input":
                actual = _input_value(policy, case, variable, check.member)
                return _compare_value(actual, check.expected, variable)
            results = {
                r.info.name: r
                for r in policy.evaluate(case.inputs, case.on, case.readings, case.received)
            }
        except Unexpressible as exc:
            return str(exc)
        result = results.get(variable.name)
        if result is None:
            return f"the restatement has no rule or decision {variable.name}"
        if check.member is not None:
            by_member = {m.member: m for m in result.members or ()}
            if check.member not in by_member:
                return f"{variable.name} is not evaluated per member"
            decision = result.info.role == "decision"
            return _compare_result(by_member[check.member], check.expected, variable, decision)
        return _compare_result(result, check.expected, variable, result.info.role == "decision")


def _input_value(policy: CompiledPolicy, case: Case, variable: Variable, member: str | None) -> Any:
    """An input's value as the evaluation reads it for the case's period: given, or its
    declared default (prepared as `CompiledPolicy.evaluate` prepares a household case)."""
    people = policy.checked.people
    inputs: Mapping[str, Any] = case.inputs
    if people.periods or people.group:
        assert case.on is not None
        plan = PeriodPlan(
            people.period_of, people.flows, people.member_inputs, dict(people.defaults)
        )
        prepared = prepare(case.inputs, case.on, plan)
        inputs = prepared
        if member is not None:
            found = [m for m in prepared.members if m.name == member]
            if not found:
                raise Unexpressible(f"member {member} is not in the case")
            inputs = found[0].values
    if variable.name not in inputs:
        raise Unexpressible(f"input {variable.name} has no value in the case")
    return inputs[variable.name]


def _compare_value(actual: Any, expected: Any, variable: Variable) -> str:
    if variable.members:
        want = variable.members.get(str(expected), str(expected))
        return "" if actual == want else f"expected {want}, got {actual}"
    if isinstance(expected, bool):
        return "" if actual is expected else f"expected {expected}, got {actual}"
    if isinstance(actual, Quantity):
        return _compare_number(actual, expected, variable.measure)
    return "" if actual == expected else f"expected {expected!r}, got {actual!r}"


def _compare_number(actual: Quantity, expected: Any, measure: str) -> str:
    """Money to the cent (both sides rounded half up to 0.01); any other measure exactly."""
    want = exact_number(expected)
    if measure != "元":
        wanted = Quantity.of(Decimal(want.numerator) / Decimal(want.denominator), measure)
        return (
            ""
            if actual == wanted
            else f"expected {format_quantity(wanted)}, got {format_quantity(actual)}"
        )
    unit = Quantity.of(1, measure)
    if actual.dims != unit.dims:
        return f"expected an amount in {measure}, got {format_quantity(actual)}"
    if to_cent(actual.value) == to_cent(want):
        return ""
    return f"expected {to_cent(want)} {measure} (to the cent), got {format_quantity(actual)}"


def _compare_result(
    result: RuleResult | MemberResult, expected: Any, variable: Variable, decision: bool
) -> str:
    """A rule's or a decided value's outcome (or one member's) against the expected value: a
    rule that does not apply is OpenFisca's default, 0."""
    if decision:
        value = result.value
        if value is None:
            return f"{variable.name} is {result.status} ({result.reason})"
        return _compare_value(value, expected, variable)
    if result.status == "applies" and result.amount is not None:
        return _compare_number(result.amount, expected, variable.measure)
    if result.status in ("not_applicable", "not_in_force"):
        zero = exact_number(expected) == 0
        return "" if zero else f"expected {expected}, got {result.status} ({result.reason})"
    return (
        f"expected {expected}, got {result.status} ({result.reason or ', '.join(result.missing)})"
    )


def run_all() -> list[Outcome]:
    """Every OpenFisca test of the installed package run against the restatement."""
    suite = PeerSuite()
    return [suite.run(test) for test in peer_tests()]


def table(outcomes: list[Outcome]) -> str:
    """Passes per file, as a plain table, and the total."""
    by_file: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_file.setdefault(outcome.test.file, []).append(outcome)
    width = max((len(f) for f in by_file), default=4)
    lines = [f"{'file'.ljust(width)}  passed"]
    for file, items in by_file.items():
        passed = sum(o.passed for o in items)
        lines.append(f"{file.ljust(width)}  {passed}/{len(items)}")
    total = sum(o.passed for o in outcomes)
    lines.append(f"{'total'.ljust(width)}  {total}/{len(outcomes)}")
    return "\n".join(lines)
