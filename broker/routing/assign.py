"""Assign a round's tasks together (pure): urgent work first, then the best total score.

The round is a transportation problem: tasks on one side, each specialist's free places on the
other, an arc wherever a specialist may take a task, worth that (task, specialist, place) score.
Solving it as one min-cost flow (OR-Tools) gives every task of a round the best place *together*,
where handing tasks out one at a time gives the fastest specialists to the first tasks even when
later ones needed them more. Urgency comes first: each priority class is worth more than any
score the classes below could add, so a less urgent task never takes a place a more urgent one
could have had.

Arcs are kept to the ones that matter, which keeps a 5,000 x 1,000 round near half a second:
each task's ALTERNATIVES best specialists, and for each specialist the tasks that score best with
them (PER_PLACE per free place), so that no free place is left without suitors; both ranked by
the score of the specialist's last free place (see eligible_pairs). Tasks the flow
left waiting then get any free place they are eligible for, most urgent first.

ALTERNATIVES was 16: rounds of bench/routing.py then reached 97.4-98.5% of the optimum by seed,
and at 20,000 x 4,000 the flow left a third of the places to the greedy fill. With 48 they reach
99.0-99.3% (seeds 7, 11, 23), and the 20,000 x 4,000 round's total score is 8% higher, for about
0.2 s more engine time at 5,000 x 1,000.
"""
import gc
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from threadpoolctl import ThreadpoolController

from broker.routing.engine import Round
from broker.routing.round_data import Candidate, Decision
from tasks.vocabulary import PRIORITY_RANK

TOP = 3            # candidates kept in each explanation
ALTERNATIVES = 48  # best specialists per task given an arc
PER_PLACE = 2      # best tasks per free place of each specialist given an arc
SHORTLIST = 160    # most specialists a task of a skill signature is scored against
CLASS_WORTH = 20.0  # more than any one task's score can be (the weights sum to 12)
SCALE = 100        # scores become integer costs in hundredths (fewer cost-scaling phases)
FILL_BATCH = 256   # waiting tasks fill_waiting scores together
# OpenBLAS's own threads gain the round's one matrix-vector product nothing and then spin,
# burning a second core (a third more CPU than the round's work): one thread does it as fast.
BLAS = ThreadpoolController()
BANDS = 256        # value bands _contenders counts each group's entries in
SCORE_CHUNK = 1 << 19  # pairs scored at once: a large round's arrays then stay in the cache


@dataclass
class Plan:
    """Who holds which place: per task the specialist and place (-1 while waiting), and per
    specialist the task in each place (-1 when free)."""

    spec: np.ndarray
    place: np.ndarray
    occupant: np.ndarray    # specialists x places
    alternatives: np.ndarray  # tasks x TOP: each task's best specialists, best first (-1 pads)
    eligible: np.ndarray    # per task, how many specialists could take it at all


def assign_round(rnd: Round) -> list[Decision]:
    """Decide the whole round: who is offered each task, or why it waits."""
    with collector_paused(), BLAS.limit(limits=1, user_api="blas"):
        t, j, value = eligible_pairs(rnd)
        task_rank = _rank_within(t, value, below=np.full(len(t), ALTERNATIVES))
        plan = empty_plan(rnd, t, j, task_rank)
        arcs = candidate_arcs(rnd, t, j, value, task_rank)
        solve(rnd, plan, *arcs)
        fill_waiting(rnd, plan)
        honour_urgency(rnd, plan)
        return decisions(rnd, plan)


