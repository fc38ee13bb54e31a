"""The three benchmark rules (rules.policy) in three engines, on the same random cases.

- batch: policyc's batch path on rules.policy as `policyc run --cases FILE.parquet` runs it: the
  numpy engine (cli/batch_vector.py: pyarrow reads the file, int64 fixed point), reading and
  checking the file, evaluating, summing per rule (run_vector); run_batch is the DuckDB path
  (compiler/batch.py) it falls back to for a policy or file the numpy engine does not hold.
- openfisca: OpenFisca-core, the rules written here as OpenFisca variables and formulas; the cases
  are set as numpy arrays (already in memory), then the three variables are calculated and summed.
- numpy: the rules by hand over numpy arrays of integer 分 (fen): exact, and the floor of what
  vectorised code can do.

Each `run_*` returns (seconds, {rule: total in 元 as an exact Decimal}).
"""

from __future__ import annotations

import resource
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
POLICY = HERE / "rules.policy"
RULES = ("物流补贴", "规模奖励", "推荐补贴")
TIERS_YUAN = (
    50_000_000,
    80_000_000,
    100_000_000,
    200_000_000,
    500_000_000,
    800_000_000,
    1_000_000_000,
)
AWARDS_YUAN = (50_000, 80_000, 150_000, 300_000, 500_000, 800_000, 1_500_000)

Arrays = dict[str, np.ndarray]


def generate(n: int, seed: int = 2024) -> Arrays:
    """Random cases; sales cluster within ±2元 of the tier thresholds, so float32 shows."""
    rng = np.random.default_rng(seed)
    orders = rng.integers(0, 8_000_000, n)
    near = rng.random(n) < 0.4
    tiers = np.array(TIERS_YUAN) * 100
    sales = np.where(
        near,
        tiers[rng.integers(0, len(tiers), n)] + rng.integers(-200, 201, n),
        rng.integers(0, 1_200_000_000_00, n),
    )
    prior = np.where(rng.random(n) < 0.5, 0, (sales * rng.random(n) * 1.2).astype(np.int64))
    return {
        "ecommerce": (rng.random(n) < 0.6).astype(np.int8),
        "orders": orders,
        "masks": (orders * rng.random(n) * 0.1).astype(np.int64),
        "sales_fen": sales.astype(np.int64),
        "prior_fen": np.maximum(prior, 0).astype(np.int64),
        "staff": rng.integers(0, 120, n),
        "n12": rng.integers(0, 30, n),
        "n6": rng.integers(0, 30, n),
    }


# ---- numpy over integer fen ---------------------------------------------------------------------


def run_numpy(a: Arrays) -> tuple[float, dict[str, Decimal]]:
    start = time.perf_counter()
    logistics = np.where(
        a["ecommerce"] == 1, np.minimum(20 * (a["orders"] - a["masks"]), 100_000_000), 0
    )
    thresholds = np.array(TIERS_YUAN, dtype=np.int64) * 100
    awards = np.array((0, *AWARDS_YUAN), dtype=np.int64) * 100
    now = np.searchsorted(thresholds, a["sales_fen"], side="right")
    before = np.searchsorted(thresholds, a["prior_fen"], side="right")
    scale = np.where(now > before, awards[now], 0)
    referral = np.where(a["staff"] >= 50, 100_000 * a["n12"] + 50_000 * a["n6"], 0)
    totals = [int(x.sum()) for x in (logistics, scale, referral)]
    seconds = time.perf_counter() - start
    return seconds, {r: Decimal(t) / 100 for r, t in zip(RULES, totals, strict=True)}


# ---- OpenFisca-core ---------------------------------------------------------------------------


