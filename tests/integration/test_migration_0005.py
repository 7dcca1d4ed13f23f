"""Upgrading a SQLite database that already has users: 0005 and the revisions after it keep every
row that points at a user, sessions start at version 1, and 0005 undoes cleanly.

Batch mode alters a SQLite table by copying it and dropping the original; with foreign keys on,
that drop would delete the users' tokens and profiles through ON DELETE CASCADE (0006's unique
Slack id does so). migrations/env.py turns enforcement off around migrations; this guards it."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from broker.extensions import db
from tests.factories import scratch_app

ROWS_OF_USERS = ("api_tokens", "specialist_profiles")


def count(conn, table: str) -> int:
    return conn.execute(sa.text(f"select count(*) from {table}")).scalar_one()


def test_upgrade_keeps_existing_users_and_what_points_at_them(tmp_path):
    app = scratch_app(tmp_path, migrate=False)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "insert into users (email, name, role, timezone, active, digest_hour, created_at) "
                "values ('old@example.com', 'Old', 'specialist', 'UTC', true, 9, '2026-01-01 00:00:00')"))
            conn.execute(sa.text(
                "insert into api_tokens (user_id, token_hash, prefix, created_at) "
                "values (1, 'h', 'brk_abc', '2026-01-01 00:00:00')"))
            conn.execute(sa.text(
                "insert into specialist_profiles (user_id, capacity, active, auto_accept, working_hours, "
                "created_at) values (1, 3, true, false, '{}', '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("select session_version from users")).scalar_one() == 1
            row = conn.execute(sa.text("select label, last_used_at, revoked_at from api_tokens")).one()
            assert tuple(row) == (None, None, None)
            assert [count(conn, t) for t in ROWS_OF_USERS] == [1, 1]
            assert conn.execute(sa.text("pragma foreign_keys")).scalar_one() == 1  # back on
        downgrade(revision="0004")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("users")}
        assert "session_version" not in columns
        with db.engine.connect() as conn:  # nothing cascaded away on the way down either
            assert [count(conn, t) for t in ROWS_OF_USERS] == [1, 1]
        db.session.remove()
        db.engine.dispose()
