"""Test data made through the real services, with tokens kept for API calls."""
import itertools
import os
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from broker.people import services as people
from broker.timeutil import utcnow
from tasks import services as tasks

PASSWORD = "correct horse 1"  # every factory-made user's
# Still a salted hash, but one round: scrypt's ~0.1 s per user was a third of the suite's CPU.
# tests/integration/test_password_hashing.py checks that a real app keeps scrypt.
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
NINE_TO_FIVE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


@dataclass
class Made:
    id: int
    token: str
    email: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


def in_app_context(method):
    """Run a factory method in a fresh app context and leave no session behind. Factories write,
    so on SQLite they take the write lock up front, as a POST does: a transaction that began by
    reading gets "database is locked" at once if a scheduler thread wrote meanwhile."""

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        from broker.db_events import writing
        from broker.extensions import db
        with self.app.app_context(), writing():
            try:
                return method(self, *args, **kwargs)
            finally:
                db.session.remove()

    return wrapper


class Factory:
    _seq = itertools.count(1)

    def __init__(self, app):
        self.app = app

    @in_app_context
    def user(self, role="manager", timezone="America/New_York", password=PASSWORD, **extra):
        n = next(self._seq)
        user, token = people.create_user(f"{role}{n}@example.com", f"{role.title()} {n}", role,
                                         timezone, password, **extra)
        return Made(user.id, token, user.email)

    @in_app_context
    def specialist(self, skills=None, timezone="Asia/Manila", capacity=3, hours=None, **extra):
        n = next(self._seq)
        data = {"email": f"spec{n}@example.com", "name": f"Specialist {n}", "timezone": timezone,
                "skills": [{"skill": k, "level": v} for k, v in (skills or {"premiere_pro": 4}).items()],
                "working_hours": hours if hours is not None else NINE_TO_FIVE, "capacity": capacity,
                "active": True, "auto_accept": False, "password": PASSWORD, **extra}
        user, token = people.create_specialist(data)
        return Made(user.id, token, user.email)

    @in_app_context
    def brief(self, owner: Made, n_tasks=1, now=None, **task_overrides):
        """A brief posted at `now` (the real clock when not given) with `n_tasks` alike tasks."""
        from broker.extensions import db
        from broker.people.models import User
        now = now or utcnow()
        spec = {"title": "Cut the launch teaser", "work_type": "video_editing", "priority": "normal",
                "estimate_hours": 4.0, "due_at": now + timedelta(days=3), "skills": None,
                "needs_manager_overlap": False, **task_overrides}
        data = {"title": "Q4 launch", "description": "", "objective": "pipeline",
                "success_metric": "40 demo requests", "campaign": None,
                "tasks": [dict(spec, title=f"{spec['title']} {i + 1}") for i in range(n_tasks)]}
        brief = tasks.create_brief(db.session.get(User, owner.id), data, now)
        return brief.id, [t.id for t in brief.tasks]


def count_rows(app, model) -> int:
    """How many rows a model's table holds now, read in a fresh app context."""
    from sqlalchemy import func, select

    from broker.extensions import db
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(model))
        finally:
            db.session.remove()


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a page's form carries, as a browser would send it back."""
    import re
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def logged_in(app, user: Made):
    """A test client with `user` logged in through the login form."""
    client = app.test_client()
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": csrf_token(client)})
    assert answer.status_code == 302, answer.text
    return client


def scratch_app(tmp_path, migrate: bool = True, **config):
    """A second app on its own throwaway SQLite file, for tests that change app-wide settings."""
    from flask_migrate import upgrade

    from broker.app import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "BROKER_SCHEDULER": "off",
                      "BROKER_PASSWORD_HASH": FAST_PASSWORD_HASH,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.db'}", **config})
    if migrate:
        with app.app_context():
            upgrade()
    return app


def fresh_postgres_database(url: str, suffix: str) -> str:
    """The URL of an empty database beside `url`'s, named with `suffix` (dropped first if left
    over from an earlier run)."""
    from sqlalchemy.engine import make_url
    own = make_url(url).set(database=f"{make_url(url).database}_{suffix}")
    _on_server(url, f'drop database if exists "{own.database}" with (force)',
               f'create database "{own.database}"')
    return own.render_as_string(hide_password=False)


def drop_postgres_database(url: str):
    from sqlalchemy.engine import make_url
    _on_server(url, f'drop database if exists "{make_url(url).database}" with (force)')


def _on_server(url: str, *statements: str):
    """Run `statements` on `url`'s server, from its maintenance database (one cannot drop the
    database one is connected to)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    server.dispose()


# gunicorn's arbiter and the benches' polling call time.sleep, which fails (EINVAL) under
# libfaketime with a real monotonic clock, as CI's dated runs use it. Tests that serve through
# real gunicorn processes hold no dates, so those runs skip them; the plain runs keep them.
UNDER_FAKETIME = "faketime" in os.environ.get("LD_PRELOAD", "")
SLEEPING_SERVERS_REASON = "gunicorn and the bench sleep, which libfaketime breaks; no dates here"
