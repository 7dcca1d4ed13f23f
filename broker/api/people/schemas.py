"""Schemas of the people API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from broker.people.permissions import may_see_hourly_cost
from broker.people.roles import ROLES
from broker.people.slack_webhook import webhook_url_errors
from broker.timeutil import is_timezone, utcnow
from broker.worktime.public_holidays import upcoming
from broker.worktime.weekly_hours import hours_errors
from notifications.kinds import KINDS, urgent_kinds

SLACK_USER_ID = validate.Regexp(r"^[UW][A-Z0-9]{2,31}$", error="A Slack member id looks like "
                                "U024BE7LH (U or W, then capitals and digits).")
COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error="Use an ISO 3166 alpha-2 code such as PH.")
SUBDIVISION = validate.Regexp(r"^[A-Z0-9]{1,10}$", error="Use the subdivision's code, e.g. CA or 13.")
SLUG = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="Use a lowercase slug like premiere_pro.")


class TimezoneField(fields.String):
    """An IANA timezone name, checked on load."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if not is_timezone(name):
            raise ValidationError(f"Unknown timezone {name!r}; use an IANA name like Asia/Manila.")
        return name


class WorkingHoursField(fields.Dict):
    """{"mon": [["09:00", "17:00"]], ...}; an end before the start crosses midnight."""

    def _deserialize(self, value, attr, data, **kwargs):
        hours = super()._deserialize(value, attr, data, **kwargs)
        errors = hours_errors(hours)
        if errors:
            raise ValidationError(errors)
        return {day: [list(span) for span in spans] for day, spans in hours.items()}


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    timezone = TimezoneField(required=True)
    active = fields.Boolean(dump_only=True)
    digest_hour = fields.Integer(dump_only=True)
    slack_webhook_url = fields.String(attribute="slack_webhook_hint", dump_only=True, allow_none=True,
                                      metadata={"description": "Masked; the full URL is never shown."})
    urgent_kinds = fields.Method("_urgent_kinds", dump_only=True)
    slack_user_id = fields.String(dump_only=True, allow_none=True)
    partner = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=120),
                            metadata={"description": "The partner a partner_lead leads."})
    created_at = fields.AwareDateTime(dump_only=True)

    def _urgent_kinds(self, user) -> list[str]:
        return list(urgent_kinds(user.urgent_kinds))


class UserCreateSchema(UserSchema):
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))


class UserWithTokenSchema(UserSchema):
    api_token = fields.String(dump_only=True)


class UserPatchSchema(Schema):
    """An admin's change to an account; `active: false` ends its sessions and stops its tokens."""

    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()
    name = fields.String(validate=validate.Length(min=1, max=120))
    timezone = TimezoneField()
    partner = fields.String(allow_none=True, validate=validate.Length(min=1, max=120))


def _webhook_url(value):
    """null or "" removes the webhook; anything else must be a usable webhook URL."""
    errors = webhook_url_errors(value) if value else []
    if errors:
        raise ValidationError(errors)


class MePatchSchema(Schema):
    timezone = TimezoneField()
    digest_hour = fields.Integer(validate=validate.Range(min=0, max=23))
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))
    slack_webhook_url = fields.String(load_only=True, allow_none=True, validate=_webhook_url,
                                      metadata={"description": "Slack incoming webhook; write-only."})
    urgent_kinds = fields.List(fields.String(validate=validate.OneOf(KINDS)),
                               validate=validate.Length(max=len(KINDS)),
                               metadata={"description": "Kinds sent at once; the rest wait for the digest."})
    slack_user_id = fields.String(allow_none=True, validate=SLACK_USER_ID, metadata={
        "description": "Your Slack member id (U… or W…), so Slack buttons act as you; null unlinks."})


class SkillSchema(Schema):
    skill = fields.String(required=True, validate=SLUG)
    level = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    verified = fields.Boolean(dump_only=True, metadata={
        "description": "Whether an admin or manager stands behind this level; routing counts "
                       "only verified levels."})
    verified_level = fields.Integer(dump_only=True, allow_none=True, metadata={
        "description": "The level last verified (null: never); routing counts the lower of it "
                       "and `level`."})


class SkillsVerifySchema(Schema):
    skills = fields.List(fields.Nested(SkillSchema), required=True,
                         validate=validate.Length(min=1, max=100))


class SkillsRejectSchema(Schema):
    skills = fields.List(fields.String(validate=SLUG), required=True,
                         validate=validate.Length(min=1, max=100))


class ProposalSchema(Schema):
    """A skill level a specialist proposed that no admin or manager has verified yet."""

    specialist_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    timezone = fields.String()
    partner = fields.String(allow_none=True)
    skill = fields.String()
    level = fields.Integer(metadata={"description": "The proposed level."})
    verified_level = fields.Integer(allow_none=True, metadata={
        "description": "The level routing counts now (null: the skill does not count yet)."})


