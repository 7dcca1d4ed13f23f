"""broker simulate and broker plan through the CLI runner: the contract's JSON, what-ifs, errors,
the live team, and a plan that names a concrete change on the demo scenario."""
import json
import re

import pytest

from broker.planning.scenario import SCENARIOS

RESULT_KEYS = {"strategy", "tasks", "turnaround_attainment_pct", "ack_attainment_pct",
               "median_cycle_hours", "p90_cycle_hours", "hours_lost", "declined", "expired",
               "utilization_by_timezone"}
CHANGE = re.compile(r"^add \d+ [a-z_]+:[1-5] [A-Za-z_]+/[A-Za-z_]+$")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=list(args))
    return invoke


def as_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_simulate_json_has_the_contracts_shape_for_every_strategy(cli):
    out = as_json(cli("simulate", "--weeks", "1", "--seed", "5", "--strategy", "all", "--json"))
    assert out["seed"] == 5 and out["weeks"] == 1
    assert [r["strategy"] for r in out["results"]] == ["broker", "round_robin", "least_loaded",
                                                       "self_claim"]
    for row in out["results"]:
        assert RESULT_KEYS <= set(row)
        assert row["tasks"] > 0 and 0 <= row["turnaround_attainment_pct"] <= 100
        assert all(isinstance(v, float) for v in row["utilization_by_timezone"].values())
    assert out["results"][3]["declined"] == out["results"][3]["expired"] == 0  # nobody is offered


def test_a_seed_repeats_the_output_to_the_digit(cli):
    def numbers():
        out = as_json(cli("simulate", "--weeks", "1", "--strategy", "broker", "--json"))
        return [{k: v for k, v in row.items() if k != "seconds"} for row in out["results"]]
    assert numbers() == numbers()


def test_what_if_changes_come_beside_the_team_as_it_is(cli):
    out = as_json(cli("simulate", "--weeks", "1", "--strategy", "broker", "--json",
                      "--change", "add 2 video_editing:4 Asia/Manila", "--change", "load x1.2"))
    assert out["changes"] == ["add 2 video_editing:4 Asia/Manila", "load x1.2"]
    assert out["baseline"][0]["strategy"] == "broker"
    assert out["results"][0]["tasks"] != out["baseline"][0]["tasks"]  # the load grew


def test_the_text_report_shows_strategies_and_utilization(cli):
    result = cli("simulate", "--weeks", "1", "--strategy", "round_robin")
    assert result.exit_code == 0, result.output
    assert "round_robin" in result.output and "Utilization by timezone" in result.output


def test_a_scenario_file_runs(cli):
    out = as_json(cli("simulate", "--scenario", str(SCENARIOS / "example.yaml"), "--weeks", "1",
                      "--strategy", "broker", "--json"))
    assert out["scenario"] == "Example agency" and out["seed"] == 11


@pytest.mark.parametrize("args, words", [
    (("--change", "hire two editors"), "Cannot read the change"),
    (("--scenario", "/no/such.yaml"), "Cannot read the scenario"),
    (("--weeks", "0"), "0"),
    (("--strategy", "fastest"), "fastest"),
])
def test_bad_input_is_a_clear_error_not_a_traceback(cli, args, words):
    result = cli("simulate", *args)
    assert result.exit_code != 0 and words in result.output
    assert "Traceback" not in result.output


def test_from_live_reads_the_team_and_the_last_four_weeks(cli, app):
    demo = cli("demo")
    assert demo.exit_code == 0, demo.output
    out = as_json(cli("simulate", "--from-live", "--weeks", "1", "--strategy", "broker", "--json"))
    assert out["scenario"] == "live" and out["specialists"] == 31  # the demo's active ones
    assert out["results"][0]["tasks"] > 0


def test_from_live_on_an_empty_database_says_what_is_missing(cli):
    result = cli("simulate", "--from-live")
    assert result.exit_code != 0 and "no active specialist" in result.output.lower()


def test_plan_names_a_concrete_team_change_on_the_demo(cli):
    before = as_json(cli("simulate", "--weeks", "1", "--strategy", "broker", "--json"))["results"][0]
    target = before["turnaround_attainment_pct"] + 2
    answer = as_json(cli("plan", "--target", str(target), "--weeks", "1", "--max-added", "3", "--json"))
    assert answer["before"]["turnaround_attainment_pct"] == before["turnaround_attainment_pct"]
    assert answer["reached"] and answer["changes"]
    assert all(CHANGE.match(change) for change in answer["changes"])
    assert answer["after"]["turnaround_attainment_pct"] >= target
    text = cli("plan", "--target", str(target), "--weeks", "1", "--max-added", "3")
    assert "Reached with" in text.output and "broker simulate --change" in text.output


def test_plan_with_a_target_already_met_changes_nothing(cli):
    answer = as_json(cli("plan", "--target", "1", "--weeks", "1", "--json"))
    assert answer["reached"] and answer["changes"] == [] and answer["steps"] == []
