"""Crashes lose nothing: a real `broker scheduler` process is SIGKILLed in the middle of a routing
round, of a delivery (Slack holding the message) and of an SLA sweep, then started again. After
the restart no task has two assignees nor a specialist more work than their capacity, every
notification is delivered, none twice but the one Slack held at the kill (the window the README's
Notifications section names), and the steps and digests that came due meanwhile are caught up
once. The kill points are deterministic: a pause point (BROKER_PAUSE_AT) or the fake Slack holding
a request; every wait polls the database, the log or the fake Slack, with a bound.

They pass on any date: all data is made relative to the clock, which the scheduler process
shares (under faketime too, as CI runs them). With libfaketime 0.9.10 that takes
FAKETIME_DONT_FAKE_MONOTONIC=1, as .ci/run sets: with a faked monotonic clock a timed wait on a
thread lock (APScheduler's wake-up Event, Thread.join(timeout)) never returns, so they skip there;
and since time.sleep then fails with EINVAL, the waits here pause on Events."""
import os
import threading
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from broker.db_events import writing
from broker.extensions import db
from broker.people.models import SpecialistProfile, User
from broker.routing.models import RoutingRound
from broker.timeutil import utcnow
from broker.worktime.weekly_hours import WEEKDAYS
from notifications.models import DIGESTED, IN_DIGEST, QUEUED, SENDING, SENT, DigestSent, Notification
from sla.models import SlaEscalation
from tasks import lifecycle, services
from tasks.models import Task, TaskEvent
from tests.notify_helpers import offer, set_me
from tests.scheduler_process import SchedulerProcess, wait_until

pytestmark = [pytest.mark.crash, pytest.mark.skipif(
    "faketime" in os.environ.get("LD_PRELOAD", "")
    and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") != "1",
    reason="with a faked monotonic clock, libfaketime's timed thread waits never return")]
ROUND_PAUSE, SWEEP_PAUSE = "route_round.before_commit", "sla_sweep.before_commit"
AROUND_THE_CLOCK = {day: [["00:00", "24:00"]] for day in WEEKDAYS}
JOBS = ("expire_offers", "route_tasks", "sla_sweep", "deliver_outbox", "send_digests")


@pytest.fixture
def schedulers(app, tmp_path):
    """Start `broker scheduler` processes (Slack timeout 2 s, so an outbox lease of 6 s); each is
    killed at the end, and its log printed (pytest shows it when the test fails)."""
    started = []

    def start(**settings):
        process = SchedulerProcess(app, tmp_path / f"scheduler-{len(started) + 1}.log",
                                   BROKER_SLACK_TIMEOUT="2", BROKER_OUTBOX_LEASE_SECONDS="1",
                                   **settings)
        started.append(process.start())
        return process

    yield start
    for process in started:
        process.kill()
        print(f"--- {process.log_path.name}\n{process.log()}")


def test_a_round_killed_before_its_commit_leaves_nothing_and_the_restart_routes_each_task_once(
        app, make, slack, schedulers, is_postgres):
    manager = make.user("manager")
    people = [make.specialist(capacity=4, hours=AROUND_THE_CLOCK, auto_accept=i % 6 == 0)
              for i in range(30)]
    webhooks(app, slack, people)
    task_ids = [t for priority in ("urgent", "high", "normal")
                for t in make.brief(manager, n_tasks=100, priority=priority,
                                    title=f"{priority} teaser")[1]]

    first = schedulers(BROKER_PAUSE_AT=ROUND_PAUSE)
    first.wait_for(f"paused at {ROUND_PAUSE}")
    claim = ClaimBehind(app, task_ids[-1], people[1].id, is_postgres)  # a claim meanwhile
    claim.start()
    if is_postgres:  # it waits for the round's row locks (on SQLite, unseen, for the write lock)
        wait_until(lambda: waiting_on_a_lock(app, claim.backend), 30,
                   "the claim to wait for the round's locks")
    first.kill()
    window = unrecorded(app, slack)
    claim.join(timeout=30)
    assert claim.outcome == "claimed"
    assert count(app, RoutingRound) == 0 and events_of_type(app, "offered") == []
    assert states(app) == {"queued": 299, "in_progress": 1}

    second = schedulers()
    wait_for_quiet(app, second)
    second.kill()
    assert count(app, RoutingRound) >= 1 and "offered" in states(app)
    assert_assignments_sound(app)
    offers = events_of_type(app, "offered")
    assert len(offers) == len(set(offers)) and task_ids[-1] not in offers
    assert read(app, select(Task.state, Task.assignee_id).where(Task.id == task_ids[-1])) == [
        ("in_progress", people[1].id)]
    assert_delivered(app, slack, window)


