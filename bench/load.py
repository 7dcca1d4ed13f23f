"""Load test: people using Broker at once through `make serve`, beside the ceiling of the stack.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py [--seconds 60] [--users 50] [--workers 3] [--threads 4]
                                   [--think 0.5-1.5] [--queued 700] [--burst-seconds 15]
                                   [--burst-users 12]
                                   [--database-url postgresql://postgres@127.0.0.1:5432/broker_load_bench]
                                   [--json FILE] [--keep]

It makes a fresh database (dropped at the end unless --keep), migrates it and seeds managers,
specialists (40/60 of --users) and --queued queued tasks through the real services, then starts
`make serve` on it (gunicorn: --workers web workers of --threads threads; and the scheduler) and,
with the same gunicorn settings on another port, the ceiling: a bare Flask endpoint inserting a row
(bench/ceiling.py). This process is the client, on loopback (asyncio and aiohttp). Three phases:
1. mixed: the people (bench/load_users.py) act for --seconds, each pausing --think seconds (a
   range) between requests, while the scheduler routes, sweeps and delivers as in production;
2. ceiling: --burst-users clients insert rows without pause for --burst-seconds;
3. posting: --burst-users managers post briefs of three tasks without pause for --burst-seconds.
It prints per endpoint the requests, rate, p50/p95/p99/max latency, errors and refusals (409s of
lost claim races), the two rates and their ratio, and whether the goals were met.
"""
import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import aiohttp  # noqa: E402
import ceiling  # noqa: E402
from load_cpu import CpuMeter  # noqa: E402
from load_seed import brief_body, seed  # noqa: E402
from load_users import Manager, Specialist, Stats, hammer, run_people  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/broker_load_bench"
FIRST_JOBS = ("expire_offers", "route_tasks", "sla_sweep", "deliver_outbox", "send_digests")
GOAL_P99_MS, GOAL_SHARE = 250, 1 / 3


@dataclass
class Options:
    seconds: float = 60
    users: int = 50
    workers: int = 3
    threads: int = 4
    think: tuple = (0.5, 1.5)
    queued: int = 700
    burst_seconds: float = 15
    burst_users: int = 12
    database_url: str = DEFAULT_URL
    port: int = 8760
    ceiling_port: int = 8761
    keep: bool = False
    logs: str | None = None  # folder for the servers' logs (a temporary one by default)


def sqlalchemy_url(url: str) -> str:
    from broker.settings import normalise_database_url
    return normalise_database_url(url)


