"""Security headers on every response (Flask-Talisman) and the session cookie's flags.

The pages load nothing but their own stylesheet: no script at all, no inline style (the
dashboard's SVG is drawn server-side with classes), so the policy forbids everything else.
The same headers suit the JSON API, which also asks never to be cached (it returns tokens)."""
from flask import Flask, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}


def register_security_headers(app: Flask):
    """CSP, nosniff, DENY framing, same-origin referrers, HSTS over HTTPS; cookie flags from
    config (Secure only in production: development and tests run on plain http). One Talisman
    per app: it keeps its options and its app on itself, so a shared one would mix apps."""
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; health checks may come over http
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_xss_protection=False,  # obsolete header; the CSP is the protection
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )
    app.after_request(no_store_api_answers)


def no_store_api_answers(response):
    """API answers carry tokens and personal data: no browser or proxy keeps a copy."""
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
