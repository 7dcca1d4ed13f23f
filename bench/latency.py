"""Offer latency: from a posted brief's answer to its offer's message at Slack, through `make serve`.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/latency.py [--seconds 60] [--rate 2] [--managers 5] [--specialists 40]
                                      [--backlog 1000] [--database-url postgresql://...]
                                      [--json FILE] [--keep]

It makes a fresh database (PostgreSQL by default, its own; dropped at the end unless --keep),
seeds managers and specialists through the real services (every skill, around the clock, room for
six tasks each, each with a Slack webhook on a fake Slack on loopback, tests/fake_slack.py) and
--backlog queued tasks that nobody can take (a skill no one has), so every routing round carries
a realistic queue. It starts `make serve` (web workers and the scheduler, intervals at their
defaults: the safety net) and waits for the scheduler's first runs. Then the managers post
one-task briefs at a steady --rate per second for --seconds, and each offer's message is timed
from the POST's answer to its arrival at the fake Slack. It prints p50/p95/p99/max, how many
offers arrived, and the routing rounds and outbox runs the scheduler logged meanwhile.
"""
import argparse
import asyncio
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import aiohttp  # noqa: E402
from load import FIRST_JOBS, Server, drop_database, free_port, fresh_database, sqlalchemy_url  # noqa: E402
from load_seed import seed  # noqa: E402

from tests.fake_slack import FakeSlack  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/broker_latency_bench"
GOAL_P95_S = 5.0
PROBE = re.compile(r"Latency probe (\d+)")


def prepare(url: str, secret: str, slack: FakeSlack, managers: int, specialists: int,
            backlog: int) -> list[str]:
    """Migrate, seed the people (specialists' offers go to the fake Slack) and the backlog;
    returns the managers' API tokens."""
    from flask_migrate import upgrade

    from broker.app import create_app
    from broker.extensions import db
    from broker.people.models import User
    from broker.people.services import update_me
    from broker.timeutil import utcnow
    from tasks import services as tasks
    app = create_app({"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url),
                      "BROKER_SCHEDULER": "off"})
    with app.app_context():
        upgrade()
        logins = seed(managers, specialists, 0)
        for person in logins["specialists"]:
            update_me(db.session.get(User, person["id"]),
                      {"slack_webhook_url": slack.url(f"T0/B0/user{person['id']}")}, secret)
        owner = db.session.get(User, logins["managers"][0]["id"])
        for start in range(0, backlog, 100):
            tasks.create_brief(owner, {
                "title": "Backlog", "objective": "awareness", "success_metric": "-",
                "tasks": [{"title": f"Nobody can {i}", "work_type": "design", "priority": "low",
                           "estimate_hours": 2, "skills": [{"skill": "nobody_has_this", "min_level": 5}]}
                          for i in range(start, min(start + 100, backlog))]}, utcnow())
        db.session.remove()
        db.engine.dispose()
    return [m["token"] for m in logins["managers"]]


class Arrivals:
    """When each probe's offer reached the fake Slack (monotonic seconds), by probe number."""

    def __init__(self, slack: FakeSlack):
        self.slack, self.seen, self.read = slack, {}, 0

    def collect(self) -> dict:
        received = list(self.slack.received)
        for request in received[self.read:]:
            match = PROBE.search(json.dumps(request["body"]))
            if match:
                self.seen.setdefault(int(match.group(1)), request["at"])
        self.read = len(received)
        return self.seen


async def post_steadily(base: str, tokens: list[str], rate: float, seconds: float) -> tuple[dict, list]:
    """One-task briefs at `rate` per second for `seconds`, spread over the managers; returns when
    each POST was answered (monotonic, by probe number) and any errors."""
    answered, errors = {}, []
    async with aiohttp.ClientSession() as session:
        async def post(n: int):
            body = {"title": f"Probe brief {n}", "objective": "pipeline", "success_metric": "an offer",
                    "tasks": [{"title": f"Latency probe {n}", "work_type": "video_editing",
                               "priority": "high", "estimate_hours": 2}]}
            headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            async with session.post(f"{base}/api/v1/briefs", json=body, headers=headers) as answer:
                await answer.read()
                if answer.status == 201:
                    answered[n] = time.monotonic()
                else:
                    errors.append(f"probe {n}: HTTP {answer.status}")

        started, pending = time.monotonic(), []
        for n in range(int(rate * seconds)):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(post(n)))
        await asyncio.gather(*pending)
    return answered, errors


