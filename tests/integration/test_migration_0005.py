"""0005 on a database that already has users and tokens: they keep working, sessions start at
version 1, and the revision undoes cleanly. (On SQLite, a batch-mode copy of `users` would
have deleted their tokens through ON DELETE CASCADE: this guards against that.)"""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from broker.extensions import db
from tests.factories import scratch_app


def test_upgrade_keeps_existing_users_and_tokens(tmp_path):
    app = scratch_app(tmp_path, migrate=False)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "insert into users (email, name, role, timezone, active, digest_hour, created_at) "
                "values ('old@example.com', 'Old', 'admin', 'UTC', true, 9, '2026-01-01 00:00:00')"))
            conn.execute(sa.text(
                "insert into api_tokens (user_id, token_hash, prefix, created_at) "
                "values (1, 'h', 'brk_abc', '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("select session_version from users")).scalar_one() == 1
            row = conn.execute(sa.text("select label, last_used_at, revoked_at from api_tokens")).one()
            assert tuple(row) == (None, None, None)
        downgrade(revision="0004")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("users")}
        assert "session_version" not in columns
        with db.engine.connect() as conn:  # nothing cascaded away on the way down either
            assert conn.execute(sa.text("select count(*) from api_tokens")).scalar_one() == 1
        db.session.remove()
        db.engine.dispose()
