"""broker demo: a realistic organisation to explore (filled in below)."""
import click
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when users exist.")
@with_appcontext
def demo(if_empty):
    """Fill an empty database with a demo organisation and print the logins."""
    raise click.ClickException("not yet")
