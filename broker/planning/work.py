"""How specialists get work done: one task at a time, most urgent first (the order of their queue
page), only in their working time, with blocks, submissions, reviews and revisions."""
from datetime import datetime

from broker.planning.engine_bridge import CHANGES_REQUESTED, add_working_hours, urgency_key, working_hours_between
from broker.planning.state import SimTask, Worker


class Work:
    """The working side of a simulation: people's piles, their hours, managers' reviews."""

    def __init__(self, sim):
        self.sim = sim

    def take(self, task: SimTask):
        """Accepted or claimed (or back from a block or a review): onto the assignee's pile."""
        worker = self.sim.by_worker[task.assignee]
        worker.pile.append(task)
        self.next(worker)

    def next(self, worker: Worker):
        """Start the most urgent task of the pile if they are free and at work, else look again
        when their working time starts."""
        now = self.sim.now
        if worker.current is not None or not worker.pile:
            return
        begins = worker.working_from(now)
        if begins is None:
            return
        if begins > now:
            if worker.wake_at is None or worker.wake_at > begins:
                worker.wake_at = begins
                self.sim.at(begins, self.wake, worker)
            return
        task = min(worker.pile, key=urgency_key)
        worker.pile.remove(task)
        if task.state == CHANGES_REQUESTED:
            self.sim.move(task, "resume")
        hours = task.remaining - (task.block_at if task.block_at is not None else 0.0)
        finish = add_working_hours(worker.week, now, hours)
        if finish is None:
            return  # no working time left for them: the task stays with them, unfinished
        worker.current, worker.segment = task, (now, hours)
        self.sim.at(finish, self.done, worker)

    def wake(self, worker: Worker):
        worker.wake_at = None
        self.next(worker)

    def done(self, worker: Worker):
        """The piece of work under way is done: the task blocks or is submitted."""
        task, (started, hours) = worker.current, worker.segment
        worker.current = worker.segment = None
        task.remaining -= hours
        self._count(worker, started)
        if task.block_at is not None:
            task.block_at = None
            self.sim.move(task, "block")
            self.sim.at(self.sim.manager_hours_later(task, task.spec.block_hours), self.unblock, task)
        else:
            self.submit(task, worker)
        self.next(worker)

    def _count(self, worker: Worker, started: datetime):
        """Working hours spent inside the scenario's weeks (utilization's numerator)."""
        horizon = self.sim.horizon
        if started < horizon:
            worker.worked_hours += working_hours_between(worker.week, started,
                                                         min(self.sim.now, horizon))

    def submit(self, task: SimTask, worker: Worker):
        sim = self.sim
        sim.move(task, "submit")
        if task.first_submitted_at is None:
            task.first_submitted_at = sim.now
            if task.spec.due_at is not None:  # the on-time record routing reads
                worker.submitted += 1
                worker.on_time += sim.now <= task.spec.due_at
        wait = task.spec.review_hours[min(task.reviews, len(task.spec.review_hours) - 1)]
        sim.at(sim.manager_hours_later(task, wait), self.review, task)
        sim.strategy.wake(sim.now)  # submitted work frees its place

    def unblock(self, task: SimTask):
        self.sim.move(task, "unblock")
        self.take(task)

    def review(self, task: SimTask):
        """The owner decides: changes (the task takes its place back) or approval."""
        task.reviews += 1
        if task.revisions_left:
            task.revisions_left -= 1
            task.remaining = task.spec.revision_hours
            self.sim.move(task, "request_changes")
            self.take(task)
        else:
            self.sim.move(task, "approve")
            self.sim.approved(task)