def fresh_database(url: str):
    """Drop and create the database the URL names (PostgreSQL), or remove the SQLite file."""
    import sqlalchemy as sa
    full = sa.engine.make_url(sqlalchemy_url(url))
    if full.get_backend_name() == "sqlite":
        Path(full.database).unlink(missing_ok=True)
        return
    admin = sa.create_engine(full.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{full.database}" with (force)'))
        conn.execute(sa.text(f'create database "{full.database}"'))
    admin.dispose()


def drop_database(url: str):
    import sqlalchemy as sa
    full = sa.engine.make_url(sqlalchemy_url(url))
    if full.get_backend_name() == "sqlite":
        Path(full.database).unlink(missing_ok=True)
        return
    admin = sa.create_engine(full.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{full.database}" with (force)'))
    admin.dispose()


def migrate_and_seed(opts: Options) -> dict:
    """Build the schema from the migrations and seed it through the real services."""
    from flask_migrate import upgrade

    from broker.app import create_app
    from broker.extensions import db
    app = create_app({"SECRET_KEY": "seed", "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(opts.database_url),
                      "BROKER_SCHEDULER": "off"})
    managers = max(1, round(opts.users * 0.4))
    with app.app_context():
        upgrade()
        logins = seed(managers, max(1, opts.users - managers), opts.queued)
        db.engine.dispose()
    ceiling.create_table(sqlalchemy_url(opts.database_url))
    return logins


class Server:
    """A server process group started here, stopped with TERM (then KILL) to the whole group."""

    def __init__(self, name: str, cmd: list, env: dict, log: Path):
        self.name, self.log = name, log
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def wait_for(self, url: str, in_log: tuple = (), timeout: float = 120):
        """Until `url` answers 200 and the log shows each of `in_log`, or fail with the log's tail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if _answers(url) and all(text in self.log.read_text() for text in in_log):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not come up; last lines of {self.log}:\n"
                           + "\n".join(self.log.read_text().splitlines()[-20:]))

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def start_servers(opts: Options, logs: Path) -> tuple[Server, Server]:
    """`make serve` on the database, and the ceiling app with the same gunicorn settings."""
    # Plain http on loopback: production's Secure session cookie would never come back, so the
    # browser logins run as in development (the only other difference: SECRET_KEY, set here).
    env = {**os.environ, "DATABASE_URL": opts.database_url, "SECRET_KEY": secrets.token_hex(32),
           "BROKER_ENV": "development", "BROKER_WORKERS": str(opts.workers),
           "BROKER_THREADS": str(opts.threads),
           "BROKER_PROXY_HOPS": "1", "NO_PROXY": "127.0.0.1,localhost"}
    product = Server("make serve", ["make", "-s", "serve"],
                     {**env, "BROKER_BIND": f"127.0.0.1:{opts.port}"}, logs / "serve.log")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    bare = Server("ceiling", [gunicorn, "--config", "python:broker.gunicorn_conf", "--pythonpath",
                              str(BENCH), "ceiling:create_app()"],
                  {**env, "BROKER_BIND": f"127.0.0.1:{opts.ceiling_port}"}, logs / "ceiling.log")
    try:
        # The scheduler's first run of every job (the routing round takes the seeded queue) ends
        # before anything is measured.
        product.wait_for(f"http://127.0.0.1:{opts.port}/api/v1/health",
                         [f"job {job} done" for job in FIRST_JOBS])
        bare.wait_for(f"http://127.0.0.1:{opts.ceiling_port}/health")
    except RuntimeError:
        product.stop()
        bare.stop()
        raise
    return product, bare


async def measure(opts: Options, logins: dict, meter: CpuMeter) -> dict:
    """The three phases against running servers; plain numbers out, with the CPU each side spent
    per request in each phase."""
    base = f"http://127.0.0.1:{opts.port}"
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=opts.users)
    managers = [Manager(base, m, stats, connector, i, opts.think)
                for i, m in enumerate(logins["managers"])]
    people = managers + [Specialist(base, s, stats, connector, len(managers) + i, opts.think)
                         for i, s in enumerate(logins["specialists"])]
    try:
        for manager in managers:
            await manager.log_in(logins["password"])
        before, started = meter.snapshot(), time.perf_counter()
        await run_people(people, started + opts.seconds)
        elapsed = time.perf_counter() - started
        mixed_cpu = meter.snapshot()
    finally:
        for person in people:
            await person.close()
        await connector.close()
    mixed = stats.summary(elapsed)
    ceiling_stats = await hammer(f"http://127.0.0.1:{opts.ceiling_port}", "POST", "/insert",
                                 lambda rng: None, opts.burst_users, opts.burst_seconds, {},
                                 "ceiling insert")
    ceiling_cpu = meter.snapshot()
    token = {"Authorization": f"Bearer {logins['managers'][0]['token']}"}
    posting = await hammer(base, "POST", "/api/v1/briefs", _three_task_brief, opts.burst_users,
                           opts.burst_seconds, token, "POST /briefs")
    posting_cpu = meter.snapshot()
    result = {"mixed": mixed, "mixed_seconds": round(elapsed, 1), "mixed_errors": stats.samples,
              "ceiling": ceiling_stats.summary(opts.burst_seconds)["all"],
              "posting": posting.summary(opts.burst_seconds)["all"],
              "burst_errors": ceiling_stats.samples + posting.samples}
    result["cpu_ms_per_request"] = {
        "mixed": meter.per_request(before, mixed_cpu, mixed["all"]["requests"]),
        "ceiling": meter.per_request(mixed_cpu, ceiling_cpu, result["ceiling"]["requests"]),
        "posting": meter.per_request(ceiling_cpu, posting_cpu, result["posting"]["requests"])}
    return result


def _three_task_brief(rng: random.Random) -> dict:
    from datetime import datetime, timezone
    return brief_body(rng, 3, datetime.now(timezone.utc))


def run(opts: Options) -> dict:
    """Set up, measure, tear down; the numbers and the goals."""
    logs = Path(opts.logs or tempfile.mkdtemp(prefix="broker-load-"))
    logs.mkdir(parents=True, exist_ok=True)
    load_before = [round(x, 2) for x in os.getloadavg()]
    fresh_database(opts.database_url)
    product = bare = None
    try:
        logins = migrate_and_seed(opts)
        product, bare = start_servers(opts, logs)
        meter = CpuMeter({"serve": product.proc.pid, "ceiling": bare.proc.pid},
                         sqlalchemy_url(opts.database_url))
        try:
            # In a thread of its own: the caller may run an event loop already (in the suite,
            # Playwright's sync API leaves one running).
            with ThreadPoolExecutor(1) as thread:
                result = thread.submit(asyncio.run, measure(opts, logins, meter)).result()
        finally:
            meter.close()
    finally:
        for server in (product, bare):
            if server is not None:
                server.stop()
        if not opts.keep:
            drop_database(opts.database_url)
    result["options"] = {**asdict(opts), "think": list(opts.think)}
    result["load_average"] = {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]}
    result["logs"] = str(logs)
    result["goals"] = goals(result)
    return result


def goals(result: dict) -> dict:
    overall, ceiling_rate = result["mixed"]["all"], result["ceiling"]["per_second"]
    share = result["posting"]["per_second"] / ceiling_rate if ceiling_rate else 0.0
    return {"p99_under_250_ms": (overall["p99_ms"] or 0) < GOAL_P99_MS,
            "no_errors": overall["errors"] == 0 and result["posting"]["errors"] == 0,
            "posting_share_of_ceiling": round(share, 2),
            "posting_at_least_a_third": share >= GOAL_SHARE}


def report(result: dict) -> str:
    o = result["options"]
    lines = [f"Mixed load: {o['users']} people for {result['mixed_seconds']} s, pausing "
             f"{o['think'][0]}-{o['think'][1]} s between requests; {o['workers']} web workers x "
             f"{o['threads']} threads + the scheduler (make serve); {o['queued']} tasks queued at the start",
             f"{'endpoint':28} {'requests':>8} {'/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
             f" {'max ms':>8} {'errors':>6} {'409s':>5}"]
    lines.insert(1, f"Machine load average (1, 5, 15 min) before {result['load_average']['before']}, "
                    f"after {result['load_average']['after']} ({os.cpu_count()} cores)")
    for name, row in result["mixed"].items():
        lines.append(f"{name:28} {row['requests']:>8} {row['per_second']:>7} {row['p50_ms']!s:>8} "
                     f"{row['p95_ms']!s:>8} {row['p99_ms']!s:>8} {row['max_ms']!s:>8} "
                     f"{row['errors']:>6} {row['refused']:>5}")
    c, p, g = result["ceiling"], result["posting"], result["goals"]
    lines += [f"Ceiling, bare insert ({o['burst_users']} clients, {o['burst_seconds']} s): "
              f"{c['per_second']}/s, p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms, {c['errors']} errors",
              f"Brief posting, 3 tasks ({o['burst_users']} clients, {o['burst_seconds']} s): "
              f"{p['per_second']}/s, p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, {p['errors']} errors"
              f" = {g['posting_share_of_ceiling']} of the ceiling",
              f"Goals: p99 < {GOAL_P99_MS} ms {'met' if g['p99_under_250_ms'] else 'MISSED'}; "
              f"no errors {'met' if g['no_errors'] else 'MISSED'}; posting >= 1/3 of the ceiling "
              f"{'met' if g['posting_at_least_a_third'] else 'MISSED'}"]
    lines.append("CPU ms per request (web workers / scheduler / PostgreSQL / this client):")
    for phase, cpu in result["cpu_ms_per_request"].items():
        web = cpu["ceiling"] if phase == "ceiling" else cpu["serve"]
        lines.append(f"  {phase:8} {web} / {cpu['scheduler']} / {cpu['postgres']} / {cpu['client']}")
    lines += [f"error: {e}" for e in result["mixed_errors"] + result["burst_errors"]]
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads per web worker")
    parser.add_argument("--think", default="0.5-1.5", help="seconds between a person's requests, a range")
    parser.add_argument("--queued", type=int, default=700)
    parser.add_argument("--burst-seconds", type=float, default=15)
    parser.add_argument("--burst-users", type=int, default=12)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--port", type=int, default=8760)
    parser.add_argument("--ceiling-port", type=int, default=8761)
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    low, _, high = args.think.partition("-")
    opts = Options(args.seconds, args.users, args.workers, args.threads,
                   (float(low), float(high or low)), args.queued, args.burst_seconds, args.burst_users,
                   args.database_url, args.port, args.ceiling_port, args.keep)
    result = run(opts)
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
