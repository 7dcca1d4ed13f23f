"""List endpoints load related rows in a fixed number of queries, not one per row."""
from contextlib import contextmanager

from sqlalchemy import event

from broker.extensions import db


@contextmanager
def counted(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN is ours to emit, not a query
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_list_queries_do_not_grow_with_rows(client, make, app):
    m = make.user("manager")
    specialist = make.specialist()
    for _ in range(3):
        _, tasks = make.brief(m, n_tasks=3)
        client.post(f"/api/v1/tasks/{tasks[0]}/claim", headers=specialist.headers)
    client.get("/api/v1/me", headers=m.headers)  # records the token's use, at most once a minute
    with counted(app) as few:
        assert client.get("/api/v1/briefs", headers=m.headers).status_code == 200
        assert client.get("/api/v1/tasks", headers=m.headers).status_code == 200
    for _ in range(7):
        _, tasks = make.brief(m, n_tasks=3)
        client.post(f"/api/v1/tasks/{tasks[0]}/claim", headers=specialist.headers)
    with counted(app) as many:
        briefs = client.get("/api/v1/briefs", headers=m.headers).json
        tasks = client.get("/api/v1/tasks?page_size=30", headers=m.headers).json
    assert len(briefs) == 10 and len(tasks) == 30
    assert len(many) == len(few), many


def test_list_pages_cost_the_same_whatever_their_size(client, make, app):
    m, specialist = make.user("manager"), make.specialist(capacity=10)
    for _ in range(6):
        _, tasks = make.brief(m, n_tasks=4)
        client.post(f"/api/v1/tasks/{tasks[-1]}/claim", headers=specialist.headers)
    lists = [("/api/v1/briefs", m), ("/api/v1/tasks", m), ("/api/v1/tasks/available", specialist)]
    for path, who in lists:
        client.get(path, headers=who.headers)  # the token's last use is stamped once a minute
        cost = {}
        for size in (2, 50):
            with counted(app) as statements:
                r = client.get(f"{path}?page_size={size}", headers=who.headers)
            assert r.status_code == 200 and (len(r.json) == 2 if size == 2 else len(r.json) > 2)
            assert '"total"' in r.headers["X-Pagination"]
            cost[size] = len(statements)
        assert cost[2] == cost[50], (path, cost)


def test_serialization_never_queries(make, client, app):
    """The views read what they render (broker/api/work/reads.py); dumping it runs no query."""
    from broker.api.work import reads, schemas
    from broker.timeutil import utcnow
    from tasks.models import Brief, Task
    m, specialist = make.user("manager"), make.specialist()
    brief_id, tasks = make.brief(m, n_tasks=3)
    client.post(f"/api/v1/tasks/{tasks[0]}/claim", headers=specialist.headers)
    with app.app_context():
        now = utcnow()
        brief = db.session.get(Brief, brief_id)
        task = db.session.get(Task, tasks[0])
        data = [(schemas.BriefSchema(), reads.brief_detail(brief, now)),
                (schemas.BriefSummarySchema(many=True), reads.brief_items([brief], now)),
                (schemas.TaskSchema(), reads.task_detail(task, now)),
                (schemas.TaskSummarySchema(many=True), reads.task_items([task], now))]
        with counted(app) as statements:
            dumped = [schema.dump(plain) for schema, plain in data]
        db.session.remove()
    assert statements == [] and dumped[2]["events"] and dumped[0]["tasks"][0]["sla"]["ack"]
