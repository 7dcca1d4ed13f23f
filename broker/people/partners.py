"""Outsourcing partners: the name specialists' profiles carry, and the capacity cap up to which
the partner's lead may set a specialist's capacity (admins set it)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from broker.errors import Conflict, InvalidInput, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile
from broker.timeutil import UTCDateTime, utcnow
from broker.unit_of_work import commit, transaction

MAX_CAP = 50  # the profile's own capacity limit


class Partner(db.Model):
    """An outsourcing partner, by the name its specialists' profiles carry, with the capacity
    cap its lead may set a specialist to (None: the lead may not change capacity)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    capacity_cap: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("capacity_cap between 0 and 50", name="capacity_cap"),)


def member_ids(partner: str):
    """A select() of the user ids of `partner`'s specialists, for `.in_()`: whose work a partner
    lead's lists, reports and costs cover."""
    return select(SpecialistProfile.user_id).where(SpecialistProfile.partner == partner)


def capacity_cap(name: str | None) -> int | None:
    """The cap an admin set for partner `name` (None when none is set)."""
    if not name:
        return None
    return db.session.scalar(select(Partner.capacity_cap).where(Partner.name == name))


def check_lead_change(actor, partner: str | None, data: dict):
    """A partner lead's change of capacity stays within the cap an admin set for the partner."""
    if "capacity" not in data or permissions.may(actor, permissions.MANAGE_PEOPLE):
        return
    if permissions.leads(actor) is None or permissions.leads(actor) != partner:
        return
    cap = capacity_cap(partner)
    if cap is None:
        raise InvalidInput("No capacity cap is set for your partner.", {"capacity": [
            f"An admin has not set a capacity cap for {partner} yet; ask them to."]})
    if data["capacity"] > cap:
        raise InvalidInput("Capacity is above your partner's cap.", {"capacity": [
            f"At most {cap}, the cap an admin set for {partner}."]})


def partners() -> list[Partner]:
    return list(db.session.scalars(select(Partner).order_by(Partner.name)))


@transaction
def save_partner(actor, name: str, capacity_cap: int | None, partner_id: int | None = None) -> Partner:
    """Create a partner or change its name and cap (admins)."""
    permissions.require(actor, permissions.MANAGE_PEOPLE, "Only an admin sets up partners.")
    if capacity_cap is not None and not 0 <= capacity_cap <= MAX_CAP:
        raise InvalidInput("The cap is not valid.", {"capacity_cap": [f"Between 0 and {MAX_CAP}."]})
    if partner_id is None:
        found = Partner(name=name)
    else:
        found = db.session.get(Partner, partner_id)
        if found is None:
            raise NotFound(f"Partner {partner_id} does not exist.")
    taken = db.session.scalar(select(Partner.id).where(Partner.name == name, Partner.id != found.id)) \
        if found.id else db.session.scalar(select(Partner.id).where(Partner.name == name))
    if taken:
        raise Conflict(f"A partner named {name!r} exists already.")
    found.name, found.capacity_cap = name, capacity_cap
    db.session.add(found)
    commit()
    return found
