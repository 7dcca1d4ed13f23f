"""A planning scenario as plain data: the team, the managers, the load and how people behave.

Scenarios come from a YAML or JSON file (scenario_schema.py checks it field by field; see
scenarios/example.yaml), from the demo organisation (demo.py) or from the live database (live.py).
Everything here is frozen: what-if changes (changes.py) make new scenarios.
"""
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from broker.planning.engine_bridge import CALENDARS, POLICIES, SETTINGS

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


@dataclass(frozen=True)
class Person:
    """A specialist: weekly local hours, skills with levels, capacity, time off (UTC spans)."""

    name: str
    timezone: str
    hours: dict
    capacity: int
    skills: dict
    auto_accept: bool = False
    time_off: tuple = ()
    holidays: frozenset = frozenset()  # local dates: public holidays where they live


@dataclass(frozen=True)
class Manager:
    """An internal manager who posts briefs; `share` weighs how many of the briefs are theirs."""

    name: str
    timezone: str
    share: float = 1.0


WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.9, 0.06, 0.04)  # Monday first, in the manager's zone
ESTIMATE_SCALE = {"urgent": 0.5, "high": 0.8}  # urgent work is mostly small fixes
HOUR_WEIGHTS = (0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.6, 1.0, 1.3, 1.2,
                0.7, 1.0, 1.2, 1.1, 0.9, 0.5, 0.2, 0.1, 0.08, 0.06, 0.04, 0.03)


@dataclass(frozen=True)
class Workload:
    """What arrives: briefs by hour and weekday, work types, priorities, estimates, actual effort."""

    tasks_per_week: float
    work_types: dict                      # slug -> weight
    priorities: dict                      # priority -> weight
    estimate_hours: dict                  # slug (or "default") -> (low, high)
    tasks_per_brief: tuple = (1, 4)
    estimate_scale: dict = field(default_factory=lambda: dict(ESTIMATE_SCALE))  # by priority
    effort_sigma: float = 0.35            # actual effort = estimate x lognormal(median, sigma)
    effort_median: float = 1.0
    level_raise_share: float = 0.15       # tasks that need one level above the work type's default
    due_share: float = 0.35               # tasks with a hard due date ...
    due_days: tuple = (1, 5)              # ... this many days ahead, end of the manager's day
    overlap_share: float = 0.1            # tasks that ask for hours shared with the manager
    dependency_share: float = 0.15        # tasks that wait for the previous task of their brief
    weekday_weights: tuple = WEEKDAY_WEIGHTS
    hour_weights: tuple = HOUR_WEIGHTS


@dataclass(frozen=True)
class Behaviour:
    """How people act on work: answers to offers, blocks, reviews and revisions."""

    decline_rate: float = 0.08
    lapse_rate: float = 0.03              # offers nobody answers (they expire)
    response_share: tuple = (0.05, 0.7)   # answer after this share of the offer's window
    block_share: float = 0.05
    block_hours: tuple = (1.0, 6.0)       # the manager's working hours to unblock
    changes_share: float = 0.2            # submissions the manager sends back once
    revision_effort: float = 0.3          # a revision's effort as a share of the first
    review_hours: tuple = (0.5, 4.0)      # the manager's working hours until a decision


@dataclass(frozen=True)
class Routing:
    """How work reaches people: weights and the product's own settings, and the rounds' pace."""

    weights: dict = field(default_factory=dict)
    every_minutes: float = 5.0            # a routing round at most this often while work waits
    claim_every_minutes: float = 15.0     # how often people look for work in self-claim
    offer_minutes: dict = field(default_factory=lambda: dict(SETTINGS["ROUTING_OFFER_MINUTES"]))
    default_target_hours: dict = field(
        default_factory=lambda: dict(SETTINGS["ROUTING_DEFAULT_TARGET_HOURS"]))
    manager_hours: dict = field(default_factory=lambda: dict(SETTINGS["ROUTING_MANAGER_HOURS"]))


@dataclass(frozen=True)
class Sla:
    """SLA policies and calendars, as the API writes them (the seeded ones by default)."""

    policies: tuple = tuple(POLICIES)
    calendars: tuple = tuple(CALENDARS)
    revision_share: float = SETTINGS["SLA_REVISION_SHARE"]
    grace_hours: float = SETTINGS["SLA_ESCALATION_GRACE_HOURS"]


@dataclass(frozen=True)
class Scenario:
    """Team, managers, load and behaviour over `weeks` weeks from `start`; `seed` repeats a run."""

    name: str
    start: datetime
    weeks: int
    seed: int
    specialists: tuple
    managers: tuple
    workload: Workload
    behaviour: Behaviour = Behaviour()
    routing: Routing = Routing()
    sla: Sla = Sla()
    hours: dict = field(default_factory=dict)  # named weekly hours changes may refer to
    drain_days: float = 7.0  # after the last arrival, time for the open work to finish


def load_scenario(source: str):
    """A scenario by name (`demo`, or a file under scenarios/) or from a YAML/JSON file path."""
    from broker.planning.demo import demo_scenario
    from broker.planning.scenario_schema import scenario_from_text
    if source == "demo":
        return demo_scenario()
    path = Path(source)
    if not path.exists() and (SCENARIOS / f"{source}.yaml").exists():
        path = SCENARIOS / f"{source}.yaml"
    try:
        text = path.read_text()
    except OSError as exc:
        from broker.errors import InvalidInput
        raise InvalidInput(f"Cannot read the scenario {source!r}: {exc.strerror}.",
                           {"scenario": [f"No readable file {source!r} (or use demo)."]}) from None
    return scenario_from_text(text)
