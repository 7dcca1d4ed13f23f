"""Assign a round's tasks together (pure): most urgent first, then improve the pairing.

1. Options: for every task, its best ALTERNATIVES eligible specialists, and their scores at each
   place, in a few vectorised calls (the table every later step only looks up).
2. Greedy: tasks in urgency order (priority, target, age) each take the best-scoring option that
   still has a free place, so urgent work is never left without a place a less urgent task took.
3. Improve: passes of exchanges that raise the round's total without taking a place from a more
   urgent task: two tasks swap specialists, a task moves to a free place, a waiting task takes a
   free place or the place of a task of its own priority that scores lower there. Greedy alone
   hands the fastest specialists to the first tasks even when later ones needed them more; the
   passes undo most of that (bench/routing.py measures how close to the optimum this gets).
"""
from dataclasses import dataclass

import numpy as np

from broker.routing.engine import Round
from broker.routing.model import Candidate, Decision

TOP = 3            # candidates kept in each explanation
ALTERNATIVES = 24  # specialists per task the greedy and the improvement passes consider
PASSES = 30
NONE = -np.inf


@dataclass
class Plan:
    """Who holds which place: per task the option and place it holds (-1 while waiting), and per
    specialist the task in each place (-1 when free)."""

    options: np.ndarray   # tasks x ALTERNATIVES specialist positions, best first (-1 pads)
    table: np.ndarray     # tasks x ALTERNATIVES x places: score of that task there (NONE: no)
    option_of: np.ndarray  # tasks x specialists: option index of that pair (-1: not an option)
    spec: np.ndarray
    place: np.ndarray
    score: np.ndarray     # per task, its current score (0 while waiting)
    occupant: np.ndarray  # specialists x places
    eligible: np.ndarray  # per task, how many specialists could take it at all

    def put(self, t: int, j: int, k: int, score: float):
        self.spec[t], self.place[t], self.score[t] = j, k, score
        self.occupant[j, k] = t

    def lift(self, t: int):
        self.occupant[self.spec[t], self.place[t]] = -1
        self.spec[t], self.place[t], self.score[t] = -1, -1, 0.0


def assign_round(rnd: Round) -> list[Decision]:
    """Decide the whole round: who is offered each task, or why it waits."""
    plan = options(rnd)
    greedy(rnd, plan)
    improve(plan, rnd.rank)
    return decisions(rnd, plan)


def options(rnd: Round) -> Plan:
    """Each task's best eligible specialists (ignoring places taken this round) and the score
    table over their places."""
    n_tasks, n_people = len(rnd.tasks), len(rnd.specialists)
    width = max(int(rnd.room.max(initial=0)), 1)
    open_people = rnd.ready & (rnd.room > 0)
    t, j = np.nonzero(rnd.qualified[rnd.sig] & open_people[None, :])
    banned = [tt * n_people + jj for tt, ex in enumerate(rnd.excluded) for jj in ex]
    if banned:
        keep = ~np.isin(t * n_people + j, banned)
        t, j = t[keep], j[keep]
    eligible = np.bincount(t, minlength=n_tasks)
    first = rnd.score(t, j, np.zeros(len(t), dtype=np.int64)).total
    order = np.lexsort((-first, t))
    t, j = t[order], j[order]
    starts = np.searchsorted(t, np.arange(n_tasks))
    rank = np.arange(len(t)) - starts[t]
    keep = rank < ALTERNATIVES
    t, j, rank = t[keep], j[keep], rank[keep]
    chosen = np.full((n_tasks, ALTERNATIVES), -1, dtype=np.int64)
    chosen[t, rank] = j
    table = np.full((n_tasks, ALTERNATIVES, width), NONE)
    for k in range(width):
        here = k < rnd.room[j]
        table[t[here], rank[here], k] = rnd.score(t[here], j[here], np.full(here.sum(), k)).total
    option_of = np.full((n_tasks, n_people), -1, dtype=np.int16)
    option_of[t, j] = rank
    return Plan(chosen, table, option_of, np.full(n_tasks, -1), np.full(n_tasks, -1),
                np.zeros(n_tasks), np.full((n_people, width), -1), eligible)


def greedy(rnd: Round, plan: Plan):
    """Most urgent first, each task to its best option with a free place."""
    used = np.zeros(len(rnd.specialists), dtype=np.int64)
    for t in rnd.order():
        who = plan.options[t]
        places = used[who]
        values = plan.table[t, np.arange(ALTERNATIVES), np.minimum(places, plan.table.shape[2] - 1)]
        values = np.where((who >= 0) & (places < rnd.room[who]), values, NONE)
        best = int(np.argmax(values))
        if values[best] > NONE:
            j = int(who[best])
            plan.put(t, j, int(used[j]), float(values[best]))
            used[j] += 1
        elif plan.eligible[t] > (who >= 0).sum():
            _place_beyond_options(rnd, plan, t, used)


def _place_beyond_options(rnd: Round, plan: Plan, t: int, used: np.ndarray):
    """Every option is full: look at all eligible specialists, and make the best one with a free
    place the task's last option."""
    who = rnd.eligible(t, used)
    if not len(who):
        return
    total = rnd.scores(t, who, used[who]).total
    j = int(who[int(np.argmax(total))])
    last = ALTERNATIVES - 1
    if plan.options[t, last] >= 0:
        plan.option_of[t, plan.options[t, last]] = -1
    plan.options[t, last], plan.option_of[t, j] = j, last
    room = int(rnd.room[j])
    plan.table[t, last, :] = NONE
    plan.table[t, last, :room] = rnd.scores(t, np.full(room, j), np.arange(room)).total
    plan.put(t, j, int(used[j]), float(plan.table[t, last, used[j]]))
    used[j] += 1