def test_a_scheduler_killed_while_slack_holds_a_message_sends_that_one_again_and_no_other(
        app, make, slack, schedulers):
    manager, people = make.user("manager"), [make.specialist(capacity=10) for _ in range(3)]
    webhooks(app, slack, people)
    _, task_ids = make.brief(manager, n_tasks=9)
    now = utcnow()
    for i, task_id in enumerate(task_ids):
        offer(app, task_id, people[i % 3], now + timedelta(hours=4), now)
    slack.mode, slack.delay = "slow", 1.0

    first = schedulers()
    wait_until(lambda: len(slack.received) >= 3, 60, "Slack to hold the third message")
    first.kill()
    (held,) = [r for r in slack.received if not r["answered"]]
    window = unrecorded(app, slack)
    assert len(slack.received) == 3 and states(app, Notification).get(SENT) == 2
    assert window[1] == 1  # the message Slack held: taken, never recorded as sent
    assert SENDING in states(app, Notification)  # claimed, and left for the lease to run out

    slack.mode = "ok"
    second = schedulers()
    wait_for_quiet(app, second)
    second.kill()
    assert assert_delivered(app, slack, window) == {key(held): 2}


def test_a_sweep_killed_before_its_commit_fires_nothing_and_what_came_due_is_caught_up_once(
        app, make, slack, schedulers):
    admin, manager, specialist = make.user("admin"), make.user("manager"), make.specialist(capacity=5)
    zone = next(z for z in ("UTC", "Asia/Tokyo") if utcnow().astimezone(ZoneInfo(z)).hour != 23)
    for user in (admin, manager, specialist):  # no digest is due while the first one runs
        set_me(app, user, timezone=zone, digest_hour=23)
    webhooks(app, slack, [admin, manager, specialist])
    posted = utcnow() - timedelta(hours=7)  # urgent: ack 1 h, turnaround 4 h, escalation +4 h
    _, (stuck,) = make.brief(manager, now=posted, priority="urgent", due_at=None,
                             title="Nobody can", skills=[{"skill": "after_effects", "min_level": 5}])
    _, (offered, working) = make.brief(manager, n_tasks=2, now=posted, priority="urgent",
                                       due_at=None, title="Someone can")
    _, (due_today,) = make.brief(manager, priority="urgent", due_at=utcnow() + timedelta(minutes=30),
                                 title="Due today")  # something for the manager's digest
    offer(app, offered, specialist, utcnow() + timedelta(hours=4), posted)
    claim_at(app, working, specialist.id, posted)
    claim_at(app, due_today, specialist.id, utcnow())

    first = schedulers(BROKER_PAUSE_AT=SWEEP_PAUSE)
    first.wait_for(f"paused at {SWEEP_PAUSE}")
    first.kill()
    window = unrecorded(app, slack)
    assert count(app, SlaEscalation) == 0 and sla_events(app) == []
    assert states(app) == {"queued": 1, "offered": 1, "in_progress": 2}
    local_hour = utcnow().astimezone(ZoneInfo(zone)).hour
    set_me(app, manager, digest_hour=local_hour)  # the manager's digest hour came while it was down

    second = schedulers()
    wait_for_quiet(app, second)
    second.kill()
    fired = Counter((e.task_id, e.target, e.step) for e in escalations(app))
    assert set(fired.values()) == {1}
    assert {(t, target, step) for t, target, step in fired if t == stuck} == {
        (stuck, "ack", "breach"), (stuck, "ack", "escalation"), (stuck, "turnaround", "breach")}
    assert {(t, target, step) for t, target, step in fired if t == working} == {
        (working, "turnaround", "warning"), (working, "turnaround", "breach")}
    assert {(target, step) for t, target, step in fired if t == offered} == {
        ("ack", "warning"), ("ack", "breach"), ("ack", "escalation"),
        ("turnaround", "warning"), ("turnaround", "breach")}
    assert Counter((t, e["target"], e["step"]) for t, e in sla_events(app)) == fired
    assert [e for e in events_of(app, offered) if e == "offer_withdrawn"] == ["offer_withdrawn"]
    assert_assignments_sound(app)
    with app.app_context():
        (digest,) = db.session.scalars(select(DigestSent).where(DigestSent.user_id == manager.id))
        assert digest.items >= 1 and digest.notification.state == SENT
    assert_delivered(app, slack, window)


# --- the checks -----------------------------------------------------------------------------

def assert_assignments_sound(app):
    """No specialist holds more work than their capacity, and each task's history is one chain of
    states ending in the task's state, its last taker being the task's assignee: a doubled or
    lost assignment (two offers at once, an offer over a claim) breaks the chain or the match."""
    with app.app_context():
        capacity = dict(db.session.execute(
            select(SpecialistProfile.user_id, SpecialistProfile.capacity)).all())
        load = Counter(db.session.scalars(
            select(Task.assignee_id).where(Task.state.in_(lifecycle.HOLDS_A_PLACE))))
        assert {uid: n for uid, n in load.items() if n > capacity[uid]} == {}
        for task in db.session.scalars(select(Task).options(selectinload(Task.events))):
            history = sorted(task.events, key=lambda e: e.id)
            for before, after in zip(history, history[1:]):
                assert before.to_state == after.from_state, (task.id, before.type, after.type)
            assert history[-1].to_state == task.state
            assert task.assignee_id == last_taker(history), task.id
        db.session.remove()


