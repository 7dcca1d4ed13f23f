"""Options shared by the commands that run a job once: --at ISO replays or forecasts an instant."""
import click

from broker.timeutil import parse_instant, utcnow


def _instant(ctx, param, value):
    """Click callback: --at as an aware instant, or the current time."""
    if value is None:
        return utcnow()
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc))


def at_option(help_text: str = "Run as if now were this instant, e.g. 2026-11-24T09:00:00+08:00."):
    """The --at ISO option, passed to the command as `now` (an aware instant)."""
    return click.option("--at", "now", callback=_instant, metavar="ISO", help=help_text)