def improve(plan: Plan, rank: np.ndarray) -> int:
    """Exchange places while the total rises; returns how many changes were made."""
    changes = 0
    if not len(plan.spec):
        return 0
    for _ in range(PASSES):
        made = _pass(plan, rank)
        changes += made
        if not made:
            break
    return changes


def _pass(plan: Plan, rank: np.ndarray) -> int:
    """Score every exchange at once; apply each task's best one unless an earlier one in the
    same pass touched the same places."""
    gain, b, back = _gains(plan, rank)
    n_tasks, alternatives, width = plan.table.shape
    flat = gain.reshape(n_tasks, -1)
    best = np.argmax(flat, axis=1)
    best_gain = flat[np.arange(n_tasks), best]
    touched = np.zeros(n_tasks, dtype=bool)
    made = 0
    for a in np.argsort(-best_gain, kind="stable"):
        if best_gain[a] <= 1e-9:
            break
        o, k = divmod(int(best[a]), width)
        j = int(plan.options[a, o])
        other = int(plan.occupant[j, k])
        if touched[a] or other != b[a, o, k] or (other >= 0 and touched[other]):
            continue
        _apply(plan, int(a), other, j, k, float(plan.table[a, o, k]), float(back[a, o, k]))
        touched[a] = True
        if other >= 0:
            touched[other] = True
        made += 1
    return made


def _gains(plan: Plan, rank: np.ndarray):
    """Gain of giving each task each option's each place (NONE where not allowed), the occupant
    it displaces there, and that occupant's score in the task's old place (for swaps)."""
    n_tasks, alternatives, width = plan.table.shape
    j = plan.options[:, :, None].repeat(width, axis=2)
    k = np.broadcast_to(np.arange(width), j.shape)
    b = np.where(j >= 0, plan.occupant[np.maximum(j, 0), k], -1)
    a = np.broadcast_to(np.arange(n_tasks)[:, None, None], j.shape)
    placed = (plan.spec >= 0)[:, None, None]
    gain = plan.table - plan.score[:, None, None] - np.where(b >= 0, plan.score[np.maximum(b, 0)], 0)
    gain = np.where(j == plan.spec[:, None, None], NONE, gain)
    # A waiting task may only displace a task of its own priority.
    gain = np.where(~placed & (b >= 0) & (rank[np.maximum(b, 0)] != rank[a]), NONE, gain)
    back = np.zeros(gain.shape)
    swaps = np.argwhere(placed & (b >= 0) & (gain > NONE))
    if len(swaps):
        ta, o, kk = swaps.T
        tb = b[ta, o, kk]
        ob = plan.option_of[tb, plan.spec[ta]].astype(np.int64)
        value = np.where(ob >= 0, plan.table[tb, np.maximum(ob, 0), plan.place[ta]], NONE)
        back[ta, o, kk] = value
        gain[ta, o, kk] = np.where(value > NONE, gain[ta, o, kk] + value, NONE)
    return gain, b, back


def _apply(plan: Plan, a: int, b: int, j: int, k: int, score_a: float, score_b: float):
    """Give place (j, k) to task a; its occupant b, if any, takes a's old place or waits."""
    old_j, old_k = int(plan.spec[a]), int(plan.place[a])
    if old_j >= 0:
        plan.lift(a)
    if b >= 0:
        plan.lift(b)
        if old_j >= 0:
            plan.put(b, old_j, old_k, score_b)
    plan.put(a, j, k, score_a)


def decisions(rnd: Round, plan: Plan) -> list[Decision]:
    """One decision per task in urgency order, with the winner and the best alternatives."""
    used = (plan.occupant >= 0).sum(axis=1)
    out = []
    for t in rnd.order():
        task_id = rnd.tasks[t].id
        if plan.spec[t] < 0:
            reason, counts = rnd.why_not(t, used)
            out.append(Decision(task_id, None, reason=reason, filtered=counts))
            continue
        out.append(_decision(rnd, plan, t, used))
    return out


def _decision(rnd: Round, plan: Plan, t: int, used: np.ndarray) -> Decision:
    j, k = int(plan.spec[t]), int(plan.place[t])
    others = np.array([o for o in plan.options[t][:TOP + 1] if o >= 0 and o != j], dtype=np.int64)
    who = np.concatenate([[j], others[:TOP - 1]]).astype(np.int64)
    places = np.concatenate([[k], np.minimum(used[who[1:]], np.maximum(rnd.room[who[1:]] - 1, 0))])
    scored = rnd.score(np.full(len(who), t), who, places.astype(np.int64))
    considered = int(plan.eligible[t])
    return Decision(rnd.tasks[t].id, rnd.specialists[j].id, considered=considered, candidates=[
        Candidate(int(who[i]), float(scored.total[i]), tuple(scored.factors[i]),
                  float(scored.starts[i]), float(scored.finishes[i]), float(scored.target[i]),
                  full=bool(i and used[who[i]] >= rnd.room[who[i]])) for i in range(len(who))])
