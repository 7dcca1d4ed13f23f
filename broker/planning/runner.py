"""Run strategies over one scenario's arrivals and gather the contract's JSON shape."""
import time
from dataclasses import replace

from broker.planning.metrics import results
from broker.planning.scenario import Scenario
from broker.planning.simulator import Simulation
from broker.planning.strategies import STRATEGIES
from broker.planning.workload import arrivals

ALL = tuple(STRATEGIES)


def run_strategy(scenario: Scenario, specs: list, strategy: str, progress=None) -> dict:
    """One strategy's results over the given arrivals."""
    started = time.perf_counter()
    sim = Simulation(scenario, specs, STRATEGIES[strategy], progress).run()
    row = results(sim)
    row["seconds"] = round(time.perf_counter() - started, 2)
    return row


def simulate(scenario: Scenario, strategies=("broker",), progress=None) -> dict:
    """`{"seed", "weeks", "results": [...]}`: each strategy over the very same arrivals."""
    specs = arrivals(scenario)
    rows = []
    for i, name in enumerate(strategies):
        report = None if progress is None else (
            lambda share, i=i: progress((i + share) / len(strategies)))
        rows.append(run_strategy(scenario, specs, name, report))
    return {"scenario": scenario.name, "seed": scenario.seed, "weeks": scenario.weeks,
            "start": scenario.start.isoformat(), "specialists": len(scenario.specialists),
            "results": rows}


def with_run_options(scenario: Scenario, weeks: int | None = None, seed: int | None = None) -> Scenario:
    """The scenario with the command line's --weeks and --seed, when given."""
    changes = {k: v for k, v in (("weeks", weeks), ("seed", seed)) if v is not None}
    return replace(scenario, **changes) if changes else scenario
