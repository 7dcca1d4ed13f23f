"""People directory services: users, tokens, passwords, specialist profiles and time off."""
import secrets
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from broker.errors import Conflict, InvalidInput, NotAllowed, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile, TimeOff, User
from broker.people.partners import check_lead_change
from broker.people.roles import PARTNER_LEAD, ROLES, SPECIALIST
from broker.people.sessions import end_sessions
from broker.people.skills import as_verifier
from broker.people.slack_webhook import mask_webhook_url, seal_webhook_url, webhook_url_errors
from broker.people.tokens import issue_token, user_for_token  # noqa: F401  (user_for_token: callers import it here)
from broker.people.verification import apply_skill_list, write_skills
from broker.timeutil import is_timezone, utcnow
from broker.unit_of_work import commit, transaction
from broker.worktime.public_holidays import place_errors
from broker.worktime.weekly_hours import hours_errors


def _check_user_fields(email: str, timezone: str, role: str):
    errors = {}
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if not is_timezone(timezone):
        errors["timezone"] = [f"Unknown timezone {timezone!r}; use an IANA name like Asia/Manila."]
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        errors["email"] = ["A user with this email already exists."]
    if errors:
        raise InvalidInput("The user is not valid.", errors)


def _build_user(email, name, role, timezone, password=None, now: datetime | None = None) -> User:
    _check_user_fields(email, timezone, role)
    user = User(email=email.lower(), name=name, role=role, timezone=timezone,
                password_hash=_hashed(password) if password else None,
                created_at=now or utcnow())
    db.session.add(user)
    return user


@transaction
def create_user(email: str, name: str, role: str, timezone: str, password: str | None = None,
                now: datetime | None = None, partner: str | None = None) -> tuple[User, str]:
    """Create a user and return it with a fresh API token, shown only this once."""
    user = _build_user(email, name, role, timezone, password, now)
    user.partner = check_partner_of(role, partner)
    if role == SPECIALIST:
        user.profile = SpecialistProfile(working_hours={})
    _, token = issue_token(user, now=now)
    commit()
    return user, token


def check_partner_of(role: str, partner: str | None) -> str | None:
    """A partner lead leads one partner, named; other users lead none."""
    if role == PARTNER_LEAD and not partner:
        raise InvalidInput("A partner lead needs a partner.", {"partner": ["Name the partner they lead."]})
    if role != PARTNER_LEAD and partner:
        raise InvalidInput("Only a partner lead has a partner.", {"partner": ["Only for role partner_lead."]})
    return partner or None


def user_by_password(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for either mistake)."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    matches = check_password_hash(stored, password or "")  # always hash: timing hides who exists
    return user if user and user.active and user.password_hash and matches else None


def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made as a real one is, so an unknown email costs the same."""
    return _dummy_hash_by(current_app.config["BROKER_PASSWORD_HASH"])


@cache
def _dummy_hash_by(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _hashed(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["BROKER_PASSWORD_HASH"])


@transaction
def update_me(user: User, changes: dict, secret_key: str | None = None) -> User:
    """Change the caller's own settings; a webhook URL is stored sealed with `secret_key`."""
    if "timezone" in changes and not is_timezone(changes["timezone"]):
        raise InvalidInput("Unknown timezone.", {"timezone": ["Unknown timezone; use an IANA name."]})
    if "password" in changes:
        user.password_hash = _hashed(changes.pop("password"))
        end_sessions(user)  # a stolen session must not outlive the password it was opened with
    if "slack_webhook_url" in changes:
        _set_webhook(user, changes.pop("slack_webhook_url"), secret_key)
    if "slack_user_id" in changes:
        _link_slack_user(user, changes.pop("slack_user_id"))
    for key, value in changes.items():
        setattr(user, key, value)
    try:
        commit()
    except IntegrityError:  # another user linked the same Slack id meanwhile
        db.session.rollback()
        raise Conflict("This Slack member id is already linked to another Broker user.") from None
    return user


def _link_slack_user(user: User, slack_user_id: str | None):
    """Link the user's Slack member id (or unlink with None); one Broker user per Slack user."""
    slack_user_id = slack_user_id or None
    taken = slack_user_id and db.session.scalar(
        select(User.id).where(User.slack_user_id == slack_user_id, User.id != user.id))
    if taken:
        raise Conflict("This Slack member id is already linked to another Broker user.",
                       {"slack_user_id": [f"{slack_user_id} is taken."]})
    user.slack_user_id = slack_user_id