def openfisca_system() -> Any:
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem  # type: ignore[import-untyped]
    from openfisca_core.taxscales import SingleAmountTaxScale  # type: ignore[import-untyped]
    from openfisca_core.variables import Variable  # type: ignore[import-untyped]

    enterprise = build_entity(key="enterprise", plural="enterprises", label="企业", is_person=True)

    class EnterpriseType(Enum):
        other = "其他企业"
        ecommerce = "电商企业"

    scale = SingleAmountTaxScale()
    for threshold, award in zip(TIERS_YUAN, AWARDS_YUAN, strict=True):
        scale.add_bracket(threshold, award)

    def variable(name: str, kind: type, formula: Any = None, **extra: Any) -> type:
        attributes = {
            "value_type": kind,
            "entity": enterprise,
            "definition_period": DateUnit.YEAR,
            "label": name,
            **extra,
        }
        if formula is not None:
            attributes["formula"] = formula
        return type(name, (Variable,), attributes)

    def logistics(e: Any, period: Any, parameters: Any) -> Any:
        shipped = e("orders", period) - e("mask_orders", period)
        kind = e("enterprise_type", period)
        return np.where(kind == EnterpriseType.ecommerce, np.minimum(0.2 * shipped, 1_000_000), 0)

    def scale_award(e: Any, period: Any, parameters: Any) -> Any:
        now = scale.calc(e("sales", period))
        before = scale.calc(e("prior_best_sales", period))
        return np.where(now > before, now, 0)

    def referral(e: Any, period: Any, parameters: Any) -> Any:
        amount = 1000 * e("workers_12_months", period) + 500 * e("workers_6_11_months", period)
        return np.where(e("employer_staff", period) >= 50, amount, 0)

    system = TaxBenefitSystem([enterprise])
    system.add_variables(
        variable(
            "enterprise_type",
            Enum,
            possible_values=EnterpriseType,
            default_value=EnterpriseType.other,
        ),
        variable("orders", int),
        variable("mask_orders", int),
        variable("sales", float),
        variable("prior_best_sales", float),
        variable("employer_staff", int),
        variable("workers_12_months", int),
        variable("workers_6_11_months", int),
        variable("logistics_subsidy", float, logistics),
        variable("scale_award", float, scale_award),
        variable("referral_subsidy", float, referral),
    )
    return system


def run_openfisca(a: Arrays, system: Any) -> tuple[float, dict[str, Decimal]]:
    from openfisca_core.simulations import SimulationBuilder  # type: ignore[import-untyped]

    n = len(a["orders"])
    start = time.perf_counter()
    simulation = SimulationBuilder().build_default_simulation(system, n)
    period = "2024"
    simulation.set_input("enterprise_type", period, a["ecommerce"].astype(np.int16))
    simulation.set_input("orders", period, a["orders"])
    simulation.set_input("mask_orders", period, a["masks"])
    simulation.set_input("sales", period, a["sales_fen"] / 100)
    simulation.set_input("prior_best_sales", period, a["prior_fen"] / 100)
    simulation.set_input("employer_staff", period, a["staff"])
    simulation.set_input("workers_12_months", period, a["n12"])
    simulation.set_input("workers_6_11_months", period, a["n6"])
    results = [
        simulation.calculate(v, period)
        for v in ("logistics_subsidy", "scale_award", "referral_subsidy")
    ]
    # Summed in float64 (the best that can be done with float32 results), written to the fen.
    totals = [Decimal(float(r.sum(dtype=np.float64))).quantize(Decimal("0.01")) for r in results]
    seconds = time.perf_counter() - start
    return seconds, dict(zip(RULES, totals, strict=True))


# ---- policyc's batch path -----------------------------------------------------------------------


def write_parquet(a: Arrays, path: Path) -> None:
    """The cases as a case file: one column per input, in each input's measure (元 with 分)."""
    import duckdb

    con = duckdb.connect()
    con.register("cases", dict(a))
    con.execute(
        f"""COPY (SELECT
            CASE WHEN ecommerce = 1 THEN '电商企业' ELSE '其他企业' END AS 企业类型,
            orders AS 年发货量, masks AS 口罩发货量,
            CAST(CAST(sales_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS 年销售收入,
            CAST(CAST(prior_fen AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS 以往最高年销售收入,
            staff AS 用工人数, n12 AS 满12个月人数, n6 AS 满6个月不满12个月人数
        FROM cases) TO '{path}' (FORMAT parquet)"""
    )
    con.close()


STAGES = ("start", "read and check", "query and sums", "close")


