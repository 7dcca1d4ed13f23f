"""Login throttling per client address, over the `limits` library (one limiter per app)."""
import math
import time

from flask import current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

KEY = "broker_login_throttle"


class LoginThrottle:
    """Counts login attempts per address in moving windows; memory:// is per process, a shared
    store (redis://...) makes the limit hold across workers."""

    def __init__(self, config: dict):
        self.enabled = config.get("BROKER_LOGIN_THROTTLE", True)
        self.items = parse_many(config["BROKER_LOGIN_LIMIT"])
        self.limiter = MovingWindowRateLimiter(storage_from_string(config["BROKER_LIMIT_STORAGE_URI"]))

    def wait_seconds(self, address: str) -> int:
        """Record one attempt from `address`; 0 when allowed, else seconds until the next try."""
        if not self.enabled:
            return 0
        blocked = [item for item in self.items if not self.limiter.test(item, "login", address)]
        if not blocked:
            for item in self.items:
                self.limiter.hit(item, "login", address)
            return 0
        reset = max(self.limiter.get_window_stats(i, "login", address).reset_time for i in blocked)
        return max(1, math.ceil(reset - time.time()))


def register_throttle(app):
    app.extensions[KEY] = LoginThrottle(app.config)


def login_wait_seconds(address: str) -> int:
    return current_app.extensions[KEY].wait_seconds(address or "unknown")
