"""Offers, submissions and digests reach Slack with their buttons, built by slack_sdk's Block Kit
models from the renderers' markers; the log sink and other readers get no markers."""
import random
from datetime import timedelta

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from notifications.delivery import deliver_outbox
from notifications.digests import send_digests
from tasks import services as tasks
from tests.notify_helpers import offer, run, set_me

NOW = utcnow().replace(microsecond=0)


def _actions(body: dict) -> list[dict]:
    return [b for b in body["blocks"] if b["type"] == "actions"]


def test_an_offer_carries_accept_and_a_decline_menu(app, make, slack):
    manager, ana = make.user("manager"), make.specialist()
    set_me(app, ana, slack_webhook_url=slack.url())
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, ana, NOW + timedelta(hours=4), NOW)
    run(app, deliver_outbox, NOW, rng=random.Random(1))
    (block,) = _actions(slack.received[0]["body"])
    assert block["block_id"] == f"task-{task_id}"
    accept, decline = block["elements"]
    assert (accept["type"], accept["action_id"], accept["value"]) == ("button", "accept", str(task_id))
    assert (decline["type"], decline["action_id"]) == ("static_select", "decline")
    assert [o["value"] for o in decline["options"]][:2] == [f"{task_id}:capacity", f"{task_id}:skills"]
    assert "broker_actions" not in str(slack.received[0]["body"])


def test_a_submission_sent_at_once_carries_approve_and_request_changes(app, make, slack):
    manager, ana = make.user("manager"), make.specialist()
    set_me(app, manager, slack_webhook_url=slack.url("T/B/manager"), urgent_kinds=["submitted"])
    _, (task_id,) = make.brief(manager)
    with app.app_context():
        spec = db.session.get(User, ana.id)
        tasks.claim(task_id, spec, NOW)
        tasks.assignee_action(task_id, "submit", spec, NOW, {"deliverable_url": "https://x.example/cut"})
        db.session.remove()
    run(app, deliver_outbox, NOW, rng=random.Random(1))
    (request,) = slack.received
    (block,) = _actions(request["body"])
    assert [(e["action_id"], e["value"]) for e in block["elements"]] == [
        ("approve", str(task_id)), ("request_changes", str(task_id))]


def test_a_managers_digest_lists_submissions_with_their_buttons(app, make, slack):
    manager, ana = make.user("manager", timezone="Asia/Manila"), make.specialist()
    set_me(app, manager, slack_webhook_url=slack.url("T/B/manager"))
    _, ids = make.brief(manager, n_tasks=2, now=NOW - timedelta(days=1))
    with app.app_context():
        spec = db.session.get(User, ana.id)
        for task_id in ids:
            tasks.claim(task_id, spec, NOW - timedelta(hours=3))
            tasks.assignee_action(task_id, "submit", spec, NOW - timedelta(hours=2),
                                  {"deliverable_url": "https://x.example/cut"})
        db.session.remove()
    at = NOW.replace(hour=2)  # 10:00 in Manila, past the default digest hour
    assert run(app, send_digests, at if at > NOW else at + timedelta(days=1)).queued == 1
    run(app, deliver_outbox, NOW + timedelta(days=1), rng=random.Random(1))
    (request,) = [r for r in slack.received if r["path"].endswith("/manager")]
    assert "2 waiting for your review" in request["body"]["text"]
    assert [b["block_id"] for b in _actions(request["body"])] == [f"task-{i}" for i in ids]


def test_the_digest_preview_shows_the_buttons_as_block_kit(client, app, make):
    manager, ana = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, ana, NOW + timedelta(hours=4), NOW)
    preview = client.get("/api/v1/digests/preview", headers=ana.headers).json
    (block,) = _actions(preview)
    assert [e["action_id"] for e in block["elements"]] == ["accept", "decline"]
