"""broker outbox deliver and broker digests send [--at ISO]."""
import click
from flask.cli import with_appcontext

from broker.cli.options import at_option


@click.group()
def outbox():
    """The notification outbox."""


@outbox.command("deliver")
@at_option()
@with_appcontext
def deliver(now):
    """Send every due urgent notification once, then every due webhook delivery (retries wait
    for their next attempt)."""
    from notifications.delivery import deliver_outbox
    click.echo(f"outbox: {deliver_outbox(now)}")


@click.group()
def digests():
    """Daily digests."""


@digests.command("send")
@at_option()
@with_appcontext
def send(now):
    """Queue the digest of every user whose local digest hour has come, then deliver them."""
    from notifications.delivery import deliver_outbox
    from notifications.digests import send_digests
    queued = send_digests(now)
    click.echo(f"digests: {queued}; outbox: {deliver_outbox(now)}")
