"""The `broker` console script: a Flask CLI group with one sub-group per package."""
import click
from flask.cli import FlaskGroup

from broker.app import create_app
from broker.db_events import WRITE_INTENT


def register_commands(app):
    from broker.cli.costs import costs
    from broker.cli.demo import demo
    from broker.cli.notify import digests, outbox
    from broker.cli.planning import plan, simulate
    from broker.cli.route import route
    from broker.cli.serve import run, scheduler
    from broker.cli.sla import sla
    from broker.cli.templates import templates
    from broker.cli.users import users
    for command in (users, demo, route, run, scheduler, outbox, digests, sla, simulate, plan,
                    templates, costs):
        app.cli.add_command(command)


def _app_for_cli():
    """The app from the environment; a missing setting is a one-line error, not a traceback."""
    try:
        return create_app()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_app_for_cli, add_default_commands=False)
def main():
    """Broker: offshore task brokering and SLA tracking."""
    # Commands run beside web workers and the scheduler: their transactions write (SQLite takes
    # the write lock up front; see broker.db_events.WRITE_INTENT).
    WRITE_INTENT.set(True)
