"""/queue, /available and /profile through Flask's test client: every action and every refusal."""
import re
from datetime import timedelta

import pendulum
import pytest

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks
from tasks.models import Task
from tests import factories
from tests.factories import csrf_token

WHY = {"summary": "Best fit: premiere_pro 4, free now in Manila", "candidates": []}


def logged_in(app, user):
    """Logged in, with a CSRF token for the page's forms at hand."""
    client = factories.logged_in(app, user)
    client.token = csrf_token(client, "/notifications")
    return client


def offer(app, task_id, specialist, hours=2, explanation=WHY):
    now = utcnow()
    with app.app_context():
        tasks.offer(task_id, db.session.get(User, specialist.id), now + timedelta(hours=hours), now,
                    explanation)
        db.session.remove()


def act(app, fn, task_id, user, *args):
    """Run a task service as `user` (e.g. the manager requesting changes) outside the client."""
    with app.app_context():
        fn(task_id, *args[:1], db.session.get(User, user.id), utcnow(), *args[1:])
        db.session.remove()


def task_row(app, task_id) -> dict:
    with app.app_context():
        t = db.session.get(Task, task_id)
        row = {"state": t.state, "assignee_id": t.assignee_id, "deliverable_url": t.deliverable_url,
               "events": [(e.type, e.details) for e in t.events]}
        db.session.remove()
        return row


def errors(page) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', page.text)


def step(client, task_id, action, **fields):
    return client.post(f"/tasks/{task_id}/step", data={"action": action, "csrf_token": client.token,
                                                       **fields})


@pytest.fixture
def team(make):
    manager = make.user("manager")
    specialist = make.specialist(timezone="Asia/Manila")
    return manager, specialist


# --- Guards -------------------------------------------------------------------------------------

def test_pages_are_for_specialists_only(app, make, team):
    manager, specialist = team
    client = logged_in(app, manager)
    for path in ("/queue", "/available", "/profile"):
        refused = client.get(path)
        assert (refused.status_code, refused.mimetype) == (403, "text/html"), path
        assert "This page is for specialists" in refused.text
    assert client.post("/tasks/1/claim", data={"csrf_token": client.token}).status_code == 403
    anonymous = app.test_client().get("/queue")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_home_and_nav_lead_a_specialist_to_their_queue(app, team):
    _, specialist = team
    client = logged_in(app, specialist)
    assert client.get("/").headers["Location"] == "/queue"
    page = client.get("/available").text
    assert re.search(r'href="/available" aria-current="page">Available<', page)
    assert 'href="/queue">Queue<' in page and 'href="/profile">Profile<' in page


def test_forms_without_the_csrf_token_are_refused(app, make, team):
    manager, specialist = team
    _, (task_id,) = make.brief(manager)
    client = logged_in(app, specialist)
    for path, data in ((f"/tasks/{task_id}/claim", {}), (f"/tasks/{task_id}/step", {"action": "accept"}),
                       ("/profile", {"timezone": "UTC"}), ("/profile/time-off", {})):
        refused = client.post(path, data=data)
        assert refused.status_code == 400 and "security token" in refused.text, path
    assert task_row(app, task_id)["state"] == "queued"


def test_acting_on_another_specialists_task_is_a_403_page(app, make, team):
    manager, specialist = team
    other = make.specialist()
    _, ids = make.brief(manager, n_tasks=2)
    offer(app, ids[0], specialist)
    act(app, tasks.claim, ids[1], specialist)
    client = logged_in(app, other)
    for task_id, action, fields in ((ids[0], "accept", {}), (ids[0], "decline", {"reason": "mine"}),
                                    (ids[1], "block", {"reason": "x"}),
                                    (ids[1], "submit", {"deliverable_url": "https://x.example/a"})):
        refused = step(client, task_id, action, **fields)
        assert (refused.status_code, refused.mimetype) == (403, "text/html")
        assert "assigned to another specialist" in refused.text
    assert [task_row(app, i)["state"] for i in ids] == ["offered", "in_progress"]
    assert step(client, 99999, "accept").status_code == 404
    assert step(client, ids[0], "approve").status_code == 400


