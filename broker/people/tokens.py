"""API tokens: issued, listed and revoked. Every request checks its token in the database, never
in a per-process cache, so a revocation or a deactivation holds at once on every worker."""
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from broker.db_events import writing
from broker.errors import Conflict, NotAllowed, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import ApiToken, User
from broker.timeutil import utcnow
from broker.unit_of_work import commit, transaction

log = logging.getLogger(__name__)

TOKEN_PREFIX = "brk_"
LAST_USE_STEP = timedelta(minutes=1)  # last_used_at is written at most this often per token
MAX_LIVE_TOKENS = 20  # per user: enough for every script and laptop, not an unbounded table


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so one SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, label: str | None = None,
                now: datetime | None = None) -> tuple[ApiToken, str]:
    """Add a new token for `user` to the caller's transaction: its row and the token itself,
    which is stored only as a hash and so can be shown only this once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, token_hash=hash_token(token), prefix=token[:10], label=label,
                   created_at=now or utcnow())
    db.session.add(row)
    return row, token


def user_for_token(token: str, now: datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None; records the token's use."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    user = row.user
    _record_use(row, now or utcnow())
    return user


def _record_use(row: ApiToken, now: datetime):
    """Stamp last_used_at when it is a minute old or more, so most requests write nothing. The
    stamp is a transaction of its own that asks for the write lock up front (a read transaction
    could not take it on a busy SQLite file); should it fail anyway, the request goes on and the
    next use tries again."""
    if row.last_used_at is not None and now - row.last_used_at < LAST_USE_STEP:
        return
    token_id = row.id
    try:
        commit()  # ends the lookup's read transaction; nothing of the request is pending yet
        with writing():
            db.session.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id,
                       or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USE_STEP))
                .values(last_used_at=now)
            )
            commit()
    except DBAPIError as exc:
        db.session.rollback()
        log.warning("token %s: last use not recorded (%s)", token_id, exc.__class__.__name__)


def tokens_of(user_id: int):
    """A select() of a user's tokens, live and revoked, oldest first."""
    return select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)


@transaction
def create_token(user: User, label: str | None = None, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the caller, refused past MAX_LIVE_TOKENS live ones."""
    live = db.session.scalars(tokens_of(user.id).where(ApiToken.revoked_at.is_(None))).all()
    if len(live) >= MAX_LIVE_TOKENS:
        raise Conflict(f"You have {len(live)} live tokens, the most allowed; revoke one first.")
    row, token = issue_token(user, label, now)
    commit()
    return row, token


@transaction
def revoke_token(actor: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke a token (its owner or an admin); revoking a revoked one changes nothing."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"Token {token_id} does not exist.")
    if not permissions.may_manage_tokens_of(actor, row.user_id):
        raise NotAllowed("This token belongs to another user; only they or an admin revoke it.")
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        commit()
    return row


def check_owner(actor: User, user_id: int):
    """Only admins list another user's tokens."""
    if not permissions.may_manage_tokens_of(actor, user_id):
        raise NotAllowed("Only an admin can list another user's tokens.")
