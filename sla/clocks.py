"""SLA clocks of one task, derived from its history (pure: plain data in, plain data out).

Acknowledgement runs from posting until the first accept or claim; turnaround from posting until
the first submission; each request for changes starts a revision clock that runs until the next
submission. Time blocked does not count: finished blocks are cut out of the calendar, and a block
still running pauses the clock (its instants are then those it would have if it resumed at once).
"""
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from broker.worktime.arithmetic import WorkWeek, add_working_hours, working_hours_between

ACK_DONE = frozenset({"accepted", "claimed"})


@dataclass(frozen=True)
class Policy:
    ack_hours: float
    turnaround_hours: float
    warn_at: float
    calendar: str


@dataclass(frozen=True)
class TaskFacts:
    """What the clocks depend on: posting time, estimate, hard due date and (type, at) events."""

    created_at: datetime
    estimate_hours: float
    due_at: datetime | None
    events: tuple


@dataclass(frozen=True)
class Clock:
    target: str
    cycle: int
    calendar: str
    budget_hours: float
    started_at: datetime
    warn_at: datetime
    due_at: datetime
    escalate_at: datetime
    paused_since: datetime | None = None
    met_at: datetime | None = None
    stopped_at: datetime | None = None


CLOCK_FIELDS = tuple(f.name for f in fields(Clock))  # what an sla_clocks row stores of a Clock


def blocked_spans(events) -> tuple[list, datetime | None]:
    """Finished (start, end) blocks, and the start of a block still running (or None)."""
    spans, since = [], None
    for type_, at in events:
        if type_ == "blocked" and since is None:
            since = at
        elif type_ in ("unblocked", "handed_off") and since is not None:
            spans.append((since, at))
            since = None
    return spans, since


def clock_start(created_at: datetime, events, pending: bool) -> datetime | None:
    """When a task's clocks start: at posting, or when its last prerequisite was approved (the
    `dependency_ready` event); None while it is still pending."""
    if pending:
        return None
    released = [at for type_, at in events if type_ == "dependency_ready"]
    return max(released) if released else created_at


def _first(events, types, after: datetime) -> datetime | None:
    return next((at for type_, at in events if type_ in types and at >= after), None)


def deadline(week: WorkWeek, start: datetime, hours: float) -> datetime:
    """When `hours` of working time after `start` have passed (wall time if the week has none)."""
    due = add_working_hours(week, start, hours)
    return due if due is not None else start + timedelta(hours=hours)


def _clock(target, cycle, policy, week, start, hours, grace_hours, cap=None, **ends) -> Clock:
    due = deadline(week, start, hours)
    if cap is not None and cap < due:
        due = max(cap, start)
        hours = working_hours_between(week, start, due)
    return Clock(target, cycle, policy.calendar, hours, start,
                 deadline(week, start, hours * policy.warn_at), due,
                 due + timedelta(hours=grace_hours), **ends)


def turnaround_hours(policy: Policy, estimate_hours: float) -> float:
    """The policy's turnaround, stretched to the estimate when the work itself takes longer."""
    return max(policy.turnaround_hours, estimate_hours)


def compute_clocks(facts: TaskFacts, policy: Policy, week: WorkWeek, revision_share: float,
                   grace_hours: float) -> list[Clock]:
    """Every clock of the task as its history stands."""
    events = sorted(facts.events, key=lambda e: e[1])
    done, running = blocked_spans(events)
    counted = replace(week, closed=tuple(done))
    cancelled = _first(events, {"cancelled"}, facts.created_at)

    def ends(start, met):
        stopped = cancelled if cancelled and (met is None or cancelled < met) else None
        paused = running if running and met is None and stopped is None and running >= start else None
        return {"met_at": None if stopped else met, "stopped_at": stopped, "paused_since": paused}

    start = facts.created_at
    ack_met = _first(events, ACK_DONE, start)
    ack_ends = ends(start, ack_met)
    ack_ends["paused_since"] = None  # nobody holds the task before it is acknowledged
    clocks = [_clock("ack", 0, policy, counted, start, policy.ack_hours, grace_hours, **ack_ends)]
    budget = turnaround_hours(policy, facts.estimate_hours)
    clocks.append(_clock("turnaround", 0, policy, counted, start, budget, grace_hours,
                         cap=facts.due_at, **ends(start, _first(events, {"submitted"}, start))))
    revisions = [at for type_, at in events if type_ == "changes_requested"]
    for cycle, opened in enumerate(revisions, start=1):
        met = _first(events, {"submitted"}, opened)
        clocks.append(_clock("revision", cycle, policy, counted, opened, budget * revision_share,
                             grace_hours, **ends(opened, met)))
    return clocks
