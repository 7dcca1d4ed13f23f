"""How services end a transaction: commit() is the one way a service commits (the commit-time
steps of broker.app then write the SLA clocks and outbox rows of its events), and @transaction
rolls back whatever a service did when it fails, so callers (views, CLI commands, jobs) never
clean up after one."""
from functools import wraps

from sqlalchemy.orm.exc import StaleDataError

from broker.errors import StaleRow
from broker.extensions import db


def commit(expire: bool = True):
    """Commit the session's transaction; a row another transaction changed first (the version
    check failed) is a StaleRow, a 409, with the transaction rolled back. `expire=False` keeps
    what the session holds as stored, for a service that only created rows: the caller then
    renders them without reading them back."""
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, expire
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise StaleRow("The task changed while this request ran; reload it and try again.") from None
    finally:
        session.expire_on_commit = expiring


def transaction(service):
    """Roll the session back if `service` raises, then let the error through."""
    @wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise
    return run

