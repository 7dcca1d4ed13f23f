"""A user's Slack incoming-webhook URL: checked, kept encrypted at rest, shown only masked.

The URL is a bearer secret (anyone holding it can post into the user's Slack), so it is stored
as a Fernet token whose key is derived from SECRET_KEY, and only a masked hint is ever shown.
"""
import base64
import ipaddress
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAX_LENGTH = 500
LOOPBACK_NAMES = {"localhost"}


def webhook_url_errors(url: str) -> list[str]:
    """Why `url` cannot be a webhook: https anywhere, plain http only to loopback (tests, dev)."""
    if not isinstance(url, str) or not url.strip():
        return ["Give the Slack incoming webhook URL, or null to remove it."]
    if len(url) > MAX_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        return [f"Must be one URL of at most {MAX_LENGTH} characters, without spaces."]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return ["Not a valid URL."]
    if not parts.hostname or parts.username or parts.password:
        return ["Must be an absolute URL with a host and no user or password in it."]
    if parts.scheme == "https":
        return []
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return []
    return ["Must start with https:// (plain http only to 127.0.0.1 or localhost, for testing)."]


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mask_webhook_url(url: str) -> str:
    """`https://hooks.slack.com/…/…wXyZ`: enough to recognise which webhook, never enough to use."""
    parts = urlsplit(url)
    tail = url.rstrip("/")[-4:]
    return f"{parts.scheme}://{parts.netloc}/…/…{tail}"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"broker",
               info=b"slack-webhook-url").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_webhook_url(url: str, secret_key: str) -> str:
    """The URL encrypted (and authenticated) for storage."""
    return _fernet(secret_key).encrypt(url.encode()).decode()


def open_webhook_url(sealed: str | None, secret_key: str) -> str | None:
    """The stored URL in clear, or None when there is none or SECRET_KEY changed since."""
    if not sealed:
        return None
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
