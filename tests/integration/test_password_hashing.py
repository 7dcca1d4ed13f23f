"""Passwords are stored as slow salted hashes in a real app; the suite's cheap method is its own."""
from broker import settings
from broker.extensions import db
from broker.people.models import User
from broker.people.services import create_user, update_me, user_by_password
from tests.factories import scratch_app


def test_a_real_app_hashes_passwords_with_scrypt(tmp_path):
    assert settings.DEFAULTS["BROKER_PASSWORD_HASH"] == "scrypt"
    app = scratch_app(tmp_path, BROKER_PASSWORD_HASH=settings.DEFAULTS["BROKER_PASSWORD_HASH"])
    with app.app_context():
        user, _ = create_user("ana@example.com", "Ana", "specialist", "Asia/Manila", password="s3cret pass")
        stored = db.session.get(User, user.id).password_hash
        assert stored.startswith("scrypt:") and "s3cret" not in stored
        assert user_by_password("ana@example.com", "s3cret pass").id == user.id
        assert user_by_password("ana@example.com", "wrong") is None
        db.session.remove()
        db.engine.dispose()


def test_a_hash_made_one_way_still_logs_in_after_the_method_changes(tmp_path):
    """The method is read from each stored hash, so changing the setting locks nobody out, and
    a password set afterwards uses the new method."""
    app = scratch_app(tmp_path, BROKER_PASSWORD_HASH="pbkdf2:sha256:1")
    with app.app_context():
        user, _ = create_user("raj@example.com", "Raj", "specialist", "Asia/Kolkata", password="first pass")
        app.config["BROKER_PASSWORD_HASH"] = "scrypt"
        assert user_by_password("raj@example.com", "first pass").id == user.id
        update_me(db.session.get(User, user.id), {"password": "second pass"})
        assert db.session.get(User, user.id).password_hash.startswith("scrypt:")
        assert user_by_password("raj@example.com", "second pass").id == user.id
        db.session.remove()
        db.engine.dispose()
