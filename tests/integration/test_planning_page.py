"""/planning through Flask's test client: who may use it, a run worked in the background thread
and polled as JSON, its charts and tables, and bad input answered field by field."""
import re

import pytest

from broker.extensions import db
from broker.planning import runs
from broker.planning.models import PlanningRun
from broker.planning.scenario import SCENARIOS
from tests.factories import csrf_token, logged_in

WAIT = 120  # seconds a small run may take on a busy machine


@pytest.fixture
def manager(app, make):
    return logged_in(app, make.user("manager"))


def start(client, **fields):
    data = {"source": "demo", "weeks": "1", "csrf_token": csrf_token(client, "/planning"),
            "action": "simulate", **fields}
    return client.post("/planning", data=data)


def run_id_of(answer) -> int:
    assert answer.status_code == 302, answer.text
    return int(re.search(r"/planning/runs/(\d+)$", answer.headers["Location"]).group(1))


def test_managers_and_admins_get_the_page_others_do_not(app, make, manager):
    page = manager.get("/planning")
    assert page.status_code == 200
    assert 'aria-current="page">Planning<' in page.text and 'name="changes"' in page.text
    assert logged_in(app, make.user("admin")).get("/planning").status_code == 200
    assert logged_in(app, make.specialist()).get("/planning").status_code == 403
    anonymous = app.test_client().get("/planning")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_run_works_in_the_background_and_shows_strategies_and_what_ifs(app, manager):
    answer = start(manager, strategies=["broker", "round_robin"],
                   changes="add 1 video_editing:4 Asia/Manila")
    run_id = run_id_of(answer)
    runs.wait_for(run_id, WAIT)
    status = manager.get(f"/planning/runs/{run_id}/status")
    assert status.status_code == 200 and status.is_json
    assert status.json["state"] == "done" and status.json["progress"] == 1.0
    page = manager.get(f"/planning/runs/{run_id}")
    assert page.status_code == 200
    assert page.text.count("<svg") == 3  # attainment, cycle time, utilization
    for row in ("as-is-broker", "as-is-round_robin", "what-if-broker", "what-if-round_robin"):
        assert f'id="row-{row}"' in page.text
    assert "planning.js" not in page.text  # done: nothing left to follow
    with app.app_context():
        run = db.session.get(PlanningRun, run_id)
        assert run.result["what_if"]["changes"] == ["add 1 video_editing:4 Asia/Manila"]
        assert run.params["seed"] == 7  # the demo scenario's own


def test_a_running_run_follows_itself_by_refreshing(app, manager):
    """The page of an unfinished run follows it by refreshing every 5 s: the pages' policy runs no
    script at all (broker/security.py), so nothing polls from the browser."""
    with app.app_context():
        from broker.people.models import User
        user = db.session.scalars(db.select(User).where(User.role == "manager")).first()
        run = PlanningRun(requested_by=user.id, kind="simulate", state="running", progress=0.4,
                          note="as is", params={"source": "demo", "weeks": 1, "seed": 7,
                                                "changes": [], "strategies": ["broker"]})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    page = manager.get(f"/planning/runs/{run_id}")
    assert '<meta http-equiv="refresh"' in page.text
    assert "<script" not in page.text
    assert f'data-run-status="/planning/runs/{run_id}/status"' in page.text
    assert '<progress id="run-progress" max="100" value="40">' in page.text


def test_a_plan_run_answers_with_a_change(app, manager):
    run_id = run_id_of(start(manager, action="plan", target="100", max_added="1"))
    runs.wait_for(run_id, WAIT)
    page = manager.get(f"/planning/runs/{run_id}")
    assert page.status_code == 200
    assert re.search(r"Not reached; best found: add 1 [a-z_]+:\d [A-Za-z_/]+", page.text), page.text
    assert "broker simulate --change" in page.text


def test_bad_input_is_named_field_by_field_and_starts_nothing(app, manager):
    answer = start(manager, weeks="0", seed="x", changes="hire editors", action="plan",
                   target="150", source="file", scenario_text="weeks: [")
    assert answer.status_code == 422
    for name in ("weeks", "seed", "changes", "target", "scenario_text"):
        assert f'id="{name}-error"' in answer.text, name
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PlanningRun)) == 0


def test_an_uploaded_scenario_file_is_used(app, manager):
    from io import BytesIO
    data = {"source": "file", "weeks": "1", "strategies": ["broker"], "action": "simulate",
            "csrf_token": csrf_token(manager, "/planning"),
            "scenario_file": (BytesIO((SCENARIOS / "example.yaml").read_bytes()), "example.yaml")}
    run_id = run_id_of(manager.post("/planning", data=data, content_type="multipart/form-data"))
    runs.wait_for(run_id, WAIT)
    with app.app_context():
        run = db.session.get(PlanningRun, run_id)
        assert run.state == "done" and run.result["baseline"]["scenario"] == "Example agency"


def test_unknown_runs_are_404_as_json_for_the_poller(manager):
    answer = manager.get("/planning/runs/999999/status")
    assert answer.status_code == 404 and answer.json["message"]
    assert manager.get("/planning/runs/999999").status_code == 404


def test_a_run_whose_thread_went_away_reads_as_failed(app, manager):
    from datetime import timedelta

    from broker.timeutil import utcnow
    with app.app_context():
        from broker.people.models import User
        user = db.session.scalars(db.select(User).where(User.role == "manager")).first()
        silent = utcnow() - runs.STALE_AFTER - timedelta(seconds=1)
        run = PlanningRun(requested_by=user.id, kind="simulate", state="running", progress=0.2,
                          params={"source": "demo", "weeks": 1, "seed": 7, "changes": []},
                          created_at=silent, heartbeat_at=silent)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    status = manager.get(f"/planning/runs/{run_id}/status").json
    assert status["state"] == "failed" and "stopped" in status["error"]
    assert "stopped" in manager.get(f"/planning/runs/{run_id}").text


def test_a_page_run_is_kept_to_a_bounded_size(manager):
    text = (SCENARIOS / "example.yaml").read_text().replace("tasks_per_week: 30", "tasks_per_week: 90000")
    answer = start(manager, source="file", scenario_text=text)
    assert answer.status_code == 422 and 'id="weeks-error"' in answer.text
    assert "the page runs at most" in answer.text
