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
