"""The `demo` scenario: the demo organisation of `broker demo` (its tables, not a copy) under a
steady load of marketing work shaped like its briefs."""
from datetime import timedelta

import pendulum

from broker.cli import demo_data as org
from broker.people.roles import MANAGER
from broker.planning.engine_bridge import to_utc
from broker.planning.scenario import Manager, Person, Scenario, Workload
from broker.planning.scenario_schema import DEFAULT_START

DEMO_SEED = 7
DEMO_LOAD = Workload(
    tasks_per_week=150,
    work_types={"video_editing": 3, "paid_media": 3, "content_scheduling": 1.5, "social_ops": 2,
                "design": 2, "copywriting": 2.5, "reporting": 1.5},
    priorities={"urgent": 1, "high": 4, "normal": 11, "low": 4},
    estimate_hours={"video_editing": (3, 8), "paid_media": (2, 6), "content_scheduling": (1, 3),
                    "social_ops": (2, 6), "design": (2, 6), "copywriting": (1, 4),
                    "reporting": (2, 6), "default": (2, 5)},
)


def demo_scenario(weeks: int = 4, seed: int = DEMO_SEED) -> Scenario:
    """The demo team (active specialists, with their time off) and its managers, from a Monday."""
    start = to_utc(pendulum.parse(DEFAULT_START))
    people = tuple(Person(p.name, p.timezone, org.HOURS[p.hours], p.capacity, dict(p.skills),
                          time_off=_time_off(p.handle, p.timezone, start))
                   for p in org.SPECIALISTS if p.active)
    managers = tuple(Manager(m.name, m.timezone) for m in org.STAFF if m.role == MANAGER)
    return Scenario("demo", start, weeks, seed, people, managers, DEMO_LOAD, hours=dict(org.HOURS))


def _time_off(handle: str, tz: str, start) -> tuple:
    """The demo's time off, counted in days from the scenario's start instead of from today."""
    spans = []
    for entry in org.TIME_OFF:
        if entry.handle != handle:
            continue
        first = pendulum.instance(start).in_timezone(tz).start_of("day").add(
            days=max(entry.starts_in_days, 0))
        days = entry.days + min(entry.starts_in_days, 0)
        spans.append((to_utc(first), to_utc(first) + timedelta(days=days)))
    return tuple(spans)
