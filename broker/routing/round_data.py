"""Plain data a routing round works on: specialists, tasks, weights and decisions."""
from dataclasses import dataclass, field
from datetime import datetime

from broker.worktime.arithmetic import WorkWeek

FACTORS = ("on_time", "speed", "skill_fit", "load", "record", "continuity", "overlap", "cost")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; every factor is scored between 0 and 1."""

    on_time: float = 4.0      # projected finish before the task's target
    speed: float = 2.0        # the sooner it is done the better (follow the sun)
    skill_fit: float = 1.0    # levels close to what the task needs keep experts for hard work
    load: float = 1.0         # spread work over the team
    record: float = 1.0       # share of past work submitted on time
    continuity: float = 1.0   # already works on this brief
    overlap: float = 2.0      # shares hours with the manager (only when the task asks)
    cost: float = 0.0         # a lower hourly cost; off unless BROKER_ROUTING_WEIGHTS sets it

    @classmethod
    def from_config(cls, values: dict | None) -> "Weights":
        unknown = set(values or {}) - set(FACTORS)
        if unknown:
            raise ValueError(f"unknown routing weights: {', '.join(sorted(unknown))}")
        return cls(**(values or {}))


@dataclass(frozen=True)
class SpecialistInput:
    """A specialist as routing sees them at the start of a round."""

    id: int
    name: str
    tz: str
    skills: dict          # skill -> level
    capacity: int
    load: int             # places held now (offered, in progress, blocked, changes requested)
    queued_hours: float   # estimate hours of the work they hold
    week: WorkWeek        # working hours, with time off closed
    active: bool = True
    on_time_record: float = 0.8  # smoothed share of submissions before the target
    briefs: frozenset = frozenset()  # briefs they hold work on
    off_now: bool = False  # on time off at the round's instant
    auto_accept: bool = False
    holiday: str | None = None  # "on a public holiday in PH: Rizal Day" when today is one locally
    hourly_cost: float | None = None  # for the cost factor; None: not set (scores as the dearest)
    proposed: dict = field(default_factory=dict)  # skill -> a level proposed, not verified yet


@dataclass(frozen=True)
class TaskInput:
    """A queued task as routing sees it."""

    id: int
    brief_id: int
    priority: str
    estimate_hours: float
    skills: tuple          # ((skill, min_level), ...)
    target_at: datetime    # hard due date, or the default target for its priority
    created_at: datetime
    target_source: str = "due date"  # or "SLA turnaround", or "default for its priority"
    needs_overlap: bool = False
    manager_week: WorkWeek | None = None
    excluded: frozenset = frozenset()  # specialists who declined it or let an offer lapse


@dataclass(frozen=True)
class Candidate:
    """One specialist scored for one task, as an explanation shows them."""

    position: int         # in the round's specialist list
    score: float
    factors: tuple        # one value per FACTORS entry
    starts: float         # hours from now until they can start
    finishes: float       # hours from now until they would finish it
    target: float         # hours from now until the task's target
    full: bool = False    # no place left for it this round


@dataclass
class Decision:
    """What a round decided for one task: the winner (or None and why) and the scored field."""

    task_id: int
    specialist_id: int | None
    reason: str | None = None
    candidates: list = field(default_factory=list)  # [Candidate], the winner first
    considered: int = 0
    filtered: dict = field(default_factory=dict)    # why the others were left out, counted
