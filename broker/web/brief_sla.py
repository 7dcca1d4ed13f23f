"""What the brief page shows of each task's SLA and routing, as plain words and instants: the
targets with status, due instant and relative time, why one is at risk, the assignee's local time
now, and the routing decision in one sentence (its details stay folded on the page)."""
from datetime import datetime

from broker.shown_times import relative, shown_time
from sla.queries import sla_views

TARGETS = (("ack", "Acknowledgement"), ("turnaround", "Turnaround"), ("revision", "Revision"))
STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "breached": "breached",
                "met": "met", "paused": "paused", "stopped": "stopped"}


def why_words(view: dict, tz: str) -> str | None:
    """Why a target is at risk, in words."""
    why = view.get("why") or {}
    if why.get("reason") == "share_elapsed":
        return f"{round(why['share_elapsed'] * 100)} % of its time has passed"
    if why.get("reason") == "forecast_late":
        return (f"the assignee's hours put the finish at {shown_time(why['forecast_finish'], tz)}, "
                "after the due time")
    return None


def target_rows(sla: dict, tz: str, now: datetime) -> list[dict]:
    """One row per target of a task: label, status chip, due instant and relative time, why."""
    rows = []
    for key, label in TARGETS:
        view = sla.get(key)
        if not view:
            continue
        status = view["status"]
        open_ = status in ("on_track", "at_risk", "breached") and not view.get("ended_at")
        rows.append({
            "label": label, "status": status,
            "status_words": "done late" if status == "breached" and not open_
            else STATUS_WORDS.get(status, status),
            "due": shown_time(view["due_at"], tz),
            "relative": relative(view["due_at"], now, "overdue") if open_ else "",
            "why": why_words(view, tz), "set_by": view.get("set_by"),
            "policy_due": shown_time(view["policy_due_at"], tz) if view.get("policy_due_at") else None,
        })
    return rows


def routing_sentence(routing: dict | None) -> str | None:
    """The latest routing decision in one sentence; the page folds the full explanation below."""
    if not routing:
        return None
    if routing.get("outcome") != "offered":
        return f"Waiting: {routing.get('reason') or 'no decision yet'}."
    win = routing.get("winner") or {}
    n = routing.get("considered", 0)
    return (f"Offered to {win.get('name')} ({win.get('timezone')}), the best of {n} eligible "
            f"specialist{'s' if n != 1 else ''}: {win.get('finish', '').replace('projected ', '')}.")


def task_panels(tasks, viewer_tz: str, now: datetime) -> dict[int, dict]:
    """Per task id: SLA rows, the assignee's local time now, and the routing sentence."""
    views = sla_views(list(tasks), now)
    panels = {}
    for task in tasks:
        assignee = task.assignee
        panels[task.id] = {
            "targets": target_rows(views.get(task.id) or {}, viewer_tz, now),
            "assignee_now": shown_time(now, assignee.timezone) if assignee else None,
            "routing_sentence": routing_sentence(task.routing),
        }
    return panels
