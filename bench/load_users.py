"""The simulated people of bench/load.py: managers and specialists as asyncio tasks over aiohttp,
each doing what the real ones do, in a loop until a deadline, with every request timed.

Managers post briefs, read them back, list their briefs (API and page) and open the dashboard;
specialists list the work they may claim, claim it, accept their offers and submit. A 409 to a
claim or an accept is a lost race or a full queue, as for real people: counted as refused, not as
an error. Anything else outside 2xx/3xx, and any failed connection, is an error.
"""
import asyncio
import random
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

import aiohttp
from load_seed import brief_body

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RACES = {"POST /tasks/<id>/claim", "POST /tasks/<id>/accept", "POST /tasks/<id>/submit"}
DELIVERABLE = {"deliverable_url": "https://drive.example.com/load/cut-v1.mp4", "note": "First cut."}


class TimeUp(Exception):
    """The run's deadline passed: a person starts no new request."""


@dataclass
class Stats:
    """Latencies and outcomes per endpoint name."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    refused: dict = field(default_factory=lambda: defaultdict(int))
    samples: list = field(default_factory=list)  # the first error bodies, to say what went wrong

    def record(self, name: str, seconds: float, status: int, body: str = ""):
        self.latencies[name].append(seconds)
        if status == 409 and name in RACES:
            self.refused[name] += 1
        elif status >= 400 or status == 0:
            self.errors[name] += 1
            if len(self.samples) < 5:
                self.samples.append(f"{name} -> {status}: {body[:200]}")

    def summary(self, seconds: float) -> dict:
        """Per endpoint: requests, rate, p50/p95/p99/max in ms, errors and refusals."""
        rows = {name: _row(times, seconds, self.errors[name], self.refused[name])
                for name, times in sorted(self.latencies.items())}
        every = [t for times in self.latencies.values() for t in times]
        rows["all"] = _row(every, seconds, sum(self.errors.values()), sum(self.refused.values()))
        return rows


def _row(times: list, seconds: float, errors: int, refused: int) -> dict:
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {"requests": len(times), "per_second": round(len(times) / seconds, 1),
            "p50_ms": ms(cuts[49]) if cuts else None, "p95_ms": ms(cuts[94]) if cuts else None,
            "p99_ms": ms(cuts[98]) if cuts else None, "max_ms": ms(max(times)) if times else None,
            "errors": errors, "refused": refused}


class Person:
    """One simulated user: a cookie jar of its own, a bearer token, and the stats it writes to."""

    def __init__(self, base: str, login: dict, stats: Stats, connector, n: int, think: tuple):
        self.base, self.login, self.stats, self.think = base, login, stats, think
        self.rng, self.deadline = random.Random(n), float("inf")
        # Every person comes from an address of its own (the server trusts one proxy hop), as
        # real users do: the login throttle counts per address.
        headers = {"Authorization": f"Bearer {login['token']}", "X-Forwarded-For": f"127.0.1.{n % 250 + 1}"}
        self.http = aiohttp.ClientSession(connector=connector, connector_owner=False, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=60),
                                          cookie_jar=aiohttp.CookieJar(unsafe=True))  # 127.0.0.1

    async def call(self, name: str, method: str, path: str, **kwargs):
        """One timed request; returns (status, parsed JSON or text)."""
        started = time.perf_counter()
        if started >= self.deadline:
            raise TimeUp
        try:
            async with self.http.request(method, self.base + path, allow_redirects=False, **kwargs) as r:
                body = await (r.json() if r.content_type == "application/json" else r.text())
                status = r.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            status, body = 0, repr(exc)
        self.stats.record(name, time.perf_counter() - started, status, str(body))
        return status, body

    async def pause(self):
        if self.think[1] > 0:
            await asyncio.sleep(self.rng.uniform(*self.think))

    async def log_in(self, password: str):
        """A browser login (untimed): the form's CSRF token, then the password."""
        async with self.http.get(self.base + "/login") as r:
            token = CSRF.search(await r.text()).group(1)
        form = {"email": self.login["email"], "password": password, "csrf_token": token}
        async with self.http.post(self.base + "/login", data=form, allow_redirects=False) as r:
            if r.status != 302:
                raise RuntimeError(f"login of {self.login['email']} answered {r.status}")

    async def close(self):
        await self.http.close()


