"""broker templates post: post every scheduled template whose period has come, once."""
import click
from flask.cli import with_appcontext

from broker.cli.options import at_option
from tasks.templates import post_scheduled


@click.group()
def templates():
    """Brief templates and their schedules."""


@templates.command("post")
@at_option()
@with_appcontext
def post(now):
    """Post each scheduled template due at --at (now by default): each period exactly once, and
    after downtime the latest missed period once."""
    click.echo(f"templates posted at {now.isoformat()}: {post_scheduled(now)}")
