"""Engine tuning for SQLite, and work that domain packages gather during a transaction and write
just before it commits (in one place, in a stated order)."""
from sqlalchemy import event
from sqlalchemy.orm import Session

_STEPS: list = []  # (order, key, write), run in order just before each commit


def register_sqlite_pragmas(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def before_commit(key: str, write, order: int):
    """Run write(session, work) just before a session commits, when it gathered `work` under `key`
    (see gathered); a rollback drops the work. Steps run by `order`, lowest first, so a step may
    gather work for a later one. Registering a key again changes nothing (apps are built many
    times in one process)."""
    if all(known != key for _, known, _ in _STEPS):
        _STEPS.append((order, key, write))
        _STEPS.sort(key=lambda step: step[0])
    if not event.contains(Session, "before_commit", _run_steps):
        event.listen(Session, "before_commit", _run_steps)
        event.listen(Session, "after_soft_rollback", _drop_work)


def gathered(session, key: str, empty):
    """The work gathered under `key` in this session's transaction (`empty()` to begin with)."""
    return session.info.setdefault(key, empty())


def _run_steps(session):
    for _, key, write in _STEPS:
        work = session.info.pop(key, None)
        if work:
            write(session, work)


def _drop_work(session, previous_transaction):
    for _, key, _ in _STEPS:
        session.info.pop(key, None)