# --- /queue ---------------------------------------------------------------------------------------

def test_queue_shows_an_offer_with_everything_needed_to_decide(app, make, team):
    manager, specialist = team
    due = pendulum.now("UTC").add(days=3).replace(hour=10, minute=0, second=0, microsecond=0)
    _, (task_id,) = make.brief(manager, title="<b>Teaser</b>", due_at=due, priority="high")
    offer(app, task_id, specialist, explanation={"summary": "Fits <i>best</i>", "candidates": []})
    page = logged_in(app, specialist).get("/queue").text
    assert f'id="task-{task_id}"' in page
    assert "&lt;b&gt;Teaser&lt;/b&gt; 1" in page and "<b>Teaser" not in page
    assert "Q4 launch" in page and "pipeline" in page and "40 demo requests" in page
    assert "Fits &lt;i&gt;best&lt;/i&gt;" in page
    assert due.in_timezone("Asia/Manila").format("ddd D MMM YYYY, HH:mm") + " UTC+8" in page
    assert "Offer expires" in page and ">high<" in page and "4 h" in page


def test_accept_an_offer(app, make, team):
    manager, specialist = team
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist)
    client = logged_in(app, specialist)
    done = step(client, task_id, "accept")
    assert done.status_code == 302 and done.headers["Location"] == f"/queue#task-{task_id}"
    assert task_row(app, task_id)["state"] == "in_progress"
    assert "is now in progress" in client.get("/queue").text


def test_decline_needs_a_reason_and_keeps_what_was_typed(app, make, team):
    manager, specialist = team
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist)
    client = logged_in(app, specialist)
    refused = step(client, task_id, "decline", reason="  ")
    assert refused.status_code == 422 and errors(refused) == ["Required."]
    too_long = step(client, task_id, "decline", reason="x" * 2001)
    assert too_long.status_code == 422 and "x" * 2001 in too_long.text  # kept for editing
    assert task_row(app, task_id)["state"] == "offered"
    assert step(client, task_id, "decline", reason="On leave Friday").status_code == 302
    row = task_row(app, task_id)
    assert (row["state"], row["assignee_id"]) == ("queued", None)
    assert row["events"][-1] == ("declined", {"reason": "On leave Friday", "specialist_id": specialist.id})


def test_a_stale_page_gets_a_flash_not_an_error(app, make, team):
    manager, specialist = team
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist)
    client = logged_in(app, specialist)
    assert step(client, task_id, "accept").status_code == 302
    again = step(client, task_id, "accept")
    assert again.status_code == 302
    page = client.get("/queue").text
    assert "Nothing was changed. Cannot accept a task that is in_progress" in page


def test_block_unblock_submit_and_resume(app, make, team):
    manager, specialist = team
    _, (task_id,) = make.brief(manager)
    act(app, tasks.claim, task_id, specialist)
    client = logged_in(app, specialist)
    assert "Mark blocked" in client.get("/queue").text
    assert step(client, task_id, "block").status_code == 422
    assert step(client, task_id, "block", reason="Need the logo files").status_code == 302
    page = client.get("/queue").text
    assert "Blocked:</strong> Need the logo files" in page and ">Unblock<" in page
    assert step(client, task_id, "unblock").status_code == 302
    bad = step(client, task_id, "submit", deliverable_url="ftp://files", note="first cut")
    assert bad.status_code == 422 and errors(bad) == ["Not a valid URL."]
    assert 'value="ftp://files"' in bad.text and "first cut</textarea>" in bad.text
    url = "https://drive.example/teaser-v1.mp4"
    assert step(client, task_id, "submit", deliverable_url=url, note="first cut").status_code == 302
    assert task_row(app, task_id)["deliverable_url"] == url
    review = client.get("/queue").text
    assert "Submitted work awaiting review" in review and url in review
    act(app, tasks.owner_action, task_id, manager, "request_changes", {"note": "Shorter intro"})
    page = client.get("/queue").text
    assert "Changes requested:</strong> Shorter intro" in page
    assert step(client, task_id, "resume").status_code == 302
    assert [e for e, _ in task_row(app, task_id)["events"]] == [
        "created", "claimed", "blocked", "unblocked", "submitted", "changes_requested",
        "revision_started"]
    assert task_row(app, task_id)["state"] == "in_progress"


