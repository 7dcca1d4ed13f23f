"""Brief templates: the API, posting with relative due dates, and the scheduler job across a
simulated month (`broker templates post --at`), a DST change included, each period once."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from tasks import templates
from tasks.loop_models import BriefTemplate, TemplatePost
from tasks.models import Brief
from tests.factories import count_rows

NY = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")


def body(**extra):
    return {"name": "Weekly social calendar", "checklist": ["Brand guide", "Buffer access"],
            "brief": {"title": "Social calendar", "objective": "awareness",
                      "success_metric": "5 posts a week",
                      "tasks": [{"title": "Plan posts", "work_type": "copywriting", "estimate_hours": 3,
                                 "due_in_working_days": 3},
                                {"title": "Schedule posts", "work_type": "content_scheduling",
                                 "estimate_hours": 1, "after": [0]}]}, **extra}


def test_templates_are_kept_posted_and_link_back(client, app, make):
    m = make.user("manager", timezone="America/New_York")
    other = make.user("manager")
    r = client.post("/api/v1/templates", headers=m.headers,
                    json=body(schedule={"every": "week", "weekday": "mon", "at": "09:00"}))
    assert r.status_code == 201, r.json
    template_id = r.json["id"]
    assert client.get("/api/v1/templates", headers=other.headers).json == []
    assert client.get(f"/api/v1/templates/{template_id}", headers=other.headers).status_code == 403
    assert client.post(f"/api/v1/templates/{template_id}/post", headers=other.headers).status_code == 403
    r = client.post(f"/api/v1/templates/{template_id}/post", headers=m.headers)
    assert r.status_code == 201, r.json
    brief = r.json
    assert brief["template_id"] == template_id
    assert "Checklist:\n- Brand guide\n- Buffer access" in brief["description"]
    plan, schedule = brief["tasks"]
    assert (plan["state"], schedule["state"]) == ("queued", "pending")
    due = datetime.fromisoformat(plan["due_at"]).astimezone(NY)
    posted = datetime.fromisoformat(brief["created_at"]).astimezone(NY)
    assert due.weekday() < 5 and (due.hour, due.minute) == (posted.hour, posted.minute)
    assert 3 <= (due.date() - posted.date()).days <= 5
    assert schedule["due_at"] is None
    listed = client.get(f"/api/v1/templates/{template_id}", headers=m.headers).json
    assert listed["posted"][0]["brief_id"] == brief["id"] and listed["posted"][0]["period"] is None
    r = client.put(f"/api/v1/templates/{template_id}", headers=m.headers, json=body(name="Renamed"))
    assert r.status_code == 200 and r.json["name"] == "Renamed" and r.json["schedule"] is None
    assert client.delete(f"/api/v1/templates/{template_id}", headers=m.headers).status_code == 204
    assert count_rows(app, Brief) == 1  # briefs posted from it stay


def test_bad_templates_are_refused_field_by_field_and_nothing_is_stored(client, app, make):
    m = make.user("manager")
    cycle = body()
    cycle["brief"]["tasks"][0]["after"] = [1]
    bad = [
        (body(schedule={"every": "fortnight", "at": "09:00"}), "every"),
        (body(schedule={"every": "week", "at": "09:00"}), "weekday"),
        (body(schedule={"every": "month", "day": 31, "at": "09:00"}), "day"),
        (body(schedule={"every": "week", "weekday": "mon", "at": "25:00"}), "at"),
        (cycle, "circle"),
        (body(checklist=["x" * 301]), "checklist"),
        ({**body(), "brief": {**body()["brief"], "tasks": [{"title": "T", "work_type": "juggling",
                                                            "estimate_hours": 1}]}}, "juggling"),
        ({**body(), "brief": {**body()["brief"], "tasks": [{"title": "T", "work_type": "design",
                                                            "estimate_hours": 1,
                                                            "due_at": "2030-01-01T00:00:00Z"}]}}, "due_at"),
    ]
    for json, words in bad:
        r = client.post("/api/v1/templates", headers=m.headers, json=json)
        assert r.status_code == 422, (words, r.json)
        assert words in str(r.json["errors"]), (words, r.json)
    assert count_rows(app, BriefTemplate) == 0
    s = make.specialist()
    assert client.post("/api/v1/templates", headers=s.headers, json=body()).status_code == 403


def _scheduled(app, make, schedule, since):
    m = make.user("manager", timezone="America/New_York")
    with app.app_context():
        owner = db.session.get(User, m.id)
        template = templates.create_template(owner, body(schedule=schedule), since)
        return template.id


def _run_every(app, start, end, step):
    runner = app.test_cli_runner()
    at = start
    while at <= end:
        result = runner.invoke(args=["templates", "post", "--at", at.isoformat()])
        assert result.exit_code == 0, result.output
        at += step


def _posts(app, template_id):
    with app.app_context():
        return [(p.period, p.posted_at.astimezone(NY)) for p in db.session.scalars(
            select(TemplatePost).where(TemplatePost.template_id == template_id).order_by(TemplatePost.id))]


def test_a_weekly_template_posts_once_a_week_across_a_month_with_a_dst_change(app, make):
    # New York leaves daylight time on Sunday 1 November 2026: 09:00 is 13:00 UTC before, 14:00 after.
    since = datetime(2026, 10, 14, 12, tzinfo=UTC)
    template_id = _scheduled(app, make, {"every": "week", "weekday": "mon", "at": "09:00"}, since)
    _run_every(app, since, datetime(2026, 11, 17, 12, tzinfo=UTC), timedelta(hours=1))
    posts = _posts(app, template_id)
    assert [period for period, _ in posts] == ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    # Each one at the first run from 09:00 local on a Monday, whichever side of the change.
    for _, at in posts:
        assert (at.weekday(), at.hour, at.minute) == (0, 9, 0), at
    assert [at.utcoffset() for _, at in posts[1:3]] == [timedelta(hours=-4), timedelta(hours=-5)]
    with app.app_context():
        assert db.session.scalar(select(Brief.created_at).order_by(Brief.id)).tzinfo is not None


def test_a_monthly_template_across_the_spring_dst_gap_and_a_downtime_catches_up_once(app, make):
    # 02:30 on 8 March 2026 does not exist in New York (clocks jump from 02:00 to 03:00).
    since = datetime(2026, 1, 1, tzinfo=UTC)
    template_id = _scheduled(app, make, {"every": "month", "day": 8, "at": "02:30"}, since)
    _run_every(app, datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC), timedelta(minutes=30))
    posts = _posts(app, template_id)
    # the first run (7 March) caught up on February's missed post, once; March posted on the 8th
    assert [p for p, _ in posts] == ["2026-02", "2026-03"]
    # the skipped 02:30 falls after the jump: 03:30 daylight time, the same instant as 02:30 standard
    assert posts[1][1].isoformat() == "2026-03-08T03:30:00-04:00"
    # three months of downtime: the next run posts the latest period once, not three times
    _run_every(app, datetime(2026, 6, 20, tzinfo=UTC), datetime(2026, 6, 21, tzinfo=UTC), timedelta(hours=6))
    assert [p for p, _ in _posts(app, template_id)] == ["2026-02", "2026-03", "2026-06"]


def test_two_schedulers_racing_post_a_period_once(app, make):
    from tasks.templates import _post_period
    since = datetime(2026, 10, 14, 12, tzinfo=UTC)
    template_id = _scheduled(app, make, {"every": "week", "weekday": "mon", "at": "09:00"}, since)
    now = datetime(2026, 10, 19, 14, tzinfo=UTC)
    with app.app_context():
        assert _post_period(template_id, "2026-W43", now) is True
        assert templates.post_scheduled(now) == 0
    # A racing scheduler that read "not posted yet" before this one committed: its insert of the
    # same (template, period) fails on the unique key and its brief is rolled back with it.
    with app.app_context():
        from sqlalchemy.exc import IntegrityError

        from tasks.services import build_brief
        owner = db.session.get(BriefTemplate, template_id).owner
        brief = build_brief(owner, templates.brief_body(db.session.get(BriefTemplate, template_id),
                                                        owner.timezone, now), now)
        db.session.flush()
        db.session.add(TemplatePost(template_id=template_id, brief_id=brief.id, period="2026-W43",
                                    posted_at=now))
        try:
            db.session.commit()
            raised = False
        except IntegrityError:
            db.session.rollback()
            raised = True
        assert raised
    assert count_rows(app, Brief) == 1 and count_rows(app, TemplatePost) == 1
