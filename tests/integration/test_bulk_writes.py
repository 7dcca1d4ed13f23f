"""broker.bulk writes a table's rows in one statement, as SQLAlchemy's insert()/update() would:
the columns' types (JSON, UTC instants), Python-side defaults, ids in order, and a match on
several columns; its Pipeline sends many such statements without waiting for each (on SQLite,
or PostgreSQL with TEST_DATABASE_URL)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from broker.bulk import Pipeline, insert_rows, insert_with_ids, update_rows
from broker.extensions import db
from notifications.models import Notification
from tasks.models import Task, TaskEvent

AT = datetime(2026, 11, 24, 14, 0, tzinfo=timezone(timedelta(hours=8)))  # 06:00 UTC
AWKWARD = 'ä\ttab\nline\\back "quoted" \\N \r.'  # what COPY's text format must escape


def test_inserts_take_ids_in_order_types_and_defaults(app, make):
    manager = make.user("manager")
    _, (task_id,) = make.brief(manager)
    with app.app_context():
        try:
            rows = [{"task_id": task_id, "type": "updated", "from_state": "queued", "to_state": "queued",
                     "actor_id": None, "at": AT + timedelta(minutes=i), "details": {"n": i, "why": AWKWARD}}
                    for i in range(3)]
            ids = insert_with_ids(db.session, TaskEvent.__table__, rows)
            insert_rows(db.session, Notification.__table__, [
                {"user_id": manager.id, "task_id": task_id, "event_id": ids[0], "kind": "updated",
                 "state": "queued", "payload": None}])
            db.session.commit()
            events = db.session.scalars(select(TaskEvent).where(TaskEvent.id.in_(ids))
                                        .order_by(TaskEvent.id)).all()
            assert [e.id for e in events] == ids == sorted(ids)
            assert [e.details for e in events] == [{"n": i, "why": AWKWARD} for i in range(3)]
            assert events[0].at == AT and events[0].at.utcoffset() == timedelta(0)
            note = db.session.scalar(select(Notification).where(Notification.event_id == ids[0]))
            assert (note.attempts, note.urgent, note.payload) == (0, False, None)  # defaults; JSON null
            assert note.created_at is not None
        finally:
            db.session.rollback()
            db.session.remove()


def test_updates_match_on_every_named_column_and_count_the_rows(app, make):
    manager = make.user("manager")
    _, (first, second) = make.brief(manager, n_tasks=2)
    with app.app_context():
        try:
            versions = dict(db.session.execute(select(Task.id, Task.version)
                                               .where(Task.id.in_([first, second]))).all())
            rows = [{"b_id": first, "b_version": versions[first], "routing": {"reason": "x"},
                     "offer_expires_at": AT, "version": versions[first] + 1},
                    {"b_id": second, "b_version": versions[second] + 5, "routing": {"reason": "y"},
                     "offer_expires_at": None, "version": 99}]  # a stale version: no match
            changed = update_rows(db.session, Task.__table__, rows, match={"id": "b_id", "version": "b_version"})
            assert changed == 1
            db.session.commit()
            got = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_([first, second])))}
            assert got[first].routing == {"reason": "x"} and got[first].offer_expires_at == AT
            assert got[first].version == versions[first] + 1
            assert got[second].version == versions[second] and got[second].routing != {"reason": "y"}
        finally:
            db.session.rollback()
            db.session.remove()


def test_a_pipeline_writes_every_chunk_and_knows_the_counts_and_new_ids_at_the_end(app, make):
    manager = make.user("manager")
    _, task_ids = make.brief(manager, n_tasks=3)
    with app.app_context():
        try:
            versions = dict(db.session.execute(select(Task.id, Task.version)
                                               .where(Task.id.in_(task_ids))).all())
            chunks = [task_ids[:2], task_ids[2:]]
            with Pipeline(db.session) as writes:
                for n, chunk in enumerate(chunks):
                    writes.insert_with_ids(TaskEvent.__table__, [
                        {"task_id": t, "type": "updated", "from_state": "queued", "to_state": "queued",
                         "actor_id": None, "at": AT, "details": {"chunk": n, "why": AWKWARD}}
                        for t in chunk])
                    stale = 1 if n == 1 else 0  # the second chunk's only row was changed since
                    writes.update_rows(Task.__table__, [
                        {"b_id": t, "b_version": versions[t] + stale, "routing": {"chunk": n}}
                        for t in chunk], match={"id": "b_id", "version": "b_version"})
            assert writes.counts == [2, 0]
            assert [len(chunk_ids) for chunk_ids in writes.ids] == [2, 1]
            ids = [id_ for chunk_ids in writes.ids for id_ in chunk_ids]
            db.session.commit()
            events = db.session.scalars(select(TaskEvent).where(TaskEvent.id.in_(ids))
                                        .order_by(TaskEvent.id)).all()
            assert [e.id for e in events] == ids == sorted(ids)
            assert [(e.task_id, e.details) for e in events] == [
                (t, {"chunk": n, "why": AWKWARD}) for n, chunk in enumerate(chunks) for t in chunk]
            routing = dict(db.session.execute(select(Task.id, Task.routing).where(Task.id.in_(task_ids))).all())
            assert [routing[t] for t in task_ids[:2]] == [{"chunk": 0}, {"chunk": 0}]
            assert routing[task_ids[2]] != {"chunk": 1}
        finally:
            db.session.rollback()
            db.session.remove()


def test_a_statement_failing_in_a_pipeline_raises_as_sqlalchemy_would_and_nothing_is_kept(app, make):
    manager = make.user("manager")
    _, (task_id,) = make.brief(manager)
    with app.app_context():
        try:
            before = db.session.scalar(select(Task.routing).where(Task.id == task_id))
            with pytest.raises(IntegrityError):
                with Pipeline(db.session) as writes:
                    writes.update_rows(Task.__table__, [{"b_id": task_id, "routing": {"lost": True}}],
                                       match={"id": "b_id"})
                    writes.insert_with_ids(TaskEvent.__table__, [  # no such task: a foreign key fails
                        {"task_id": task_id + 10_000, "type": "updated", "from_state": "queued",
                         "to_state": "queued", "actor_id": None, "at": AT, "details": None}])
                    writes.update_rows(Task.__table__, [{"b_id": task_id, "routing": {"after": True}}],
                                       match={"id": "b_id"})
            db.session.rollback()
            assert db.session.scalar(select(Task.routing).where(Task.id == task_id)) == before
            assert db.session.scalar(select(TaskEvent.id).where(TaskEvent.task_id == task_id + 10_000)) is None
        finally:
            db.session.rollback()
            db.session.remove()
