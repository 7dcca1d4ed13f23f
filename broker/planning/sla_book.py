"""A scenario's SLA policies and calendars, and the clocks of a simulated task from its history,
computed by the product's own sla.clocks (plain data in, plain data out)."""
from types import SimpleNamespace

from broker.planning.engine_bridge import Policy, TaskFacts, compute_clocks, week_of
from broker.planning.scenario import Sla


class SlaBook:
    """Policies by (work type, priority) and calendars as working time, read once per run."""

    def __init__(self, sla: Sla):
        self.sla = sla
        self.policies = {(p["work_type"], p["priority"]): Policy(
            p["ack_hours"], p["turnaround_hours"], p.get("warn_at", 0.75), p["calendar"])
            for p in sla.policies}
        self.weeks = {c["name"]: week_of(SimpleNamespace(**c)) for c in sla.calendars}

    def clocks(self, task) -> list:
        """The task's clocks as its history stands (none when no policy covers it)."""
        spec = task.spec
        policy = self.policies.get((spec.work_type, spec.priority))
        if policy is None or task.created_at is None:
            return []
        facts = TaskFacts(task.created_at, spec.estimate_hours, spec.due_at, tuple(task.events))
        return compute_clocks(facts, policy, self.weeks[policy.calendar], self.sla.revision_share,
                              self.sla.grace_hours)


def first(clocks: list, target: str):
    """The clock of `target` ("ack", "turnaround") in its first cycle, or None."""
    return next((c for c in clocks if c.target == target and c.cycle == 0), None)
