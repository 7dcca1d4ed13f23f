"""`broker plan`: the smallest team change (specialists added by skill and timezone) that brings
Broker's turnaround attainment to a target, found by simulating candidates on the same arrivals.

Greedy, one specialist at a time: the work types with the most breached turnarounds suggest the skill
(at the highest level their tasks ask for), the hours in which their breached tasks waited suggest
where and when to work (the team's timezones with their named hours, whichever cover most of
them); each candidate is simulated on the same arrivals and the best kept, until the target is
reached, nothing helps any more, or `max_added` is spent.
"""
import json
from collections import Counter
from datetime import timedelta

from broker.planning.changes import DEFAULT_HOURS, apply_changes, parse_change
from broker.planning.engine_bridge import WorkWeek, working_hours_between
from broker.planning.metrics import results
from broker.planning.scenario import Scenario
from broker.planning.simulator import Simulation
from broker.planning.sla_book import first
from broker.planning.strategies import STRATEGIES
from broker.planning.workload import arrivals

WORK_TYPES_TRIED = 2   # work types with the most breached turnarounds, per step
SLOTS_TRIED = 3        # timezones and hours covering most of their breached tasks, per step
WAIT_WINDOW = timedelta(hours=4)  # a new specialist helps a task by working soon after it is posted


def plan(scenario: Scenario, target: float, max_added: int = 8, progress=None) -> dict:
    """Before and after numbers and the changes (as `--change` texts) that reach `target`."""
    specs = arrivals(scenario)
    before_sim = _run(scenario, specs)
    before = results(before_sim)
    added: list[str] = []
    current, current_sim, steps = before, before_sim, []
    while _attainment(current) < target and len(added) < max_added:
        candidates = _candidates(scenario, current_sim)
        best = None
        for n, text in enumerate(candidates):
            if progress:
                progress(min(0.99, (len(added) + n / max(len(candidates), 1)) / max_added),
                         f"trying {', '.join(added + [text])}")
            sim = _run(apply_changes(scenario, [parse_change(t) for t in added + [text]]), specs)
            row = results(sim)
            if best is None or _better(row, best[1]):
                best = (text, row, sim)
        if best is None or not _better(best[1], current):
            break
        added.append(best[0])
        current, current_sim = best[1], best[2]
        steps.append({"change": best[0], "turnaround_attainment_pct": current["turnaround_attainment_pct"],
                      "tried": len(candidates)})
    return {"target": target, "seed": scenario.seed, "weeks": scenario.weeks, "strategy": "broker",
            "reached": _attainment(current) >= target, "changes": _grouped(added),
            "before": before, "after": current, "steps": steps}


def _run(scenario: Scenario, specs: list) -> Simulation:
    return Simulation(scenario, specs, STRATEGIES["broker"]).run()


def _attainment(row: dict) -> float:
    return row["turnaround_attainment_pct"] or 0.0


def _better(row: dict, than: dict) -> bool:
    return (_attainment(row), -row["hours_lost"]) > (_attainment(than), -than["hours_lost"])


def _candidates(scenario: Scenario, sim: Simulation) -> list[str]:
    """`add 1 <work type>:<level> <timezone> [hours=NAME]` for the work types and the working
    times most likely to help."""
    late = Counter(t.spec.work_type for t in sim.tasks if _breached(sim, t))
    texts = []
    for work_type, _ in sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))[:WORK_TYPES_TRIED]:
        level = max((lvl for t in sim.tasks if t.spec.work_type == work_type
                     for _, lvl in t.spec.skills), default=3)
        for zone, hours in _slots(scenario, sim, work_type)[:SLOTS_TRIED]:
            option = f" hours={hours}" if hours and hours != "day" else ""
            texts.append(f"add 1 {work_type}:{level} {zone}{option}")
    return texts


def _slots(scenario: Scenario, sim: Simulation, work_type: str) -> list[tuple]:
    """The team's (timezone, named hours) pairs, plus each timezone's `day`, those whose working
    time covers the first hours of most breached tasks of this work type first."""
    names = {json.dumps(h, sort_keys=True): name for name, h in sorted(scenario.hours.items())}
    slots = {(p.timezone, names.get(json.dumps(p.hours, sort_keys=True))) for p in scenario.specialists}
    slots |= {(zone, "day") for zone, _ in slots}
    slots = {(zone, name) for zone, name in slots if name is None or name in scenario.hours
             or name == "day"}
    late = [t.created_at for t in sim.tasks if t.spec.work_type == work_type and _breached(sim, t)]
    covered: Counter = Counter()
    for zone, name in slots:
        week = WorkWeek(scenario.hours.get(name or "day", DEFAULT_HOURS), zone)
        covered[(zone, name)] = sum(working_hours_between(week, at, at + WAIT_WINDOW) > 0 for at in late)
    return sorted(slots, key=lambda s: (-covered[s], s[0], s[1] or ""))


def _breached(sim: Simulation, task) -> bool:
    clock = first(sim.sla.clocks(task), "turnaround")
    if clock is None:
        return False
    end = clock.met_at or sim.now
    return clock.due_at < end


def _grouped(added: list[str]) -> list[str]:
    """'add 1 X Z' twice reads 'add 2 X Z', in the order first added."""
    counts = Counter(added)
    return [text.replace("add 1 ", f"add {counts[text]} ", 1) for text in dict.fromkeys(added)]
