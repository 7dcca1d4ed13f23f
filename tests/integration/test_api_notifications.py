"""The notifications API, PATCH /me's Slack settings, the CLI and the scheduler jobs."""
from datetime import timedelta, timezone

from broker import scheduler as scheduling
from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tests.notify_helpers import offer, rows

NOW = utcnow()
HOOK = "https://hooks.slack.com/services/T000/B000/secretwXyZ"


def test_patch_me_stores_the_webhook_sealed_and_shows_it_masked(client, make, app):
    m = make.user("manager")
    answer = client.patch("/api/v1/me", headers=m.headers,
                          json={"slack_webhook_url": HOOK, "urgent_kinds": ["submitted", "offered"]})
    assert answer.status_code == 200, answer.json
    assert answer.json["slack_webhook_url"] == "https://hooks.slack.com/…/…wXyZ"
    assert answer.json["urgent_kinds"] == ["offered", "submitted"]
    assert HOOK not in answer.text and HOOK not in client.get("/api/v1/me", headers=m.headers).text
    with app.app_context():
        stored = db.session.get(User, m.id)
        assert "secret" not in stored.slack_webhook_sealed
        db.session.remove()
    cleared = client.patch("/api/v1/me", headers=m.headers, json={"slack_webhook_url": None})
    assert cleared.json["slack_webhook_url"] is None
    assert cleared.json["urgent_kinds"] == ["offered", "submitted"]


def test_bad_settings_get_422_field_by_field(client, make):
    m = make.user("manager")
    bad = client.patch("/api/v1/me", headers=m.headers, json={
        "slack_webhook_url": "http://hooks.slack.com/services/x", "urgent_kinds": ["offered", "gossip"],
        "digest_hour": 25})
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"slack_webhook_url", "urgent_kinds", "digest_hour"}
    assert "hooks.slack.com/services/x" not in bad.text  # the URL is not echoed back
    for value in (12, ["https://x.example"], "javascript:alert(1)"):
        answer = client.patch("/api/v1/me", headers=m.headers, json={"slack_webhook_url": value})
        assert answer.status_code == 422, value
    assert client.patch("/api/v1/me", headers=m.headers, json={"urgent_kinds": "offered"}).status_code == 422


def test_users_see_only_their_own_notifications_newest_first(client, make, app):
    manager, s1, s2 = make.user("manager"), make.specialist(), make.specialist()
    _, ids = make.brief(manager, n_tasks=3)
    offer(app, ids[0], s1, NOW + timedelta(hours=1), NOW)
    offer(app, ids[1], s1, NOW + timedelta(hours=1), NOW + timedelta(seconds=1))
    offer(app, ids[2], s2, NOW + timedelta(hours=1), NOW)
    mine = client.get("/api/v1/notifications", headers=s1.headers)
    assert mine.status_code == 200
    assert [n["task_id"] for n in mine.json] == [ids[1], ids[0]]
    assert mine.json[0]["state"] == "queued" and mine.json[0]["title"] == "Cut the launch teaser 2"
    assert [n["task_id"] for n in client.get("/api/v1/notifications", headers=s2.headers).json] == [ids[2]]
    assert client.get("/api/v1/notifications", headers=manager.headers).json == []
    paged = client.get("/api/v1/notifications?page=2&page_size=1", headers=s1.headers)
    assert [n["task_id"] for n in paged.json] == [ids[0]]
    assert client.get("/api/v1/notifications?state=lost", headers=s1.headers).status_code == 422
    assert client.get("/api/v1/notifications?page=0", headers=s1.headers).status_code == 422
    assert client.get("/api/v1/notifications").status_code == 401


def test_digest_preview_for_the_caller(client, make, app):
    manager, specialist = make.user("manager"), make.specialist()
    empty = client.get("/api/v1/digests/preview", headers=specialist.headers).json
    assert empty == {"blocks": [], "text": "Nothing pending: no digest would be sent now.", "empty": True}
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist, NOW + timedelta(hours=1), NOW)
    preview = client.get("/api/v1/digests/preview", headers=specialist.headers).json
    assert preview["empty"] is False and preview["text"].endswith("1 offered to you.")
    assert preview["blocks"][0]["type"] == "header"
    assert client.get("/api/v1/digests/preview", headers=manager.headers).json["empty"] is True


def test_cli_runs_each_job_once_at_a_given_instant(app, make):
    manager, specialist = make.user("manager"), make.specialist(timezone="Asia/Manila")
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist, NOW + timedelta(days=1), NOW)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["outbox", "deliver"])
    assert out.exit_code == 0 and out.output.strip() == "outbox: sent 1, retrying 0, failed 0, skipped 0"
    at = (NOW + timedelta(days=1)).astimezone(timezone(timedelta(hours=8))).replace(hour=10, minute=0)
    out = runner.invoke(args=["digests", "send", "--at", at.isoformat()])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("digests: queued 1 digests")
    assert runner.invoke(args=["digests", "send", "--at", at.isoformat()]).output.startswith("digests: queued 0")
    bad = runner.invoke(args=["digests", "send", "--at", "tomorrow"])
    assert bad.exit_code == 2 and "--at" in bad.output


def test_scheduler_declares_both_jobs_and_they_run(app, make):
    jobs = {job.name: job for job in scheduling.JOBS}
    assert jobs["deliver_outbox"].seconds <= 30 and jobs["send_digests"].seconds <= 600
    manager, specialist = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist, NOW + timedelta(hours=1), NOW)
    scheduling._guarded(app, jobs["deliver_outbox"])()
    scheduling._guarded(app, jobs["send_digests"])()
    assert rows(app)[0]["state"] == "sent"
