"""Brief and task commands: each one checks the rules, does the work and owns the transaction."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from broker.bulk import Pipeline, update_rows
from broker.errors import Conflict, InvalidInput, NotAllowed, NotFound, StaleRow
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile, User
from broker.timeutil import to_utc
from broker.unit_of_work import commit, transaction
from tasks import lifecycle
from tasks.eligibility import lasting_refusal, momentary_refusal
from tasks.models import Brief, Task, TaskEvent, WorkType
from tasks.queries import candidate, handed_off_by
from tasks.signals import RecordedTask, StoredEvent, task_event_recorded, task_events_recorded
from tasks.vocabulary import DEFAULT_PRIORITY


def record_event(task: Task, type_: str, actor: User | None, at: datetime,
                 from_state: str | None, to_state: str | None, details: dict | None = None):
    """Append one history line to a task and tell subscribers, inside the caller's transaction."""
    event = TaskEvent(type=type_, from_state=from_state, to_state=to_state,
                      actor_id=actor.id if actor else None, at=at, details=details or {})
    event.task = task  # appends to task.events only if loaded: no query per event in bulk rounds
    db.session.add(event)
    task_event_recorded.send(task, event=event)
    return event


def work_type_defaults() -> dict[str, list]:
    """Map of work type slug to its default skills."""
    return {w.slug: w.default_skills for w in db.session.scalars(select(WorkType))}


def _task_errors(index_tasks, now: datetime, catalogue: dict) -> dict:
    errors: dict = {}
    for index, spec in index_tasks:
        problems = {}
        if spec["work_type"] not in catalogue:
            problems["work_type"] = [
                f"Unknown work type {spec['work_type']!r}; known: {', '.join(sorted(catalogue))}."
            ]
        if spec.get("due_at") is not None and spec["due_at"] <= now:
            problems["due_at"] = ["Due date is in the past."]
        if problems:
            errors[index] = problems
    return errors


@transaction
def create_brief(owner: User, data: dict, now: datetime) -> Brief:
    """Create a brief with its tasks, queued (or pending while they wait for siblings, `after`),
    each with a 'created' event."""
    brief = build_brief(owner, data, now)
    commit(expire=False)
    return brief


def build_brief(owner: User, data: dict, now: datetime) -> Brief:
    """create_brief's work inside the caller's transaction (a template's post adds its record)."""
    from tasks.dependencies import after_errors
    from tasks.loop_services import link_prerequisites
    permissions.require(owner, permissions.POST_BRIEFS,
                        "Only managers post briefs: every brief needs an accountable internal owner.")
    if not data.get("tasks"):
        raise InvalidInput("A brief needs at least one task.", {"tasks": ["Add at least one task."]})
    catalogue = work_type_defaults()
    errors = _task_errors(enumerate(data["tasks"]), now, catalogue)
    for index, problems in after_errors(data["tasks"]).items():
        errors.setdefault(index, {}).update(problems)
    if errors:
        raise InvalidInput("Some tasks are not valid.", {"tasks": errors})
    brief = Brief(owner=owner, created_at=now, **{k: v for k, v in data.items() if k != "tasks"})
    for spec in data["tasks"]:
        task = Task(created_at=now, **_task_fields(spec, catalogue))
        brief.tasks.append(task)
        details = {"priority": task.priority, "work_type": task.work_type}
        if spec.get("after"):
            details["after"] = [data["tasks"][i]["title"] for i in spec["after"]]
        record_event(task, "created", owner, now, None, task.state, details)
    db.session.add(brief)
    link_prerequisites(brief.tasks, data["tasks"])
    return brief


def _task_fields(spec: dict, catalogue: dict) -> dict:
    fields = dict(spec)
    if fields.get("due_at") is not None:  # as stored, since the new task is returned unreloaded
        fields["due_at"] = to_utc(fields["due_at"])
    if fields.get("skills") is None:
        fields["skills"] = [dict(s) for s in catalogue[spec["work_type"]]]
    fields.setdefault("priority", DEFAULT_PRIORITY)
    fields["state"] = lifecycle.PENDING if fields.pop("after", None) else lifecycle.QUEUED
    return fields


def _locked_task(task_id: int) -> Task:
    """Load a task and hold its row lock (PostgreSQL) until the transaction ends."""
    task = db.session.scalar(select(Task).where(Task.id == task_id).with_for_update()
                             .execution_options(populate_existing=True))
    if task is None:
        raise NotFound(f"Task {task_id} does not exist.")
    return task


StaleTask = StaleRow  # a lost race on a task (the pages tell it apart from other refusals)


def _transition(task: Task, action: str, actor: User | None, now: datetime, details: dict):
    source = task.state
    task.state = lifecycle.next_state(source, action)
    record_event(task, lifecycle.ACTIONS[action].event, actor, now, source, task.state, details)
    if source == lifecycle.OFFERED:  # however an offer ends, its expiry goes with it, and
        task.offer_expires_at = None  # unless it was accepted, so does its specialist
        if task.state != lifecycle.IN_PROGRESS:
            task.assignee_id = None


