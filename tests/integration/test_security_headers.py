"""Security headers on pages, the API and error answers; the session cookie's flags per environment."""
import pytest

from broker import settings
from broker.app import create_app


def policy(response) -> dict:
    """The Content-Security-Policy header as {directive: value}."""
    parts = (p.strip().split(" ", 1) for p in response.headers["Content-Security-Policy"].split(";"))
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def assert_hardened(response):
    csp = policy(response)
    assert csp["default-src"] == "'none'" and "script-src" not in csp  # no script runs at all
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_send_a_strict_policy(client, app, make):
    from tests.factories import logged_in
    assert_hardened(client.get("/login"))
    manager = logged_in(app, make.user("manager"))
    for path in ("/briefs", "/briefs/new", "/dashboard", "/notifications"):
        r = manager.get(path)
        assert r.status_code == 200, path
        assert_hardened(r)
        assert "Cache-Control" not in r.headers or "no-store" not in r.headers["Cache-Control"]
    assert_hardened(client.get("/static/broker.css"))


def test_the_api_sends_them_too_and_is_never_cached(client, make):
    m = make.user("manager")
    for r in (client.get("/api/v1/health"), client.get("/api/v1/me", headers=m.headers),
              client.get("/api/v1/me"), client.get("/api/v1/nothing-here")):
        assert_hardened(r)
        assert r.headers["Cache-Control"] == "no-store"


def test_error_pages_are_hardened(client):
    assert_hardened(client.get("/no-such-page"))


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://broker.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def set_session_cookie(client) -> str:
    """The Set-Cookie header of the session (the login form stores its CSRF token there)."""
    r = client.get("/login")
    return next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_lax_and_not_secure_in_tests(app):
    cookie = set_session_cookie(app.test_client())
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.mark.parametrize("broker_env, secure", [("production", True), ("development", False)])
def test_session_cookie_is_secure_in_production(monkeypatch, tmp_path, broker_env, secure):
    monkeypatch.setenv("BROKER_ENV", broker_env)
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    config = settings.from_environment()
    assert config["SESSION_COOKIE_SECURE"] is secure
    app = create_app({**config, "BROKER_SCHEDULER": "off"})
    client = app.test_client()
    r = client.get("/login", base_url="https://broker.example")
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert ("Secure" in cookie) is secure
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
