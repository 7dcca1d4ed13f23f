"""broker simulate | plan: run the team through simulated weeks, or find the smallest change that
meets a turnaround target (the simulation itself is broker/planning, free of the database)."""
import json

import click
from flask.cli import with_appcontext

from broker.cli.sla import table as text_table
from broker.errors import DomainError
from broker.planning import changes as what_if
from broker.planning.runner import ALL, with_run_options
from broker.planning.runner import simulate as run_simulation
from broker.planning.scenario import load_scenario
from broker.planning.search import plan as find_plan
from broker.timeutil import utcnow

COLUMNS = [("strategy", "strategy"), ("tasks", "tasks"), ("turnaround_attainment_pct", "turnaround %"),
           ("ack_attainment_pct", "ack %"), ("median_cycle_hours", "median h"),
           ("p90_cycle_hours", "p90 h"), ("hours_lost", "hours lost"), ("declined", "declined"),
           ("expired", "expired"), ("withdrawn", "withdrawn")]


def scenario_options(command):
    """--scenario, --from-live, --weeks and --seed, shared by simulate and plan."""
    for option in reversed([
        click.option("--scenario", "source", default="demo", show_default=True, metavar="FILE|demo",
                     help="A YAML/JSON scenario file, a name under broker/planning/scenarios, or demo."),
        click.option("--from-live", is_flag=True,
                     help="The current team and the last four weeks' arrivals, from the database."),
        click.option("--weeks", type=click.IntRange(1, 26), help="Simulated weeks of arrivals."),
        click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Repeats a run to the digit."),
    ]):
        command = option(command)
    return command


def _scenario(source: str, from_live: bool, weeks, seed):
    if from_live:
        from broker.planning.live import live_scenario
        scenario = live_scenario(utcnow())
    else:
        scenario = load_scenario(source)
    return with_run_options(scenario, weeks, seed)


def _fail(exc: DomainError):
    details = f" {json.dumps(exc.errors)}" if exc.errors else ""
    raise click.ClickException(f"{exc.message}{details}")


@click.command("simulate")
@scenario_options
@click.option("--strategy", type=click.Choice(ALL + ("all",)), default="all", show_default=True)
@click.option("--change", "change_texts", multiple=True, metavar="TEXT",
              help='A what-if, e.g. "add 2 video_editing:4 Asia/Manila", "remove 1 design '
                   'Europe/Warsaw" or "load x1.5"; repeat for several.')
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def simulate(source, from_live, weeks, seed, strategy, change_texts, as_json):
    """Simulate the team over weeks of arrivals with each strategy, side by side."""
    strategies = ALL if strategy == "all" else (strategy,)
    try:
        scenario = _scenario(source, from_live, weeks, seed)
        changes = [what_if.parse_change(text) for text in change_texts]
        changed = what_if.apply_changes(scenario, changes)
        output = run_simulation(changed, strategies)
        if changes:
            output["changes"] = [c.text for c in changes]
            output["baseline"] = run_simulation(scenario, strategies)["results"]
    except DomainError as exc:
        _fail(exc)
    click.echo(json.dumps(output, indent=2) if as_json else report(output))


def report(output: dict) -> str:
    """The run as text: strategies side by side, then utilization by timezone."""
    weeks = f"{output['weeks']} week{'s' if output['weeks'] != 1 else ''}"
    lines = [f"Scenario {output['scenario']}: {weeks} from {output['start']} (seed {output['seed']}), "
             f"{output['results'][0]['tasks']} tasks posted, {output['specialists']} specialists"
             + (" after the changes" if output.get("changes") else "")]
    if output.get("changes"):
        lines += ["", "As is:", text_table(output["baseline"], COLUMNS),
                  "", "With " + "; ".join(output["changes"]) + ":"]
    lines += [text_table(output["results"], COLUMNS), "",
              "Utilization by timezone (% of working hours spent working):"]
    zones = list(output["results"][0]["utilization_by_timezone"])
    rows = [{"strategy": r["strategy"], **r["utilization_by_timezone"]} for r in output["results"]]
    lines.append(text_table(rows, [("strategy", "strategy")] + [(z, z) for z in zones]))
    return "\n".join(lines)


@click.command("plan")
@click.option("--target", type=click.FloatRange(1, 100), required=True, metavar="PCT",
              help="Turnaround attainment to reach, in percent.")
@scenario_options
@click.option("--max-added", type=click.IntRange(1, 50), default=8, show_default=True,
              help="Give up after adding this many specialists.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def plan(target, source, from_live, weeks, seed, max_added, as_json):
    """Find the smallest team change that brings Broker's turnaround attainment to the target."""
    try:
        scenario = _scenario(source, from_live, weeks, seed)
        answer = find_plan(scenario, target, max_added)
    except DomainError as exc:
        _fail(exc)
    click.echo(json.dumps(answer, indent=2) if as_json else plan_report(answer))


def plan_report(answer: dict) -> str:
    before, after = answer["before"], answer["after"]
    weeks = f"{answer['weeks']} week{'s' if answer['weeks'] != 1 else ''}"
    lines = [f"Target: {answer['target']:g}% turnaround attainment with Broker's routing "
             f"({weeks}, seed {answer['seed']})."]
    if not answer["changes"]:
        lines.append("No change needed: the team reaches it as is." if answer["reached"] else
                     "No added specialist improved it; the gap is not one of capacity or coverage.")
    else:
        verb = "Reached with" if answer["reached"] else "Not reached; the best found was"
        lines.append(f"{verb}: " + "; ".join(answer["changes"]))
        lines.append("Rerun it: broker simulate " + " ".join(f'--change "{c}"' for c in answer["changes"]))
    lines += ["", text_table([dict(before, strategy="before"), dict(after, strategy="after")], COLUMNS)]
    return "\n".join(lines)
