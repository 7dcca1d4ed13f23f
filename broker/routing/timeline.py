"""When could a specialist finish N more hours of work, starting now? (pure, vectorised)

Each specialist gets a row of a finish table: column k holds the hours from `now` until they have
worked k steps of STEP hours, following their weekly hours, timezone and time off. Looking up many
candidates at once is then one numpy index instead of calendar arithmetic per pair.
"""
from datetime import datetime

import numpy as np

from broker.worktime.arithmetic import WorkWeek, working_spans

STEP = 0.25            # hours per column
HORIZON = 120.0        # working hours projected ahead (three weeks of full-time work)
COLUMNS = int(HORIZON / STEP) + 1
SEARCH_DAYS = 56       # wall-clock days searched for that much working time
NEVER = 1e9            # hours: no working time within reach


def _spans_from(week: WorkWeek, now: datetime):
    """Working spans as (start, end) hours relative to `now`, up to HORIZON hours of work."""
    starts, ends, total = [], [], 0.0
    limit = SEARCH_DAYS * 24
    for s, e in working_spans(week, now):
        start, end = (s - now).total_seconds() / 3600, (e - now).total_seconds() / 3600
        if start > limit:
            break
        starts.append(start)
        ends.append(end)
        total += end - start
        if total >= HORIZON:
            break
    return np.array(starts), np.array(ends)


def finish_row(week: WorkWeek, now: datetime) -> np.ndarray:
    """Hours from `now` until k*STEP working hours are done, for k = 0 .. COLUMNS-1."""
    return _finish_row(*_spans_from(week, now))


def _finish_row(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    row = np.full(COLUMNS, NEVER)
    if not len(starts):
        return row
    cum_end = np.cumsum(ends - starts)
    cum_before = cum_end - (ends - starts)
    grid = np.arange(COLUMNS) * STEP
    idx = np.searchsorted(cum_end, grid - 1e-9, side="left")
    reachable = idx < len(starts)
    i = idx[reachable]
    row[reachable] = starts[i] + (grid[reachable] - cum_before[i])
    return row


class FinishTable:
    """Finish rows for many specialists, sharing rows between identical calendars."""

    def __init__(self, weeks: list[WorkWeek], now: datetime):
        cache: dict = {}
        rows, first = [], []
        for week in weeks:
            if week.key not in cache:
                starts, ends = _spans_from(week, now)
                cache[week.key] = (_finish_row(starts, ends),
                                   (starts[0], ends[0]) if len(starts) else (NEVER, NEVER))
            rows.append(cache[week.key][0])
            first.append(cache[week.key][1])
        self.rows = np.vstack(rows) if rows else np.zeros((0, COLUMNS))
        # Each specialist's next working span, in hours from now (NEVER: none within reach).
        self.first_span = np.array(first, dtype=float).reshape(-1, 2)
        worked = self.rows[:, -1] - self.rows[:, 0]
        # Beyond the horizon, extrapolate at each specialist's average pace.
        self.pace = np.where(worked < NEVER / 2, worked / HORIZON, NEVER)

    def start(self, who: np.ndarray) -> np.ndarray:
        """Hours from now until each specialist's next working instant."""
        return self.rows[who, 0]

    def finish(self, who: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """Hours from now until each specialist has worked `hours` more."""
        col = np.ceil(hours / STEP - 1e-9).astype(np.int64)
        inside = col < COLUMNS
        clipped = np.minimum(col, COLUMNS - 1)
        base = self.rows[who, clipped]
        extra = np.where(inside, 0.0, (hours - HORIZON) * self.pace[who])
        return np.minimum(base + extra, NEVER)

