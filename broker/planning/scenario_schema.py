"""Read a scenario file (YAML or JSON) into a Scenario, with every problem named field by field."""
from datetime import date, datetime, timedelta

import pendulum
import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from broker.errors import InvalidInput
from broker.planning import scenario as s
from broker.planning.engine_bridge import (
    FACTORS,
    PRIORITIES,
    WORK_TYPES,
    TimezoneField,
    WorkingHoursField,
    calendar_errors,
    hours_errors,
    to_utc,
)

SLUG = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="Use a lowercase slug like premiere_pro.")
SHARE = validate.Range(min=0, max=1)
CATALOGUE = tuple(w["slug"] for w in WORK_TYPES)
DEFAULT_START = "2027-03-01T00:00:00+00:00"  # a Monday; any fixed instant keeps runs repeatable


def pair(inner=fields.Float, **kwargs):
    """[low, high] with low <= high."""
    def ordered(value):
        if value[0] > value[1]:
            raise ValidationError("Give [low, high] with low no greater than high.")
    return fields.List(inner(validate=validate.Range(min=0)), validate=[
        validate.Length(equal=2, error="Give two numbers: [low, high]."), ordered], **kwargs)


class TimeOffSchema(Schema):
    starts_day = fields.Float(required=True, validate=validate.Range(min=0, max=400))
    days = fields.Float(required=True, validate=validate.Range(min=0.1, max=400))


class PersonSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    timezone = TimezoneField(required=True)
    hours = fields.Raw(required=True)  # a name from the scenario's `hours`, or weekly hours
    capacity = fields.Integer(strict=True, load_default=3, validate=validate.Range(min=0, max=50))
    skills = fields.Dict(keys=fields.String(validate=SLUG), required=True,
                         values=fields.Integer(strict=True, validate=validate.Range(min=1, max=5)))
    count = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=1000))
    auto_accept = fields.Boolean(load_default=False)
    time_off = fields.List(fields.Nested(TimeOffSchema), load_default=list)


class ManagerSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    timezone = TimezoneField(required=True)
    share = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))


class WorkloadSchema(Schema):
    tasks_per_week = fields.Float(required=True, validate=validate.Range(min=0, max=100_000))
    work_types = fields.Dict(keys=fields.String(validate=validate.OneOf(CATALOGUE)),
                             values=fields.Float(validate=validate.Range(min=0)), required=True,
                             validate=validate.Length(min=1))
    priorities = fields.Dict(keys=fields.String(validate=validate.OneOf(PRIORITIES)),
                             values=fields.Float(validate=validate.Range(min=0)),
                             load_default=lambda: {"urgent": 1, "high": 4, "normal": 11, "low": 4})
    estimate_hours = fields.Dict(keys=fields.String(validate=validate.OneOf(CATALOGUE + ("default",))),
                                 values=pair(), load_default=lambda: {"default": [1, 6]})
    tasks_per_brief = pair(fields.Integer, load_default=lambda: [1, 4])
    estimate_scale = fields.Dict(keys=fields.String(validate=validate.OneOf(PRIORITIES)),
                                 values=fields.Float(validate=validate.Range(min=0.05, max=20)),
                                 load_default=lambda: dict(s.ESTIMATE_SCALE))
    effort_sigma = fields.Float(load_default=0.35, validate=validate.Range(min=0, max=3))
    effort_median = fields.Float(load_default=1.0, validate=validate.Range(min=0.05, max=20))
    level_raise_share = fields.Float(load_default=0.15, validate=SHARE)
    due_share = fields.Float(load_default=0.35, validate=SHARE)
    due_days = pair(fields.Integer, load_default=lambda: [1, 5])
    overlap_share = fields.Float(load_default=0.1, validate=SHARE)
    dependency_share = fields.Float(load_default=0.15, validate=SHARE)
    weekday_weights = fields.List(fields.Float(validate=validate.Range(min=0)),
                                  validate=validate.Length(equal=7), load_default=lambda: list(s.WEEKDAY_WEIGHTS))
    hour_weights = fields.List(fields.Float(validate=validate.Range(min=0)),
                               validate=validate.Length(equal=24), load_default=lambda: list(s.HOUR_WEIGHTS))

    @validates_schema
    def _something_arrives(self, data, **kwargs):
        if not any(data.get("work_types", {}).values()):
            raise ValidationError("Give at least one work type a weight above 0.", "work_types")
        if not any(data.get("priorities", {}).values()):
            raise ValidationError("Give at least one priority a weight above 0.", "priorities")
        if data["tasks_per_brief"][0] < 1:
            raise ValidationError("A brief has at least one task.", "tasks_per_brief")

    @post_load
    def _make(self, data, **kwargs):
        data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        data["estimate_hours"] = {k: tuple(v) for k, v in data["estimate_hours"].items()}
        return s.Workload(**data)


