"""The work loop in the demo: a weekly social calendar template (scheduled Mondays 09:00 in its
owner's timezone, with a checklist), one brief posted from it whose scheduling task waits for the
copy, and a short thread with a mention on a task in progress."""
from datetime import datetime, timedelta

from sqlalchemy import select

from broker.extensions import db
from tasks import lifecycle, loop_services, templates
from tasks.models import Task

OWNER = "maya.chen"
SOCIAL_CALENDAR = {
    "name": "Weekly social calendar",
    "checklist": ["Brand guide (current edition)", "Buffer access for the brand accounts",
                  "Next week's product news and event dates"],
    "schedule": {"every": "week", "weekday": "mon", "day": None, "at": "09:00"},
    "brief": {
        "title": "Social calendar for the week", "objective": "awareness", "campaign": "Always on",
        "description": "Five LinkedIn and five Instagram posts for the week, on brand.",
        "success_metric": "10 posts scheduled by Wednesday, engagement rate at or above 3%",
        "tasks": [
            {"title": "Write the week's post copy", "work_type": "copywriting", "priority": "normal",
             "estimate_hours": 3.0, "skills": None, "needs_manager_overlap": False,
             "due_in_working_days": 2, "after": []},
            {"title": "Design the post images", "work_type": "design", "priority": "normal",
             "estimate_hours": 4.0, "skills": None, "needs_manager_overlap": False,
             "due_in_working_days": 2, "after": []},
            {"title": "Schedule the posts in Buffer", "work_type": "content_scheduling",
             "priority": "normal", "estimate_hours": 1.0, "skills": None,
             "needs_manager_overlap": False, "due_in_working_days": 3, "after": [0, 1]},
        ],
    },
}


def add_work_loop_demo(users: dict, now: datetime):
    """Template, one post from it, and a thread; called once by `broker demo`."""
    owner = users[OWNER]
    posted = now - timedelta(hours=2)  # this week's post went out this morning
    template = templates.create_template(owner, SOCIAL_CALENDAR, posted)
    templates.post_template(owner, template.id, posted)
    task = db.session.scalar(select(Task).where(Task.state == lifecycle.IN_PROGRESS,
                                                Task.assignee_id.is_not(None)).order_by(Task.id))
    if task is None:
        return
    manager, specialist = task.brief.owner, task.assignee
    loop_services.add_comment(task.id, specialist, f"@{manager.name} is the logo lock-up in the "
                              "brand guide the final one? https://brand.example.com/guide", now)
    loop_services.add_comment(task.id, manager, f"Yes, use that one, @{specialist.name}.", now)
