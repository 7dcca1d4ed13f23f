"""Guessing passwords at /login is throttled per client address (Flask-Limiter)."""
from broker.people.services import create_user
from tests.factories import csrf_token, scratch_app


def test_eleventh_login_attempt_in_a_minute_is_refused(tmp_path):
    app = scratch_app(tmp_path)
    with app.app_context():
        create_user("mo@example.com", "Mo", "manager", "Europe/London", "right password")
    client = app.test_client()
    token = csrf_token(client)
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
    app = scratch_app(tmp_path, BROKER_PROXY_HOPS=1, BROKER_LOGIN_LIMIT="2 per minute")
    client = app.test_client()
    token = csrf_token(client)
    form = {"email": "x@example.com", "password": "wrong", "csrf_token": token}

    def attempt(client_address):
        return client.post("/login", data=form, headers={"X-Forwarded-For": client_address}).status_code

    assert [attempt("198.51.100.1") for _ in range(3)] == [401, 401, 429]
    assert attempt("198.51.100.2") == 401  # another client behind the same proxy is not blocked
