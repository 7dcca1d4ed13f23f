"""Buttons clicked in Slack act through the task services as the linked Broker user, with real
signed requests through the test client and Slack's replies landing on the fake Slack."""
import random
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from notifications.delivery import deliver_outbox
from tasks import services as tasks
from tasks.models import Task, TaskEvent
from tests.notify_helpers import offer, run, set_me
from tests.slack_clicks import SIGNING_SECRET, button, click_payload, menu_choice, post_click

NOW = utcnow().replace(microsecond=0)


@pytest.fixture(autouse=True)
def signing_secret(app):
    app.config["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
    yield
    app.config["SLACK_SIGNING_SECRET"] = None


@pytest.fixture
def offered(app, make, slack):
    """Ana (Manila, Slack U0ANA) has an offer delivered to the fake Slack; returns her, the
    task id and the message as Slack shows it."""
    manager, ana = make.user("manager"), make.specialist(timezone="Asia/Manila")
    set_me(app, ana, slack_webhook_url=slack.url("T/B/ana"), slack_user_id="U0ANA")
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, ana, NOW + timedelta(hours=4), NOW)
    run(app, deliver_outbox, NOW, rng=random.Random(1))
    message = slack.received[-1]["body"]
    return ana, task_id, message


def _task(app, task_id) -> tuple[str, int]:
    """The task's state and how many events it has."""
    with app.app_context():
        state = db.session.get(Task, task_id).state
        events = db.session.scalar(select(func.count()).where(TaskEvent.task_id == task_id))
        db.session.remove()
    return state, events


def _reply(slack, path="/services/actions/ana") -> dict:
    (reply,) = [r["body"] for r in slack.received if r["path"] == path]
    return reply


def test_a_specialist_accepts_an_offer_from_its_button(app, client, offered, slack):
    ana, task_id, message = offered
    started = time.monotonic()
    answer = post_click(client, click_payload("U0ANA", message, button(message, "accept"),
                                              slack.url("actions/ana")))
    assert answer.status_code == 200 and time.monotonic() - started < 3
    assert _task(app, task_id)[0] == "in_progress"
    with app.app_context():
        event = db.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task_id)
                                   .order_by(TaskEvent.id.desc())).first()
        assert (event.type, event.actor_id) == ("accepted", ana.id)
        db.session.remove()
    reply = _reply(slack)
    assert reply["replace_original"] is True
    assert [b["type"] for b in reply["blocks"]] == ["section", "context", "context"]  # no buttons
    outcome = reply["blocks"][-1]["elements"][0]["text"]
    assert outcome.startswith("Accepted by Specialist") and outcome.endswith("Manila time (UTC+8)")
    assert reply["blocks"][0] == message["blocks"][0]  # the rest of the message stays
    assert answer.json == reply


def test_a_specialist_declines_with_a_reason_from_the_menu(app, client, offered, slack):
    _, task_id, message = offered
    choice = menu_choice(message, "decline", "skills")
    answer = post_click(client, click_payload("U0ANA", message, choice, slack.url("actions/ana")))
    assert answer.status_code == 200
    assert _task(app, task_id)[0] == "queued"
    with app.app_context():
        event = db.session.scalars(select(TaskEvent).where(TaskEvent.type == "declined")).one()
        assert event.details["reason"] == "Not my skill set"
        db.session.remove()
    outcome = _reply(slack)["blocks"][-1]["elements"][0]["text"]
    assert outcome.startswith("Declined by") and outcome.endswith("(UTC+8): Not my skill set")


def test_a_click_on_a_stale_offer_says_so_and_changes_nothing(app, client, offered, slack):
    _, task_id, message = offered
    run(app, tasks.expire_offers, NOW + timedelta(hours=5))
    before = _task(app, task_id)
    answer = post_click(client, click_payload("U0ANA", message, button(message, "accept"),
                                              slack.url("actions/ana")))
    assert answer.status_code == 200
    assert _task(app, task_id) == before == ("queued", before[1])
    reply = _reply(slack)
    text = reply["blocks"][-1]["elements"][0]["text"]
    assert reply["replace_original"] is True
    assert text.startswith("This offer is no longer open: cannot accept a task that is queued")


