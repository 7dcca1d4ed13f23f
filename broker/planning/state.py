"""The simulation's moving parts as plain data: tasks with their history, specialists at work."""
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from broker.planning.engine_bridge import WorkWeek, working_spans
from broker.planning.scenario import Person
from broker.planning.workload import TaskSpec


@dataclass(eq=False)
class SimTask:
    """A task as the product would hold it: state, assignee, history of (event type, instant)."""

    spec: TaskSpec
    state: str | None = None          # None until posted (or while it waits for a sibling)
    created_at: datetime | None = None
    assignee: int | None = None
    events: list = field(default_factory=list)
    excluded: set = field(default_factory=set)  # declined it, let an offer lapse, had it withdrawn
    offers: int = 0                   # offers made so far (numbers each offer's own draws)
    target_at: datetime | None = None
    ack_due: datetime | None = None
    remaining: float = 0.0            # hours of work left to the next submission
    block_at: float | None = None     # hours of work left when it blocks
    revisions_left: int = 0
    reviews: int = 0
    first_submitted_at: datetime | None = None
    closed_at: datetime | None = None

    # what the product's reads take from a task (sla.reporting, tasks.queries.urgency_key)
    @property
    def id(self) -> int:
        return self.spec.id

    @property
    def priority(self) -> str:
        return self.spec.priority

    @property
    def due_at(self) -> datetime | None:
        return self.spec.due_at

    @property
    def skills(self) -> list:
        return [{"skill": k, "min_level": v} for k, v in self.spec.skills]


@dataclass(eq=False)
class Worker:
    """A specialist: their working time, the work they hold and what they have done."""

    id: int
    person: Person
    week: WorkWeek
    starts: list                      # working spans from the scenario's start, in order
    ends: list
    held: set = field(default_factory=set)      # tasks holding a place (lifecycle.LOADED)
    assigned: set = field(default_factory=set)  # open tasks assigned to them
    pile: list = field(default_factory=list)    # accepted work waiting its turn
    current: SimTask | None = None
    segment: tuple | None = None      # (started_at, hours) of the work under way
    wake_at: datetime | None = None   # a scheduled look at the pile when their day starts
    worked_hours: float = 0.0         # inside the scenario's weeks
    submitted: int = 0                # first submissions of tasks with a due date ...
    on_time: int = 0                  # ... and how many came before it

    @classmethod
    def build(cls, id_: int, person: Person, start: datetime, end: datetime) -> "Worker":
        week = WorkWeek(person.hours, person.timezone, holidays=person.holidays,
                        closed=person.time_off)
        spans = list(working_spans(week, start, end))
        return cls(id_, person, week, [s for s, _ in spans], [e for _, e in spans])

    def working_from(self, at: datetime) -> datetime | None:
        """`at` when it is working time, else the next start (None: no more work ahead)."""
        i = bisect_right(self.ends, at)
        if i == len(self.ends):
            return None
        return max(at, self.starts[i])

    def off_at(self, at: datetime) -> bool:
        return any(s <= at < e for s, e in self.person.time_off)

    @property
    def room(self) -> int:
        return self.person.capacity - len(self.held)
