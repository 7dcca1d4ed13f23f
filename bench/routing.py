"""Routing benchmark: 5,000 queued tasks, 1,000 specialists, 20 skills, 12 timezones (seeded).

Reports, in one run:
- the engine alone (plain data in, decisions out) and the end-to-end round (read the queue and
  the team, assign, write offers and explanations; each on the database as seeded), each the best
  of --repeat runs (3; on a shared machine 5 steadies the ratio), on SQLite and on PostgreSQL,
  and the ratio of their medians as well (the best of several noisy engine runs is luckier than
  the engine inside the best round);
- the round's total score against the optimum of the same round (scipy's linear_sum_assignment
  over every free place, scored exactly as the engine scores it) and against greedy first-fit
  and round-robin baselines.

    .venv/bin/python bench/routing.py [--tasks 5000] [--specialists 1000] [--no-postgres]
    .venv/bin/python bench/routing.py --growth   # also 4x both, and the growth of each time

With --growth the same process also runs four times the tasks and the team (20,000 x 4,000 by
default; the optimum only at the first size) and prints how many times longer the engine and the
round took, so the ratios come from one run on one machine state.

Needs the bench extra for the optimum: pip install -e '.[bench]' (scipy).
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from broker.app import create_app  # noqa: E402
from broker.extensions import db  # noqa: E402
from broker.people.models import SpecialistProfile, SpecialistSkill, TimeOff, User  # noqa: E402
from broker.routing import store  # noqa: E402
from broker.routing.assign import assign_round  # noqa: E402
from broker.routing.engine import Round  # noqa: E402
from broker.routing.round_data import Weights  # noqa: E402
from broker.routing.service import route_round  # noqa: E402
from tasks.models import Brief, Task  # noqa: E402
from tasks.vocabulary import PRIORITIES  # noqa: E402

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)  # a Tuesday
ZONES = ["Asia/Manila", "Asia/Kolkata", "Europe/Warsaw", "Europe/Lisbon", "America/Bogota",
         "America/Mexico_City", "Africa/Lagos", "Asia/Karachi", "Asia/Ho_Chi_Minh", "Europe/Kyiv",
         "America/Sao_Paulo", "Asia/Dhaka"]
SKILLS = [f"skill_{i:02d}" for i in range(20)]
SHIFTS = [("09:00", "17:00"), ("08:00", "16:00"), ("10:00", "19:00"), ("07:00", "15:00"),
          ("22:00", "06:00"), ("13:00", "21:00"), ("18:00", "02:00")]
WEEKS = [("mon", "tue", "wed", "thu", "fri"), ("sun", "mon", "tue", "wed", "thu"),
         ("mon", "tue", "wed", "thu", "fri", "sat")]


def generate(n_tasks: int, n_people: int, seed: int = 7) -> dict:
    """Rows for users, profiles, skills, time off, briefs and tasks (queued and already held)."""
    rng = random.Random(seed)
    users = [{"id": 1, "email": "m@bench", "name": "Manager", "role": "manager",
              "timezone": "America/New_York", "active": True, "digest_hour": 9}]
    profiles, skills, time_off, held = [], [], [], []
    for i in range(n_people):
        uid = i + 2
        zone, shift, days = rng.choice(ZONES), rng.choice(SHIFTS), rng.choice(WEEKS)
        users.append({"id": uid, "email": f"s{uid}@bench", "name": f"Specialist {uid}",
                      "role": "specialist", "timezone": zone, "active": True, "digest_hour": 9})
        capacity = rng.randint(2, 6)
        profiles.append({"user_id": uid, "capacity": capacity, "active": rng.random() > 0.03,
                         "auto_accept": rng.random() < 0.1, "partner": None,
                         "working_hours": {d: [list(shift)] for d in days}})
        for skill in rng.sample(SKILLS, rng.randint(3, 6)):
            level = rng.randint(1, 5)  # verified: routing counts verified levels only
            skills.append({"specialist_id": uid, "skill": skill, "level": level, "verified_level": level})
        if rng.random() < 0.15:
            start = NOW + timedelta(hours=rng.uniform(-48, 120))
            time_off.append({"specialist_id": uid, "starts_at": start,
                             "ends_at": start + timedelta(hours=rng.uniform(8, 96)), "reason": "leave"})
        held += [uid] * rng.randint(0, min(2, capacity))
    briefs = [{"id": b + 1, "title": f"Brief {b}", "description": "", "objective": "revenue",
               "success_metric": "ROAS", "owner_id": 1, "created_at": NOW - timedelta(hours=2)}
              for b in range(n_tasks // 10 + 1)]
    tasks = []
    for t in range(n_tasks + len(held)):
        needs = rng.sample(SKILLS, rng.choice([1, 1, 2]))
        queued = t < n_tasks
        tasks.append({
            "id": t + 1, "brief_id": t // 10 + 1 if queued else len(briefs), "title": f"Task {t}",
            "work_type": "paid_media",
            "skills": [{"skill": s, "min_level": rng.choice([1, 2, 2, 3, 3, 4])} for s in needs],
            "priority": rng.choices(["urgent", "high", "normal", "low"], [10, 25, 50, 15])[0],
            "estimate_hours": rng.choice([1, 2, 3, 4, 6, 8, 12, 16]),
            "due_at": NOW + timedelta(hours=rng.uniform(4, 240)) if rng.random() < 0.6 else None,
            "needs_manager_overlap": rng.random() < 0.05,
            "state": "queued" if queued else "in_progress",
            "assignee_id": None if queued else held[t - n_tasks],
            "created_at": NOW - timedelta(minutes=rng.uniform(0, 600)), "version": 1,
        })
    return {"users": users, "profiles": profiles, "skills": skills, "time_off": time_off,
            "briefs": briefs, "tasks": tasks}


def seed(data: dict):
    """Bulk-insert the generated rows (Core executemany)."""
    for model, rows in ((User, data["users"]), (SpecialistProfile, data["profiles"]),
                        (SpecialistSkill, data["skills"]), (TimeOff, data["time_off"]),
                        (Brief, data["briefs"]), (Task, data["tasks"])):
        if rows:
            db.session.execute(insert(model.__table__), rows)
    if db.engine.dialect.name == "postgresql":
        for table in ("users", "briefs", "tasks", "time_off"):
            db.session.execute(text(f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(select max(id) from {table}))"))
    db.session.commit()


def read_inputs(app) -> tuple[list, list]:
    """The round's specialists and tasks, read through the product's own store as route_round
    reads them (read once; the engine is timed on them)."""
    is_pg = db.engine.dialect.name == "postgresql"
    tasks, _ = store.queued_tasks(NOW, app.config, is_pg)
    people = store.specialists(NOW)
    db.session.rollback()
    return people, tasks


def time_engine(app, inputs, repeat: int = 3) -> tuple[float, Round, list, float, float]:
    """Best of `repeat` runs of the engine alone: arrays, finish tables, filter, score, assign
    (wall-clock seconds, the best CPU seconds, which a busy shared machine disturbs less, and the
    median wall-clock seconds)."""
    times, best_cpu = [], float("inf")
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        rnd = Round(*inputs, NOW, Weights.from_config(app.config.get("ROUTING_WEIGHTS")))
        decisions = assign_round(rnd)
        times.append(time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return min(times), rnd, decisions, best_cpu, statistics.median(times)


# --- assignment quality --------------------------------------------------------------------

def place_score(rnd: Round, t: int, j: int, place: int) -> float:
    return float(rnd.scores(t, np.array([j]), np.array([place])).total[0])


def engine_total(decisions) -> tuple[float, int]:
    """The engine's round: the sum of its winners' scores, and how many tasks it placed."""
    placed = [d for d in decisions if d.specialist_id is not None]
    return sum(d.candidates[0].score for d in placed), len(placed)


def baseline_total(rnd: Round, pick) -> tuple[float, int]:
    """Most urgent first, each task to the specialist `pick` chooses among the eligible."""
    used = np.zeros(len(rnd.specialists), dtype=np.int64)
    total, count, state = 0.0, 0, {"next": 0}
    for t in rnd.order():
        who = rnd.eligible(t, used)
        if not len(who):
            continue
        j = pick(rnd, t, who, used, state)
        total += place_score(rnd, t, j, used[j])
        used[j] += 1
        count += 1
    return total, count


def greedy_pick(rnd, t, who, used, state):
    """The best-scoring eligible specialist for this task alone (one task at a time)."""
    return int(who[int(np.argmax(rnd.scores(t, who, used[who]).total))])


def first_fit(rnd, t, who, used, state):
    return int(who[0])


def round_robin(rnd, t, who, used, state):
    after = who[who >= state["next"]]
    j = int(after[0] if len(after) else who[0])
    state["next"] = (j + 1) % len(rnd.specialists)
    return j


def by_priority(rnd: Round, positions) -> str:
    """How many of the tasks at `positions` are urgent / high / normal / low (ranks 0-3)."""
    counts = np.bincount(rnd.rank[np.asarray(positions, dtype=np.int64)], minlength=len(PRIORITIES))
    return " / ".join(str(int(c)) for c in counts)


def optimum_total(rnd: Round, urgency_first: bool = True) -> tuple[float, int, float, str]:
    """The best total over every (task, free place) pairing: linear_sum_assignment, maximised.

    With `urgency_first` (the round's own rule) a more urgent task never loses a place to a less
    urgent one: each priority class gets a bonus larger than any total the classes below could
    make, which is subtracted again from the reported total.
    """
    from scipy.optimize import linear_sum_assignment
    room = np.maximum(rnd.room, 0) * rnd.ready
    first_column = np.concatenate([[0], np.cumsum(room)])
    matrix = np.zeros((len(rnd.tasks), int(first_column[-1])))
    bonus = (3 - rnd.rank) * 1e4 if urgency_first else np.zeros(len(rnd.tasks))
    nothing_used = np.zeros(len(rnd.specialists), dtype=np.int64)
    for t in range(len(rnd.tasks)):
        who = rnd.eligible(t, nothing_used)
        for k in range(int(room[who].max()) if len(who) else 0):
            here = who[room[who] > k]
            matrix[t, first_column[here] + k] = rnd.scores(t, here, np.full(len(here), k)).total + bonus[t] + 1e-6
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    seconds = time.perf_counter() - start
    chosen = matrix[rows, cols]
    placed = chosen > 0
    return (float((chosen[placed] - bonus[rows[placed]] - 1e-6).sum()), int(placed.sum()), seconds,
            by_priority(rnd, rows[placed]))


# --- end to end ----------------------------------------------------------------------------

def make_app(url: str):
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "BROKER_SCHEDULER": "off"})
    logging_quiet()
    return app


def logging_quiet():
    import logging
    logging.getLogger().setLevel(logging.WARNING)


def run_backend(name: str, url: str, data: dict, quality: bool, unconstrained: bool = False,
                repeat: int = 3) -> dict:
    from flask_migrate import upgrade
    app = make_app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seed(data)
        seeded = time.perf_counter() - started
        engine_seconds, rnd, decisions, engine_cpu, engine_median = time_engine(app, read_inputs(app), repeat)
        result = {"backend": name, "seed_s": seeded, "engine_s": engine_seconds, "engine_cpu": engine_cpu,
                  "engine_median_s": engine_median}
        if quality:
            result["quality"] = {
                "engine (urgent first, min-cost flow)": engine_total(decisions),
                "greedy, one task at a time by urgency": baseline_total(rnd, greedy_pick),
                "first-fit": baseline_total(rnd, first_fit),
                "round-robin": baseline_total(rnd, round_robin),
            }
            total, count, lsa_seconds, optimum_mix = optimum_total(rnd)
            result["quality"]["optimum, urgent first (linear_sum_assignment)"] = (total, count)
            result["lsa_s"] = lsa_seconds
            index = {t.id: i for i, t in enumerate(rnd.tasks)}
            result["mix"] = (by_priority(rnd, [index[d.task_id] for d in decisions
                                               if d.specialist_id is not None]), optimum_mix)
            if unconstrained:
                total, count, _, _ = optimum_total(rnd, urgency_first=False)
                result["quality"]["optimum ignoring urgency (for reference)"] = (total, count)
        result.update(time_rounds(name, url, repeat))
    return result


def time_rounds(name: str, url: str, repeat: int) -> dict:
    """Best of `repeat` end-to-end rounds (wall-clock and CPU seconds, each the best, as for
    the engine), each on the seeded database as it was before any round: SQLite's file is
    copied back, PostgreSQL's database is made again from a copy taken as a template."""
    times, best_cpu, outcome = [], float("inf"), None
    snapshot = _snapshot(name, url)
    try:
        for attempt in range(repeat):
            if attempt:
                _restore(name, url, snapshot)
            start, cpu = time.perf_counter(), time.process_time()
            outcome = route_round(NOW)
            times.append(time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu)
    finally:
        if name == "postgresql":
            _admin(f"drop database if exists {snapshot} with (force)")
    return {"round_s": min(times), "round_cpu": best_cpu, "round_median_s": statistics.median(times),
            "round": outcome, "repeat": repeat}


def _snapshot(name: str, url: str) -> str:
    db.session.remove()
    db.engine.dispose()
    if name == "sqlite":
        path = url.removeprefix("sqlite:///")
        shutil.copyfile(path, path + ".seeded")
        return path + ".seeded"
    database = url.rsplit("/", 1)[1]
    _admin(f"create database {database}_seeded template {database}")
    return f"{database}_seeded"


def _restore(name: str, url: str, snapshot: str):
    db.session.remove()
    db.engine.dispose()
    if name == "sqlite":
        path = url.removeprefix("sqlite:///")
        for extra in ("-wal", "-shm"):
            if os.path.exists(path + extra):
                os.remove(path + extra)
        shutil.copyfile(snapshot, path)
        return
    database = url.rsplit("/", 1)[1]
    _admin(f"drop database {database} with (force)")
    _admin(f"create database {database} template {snapshot}")


def _admin(sql: str):
    import psycopg
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(sql)


def postgres_url() -> str | None:
    import psycopg
    name = f"broker_bench_routing_{os.getpid()}"
    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"drop database if exists {name}")
            c.execute(f"create database {name}")
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc}); skipping it")
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_postgres(url: str):
    import psycopg
    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"drop database if exists {name} with (force)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--specialists", type=int, default=1000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-optimum", action="store_true", help="skip the scipy comparison")
    parser.add_argument("--unconstrained", action="store_true",
                        help="also solve the optimum that may drop urgent tasks for a higher total")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the engine and of the end-to-end round (each on the freshly "
                             "seeded database) timed; the best of each is kept")
    parser.add_argument("--growth", action="store_true",
                        help="also run 4x the tasks and the team, and print the growth ratios")
    args = parser.parse_args()
    sizes = [(args.tasks, args.specialists)]
    if args.growth:
        sizes.append((4 * args.tasks, 4 * args.specialists))
    runs = []
    for number, (n_tasks, n_people) in enumerate(sizes):
        results = run_size(n_tasks, n_people, args, quality=number == 0 and not args.no_optimum)
        report(results)
        runs.append(((n_tasks, n_people), results))
    if args.growth:
        report_growth(runs)


