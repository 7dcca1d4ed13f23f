"""Filter, score and assign one routing round (pure: plain data in, decisions out).

Every factor is a number between 0 and 1 and the score is their weighted sum. A specialist's
k-th new task of a round is scored as if k tasks of the same size were ahead of it, so each
(task, specialist, place) pair has a fixed score: the round's total can be compared exactly with
an optimal assignment over the same places (see bench/routing.py).
"""
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from broker.people.business_hours import WorkWeek, working_spans
from broker.routing.model import FACTORS, PRIORITY_VALUE, Decision, SpecialistInput, TaskInput, Weights
from broker.routing.timeline import NEVER, FinishTable

PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
LATE_SCALE = 12.0   # hours late at which on_time has fallen to 1/e
SPEED_SCALE = 24.0  # hours to finish at which speed is one half
TOP = 3             # candidates kept in each explanation


@dataclass
class Scored:
    """Scores of some candidates for one task, one entry per candidate."""

    who: np.ndarray       # positions in the round's specialist list
    total: np.ndarray
    factors: np.ndarray   # len(who) x len(FACTORS)
    starts: np.ndarray    # hours from now until each can start
    finishes: np.ndarray  # hours from now until each would finish
    target: float         # hours from now until the task's target


class Round:
    """One round's specialists and tasks as arrays, with the filter and the score."""

    def __init__(self, specialists: list[SpecialistInput], tasks: list[TaskInput],
                 now: datetime, weights: Weights = Weights()):
        self.specialists, self.tasks, self.now = specialists, tasks, now
        self.weights = np.array([getattr(weights, f) for f in FACTORS])
        self.position = {s.id: i for i, s in enumerate(specialists)}
        self.capacity = np.array([max(s.capacity, 1) for s in specialists], dtype=float)
        self.room = np.array([s.capacity - s.load for s in specialists])
        self.load = np.array([s.load for s in specialists], dtype=float)
        self.queued = np.array([s.queued_hours for s in specialists], dtype=float)
        self.record = np.array([s.on_time_record for s in specialists], dtype=float)
        self.active = np.array([s.active for s in specialists], dtype=bool)
        self.off_now = np.array([s.off_now for s in specialists], dtype=bool)
        self.table = FinishTable([s.week for s in specialists], now)
        self.has_hours = self.table.start(np.arange(len(specialists))) < NEVER / 2
        self.ready = self.active & ~self.off_now & self.has_hours
        self._skills(specialists, tasks)
        self._qualified: dict = {}
        self._brief_mask: dict = {}
        self._overlap: dict = {}

    def _skills(self, specialists, tasks):
        names = sorted({k for s in specialists for k in s.skills} | {k for t in tasks for k, _ in t.skills})
        self.skill_index = {name: i for i, name in enumerate(names)}
        self.levels = np.zeros((len(specialists), max(len(names), 1)), dtype=np.int8)
        for row, s in enumerate(specialists):
            for skill, level in s.skills.items():
                self.levels[row, self.skill_index[skill]] = level

    # --- filter ---------------------------------------------------------------------------------

    def qualified(self, skills: tuple) -> tuple[np.ndarray, np.ndarray]:
        """Active specialists with every required skill at its level, and their skill fit."""
        if skills not in self._qualified:
            mask = self.active.copy()
            surplus = np.zeros(len(self.specialists))
            for skill, level in skills:
                have = self.levels[:, self.skill_index[skill]]
                mask &= have >= level
                surplus += np.clip(have - level, 0, 4)
            fit = 1 - surplus / (4 * max(len(skills), 1)) / 2
            self._qualified[skills] = (mask, fit)
        return self._qualified[skills]

    def eligible(self, t: int, used: np.ndarray) -> np.ndarray:
        """Positions of specialists who may be offered task `t`, given places `used` this round."""
        task = self.tasks[t]
        mask = self.qualified(task.skills)[0] & self.ready & (self.room > used)
        for sid in task.excluded:
            if sid in self.position:
                mask[self.position[sid]] = False
        return np.flatnonzero(mask)

    def why_not(self, t: int, used: np.ndarray) -> tuple[str, dict]:
        """Why no specialist can take task `t`, and how many were left out for each reason."""
        task = self.tasks[t]
        mask = self.qualified(task.skills)[0]
        excluded = np.zeros(len(self.specialists), dtype=bool)
        excluded[[self.position[s] for s in task.excluded if s in self.position]] = True
        counts = {
            "qualified": int(mask.sum()),
            "declined_or_lapsed": int((mask & excluded).sum()),
            "time_off": int((mask & self.off_now).sum()),
            "no_hours": int((mask & ~self.has_hours).sum()),
            "at_capacity": int((mask & ~excluded & self.ready & (self.room <= used)).sum()),
        }
        if not counts["qualified"]:
            return self._skill_gap(task.skills), counts
        parts = [f"{n} {label}" for key, label in (
            ("at_capacity", "at capacity"), ("time_off", "on time off"),
            ("declined_or_lapsed", "declined it or let the offer lapse"),
            ("no_hours", "without working hours")) if (n := counts[key])]
        return (f"all {counts['qualified']} qualified specialists are unavailable: "
                + ", ".join(parts)), counts

    def _skill_gap(self, skills: tuple) -> str:
        if not skills:
            return "no active specialist"
        for skill, level in skills:
            if not (self.active & (self.levels[:, self.skill_index[skill]] >= level)).any():
                return f"no active specialist has {skill} level {level}"
        wanted = ", ".join(f"{skill} level {level}" for skill, level in skills)
        return f"no active specialist has all of {wanted}"

    # --- score ----------------------------------------------------------------------------------

    def scores(self, t: int, who: np.ndarray, place: np.ndarray) -> Scored:
        """Score candidates `who` for task `t`, each taking their `place`-th new task this round."""
        task = self.tasks[t]
        est = task.estimate_hours
        finishes = self.table.finish(who, self.queued[who] + (place + 1) * est)
        target = (task.target_at - self.now).total_seconds() / 3600
        factors = np.empty((len(who), len(FACTORS)))
        factors[:, 0] = np.where(finishes <= target, 1.0,
                                 np.exp(-np.minimum(finishes - target, 1e6) / LATE_SCALE))
        factors[:, 1] = 1 / (1 + finishes / SPEED_SCALE)
        factors[:, 2] = self.qualified(task.skills)[1][who]
        factors[:, 3] = np.clip(1 - (self.load[who] + place) / self.capacity[who], 0, 1)
        factors[:, 4] = self.record[who]
        factors[:, 5] = self._briefs(task.brief_id)[who]
        factors[:, 6] = self._overlap_share(task.manager_week)[who] if task.needs_overlap else 0.0
        factors[:, 7] = PRIORITY_VALUE[task.priority]
        return Scored(who, factors @ self.weights, factors, self.table.start(who), finishes, target)

    def _briefs(self, brief_id: int) -> np.ndarray:
        if brief_id not in self._brief_mask:
            self._brief_mask[brief_id] = np.array(
                [brief_id in s.briefs for s in self.specialists], dtype=float)
        return self._brief_mask[brief_id]

    def _overlap_share(self, manager: WorkWeek | None) -> np.ndarray:
        """Share of each specialist's coming week of hours that the manager also works."""
        if manager is None:
            return np.zeros(len(self.specialists))
        key = (manager.tz, str(manager.hours))
        if key not in self._overlap:
            self._overlap[key] = np.array([_overlap(s.week, manager, self.now)
                                           for s in self.specialists])
        return self._overlap[key]

    def order(self) -> list[int]:
        """Task positions, most urgent first: priority, then target, then age."""
        return sorted(range(len(self.tasks)), key=lambda t: (
            PRIORITY_RANK[self.tasks[t].priority], self.tasks[t].target_at,
            self.tasks[t].created_at, self.tasks[t].id))


