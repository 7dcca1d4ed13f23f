"""Synthetic arrivals (pure): briefs by hour and weekday in each manager's timezone, their tasks'
work types, priorities, estimates, actual effort, due dates, dependencies, and what will happen to
each task once someone works on it (blocks, reviews, revisions).

Everything is drawn here, once, from the seed: every strategy and every what-if of a run faces
the very same work, so their differences come from routing and the team alone.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from broker.planning.engine_bridge import WORK_TYPES, to_utc
from broker.planning.scenario import Behaviour, Scenario, Workload

DEFAULT_SKILLS = {w["slug"]: tuple((s["skill"], s["min_level"]) for s in w["default_skills"])
                  for w in WORK_TYPES}
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class TaskSpec:
    """One task as it arrives, with the draws that decide how its work goes."""

    id: int
    brief_id: int
    manager: int              # index into the scenario's managers
    posted_at: datetime
    work_type: str
    priority: str
    estimate_hours: float
    effort_hours: float       # the work it really takes to the first submission
    skills: tuple             # ((skill, min_level), ...)
    due_at: datetime | None
    needs_overlap: bool
    after: int | None         # a sibling task that must be approved first
    revisions: int            # rounds of changes the manager will ask for
    revision_hours: float
    block_at: float | None    # hours of work done when it blocks (waiting on the manager)
    block_hours: float        # the manager's working hours until it is unblocked
    review_hours: tuple       # the manager's working hours until each decision


def arrivals(scenario: Scenario) -> list[TaskSpec]:
    """Every task posted during the scenario's weeks, in posting order."""
    rng = np.random.default_rng(scenario.seed)
    load = scenario.workload
    briefs = _brief_times(scenario, rng)
    tasks: list[TaskSpec] = []
    for brief_id, (posted, manager) in enumerate(briefs, start=1):
        count = int(rng.integers(load.tasks_per_brief[0], load.tasks_per_brief[1] + 1))
        for index in range(count):
            after = tasks[-1].id if index and rng.random() < load.dependency_share else None
            tasks.append(_task(len(tasks) + 1, brief_id, manager, posted, after, scenario, rng))
    return tasks


def _brief_times(scenario: Scenario, rng) -> list[tuple[datetime, int]]:
    """Posting instants as a Poisson process whose rate follows each manager's local week."""
    load, managers = scenario.workload, scenario.managers
    per_brief = (load.tasks_per_brief[0] + load.tasks_per_brief[1]) / 2
    briefs_per_week = load.tasks_per_week / per_brief
    shares = np.array([m.share for m in managers], dtype=float)
    shares /= shares.sum()
    week_weight = sum(load.weekday_weights) * sum(load.hour_weights) or 1.0
    hours = int(scenario.weeks * 7 * 24)
    out = []
    for m, manager in enumerate(managers):
        zone = ZoneInfo(manager.timezone)
        rate = briefs_per_week * shares[m] / week_weight
        for h in range(hours):
            at = scenario.start + h * HOUR
            local = at.astimezone(zone)
            expected = rate * load.weekday_weights[local.weekday()] * load.hour_weights[local.hour]
            for _ in range(int(rng.poisson(expected))):
                out.append((at + timedelta(seconds=int(rng.integers(0, 3600))), m))
    return sorted(out, key=lambda item: (item[0], item[1]))


def _weighted(options: dict, rng) -> str:
    names = sorted(options)
    weights = np.array([options[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


def _task(task_id: int, brief_id: int, manager: int, posted: datetime, after, scenario: Scenario,
          rng) -> TaskSpec:
    load, behaviour = scenario.workload, scenario.behaviour
    work_type, priority = _weighted(load.work_types, rng), _weighted(load.priorities, rng)
    low, high = load.estimate_hours.get(work_type, load.estimate_hours.get("default", (1, 6)))
    scale = load.estimate_scale.get(priority, 1.0)
    estimate = max(0.5, round(float(rng.uniform(low, high)) * scale * 2) / 2)
    effort = estimate * load.effort_median * float(np.exp(rng.normal(0, load.effort_sigma)))
    return TaskSpec(
        id=task_id, brief_id=brief_id, manager=manager, posted_at=posted, work_type=work_type,
        priority=priority, estimate_hours=estimate,
        effort_hours=round(effort, 4), skills=_skills(work_type, load, rng),
        due_at=_due(posted, scenario.managers[manager].timezone, load, rng),
        needs_overlap=bool(rng.random() < load.overlap_share), after=after,
        **_work_draws(effort, behaviour, rng))


def _skills(work_type: str, load: Workload, rng) -> tuple:
    raise_level = rng.random() < load.level_raise_share
    return tuple((skill, min(level + int(raise_level), 5))
                 for skill, level in DEFAULT_SKILLS.get(work_type, ()))


def _due(posted: datetime, tz: str, load: Workload, rng) -> datetime | None:
    """End of the manager's working day (17:00 local) a few days ahead, for some tasks."""
    if rng.random() >= load.due_share:
        return None
    days = int(rng.integers(load.due_days[0], load.due_days[1] + 1))
    local = posted.astimezone(ZoneInfo(tz))
    due = datetime.combine(local.date() + timedelta(days=days), datetime.min.time().replace(hour=17),
                           tzinfo=ZoneInfo(tz))
    while due <= posted:
        due += timedelta(days=1)
    return to_utc(due)


def _work_draws(effort: float, behaviour: Behaviour, rng) -> dict:
    revisions = int(rng.random() < behaviour.changes_share)
    blocks = rng.random() < behaviour.block_share
    return {
        "revisions": revisions,
        "revision_hours": round(max(0.25, effort * behaviour.revision_effort), 4),
        "block_at": round(effort * float(rng.uniform(0.1, 0.9)), 4) if blocks else None,
        "block_hours": float(rng.uniform(*behaviour.block_hours)),
        "review_hours": tuple(float(rng.uniform(*behaviour.review_hours)) for _ in range(2)),
    }