class Manager(Person):
    """Posts a brief, reads it back, lists briefs; now and then the pages and the dashboard."""

    async def cycle(self):
        status, brief = await self.call("POST /briefs", "POST", "/api/v1/briefs",
                                        json=brief_body(self.rng, self.rng.randint(1, 5), datetime.now(timezone.utc)))
        await self.pause()
        if status == 201:
            await self.call("GET /briefs/<id>", "GET", f"/api/v1/briefs/{brief['id']}")
            await self.pause()
        await self.call("GET /briefs?page_size=20", "GET", "/api/v1/briefs?page_size=20")
        await self.pause()
        page = self.rng.choice(["dashboard", "briefs", "brief"])
        if page == "dashboard":
            await self.call("page /dashboard", "GET", "/dashboard")
        elif page == "briefs":
            await self.call("page /briefs", "GET", "/briefs")
        elif status == 201:
            await self.call("page /briefs/<id>", "GET", f"/briefs/{brief['id']}")
        await self.pause()


class Specialist(Person):
    """Lists the work it may claim and claims some; accepts its offers; submits what it holds."""

    async def cycle(self):
        status, tasks = await self.call("GET /tasks/available", "GET",
                                        "/api/v1/tasks/available?page_size=20")
        await self.pause()
        if status == 200 and tasks:
            task = self.rng.choice(tasks[:5])  # the most urgent few, as a person would
            if (await self.call("POST /tasks/<id>/claim", "POST", f"/api/v1/tasks/{task['id']}/claim"))[0] == 200:
                await self.pause()
                await self.submit(task["id"])
        status, offers = await self.call("GET /tasks?state=offered", "GET",
                                         f"/api/v1/tasks?state=offered&assignee_id={self.login['id']}")
        await self.pause()
        if status == 200 and offers:
            offer = offers[0]["id"]
            if (await self.call("POST /tasks/<id>/accept", "POST", f"/api/v1/tasks/{offer}/accept"))[0] == 200:
                await self.pause()
                await self.submit(offer)

    async def submit(self, task_id: int):
        await self.call("POST /tasks/<id>/submit", "POST", f"/api/v1/tasks/{task_id}/submit", json=DELIVERABLE)
        await self.pause()


async def run_people(people: list, deadline: float):
    """Every person loops over its cycle until the deadline (requests in flight then finish)."""
    async def loop(person):
        person.deadline = deadline
        try:
            # People arrive spread over a think time, as they would, not all in the same instant:
            # 50 first requests at once queue behind gunicorn's 12 threads for ~400 ms, which was
            # the whole p95 of the first request of each loop (GET /tasks/available, POST /briefs).
            await person.pause()
            while True:
                await person.cycle()
        except TimeUp:
            pass
    await asyncio.gather(*(loop(p) for p in people))


async def hammer(base: str, method: str, path: str, body_for, users: int, seconds: float,
                 headers: dict, name: str) -> Stats:
    """`users` clients sending one request after another, without pause, for `seconds`."""
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector, headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=60)) as http:
        deadline = time.perf_counter() + seconds
        rng = random.Random(1)

        async def client():
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    async with http.request(method, base + path, json=body_for(rng)) as r:
                        text, status = await r.text(), r.status
                except (TimeoutError, aiohttp.ClientError) as exc:
                    text, status = repr(exc), 0
                stats.record(name, time.perf_counter() - started, status, text)
        await asyncio.gather(*(client() for _ in range(users)))
    return stats

