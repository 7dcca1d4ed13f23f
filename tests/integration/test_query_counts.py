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
