"""broker costs report: the cost report as a table (or JSON), over everything or as one user sees it."""
import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from broker.cli.options import instant_option
from broker.cli.sla import table
from broker.costs.figures import GROUPS
from broker.costs.report import cost_report, scoped_report
from broker.errors import DomainError
from broker.extensions import db
from broker.people.models import User
from broker.people.permissions import CostScope
from broker.timeutil import utcnow
from sla.reporting import default_period

COLUMNS = [("label", "group"), ("briefs", "briefs"), ("tasks_approved", "approved"),
           ("estimate_hours", "estimate h"), ("logged_hours", "logged h"), ("cost", "cost"),
           ("cost_per_approved_task", "per approved"), ("attainment_pct", "attained %"),
           ("revisions", "revisions"), ("average_rating", "rating")]


@click.group()
def costs():
    """Time logged and what it cost."""


@costs.command("report")
@instant_option("--since", "since", "ISO instant; 28 days before --until by default.")
@instant_option("--until", "until", "ISO instant; now by default.")
@click.option("--group-by", type=click.Choice(GROUPS), default="objective")
@click.option("--as", "as_email", metavar="EMAIL", help="Scope it as this user sees it (a manager: "
              "their briefs; a partner lead: their partner). Everything by default.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def report(since, until, group_by, as_email, as_json):
    """Hours, cost, cost per approved task and the outcomes beside them, for tasks posted in the
    period; the total line is the sum of the rows."""
    now = utcnow()
    since_at, until_at = default_period(since, until, now)
    currency = current_app.config["BROKER_CURRENCY"]
    try:
        if as_email:
            actor = db.session.scalar(select(User).where(func.lower(User.email) == as_email.lower()))
            if actor is None:
                raise click.ClickException(f"No user has the email {as_email}.")
            result = cost_report(actor, since_at, until_at, group_by, now, currency)
        else:
            result = scoped_report(CostScope(everything=True), since_at, until_at, group_by, now, currency)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(json.dumps(result, default=str, indent=2))
        return
    click.echo(f"Cost report ({currency}) {since_at.isoformat()} .. {until_at.isoformat()} "
               f"by {group_by}, {result['scope']}")
    click.echo(table(result["rows"] + [result["total"]], COLUMNS))
