"""Ways to hand out work, side by side: Broker's routing, round-robin, least-loaded, self-claim.

The three that offer work run rounds like the scheduler's (`route_tasks`): at most one every
`routing.every_minutes` while something changed, over the same inputs and the same filter
(routing.engine.Round: skills, capacity, time off, never someone who passed on the task). They
differ only in whom each task is offered to. Self-claim makes no offers: people at work look at
the tasks they may claim, most urgent first, as the /available page lists them.
"""
from datetime import timedelta

import numpy as np

from broker.planning.engine_bridge import (
    QUEUED,
    RECORD_PRIOR,
    Candidate,
    Round,
    SpecialistInput,
    TaskInput,
    assign_round,
    refusal,
    urgency_key,
)


class Rounds:
    """Routing rounds on the scheduler's pace; subclasses choose who is offered what."""

    name = ""

    def __init__(self, sim):
        self.sim = sim
        self.pending = None  # the instant of the next round, once one is asked for
        self.every = timedelta(minutes=sim.scenario.routing.every_minutes)

    def wake(self, at):
        """Something changed (new work, a free place, an offer back): a round at the next tick."""
        ticks = -((self.sim.start - at) // self.every)  # ceil
        tick = self.sim.start + ticks * self.every
        if self.pending is None or self.pending > tick:
            self.pending = tick
            self.sim.at(tick, self.round)

    def round(self):
        sim = self.sim
        if self.pending != sim.now:
            return  # an earlier round took its place
        self.pending = None
        queued = list(sim.queue.values())
        people = routable(sim, queued)
        if not queued or not people:
            return
        rnd = Round([person_input(sim, w) for w in people], [task_input(sim, t) for t in queued],
                    sim.now, sim.weights)
        sim.counts["rounds"] += 1
        for t, j in self.choose(rnd):
            sim.offer(queued[t], people[j], rnd.start[j])

    def choose(self, rnd: Round) -> list[tuple[int, int]]:
        """(task position, specialist position) of each offer of the round."""
        raise NotImplementedError


class BrokerRouting(Rounds):
    """The product's round: filter, score and one assignment over the whole round."""

    name = "broker"

    def choose(self, rnd):
        index = {task.id: t for t, task in enumerate(rnd.tasks)}
        return [(index[d.task_id], rnd.position[d.specialist_id]) for d in assign_round(rnd)
                if d.specialist_id is not None]


class RoundRobin(Rounds):
    """Most urgent first, each task to the next eligible specialist in roster order."""

    name = "round_robin"

    def __init__(self, sim):
        super().__init__(sim)
        self.last = 0  # id of the specialist who got the last offer

    def choose(self, rnd):
        used, out = np.zeros(len(rnd.specialists), dtype=np.int64), []
        for t in rnd.order():
            who = rnd.eligible(t, used)
            if not len(who):
                continue
            ids = np.array([rnd.specialists[j].id for j in who])
            after = np.flatnonzero(ids > self.last)
            j = int(who[after[0]] if len(after) else who[0])
            self.last = rnd.specialists[j].id
            used[j] += 1
            out.append((t, j))
        return out


class LeastLoaded(Rounds):
    """Most urgent first, each task to the eligible specialist with the emptiest queue."""

    name = "least_loaded"

    def choose(self, rnd):
        used, out = np.zeros(len(rnd.specialists), dtype=np.int64), []
        for t in rnd.order():
            who = rnd.eligible(t, used)
            if not len(who):
                continue
            j = int(min(who, key=lambda j: ((rnd.load[j] + used[j]) / rnd.capacity[j],
                                             rnd.queued[j], rnd.specialists[j].id)))
            used[j] += 1
            out.append((t, j))
        return out


class SelfClaim:
    """No offers: every `claim_every_minutes` each specialist at work with a free place claims
    the most urgent task they may take, in turns."""

    name = "self_claim"

    def __init__(self, sim):
        self.sim, self.pending, self.turn = sim, None, 0
        self.every = timedelta(minutes=sim.scenario.routing.claim_every_minutes)

    def wake(self, at):
        if self.pending is None:
            ticks = -((self.sim.start - at) // self.every)
            self.pending = self.sim.start + ticks * self.every
            self.sim.at(self.pending, self.look)

    def look(self):
        sim = self.sim
        self.pending = None
        if not sim.queue:
            return
        ordered = sorted(sim.queue.values(), key=urgency_key)
        self.turn += 1
        people = sim.workers[self.turn % len(sim.workers):] + sim.workers[:self.turn % len(sim.workers)]
        for worker in people:
            if worker.room > 0 and worker.working_from(sim.now) == sim.now:
                self._claim_one(worker, ordered)
        if sim.queue:
            self.wake(sim.now + self.every)

    def _claim_one(self, worker, ordered):
        who = Candidate(worker.id, True, worker.person.skills, worker.person.capacity,
                        len(worker.held), list(worker.person.time_off))
        for task in ordered:
            if task.state == QUEUED and refusal(task.skills, who, self.sim.now) is None:
                self.sim.claim(task, worker)
                return


STRATEGIES = {s.name: s for s in (BrokerRouting, RoundRobin, LeastLoaded, SelfClaim)}


def routable(sim, queued: list) -> list:
    """Specialists a round could offer something to: a free place, not on time off, and the
    skills of at least one queued task (the others would be filtered out by the round anyway)."""
    needs = {t.spec.skills for t in queued}
    return [w for w in sim.workers if w.room > 0 and not w.off_at(sim.now)
            and any(all(w.person.skills.get(k, 0) >= level for k, level in skills)
                    for skills in needs)]


def person_input(sim, worker) -> SpecialistInput:
    """A specialist as routing.store would read them at this instant."""
    weight, prior = RECORD_PRIOR
    p = worker.person
    return SpecialistInput(
        id=worker.id, name=p.name, tz=p.timezone, skills=p.skills, capacity=p.capacity,
        load=len(worker.held), queued_hours=sum(t.spec.estimate_hours for t in worker.held),
        week=worker.week, on_time_record=(worker.on_time + weight * prior) / (worker.submitted + weight),
        briefs=frozenset(t.spec.brief_id for t in worker.assigned), off_now=False,
        auto_accept=p.auto_accept)


def task_input(sim, task) -> TaskInput:
    """A queued task as routing.store would read it: its target is the hard due date, else the
    SLA turnaround, else the default for its priority."""
    spec = task.spec
    return TaskInput(
        id=spec.id, brief_id=spec.brief_id, priority=spec.priority,
        estimate_hours=spec.estimate_hours, skills=spec.skills, target_at=task.target_at,
        created_at=task.created_at, needs_overlap=spec.needs_overlap,
        manager_week=sim.manager_weeks[spec.manager] if spec.needs_overlap else None,
        excluded=frozenset(task.excluded))