def run_size(n_tasks: int, n_people: int, args, quality: bool) -> list:
    data = generate(n_tasks, n_people)
    print(f"\nrouting bench: {n_tasks} queued tasks, {n_people} specialists, "
          f"{len(SKILLS)} skills, {len(ZONES)} timezones, now {NOW.isoformat()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.db", data, quality=quality,
                                   unconstrained=args.unconstrained, repeat=args.repeat))
    if not args.no_postgres:
        url = postgres_url()
        if url:
            try:
                results.append(run_backend("postgresql", url, data, quality=False,
                                           repeat=args.repeat))
            finally:
                drop_postgres(url)
    return results


def report_growth(runs: list):
    """How many times longer each backend's engine and round took at the larger size."""
    (small, first), (large, second) = runs
    print(f"\n| growth {small[0]} x {small[1]} -> {large[0]} x {large[1]} | engine | round "
          "| engine, CPU | round, CPU |")
    print("| --- | --- | --- | --- | --- |")
    for a, b in zip(first, second):
        print(f"| {a['backend']} | {b['engine_s'] / a['engine_s']:.2f}x | {b['round_s'] / a['round_s']:.2f}x "
              f"| {b['engine_cpu'] / a['engine_cpu']:.2f}x | {b['round_cpu'] / a['round_cpu']:.2f}x |")


