"""Digest benchmark: build and render the digests of N users with M pending items each.

    .venv/bin/python bench/digests.py [--users 10000] [--items 20] [--seed 7]

Seeded plain data (no database): it measures the pure part that scales with users, building the
Digest objects from pending rows and rendering each to Block Kit JSON (and serialising it, as the
outbox stores it). Prints a small table with time and tracemalloc's peak.
"""
import argparse
import json
import random
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notifications.digest_render import SECTIONS, Digest, Item, render_digest  # noqa: E402
from notifications.messages import Reader  # noqa: E402

ZONES = ["Asia/Manila", "America/Bogota", "Asia/Kolkata", "Europe/Warsaw", "America/New_York",
         "Africa/Lagos", "Asia/Ho_Chi_Minh", "America/Sao_Paulo"]
KEYS = [key for key, _, _ in SECTIONS]


def pending_rows(users: int, items: int, seed: int) -> list[tuple]:
    """(user_id, zone, role, [(section, task_id, brief_id, title, due_at, note)]) per user."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 24, 1, tzinfo=timezone.utc)
    rows = []
    for user_id in range(1, users + 1):
        lines = [(rng.choice(KEYS), user_id * 100 + i, rng.randint(1, 5000),
                  f"Deliverable {i} for campaign {rng.randint(1, 999)} — cut, caption & post",
                  now + timedelta(minutes=rng.randint(0, 1440)), rng.choice(["", "ack target at risk"]))
                 for i in range(items)]
        rows.append((user_id, rng.choice(ZONES), rng.choice(["specialist", "manager"]), lines))
    return rows


def build(rows, base_url: str) -> list[Digest]:
    digests = []
    for user_id, zone, role, lines in rows:
        sections = {key: [] for key in KEYS}
        for key, task_id, brief_id, title, due_at, note in lines:
            sections[key].append(Item(task_id, brief_id, title, due_at, note))
        digests.append(Digest(Reader(f"User {user_id}", role, zone, base_url), date(2026, 11, 24), sections))
    return digests


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = pending_rows(args.users, args.items, args.seed)
    (build_s, render_s, out_bytes), _ = run_once(rows), None
    # A second pass under tracemalloc for the peak (tracing slows Python down several times, so
    # the times above come from the untraced pass).
    tracemalloc.start()
    run_once(rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"digests for {args.users:,} users x {args.items} pending items (seed {args.seed})")
    print(f"{'step':<22}{'value':>10}")
    print(f"{'build (s)':<22}{build_s:>10.2f}")
    print(f"{'render + JSON (s)':<22}{render_s:>10.2f}")
    print(f"{'total (s)':<22}{build_s + render_s:>10.2f}")
    print(f"{'peak memory (MB)':<22}{peak / 1e6:>10.1f}")
    print(f"{'JSON out (MB)':<22}{out_bytes / 1e6:>10.1f}")
    return build_s + render_s


def run_once(rows) -> tuple[float, float, int]:
    """Build and render every digest; (build seconds, render seconds, bytes of JSON)."""
    started = time.perf_counter()
    digests = build(rows, "https://broker.example")
    built = time.perf_counter()
    payloads = [json.dumps(render_digest(d)) for d in digests]
    rendered = time.perf_counter()
    return built - started, rendered - built, sum(len(p) for p in payloads)


if __name__ == "__main__":
    main()
