"""Routing rounds against the real database: offers, waiting reasons, capacity, passes, the API,
the brief page and the CLI."""
from datetime import datetime, timedelta

import pendulum
import pytest
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import User
from broker.routing.service import route_round
from sla.models import SlaClock
from tasks import lifecycle, services
from tasks.models import Task, TaskEvent
from tests.factories import logged_in

POSTED = pendulum.datetime(2026, 11, 24, 17, 30, tz="America/New_York")  # Tuesday evening
WEEK = ("mon", "tue", "wed", "thu", "fri")


def hours(start, end):
    return {d: [[start, end]] for d in WEEK}


def post(app, owner_id, now, n=1, **task):
    spec = {"title": "Launch ad set", "work_type": "paid_media", "priority": "urgent",
            "estimate_hours": 4.0, "skills": [{"skill": "google_ads", "min_level": 3}], **task}
    data = {"title": "Black Friday", "objective": "revenue", "success_metric": "ROAS 4",
            "tasks": [dict(spec, title=f"{spec['title']} {i}") for i in range(n)]}
    with app.app_context():
        brief = services.create_brief(db.session.get(User, owner_id), data, now)
        return [t.id for t in brief.tasks]


def route(app, now):
    with app.app_context():
        return route_round(now)


def task_row(app, task_id):
    with app.app_context():
        task = db.session.get(Task, task_id)
        return task.state, task.assignee_id, task.routing, [e.type for e in task.events]


def test_new_york_evening_task_goes_to_the_specialist_starting_their_day(app, make, client):
    manager = make.user("manager", timezone="America/New_York")
    make.specialist({"google_ads": 4}, timezone="Asia/Manila", hours=hours("09:00", "18:00"))
    starting = make.specialist({"google_ads": 4}, timezone="Asia/Manila", hours=hours("07:00", "16:00"))
    make.specialist({"google_ads": 4}, timezone="America/New_York", hours=hours("09:00", "18:00"))
    (task_id,) = post(app, manager.id, POSTED)
    assert task_row(app, task_id)[0] == "queued"  # never routed inside the request
    result = route(app, POSTED)
    assert (result.offered, result.waiting) == (1, 0)
    state, assignee, note, events = task_row(app, task_id)
    assert (state, assignee, events) == ("offered", starting.id, ["created", "offered"])
    assert "starts Wed 07:00 local, in 0.5 h" in note["winner"]["availability"]
    shown = client.get(f"/api/v1/tasks/{task_id}", headers=manager.headers).json
    assert shown["routing"]["explanation"]["summary"] == note["summary"]
    assert [c["specialist_id"] for c in shown["routing"]["explanation"]["candidates"]][0] == starting.id
    with app.app_context():
        offered = db.session.scalar(select(TaskEvent).where(TaskEvent.type == "offered"))
        # The offer runs from the start of her day, not from the evening in New York.
        expires = datetime.fromisoformat(offered.details["expires_at"])
        assert expires == POSTED + timedelta(minutes=30 + 15)


def test_a_skill_nobody_has_keeps_the_task_queued_with_the_reason(app, make, client):
    manager = make.user("manager")
    make.specialist({"google_ads": 5})
    (task_id,) = post(app, manager.id, POSTED, skills=[{"skill": "paid_media", "min_level": 4}])
    route(app, POSTED)
    state, assignee, note, _ = task_row(app, task_id)
    assert (state, assignee) == ("queued", None)
    assert note["reason"] == "no active specialist has paid_media level 4"
    body = client.get(f"/api/v1/tasks/{task_id}", headers=manager.headers).json
    assert body["routing"]["explanation"]["summary"] == \
        "Waiting in the queue: no active specialist has paid_media level 4."
    page = logged_in(app, manager).get(f"/briefs/{_brief_of(app, task_id)}").text
    assert "no active specialist has paid_media level 4" in page


def _brief_of(app, task_id):
    with app.app_context():
        return db.session.get(Task, task_id).brief_id


def test_nobody_ever_holds_more_than_their_capacity(app, make):
    manager = make.user("manager")
    people = [make.specialist({"google_ads": 4}, capacity=c, hours=hours("00:00", "24:00"))
              for c in (1, 2, 3)]
    post(app, manager.id, POSTED, n=10)
    first = route(app, POSTED)
    assert (first.offered, first.waiting) == (6, 4)
    second = route(app, POSTED + timedelta(minutes=1))
    assert second.offered == 0
    with app.app_context():
        held = dict(db.session.execute(
            select(Task.assignee_id, func.count()).where(Task.state.in_(lifecycle.HOLDS_A_PLACE))
            .group_by(Task.assignee_id)).all())
        assert held == {people[0].id: 1, people[1].id: 2, people[2].id: 3}
        waiting = db.session.scalars(select(Task).where(Task.state == "queued")).all()
        assert all("3 at capacity" in t.routing["reason"] for t in waiting)


