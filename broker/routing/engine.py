"""The round as arrays: who may take what (filter) and how well (score). Pure: no Flask, no database.

Every factor is a number between 0 and 1 and a pair's score is their weighted sum. A specialist's
k-th new task of a round is scored as if k tasks of the same size were ahead of it, so each
(task, specialist, place) triple has a fixed score: a round's total can be compared exactly with
the optimal assignment over the same places (bench/routing.py). Urgency is not a factor: it is the
order in which tasks get places (see assign.py).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from broker.routing.round_data import FACTORS, SpecialistInput, TaskInput, Weights
from broker.routing.timeline import NEVER, FinishTable
from broker.worktime.arithmetic import WorkWeek, working_spans
from tasks.vocabulary import PRIORITY_RANK

EPOCH_DAY = datetime(1970, 1, 1).toordinal()
LATE_SCALE = 12.0   # hours late at which on_time has fallen to 1/e
SPEED_SCALE = 24.0  # hours to finish at which speed is one half


@dataclass
class Scored:
    """Scores of (task, specialist, place) triples, one entry per triple."""

    total: np.ndarray
    factors: np.ndarray   # n x len(FACTORS)
    starts: np.ndarray    # hours from now until each specialist can start
    finishes: np.ndarray  # hours from now until each would finish the task
    target: np.ndarray    # hours from now until each task's target


class Round:
    """One round's specialists and tasks as arrays, with the filter and the score."""

    def __init__(self, specialists: list[SpecialistInput], tasks: list[TaskInput],
                 now: datetime, weights: Weights = Weights()):
        self.specialists, self.tasks, self.now = specialists, tasks, now
        self.weights = np.array([getattr(weights, f) for f in FACTORS])
        self.weighted = _columns(self.weights != 0)  # a factor off (cost, by default) leaves the sums as they were
        self.position = {s.id: i for i, s in enumerate(specialists)}
        self._order: list | None = None
        self._people_arrays(specialists, now)
        self._task_arrays(tasks, now)
        self._skills(specialists, tasks)

    def _people_arrays(self, specialists, now):
        self.capacity = np.array([max(s.capacity, 1) for s in specialists], dtype=float)
        self.room = np.array([s.capacity - s.load for s in specialists], dtype=np.int64)
        self.load = np.array([s.load for s in specialists], dtype=float)
        self.queued = np.array([s.queued_hours for s in specialists], dtype=float)
        self.record = np.array([s.on_time_record for s in specialists], dtype=float)
        self.cheap = cheapness([s.hourly_cost for s in specialists])
        self.active = np.array([s.active for s in specialists], dtype=bool)
        self.off_now = np.array([s.off_now for s in specialists], dtype=bool)
        self.holiday = np.array([s.holiday is not None for s in specialists], dtype=bool)
        self.table = FinishTable([s.week for s in specialists], now)
        self.start = self.table.start(np.arange(len(specialists)))
        self.has_hours = self.start < NEVER / 2
        self.ready = self.active & ~self.off_now & ~self.holiday & self.has_hours

    def _task_arrays(self, tasks, now):
        n = len(self.specialists)
        self.est = np.array([t.estimate_hours for t in tasks], dtype=float)
        self.target = np.array([(t.target_at - now).total_seconds() / 3600 for t in tasks])
        self.rank = np.array([PRIORITY_RANK[t.priority] for t in tasks], dtype=np.int64)
        briefs = {b: i for i, b in enumerate(sorted({t.brief_id for t in tasks}))}
        self.brief = np.array([briefs[t.brief_id] for t in tasks], dtype=np.int64)
        held = [briefs[b] * n + j for j, s in enumerate(self.specialists) for b in s.briefs if b in briefs]
        self.held = np.array(sorted(held), dtype=np.int64)
        self.excluded = [np.array([self.position[s] for s in t.excluded if s in self.position],
                                  dtype=np.int64) for t in tasks]
        self._overlap_arrays(tasks, now)

    def _overlap_arrays(self, tasks, now):
        """Per task a row of `overlap` (0: the task does not ask), per row each specialist's
        share of hours shared with that manager's week."""
        weeks: dict = {}  # manager week key -> (row, week)
        rows = [weeks.setdefault(t.manager_week.key, (len(weeks) + 1, t.manager_week))[0]
                if t.needs_overlap and t.manager_week else 0 for t in tasks]
        self.manager = np.array(rows, dtype=np.int64)
        self.overlap = np.zeros((len(weeks) + 1, len(self.specialists)))
        for row, manager_week in weeks.values():
            shared: dict = {}  # specialists with the same calendar share the computation
            for col, person in enumerate(self.specialists):
                if person.week.key not in shared:
                    shared[person.week.key] = _overlap(person.week, manager_week, now)
                self.overlap[row, col] = shared[person.week.key]

    def _skills(self, specialists, tasks):
        names = sorted({k for s in specialists for k in s.skills} | {k for t in tasks for k, _ in t.skills})
        self.skill_index = {name: i for i, name in enumerate(names)}
        levels = np.zeros((len(specialists), max(len(names), 1)), dtype=np.int8)
        rows = [row for row, s in enumerate(specialists) for _ in s.skills]
        columns = [self.skill_index[skill] for s in specialists for skill in s.skills]
        levels[rows, columns] = [level for s in specialists for level in s.skills.values()]
        self.levels = levels
        signatures: dict = {}
        self.sig = np.array([signatures.setdefault(t.skills, len(signatures)) for t in tasks],
                            dtype=np.int64)
        self.asks = SkillsAsked(levels, list(signatures), self.skill_index)
        self.qualified = self.asks.qualified(self.active)

    # --- filter ---------------------------------------------------------------------------------

    def eligible_mask(self, t: int, used: np.ndarray) -> np.ndarray:
        """Specialists who may be offered task `t`, given the places `used` this round."""
        mask = self.qualified[self.sig[t]] & self.ready & (self.room > used)
        mask[self.excluded[t]] = False
        return mask

    def eligible(self, t: int, used: np.ndarray) -> np.ndarray:
        return np.flatnonzero(self.eligible_mask(t, used))

    def why_not(self, waiting: np.ndarray, used: np.ndarray) -> list[tuple[str, dict]]:
        """Why no specialist can take each of the `waiting` tasks, with how many were left out
        for each reason (counted once per skill signature, then corrected for the few tasks
        that someone passed on)."""
        if not len(waiting):
            return []
        sigs, row_of = np.unique(self.sig[waiting], return_inverse=True)
        mask = self.qualified[sigs]
        full = self.ready & (self.room <= used)
        per_sig = {
            "qualified": np.count_nonzero(mask, axis=1),
            "time_off": np.count_nonzero(mask & self.off_now, axis=1),
            "holiday": np.count_nonzero(mask & (self.holiday & ~self.off_now), axis=1),
            "no_hours": np.count_nonzero(mask & ~self.has_hours, axis=1),
            "at_capacity": np.count_nonzero(mask & full, axis=1),
        }
        per_sig = {key: values.tolist() for key, values in per_sig.items()}
        holidays = [self.holidays_among(row & ~self.off_now) for row in mask]
        out = []
        for t, row in zip(waiting.tolist(), row_of.tolist()):
            passed = self.excluded[t]
            declined = full_declined = 0
            if len(passed):
                qualified = mask[row, passed]
                declined = int(qualified.sum())
                full_declined = int((qualified & full[passed]).sum())
            counts = {"qualified": per_sig["qualified"][row], "declined_or_lapsed": declined,
                      "time_off": per_sig["time_off"][row], "holiday": per_sig["holiday"][row],
                      "no_hours": per_sig["no_hours"][row],
                      "at_capacity": per_sig["at_capacity"][row] - full_declined}
            out.append(self._reason(t, counts, holidays[row]))
        return out

    def holidays_among(self, mask: np.ndarray) -> str:
        """'on a public holiday in PH: Rizal Day' for the holidays of the specialists in `mask`."""
        found = sorted({self.specialists[j].holiday or "" for j in np.flatnonzero(mask & self.holiday)})
        return "; ".join(found)

    def _reason(self, t: int, counts: dict, holidays: str = "") -> tuple[str, dict]:
        if not counts["qualified"]:
            return self._skill_gap(self.tasks[t].skills), counts
        parts = [f"{n} {label}" for key, label in (
            ("at_capacity", "at capacity"), ("time_off", "on time off"), ("holiday", holidays),
            ("declined_or_lapsed", "declined it or let the offer lapse"),
            ("no_hours", "without working hours")) if (n := counts[key])]
        return (f"all {counts['qualified']} qualified specialists are unavailable: "
                + ", ".join(parts)), counts

    def _skill_gap(self, skills: tuple) -> str:
        if not skills:
            return "no active specialist"
        for skill, level in skills:
            if not (self.active & (self.levels[:, self.skill_index[skill]] >= level)).any():
                return f"no active specialist has {skill} level {level}" + self._unverified(skill, level)
        wanted = ", ".join(f"{skill} level {level}" for skill, level in skills)
        return f"no active specialist has all of {wanted}"

    def _unverified(self, skill: str, level: int) -> str:
        """Who proposed the level a task waits for, which routing does not count until verified."""
        names = [s.name for row, s in enumerate(self.specialists)
                 if self.active[row] and s.proposed.get(skill, 0) >= level]
        if not names:
            return ""
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f" verified ({shown} proposed it; an admin or manager has yet to verify)"

    # --- score ----------------------------------------------------------------------------------

    def score(self, t: np.ndarray, j: np.ndarray, place: np.ndarray) -> Scored:
        """Score triples: task t[i] taken by specialist j[i] as their place[i]-th new task."""
        est = self.est[t]
        finishes = self.table.finish(j, self.queued[j] + (place + 1) * est)
        target = self.target[t]
        factors = np.empty((len(t), len(FACTORS)), order="F")  # filled a column at a time
        factors[:, 0] = np.where(finishes <= target, 1.0,
                                 np.exp(-np.minimum(finishes - target, 1e6) / LATE_SCALE))
        factors[:, 1] = 1 / (1 + finishes / SPEED_SCALE)
        factors[:, 2] = self.asks.fit(self.sig[t], j)
        factors[:, 3] = np.clip(1 - (self.load[j] + place) / self.capacity[j], 0, 1)
        factors[:, 4] = self.record[j]
        factors[:, 5] = self._holds_brief(self.brief[t] * len(self.specialists) + j)
        factors[:, 6] = self.overlap[self.manager[t], j]
        factors[:, 7] = self.cheap[j]
        # The weighted columns of a column-major array: the same BLAS call as ever (with a
        # row-major one the last bit of some totals changes, and with it some flows' choices);
        # a run of columns is a view, where a mask would copy the matrix first.
        total = factors[:, self.weighted] @ self.weights[self.weighted]
        return Scored(total, factors, self.start[j], finishes, target)

    def _holds_brief(self, keys: np.ndarray) -> np.ndarray:
        """Whether each (brief, specialist) key is among the held ones (a binary search in the
        sorted keys: np.isin sorts all of a round's pairs again)."""
        if not len(self.held):
            return np.zeros(len(keys), dtype=bool)
        found = np.minimum(np.searchsorted(self.held, keys), len(self.held) - 1)
        return self.held[found] == keys

    def scores(self, t: int, who: np.ndarray, place: np.ndarray) -> Scored:
        """Score candidates `who` for one task `t`."""
        return self.score(np.full(len(who), t), who, place)

    def order(self) -> list[int]:
        """Task positions, most urgent first: priority, then target, then age (then id); sorted
        once per round, as arrays."""
        if self._order is None:
            tasks = self.tasks
            self._order = np.lexsort((
                np.array([t.id for t in tasks], dtype=np.int64),
                np.array([_microseconds(t.created_at) for t in tasks], dtype=np.int64),
                np.array([_microseconds(t.target_at) for t in tasks], dtype=np.int64),
                self.rank)).tolist()
        return list(self._order)


