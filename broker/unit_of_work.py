"""Services own their transaction: whatever a service did is rolled back when it fails, so the
callers (views, CLI commands, jobs) never clean up after one."""
from functools import wraps

from broker.extensions import db


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


def commit_as_created():
    """Commit without expiring what the session holds, for a service that only created rows: its
    objects then stand as stored, and the caller renders them without reading them back."""
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