@contextmanager
def collector_paused():
    """A round makes tens of thousands of decisions and candidates and no garbage cycles: the
    cyclic collector's passes over them (and over whatever else the process holds) find nothing,
    so it waits for the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def eligible_pairs(rnd: Round):
    """Every (task, specialist) that may go together, with the score of the specialist's last
    free place: ranking by it favours specialists who stay good when busy, the ones an optimal
    round uses (ranking by a first place crowds every task onto the same popular few).

    Pairs come task by task, each task's specialists in roster order, built from each skill
    signature's list (never a tasks x team matrix, which grows with both)."""
    n_people = len(rnd.specialists)
    open_people = rnd.ready & (rnd.room > 0)
    sig_of, who = _shortlists(rnd, open_people)
    counts = np.bincount(sig_of, minlength=len(rnd.qualified))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    per_task = counts[rnd.sig]
    t = np.repeat(np.arange(len(rnd.tasks)), per_task)
    first_pair = np.concatenate([[0], np.cumsum(per_task)[:-1]])
    j = who[np.repeat(starts[rnd.sig] - first_pair, per_task) + np.arange(len(t))]
    banned = [tt * n_people + jj for tt, ex in enumerate(rnd.excluded) for jj in ex]
    if banned:
        keep = ~np.isin(t * n_people + j, banned)
        t, j = t[keep], j[keep]
    return t, j, totals(rnd, t, j, np.maximum(rnd.room[j] - 1, 0))


def totals(rnd: Round, t: np.ndarray, j: np.ndarray, place: np.ndarray) -> np.ndarray:
    """The total scores of many triples, SCORE_CHUNK at a time: past a few hundred thousand the
    score's dozen intermediate arrays leave the CPU's cache and each pair costs three times as
    much (the same totals: each is its own row's sum)."""
    if len(t) <= SCORE_CHUNK:
        return rnd.score(t, j, place).total
    value = np.empty(len(t))
    for a in range(0, len(t), SCORE_CHUNK):
        b = a + SCORE_CHUNK
        value[a:b] = rnd.score(t[a:b], j[a:b], place[a:b]).total
    return value


