"""A run's numbers, reckoned the way the SLA report reckons stored tasks (sla.reporting's own
per-task line and sla.report_figures.summarise), plus what only a simulation knows: utilization."""
from collections import Counter

from broker.planning.engine_bridge import clock_status, report_record, summarise, working_hours_between
from broker.planning.sla_book import first


def results(sim) -> dict:
    """One strategy's row of the contract's `results` (API.md, Planning), with a few extras."""
    as_of = sim.now
    records, ack = [], Counter()
    for task in sim.tasks:
        clocks = sim.sla.clocks(task)
        records.append(report_record(task.spec.work_type, task, clocks, sim.sla.weeks, as_of))
        clock = first(clocks, "ack")
        if clock is not None:
            ack[clock_status(clock, as_of)[0]] += 1
    total = summarise("total", records)
    decided_ack = ack["met"] + ack["breached"]
    states = Counter(t.state or "pending" for t in sim.tasks)
    return {
        "strategy": sim.strategy.name,
        "tasks": total["tasks"],
        "turnaround_attainment_pct": total["attainment_pct"],
        "ack_attainment_pct": round(100 * ack["met"] / decided_ack, 1) if decided_ack else None,
        "median_cycle_hours": total["median_cycle_hours"],
        "p90_cycle_hours": total["p90_cycle_hours"],
        "hours_lost": total["hours_lost"],
        "breaches": total["breaches"],
        "declined": sim.counts["declined"],
        "expired": sim.counts["expired"],
        "withdrawn": sim.counts["withdrawn"],
        "offers": sim.counts["offers"],
        "rounds": sim.counts["rounds"],
        "approved": states["approved"],
        "open_at_end": sum(n for state, n in states.items() if state != "approved"),
        "utilization_by_timezone": utilization(sim),
        "by_work_type": by_work_type(records),
    }


def by_work_type(records: list) -> list[dict]:
    groups: dict = {}
    for record in records:
        groups.setdefault(record.group, []).append(record)
    return [summarise(name, groups[name]) for name in sorted(groups)]


def utilization(sim) -> dict:
    """Per timezone, the share (%) of the specialists' working time (less time off) spent working,
    over the scenario's weeks."""
    worked: Counter = Counter()
    available: Counter = Counter()
    for worker in sim.workers:
        tz = worker.person.timezone
        worked[tz] += worker.worked_hours
        available[tz] += working_hours_between(worker.week, sim.start, sim.horizon)
    return {tz: round(100 * worked[tz] / available[tz], 1) if available[tz] else None
            for tz in sorted(available)}
