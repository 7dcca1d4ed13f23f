"""0018 keeps the JSON a routing round writes by the thousand as text: every stored value reads
back as it was, byte for byte, one field still reads in SQL, and the revision undoes cleanly. On
the suite's own backend (a scratch SQLite file, or a scratch PostgreSQL database beside the
suite's)."""
import json
import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from broker.extensions import db
from broker.json_columns import text_field
from broker.settings import normalise_database_url
from tasks.models import Task
from tests.factories import drop_postgres_database, fresh_postgres_database, scratch_app

ROUTING = '{"outcome":"waiting","reason":"nobody free – ça va","candidates":[{"score":1.5}]}'
DETAILS = '{"specialist_id":2,"summary":"Offered to Ana"}'
PAYLOAD = '{"title":"Cut the reel","details":{"n":[1,2,3]}}'


@pytest.fixture
def scratch(tmp_path):
    url = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))
    if not url.startswith("postgresql"):
        yield scratch_app(tmp_path, migrate=False)
        return
    url = fresh_postgres_database(url, f"m0018_{os.getpid()}")
    try:
        yield scratch_app(tmp_path, migrate=False, SQLALCHEMY_DATABASE_URI=url)
    finally:
        drop_postgres_database(url)


def raw(conn, sql: str):
    """The stored value as the driver gives it: text now (a json column came back decoded)."""
    return conn.execute(sa.text(sql)).scalar_one()


def test_json_kept_as_text_reads_back_unchanged_and_undoes(scratch):
    with scratch.app_context():
        upgrade(revision="0017")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "insert into users (id, email, name, role, timezone, active, digest_hour, created_at, "
                "session_version) values (1, 'm@x.example', 'M', 'manager', 'UTC', true, 9, "
                "'2026-01-01 00:00:00', 1)")
            conn.exec_driver_sql(
                "insert into briefs (id, title, description, objective, success_metric, owner_id, "
                "created_at) values (1, 'B', '', 'revenue', 'ROAS', 1, '2026-01-01 00:00:00')")
            conn.exec_driver_sql(
                "insert into tasks (id, brief_id, title, work_type, skills, priority, estimate_hours, "
                "needs_manager_overlap, state, created_at, version, routing) values (1, 1, 'T', "
                "'paid_media', '[]', 'high', 2, false, 'queued', '2026-01-01 00:00:00', 1, "
                f"'{ROUTING}'), (2, 1, 'U', 'paid_media', '[]', 'high', 2, false, 'queued', "
                "'2026-01-01 00:00:00', 1, null)")
            conn.exec_driver_sql(
                "insert into task_events (id, task_id, type, at, details) values "
                f"(1, 1, 'offered', '2026-01-01 00:00:00', '{DETAILS}')")
            conn.exec_driver_sql(
                "insert into notifications (id, user_id, task_id, event_id, kind, urgent, state, "
                "created_at, next_attempt_at, attempts, payload) values (1, 1, 1, 1, 'offered', false, "
                f"'in_digest', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, '{PAYLOAD}')")
        upgrade()
        with db.engine.connect() as conn:
            assert raw(conn, "select routing from tasks where id = 1") == ROUTING
            assert raw(conn, "select details from task_events") == DETAILS
            assert raw(conn, "select payload from notifications") == PAYLOAD
            assert conn.execute(sa.text("select count(*) from tasks where routing is null")).scalar() == 1
        assert db.session.get(Task, 1).routing["reason"] == "nobody free – ça va"
        assert db.session.get(Task, 2).routing is None
        reasons = dict(db.session.execute(sa.select(Task.id, text_field(Task.routing, "reason"))).all())
        assert reasons == {1: "nobody free – ça va", 2: None}
        db.session.remove()
        downgrade(revision="0017")
        with db.engine.connect() as conn:
            routing = conn.execute(sa.text("select routing from tasks where id = 1")).scalar_one()
            assert (routing if isinstance(routing, dict) else json.loads(routing)) == json.loads(ROUTING)
        db.session.remove()
        db.engine.dispose()