class BehaviourSchema(Schema):
    decline_rate = fields.Float(load_default=0.08, validate=SHARE)
    lapse_rate = fields.Float(load_default=0.03, validate=SHARE)
    response_share = pair(load_default=lambda: [0.05, 0.7])
    block_share = fields.Float(load_default=0.05, validate=SHARE)
    block_hours = pair(load_default=lambda: [1.0, 6.0])
    changes_share = fields.Float(load_default=0.2, validate=SHARE)
    revision_effort = fields.Float(load_default=0.3, validate=validate.Range(min=0, max=5))
    review_hours = pair(load_default=lambda: [0.5, 4.0])

    @post_load
    def _make(self, data, **kwargs):
        return s.Behaviour(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def by_priority(**kwargs):
    return fields.Dict(keys=fields.String(validate=validate.OneOf(PRIORITIES)),
                       values=fields.Float(validate=validate.Range(min=0, min_inclusive=False)), **kwargs)


class RoutingSchema(Schema):
    weights = fields.Dict(keys=fields.String(validate=validate.OneOf(FACTORS)),
                          values=fields.Float(validate=validate.Range(min=0)), load_default=dict)
    every_minutes = fields.Float(load_default=5.0, validate=validate.Range(min=0.5, max=240))
    claim_every_minutes = fields.Float(load_default=15.0, validate=validate.Range(min=1, max=240))
    offer_minutes = by_priority()
    default_target_hours = by_priority()
    manager_hours = WorkingHoursField()

    @post_load
    def _make(self, data, **kwargs):
        base = s.Routing()
        merged = {k: {**getattr(base, k), **data[k]} for k in ("offer_minutes", "default_target_hours")
                  if k in data}
        return s.Routing(**{**data, **merged})


class PolicySchema(Schema):
    work_type = fields.String(required=True, validate=validate.OneOf(CATALOGUE))
    priority = fields.String(required=True, validate=validate.OneOf(PRIORITIES))
    ack_hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False))
    turnaround_hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False))
    calendar = fields.String(required=True)
    warn_at = fields.Float(load_default=0.75, validate=SHARE)


class CalendarSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    timezone = fields.String(required=True)
    hours = fields.Dict(required=True)
    holidays = fields.List(fields.String(), load_default=list)
    country = fields.String(allow_none=True, load_default=None)
    subdivision = fields.String(allow_none=True, load_default=None)

    @validates_schema
    def _valid(self, data, **kwargs):
        errors = calendar_errors(data)
        if errors:
            raise ValidationError(errors)


class SlaSchema(Schema):
    policies = fields.List(fields.Nested(PolicySchema))
    calendars = fields.List(fields.Nested(CalendarSchema))
    revision_share = fields.Float(validate=validate.Range(min=0, max=5))
    grace_hours = fields.Float(validate=validate.Range(min=0, max=1000))

    @post_load
    def _make(self, data, **kwargs):
        data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        sla = s.Sla(**data)
        known = {c["name"] for c in sla.calendars}
        unknown = sorted({p["calendar"] for p in sla.policies} - known)
        if unknown:
            raise ValidationError({"policies": [f"Unknown calendar {', '.join(unknown)}; "
                                                f"known: {', '.join(sorted(known))}."]})
        return sla


class ScenarioSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(load_default="scenario", validate=validate.Length(min=1, max=120))
    start = fields.AwareDateTime(load_default=lambda: datetime.fromisoformat(DEFAULT_START))
    weeks = fields.Integer(strict=True, load_default=4, validate=validate.Range(min=1, max=26))
    seed = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=0, max=2**32 - 1))
    hours = fields.Dict(keys=fields.String(validate=SLUG), values=WorkingHoursField(), load_default=dict)
    managers = fields.List(fields.Nested(ManagerSchema), required=True, validate=validate.Length(min=1))
    specialists = fields.List(fields.Nested(PersonSchema), required=True,
                              validate=validate.Length(min=1, max=5000))
    workload = fields.Nested(WorkloadSchema, required=True)
    behaviour = fields.Nested(BehaviourSchema, load_default=lambda: s.Behaviour())
    routing = fields.Nested(RoutingSchema, load_default=lambda: s.Routing())
    sla = fields.Nested(SlaSchema, load_default=lambda: s.Sla())
    drain_days = fields.Float(load_default=7.0, validate=validate.Range(min=0, max=28))

    @pre_load
    def _plain(self, data, **kwargs):
        """YAML reads dates and times as objects; the fields want the text they came from."""
        return _isoformat(data)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _hours_known(self, data, original, **kwargs):
        """Each specialist's hours name the scenario's `hours` or are valid weekly hours (read
        from the input as given, so these errors come with every other one)."""
        named = original.get("hours") if isinstance(original.get("hours"), dict) else {}
        people = original.get("specialists") if isinstance(original.get("specialists"), list) else []
        errors = {}
        for i, person in enumerate(people):
            if not isinstance(person, dict) or "hours" not in person:
                continue
            problem = _hours_problem(person["hours"], named)
            if problem:
                errors[i] = {"hours": problem}
        if errors:
            raise ValidationError({"specialists": errors})

    @post_load
    def _make(self, data, **kwargs):
        start = to_utc(data["start"])
        people = tuple(_person(p, n, data["hours"], start) for p in data["specialists"]
                       for n in range(p["count"]))
        managers = tuple(s.Manager(**m) for m in data["managers"])
        return s.Scenario(**{**data, "start": start, "specialists": people, "managers": managers})


def _hours_problem(value, named: dict):
    if isinstance(value, str):
        return None if value in named else [f"Unknown hours {value!r}; name one of the scenario's "
                                            f"`hours` ({', '.join(sorted(named)) or 'none given'})."]
    return hours_errors(value) or None


def _person(data: dict, n: int, named: dict, start: datetime) -> s.Person:
    hours = named[data["hours"]] if isinstance(data["hours"], str) else data["hours"]
    name = data["name"] if data["count"] == 1 else f"{data['name']} {n + 1}"
    return s.Person(name, data["timezone"], hours, data["capacity"], dict(data["skills"]),
                    data["auto_accept"], tuple(_time_off(t, data["timezone"], start)
                                               for t in data["time_off"]))


def _time_off(entry: dict, tz: str, start: datetime) -> tuple:
    """Whole local days from local midnight, `starts_day` days after the scenario starts."""
    first = pendulum.instance(start).in_timezone(tz).start_of("day").add(days=entry["starts_day"])
    begin = to_utc(first)
    return begin, begin + timedelta(days=entry["days"])


def _isoformat(value):
    if isinstance(value, dict):
        return {k: _isoformat(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_isoformat(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def scenario_from_data(data) -> s.Scenario:
    """A Scenario from parsed YAML/JSON data, or InvalidInput naming each bad field."""
    if not isinstance(data, dict):
        raise InvalidInput("A scenario is a mapping of fields.", {"scenario": ["Give a mapping."]})
    try:
        return ScenarioSchema().load(data)
    except ValidationError as exc:
        raise InvalidInput("The scenario is not valid.", exc.messages) from None


def scenario_from_text(text: str) -> s.Scenario:
    """A Scenario from the text of a YAML or JSON file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise InvalidInput("The scenario is not valid YAML or JSON.",
                           {"scenario": [f"Not valid YAML or JSON{line}."]}) from None
    return scenario_from_data(data)