def _columns(mask: np.ndarray):
    """The True columns of `mask` as a slice when they are one run (indexing by a slice gives a
    view), else as the mask itself."""
    on = np.flatnonzero(mask)
    if len(on) and on[-1] - on[0] + 1 == len(on):
        return slice(int(on[0]), int(on[-1]) + 1)
    return mask


class SkillsAsked:
    """The levels each skill signature asks, padded to the longest signature with an empty skill
    (a column of zeros asked at level 0, which passes everyone and adds no surplus)."""

    def __init__(self, levels: np.ndarray, signatures: list, index: dict):
        width = max((len(skills) for skills in signatures), default=0)
        self.people = np.hstack([levels, np.zeros((len(levels), 1), dtype=levels.dtype)]).astype(np.int16)
        self.column = np.full((len(signatures), max(width, 1)), levels.shape[1], dtype=np.int64)
        self.level = np.zeros(self.column.shape, dtype=np.int16)
        for row, skills in enumerate(signatures):
            for k, (skill, at_least) in enumerate(skills):
                self.column[row, k], self.level[row, k] = index[skill], at_least
        self.quarters = 4 * np.array([max(len(skills), 1) for skills in signatures], dtype=np.int64)

    def qualified(self, active: np.ndarray) -> np.ndarray:
        """Signatures x specialists: active, with every level the signature asks."""
        by_skill = self.people.T
        qualified = np.repeat(active[None, :], len(self.column), axis=0)
        for k in range(self.column.shape[1]):
            qualified &= by_skill[self.column[:, k]] >= self.level[:, k, None]
        return qualified

    def fit(self, sig: np.ndarray, who: np.ndarray) -> np.ndarray:
        """How closely each specialist's levels fit their signature: 1 exactly, down to 1/2 for
        four or more levels above on every skill (whole levels summed, so exact)."""
        surplus = np.zeros(len(sig), dtype=np.int16)
        for k in range(self.column.shape[1]):
            surplus += np.clip(self.people[who, self.column[sig, k]] - self.level[sig, k], 0, 4)
        return 1 - surplus / self.quarters[sig] / 2


