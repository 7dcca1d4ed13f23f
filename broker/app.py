"""The application factory: a list of register_* steps."""
import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from broker import settings
from broker.extensions import api, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment, or from `config` in tests."""
    app = Flask(__name__, instance_path=str(settings.INSTANCE),
                template_folder="web/templates", static_folder="web/static")
    app.config.update(settings.DEFAULTS)
    app.config.update(config if config is not None else settings.from_environment())
    register_proxy(app)
    register_extensions(app)
    register_security_headers(app)
    register_url_converters(app)
    register_models()
    register_subscribers()
    register_blueprints(app)
    register_cli(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # our jobs log their own outcome
    return app


def register_proxy(app: Flask):
    """Behind N trusted reverse proxies, read the client address and scheme from their headers
    (the login throttle counts per client address)."""
    hops = app.config.get("BROKER_PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask):
    settings.INSTANCE.mkdir(exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    api.init_app(app)
    from broker.db_events import register_sqlite_pragmas, register_write_intent
    with app.app_context():
        register_sqlite_pragmas(db.engine)
    register_write_intent(app)


def register_security_headers(app: Flask):
    from broker.security import register_security_headers as register
    register(app)


def register_url_converters(app: Flask):
    """`<id:...>` in the API's and the pages' routes (registered before any route is)."""
    from broker.urls import IdConverter, id_schema
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, id_schema)


def register_models():
    """Import every model module so metadata (and Alembic) sees all tables."""
    import broker.costs.models  # noqa: F401
    import broker.people.models  # noqa: F401
    import broker.people.partners  # noqa: F401
    import broker.planning.models  # noqa: F401
    import broker.routing.models  # noqa: F401
    import broker.wakeup_models  # noqa: F401
    import notifications.models  # noqa: F401
    import notifications.webhooks.models  # noqa: F401
    import sla.models  # noqa: F401
    import tasks.loop_models  # noqa: F401
    import tasks.models  # noqa: F401


def register_subscribers():
    """Connect the domain packages that follow task events (tasks never imports them), one
    receiver per package for single events and one for events written in bulk: each receiver
    only gathers work in the caller's transaction, and COMMIT_STEPS writes it."""
    from broker.routing.wakeups import request_round_for_bulk_on_commit, request_round_on_commit
    from notifications.outbox import queue_bulk_notifications_on_commit, queue_notifications_on_commit
    from notifications.webhooks.outbox import (
        queue_bulk_webhook_deliveries_on_commit,
        queue_webhook_deliveries_on_commit,
    )
    from sla.tracking import mark_bulk_clocks_on_commit, mark_clocks_on_commit
    from tasks.signals import task_event_recorded, task_events_recorded
    for receiver in (mark_clocks_on_commit, queue_notifications_on_commit,
                     queue_webhook_deliveries_on_commit, request_round_on_commit):
        task_event_recorded.connect(receiver, weak=False)  # blinker keeps one per receiver
    for receiver in (mark_bulk_clocks_on_commit, queue_bulk_notifications_on_commit,
                     queue_bulk_webhook_deliveries_on_commit, request_round_for_bulk_on_commit):
        task_events_recorded.connect(receiver, weak=False)
    register_commit_steps()


def register_commit_steps():
    """What every transaction writes just before it commits, in this order: first the SLA clocks
    of tasks whose history moved (which may record an `sla_recomputed` event), then the outbox
    rows and the webhook deliveries of every event recorded, that one included, and last the
    wake-ups those asked for (a routing round for newly queued work or a freed place, delivery
    for urgent notifications and webhook deliveries), sent only if the transaction commits."""
    from broker.db_events import CommitStep, run_before_commit
    from broker.wakeups import WAKEUPS, send_wakeups_in
    from notifications.outbox import NOTIFICATIONS, insert_notifications_in
    from notifications.webhooks.outbox import WEBHOOK_DELIVERIES, insert_webhook_deliveries_in
    from sla.tracking import CLOCKS, recompute_clocks_in
    run_before_commit([
        CommitStep(CLOCKS, recompute_clocks_in),
        CommitStep(NOTIFICATIONS, insert_notifications_in),
        CommitStep(WEBHOOK_DELIVERIES, insert_webhook_deliveries_in),
        CommitStep(WAKEUPS, send_wakeups_in),
    ])


def register_blueprints(app: Flask):
    from broker.api import register_api
    from broker.slack_app import register_slack
    from broker.web import register_web
    register_api(app)
    register_web(app)
    register_slack(app)


def register_cli(app: Flask):
    from broker.cli import register_commands
    register_commands(app)