def _shortlists(rnd: Round, open_people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per skill signature, the open specialists its tasks are scored against, as (signature,
    specialist) pairs in signature then roster order: all who qualify, or on a large team the
    SHORTLIST best for the signature's first task, so that a round's cost grows with its
    tasks, not with tasks x team (a 1,000-person team rarely reaches it). The long lists are
    scored together in one call."""
    sig_of, who = np.nonzero(rnd.qualified & open_people[None, :])
    counts = np.bincount(sig_of, minlength=len(rnd.qualified))
    long = counts[sig_of] > SHORTLIST
    if not long.any():
        return sig_of, who
    first = np.full(len(rnd.qualified), -1)
    first[rnd.sig[::-1]] = np.arange(len(rnd.sig))[::-1]  # each signature's first task
    value = totals(rnd, first[sig_of[long]], who[long], np.maximum(rnd.room[who[long]] - 1, 0))
    keep = np.ones(len(who), dtype=bool)
    keep[np.flatnonzero(long)] = _rank_within(sig_of[long], value, exact=True) < SHORTLIST
    return sig_of[keep], who[keep]


def _rank_within(group: np.ndarray, value: np.ndarray, exact: bool = False,
                 below: np.ndarray | None = None) -> np.ndarray:
    """Each entry's rank (0 = highest value) among the entries of its group; with `exact`, by
    value then position (the group's own stable sort), else by one blended sort key.

    With `below` (each entry's limit, the same within a group), only ranks under the limit are
    worked out: the entries that cannot reach it are left out of the sort (see _contenders) and
    come out ranked at the largest int64."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    if exact:
        return _ranks_in_order(group, np.lexsort((-value, group)))
    spread = value.max() - value.min() + 1.0
    key = group - (value - value.min()) / spread * 0.999
    if below is None:
        return _ranks_in_order(group, np.argsort(key, kind="stable"))
    ranks = np.full(len(group), np.iinfo(np.int64).max)
    contenders = np.flatnonzero(_contenders(group, value, below, spread))
    ranks[contenders] = _ranks_in_order(group[contenders],
                                        np.argsort(key[contenders], kind="stable"))
    return ranks


def _ranks_in_order(group: np.ndarray, order: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(group), dtype=np.int64)
    ranks[order] = np.arange(len(group)) - np.searchsorted(group[order], group[order])
    return ranks


def _contenders(group: np.ndarray, value: np.ndarray, below: np.ndarray, spread: float) -> np.ndarray:
    """The entries that may rank under their group's limit: every entry whose value reaches the
    bottom of the value band (one of BANDS across the round's values) that holds the group's
    limit-th best value, one band lower still and less a margin far wider than any difference
    the blended key can lose. An entry ranked under the limit has fewer than `limit` entries
    above it, so its value cannot fall below that floor; and every entry ranked above a
    contender is itself a contender, so the contenders' ranks among themselves are their ranks."""
    n_groups = int(group.max()) + 1
    low, width = value.min(), (value.max() - value.min()) / BANDS + 1e-12
    band = np.minimum(((value - low) / width).astype(np.int64), BANDS - 1)
    counts = np.bincount(group * BANDS + band, minlength=n_groups * BANDS).reshape(n_groups, BANDS)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    limit = np.zeros(n_groups, dtype=np.int64)
    limit[group] = below
    reached = from_top >= np.maximum(limit, 1)[:, None]
    holds = BANDS - 1 - np.argmax(reached, axis=1)  # the band of each group's limit-th best
    floor = np.where(reached.any(axis=1), low + (holds - 1) * width - spread * 1e-9, -np.inf)
    floor[limit <= 0] = np.inf  # nothing ranks under 0
    return value >= floor[group]


def empty_plan(rnd: Round, t, j, task_rank) -> Plan:
    n_tasks, n_people = len(rnd.tasks), len(rnd.specialists)
    width = max(int(rnd.room.max(initial=0)), 1)
    best = task_rank < TOP
    alternatives = np.full((n_tasks, TOP), -1, dtype=np.int64)
    alternatives[t[best], task_rank[best]] = j[best]
    return Plan(np.full(n_tasks, -1), np.full(n_tasks, -1), np.full((n_people, width), -1),
                alternatives, np.bincount(t, minlength=n_tasks))


def candidate_arcs(rnd: Round, t, j, value, task_rank):
    """The (task, specialist, place) arcs worth offering the solver, with their scores."""
    per_place = PER_PLACE * rnd.room[j]
    keep = (task_rank < ALTERNATIVES) | (_rank_within(j, value, below=per_place) < per_place)
    t, j = t[keep], j[keep]
    width = max(int(rnd.room.max(initial=0)), 1)
    tt, jj = np.repeat(t, width), np.repeat(j, width)
    kk = np.tile(np.arange(width), len(t))
    inside = kk < rnd.room[jj]
    tt, jj, kk = tt[inside], jj[inside], kk[inside]
    return tt, jj, kk, totals(rnd, tt, jj, kk)


def solve(rnd: Round, plan: Plan, t, j, k, value):
    """Best assignment over the arcs as a min-cost flow: source -> task -> place -> sink, plus a
    zero-worth task -> sink arc for waiting."""
    n_tasks, width = len(rnd.tasks), plan.occupant.shape[1]
    places = plan.occupant.size
    source, sink = 0, n_tasks + places + 1
    task_node = 1 + np.arange(n_tasks)
    place_node = 1 + n_tasks + j * width + k
    worth = value + (3 - rnd.rank[t]) * CLASS_WORTH + 1.0
    tails = np.concatenate([np.zeros(n_tasks, np.int64), 1 + t, task_node,
                            1 + n_tasks + np.arange(places)])
    heads = np.concatenate([task_node, place_node, np.full(n_tasks, sink),
                            np.full(places, sink)])
    costs = np.concatenate([np.zeros(n_tasks, np.int64), -np.round(worth * SCALE).astype(np.int64),
                            np.zeros(n_tasks + places, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int64), heads.astype(np.int64),
                                              np.ones(len(tails), np.int64), costs)
    supplies = np.zeros(sink + 1, np.int64)
    supplies[source], supplies[sink] = n_tasks, -n_tasks
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    if flow.solve() != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError("the routing flow found no optimal solution")
    taken = flow.flows(np.arange(n_tasks, n_tasks + len(t))) > 0
    for a, b, c in zip(t[taken].tolist(), j[taken].tolist(), k[taken].tolist()):
        plan.spec[a], plan.place[a], plan.occupant[b, c] = b, c, a


def fill_waiting(rnd: Round, plan: Plan):
    """Waiting tasks, most urgent first, take any free place they are eligible for: the best
    scoring of the specialists the flow left a free place, each at their first free place.

    Tasks are scored FILL_BATCH at a time against those specialists; within a batch, one who
    took a task is scored again at their next free place (and left out once full), so each
    task sees exactly the places still free when its turn comes."""
    used = (plan.occupant >= 0).sum(axis=1)
    # Only the few specialists the flow left a free place matter (not the whole team per task).
    roomy = np.flatnonzero(rnd.ready & (rnd.room > used))
    if not len(roomy):
        return
    waiting = (plan.spec < 0) & (plan.eligible > 0)
    fits_a_room = np.any(rnd.qualified[:, roomy], axis=1)  # per skill signature
    waiting &= fits_a_room[rnd.sig]
    queue = [t for t in rnd.order() if waiting[t]]
    has_room = np.zeros(len(rnd.specialists), dtype=bool)
    has_room[roomy] = True
    free = np.argmax(plan.occupant < 0, axis=1)  # each specialist's first free place
    for start in range(0, len(queue), FILL_BATCH):
        if not has_room.any():
            break
        _fill_batch(rnd, plan, np.array(queue[start:start + FILL_BATCH]), roomy[has_room[roomy]],
                    used, has_room, free)


def honour_urgency(rnd: Round, plan: Plan):
    """Urgency first, whatever arcs the flow was given: a waiting task that an eligible
    specialist could take instead of a less urgent task of this round takes that place, most
    urgent first (the least urgent occupant gives way; among equals, the place where the task
    scores best). A task given way comes up again in its own, later turn: it takes a free place
    it is eligible for, or displaces a task less urgent still, or waits.

    On a large team the flow's arcs leave some of a signature's specialists out: before this,
    20,000 x 4,000 rounds of bench/routing.py left thousands of urgent and high tasks waiting
    while eligible specialists got normal and low ones. Only the tasks such a specialist exists
    for are looked at one by one."""
    if not len(rnd.tasks) or not len(rnd.specialists):
        return
    free_place = len(PRIORITY_RANK)  # ranks above every task's: a free place gives way first
    width = plan.occupant.shape[1]
    usable = np.arange(width)[None, :] < rnd.room[:, None]
    held = np.where(plan.occupant >= 0, rnd.rank[np.maximum(plan.occupant, 0)], -1)
    held[~usable] = -1
    free = (plan.occupant < 0) & usable
    held[free] = free_place
    open_people = rnd.ready & (rnd.room > 0)
    worst = held.max(axis=1, initial=-1)  # the least urgent place each specialist could give
    nothing_used = np.zeros(len(rnd.specialists), dtype=np.int64)
    # Places only ever go to more urgent tasks here, so `worst` only falls: a signature with no
    # option left for a task stays without one for every later (no more urgent) task.
    hopeless = np.zeros(len(rnd.qualified), dtype=bool)
    for t in rnd.order():
        sig, rank = rnd.sig[t], rnd.rank[t]
        if plan.spec[t] >= 0 or not plan.eligible[t] or hopeless[sig]:
            continue
        if not np.any(rnd.qualified[sig] & open_people & (worst > rank)):
            hopeless[sig] = True
            continue
        who = rnd.eligible(t, nothing_used)
        rows, places = np.nonzero(held[who] > rank)
        if not len(rows):
            continue
        j, k = who[rows], places
        value = rnd.score(np.full(len(j), t), j, k).total
        best = np.lexsort((-value, -held[j, k]))[0]
        b, c = int(j[best]), int(k[best])
        out = int(plan.occupant[b, c])
        if out >= 0:
            plan.spec[out] = plan.place[out] = -1
        plan.spec[t], plan.place[t], plan.occupant[b, c] = b, c, t
        held[b, c] = rank
        worst[b] = held[b].max()


def _fill_batch(rnd: Round, plan: Plan, batch, open_now, used, has_room, free):
    rows, cols = np.nonzero(rnd.qualified[rnd.sig[batch]][:, open_now])
    who = open_now[cols]
    value = rnd.score(batch[rows], who, free[who]).total
    bounds = np.searchsorted(rows, np.arange(len(batch) + 1)).tolist()
    moved = np.zeros(len(rnd.specialists), dtype=bool)  # took a place earlier in this batch
    for i, t in enumerate(batch.tolist()):
        cand, total = who[bounds[i]:bounds[i + 1]], value[bounds[i]:bounds[i + 1]]
        keep = has_room[cand]
        if len(rnd.excluded[t]):
            keep &= ~np.isin(cand, rnd.excluded[t])
        cand, total = cand[keep], total[keep]
        if not len(cand):
            continue
        again = moved[cand]
        if again.any():
            total[again] = rnd.score(np.full(int(again.sum()), t), cand[again], free[cand[again]]).total
        b = int(cand[int(np.argmax(total))])
        c = int(free[b])
        plan.spec[t], plan.place[t], plan.occupant[b, c] = b, c, t
        used[b] += 1
        moved[b] = True
        if used[b] >= rnd.room[b]:
            has_room[b] = False
        else:
            free[b] = int(np.argmax(plan.occupant[b] < 0))


def decisions(rnd: Round, plan: Plan) -> list[Decision]:
    """One decision per task in urgency order, with the winner and the best alternatives."""
    used = (plan.occupant >= 0).sum(axis=1)
    candidates = _explained_candidates(rnd, plan, used)
    waiting = np.flatnonzero(plan.spec < 0)
    reasons = dict(zip(waiting.tolist(), rnd.why_not(waiting, used)))
    spec, considered = plan.spec.tolist(), plan.eligible.tolist()
    ids = [s.id for s in rnd.specialists]
    out = []
    for t in rnd.order():
        task_id = rnd.tasks[t].id
        if spec[t] < 0:
            reason, counts = reasons[t]
            out.append(Decision(task_id, None, reason=reason, filtered=counts))
            continue
        out.append(Decision(task_id, ids[spec[t]], considered=considered[t], candidates=candidates[t]))
    return out


def _explained_candidates(rnd: Round, plan: Plan, used: np.ndarray) -> dict:
    """For each placed task: its winner (in its place), then up to TOP - 1 runners-up (each in
    the place they would give it now) by score, best first; scored in one call."""
    placed = np.flatnonzero(plan.spec >= 0)
    others = plan.alternatives[placed]
    others = np.where(others == plan.spec[placed, None], -1, others)
    # Keep the first TOP - 1 real alternatives of each row, in order.
    order = np.argsort(others < 0, axis=1, kind="stable")[:, :TOP - 1]
    others = np.take_along_axis(others, order, axis=1)
    who = np.concatenate([plan.spec[placed, None], others], axis=1)
    task = np.repeat(placed[:, None], TOP, axis=1)
    valid = who >= 0
    safe = np.maximum(who, 0)
    places = np.where(np.arange(TOP) == 0, plan.place[placed, None],
                      np.minimum(used[safe], np.maximum(rnd.room[safe] - 1, 0)))
    scored = rnd.score(task[valid], who[valid], places[valid])
    full = (used[who[valid]] >= rnd.room[who[valid]]) & (np.nonzero(valid)[1] > 0)
    # Runners-up by score, best first (a stable sort: equals keep their order); gaps last.
    lower = np.full(who.shape, np.inf)
    lower[valid] = -scored.total
    columns = np.concatenate([np.zeros((len(placed), 1), dtype=np.int64),
                              1 + np.argsort(lower[:, 1:], axis=1, kind="stable")], axis=1)
    entry = np.full(who.shape, -1)
    entry[valid] = np.arange(int(valid.sum()))
    entries = np.take_along_axis(entry, columns, axis=1).tolist()
    made = [Candidate(*row) for row in zip(
        who[valid].tolist(), scored.total.tolist(), map(tuple, scored.factors.tolist()),
        scored.starts.tolist(), scored.finishes.tolist(), scored.target.tolist(), full.tolist())]
    return {t: [made[i] for i in row if i >= 0] for t, row in zip(placed.tolist(), entries)}


def total_score(rnd: Round, plan: Plan) -> float:
    """The round's total score (what bench/routing.py compares with the optimum)."""
    placed = np.flatnonzero(plan.spec >= 0)
    return float(rnd.score(placed, plan.spec[placed], plan.place[placed]).total.sum())
