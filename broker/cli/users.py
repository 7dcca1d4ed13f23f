"""broker users create."""
import click
from flask.cli import with_appcontext

from broker.errors import DomainError
from broker.people.roles import ROLES
from broker.people.services import create_user


@click.group()
def users():
    """Manage users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--timezone", required=True, help="IANA name, e.g. Asia/Manila")
@click.option("--password", default=None, help="Lets the user log in to the pages.")
@click.option("--partner", default=None, help="The partner a partner_lead leads.")
@with_appcontext
def create(email, name, role, timezone, password, partner):
    """Create a user; the API token is printed alone on the last line."""
    try:
        user, token = create_user(email, name, role, timezone, password, partner=partner)
    except DomainError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}). API token, shown once:")
    click.echo(token)
