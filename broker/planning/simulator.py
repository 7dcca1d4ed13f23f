"""The discrete-event loop: tasks arrive, a strategy hands them out, people answer offers and work
through their hours, managers review, SLA clocks run, until the scenario's time is up.

Every state change goes through tasks.lifecycle.next_state (an illegal one raises, as it would in
the product) and is recorded as a (event type, instant) line of the task's history, from which
sla.clocks derives the clocks exactly as it does for stored tasks. Working time is the product's
business-hours arithmetic over each person's weekly hours, timezone and time off.
"""
import heapq
import itertools
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from broker.planning.engine_bridge import (
    ACTIONS,
    IN_PROGRESS,
    LOADED,
    OFFERED,
    OPEN,
    QUEUED,
    Weights,
    WorkWeek,
    add_working_hours,
    clock_status,
    next_state,
)
from broker.planning.scenario import Scenario
from broker.planning.sla_book import SlaBook, first
from broker.planning.state import SimTask, Worker
from broker.planning.work import Work

PROGRESS_EVERY = 2000  # events between progress reports


class Simulation:
    """One strategy over one scenario's arrivals; run() returns the simulation, metrics read it."""

    def __init__(self, scenario: Scenario, specs: list, strategy_class, progress=None):
        self.scenario, self.progress = scenario, progress
        # zoneinfo keeps only a few zones strongly cached; holding them spares re-reading the files
        self.zones = {tz: ZoneInfo(tz) for tz in _timezones(scenario)}
        self.start = scenario.start
        self.horizon = self.start + timedelta(weeks=scenario.weeks)
        self.end = self.horizon + timedelta(days=scenario.drain_days)
        self.tasks = [SimTask(spec) for spec in specs]
        self.by_id = {t.id: t for t in self.tasks}
        self.waiting_on: dict = defaultdict(list)  # task id -> tasks posted after it is approved
        self.workers = [Worker.build(i, p, self.start, self.end + timedelta(days=60))
                        for i, p in enumerate(scenario.specialists, start=1)]
        self.by_worker = {w.id: w for w in self.workers}
        self.manager_weeks = [WorkWeek(scenario.routing.manager_hours, m.timezone)
                              for m in scenario.managers]
        self.weights = Weights.from_config(scenario.routing.weights)
        self.sla = SlaBook(scenario.sla)
        self.queue: dict = {}  # id -> queued task, oldest first
        self.counts: Counter = Counter()
        self._events: list = []
        self._seq = itertools.count()
        self.now = self.start
        self.work = Work(self)
        self.strategy = strategy_class(self)

    # --- the loop --------------------------------------------------------------------------------

    def at(self, when: datetime, action, *args):
        """Schedule `action(*args)` at instant `when` (same instant: in the order scheduled)."""
        heapq.heappush(self._events, (when, next(self._seq), action, args))

    def run(self) -> "Simulation":
        for task in self.tasks:
            self.at(task.spec.posted_at, self.post, task)
        for worker in self.workers:  # back from time off: routing may use them again
            for _, back in worker.person.time_off:
                if self.start < back < self.end:
                    self.at(back, self.strategy.wake, back)
        handled = 0
        while self._events:
            when, _, action, args = heapq.heappop(self._events)
            if when > self.end:
                break
            self.now = when
            action(*args)
            handled += 1
            if self.progress and handled % PROGRESS_EVERY == 0:
                self.progress((when - self.start) / (self.end - self.start))
        self.now = self.end  # the numbers are as of the end, whenever the last event came
        return self

    # --- arrivals --------------------------------------------------------------------------------

    def post(self, task: SimTask):
        """A brief's task comes in; one that waits for a sibling's approval is posted then."""
        after = task.spec.after
        if after is not None and self.by_id[after].closed_at is None:
            self.waiting_on[after].append(task)
            return
        self.release(task)

    def release(self, task: SimTask):
        """Queued, with its 'created' event: the clocks start, routing may take it."""
        spec, now = task.spec, self.now
        task.state, task.created_at = QUEUED, now
        task.events.append(("created", now))
        task.remaining, task.revisions_left = spec.effort_hours, spec.revisions
        task.block_at = spec.effort_hours - spec.block_at if spec.block_at is not None else None
        clocks = self.sla.clocks(task)
        ack, turnaround = first(clocks, "ack"), first(clocks, "turnaround")
        default = self.scenario.routing.default_target_hours[spec.priority]
        task.target_at = spec.due_at or (turnaround.due_at if turnaround else
                                         now + timedelta(hours=default))
        if ack is not None:
            task.ack_due = ack.due_at
            self.at(ack.due_at, self.ack_breach, task)
        self.queue[task.id] = task
        self.strategy.wake(now)

    # --- the lifecycle ---------------------------------------------------------------------------

    def move(self, task: SimTask, action: str):
        """One lifecycle step, checked by the product's table and recorded in the history."""
        before = self.by_worker.get(task.assignee)
        source = task.state
        task.state = next_state(source, action)
        task.events.append((ACTIONS[action].event, self.now))
        if source == OFFERED and task.state != IN_PROGRESS:  # declined, lapsed or withdrawn
            task.excluded.add(task.assignee)
            task.assignee = None
        if source == QUEUED:
            self.queue.pop(task.id, None)
        elif task.state == QUEUED:
            self.queue[task.id] = task
        if before is not None:
            before.held.discard(task)
            before.assigned.discard(task)
        holder = self.by_worker.get(task.assignee)
        if holder is not None:
            if task.state in LOADED:
                holder.held.add(task)
            if task.state in OPEN:
                holder.assigned.add(task)

    def offer(self, task: SimTask, worker: Worker, starts_hours: float):
        """Reserve the task for one specialist until the window after their working time starts
        (as a routing round's offer); they will accept, decline or let it lapse."""
        now, priority = self.now, task.spec.priority
        window = self.scenario.routing.offer_minutes[priority]
        expires = now + timedelta(hours=float(starts_hours), minutes=window)
        task.assignee = worker.id
        self.move(task, "offer")
        self.counts["offers"] += 1
        if worker.person.auto_accept:
            self.accept(task)
            return
        task.offers += 1
        answer, answer_at = self._answer(task, worker, window)
        if answer is not None and answer_at < expires:
            self.at(answer_at, self.answered, task, task.offers, answer)
        self.at(expires, self.expire, task, task.offers)

    def _answer(self, task: SimTask, worker: Worker, window: float):
        """This offer's answer and when it comes, drawn from the seed, the task and the offer's
        number: the same offer gets the same answer whatever the strategy."""
        draw = random.Random(f"{self.scenario.seed}:{task.id}:{task.offers}")
        behaviour = self.scenario.behaviour
        u, share = draw.random(), draw.uniform(*behaviour.response_share)
        answer = ("decline" if u < behaviour.decline_rate else
                  None if u < behaviour.decline_rate + behaviour.lapse_rate else "accept")
        begins = worker.working_from(self.now) or self.end
        return answer, begins + timedelta(minutes=window * share)

    def answered(self, task: SimTask, number: int, answer: str):
        if task.state != OFFERED or task.offers != number:
            return
        if answer == "accept":
            self.accept(task)
        else:
            self.move(task, "decline")
            self.counts["declined"] += 1
            self.strategy.wake(self.now)

    def expire(self, task: SimTask, number: int):
        if task.state == OFFERED and task.offers == number:
            self.move(task, "expire")
            self.counts["expired"] += 1
            self.strategy.wake(self.now)

    def ack_breach(self, task: SimTask):
        """The SLA sweep at the acknowledgement's due instant: a breached, unanswered offer is
        withdrawn and the task goes back to routing."""
        if task.state != OFFERED:
            return
        ack = first(self.sla.clocks(task), "ack")
        if ack is not None and clock_status(ack, self.now)[0] == "breached":
            self.move(task, "withdraw")
            self.counts["withdrawn"] += 1
            self.strategy.wake(self.now)

    def accept(self, task: SimTask):
        self.move(task, "accept")
        self.work.take(task)

    def claim(self, task: SimTask, worker: Worker):
        task.assignee = worker.id
        self.move(task, "claim")
        self.work.take(task)

    def approved(self, task: SimTask):
        """Closed: post the tasks that waited for it."""
        task.closed_at = self.now
        for waiting in self.waiting_on.pop(task.id, []):
            self.release(waiting)

    def manager_hours_later(self, task: SimTask, hours: float) -> datetime:
        """When `hours` of the brief owner's working time have passed from now."""
        week = self.manager_weeks[task.spec.manager]
        return add_working_hours(week, self.now, hours) or self.now + timedelta(hours=hours)


def _timezones(scenario: Scenario) -> set:
    return ({p.timezone for p in scenario.specialists} | {m.timezone for m in scenario.managers}
            | {c["timezone"] for c in scenario.sla.calendars})
