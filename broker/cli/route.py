"""broker route: run one routing round now, or as if at --at."""
import click
from flask.cli import with_appcontext

from broker.cli.options import at_option
from broker.routing.service import route_round


@click.command("route")
@at_option()
@with_appcontext
def route(now):
    """Run one routing round: offer queued tasks to specialists, or note why they wait."""
    click.echo(str(route_round(now)))