def report(results: list):
    print(f"\n| backend | engine alone (best of {results[0]['repeat']}) "
          f"| end-to-end round (best of {results[0]['repeat']}) "
          "| round / engine | medians: round / engine "
          "| offered | waiting |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        o = r["round"]
        print(f"| {r['backend']} | {r['engine_s']:.3f} s (CPU {r['engine_cpu']:.3f} s) "
              f"| {r['round_s']:.3f} s (CPU {r['round_cpu']:.3f} s; engine inside "
              f"{o.engine_seconds:.3f} s) | {r['round_s'] / r['engine_s']:.2f}x "
              f"(CPU {r['round_cpu'] / r['engine_cpu']:.2f}x) "
              f"| {r['round_median_s']:.3f} s / {r['engine_median_s']:.3f} s = "
              f"{r['round_median_s'] / r['engine_median_s']:.2f}x | {o.offered} | {o.waiting} |")
    quality = next((r for r in results if "quality" in r), None)
    if quality:
        best = quality["quality"]["optimum, urgent first (linear_sum_assignment)"][0]
        print("\n| assignment | total score | tasks placed | share of optimum |")
        print("| --- | --- | --- | --- |")
        for name, (total, placed) in quality["quality"].items():
            print(f"| {name} | {total:.1f} | {placed} | {100 * total / best:.2f}% |")
        engine_mix, optimum_mix = quality["mix"]
        print(f"\nTasks placed by priority, urgent / high / normal / low: engine {engine_mix}, "
              f"optimum {optimum_mix} (urgent first holds where the two match).")
        print(f"\n(linear_sum_assignment took {quality['lsa_s']:.1f} s)")


if __name__ == "__main__":
    main()
