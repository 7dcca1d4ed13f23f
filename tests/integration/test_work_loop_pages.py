"""The work loop's pages without a browser: threads escaped, bad input refused with nothing
stored, a brief saved as a template, scheduled and posted in one click from /templates."""
from sqlalchemy import select

from broker.extensions import db
from tasks import services
from tasks.loop_models import BriefTemplate, TaskComment, TemplatePost
from tasks.models import Brief, Task
from tests.factories import count_rows, csrf_token, logged_in


def form(client, data, page="/templates"):
    return {**data, "csrf_token": csrf_token(client, page)}


def test_comments_are_escaped_with_links_and_too_long_ones_are_refused(app, make):
    m = make.user("manager")
    brief_id, (task_id,) = make.brief(m)
    client = logged_in(app, m)
    page = f"/briefs/{brief_id}"
    r = client.post(f"/tasks/{task_id}/comments", data=form(client, {
        "body": "<script>alert(1)</script> see https://example.com/a?b=1&c=2.", "next": page}, page))
    assert r.status_code == 302 and r.location.endswith(page)
    html = client.get(page).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"' in html
    client.post(f"/tasks/{task_id}/comments", data=form(client, {"body": "x" * 100_000}, page))
    assert count_rows(app, TaskComment) == 1
    r = client.post(f"/tasks/{task_id}/comments", data=form(client, {"body": "hi", "next": "//evil.example"}, page))
    assert r.location == "/"  # only paths of this site


def test_a_rating_of_6_from_the_page_changes_nothing(app, make):
    m = make.user("manager")
    s = make.specialist()
    brief_id, (task_id,) = make.brief(m)
    from broker.people.models import User
    from broker.timeutil import utcnow
    with app.app_context():
        services.claim(task_id, db.session.get(User, s.id), utcnow())
        services.assignee_action(task_id, "submit", db.session.get(User, s.id), utcnow(),
                                 {"deliverable_url": "https://x.example/a"})
    client = logged_in(app, m)
    page = f"/briefs/{brief_id}"
    client.post(f"/tasks/{task_id}/decide", data=form(client, {"action": "approve", "rating": "6"}, page))
    with app.app_context():
        assert db.session.get(Task, task_id).state == "submitted"
    client.post(f"/tasks/{task_id}/decide", data=form(client, {"action": "request_changes",
                                                               "items": "One\n\nTwo\n"}, page))
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert (task.state, task.revision, task.events[-1].details["items"]) == (
            "changes_requested", 1, ["One", "Two"])


def test_save_a_brief_as_a_template_schedule_it_and_post_in_one_click(app, make):
    m = make.user("manager")
    brief_id, _ = make.brief(m, n_tasks=2)
    client = logged_in(app, m)
    r = client.post(f"/briefs/{brief_id}/template", data=form(client, {"name": "Weekly cut"}, f"/briefs/{brief_id}"))
    assert r.status_code == 302
    with app.app_context():
        template = db.session.scalar(select(BriefTemplate))
        template_id = template.id
        assert template.name == "Weekly cut" and len(template.brief["tasks"]) == 2
        assert template.brief["tasks"][0]["due_in_working_days"] >= 1
    assert "Weekly cut" in client.get("/templates").text
    client.post(f"/templates/{template_id}/schedule", data=form(client, {
        "every": "month", "day": "31", "at": "09:00", "checklist": "Brand guide"}))
    with app.app_context():
        assert db.session.get(BriefTemplate, template_id).schedule is None  # refused: day 31
    client.post(f"/templates/{template_id}/schedule", data=form(client, {
        "every": "week", "weekday": "fri", "at": "16:30", "checklist": "Brand guide\nAssets folder"}))
    with app.app_context():
        template = db.session.get(BriefTemplate, template_id)
        assert template.schedule["weekday"] == "fri" and template.checklist == ["Brand guide", "Assets folder"]
    r = client.post(f"/templates/{template_id}/post", data=form(client, {}))
    assert r.status_code == 302 and "/briefs/" in r.location
    assert count_rows(app, Brief) == 2 and count_rows(app, TemplatePost) == 1
    assert "every week on fri at 16:30" in client.get("/templates").text