def _require_assignee(task: Task, actor: User, verb: str):
    if not permissions.may_work_on(actor, task.assignee_id):
        raise NotAllowed(f"Only the task's assignee can {verb} it.")


def _require_decider(task: Task, actor: User, decision: str):
    """The owner's decisions: approve, request_changes, cancel, change (permissions.may_decide)."""
    if not permissions.may_decide(actor, task.brief.owner_id, decision):
        verb = decision.replace("_", " ")
        raise NotAllowed(f"Only the manager who owns the brief can {verb} this task.")


def _require_able(task: Task, specialist: User, now: datetime, refused: str):
    """Refuse a specialist who cannot take `task` at `now`: 403 for lasting reasons (skills,
    inactive), 409 for passing ones (capacity, time off). Holds the profile's row lock, so one
    specialist's parallel claims or offers cannot overrun capacity."""
    db.session.execute(select(SpecialistProfile.user_id)
                       .where(SpecialistProfile.user_id == specialist.id).with_for_update())
    who = candidate(specialist)
    lasting = lasting_refusal(task.skills, who)
    if lasting:
        raise NotAllowed(f"{refused}: {lasting}.")
    momentary = momentary_refusal(who, now)
    if momentary:
        raise Conflict(f"{refused} now: {momentary}.")


@transaction
def claim(task_id: int, actor: User, now: datetime) -> Task:
    """A specialist takes a queued task; of two racing claims exactly one wins."""
    permissions.require(actor, permissions.TAKE_WORK, "Only specialists claim tasks.")
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, "claim")
    if db.session.scalar(select(handed_off_by(actor.id).where(TaskEvent.task_id == task.id).exists())):
        raise NotAllowed("You handed this task off; it waits for someone else.")
    _require_able(task, actor, now, "You cannot claim this task")
    _transition(task, "claim", actor, now, {})
    task.assignee_id, task.accepted_at = actor.id, now
    commit()
    return task


@transaction
def offer(task_id: int, specialist: User, expires_at: datetime, now: datetime,
          explanation: dict | None = None) -> Task:
    """Reserve a queued task for one eligible specialist until `expires_at` (used by routing)."""
    if expires_at <= now:
        raise InvalidInput("An offer must expire after it is made.",
                           {"expires_at": ["Must be later than now."]})
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, "offer")
    _require_able(task, specialist, now, f"{specialist.name} cannot be offered this task")
    _transition(task, "offer", None, now,
                {"specialist_id": specialist.id, "expires_at": expires_at.isoformat(),
                 "summary": (explanation or {}).get("summary")})
    task.assignee_id, task.offer_expires_at = specialist.id, expires_at
    if explanation:
        task.routing = explanation
    commit()
    return task


@dataclass(frozen=True)
class RoutedOffer:
    """One offer decided by a routing round."""

    task: RecordedTask  # the queued task as the round read it, its assignee the one routed to
    version: int        # its version as read: the write checks nobody changed it since
    expires_at: datetime
    note: dict  # the decision's explanation, kept on the task
    auto_accept: bool = False


def place_offers(chunks: Iterable[list[RoutedOffer]], now: datetime) -> list[RecordedTask]:
    """Offer each task to its routed specialist, inside the routing round's transaction.

    The round holds the locks (queued rows, specialists' profiles) and has checked eligibility
    and capacity for the whole set, from the rows it read; a task changed since (its version
    moved) makes the round a Conflict. Specialists who auto-accept go straight to in_progress.
    Each chunk of offers is written as one INSERT of events and one UPDATE (broker.bulk; the
    ORM would send one versioned UPDATE per task and track every event) as soon as it comes,
    sent without waiting for the server (bulk.Pipeline; the round words the next chunk
    meanwhile); subscribers hear of all the events at once (task_events_recorded).
    """
    placed, written = {}, []
    with Pipeline(db.session) as writes:  # the server writes a chunk as the next is prepared
        for offers in chunks:
            rows, events = [], []
            for offer in offers:
                rows.append(_offer_row(offer, now, events))
                placed[offer.task.id] = offer.task
            writes.insert_with_ids(TaskEvent.__table__, [row for _, row in events])
            writes.update_rows(Task.__table__, rows, match={"id": "b_id", "version": "b_version"})
            written.append((rows, events))
    if writes.counts != [len(rows) for rows, _ in written]:
        raise Conflict("Tasks changed while the routing round ran; the round was not written.")
    recorded = [(placed[task_id], StoredEvent(id=id_, **row))
                for (_, events), ids in zip(written, writes.ids)
                for (task_id, row), id_ in zip(events, ids, strict=True)]
    if recorded:
        with db.session.no_autoflush:
            task_events_recorded.send(db.session(), recorded=recorded)
    return list(placed.values())


