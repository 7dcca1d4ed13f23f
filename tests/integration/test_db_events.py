"""Work gathered in a transaction is written just before its commit, in the stated order."""
from sqlalchemy import text

from broker.db_events import CommitStep, commit_steps, gathered, run_before_commit
from broker.extensions import db

SEEN = []


def _first(session, work):
    SEEN.append(("first", list(work)))
    gathered(session, "test_second", list).append("from first")


def _second(session, work):
    SEEN.append(("second", list(work)))


def test_steps_run_in_order_before_commit_and_a_rollback_drops_the_work(app):
    declared = commit_steps()
    run_before_commit([CommitStep("test_first", _first), CommitStep("test_second", _second)])
    try:
        _check_steps(app)
    finally:
        run_before_commit(list(declared))


def test_the_app_declares_clocks_before_the_outbox_and_wakeups_last(app):
    assert [step.write.__name__ for step in commit_steps()] == [
        "recompute_clocks_in", "insert_notifications_in", "insert_webhook_deliveries_in",
        "send_wakeups_in"]


def _check_steps(app):
    with app.app_context():
        SEEN.clear()
        db.session.execute(text("select 1"))  # work is gathered inside a begun transaction
        gathered(db.session, "test_first", list).append("a")
        db.session.rollback()
        db.session.commit()
        assert SEEN == []  # the rollback dropped it
        gathered(db.session, "test_first", list).append("b")
        db.session.commit()
        assert SEEN == [("first", ["b"]), ("second", ["from first"])]
        db.session.commit()
        assert len(SEEN) == 2  # nothing is written twice


def test_a_failing_service_leaves_nothing_behind_in_the_session(app):
    from broker.errors import Conflict
    from broker.people.models import User
    from broker.unit_of_work import transaction

    @transaction
    def half_done():
        db.session.add(User(email="half@example.com", name="Half", role="manager", timezone="UTC"))
        db.session.flush()
        raise Conflict("changed its mind")

    with app.app_context():
        try:
            half_done()
        except Conflict:
            pass
        assert not db.session.new and db.session.scalar(text("select count(*) from users")) == 0
