"""Configuration read from the environment in one place; tests pass their own overrides."""
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def default_database_url() -> str:
    """SQLite file under instance/ when DATABASE_URL is unset."""
    return f"sqlite:///{INSTANCE / 'broker.db'}"


def normalise_database_url(url: str) -> str:
    """Send plain postgres URLs to psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment() -> dict:
    """Settings for a running service. SECRET_KEY has no default unless BROKER_ENV=development
    (which `make run` sets): a production process without one refuses to start."""
    env = os.environ
    secret = env.get("SECRET_KEY")
    broker_env = env.get("BROKER_ENV", "production")
    if not secret and broker_env != "development":
        raise RuntimeError(
            "SECRET_KEY is not set. Set it (any long random string) for production, "
            "or BROKER_ENV=development for a local run."
        )
    return {
        "BROKER_ENV": broker_env,
        # Production sits behind HTTPS: the session cookie never travels over plain http there.
        "SESSION_COOKIE_SECURE": broker_env != "development",
        "SECRET_KEY": secret or "dev-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            env.get("DATABASE_URL") or default_database_url()
        ),
        "BROKER_SCHEDULER": env.get("BROKER_SCHEDULER", "on"),
        "BROKER_PROXY_HOPS": int(env.get("BROKER_PROXY_HOPS", "0")),
        **({"BROKER_BASE_URL": env["BROKER_BASE_URL"]} if env.get("BROKER_BASE_URL") else {}),
        **{key: float(env[key]) for key in ("SLA_REVISION_SHARE", "SLA_ESCALATION_GRACE_HOURS")
           if env.get(key)},
        **({"SLACK_SIGNING_SECRET": env["SLACK_SIGNING_SECRET"]}
           if env.get("SLACK_SIGNING_SECRET") else {}),
        **({"BROKER_LIMIT_STORAGE_URI": env["BROKER_LIMIT_STORAGE_URI"]}
           if env.get("BROKER_LIMIT_STORAGE_URI") else {}),
        **({"ROUTING_WEIGHTS": _json_setting(env, "BROKER_ROUTING_WEIGHTS")}
           if env.get("BROKER_ROUTING_WEIGHTS") else {}),
        **_timing(env),
        "BROKER_CURRENCY": currency(env.get("BROKER_CURRENCY", "USD")),
    }


def currency(code: str) -> str:
    """The one currency money is kept in (ISO 4217, e.g. USD, EUR, PHP); anything else stops the start."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise RuntimeError(f"BROKER_CURRENCY must be a three-letter ISO 4217 code such as USD, not {code!r}.")
    return code


def _timing(env) -> dict:
    """Job intervals, the outbox lease, the Slack timeout and pause points, when set: operators
    tune them, and the crash tests shorten them so a restarted scheduler acts within seconds."""
    found = {}
    if env.get("BROKER_SCHEDULER_INTERVALS"):
        chosen = _json_setting(env, "BROKER_SCHEDULER_INTERVALS")
        found["SCHEDULER_INTERVALS"] = {job: _positive(f"BROKER_SCHEDULER_INTERVALS[{job}]", value)
                                        for job, value in chosen.items()}
    for name, key in (("BROKER_OUTBOX_LEASE_SECONDS", "OUTBOX_LEASE_SECONDS"),
                      ("BROKER_SLACK_TIMEOUT", "BROKER_SLACK_TIMEOUT")):
        if env.get(name):
            found[key] = _positive(name, env[name])
    if env.get("BROKER_PAUSE_AT"):
        found["BROKER_PAUSE_AT"] = tuple(p.strip() for p in env["BROKER_PAUSE_AT"].split(",") if p.strip())
    return found


def _positive(name: str, value) -> float:
    """A positive number of seconds; anything else stops the start with the setting's name."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0.0
    if not seconds > 0:
        raise RuntimeError(f"{name} must be a positive number of seconds, not {value!r}.")
    return seconds


def _json_setting(env, name: str) -> dict:
    """A JSON object from the environment; a malformed one stops the start with its name."""
    try:
        value = json.loads(env[name])
    except ValueError as exc:
        raise RuntimeError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise RuntimeError(f"{name} must be a JSON object such as {{\"speed\": 3}}.")
    return value


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    "API_TITLE": "Broker",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearer": []}],
    },
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # Login throttling per client address. In memory it is per process, which still bounds
    # guessing (limit x workers); BROKER_LIMIT_STORAGE_URI=redis://... shares it.
    "BROKER_LOGIN_LIMIT": "10 per minute;100 per hour",
    "BROKER_LIMIT_STORAGE_URI": "memory://",
    # How passwords are hashed (werkzeug's method string). scrypt is deliberately slow (~0.1 s
    # of CPU a hash); the test suite, which creates thousands of users, passes a cheap one.
    "BROKER_PASSWORD_HASH": "scrypt",
    # Routing: factor weights (Weights in routing/round_data.py), how long an offer stays open
    # from the start of the specialist's working time, the target of a task without a due date
    # (wall-clock hours after posting), and the hours assumed for a manager's overlap.
    "ROUTING_WEIGHTS": {},
    "ROUTING_OFFER_MINUTES": {"urgent": 15, "high": 30, "normal": 60, "low": 120},
    "ROUTING_DEFAULT_TARGET_HOURS": {"urgent": 8, "high": 24, "normal": 72, "low": 168},
    "ROUTING_MANAGER_HOURS": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    # Absolute links in Slack messages point here; seconds before a Slack webhook call gives up;
    # how long a deliverer's claim on an outbox row holds (at least 3 x the timeout) before a
    # restarted or other deliverer takes the row over.
    "BROKER_BASE_URL": "http://127.0.0.1:5000",
    "BROKER_SLACK_TIMEOUT": 10,
    # Slack interactivity: requests are verified with the app's signing secret (none: the
    # endpoint answers 503); the reply to a click must leave time within Slack's 3 seconds.
    "SLACK_SIGNING_SECRET": None,
    "BROKER_SLACK_REPLY_TIMEOUT": 2,
    # Seconds before a webhook endpoint's answer is given up on (the attempt is then retried).
    "BROKER_WEBHOOK_TIMEOUT": 10,
    "OUTBOX_LEASE_SECONDS": 120,
    # Scheduler: seconds between runs per job name (and "election"), over the JOBS defaults.
    "SCHEDULER_INTERVALS": {},
    # Named points where a process stops and waits to be killed (crash tests only; see
    # broker/pause.py). Never set in production.
    "BROKER_PAUSE_AT": (),
    # SLA: a revision's target as a share of the turnaround; wall hours a breach may stay
    # unresolved before the admins are alerted.
    "SLA_REVISION_SHARE": 0.5,
    "SLA_ESCALATION_GRACE_HOURS": 4.0,
    # Money (hourly costs, budgets, reports) is kept in this one currency (broker/costs).
    "BROKER_CURRENCY": "USD",
}