def _offer_row(routed: RoutedOffer, now: datetime, events: list) -> dict:
    """The row's new values and its events (appended to `events`) for one offer."""
    task_id, specialist_id = routed.task.id, routed.task.assignee_id
    values = {"state": lifecycle.OFFERED, "assignee_id": specialist_id,
              "offer_expires_at": routed.expires_at, "accepted_at": None,
              "routing": routed.note, "version": routed.version + 1}
    steps = [("offer", {"specialist_id": specialist_id,
                        "expires_at": routed.expires_at.isoformat(),
                        "summary": routed.note.get("summary")})]
    if routed.auto_accept:
        values.update(state=lifecycle.IN_PROGRESS, offer_expires_at=None, accepted_at=now)
        steps.append(("accept", {"specialist_id": specialist_id, "auto_accept": True}))
    state = lifecycle.QUEUED
    for action, details in steps:
        target = lifecycle.next_state(state, action)
        events.append((task_id, {"task_id": task_id, "type": lifecycle.ACTIONS[action].event,
                                 "from_state": state, "to_state": target, "actor_id": None,
                                 "at": now, "details": details}))
        state = target
    return {"b_id": task_id, "b_version": routed.version, **values}


def note_waiting(notes: dict[int, dict]):
    """Store why queued tasks are still waiting (no state change, so no version bump)."""
    update_rows(db.session, Task.__table__, [{"task_id": k, "routing": v} for k, v in notes.items()],
                match={"id": "task_id"})


@transaction
def accept(task_id: int, actor: User, now: datetime) -> Task:
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, "accept")
    _require_assignee(task, actor, "accept")
    _transition(task, "accept", actor, now, {})
    task.accepted_at = now
    commit()
    return task


@transaction
def decline(task_id: int, actor: User, now: datetime, reason: str | None = None) -> Task:
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, "decline")
    _require_assignee(task, actor, "decline")
    _transition(task, "decline", actor, now, {"reason": reason, "specialist_id": actor.id})
    commit()
    return task


@transaction
def expire_offers(now: datetime) -> int:
    """Put every offer whose time has run out back in the queue; returns how many."""
    ids = db.session.scalars(
        select(Task.id).where(Task.state == lifecycle.OFFERED, Task.offer_expires_at <= now)
    ).all()
    expired = 0
    for task_id in ids:
        task = _locked_task(task_id)
        if task.state != lifecycle.OFFERED or task.offer_expires_at > now:
            db.session.rollback()  # accepted or declined meanwhile
            continue
        _transition(task, "expire", None, now, {"specialist_id": task.assignee_id})
        commit()
        expired += 1
    return expired


def withdraw_offer(task: Task, now: datetime, reason: str) -> Task:
    """Take back an offer from its specialist and queue the task again; the caller holds the row
    lock and commits (the SLA sweep does this on an acknowledgement breach)."""
    _transition(task, "withdraw", None, now, {"specialist_id": task.assignee_id, "reason": reason})
    return task


@transaction
def assignee_action(task_id: int, action: str, actor: User, now: datetime, details: dict) -> Task:
    """block, unblock, submit or resume: steps only the assignee takes."""
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, action)
    _require_assignee(task, actor, action)
    if action == "submit":
        details = {**details, "round": task.revision + 1}
    _transition(task, action, actor, now, details)
    if action == "submit":
        task.deliverable_url = details["deliverable_url"]
        task.first_submitted_at = task.first_submitted_at or now
    commit()
    return task


@transaction
def owner_action(task_id: int, action: str, actor: User, now: datetime, details: dict) -> Task:
    """approve (with an optional 1-5 rating), request_changes (a note and items: one more
    revision round) or cancel: decisions of the manager who owns the brief. Approving a task
    releases the siblings that waited for it."""
    from tasks.loop_services import after_owner_decision
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, action)
    _require_decider(task, actor, action)
    if action == "request_changes":
        task.revision += 1
        details = {**details, "round": task.revision}
    if action == "approve" and details.get("rating") is not None:
        task.rating = details["rating"]
    _transition(task, action, actor, now, {k: v for k, v in details.items() if v not in (None, [])})
    if task.state in lifecycle.CLOSED:
        task.closed_at = now
    after_owner_decision(task, now)
    commit()
    return task


@transaction
def update_task(task_id: int, actor: User, changes: dict, now: datetime) -> Task:
    """Change priority, due date or estimate of an open task, recorded as an event."""
    task = _locked_task(task_id)
    _require_decider(task, actor, "change")
    if not task.is_open:
        raise lifecycle.IllegalTransition(f"The task is {task.state} and closed; it cannot be changed.")
    if changes.get("due_at") is not None and changes["due_at"] <= now:
        raise InvalidInput("Due date is in the past.", {"due_at": ["Due date is in the past."]})
    diff = {k: [_plain(getattr(task, k)), _plain(v)] for k, v in changes.items() if getattr(task, k) != v}
    if diff:
        for key, value in changes.items():
            setattr(task, key, value)
        record_event(task, "updated", actor, now, task.state, task.state, {"changes": diff})
    commit()
    return task


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value