def test_a_manager_approves_and_requests_changes_from_slack(app, client, make, slack):
    manager, ana = make.user("manager", timezone="America/New_York"), make.specialist()
    set_me(app, manager, slack_webhook_url=slack.url("T/B/manager"), slack_user_id="W0BOB",
           urgent_kinds=["submitted"])
    _, ids = make.brief(manager, n_tasks=2)
    with app.app_context():
        spec = db.session.get(User, ana.id)
        for task_id in ids:
            tasks.claim(task_id, spec, NOW)
            tasks.assignee_action(task_id, "submit", spec, NOW, {"deliverable_url": "https://x.example"})
        db.session.remove()
    run(app, deliver_outbox, NOW, rng=random.Random(1))
    first, second = [r["body"] for r in slack.received]
    post_click(client, click_payload("W0BOB", first, button(first, "approve"), slack.url("actions/1")))
    post_click(client, click_payload("W0BOB", second, button(second, "request_changes"),
                                     slack.url("actions/2")))
    assert [_task(app, i)[0] for i in ids] == ["approved", "changes_requested"]
    approved = _reply(slack, "/services/actions/1")["blocks"][-1]["elements"][0]["text"]
    assert approved.startswith("Approved by Manager") and "New York time (UTC-" in approved
    changes = _reply(slack, "/services/actions/2")["blocks"][-1]["elements"][0]["text"]
    assert changes.startswith("Changes requested by Manager")
    again = post_click(client, click_payload("W0BOB", first, button(first, "approve"),
                                             slack.url("actions/3")))
    assert again.json["text"].startswith(
        "This submission is no longer waiting for review: the task is approved")


def test_a_specialist_claims_from_slack_and_rights_still_apply(app, client, make, slack):
    manager, ana = make.user("manager"), make.specialist()
    set_me(app, ana, slack_user_id="U0ANA")
    set_me(app, manager, slack_user_id="U0BOB")
    _, (task_id,) = make.brief(manager)
    message = {"text": "Offer expired", "blocks": [
        {"type": "actions", "block_id": f"task-{task_id}", "elements": [
            {"type": "button", "action_id": "claim", "value": str(task_id),
             "text": {"type": "plain_text", "text": "Claim"}}]}]}
    refused = post_click(client, click_payload("U0BOB", message, button(message, "claim"), slack.url("a/1")))
    assert refused.json == {"response_type": "ephemeral", "replace_original": False,
                            "text": "Nothing was done: only specialists claim tasks."}
    assert _task(app, task_id)[0] == "queued"
    claimed = post_click(client, click_payload("U0ANA", message, button(message, "claim"), slack.url("a/2")))
    assert claimed.json["blocks"][0]["elements"][0]["text"].startswith("Claimed by Specialist")
    assert _task(app, task_id)[0] == "in_progress"


def test_bad_signature_old_timestamp_and_unknown_user_change_nothing(app, client, offered, slack):
    _, task_id, message = offered
    before, received = _task(app, task_id), len(slack.received)
    payload = click_payload("U0ANA", message, button(message, "accept"), slack.url("actions/ana"))
    forged = post_click(client, payload, signature="v0=" + "0" * 64)
    old = post_click(client, payload, timestamp=int(time.time()) - 6 * 60)
    unsigned = client.post("/slack/interactions", data={"payload": "{}"})
    assert [r.status_code for r in (forged, old, unsigned)] == [401, 401, 401]
    assert forged.json["message"].startswith("The request is not signed by Slack")
    stranger = post_click(client, click_payload("U0NOBODY", message, button(message, "accept"),
                                                slack.url("actions/ana")))
    assert stranger.status_code == 200 and stranger.json["response_type"] == "ephemeral"
    assert stranger.json["text"].startswith("Your Slack account is not linked to a Broker user")
    assert _task(app, task_id) == before
    assert [r["body"]["text"] for r in slack.received[received:]] == [stranger.json["text"]]


def test_payloads_that_are_not_clicks_on_task_buttons(app, client, offered, slack):
    _, task_id, message = offered
    assert post_click(client, {"type": "view_submission", "user": {"id": "U0ANA"}}).status_code == 200
    link = {"type": "button", "action_id": "open", "block_id": "links", "url": "https://broker.example"}
    assert post_click(client, click_payload("U0ANA", message, link, slack.url("a"))).status_code == 200
    bad = dict(button(message, "accept"), value="not-a-task")
    answer = post_click(client, click_payload("U0ANA", message, bad, slack.url("a")))
    assert answer.status_code == 400 and "task id" in answer.json["message"]
    assert _task(app, task_id)[0] == "offered"
    app.config["SLACK_SIGNING_SECRET"] = None
    off = post_click(client, click_payload("U0ANA", message, button(message, "accept"), slack.url("a")))
    assert off.status_code == 503 and "SLACK_SIGNING_SECRET" in off.json["message"]
