"""Options shared by the commands that run a job once: --at ISO replays or forecasts an instant."""
import click

from broker.timeutil import parse_instant, utcnow


def instant_option(flag: str, name: str, help_text: str, default_now: bool = False):
    """An ISO-instant option passed to the command as `name` (aware, UTC); when it is left out,
    the current time if `default_now`, else None. A bad value is a usage error naming the flag."""
    def parse(ctx, param, value):
        if value is None:
            return utcnow() if default_now else None
        try:
            return parse_instant(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return click.option(flag, name, callback=parse, metavar="ISO", help=help_text)


def at_option(help_text: str = "Run as if now were this instant, e.g. 2026-11-24T09:00:00+08:00."):
    """The --at ISO option, passed to the command as `now` (an aware instant)."""
    return instant_option("--at", "now", help_text, default_now=True)