# --- /available -----------------------------------------------------------------------------------

def test_available_lists_what_i_may_claim_most_urgent_first(app, make, team):
    manager, specialist = team
    make.brief(manager, title="Low one", priority="low")
    make.brief(manager, title="Urgent one", priority="urgent")
    make.brief(manager, title="Needs AE", skills=[{"skill": "after_effects", "min_level": 5}])
    page = logged_in(app, specialist).get("/available").text
    titles = re.findall(r"<h3>([^<]+)</h3>", page)
    assert titles == ["Urgent one 1", "Low one 1"]


def test_claim_and_a_lost_race(app, make, team):
    manager, specialist = team
    rival = make.specialist()
    _, (first, second) = make.brief(manager, n_tasks=2)
    client = logged_in(app, specialist)
    claimed = client.post(f"/tasks/{first}/claim", data={"csrf_token": client.token})
    assert claimed.headers["Location"] == f"/queue#task-{first}"
    assert task_row(app, first)["assignee_id"] == specialist.id
    act(app, tasks.claim, second, rival)  # the rival's click lands first
    lost = client.post(f"/tasks/{second}/claim", data={"csrf_token": client.token},
                       follow_redirects=True)
    assert lost.status_code == 200 and lost.request.path == "/available"
    assert "Someone else claimed it first" in lost.text
    assert task_row(app, second)["assignee_id"] == rival.id
    again = client.post(f"/tasks/{first}/claim", data={"csrf_token": client.token}, follow_redirects=True)
    assert "You already have this task" in again.text
    assert client.post("/tasks/99999/claim", data={"csrf_token": client.token}).status_code == 404


def test_a_full_queue_says_why_nothing_is_available(app, make):
    manager, specialist = make.user("manager"), make.specialist(capacity=1)
    _, ids = make.brief(manager, n_tasks=2)
    act(app, tasks.claim, ids[0], specialist)
    page = logged_in(app, specialist).get("/available").text
    assert "You cannot claim work right now: at capacity (1 of 1 tasks)" in page


# --- /profile -------------------------------------------------------------------------------------

def profile_form(client, **changes):
    data = {"csrf_token": client.token, "timezone": "Asia/Manila", "capacity": "3",
            "hours-mon": "09:00–17:00", "hours-tue": "22:00-06:00", "skill_rows": "3",
            "skill-0-name": "premiere_pro", "skill-0-level": "4"}
    return {k: v for k, v in (data | changes).items() if v is not None}


def stored_profile(app, user_id):
    with app.app_context():
        u = db.session.get(User, user_id)
        found = {"timezone": u.timezone, "hours": u.profile.working_hours, "capacity": u.profile.capacity,
                 "skills": {s.skill: s.level for s in u.profile.skills}}
        db.session.remove()
        return found


def test_save_hours_crossing_midnight_timezone_and_skills(app, team):
    _, specialist = team
    client = logged_in(app, specialist)
    page = client.get("/profile").text
    assert 'value="09:00–17:00"' in page and 'id="hours-sat"' in page
    saved = client.post("/profile", data=profile_form(
        client, timezone="Asia/Kolkata", **{"hours-tue": "22:00-06:00, 9:00-12:00",
                                            "skill-1-name": "after_effects", "skill-1-level": "2"}))
    assert saved.status_code == 302
    assert stored_profile(app, specialist.id) == {
        "timezone": "Asia/Kolkata", "capacity": 3,
        "hours": {"mon": [["09:00", "17:00"]], "tue": [["22:00", "06:00"], ["09:00", "12:00"]]},
        "skills": {"premiere_pro": 4, "after_effects": 2}}
    assert 'value="22:00–06:00, 09:00–12:00"' in client.get("/profile").text


