"""Benchmark: a simulated month of 5,000 tasks and 50 specialists (goal: at most 30 s here).

    .venv/bin/python bench/simulate.py [--tasks 5000] [--specialists 50] [--weeks 4]
        [--strategy broker|round_robin|least_loaded|self_claim|all] [--seed 1]

Builds a seeded team over eight timezones with two work types each, and a load of `--tasks`
tasks over `--weeks` weeks, then runs the simulation (the real routing round, lifecycle, SLA
clocks and working-time code) and prints the wall and CPU seconds per strategy with its numbers.
"""
import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from broker.cli.demo_data import HOURS  # noqa: E402
from broker.planning.runner import ALL, run_strategy  # noqa: E402
from broker.planning.scenario import Manager, Person, Scenario, Workload  # noqa: E402
from broker.planning.scenario_schema import DEFAULT_START  # noqa: E402
from broker.planning.workload import DEFAULT_SKILLS, arrivals  # noqa: E402
from broker.timeutil import parse_instant  # noqa: E402

ZONES = ("Asia/Manila", "Asia/Kolkata", "Europe/Warsaw", "America/Bogota", "Africa/Lagos",
         "Asia/Karachi", "Europe/Kyiv", "Asia/Ho_Chi_Minh")
PATTERNS = ("day", "early", "late", "night", "us_night", "split")
MANAGERS = (("New York", "America/New_York"), ("London", "Europe/London"),
            ("San Francisco", "America/Los_Angeles"), ("Chicago", "America/Chicago"))


def team(size: int, rng: random.Random) -> tuple:
    """`size` specialists: a timezone and hours each, two work types' skills at levels 3-5."""
    kinds = sorted(DEFAULT_SKILLS)
    people = []
    for n in range(size):
        skills = {}
        for work_type in rng.sample(kinds, 2):
            for skill, level in DEFAULT_SKILLS[work_type]:
                skills[skill] = rng.randint(max(level, 3), 5)
        people.append(Person(f"Specialist {n + 1}", ZONES[n % len(ZONES)],
                             HOURS[rng.choice(PATTERNS)], rng.randint(3, 5), skills))
    return tuple(people)


def scenario(tasks: int, specialists: int, weeks: int, seed: int) -> Scenario:
    rng = random.Random(seed)
    load = Workload(tasks_per_week=tasks / weeks, work_types=dict.fromkeys(DEFAULT_SKILLS, 1),
                    priorities={"urgent": 1, "high": 4, "normal": 11, "low": 4},
                    estimate_hours={"default": (0.5, 2.5)})
    return Scenario("bench", parse_instant(DEFAULT_START), weeks, seed, team(specialists, rng),
                    tuple(Manager(name, tz) for name, tz in MANAGERS), load, hours=dict(HOURS))


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--specialists", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strategy", choices=ALL + ("all",), default="broker")
    args = parser.parse_args(argv)
    world = scenario(args.tasks, args.specialists, args.weeks, args.seed)
    wall, cpu = time.perf_counter(), time.process_time()
    specs = arrivals(world)
    print(f"{len(specs)} tasks posted over {args.weeks} weeks for {args.specialists} specialists "
          f"(arrivals drawn in {time.perf_counter() - wall:.2f} s)")
    slowest = 0.0
    for name in ALL if args.strategy == "all" else (args.strategy,):
        wall, cpu = time.perf_counter(), time.process_time()
        row = run_strategy(world, specs, name)
        spent, used = time.perf_counter() - wall, time.process_time() - cpu
        slowest = max(slowest, spent)
        print(f"{name:<13} {spent:6.2f} s wall, {used:6.2f} s CPU: turnaround "
              f"{row['turnaround_attainment_pct']}%, ack {row['ack_attainment_pct']}%, median cycle "
              f"{row['median_cycle_hours']} h, p90 {row['p90_cycle_hours']} h, {row['rounds']} rounds, "
              f"{row['offers']} offers, {row['approved']} approved, {row['open_at_end']} open")
    return slowest


if __name__ == "__main__":
    main()
