"""What-if changes to a scenario, written as people say them:

    add 2 video_editing:4 Asia/Manila [hours=late] [capacity=4]
    add 1 premiere_pro:4+after_effects:3 Europe/Warsaw
    remove 1 design Europe/Warsaw
    load x1.5

A skill part is a work type at a level (its default skills at that level) or skills joined by
`+`; `remove` takes the first matching specialists of the roster (a work type without a level
matches its default levels, a skill without one any level).
"""
import re
from dataclasses import dataclass, replace

from broker.errors import InvalidInput
from broker.planning.engine_bridge import is_timezone
from broker.planning.scenario import Person, Scenario
from broker.planning.workload import DEFAULT_SKILLS

DEFAULT_HOURS = {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
_PART = re.compile(r"^([a-z][a-z0-9_]*)(?::([1-5]))?$")
_LOAD = re.compile(r"^load\s+[x×*]\s*(\d+(?:\.\d+)?)$")
EXAMPLE = "add 2 video_editing:4 Asia/Manila, remove 1 design Europe/Warsaw or load x1.5"


@dataclass(frozen=True)
class Change:
    """One parsed change: `text` as given, normalised."""

    verb: str                 # add, remove or load
    count: int = 0
    skills: tuple = ()        # ((skill, level or None), ...)
    timezone: str = ""
    hours: str | None = None
    capacity: int = 3
    factor: float = 1.0
    text: str = ""


def parse_change(text: str) -> Change:
    """A Change from its words, or InvalidInput saying what is wrong with them."""
    words = " ".join(str(text).split())
    load = _LOAD.match(words)
    if load:
        factor = float(load.group(1))
        if not 0 < factor <= 20:
            raise _bad(words, "the load factor must be above 0 and at most 20")
        return Change("load", factor=factor, text=f"load x{factor:g}")
    parts = words.split(" ")
    if len(parts) < 4 or parts[0] not in ("add", "remove") or not parts[1].isdigit():
        raise _bad(words, f"write it like {EXAMPLE}")
    verb, count = parts[0], int(parts[1])
    if not 1 <= count <= 500:
        raise _bad(words, "the number of specialists must be between 1 and 500")
    skills = _skills(parts[2], verb, words)
    if not is_timezone(parts[3]):
        raise _bad(words, f"{parts[3]!r} is not an IANA timezone such as Asia/Manila")
    options = _options(parts[4:], verb, words)
    return Change(verb, count, skills, parts[3], text=words, **options)


def _skills(text: str, verb: str, words: str) -> tuple:
    skills = []
    for part in text.split("+"):
        match = _PART.match(part)
        if not match:
            raise _bad(words, f"{part!r} is not skill:level (e.g. video_editing:4 or figma:3)")
        name, level = match.group(1), int(match.group(2)) if match.group(2) else None
        if level is None and verb == "add":
            raise _bad(words, f"give the level of {name} for the new specialists, e.g. {name}:4")
        defaults = DEFAULT_SKILLS.get(name)
        # a work type without a level: its default skills at their default levels
        skills += [(s, level or least) for s, least in defaults] if defaults else [(name, level)]
    return tuple(skills)


def _options(parts: list, verb: str, words: str) -> dict:
    options = {}
    for part in parts:
        key, _, value = part.partition("=")
        if verb == "add" and key == "hours" and value:
            options["hours"] = value
        elif verb == "add" and key == "capacity" and value.isdigit() and 0 < int(value) <= 50:
            options["capacity"] = int(value)
        else:
            raise _bad(words, f"unknown option {part!r} (add takes hours=NAME and capacity=N)")
    return options


def _bad(words: str, why: str) -> InvalidInput:
    return InvalidInput(f"Cannot read the change {words!r}: {why}.", {"change": [f"{words!r}: {why}."]})


def apply_changes(scenario: Scenario, changes: list[Change]) -> Scenario:
    """The scenario with every change made, in order."""
    for change in changes:
        scenario = APPLY[change.verb](scenario, change)
    return scenario


def _add(scenario: Scenario, change: Change) -> Scenario:
    if change.hours is not None and change.hours not in scenario.hours:
        known = ", ".join(sorted(scenario.hours)) or "none in this scenario"
        raise _bad(change.text, f"unknown hours {change.hours!r} (known: {known})")
    hours = scenario.hours.get(change.hours or "day", DEFAULT_HOURS)
    label = "+".join(f"{s}:{level}" for s, level in change.skills)
    added = tuple(Person(f"New {label} {i + 1} ({change.timezone})", change.timezone, hours,
                         change.capacity, dict(change.skills)) for i in range(change.count))
    return replace(scenario, specialists=scenario.specialists + added)


def _remove(scenario: Scenario, change: Change) -> Scenario:
    def matches(person: Person) -> bool:
        return person.timezone == change.timezone and all(
            person.skills.get(skill, 0) >= (level or 1) for skill, level in change.skills)
    found = [i for i, p in enumerate(scenario.specialists) if matches(p)][:change.count]
    if len(found) < change.count:
        raise _bad(change.text, f"only {len(found)} specialist{'s' if len(found) != 1 else ''} "
                                f"in {change.timezone} match")
    if len(found) == len(scenario.specialists):
        raise _bad(change.text, "that would leave nobody in the team")
    kept = tuple(p for i, p in enumerate(scenario.specialists) if i not in found)
    return replace(scenario, specialists=kept)


def _load(scenario: Scenario, change: Change) -> Scenario:
    workload = replace(scenario.workload, tasks_per_week=scenario.workload.tasks_per_week * change.factor)
    return replace(scenario, workload=workload)


APPLY = {"add": _add, "remove": _remove, "load": _load}
