"""The embedded default under real concurrency: gunicorn with three worker processes on one SQLite
file, with routing rounds and SLA sweeps from other processes beside the requests. Every answer
is a success or a 409, never a 500 ("database is locked" when a read transaction is upgraded)."""
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from broker.extensions import db
from broker.timeutil import utcnow
from tasks.models import Task
from tests.factories import SLEEPING_SERVERS_REASON, UNDER_FAKETIME, Factory, scratch_app

BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="gunicorn is not installed"),
              pytest.mark.skipif(UNDER_FAKETIME, reason=SLEEPING_SERVERS_REASON)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database: Path) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test-secret",
            "BROKER_SCHEDULER": "off", "NO_PROXY": "127.0.0.1,localhost"}


@pytest.fixture
def served(tmp_path):
    """A migrated SQLite file, test data made through the services, and gunicorn serving it."""
    app = scratch_app(tmp_path)
    database = tmp_path / "scratch.db"
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", "wsgi:app"], env=_env(database), cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield app, Factory(app), base, database
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        assert b"Traceback" not in errors, errors.decode()[-3000:]


def _wait_until_up(base: str, server, tries: int = 300):
    for _ in range(tries):
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode()[-3000:])
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1):
                return
        except OSError:
            threading.Event().wait(0.1)  # the server is still binding: ask again
    raise AssertionError("gunicorn did not answer")


def _call(method: str, url: str, token: str, body: dict, start: threading.Barrier) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        assert json.loads(error.read())["code"] == error.code
        return error.code


def _brief(due) -> dict:
    return {"title": "Launch", "objective": "pipeline", "success_metric": "40 demos",
            "tasks": [{"title": f"Cut {i}", "work_type": "video_editing", "priority": "high",
                       "estimate_hours": 2, "due_at": due.isoformat()} for i in range(3)]}


def test_twelve_claims_of_one_task_give_one_200_and_eleven_409s(served):
    app, make, base, _ = served
    manager = make.user("manager")
    specialists = [make.specialist({"premiere_pro": 5}) for _ in range(12)]
    _, (task_id,) = make.brief(manager)
    start = threading.Barrier(12)
    url = f"{base}/api/v1/tasks/{task_id}/claim"
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda s: _call("POST", url, s.token, {}, start), specialists))
    assert sorted(codes) == [200] + [409] * 11
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert (task.state, [e.type for e in task.events]) == ("in_progress", ["created", "claimed"])
        db.session.remove()


def test_posting_claiming_routing_and_sweeping_at_once_never_fail(served):
    """Managers post briefs and specialists claim while `broker route` and `broker sla sweep`
    run in processes of their own, all on the one file."""
    app, make, base, database = served
    managers = [make.user("manager") for _ in range(4)]
    specialists = [make.specialist({"premiere_pro": 5}, capacity=3) for _ in range(8)]
    task_ids = [t for m in managers for t in make.brief(m, n_tasks=3)[1]]
    due = utcnow() + timedelta(days=2)
    calls = [("POST", f"{base}/api/v1/briefs", m.token, _brief(due)) for m in managers * 2]
    calls += [("POST", f"{base}/api/v1/tasks/{t}/claim", s.token, {})
              for t, s in zip(task_ids, specialists * 2)]
    jobs = [[str(BIN / "broker"), *command] for command in (["route"], ["sla", "sweep"])]
    start = threading.Barrier(len(calls) + len(jobs))

    def job(argv):
        start.wait()
        return subprocess.run(argv, env=_env(database), capture_output=True, timeout=120)

    with ThreadPoolExecutor(max_workers=len(calls) + len(jobs)) as pool:
        answers = [pool.submit(_call, *call, start) for call in calls]
        finished = [pool.submit(job, argv) for argv in jobs]
        codes = sorted(a.result() for a in answers)
        runs = [f.result() for f in finished]
    assert set(codes) <= {200, 201, 409} and codes.count(201) == 8, codes
    assert all(r.returncode == 0 for r in runs), [r.stderr.decode()[-2000:] for r in runs]
