"""Is this request from Slack? slack_sdk's SignatureVerifier over the raw body, within Slack's
five-minute window (a replayed or forged request changes nothing)."""
from slack_sdk.signature import SignatureVerifier


def signed_by_slack(raw_body: bytes, headers, signing_secret: str) -> bool:
    """True when X-Slack-Signature is the v0 HMAC-SHA256 of `v0:{timestamp}:{body}` under the
    signing secret and X-Slack-Request-Timestamp is within five minutes of now."""
    try:
        return SignatureVerifier(signing_secret).is_valid_request(raw_body, dict(headers))
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, a body not UTF-8
        return False
