"""Reading the work loop's forms: review decisions and template schedules (one set of rules with
the API: its schemas load what the forms give)."""
from marshmallow import ValidationError

from broker.api.loop.schemas import ScheduleSchema
from broker.api.work.schemas import ApproveSchema, RequestChangesSchema

DECISIONS = {"approve": ApproveSchema, "request_changes": RequestChangesSchema}


def _first_error(messages) -> str:
    if isinstance(messages, dict):
        return next((_first_error(v) for v in messages.values()), "")
    if isinstance(messages, list):
        return next((_first_error(v) for v in messages), "")
    return str(messages)


def review_fields(form) -> tuple[str, dict, str | None]:
    """(action, details, problem) of the review form: items one per line, rating 1-5 or none."""
    action = form.get("action")
    if action not in DECISIONS:
        return action, {}, "Choose approve or request changes."
    data: dict = {"note": (form.get("note") or "").strip() or None}
    if action == "request_changes":
        data["items"] = [line.strip() for line in (form.get("items") or "").splitlines() if line.strip()]
    elif form.get("rating"):
        data["rating"] = int(form["rating"]) if form["rating"].isdigit() else form["rating"]
    try:
        return action, DECISIONS[action]().load(data), None
    except ValidationError as exc:
        return action, {}, _first_error(exc.messages)


def schedule_from_form(form) -> tuple[dict | None, list, str | None]:
    """(schedule or None, checklist, problem) of a template's schedule form."""
    checklist = [line.strip()[:300] for line in (form.get("checklist") or "").splitlines() if line.strip()]
    if len(checklist) > 30:
        return None, [], "A checklist holds at most 30 items."
    every = form.get("every") or ""
    if not every:
        return None, checklist, None
    data = {"every": every, "at": form.get("at") or ""}
    if every == "week" and form.get("weekday"):
        data["weekday"] = form["weekday"]
    elif every == "month" and form.get("day"):
        data["day"] = int(form["day"]) if form["day"].isdigit() else form["day"]
    try:
        return ScheduleSchema().load(data), checklist, None
    except ValidationError as exc:
        return None, [], _first_error(exc.messages)


def submit_fields(form, rows: int = 3) -> dict:
    """The submit form's deliverables (URL and label per row; the first row's URL is
    `deliverable_url`) and note, as SubmitSchema loads them."""
    deliverables = []
    for n in range(rows):
        url = (form.get("deliverable_url" if n == 0 else f"deliverable-{n}-url") or "").strip()
        label = (form.get(f"deliverable-{n}-label") or "").strip() or None
        if url:
            deliverables.append({"url": url, "label": label})
    data: dict = {"deliverables": deliverables} if deliverables else {}
    if len(deliverables) == 1 and deliverables[0]["label"] is None:
        data = {"deliverable_url": deliverables[0]["url"]}  # errors then name the field as before
    note = (form.get("note") or "").strip()
    if note:
        data["note"] = note
    return data