def _microseconds(at: datetime) -> int:
    """An instant as whole microseconds since 1970 UTC, exact (sorts as the datetimes do; from
    the fields, so pendulum's datetimes count alike)."""
    u = at if at.tzinfo is None else at.astimezone(timezone.utc)
    seconds = (u.toordinal() - EPOCH_DAY) * 86400 + u.hour * 3600 + u.minute * 60 + u.second
    return seconds * 1_000_000 + u.microsecond


def cheapness(costs: list) -> np.ndarray:
    """1 for the cheapest hourly cost of the round down to 0 for the dearest (and for an unset
    one), so with equal fit and projections the cheaper specialist scores higher."""
    known = np.array([np.nan if c is None else float(c) for c in costs], dtype=float)
    if not len(known) or np.all(np.isnan(known)):
        return np.zeros(len(known))
    low, high = np.nanmin(known), np.nanmax(known)
    spread = high - low if high > low else 1.0
    return np.where(np.isnan(known), 0.0, 1 - (known - low) / spread)


def _overlap(week: WorkWeek, other: WorkWeek, now: datetime) -> float:
    """Share of `week`'s coming seven days of hours that `other` also works."""
    end = now + timedelta(days=7)
    mine = list(working_spans(week, now, end))
    theirs = list(working_spans(other, now, end))
    total = sum((e - s).total_seconds() for s, e in mine)
    if not total:
        return 0.0
    shared = sum(max(0.0, (min(e1, e2) - max(s1, s2)).total_seconds())
                 for s1, e1 in mine for s2, e2 in theirs)
    return shared / total