def last_taker(history: list) -> int | None:
    """Who holds the task after these events: the last offer's specialist or claimer, until an
    event sends the task back to the queue."""
    holder = None
    for event in history:
        if event.type == "offered":
            holder = event.details["specialist_id"]
        elif event.type == "claimed":
            holder = event.actor_id
        elif event.to_state == lifecycle.QUEUED:
            holder = None
    return holder


def assert_delivered(app, slack, window: tuple[set, int]) -> dict:
    """Every notification left the outbox (sent, or waiting for or covered by a digest), each one
    sent to a webhook reached Slack, and none came twice but those of the kill's window (see
    unrecorded); returns the repeated messages."""
    taken, unrecorded_count = window
    assert {state for (state,) in read(app, select(Notification.state))} <= {SENT, IN_DIGEST, DIGESTED}
    received = Counter(key(r) for r in slack.received)
    assert len(received) == sent_to_webhooks(app)
    repeated = {message: n for message, n in received.items() if n > 1}
    assert set(repeated) <= taken and len(repeated) <= unrecorded_count
    assert set(repeated.values()) <= {2}
    return repeated


def unrecorded(app, slack) -> tuple[set, int]:
    """Right after a kill: the messages Slack took so far, and how many of them the dead process
    had not recorded as sent. Those few are the README's window (Notifications): Slack accepted
    them, the process died before the `sent` commit, so each may come once more."""
    received = Counter(key(r) for r in slack.received)
    assert set(received.values()) <= {1}  # nothing came twice before the kill
    count_ = len(received) - sent_to_webhooks(app)
    assert 0 <= count_ <= 1  # one deliverer sends one message at a time
    return set(received), count_


def sent_to_webhooks(app) -> int:
    """Outbox rows recorded as sent to a user with a Slack webhook (the others go to the log)."""
    return read(app, select(func.count()).select_from(Notification)
                .join(User, User.id == Notification.user_id)
                .where(Notification.state == SENT, User.slack_webhook_sealed.is_not(None)))[0][0]


def key(request: dict) -> tuple:
    """A Slack message as its webhook and text (task titles make each notification's unique)."""
    return request["path"], request["body"]["text"]


# --- set-up and reads -----------------------------------------------------------------------

def webhooks(app, slack, users):
    for user in users:
        set_me(app, user, slack_webhook_url=slack.url(f"T0/B0/user{user.id}"))


def claim_at(app, task_id: int, user_id: int, at):
    with app.app_context():
        services.claim(task_id, db.session.get(User, user_id), at)
        db.session.remove()


class ClaimBehind(threading.Thread):
    """A specialist's claim made while a routing round holds its locks; `outcome` says how it
    went, `backend` is its PostgreSQL connection's pid (to see it wait)."""

    def __init__(self, app, task_id: int, user_id: int, is_postgres: bool):
        super().__init__(daemon=True)
        self.app, self.task_id, self.user_id, self.outcome = app, task_id, user_id, None
        self.is_postgres, self.backend = is_postgres, None

    def run(self):
        with self.app.app_context(), writing():  # as the API's POST does (BEGIN IMMEDIATE on SQLite)
            try:
                if self.is_postgres:
                    self.backend = db.session.scalar(text("select pg_backend_pid()"))
                services.claim(self.task_id, db.session.get(User, self.user_id), utcnow())
                self.outcome = "claimed"
            except Exception as exc:  # the test shows what went wrong
                self.outcome = exc
            finally:
                db.session.remove()


def wait_for_quiet(app, process: SchedulerProcess):
    """Until each job has run once since the start and nothing is left to send (a row the dead
    process held waits for its lease first)."""
    for job in JOBS:
        process.wait_for(f"job {job} done")
    wait_until(lambda: not {QUEUED, SENDING} & set(states(app, Notification)), 60,
               "the outbox to be delivered")


def read(app, statement, params=None) -> list:
    with app.app_context():
        try:
            return db.session.execute(statement, params).all()
        finally:
            db.session.remove()


def count(app, model) -> int:
    return read(app, select(func.count()).select_from(model))[0][0]


def states(app, model=Task) -> dict:
    return dict(Counter(state for (state,) in read(app, select(model.state))))


def escalations(app) -> list:
    return read(app, select(SlaEscalation.task_id, SlaEscalation.target, SlaEscalation.step))


def sla_events(app) -> list:
    return [(t, d) for t, d in read(app, select(TaskEvent.task_id, TaskEvent.details)
                                    .where(TaskEvent.type.like("sla_%")))]


def events_of_type(app, type_: str) -> list[int]:
    """The tasks with an event of this type, once per event."""
    return [t for (t,) in read(app, select(TaskEvent.task_id).where(TaskEvent.type == type_))]


def events_of(app, task_id: int) -> list[str]:
    return [t for (t,) in read(app, select(TaskEvent.type).where(TaskEvent.task_id == task_id)
                                .order_by(TaskEvent.id))]


def waiting_on_a_lock(app, backend: int | None) -> bool:
    """Whether that PostgreSQL connection is waiting for a lock another transaction holds."""
    return backend is not None and read(app, text(
        "select count(*) from pg_locks where pid = :pid and not granted"), {"pid": backend})[0][0] > 0
