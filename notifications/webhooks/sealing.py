"""Endpoint signing secrets: generated strong, stored sealed (they must be read back to sign),
shown in full only once and after that as a short hint."""
import base64
import secrets as random_secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "whsec_"


def new_secret() -> str:
    """256 random bits, recognisable by their prefix."""
    return PREFIX + random_secrets.token_urlsafe(32)


def hint(secret: str) -> str:
    """Enough to tell secrets apart, never enough to use one: `whsec_Ab…`."""
    return secret[: len(PREFIX) + 2] + "…" if secret.startswith(PREFIX) else secret[:2] + "…"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"broker",
               info=b"webhook-signing-secret").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def unseal(sealed: str, secret_key: str) -> str | None:
    """The secret in clear, or None when SECRET_KEY changed since it was sealed."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