def wait_for_offers(arrivals: Arrivals, answered: dict, timeout: float) -> dict:
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while time.monotonic() < deadline:
        seen = arrivals.collect()
        if all(n in seen for n in answered):
            return seen
        pause.wait(0.2)
    return arrivals.collect()


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(opts) -> dict:
    secret, logs = secrets.token_hex(32), Path(opts.logs or tempfile.mkdtemp(prefix="broker-latency-"))
    logs.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    slack = FakeSlack().start()
    fresh_database(opts.database_url)
    server = None
    try:
        tokens = prepare(opts.database_url, secret, slack, opts.managers, opts.specialists, opts.backlog)
        port = opts.port or free_port()
        env = {**os.environ, "DATABASE_URL": opts.database_url, "SECRET_KEY": secret,
               "BROKER_ENV": "development", "BROKER_BIND": f"127.0.0.1:{port}",
               "NO_PROXY": "127.0.0.1,localhost"}
        server = Server("make serve", ["make", "-s", "serve"], env, logs / "serve.log")
        server.wait_for(f"http://127.0.0.1:{port}/api/v1/health", [f"job {j} done" for j in FIRST_JOBS])
        log_before = len((logs / "serve.log").read_text().splitlines())
        with ThreadPoolExecutor(1) as thread:  # the caller may run an event loop already
            answered, errors = thread.submit(asyncio.run, post_steadily(
                f"http://127.0.0.1:{port}", tokens, opts.rate, opts.seconds)).result()
        seen = wait_for_offers(Arrivals(slack), answered, opts.wait)
        log = (logs / "serve.log").read_text().splitlines()[log_before:]
    finally:
        if server is not None:
            server.stop()
        slack.stop()
        if not opts.keep:
            drop_database(opts.database_url)
    latencies = [seen[n] - at for n, at in answered.items() if n in seen]
    return {"posted": len(answered), "offers_arrived": len(latencies), "errors": errors,
            "p50_s": percentile(latencies, 0.50), "p95_s": percentile(latencies, 0.95),
            "p99_s": percentile(latencies, 0.99), "max_s": max(latencies, default=None),
            "routing_rounds": sum("job route_tasks done" in line for line in log),
            "outbox_runs": sum("job deliver_outbox done" in line for line in log),
            "options": vars(opts), "logs": str(logs),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def report(result: dict) -> str:
    o = result["options"]
    p95 = result["p95_s"]
    lines = [f"Offer latency through make serve: {result['posted']} one-task briefs posted at "
             f"{o['rate']}/s for {o['seconds']} s by {o['managers']} managers; {o['specialists']} "
             f"specialists; a backlog of {o['backlog']} tasks nobody can take",
             f"offers at the fake Slack: {result['offers_arrived']} of {result['posted']}; "
             f"errors: {len(result['errors'])}",
             "from the POST's answer to the offer's message: " + ", ".join(
                 f"{k} {result[k + '_s']:.2f} s" if result[k + "_s"] is not None else f"{k} -"
                 for k in ("p50", "p95", "p99", "max")),
             f"scheduler meanwhile: {result['routing_rounds']} routing rounds, "
             f"{result['outbox_runs']} outbox runs; load average after {result['load_average']}",
             f"Goal p95 <= {GOAL_P95_S:.0f} s: "
             + ("met" if p95 is not None and p95 <= GOAL_P95_S
                and result["offers_arrived"] == result["posted"] else "MISSED")]
    return "\n".join(lines + [f"error: {e}" for e in result["errors"][:10]])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=2.0, help="briefs posted per second")
    parser.add_argument("--managers", type=int, default=5)
    parser.add_argument("--specialists", type=int, default=40)
    parser.add_argument("--backlog", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=90, help="seconds to wait for the last offers")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--logs", help="folder for the server's log (a temporary one by default)")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    opts = parser.parse_args(argv)
    result = run(opts)
    print(report(result))
    if opts.json:
        Path(opts.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