class TimeOffSchema(Schema):
    id = fields.Integer(dump_only=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    reason = fields.String(allow_none=True, validate=validate.Length(max=200))

    @validates_schema
    def _order(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("Must be after starts_at.", "ends_at")


def _cost_in_range(value):
    """0 to 100000 (a plain validator: OpenAPI would show Range's bounds as strings here)."""
    if not 0 <= value <= 100000:
        raise ValidationError("Must be between 0 and 100000.")


def _hourly_cost(load: bool = False):
    """A specialist's hourly cost, exact to the cent (never a float): read as a number, shown as a
    decimal string ("30.00")."""
    about = ("What an hour costs, in BROKER_CURRENCY (admins set it; shown to admins, managers, "
             "the specialist and their partner's lead only).")
    if load:
        return fields.Decimal(places=2, allow_none=True, allow_nan=False, load_only=True,
                              validate=_cost_in_range, metadata={"description": about + " 0 to 100000."})
    return fields.Decimal(places=2, as_string=True, allow_none=True, dump_only=True,
                          metadata={"description": about, "type": "string", "format": "decimal"})


class SpecialistSchema(Schema):
    """A specialist profile read flat: the user's fields and the profile's."""

    id = fields.Integer(dump_only=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    timezone = TimezoneField(required=True)
    skills = fields.List(fields.Nested(SkillSchema), load_default=list)
    working_hours = WorkingHoursField(load_default=dict)
    capacity = fields.Integer(strict=True, load_default=3, validate=validate.Range(min=0, max=50))
    active = fields.Boolean(load_default=True)
    partner = fields.String(allow_none=True, validate=validate.Length(max=120))
    auto_accept = fields.Boolean(load_default=False)
    country = fields.String(allow_none=True, validate=COUNTRY, metadata={
        "description": "ISO 3166 alpha-2 where the specialist lives: its public holidays are time off."})
    subdivision = fields.String(allow_none=True, validate=SUBDIVISION)
    public_holidays = fields.List(fields.Dict(), dump_only=True, metadata={
        "description": "The next public holidays where the specialist lives: [{date, name}]."})
    hourly_cost = _hourly_cost()
    time_off = fields.List(fields.Nested(TimeOffSchema), dump_only=True)


class SpecialistCreateSchema(SpecialistSchema):
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))
    hourly_cost = _hourly_cost(load=True)


class SpecialistWithTokenSchema(SpecialistSchema):
    api_token = fields.String(dump_only=True)


class SpecialistPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    timezone = TimezoneField()
    skills = fields.List(fields.Nested(SkillSchema))
    working_hours = WorkingHoursField()
    capacity = fields.Integer(strict=True, validate=validate.Range(min=0, max=50))
    active = fields.Boolean()
    partner = fields.String(allow_none=True, validate=validate.Length(max=120))
    auto_accept = fields.Boolean()
    country = fields.String(allow_none=True, validate=COUNTRY)
    subdivision = fields.String(allow_none=True, validate=SUBDIVISION)
    hourly_cost = _hourly_cost(load=True)


class SpecialistQuerySchema(Schema):
    skill = fields.String(validate=SLUG)
    active = fields.Boolean()
    timezone = TimezoneField()


def specialist_view(user, token: str | None = None, viewer=None) -> dict:
    """The flat dict that SpecialistSchema dumps: user fields beside profile fields; the hourly
    cost only for a `viewer` who may see it."""
    p = user.profile
    view = {
        "id": user.id, "email": user.email, "name": user.name, "timezone": user.timezone,
        "skills": [{"skill": s.skill, "level": s.level, "verified": s.verified,
                    "verified_level": s.verified_level} for s in p.skills],
        "working_hours": p.working_hours, "capacity": p.capacity, "active": p.active,
        "partner": p.partner, "auto_accept": p.auto_accept, "time_off": p.time_off,
        "country": p.country, "subdivision": p.subdivision,
        "public_holidays": [{"date": d.isoformat(), "name": n}
                            for d, n in upcoming(p.country, p.subdivision, utcnow().date())],
    }
    if viewer is None or may_see_hourly_cost(viewer, user.id, p.partner):
        view["hourly_cost"] = p.hourly_cost
    if token:
        view["api_token"] = token
    return view


def proposal_view(row, user, partner) -> dict:
    """The flat dict that ProposalSchema dumps, from a skill row, its specialist and partner."""
    return {"specialist_id": user.id, "name": user.name, "email": user.email,
            "timezone": user.timezone, "partner": partner,
            "skill": row.skill, "level": row.level, "verified_level": row.verified_level}


class ImportSchema(Schema):
    csv = fields.String(required=True, validate=validate.Length(min=1, max=1_000_000), metadata={
        "description": "CSV text with the header email,name,timezone,skills,hours,capacity,partner; "
                       "skills like premiere_pro:4;after_effects:3, hours like "
                       "mon-fri 09:00-17:00; sat 10:00-14:00."})


class ImportRowSchema(Schema):
    line = fields.Integer()
    email = fields.String()
    name = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String())


class ImportPreviewSchema(Schema):
    valid = fields.Boolean(metadata={"description": "Whether importing this file would store every row."})
    problems = fields.List(fields.String(), metadata={"description": "Problems of the file as a whole."})
    rows = fields.List(fields.Nested(ImportRowSchema))


class ImportResultSchema(Schema):
    created = fields.List(fields.Nested(SpecialistWithTokenSchema))


def preview_view(checked) -> dict:
    return {"valid": checked.valid, "problems": checked.problems,
            "rows": [{"line": r.line, "email": r.typed["email"], "name": r.typed["name"],
                      "errors": r.errors} for r in checked.rows]}
