"""Races that only a real server with row locks can show: run on PostgreSQL, skipped on SQLite."""
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.serving import make_server

from broker.extensions import db
from tasks.models import Task


@pytest.fixture
def server(app, is_postgres):
    if not is_postgres:
        pytest.skip("concurrent claims need PostgreSQL row locks; set TEST_DATABASE_URL")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


def _claim(url: str, token: str, start: threading.Barrier) -> int:
    request = urllib.request.Request(url, data=b"{}", method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        body = json.loads(error.read())
        assert body["code"] == error.code
        return error.code


@pytest.mark.postgres
def test_twenty_concurrent_claims_give_exactly_one_success(server, make, app):
    m = make.user("manager")
    specialists = [make.specialist({"premiere_pro": 5}) for _ in range(20)]
    _, (task_id,) = make.brief(m)
    start = threading.Barrier(20)
    url = f"{server}/api/v1/tasks/{task_id}/claim"
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda s: _claim(url, s.token, start), specialists))
    assert sorted(codes) == [200] + [409] * 19
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.state == "in_progress"
        assert [e.type for e in task.events] == ["created", "claimed"]
        assert task.assignee_id == task.events[-1].actor_id


@pytest.mark.postgres
def test_one_specialist_racing_for_many_tasks_stays_within_capacity(server, make, app):
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 5}, capacity=2)
    _, task_ids = make.brief(m, n_tasks=10)
    start = threading.Barrier(10)
    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(lambda t: _claim(f"{server}/api/v1/tasks/{t}/claim", s.token, start), task_ids))
    assert sorted(codes) == [200, 200] + [409] * 8
