"""Offers in seconds: a committed change wakes the scheduler, whose intervals here are an hour
long, so only the wake-up can explain an offer (and its Slack message) within seconds. In this
process and across processes through a real `broker scheduler`, on both backends (LISTEN/NOTIFY on
PostgreSQL, the counters of wakeup_signals on SQLite)."""
import json
import os
import time

import pytest
from sqlalchemy import select

from broker import scheduler as scheduling
from broker.debounce import Debounce
from broker.extensions import db
from broker.routing.models import RoutingRound
from broker.worktime.weekly_hours import WEEKDAYS
from tasks.models import Task
from tests.factories import count_rows
from tests.notify_helpers import set_me
from tests.scheduler_process import SchedulerProcess, wait_until

pytestmark = pytest.mark.skipif(
    "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") != "1",
    reason="with a faked monotonic clock, libfaketime's timed thread waits never return")
HOUR = 3600  # every interval: the safety net never runs during a test
LONG_INTERVALS = dict.fromkeys(("election", "expire_offers", "route_tasks", "sla_sweep",
                                "deliver_outbox", "send_digests"), HOUR)
SOON = 15  # seconds: a bound on each wait, far below any interval
AROUND_THE_CLOCK = {day: [["00:00", "24:00"]] for day in WEEKDAYS}


@pytest.fixture
def scheduler_here(app, monkeypatch):
    """The elected scheduler in this process, once its start-up runs are done."""
    monkeypatch.setitem(app.config, "SCHEDULER_INTERVALS", LONG_INTERVALS)
    scheduling.start(app)
    try:
        wait_until(lambda: scheduling.scheduler_state(app)["role"] == "leader", SOON, "the election")
        wait_until(lambda: count_rows(app, RoutingRound) == 1, SOON, "the round run at the start")
        yield
    finally:
        scheduling.stop(app)


def post_brief(client, manager, title="Cut the teaser") -> int:
    answer = client.post("/api/v1/briefs", headers=manager.headers, json={
        "title": "Launch", "objective": "pipeline", "success_metric": "40 demos",
        "tasks": [{"title": title, "work_type": "video_editing", "priority": "high",
                   "estimate_hours": 2, "skills": [{"skill": "premiere_pro", "min_level": 3}]}]})
    assert answer.status_code == 201, answer.text
    return answer.json["tasks"][0]["id"]


def assignee_when_offered(app, task_id: int):
    with app.app_context():
        try:
            task = db.session.scalar(select(Task).where(Task.id == task_id))
            return task.assignee_id if task.state == "offered" else None
        finally:
            db.session.remove()


def routed_rounds(app) -> list[int]:
    """The offers made by each round that found queued work."""
    with app.app_context():
        try:
            return list(db.session.scalars(select(RoutingRound.offered).where(RoutingRound.queued > 0)
                                           .order_by(RoutingRound.id)))
        finally:
            db.session.remove()


def offers_at_slack(slack, user) -> list:
    return [r for r in slack.received if r["path"].endswith(f"user{user.id}")]


def test_a_posted_brief_and_a_decline_are_offered_and_sent_within_seconds(
        app, make, slack, client, scheduler_here):
    manager = make.user("manager")
    people = [make.specialist(hours=AROUND_THE_CLOCK) for _ in range(2)]
    for person in people:
        set_me(app, person, slack_webhook_url=slack.url(f"T0/B0/user{person.id}"))
    posted = time.monotonic()
    task_id = post_brief(client, manager)
    first = wait_until(lambda: assignee_when_offered(app, task_id), SOON, "the offer")
    who = next(p for p in people if p.id == first)
    wait_until(lambda: offers_at_slack(slack, who), SOON, "the offer's message at Slack")
    assert time.monotonic() - posted < SOON < HOUR
    assert routed_rounds(app) == [1]  # one round for the brief (others at the start had no work)

    declined = client.post(f"/api/v1/tasks/{task_id}/decline", headers=who.headers, json={"reason": "busy"})
    assert declined.status_code == 200, declined.text
    other = next(p for p in people if p.id != first)
    assert wait_until(lambda: assignee_when_offered(app, task_id), SOON, "the second offer") == other.id
    wait_until(lambda: offers_at_slack(slack, other), SOON, "the second offer at Slack")


def test_a_burst_of_briefs_is_routed_in_one_or_two_rounds(app, make, client, scheduler_here):
    manager = make.user("manager")
    make.specialist(hours=AROUND_THE_CLOCK, capacity=40)
    posting = time.monotonic()
    task_ids = [post_brief(client, manager, f"Teaser {i}") for i in range(30)]
    posting = time.monotonic() - posting
    for task_id in task_ids:
        wait_until(lambda: assignee_when_offered(app, task_id), SOON, f"the offer of task {task_id}")
    # Not one round per brief: one per burst, then at most one per rest while briefs keep coming
    # (posting 30 briefs one after the other takes seconds on a busy machine).
    rounds = len(routed_rounds(app))
    assert rounds <= 2 + posting / Debounce().rest and rounds < len(task_ids) / 2


def test_a_scheduler_process_hears_of_new_work(app, make, slack, client, tmp_path):
    """`make serve`'s shape: the web app here, `broker scheduler` in a process of its own, woken
    through LISTEN/NOTIFY on PostgreSQL and through the counters of wakeup_signals on SQLite."""
    manager = make.user("manager")
    person = make.specialist(hours=AROUND_THE_CLOCK)
    set_me(app, person, slack_webhook_url=slack.url(f"T0/B0/user{person.id}"))
    process = SchedulerProcess(app, tmp_path / "scheduler.log",
                               BROKER_SCHEDULER_INTERVALS=json.dumps(LONG_INTERVALS)).start()
    try:
        process.wait_for("this process is the scheduler leader", SOON)
        process.wait_for("job route_tasks done", 60)  # the start's round
        posted = time.monotonic()
        task_id = post_brief(client, manager)
        assert wait_until(lambda: assignee_when_offered(app, task_id), SOON, "the offer") == person.id
        wait_until(lambda: offers_at_slack(slack, person), SOON, "the offer's message at Slack")
        assert time.monotonic() - posted < SOON
        assert routed_rounds(app) == [1]  # one round, woken across processes
    finally:
        process.kill()
        print(process.log())
