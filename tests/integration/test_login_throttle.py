"""Guessing passwords at /login is throttled per client address (Flask-Limiter)."""
import re

from flask_migrate import upgrade

from broker.app import create_app
from broker.people.services import create_user


def test_eleventh_login_attempt_in_a_minute_is_refused(tmp_path):
    app = create_app({"SECRET_KEY": "t", "BROKER_SCHEDULER": "off",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'throttle.db'}"})
    with app.app_context():
        upgrade()
        create_user("mo@example.com", "Mo", "manager", "Europe/London", "right password")
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    form = {"email": "mo@example.com", "password": "wrong", "csrf_token": token}
    codes = [client.post("/login", data=form).status_code for _ in range(10)]
    assert codes == [401] * 10
    refused = client.post("/login", data={**form, "password": "right password"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text and "Retry-After" in refused.headers
    assert client.get("/login").status_code == 200  # reading the page is not limited
    elsewhere = client.post("/login", data={**form, "password": "right password"},
                            environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert elsewhere.status_code == 302  # the limit is per address, not per account


def test_behind_a_proxy_the_forwarded_address_is_counted(tmp_path):
    app = create_app({"SECRET_KEY": "t", "BROKER_SCHEDULER": "off", "BROKER_PROXY_HOPS": 1,
                      "BROKER_LOGIN_LIMIT": "2 per minute",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.db'}"})
    with app.app_context():
        upgrade()
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    form = {"email": "x@example.com", "password": "wrong", "csrf_token": token}

    def attempt(client_address):
        return client.post("/login", data=form, headers={"X-Forwarded-For": client_address}).status_code

    assert [attempt("198.51.100.1") for _ in range(3)] == [401, 401, 429]
    assert attempt("198.51.100.2") == 401  # another client behind the same proxy is not blocked
