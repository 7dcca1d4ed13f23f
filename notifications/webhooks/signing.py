"""Broker's webhook signature (pure): HMAC-SHA256 over "{timestamp}.{raw body}" with the
endpoint's secret, sent as `X-Broker-Signature: sha256=<hex>` (the README shows integrators how
to check it)."""
import hashlib
import hmac


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of "{timestamp}.{body}"."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, event_type: str, delivery_uid: str, timestamp: int,
                   body: bytes) -> dict[str, str]:
    """The headers of one delivery attempt (the delivery id stays the same on retries)."""
    stamp = str(timestamp)
    return {"Content-Type": "application/json", "User-Agent": "Broker-Webhooks/1",
            "X-Broker-Event": event_type, "X-Broker-Delivery": delivery_uid,
            "X-Broker-Timestamp": stamp, "X-Broker-Signature": signature(secret, stamp, body)}
