"""Words and numbers for each routing decision, as stored on the task and shown to people."""
from datetime import datetime, timedelta

import numpy as np

from broker.routing.engine import Round
from broker.routing.round_data import FACTORS, Candidate, Decision
from broker.routing.timeline import NEVER
from broker.timeutil import zone
from broker.worktime.arithmetic import working_spans

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FACTOR_WORDS = {
    "on_time": "finishing before the target", "speed": "finishing sooner",
    "skill_fit": "a closer skill fit", "load": "a lighter load",
    "record": "a better record (on-time work and owners' ratings)",
    "continuity": "already working on this brief", "overlap": "more hours shared with the manager",
    "cost": "a lower hourly cost",
}
COST = FACTORS.index("cost")


class Explainer:
    """Turns a round's decisions into explanation dicts; caches per-specialist phrases."""

    def __init__(self, rnd: Round):
        self.rnd, self.now = rnd, rnd.now
        self._availability: dict = {}
        self._starts: dict = {}  # position -> starts_at, as written
        self._finishes: dict = {}  # (hours from now, zone) -> (finishes_at, local), as written
        self._away: dict = {}  # skill signature -> its qualified specialists on a holiday
        self._rounded = _Rounded()  # factor value -> as written (a round's factors repeat a lot)
        self._tasks = {t.id: t for t in rnd.tasks}
        self._index = {t.id: i for i, t in enumerate(rnd.tasks)}
        self._decided_at = rnd.now.isoformat()
        self._weights = [float(w) for w in rnd.weights]
        self._anyone_away = bool((rnd.holiday & ~rnd.off_now).any())

    def explain(self, decision: Decision) -> dict:
        task = self._tasks[decision.task_id]
        base = {"decided_at": self._decided_at, "considered": decision.considered,
                "target_at": task.target_at.isoformat(), "target_source": task.target_source}
        if decision.specialist_id is None:
            return {**base, "outcome": "waiting", "reason": decision.reason,
                    "summary": f"Waiting in the queue: {decision.reason}.",
                    "filtered": decision.filtered, "candidates": []}
        candidates = [self._candidate(c) for c in decision.candidates]
        away = self._on_holiday(decision.task_id)
        summary = self._summary(decision, candidates) + "".join(
            f" Not offered to {a['name']}: {a['why']}." for a in away)
        return {**base, "outcome": "offered", "reason": None, "winner": candidates[0],
                "summary": summary, "candidates": candidates, "unavailable": away,
                "cost_decided": self._cost_decided(decision)}

    def _on_holiday(self, task_id: int) -> list[dict]:
        """Qualified specialists left out because today is a public holiday where they live
        (the same for every task of a skill signature)."""
        index = self._index.get(task_id)
        if index is None or not self._anyone_away:
            return []
        rnd = self.rnd
        sig = int(rnd.sig[index])
        if sig not in self._away:
            mask = rnd.qualified[sig] & rnd.holiday & ~rnd.off_now
            self._away[sig] = [{"specialist_id": rnd.specialists[j].id, "name": rnd.specialists[j].name,
                                "why": rnd.specialists[j].holiday} for j in np.flatnonzero(mask)[:5]]
        return [dict(away) for away in self._away[sig]]

    def _candidate(self, entry: Candidate) -> dict:
        pos = entry.position
        who = self.rnd.specialists[pos]
        margin = entry.target - entry.finishes
        if pos not in self._starts:
            self._starts[pos] = (self.now + timedelta(hours=entry.starts)).isoformat()
        finishes_at, local = self._finish(entry.finishes, who.tz)
        return {
            "specialist_id": who.id, "name": who.name, "timezone": who.tz,
            "score": round(entry.score, 3), "full": entry.full,
            "factors": dict(zip(FACTORS, map(self._rounded.__getitem__, entry.factors))),
            "availability": self._availability.get(pos) or self.availability(pos),
            "starts_at": self._starts[pos],
            "finishes_at": finishes_at,
            "finish": f"projected finish {local} local, "
                      + (f"{margin:.1f} h before the target" if margin >= 0
                         else f"{-margin:.1f} h after the target"),
        }

    def _finish(self, hours: float, tz: str) -> tuple[str, str]:
        """The projected finish as written and in local words; the finish table's quarter hours
        repeat across a round's candidates, so each is worked out once."""
        key = (hours, tz)
        if key not in self._finishes:
            finish_at = self.now + timedelta(hours=min(hours, 24 * 365 * 5))
            self._finishes[key] = (finish_at.isoformat(), _local(finish_at, tz))
        return self._finishes[key]

    def availability(self, pos: int) -> str:
        """'working now until 16:00 local' or 'off now (06:30 local); starts 07:00 local, in 0.5 h'."""
        if pos not in self._availability:
            who = self.rnd.specialists[pos]
            first = self._first_span(pos)
            here = _local(self.now, who.tz, clock_only=True)
            if first is None:
                text = "no working hours ahead"
            elif first[0] <= self.now:
                text = f"working now ({here} local) until {_local(first[1], who.tz, True)} local"
            else:
                hours = (first[0] - self.now).total_seconds() / 3600
                text = (f"off now ({here} local); starts {_local(first[0], who.tz)} local, "
                        f"in {hours:.1f} h")
            self._availability[pos] = text
        return self._availability[pos]

    def _first_span(self, pos: int):
        """The specialist's next working span, from the round's finish table (no calendar work),
        or from the calendar itself when it lies beyond the table's reach."""
        start, end = self.rnd.table.first_span[pos]
        if start >= NEVER / 2:
            return next(working_spans(self.rnd.specialists[pos].week, self.now), None)
        return (self.now + timedelta(seconds=round(start * 3600)),
                self.now + timedelta(seconds=round(end * 3600)))

    def _summary(self, decision: Decision, candidates: list) -> str:
        win = candidates[0]
        text = (f"Offered to {win['name']} ({win['timezone']}): {win['availability']}; "
                f"{win['finish']}. Best of {decision.considered} eligible specialist"
                f"{'s' if decision.considered != 1 else ''}")
        if len(candidates) > 1:
            runner = candidates[1]
            text += f", ahead of {runner['name']} ({runner['availability']}; {runner['finish']})"
            if runner["score"] > win["score"]:
                text += (", who scored higher alone but whose places went to tasks they suit "
                         "better this round" if runner["full"] else
                         ", who scored higher alone; the round's total came out better this way")
            else:
                text += f" thanks to {self._edge(decision)}"
        return text + "."

    def _edge(self, decision: Decision) -> str:
        """The factor that put the winner furthest ahead of the runner-up."""
        first, second = decision.candidates[0], decision.candidates[1]
        gain = [(a - b) * w for a, b, w in zip(first.factors, second.factors, self._weights)]
        best = max(range(len(gain)), key=gain.__getitem__)  # the first of equals, as argmax
        if gain[best] <= 0:
            return "a tie broken by the roster order"
        if self._cost_decided(decision):
            return "a lower hourly cost: cost decided, fit and projected finish being equal"
        return FACTOR_WORDS[FACTORS[best]]

    def _cost_decided(self, decision: Decision) -> bool:
        """Whether the hourly cost alone put the winner ahead of the runner-up."""
        if len(decision.candidates) < 2 or not self._weights[COST]:
            return False
        first, second = decision.candidates[0], decision.candidates[1]
        gain = [(a - b) * w for a, b, w in zip(first.factors, second.factors, self._weights)]
        return gain[COST] > 0 and sum(gain) - gain[COST] <= 1e-9


class _Rounded(dict):
    """Factor values as written, to three places, each worked out once."""

    def __missing__(self, value) -> float:
        rounded = self[value] = round(float(value), 3)
        return rounded


def _local(at: datetime, tz: str, clock_only: bool = False) -> str:
    """'07:00' or 'Wed 07:00' in zone `tz` (English day names, whatever the locale)."""
    local = at.astimezone(zone(tz))
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return clock if clock_only else f"{DAY_NAMES[local.weekday()]} {clock}"
