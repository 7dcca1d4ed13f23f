"""Admins change accounts: name, timezone, role and whether the user may sign in at all.
Deactivation ends the user's browser sessions and refuses their tokens at once; the
organisation always keeps an active admin, and no admin locks themselves out."""
from sqlalchemy import select

from broker.errors import Conflict, InvalidInput, NotFound
from broker.extensions import db
from broker.people.models import User
from broker.people.roles import ADMIN, MANAGER
from broker.people.services import check_partner_of
from broker.people.sessions import end_sessions
from broker.timeutil import is_timezone
from broker.unit_of_work import commit, transaction

# A specialist's profile, hours and assigned work belong to that role: moving someone into or
# out of it is a new account, not a role change.
SWAPPABLE_ROLES = (ADMIN, MANAGER)


@transaction
def update_user(actor: User, user_id: int, changes: dict) -> User:
    """Apply an admin's changes to a user's role, activity, name or timezone."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    if "timezone" in changes and not is_timezone(changes["timezone"]):
        raise InvalidInput("Unknown timezone.", {"timezone": ["Unknown timezone; use an IANA name."]})
    if changes.get("role", user.role) != user.role:
        _check_role_change(user, changes["role"])
    if "partner" in changes:
        changes["partner"] = check_partner_of(changes.get("role", user.role), changes["partner"])
    deactivating = changes.get("active") is False and user.active
    if deactivating and user.id == actor.id:
        raise Conflict("You cannot deactivate yourself; another admin can.")
    if user.role == ADMIN and user.active and (deactivating or changes.get("role", ADMIN) != ADMIN):
        _keep_an_admin(user)
    for key in ("name", "timezone", "role", "active", "partner"):
        if key in changes:
            setattr(user, key, changes[key])
    if deactivating:
        end_sessions(user)
    commit()
    return user


def _check_role_change(user: User, role: str):
    if role not in SWAPPABLE_ROLES or user.role not in SWAPPABLE_ROLES:
        raise Conflict(f"A {user.role} cannot become a {role}: only admin and manager swap roles. "
                       "A specialist's profile and work stay with that role; create a new account.")


def _keep_an_admin(user: User):
    """Refuse to demote or deactivate the last active admin. Every active admin's row is locked
    in id order (PostgreSQL), so two admins removing each other at once queue instead of both
    succeeding, and the second sees the first's change."""
    admins = db.session.scalars(
        select(User.id).where(User.role == ADMIN, User.active.is_(True))
        .order_by(User.id).with_for_update()
    ).all()
    if not [admin for admin in admins if admin != user.id]:
        raise Conflict(f"{user.name} is the last active admin; make another user an admin first.")
