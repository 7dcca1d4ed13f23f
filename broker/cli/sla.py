"""broker sla sweep | report: run the SLA sweep once, or print the SLA report as a table."""
import click
from flask.cli import with_appcontext

from broker.cli.options import at_option, instant_option
from broker.errors import DomainError
from broker.timeutil import utcnow
from sla.report_figures import GROUPS
from sla.reporting import default_period, sla_report
from sla.sweep import escalate_breaches, summary

COLUMNS = [("group", "group"), ("tasks", "tasks"), ("attainment_pct", "attained %"),
           ("median_cycle_hours", "median h"), ("p90_cycle_hours", "p90 h"),
           ("breaches", "breaches"), ("hours_lost", "hours lost"),
           ("waiting_on_owner_hours", "owner wait h")]


@click.group()
def sla():
    """SLA sweep and reports."""


@sla.command("sweep")
@at_option()
@with_appcontext
def sweep(now):
    """Fire every due escalation step once; prints a one-line summary."""
    click.echo(f"sla sweep at {now.isoformat()}: {summary(escalate_breaches(now))}")


@sla.command("report")
@instant_option("--since", "since", "ISO instant; 28 days before --until by default.")
@instant_option("--until", "until", "ISO instant; now by default.")
@click.option("--group-by", type=click.Choice(GROUPS), default="work_type")
@with_appcontext
def report(since, until, group_by):
    """Attainment, cycle-time percentiles, breaches and hours lost over a period, as a table."""
    now = utcnow()
    since_at, until_at = default_period(since, until, now)
    try:
        result = sla_report(since_at, until_at, group_by, now)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"SLA report {since_at.isoformat()} .. {until_at.isoformat()} by {group_by}")
    click.echo(table(result["rows"] + [result["total"]]))


def table(rows: list[dict], columns: list = COLUMNS) -> str:
    """A plain aligned text table of (key, title) columns."""
    cells = [[title for _, title in columns]] + [
        ["-" if row[key] is None else str(row[key]) for key, _ in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
