"""Scheduler election and job wrapping: one leader per database, jobs survive their failures."""
from datetime import timedelta

import pytest

from broker import scheduler as scheduling
from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services
from tasks.models import Task


def test_only_one_process_wins_the_election(app):
    first, second = scheduling.Election(app), scheduling.Election(app)
    assert first.try_acquire() is True
    try:
        assert second.try_acquire() is False
        assert first.still_held()
    finally:
        first.release()
    third = scheduling.Election(app)
    assert third.try_acquire() is True  # released when the holder's connection or file closes
    third.release()


def test_guarded_job_runs_in_an_app_context_and_survives_failure(app, make, caplog):
    m, s = make.user("manager"), make.specialist()
    _, (t,) = make.brief(m)
    with app.app_context():
        services.offer(t, db.session.get(User, s.id), utcnow() - timedelta(seconds=1), utcnow() - timedelta(minutes=5))
    expire = next(job for job in scheduling.JOBS if job.name == "expire_offers")
    scheduling._guarded(app, expire)()
    with app.app_context():
        assert db.session.get(Task, t).state == "queued"

    def explode(now):
        raise RuntimeError("job blew up")

    scheduling._guarded(app, scheduling.Job("explode", explode, 60))()  # does not raise
    assert "job explode failed" in caplog.text


def test_state_without_scheduler_is_off(app):
    assert scheduling.scheduler_state(app) == {"running": False, "role": "off"}


def test_intervals_come_from_the_settings_and_unknown_jobs_stop_the_start(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_INTERVALS", {"deliver_outbox": 1.5})
    seconds = scheduling.intervals(app)
    assert seconds["deliver_outbox"] == 1.5 and seconds["route_tasks"] == 30
    assert seconds["election"] == scheduling.ELECTION_SECONDS
    monkeypatch.setitem(app.config, "SCHEDULER_INTERVALS", {"deliver_outbx": 1})
    with pytest.raises(ValueError, match="names no job: deliver_outbx"):
        scheduling.start(app)


def test_each_sqlite_database_elects_its_own_scheduler(app, tmp_path):
    """The file lock sits beside the database, so a scheduler for another database in the same
    checkout (the dev server's, a test's) does not keep this one standing by."""
    from tests.factories import scratch_app
    other = scratch_app(tmp_path, migrate=False)
    mine, theirs = scheduling.Election(app), scheduling.Election(other)
    assert mine.try_acquire() is True
    try:
        assert theirs.try_acquire() is True
    finally:
        mine.release()
        theirs.release()
    assert (tmp_path / "scratch.db.scheduler.lock").exists()
