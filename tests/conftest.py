"""Builds the app from the factory on a throwaway database (SQLite, or TEST_DATABASE_URL)."""
import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from broker.app import create_app
from broker.extensions import db
from broker.settings import normalise_database_url
from broker.timeutil import utcnow
from tests import factories

KEEP = {"work_types", "alembic_version"}  # seeded by the migrations


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _own_database(normalise_database_url(url))
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'broker-test.db'}"


def _own_database(url: str) -> str:
    """Under pytest-xdist (`-n 2`), each worker gets a PostgreSQL database of its own beside the
    one named, made afresh: the suite empties its tables and listens for notifications, which
    workers sharing one database would do to each other."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    return factories.fresh_postgres_database(url, worker)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 30, "max_overflow": 10}
        if url.startswith("postgresql") else {},
        "BROKER_SCHEDULER": "off",
        "BROKER_LOGIN_THROTTLE": False,  # the suite logs in far more often than a person does
        "BROKER_PASSWORD_HASH": factories.FAST_PASSWORD_HASH,
    })
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("drop schema public cascade; create schema public"))
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Each test starts from the migrated, seeded database, whatever the last one committed."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("truncate " + ", ".join(t.name for t in tables) + " restart identity cascade"))
            else:
                for table in tables:
                    conn.execute(table.delete())
            _reseed_work_types(conn)
            _reseed_sla(conn)


def _reseed_work_types(conn):
    """The catalogue as the migration seeds it (the admin pages add and change work types)."""
    from tasks.catalogue import WORK_TYPES
    from tasks.models import WorkType
    table = WorkType.__table__
    conn.execute(table.delete().where(table.c.slug.not_in([w["slug"] for w in WORK_TYPES])))
    for work_type in WORK_TYPES:
        conn.execute(table.update().where(table.c.slug == work_type["slug"]).values(**work_type))


def _reseed_sla(conn):
    """The work types, SLA calendars and policies the migrations seed, back as they were (tests,
    such as the admin pages' rows of the authorization matrix, add and change them)."""
    from sla.defaults import CALENDARS, POLICIES
    from sla.models import BusinessCalendar, SlaPolicy
    from tasks.catalogue import WORK_TYPES
    from tasks.models import WorkType
    conn.execute(WorkType.__table__.delete())
    conn.execute(WorkType.__table__.insert(), [dict(w) for w in WORK_TYPES])
    conn.execute(BusinessCalendar.__table__.insert(), [dict(c, updated_at=utcnow()) for c in CALENDARS])
    conn.execute(SlaPolicy.__table__.insert(), POLICIES)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def is_postgres(app):
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


@pytest.fixture
def make(app):
    """Factories for test data, committed through the real services (each call in its own app
    context, so test-client requests never share `g` or the session with the factory)."""
    return factories.Factory(app)


@pytest.fixture
def slack(app):
    """A fake Slack webhook server on loopback, and a short client timeout for the hang mode."""
    from tests.fake_slack import FakeSlack
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeSlack().start()
    timeout = app.config["BROKER_SLACK_TIMEOUT"]
    app.config["BROKER_SLACK_TIMEOUT"] = 1
    yield fake
    app.config["BROKER_SLACK_TIMEOUT"] = timeout
    fake.stop()


@pytest.fixture
def receiver():
    """A webhook receiver on loopback that verifies signatures as the README says."""
    from tests.webhook_receiver import WebhookReceiver
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    fake = WebhookReceiver().start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` (row locks, concurrent writers) run only on PostgreSQL."""
    if request.node.get_closest_marker("postgres") and \
            not normalise_database_url(os.environ.get("TEST_DATABASE_URL", "")).startswith("postgresql"):
        pytest.skip("needs PostgreSQL row locks; set TEST_DATABASE_URL to a PostgreSQL database")