def test_declined_and_expired_offers_move_on_and_never_come_back(app, make):
    manager = make.user("manager")
    a, b = (make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00")) for _ in range(2))
    (task_id,) = post(app, manager.id, POSTED)
    route(app, POSTED)
    first = task_row(app, task_id)[1]
    with app.app_context():
        services.decline(task_id, db.session.get(User, first), POSTED, "too busy")
    route(app, POSTED + timedelta(minutes=1))
    second = task_row(app, task_id)[1]
    assert {first, second} == {a.id, b.id}
    with app.app_context():
        assert services.expire_offers(POSTED + timedelta(days=1)) == 1
    route(app, POSTED + timedelta(days=1, minutes=1))
    state, assignee, note, events = task_row(app, task_id)
    assert (state, assignee) == ("queued", None)
    assert note["reason"] == ("all 2 qualified specialists are unavailable: "
                              "2 declined it or let the offer lapse")
    assert events == ["created", "offered", "declined", "offered", "offer_expired"]


def test_auto_accepting_specialists_go_straight_to_work(app, make):
    manager = make.user("manager")
    keen = make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"), auto_accept=True)
    (task_id,) = post(app, manager.id, POSTED)
    route(app, POSTED)
    state, assignee, _, events = task_row(app, task_id)
    assert (state, assignee, events) == ("in_progress", keen.id, ["created", "offered", "accepted"])
    with app.app_context():
        assert db.session.get(Task, task_id).accepted_at == POSTED
        # The round's acceptance moves the SLA like any other: acknowledged at once.
        clocks = dict(db.session.execute(select(SlaClock.target, SlaClock.met_at)
                                         .where(SlaClock.task_id == task_id, SlaClock.cycle == 0)).all())
        assert clocks["ack"] == POSTED


def test_cancelled_and_claimed_tasks_are_left_alone(app, make):
    manager = make.user("manager")
    s = make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    claimed, cancelled = post(app, manager.id, POSTED, n=2)
    with app.app_context():
        services.claim(claimed, db.session.get(User, s.id), POSTED)
        services.owner_action(cancelled, "cancel", db.session.get(User, manager.id), POSTED, {})
    assert route(app, POSTED).queued == 0


def test_available_tasks_share_the_filter(app, make, client):
    manager = make.user("manager")
    able = make.specialist({"google_ads": 4}, capacity=1)
    unskilled = make.specialist({"premiere_pro": 5})
    (task_id,) = post(app, manager.id, POSTED + timedelta(days=1))
    assert [t["id"] for t in client.get("/api/v1/tasks/available", headers=able.headers).json] == [task_id]
    assert client.get("/api/v1/tasks/available", headers=unskilled.headers).json == []
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=unskilled.headers).status_code == 403


def test_broker_route_cli_runs_one_round_at_an_instant(app, make):
    manager = make.user("manager")
    make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    post(app, manager.id, POSTED, n=2)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["route", "--at", POSTED.isoformat()])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("routed 2 queued tasks: 2 offered, 0 waiting")
    bad = runner.invoke(args=["route", "--at", "tomorrow-ish"])
    assert bad.exit_code == 2 and "--at" in bad.output


def test_the_scheduler_routes_on_an_interval():
    from broker.scheduler import JOBS
    job = next(j for j in JOBS if j.name == "route_tasks")
    assert job.seconds <= 60  # API.md: a round at least every minute


@pytest.mark.postgres
def test_two_rounds_at_once_offer_each_task_once(app, make, is_postgres):
    from concurrent.futures import ThreadPoolExecutor
    manager = make.user("manager")
    for _ in range(5):
        make.specialist({"google_ads": 4}, capacity=2, hours=hours("00:00", "24:00"))
    post(app, manager.id, POSTED, n=20)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: route(app, POSTED), range(2)))
    assert sorted(r.offered for r in results) == [0, 10]
    with app.app_context():
        offers = db.session.scalar(select(func.count()).select_from(TaskEvent)
                                   .where(TaskEvent.type == "offered"))
        assert offers == 10


def test_without_a_due_date_the_target_is_the_sla_turnaround(app, make):
    manager = make.user("manager")
    make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    (task_id,) = post(app, manager.id, POSTED, priority="urgent", due_at=None)
    route(app, POSTED)
    note = task_row(app, task_id)[2]
    assert note["target_source"] == "SLA turnaround"
    # The seeded urgent policy: 4 hours around the clock.
    assert datetime.fromisoformat(note["target_at"]) == POSTED + timedelta(hours=4)
    (dated,) = post(app, manager.id, POSTED, due_at=POSTED + timedelta(days=2))
    route(app, POSTED)
    assert task_row(app, dated)[2]["target_source"] == "due date"


