"""`make fuzz`: a long schemathesis run (its CLI, in its own process) against the app served on
loopback, once with each role's token, on a throwaway SQLite database or FUZZ_DATABASE_URL.

    .venv/bin/python -m tests.fuzz.deep [--max-examples N] [--max-time SECONDS] [--role ROLE]
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from broker.app import create_app
from broker.extensions import db
from broker.settings import normalise_database_url
from tests.factories import Factory
from tests.fuzz.world import ROLES, build_world, serve

CHECKS_SKIPPED = "positive_data_acceptance"  # why: tests/fuzz/world.py SKIPPED_CHECKS


def fuzz_app(folder: Path):
    """A migrated app on a fresh database: FUZZ_DATABASE_URL (a throwaway PostgreSQL database,
    emptied first), else SQLite under `folder`."""
    url = os.environ.get("FUZZ_DATABASE_URL") or f"sqlite:///{folder / 'fuzz.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz",
                      "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "BROKER_SCHEDULER": "off", "BROKER_LOGIN_THROTTLE": False})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("drop schema public cascade; create schema public"))
        upgrade()
    return app


def run_schemathesis(base_url: str, headers: dict, args) -> int:
    """One schemathesis CLI run; its exit status (0: no failure found)."""
    command = [str(Path(sys.executable).parent / "schemathesis"), "run",
               f"{base_url}/api/v1/openapi.json", "--url", base_url, "-w", "1",
               "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
               "--exclude-checks", CHECKS_SKIPPED, "--generation-deterministic"]
    command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    env = dict(os.environ, SCHEMATHESIS_HOOKS="tests.fuzz.hooks",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return subprocess.call(command, env=env, cwd=Path(__file__).resolve().parents[2])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--max-time", type=int, default=300, help="seconds per role")
    parser.add_argument("--role", choices=ROLES, action="append")
    args = parser.parse_args(argv)
    failed = []
    with tempfile.TemporaryDirectory() as folder:
        app = fuzz_app(Path(folder))
        world = build_world(app, Factory(app))
        with serve(app) as base_url:
            for role in args.role or ROLES:
                print(f"== schemathesis as {role}", flush=True)
                if run_schemathesis(base_url, world.headers[role], args):
                    failed.append(role)
    print("== failures with the token of: " + (", ".join(failed) or "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
