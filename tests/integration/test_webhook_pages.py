"""/admin/webhooks: admins add (the secret shown once), disable, enable and delete endpoints,
read the delivery log and redeliver, all through CSRF-protected forms; others get a 403."""
import re

from broker.timeutil import utcnow
from tests.factories import logged_in
from tests.webhook_helpers import deliver, deliveries, endpoint_row


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(app, make, receiver):
    admin = make.user("admin")
    browser = logged_in(app, admin)
    page = browser.get("/admin/webhooks")
    assert page.status_code == 200 and "No webhooks yet" in page.text and "<script" not in page.text
    added = browser.post("/admin/webhooks", data={
        "csrf_token": _token(page.text), "url": receiver.url(), "events": ["task.offered", "task.approved"],
        "description": "Zapier"})
    assert added.status_code == 200
    secret = re.search(r"<code>(whsec_[^<]+)</code>", added.text).group(1)
    listed = browser.get("/admin/webhooks").text
    assert secret not in listed and "task.offered, task.approved" in listed and "Zapier" in listed
    assert re.search(r"onclick|onsubmit|<script", listed) is None


def test_bad_input_is_shown_field_by_field_and_nothing_is_saved(app, make):
    admin = make.user("admin")
    browser = logged_in(app, admin)
    token = _token(browser.get("/admin/webhooks").text)
    answer = browser.post("/admin/webhooks", data={"csrf_token": token, "url": "http://example.com/x"})
    assert answer.status_code == 422
    assert "Must start with https://" in answer.text and "Missing data" not in answer.text
    assert "No webhooks yet" in answer.text
    forged = browser.post("/admin/webhooks", data={"url": "https://x.example", "events": ["*"]})
    assert forged.status_code == 400  # no CSRF token


def test_disable_enable_log_redeliver_and_delete(app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    browser = logged_in(app, admin)
    page = browser.get("/admin/webhooks").text
    added = browser.post("/admin/webhooks", data={"csrf_token": _token(page), "url": receiver.url(),
                                                  "events": ["*"]})
    receiver.secret = re.search(r"<code>(whsec_[^<]+)</code>", added.text).group(1)
    endpoint_id = int(re.search(r'id="webhook-(\d+)"', added.text).group(1))
    token = _token(added.text)
    make.brief(manager, now=utcnow())
    deliver(app, utcnow())
    log = browser.get(f"/admin/webhooks/{endpoint_id}")
    assert "task.created" in log.text and ">204<" in log.text
    (row,) = deliveries(app)
    answer = browser.post(f"/admin/webhooks/{endpoint_id}/deliveries/{row['id']}/redeliver",
                          data={"csrf_token": token}, follow_redirects=True)
    assert "queued again" in answer.text and deliveries(app)[0]["state"] == "queued"
    browser.post(f"/admin/webhooks/{endpoint_id}/active", data={"csrf_token": token, "active": "0"})
    assert endpoint_row(app, endpoint_id)["active"] is False
    refused = browser.post(f"/admin/webhooks/{endpoint_id}/deliveries/{row['id']}/redeliver",
                           data={"csrf_token": token}, follow_redirects=True)
    assert "enable it first" in refused.text
    browser.post(f"/admin/webhooks/{endpoint_id}/active", data={"csrf_token": token, "active": "1"})
    assert endpoint_row(app, endpoint_id)["active"] is True
    gone = browser.post(f"/admin/webhooks/{endpoint_id}/delete", data={"csrf_token": token},
                        follow_redirects=True)
    assert "deleted" in gone.text and deliveries(app) == []


def test_the_pages_are_for_admins_only(app, make):
    manager = make.user("manager")
    browser = logged_in(app, manager)
    assert browser.get("/admin/webhooks").status_code == 403
    assert app.test_client().get("/admin/webhooks").status_code == 302  # to the login page