def _set_webhook(user: User, url: str | None, secret_key: str | None):
    """Store a webhook URL sealed with its masked hint, or forget it when `url` is empty."""
    if not url:
        user.slack_webhook_sealed = user.slack_webhook_hint = None
        return
    problems = webhook_url_errors(url)
    if problems:
        raise InvalidInput("The Slack webhook URL is not valid.", {"slack_webhook_url": problems})
    if not secret_key:
        raise RuntimeError("a SECRET_KEY is needed to store a webhook URL")
    user.slack_webhook_sealed = seal_webhook_url(url, secret_key)
    user.slack_webhook_hint = mask_webhook_url(url)


def _check_profile(data: dict, current: SpecialistProfile | None = None):
    errors = {}
    if "working_hours" in data:
        problems = hours_errors(data["working_hours"])
        if problems:
            errors["working_hours"] = problems
    if "timezone" in data and not is_timezone(data["timezone"]):
        errors["timezone"] = [f"Unknown timezone {data['timezone']!r}; use an IANA name like Asia/Manila."]
    if "country" in data or "subdivision" in data:  # a new country drops the old subdivision
        errors.update(place_errors(data.get("country", current.country if current else None),
                                   data.get("subdivision")))
    if errors:
        raise InvalidInput("The specialist profile is not valid.", errors)


def _apply_profile(user: User, data: dict, actor: User | None = None, keep_proposals: bool = False):
    profile = user.profile
    for key in ("name", "timezone"):
        if key in data:
            setattr(user, key, data[key])
    for key in ("capacity", "active", "partner", "auto_accept", "working_hours", "hourly_cost",
                "country", "subdivision"):
        if key in data:
            setattr(profile, key, data[key])
    if "country" in data and "subdivision" not in data:
        profile.subdivision = None
    if "skills" in data:  # set by an admin (create: `actor` None): verified; by the specialist: proposed
        if actor is None:
            write_skills(profile, as_verifier({i["skill"]: i["level"] for i in data["skills"]}))
        else:
            apply_skill_list(actor, profile, data["skills"], keep_proposals)


def add_specialist_to_session(data: dict, now: datetime | None = None) -> User:
    """A specialist user and profile added to the caller's transaction (skills verified: an
    admin sets them)."""
    _check_profile(data)
    user = _build_user(data["email"], data["name"], SPECIALIST, data["timezone"],
                       data.get("password"), now)
    user.profile = SpecialistProfile(working_hours={}, created_at=user.created_at)
    _apply_profile(user, data)
    return user


@transaction
def create_specialist(data: dict, now: datetime | None = None) -> tuple[User, str]:
    """Create a specialist user and profile in one transaction; returns it with its token."""
    user = add_specialist_to_session(data, now)
    _, token = issue_token(user, now=now)
    commit()
    return user, token


def specialist(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.profile is None:
        raise NotFound(f"Specialist {user_id} does not exist.")
    return user


@transaction
def update_specialist(actor: User, user_id: int, data: dict, keep_proposals: bool = False) -> User:
    """Admins change any profile; a specialist changes their own, except capacity and active,
    and their skills are proposals until verified (broker.people.skills)."""
    user = specialist(user_id)
    permissions.require_profile_change(actor, user_id, data, user.profile.partner)
    check_lead_change(actor, user.profile.partner, data)
    _check_profile(data, user.profile)
    _apply_profile(user, data, actor, keep_proposals)
    commit()
    return user


@transaction
def add_time_off(actor: User, user_id: int, starts_at: datetime, ends_at: datetime,
                 reason: str | None = None, now: datetime | None = None) -> TimeOff:
    user = specialist(user_id)
    if not permissions.may_book_time_off(actor, user_id, user.profile.partner):
        raise NotAllowed("Only an admin, the specialist or their partner's lead can book time off.")
    if ends_at <= starts_at:
        raise InvalidInput("Time off must end after it starts.", {"ends_at": ["Must be after starts_at."]})
    for other in user.profile.time_off:
        if other.starts_at < ends_at and starts_at < other.ends_at:
            raise Conflict(f"Overlaps time off {other.starts_at.isoformat()} to {other.ends_at.isoformat()}.")
    entry = TimeOff(specialist_id=user_id, starts_at=starts_at, ends_at=ends_at, reason=reason,
                    created_at=now or utcnow())
    user.profile.time_off.append(entry)
    commit()
    return entry