def _overlap(week: WorkWeek, other: WorkWeek, now: datetime) -> float:
    from datetime import timedelta
    end = now + timedelta(days=7)
    mine = list(working_spans(week, now, end))
    theirs = list(working_spans(other, now, end))
    total = sum((e - s).total_seconds() for s, e in mine)
    if not total:
        return 0.0
    shared = sum(max(0.0, (min(e1, e2) - max(s1, s2)).total_seconds())
                 for s1, e1 in mine for s2, e2 in theirs)
    return shared / total


def assign_round(rnd: Round) -> list[Decision]:
    """Assign the round's tasks together, most urgent first, each to the best-scoring eligible
    specialist with a free place; the places a task takes are gone for the tasks after it."""
    used = np.zeros(len(rnd.specialists), dtype=np.int64)
    decisions = []
    for t in rnd.order():
        who = rnd.eligible(t, used)
        task_id = rnd.tasks[t].id
        if not len(who):
            reason, counts = rnd.why_not(t, used)
            decisions.append(Decision(task_id, None, reason=reason, filtered=counts))
            continue
        scored = rnd.scores(t, who, used[who])
        top = np.argsort(-scored.total, kind="stable")[:TOP]
        winner = who[top[0]]
        used[winner] += 1
        decisions.append(Decision(task_id, rnd.specialists[winner].id, candidates=[
            (int(who[i]), float(scored.total[i]), scored.factors[i], float(scored.starts[i]),
             float(scored.finishes[i]), scored.target) for i in top], considered=len(who)))
    return decisions