@pytest.mark.postgres
def test_claims_racing_a_round_never_overrun_capacity(app, make, is_postgres):
    import threading
    manager = make.user("manager")
    people = [make.specialist({"google_ads": 4}, capacity=1, hours=hours("00:00", "24:00"))
              for _ in range(3)]
    for _attempt in range(3):
        tasks = post(app, manager.id, POSTED, n=6)
        start = threading.Barrier(1 + len(people))

        def claim(person, task_id):
            start.wait()
            with app.app_context():
                try:
                    services.claim(task_id, db.session.get(User, person.id), POSTED)
                except Exception:  # lost to the round or at capacity: a 409 for the client
                    db.session.rollback()

        def round_():
            start.wait()
            route(app, POSTED)

        threads = [threading.Thread(target=round_)] + [
            threading.Thread(target=claim, args=(p, t)) for p, t in zip(people, tasks[3:])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with app.app_context():
            held = db.session.execute(
                select(Task.assignee_id, func.count()).where(Task.state.in_(lifecycle.HOLDS_A_PLACE))
                .group_by(Task.assignee_id)).all()
            assert all(count <= 1 for _, count in held), held
            for task in db.session.scalars(select(Task).where(Task.state.in_(lifecycle.HOLDS_A_PLACE))):
                services.owner_action(task.id, "cancel", db.session.get(User, manager.id), POSTED, {})


def test_the_brief_page_says_when_an_offer_ended_and_the_task_waits_again(app, make):
    manager = make.user("manager")
    s = make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    (task_id,) = post(app, manager.id, POSTED)
    route(app, POSTED)
    with app.app_context():
        services.decline(task_id, db.session.get(User, s.id), POSTED, "on leave")
    page = logged_in(app, manager).get(f"/briefs/{_brief_of(app, task_id)}").text
    assert "back in the queue after an offer to Specialist" in page
    assert "Routing: Offered to" not in page


def test_a_hand_made_offer_is_explained_like_a_routed_one(app, make):
    from broker.errors import InvalidInput
    from broker.routing.service import explain_offer
    manager = make.user("manager")
    chosen = make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    make.specialist({"google_ads": 5}, hours=hours("00:00", "24:00"))
    unskilled = make.specialist({"premiere_pro": 5})
    (task_id,) = post(app, manager.id, POSTED)
    with app.app_context():
        note = explain_offer(task_id, chosen.id, POSTED)
        assert note["outcome"] == "offered" and note["winner"]["specialist_id"] == chosen.id
        assert len(note["candidates"]) == 2 and note["considered"] == 2
        with pytest.raises(InvalidInput):
            explain_offer(task_id, unskilled.id, POSTED)


@pytest.mark.parametrize("chunk", [2, 500])
def test_a_round_writes_its_offers_a_chunk_at_a_time_and_all_land(app, make, monkeypatch, chunk):
    """The round words each chunk of offers on a helper thread while it writes the one before;
    chunks of two give the same offers, events and outbox rows as one chunk."""
    from broker.routing import service
    from notifications.models import Notification
    monkeypatch.setattr(service, "OFFER_CHUNK", chunk)
    manager = make.user("manager")
    everyone = [make.specialist({"google_ads": 4}, capacity=2, hours=hours("00:00", "24:00"),
                                auto_accept=i == 0) for i in range(3)]
    ids = post(app, manager.id, POSTED, n=7)
    result = route(app, POSTED)
    assert (result.offered, result.waiting) == (6, 1)
    with app.app_context():
        tasks = db.session.scalars(select(Task).where(Task.id.in_(ids))).all()
        placed = [t for t in tasks if t.state != "queued"]
        assert sorted(t.assignee_id for t in placed) == sorted(2 * [p.id for p in everyone])
        assert all(t.routing["winner"]["specialist_id"] == t.assignee_id for t in placed)
        (left,) = [t for t in tasks if t.state == "queued"]
        assert "at capacity" in left.routing["reason"]
        events = db.session.execute(select(TaskEvent.id, TaskEvent.task_id, TaskEvent.type)
                                    .where(TaskEvent.type != "created").order_by(TaskEvent.id)).all()
        assert sorted(e.task_id for e in events if e.type == "offered") == sorted(t.id for t in placed)
        assert len([e for e in events if e.type == "accepted"]) == 2  # the auto-accepting one's
        announced = db.session.scalars(select(Notification.event_id)).all()
        assert set(announced) >= {e.id for e in events if e.type == "offered"}


def test_a_task_changed_under_the_round_makes_it_a_conflict_and_nothing_is_written(app, make):
    """place_offers checks each chunk's versions; a stale one in a later chunk fails the whole
    round, its earlier chunks included."""
    from broker.errors import Conflict
    from tasks.services import RoutedOffer, place_offers
    from tasks.signals import RecordedTask
    manager = make.user("manager")
    someone = make.specialist({"google_ads": 4}, hours=hours("00:00", "24:00"))
    first, second = post(app, manager.id, POSTED, n=2)
    with app.app_context():
        def offer(task_id, version):
            task = db.session.get(Task, task_id)
            return RoutedOffer(RecordedTask(task.id, task.title, task.brief_id, manager.id, someone.id),
                               version, POSTED + timedelta(hours=1), {"summary": "test"})
        chunks = [[offer(first, 1)], [offer(second, 7)]]  # the second was changed meanwhile
        with pytest.raises(Conflict, match="changed while the routing round ran"):
            place_offers(iter(chunks), POSTED)
        db.session.rollback()
    for task_id in (first, second):
        assert task_row(app, task_id)[0::3] == ("queued", ["created"])
