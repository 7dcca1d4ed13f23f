"""Pure rules of notifications: recipients, urgency, back-off, Retry-After, webhook URLs."""
import random
from datetime import datetime, timedelta, timezone

from broker.people.slack_webhook import mask_webhook_url, open_webhook_url, seal_webhook_url, webhook_url_errors
from notifications import backoff, kinds

NOW = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)


def test_recipients_follow_the_event_and_skip_the_actor():
    ids = {"specialist": [5], "assignee": [5], "owner": [2], "assignee_or_owner": [5], "admins": [1, 9]}
    asked = []

    def resolve(role):
        asked.append(role)
        return ids[role]

    assert kinds.recipient_ids("offered", None, resolve) == [5] and asked == ["specialist"]
    assert kinds.recipient_ids("cancelled", 2, resolve) == [5]
    assert kinds.recipient_ids("sla_escalated", None, resolve) == [1, 9]
    assert kinds.recipient_ids("created", 2, resolve) == []
    assert kinds.recipient_ids("cancelled", None, lambda role: [None]) == []


def test_urgent_kinds_default_and_choice():
    assert kinds.urgent_kinds(None) == ("offered", "sla_breached", "sla_escalated")
    assert kinds.urgent_kinds(["approved", "nonsense"]) == ("approved",)
    assert kinds.urgent_kinds([]) == ()


def test_details_keep_only_small_displayable_fields():
    kept = kinds.kept_details({"explanation": {"big": "x" * 9000}, "reason": "r" * 900, "specialist_id": 4})
    assert kept == {"reason": "r" * kinds.DETAIL_MAX}


def test_backoff_grows_with_jitter_and_a_cap():
    rng = random.Random(1)
    waits = [backoff.backoff_seconds(n, rng) for n in range(1, 15)]
    assert 7.5 <= waits[0] <= 15 and 15 <= waits[1] <= 30
    assert all(backoff.CAP_SECONDS / 2 <= w <= backoff.CAP_SECONDS for w in waits[8:])
    assert len({round(backoff.backoff_seconds(3, rng), 3) for _ in range(20)}) > 1  # jittered


def test_after_failure_honours_retry_after_and_gives_up():
    rng = random.Random(1)
    assert backoff.after_failure(1, 42.0, False, NOW, rng) == NOW + timedelta(seconds=42)
    assert backoff.after_failure(1, None, True, NOW, rng) is None
    assert backoff.after_failure(backoff.MAX_ATTEMPTS, None, False, NOW, rng) is None
    assert backoff.after_failure(backoff.MAX_ATTEMPTS - 1, None, False, NOW, rng) > NOW


def test_retry_after_in_seconds_or_as_a_date():
    assert backoff.retry_after_seconds("30") == 30
    assert backoff.retry_after_seconds("0") == 1 and backoff.retry_after_seconds("99999") == 3600
    assert backoff.retry_after_seconds("Tue, 24 Nov 2026 09:02:00 GMT", NOW) == 120
    assert backoff.retry_after_seconds("soon") is None and backoff.retry_after_seconds(None) is None


def test_webhook_urls_are_checked_masked_and_sealed():
    good = "https://hooks.slack.com/services/T000/B000/abcdwXyZ"
    assert webhook_url_errors(good) == []
    assert webhook_url_errors("http://127.0.0.1:8080/hook") == []
    assert webhook_url_errors("http://localhost/hook") == []
    for bad in ("http://hooks.slack.com/x", "ftp://x.example/", "https://", "not a url",
                "https://user:pw@hooks.slack.com/x", "https://x.example/" + "a" * 600, ""):
        assert webhook_url_errors(bad), bad
    assert mask_webhook_url(good) == "https://hooks.slack.com/…/…wXyZ"
    sealed = seal_webhook_url(good, "k1")
    assert good not in sealed and open_webhook_url(sealed, "k1") == good
    assert open_webhook_url(sealed, "another key") is None and open_webhook_url(None, "k1") is None
