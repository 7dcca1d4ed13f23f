"""The `broker` console script: a Flask CLI group with one sub-group per package."""
import click
from flask.cli import FlaskGroup

from broker.app import create_app


def register_commands(app):
    from broker.cli.demo import demo
    from broker.cli.serve import run, scheduler
    from broker.cli.users import users
    for command in (users, demo, run, scheduler):
        app.cli.add_command(command)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main():
    """Broker: offshore task brokering and SLA tracking."""
