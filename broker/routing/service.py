"""route_round: one routing round, from reading the queue to writing the offers, in one transaction."""
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from operator import call

import numpy as np
from flask import current_app

from broker.errors import InvalidInput
from broker.extensions import db
from broker.pause import pause_point
from broker.routing import store
from broker.routing.assign import assign_round, collector_paused
from broker.routing.engine import Round
from broker.routing.explain import Explainer
from broker.routing.models import RoutingRound
from broker.routing.round_data import Candidate, Decision, Weights
from broker.timeutil import to_utc
from broker.unit_of_work import commit, transaction
from tasks.services import RoutedOffer, note_waiting, place_offers
from tasks.signals import RecordedTask

OFFER_CHUNK = 500  # offers explained (helper thread) and written (this one) at a time


@dataclass
class RoundResult:
    queued: int
    offered: int
    waiting: int
    seconds: float
    engine_seconds: float

    def __str__(self):
        return (f"routed {self.queued} queued tasks: {self.offered} offered, {self.waiting} waiting "
                f"({self.seconds * 1000:.0f} ms, engine {self.engine_seconds * 1000:.0f} ms)")


def route_round(now: datetime, config: dict | None = None) -> RoundResult:
    """Route every queued task as of `now`: offer each to the best eligible specialist with room,
    or note why it waits. One round at a time; claims wait for it to finish."""
    with collector_paused():  # the whole round: a million short-lived objects, no cycles
        return _route_round(now, config)


@transaction
def _route_round(now: datetime, config: dict | None) -> RoundResult:
    config = config or current_app.config
    now = to_utc(now)
    started = time.perf_counter()
    is_postgres = db.engine.dialect.name == "postgresql"
    record = RoutingRound(at=now)
    db.session.add(record)
    db.session.flush()  # on SQLite this takes the write lock before anything is read
    store.lock_round(is_postgres)
    tasks, rows = store.queued_tasks(now, config, is_postgres)
    people = store.specialists(now)
    engine_started = time.perf_counter()
    rnd = Round(people, tasks, now, Weights.from_config(config.get("ROUTING_WEIGHTS")))
    decisions = assign_round(rnd)
    engine_seconds = time.perf_counter() - engine_started
    placed = _write_outcomes(rnd, decisions, rows, config, now, is_postgres)
    record.queued, record.offered = len(tasks), len(placed)
    record.waiting = len(tasks) - len(placed)
    record.duration_ms = int((time.perf_counter() - started) * 1000)
    pause_point("route_round.before_commit")  # the crash tests kill the scheduler here
    commit()
    result = RoundResult(record.queued, record.offered, record.waiting,
                         time.perf_counter() - started, engine_seconds)
    return result


def _write_outcomes(rnd: Round, decisions, rows: dict, config: dict, now: datetime,
                    is_postgres: bool) -> list:
    """Offer the placed tasks and note why the others wait (`rows`: the queued rows read, by
    task id); returns the tasks offered.

    On PostgreSQL a helper thread words the waiting notes, then the offers a chunk at a time,
    while this one writes what was worded before: the server works on one chunk as the next is
    worded, so that part of the round costs about the larger of the two, not their sum. SQLite
    works in this process, releasing the GIL for every row it writes; a busy helper would then
    hold up each row (about 0.25 s more a 5,000-task round), so there each chunk is worded in
    this thread just before it is written.
    """
    explainer = Explainer(rnd)  # used by one thread at a time
    offered = [d for d in decisions if d.specialist_id is not None]
    waiting = [d for d in decisions if d.specialist_id is None and rows[d.task_id].reason != d.reason]
    wording = [partial(_waiting_notes, explainer, waiting)] + [  # the shortest first
        partial(_offers, explainer, offered[i:i + OFFER_CHUNK], rows, config)
        for i in range(0, len(offered), OFFER_CHUNK)]
    helper = ThreadPoolExecutor(1, thread_name_prefix="explain") if is_postgres else None
    try:
        worded = (helper.map if helper else map)(call, wording)  # in order, as each is ready
        note_waiting(next(worded))
        return place_offers(worded, now)
    finally:
        if helper:
            helper.shutdown(cancel_futures=True)


def _offers(explainer: Explainer, decisions: list, rows: dict, config: dict) -> list[RoutedOffer]:
    """The offers of placed decisions, each with its explanation."""
    rnd, minutes = explainer.rnd, config["ROUTING_OFFER_MINUTES"]
    offers = []
    for decision in decisions:
        row = rows[decision.task_id]
        pos, starts = decision.candidates[0].position, decision.candidates[0].starts
        # An offer to someone off work runs from the start of their day, not from now.
        expires_at = rnd.now + timedelta(hours=starts, minutes=minutes[row.priority])
        offers.append(RoutedOffer(
            RecordedTask(row.id, row.title, row.brief_id, row.owner_id, decision.specialist_id),
            row.version, expires_at, explainer.explain(decision), rnd.specialists[pos].auto_accept))
    return offers


def _waiting_notes(explainer: Explainer, decisions: list) -> dict[int, dict]:
    return {decision.task_id: explainer.explain(decision) for decision in decisions}


def explain_offer(task_id: int, specialist_id: int, now: datetime, config: dict | None = None) -> dict:
    """The explanation routing would store for offering a queued task to a chosen specialist
    (for offers made by hand, such as the demo's): that specialist against the best others."""
    config = config or current_app.config
    now = to_utc(now)
    tasks, _ = store.queued_tasks(now, config, is_postgres=False, only={task_id})
    rnd = Round(store.specialists(now), tasks, now, Weights.from_config(config.get("ROUTING_WEIGHTS")))
    who = rnd.eligible(0, np.zeros(len(rnd.specialists), dtype=np.int64)) if tasks else []
    chosen = rnd.position.get(specialist_id)
    if chosen not in who:
        raise InvalidInput("That specialist cannot take this task now.",
                           {"specialist_id": ["Not eligible for this task now."]})
    scored = rnd.scores(0, who, np.zeros(len(who), dtype=np.int64))
    first = int(np.flatnonzero(who == chosen)[0])
    order = [first] + [i for i in np.argsort(-scored.total, kind="stable") if i != first][:2]
    candidates = [Candidate(int(who[i]), float(scored.total[i]), tuple(scored.factors[i].tolist()),
                            float(scored.starts[i]), float(scored.finishes[i]),
                            float(scored.target[i])) for i in order]
    return Explainer(rnd).explain(Decision(task_id, specialist_id, candidates=candidates,
                                           considered=len(who)))