def test_profile_errors_are_inline_and_keep_everything_typed(app, team):
    _, specialist = team
    before = stored_profile(app, specialist.id)
    client = logged_in(app, specialist)
    refused = client.post("/profile", data=profile_form(client, **{
        "timezone": "Mars/Olympus", "hours-wed": "10:00-10:00", "hours-thu": "9am to 5pm",
        "skill-0-level": "9", "skill-1-name": "Bad Name",
        "skill-1-level": "3", "skill-2-name": "premiere_pro", "skill-2-level": "2"}))
    assert refused.status_code == 422
    text = refused.text
    assert "Unknown timezone &#39;Mars/Olympus&#39;" in text
    assert re.search(r'id="hours-wed-error">Span .*is empty', text)
    assert re.search(r'id="hours-thu-error">Cannot read &#39;9am to 5pm&#39;', text)
    assert 'id="skill-0-level-error">Must be greater than or equal to 1' in text
    assert 'id="skill-1-name-error">Use a lowercase slug' in text
    assert 'id="skill-2-name-error">Listed twice' in text
    for typed in ('value="Mars/Olympus"', 'value="9am to 5pm"', 'value="10:00-10:00"',
                  'value="22:00-06:00"', 'value="Bad Name"'):
        assert typed in text, typed
    assert stored_profile(app, specialist.id) == before
    # hours_errors (shared with the API) checks overlaps once every day reads well
    overlap = client.post("/profile", data=profile_form(client, **{
        "hours-mon": "08:00-12:00, 11:00-15:00", "hours-sun": "22:00-07:00"}))
    assert re.search(r'id="hours-mon-error">Span .*overlaps', overlap.text)
    assert 'value="22:00-07:00"' in overlap.text
    assert stored_profile(app, specialist.id) == before


def test_capacity_stays_an_admins_setting(app, team):
    _, specialist = team
    client = logged_in(app, specialist)
    assert re.search(r'id="capacity" name="capacity" value="3"[^>]*readonly', client.get("/profile").text)
    out_of_bounds = client.post("/profile", data=profile_form(client, capacity="51"))
    assert 'id="capacity-error">Must be greater than or equal to 0 and less than or equal to 50' in out_of_bounds.text
    tampered = client.post("/profile", data=profile_form(client, capacity="9"))
    assert tampered.status_code == 422
    assert 'id="capacity-error">Only an admin can change capacity.' in tampered.text
    assert stored_profile(app, specialist.id)["capacity"] == 3


def test_book_time_off_in_my_timezone(app, team):
    _, specialist = team
    client = logged_in(app, specialist)
    start = pendulum.now("Asia/Manila").add(days=10).replace(hour=9, minute=0, second=0, microsecond=0)
    data = {"csrf_token": client.token, "timeoff-starts_at": start.format("YYYY-MM-DDTHH:mm"),
            "timeoff-ends_at": start.add(days=2).format("YYYY-MM-DDTHH:mm"),
            "timeoff-reason": "Family <wedding>"}
    assert client.post("/profile/time-off", data=data).status_code == 302
    page = client.get("/profile").text
    assert start.format("ddd D MMM YYYY, HH:mm") + " UTC+8" in page and "Family &lt;wedding&gt;" in page
    with app.app_context():
        booked = db.session.get(User, specialist.id).profile.time_off[0].starts_at
        db.session.remove()
    assert booked == start
    overlap = client.post("/profile/time-off", data=data | {"timeoff-reason": "again"})
    assert overlap.status_code == 422 and "Overlaps time off" in overlap.text
    assert 'value="again"' in overlap.text
    backwards = client.post("/profile/time-off", data=data | {
        "timeoff-ends_at": start.subtract(days=1).format("YYYY-MM-DDTHH:mm")})
    assert 'id="timeoff-ends_at-error">Must be after starts_at.' in backwards.text
    blank = client.post("/profile/time-off", data={"csrf_token": client.token, "timeoff-ends_at": "soon"})
    assert 'id="timeoff-starts_at-error">Required.' in blank.text
    assert 'id="timeoff-ends_at-error">Use a date and time' in blank.text
