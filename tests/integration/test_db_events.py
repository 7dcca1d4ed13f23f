"""Work gathered in a transaction is written just before its commit, in the stated order."""
from sqlalchemy import text

from broker.db_events import before_commit, gathered
from broker.extensions import db

SEEN = []


def _first(session, work):
    SEEN.append(("first", list(work)))
    gathered(session, "test_second", list).append("from first")


def _second(session, work):
    SEEN.append(("second", list(work)))


def test_steps_run_in_order_before_commit_and_a_rollback_drops_the_work(app):
    before_commit("test_second", _second, order=2)
    before_commit("test_first", _first, order=1)
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
