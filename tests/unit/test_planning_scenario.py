"""Scenario files (the example loads; problems are named field by field) and what-if changes."""
import json

import pytest
import yaml

from broker.errors import InvalidInput
from broker.planning.changes import apply_changes, parse_change
from broker.planning.demo import demo_scenario
from broker.planning.scenario import SCENARIOS, load_scenario
from broker.planning.scenario_schema import scenario_from_text

EXAMPLE = SCENARIOS / "example.yaml"


def example_data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def errors_of(data) -> dict:
    with pytest.raises(InvalidInput) as caught:
        scenario_from_text(json.dumps(data) if isinstance(data, dict) else data)
    return caught.value.errors


def test_the_example_file_loads_with_every_documented_part():
    scenario = load_scenario("example")
    assert scenario == load_scenario(str(EXAMPLE))
    assert scenario.name == "Example agency" and scenario.weeks == 4 and scenario.seed == 11
    names = [p.name for p in scenario.specialists]
    assert names[:2] == ["Manila editor 1", "Manila editor 2"]  # count: 2
    assert scenario.specialists[0].hours == scenario.hours["us_night"]
    designer = scenario.specialists[2]
    assert designer.time_off[0][0].isoformat() == "2027-03-08T23:00:00+00:00"  # midnight in Kraków
    assert scenario.specialists[-1].auto_accept
    assert scenario.routing.weights == {"speed": 2.0, "on_time": 4.0}
    assert scenario.routing.offer_minutes["urgent"] == 15


def test_json_works_as_well_as_yaml():
    assert scenario_from_text(json.dumps(example_data(), default=str)).specialists


def test_problems_are_named_field_by_field():
    data = example_data()
    data["weeks"] = 0
    data["specialists"][1]["timezone"] = "Mars/Olympus"
    data["specialists"][2]["hours"] = "graveyard"
    data["workload"]["work_types"]["astrology"] = 1
    data["routing"]["weights"] = {"charisma": 2}
    data["colour"] = "blue"
    errors = errors_of(json.loads(json.dumps(data, default=str)))
    assert "weeks" in errors and "colour" in errors
    assert "timezone" in errors["specialists"][1]
    assert "graveyard" in str(errors["specialists"][2]["hours"])
    assert "work_types" in errors["workload"]
    assert "weights" in errors["routing"]


def test_missing_parts_and_bad_text_are_refused():
    assert set(errors_of({"name": "empty"})) >= {"managers", "specialists", "workload"}
    assert "scenario" in errors_of("specialists: [unclosed")
    assert "scenario" in errors_of("just words")
    with pytest.raises(InvalidInput):
        load_scenario("/no/such/file.yaml")


def test_add_remove_and_load_changes():
    demo = demo_scenario()
    changed = apply_changes(demo, [parse_change("add 2 video_editing:4 Asia/Manila hours=late capacity=4"),
                                   parse_change("remove 1 design Europe/Warsaw"),
                                   parse_change("load x1.5")])
    added = changed.specialists[-2:]
    assert [p.skills for p in added] == [{"premiere_pro": 4}] * 2
    assert added[0].hours == demo.hours["late"] and added[0].capacity == 4
    assert len(changed.specialists) == len(demo.specialists) + 1
    assert "Piotr Nowak" not in [p.name for p in changed.specialists]  # the Warsaw designer
    assert changed.workload.tasks_per_week == demo.workload.tasks_per_week * 1.5
    assert parse_change("add 1 premiere_pro:4+after_effects:3 Europe/Kyiv").skills == (
        ("premiere_pro", 4), ("after_effects", 3))


@pytest.mark.parametrize("text, why", [
    ("hire 2 editors", "write it like"),
    ("add 2 video_editing Asia/Manila", "give the level"),
    ("add 2 video_editing:9 Asia/Manila", "skill:level"),
    ("add 2 video_editing:4 Manila", "not an IANA timezone"),
    ("add 0 video_editing:4 Asia/Manila", "between 1 and 500"),
    ("add 1 video_editing:4 Asia/Manila shift=night", "unknown option"),
    ("load x0", "above 0"),
])
def test_unreadable_changes_say_why(text, why):
    with pytest.raises(InvalidInput) as caught:
        parse_change(text)
    assert why in caught.value.message and "change" in caught.value.errors


def test_changes_that_cannot_apply_say_why():
    demo = demo_scenario()
    with pytest.raises(InvalidInput, match="only 0 specialists"):
        apply_changes(demo, [parse_change("remove 1 design America/Chicago")])
    with pytest.raises(InvalidInput, match="unknown hours"):
        apply_changes(demo, [parse_change("add 1 design:3 Asia/Manila hours=siesta")])
