"""broker outbox deliver and broker digests send [--at ISO]."""
import click
from flask.cli import with_appcontext

from broker.timeutil import parse_instant, utcnow


def _instant(_ctx, _param, value):
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


AT = click.option("--at", callback=_instant, metavar="ISO",
                  help="Run as if at this instant, e.g. 2026-11-24T09:00:00+08:00.")


@click.group()
def outbox():
    """The notification outbox."""


@outbox.command("deliver")
@AT
@with_appcontext
def deliver(at):
    """Send every due urgent notification once (retries wait for their next attempt)."""
    from notifications.delivery import deliver_outbox
    click.echo(f"outbox: {deliver_outbox(at or utcnow())}")


@click.group()
def digests():
    """Daily digests."""


@digests.command("send")
@AT
@with_appcontext
def send(at):
    """Queue the digest of every user whose local digest hour has come, then deliver them."""
    from notifications.delivery import deliver_outbox
    from notifications.digests import send_digests
    now = at or utcnow()
    queued = send_digests(now)
    click.echo(f"digests: {queued}; outbox: {deliver_outbox(now)}")