def _clocks() -> tuple[float, float]:
    """(wall, CPU) seconds now; CPU of every thread of the process (DuckDB's workers too)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


def run_batch(
    path: Path, stages: dict[str, tuple[float, float]] | None = None
) -> tuple[float, dict[str, Decimal]]:
    """File → totals as `policyc run --cases` does it. With `stages`, also each stage's (wall,
    CPU) seconds, by the names in STAGES: the DuckDB database started (Batch()), the file read
    and every value checked (load; the view `cases`), the query run and summed (evaluate and
    summary: the Parquet scan happens here, the view and the query are one pipeline), and the
    database closed with its private folder."""
    from datetime import date

    from policyc.batch import Batch
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(POLICY)  # from the cache, as `policyc run` finds it
    marks = [_clocks()]
    with Batch(policy) as batch:
        marks.append(_clocks())
        batch.load(path, date(2024, 6, 30))
        marks.append(_clocks())
        program = batch.evaluate(keep=False)
        assert not any(r.fallback for r in program.rules), program.rules
        summary = batch.summary()
        marks.append(_clocks())
    marks.append(_clocks())
    if stages is not None:
        for name, before, after in zip(STAGES, marks[:-1], marks[1:], strict=True):
            stages[name] = (after[0] - before[0], after[1] - before[1])
    seconds = marks[-1][0] - marks[0][0]
    return seconds, {r["rule"]: r["total"] for r in summary["rules"]}


VECTOR_STAGES = ("read, check and evaluate", "summary")


def run_vector(
    path: Path,
    stages: dict[str, tuple[float, float]] | None = None,
    threads: int | None = None,
    cpu_steps: dict[str, float] | None = None,
) -> tuple[float, dict[str, Decimal]]:
    """File → totals as `policyc run --cases FILE.parquet` does it when the numpy engine holds
    the policy (cli/batch_vector.py): the policy compiled for the file (its statistics read),
    then each row group read by pyarrow, checked and evaluated (on every core), then the
    summary. With `stages`, each stage's (wall, CPU) seconds by the names in VECTOR_STAGES;
    with `cpu_steps` too, the CPU seconds of each step of the engine, every thread's added up
    (VectorBatch.cpu: open, read, check, evaluate, sums).
    Fails if the engine refuses the policy or the file (the DuckDB path would run instead)."""
    from datetime import date

    from policyc.batch_vector import VectorBatch, reuse_memory
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(POLICY)
    reuse_memory()  # as `policyc run --cases` does
    marks = [_clocks()]
    batch = VectorBatch(policy, threads=threads)
    reason = batch.prepare(path, date(2024, 6, 30))
    assert reason == "", reason
    marks.append(_clocks())
    summary = batch.summary()
    marks.append(_clocks())
    if stages is not None:
        stages["read, check and evaluate"] = (marks[1][0] - marks[0][0], marks[1][1] - marks[0][1])
        stages["summary"] = (marks[2][0] - marks[1][0], marks[2][1] - marks[1][1])
        if cpu_steps is not None:
            cpu_steps.update(batch.cpu)
    seconds = marks[-1][0] - marks[0][0]
    return seconds, {r["rule"]: r["total"] for r in summary["rules"]}


def read_alone(path: Path, repeats: int = 5) -> float:
    """The CPU seconds pyarrow takes to read every row group of the file on this thread, each
    column into Arrow arrays as the numpy engine asks for them (a text column as a dictionary
    array: as plain strings, 企业类型 alone took 13 ms more at 1,000,000 rows), nothing checked
    or evaluated (the best of `repeats`): the floor of the engine's read step, most of it the
    pages' decompression."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = pq.read_schema(path)
    texts = [field.name for field in schema if pa.types.is_string(field.type)]
    handle = pq.ParquetFile(path, read_dictionary=texts)
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        for group in range(handle.metadata.num_row_groups):
            handle.read_row_group(group, use_threads=False)
        best = min(best, time.thread_time() - start)
    return best


def run_batch_query(path: Path) -> tuple[float, dict[str, Decimal]]:
    """Only the generated query, over cases already loaded into DuckDB and checked (a table):
    the counterpart of OpenFisca's calculate over arrays already set."""
    from datetime import date

    from policyc.batch import Batch
    from policyc.compiler.batch import generate_batch
    from policyc.compiler.pipeline import compile_policy

    policy = compile_policy(POLICY)
    with Batch(policy) as batch:
        batch.load(path, date(2024, 6, 30))
        batch.con.execute("CREATE TABLE loaded AS SELECT * FROM cases")
        program = generate_batch(batch.checked, batch.readings, batch.types)
        sql = program.sql.replace("FROM cases", "FROM loaded")
        sums = ", ".join(f"sum(a{r.index})" for r in program.rules)
        start = time.perf_counter()
        row = batch.con.execute(f"SELECT {sums} FROM ({sql})").fetchone()
        seconds = time.perf_counter() - start
    assert row is not None
    return seconds, {r.name: Decimal(t or 0) for r, t in zip(program.rules, row, strict=True)}
