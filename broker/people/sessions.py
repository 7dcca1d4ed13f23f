"""Browser login sessions that can be ended from the server: each session carries the user's
session version (User.get_id), and a session whose version is behind the user's is refused."""
from broker.extensions import db
from broker.people.models import User
from broker.urls import MAX_ID


def end_sessions(user: User):
    """End every login session of `user` (in the caller's transaction): a password change,
    a deactivation. Their API tokens are separate (revoked one by one, or refused while inactive)."""
    user.session_version = (user.session_version or 1) + 1


def user_for_session(session_id: str) -> User | None:
    """The active user a login session belongs to, or None when the session was ended since
    (or was written before sessions carried a version)."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > MAX_ID:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
