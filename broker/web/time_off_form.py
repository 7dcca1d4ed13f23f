"""Booking time off from a page (the specialist's own profile, an admin's or a partner lead's page
of that specialist): one path, so every page offers handoffs for work in hand as the API does."""
from flask_login import current_user
from marshmallow import ValidationError

from broker.api.people.schemas import TimeOffSchema
from broker.errors import DomainError
from broker.people import services as people
from broker.people.models import User
from broker.timeutil import utcnow
from broker.web import profile_form as pf
from tasks.loop_services import offer_handoffs


def book_time_off(specialist: User, form) -> dict:
    """Book the time off the form describes for `specialist` as the signed-in user; {} when
    booked (handoffs offered for tasks in hand), else the form's errors by field."""
    data, problems = pf.time_off_payload(form, specialist.timezone)
    loaded = None
    try:
        loaded = TimeOffSchema().load(data)
    except ValidationError as exc:
        problems = pf.field_errors(exc.messages) | problems
    if loaded is None or problems:
        return problems
    try:
        booked = people.add_time_off(current_user, specialist.id, now=utcnow(), **loaded)
        offer_handoffs(specialist.id, booked.starts_at, booked.ends_at, utcnow())
    except DomainError as exc:  # the end before the start, or overlapping time off
        return pf.field_errors(exc.errors) or {"form": exc.message}
    return {}
