"""broker run (development server with the scheduler inside) and broker scheduler (alone)."""
import signal
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from broker import scheduler as scheduling


@click.command("run")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def run(host, port):
    """Serve the app for development, with the elected scheduler unless BROKER_SCHEDULER=off."""
    app = current_app._get_current_object()
    if app.config.get("BROKER_SCHEDULER", "on") != "off":
        _start(app)
        click.echo("scheduler: started (runs jobs while it holds the election lock)")
    else:
        click.echo("scheduler: off (BROKER_SCHEDULER=off)")
    run_simple(host, port, app, use_reloader=False, threaded=True)


@click.command("scheduler")
@with_appcontext
def scheduler():
    """Run the scheduler alone, in the foreground, until interrupted (Ctrl-C or TERM, as `make
    serve` stops it: the job running then finishes first)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo("scheduler: starting in the foreground; Ctrl-C stops it")
    try:
        _start(current_app._get_current_object(), blocking=True)
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler: stopped")


def _start(app, blocking: bool = False):
    """Start the scheduler; a broken setting (an unknown job's interval) is a one-line error."""
    try:
        scheduling.start(app, blocking=blocking)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
