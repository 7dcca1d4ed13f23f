"""Two deliverers at once on PostgreSQL send each notification exactly once (SKIP LOCKED claims)."""
import random
import threading
from collections import Counter
from datetime import timedelta

import pytest

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from notifications.delivery import deliver_outbox
from tasks import services as tasks
from tests.notify_helpers import rows, set_me

NOW = utcnow()


@pytest.mark.postgres
def test_two_deliverers_send_each_notification_exactly_once(app, make, slack, is_postgres):
    if not is_postgres:
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL; set TEST_DATABASE_URL")
    manager = make.user("manager")
    specialists = [make.specialist(capacity=50) for _ in range(4)]
    for s in specialists:
        set_me(app, s, slack_webhook_url=slack.url(f"T/B/{s.id}"))
    _, task_ids = make.brief(manager, n_tasks=120)
    with app.app_context():
        for i, task_id in enumerate(task_ids):
            tasks.offer(task_id, db.session.get(User, specialists[i % 4].id), NOW + timedelta(hours=1), NOW)
        db.session.remove()
    start, reports = threading.Barrier(2), []

    def deliverer(seed):
        with app.app_context():
            start.wait()
            try:
                reports.append(deliver_outbox(NOW, rng=random.Random(seed)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliverer, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    sent = Counter(slack.texts())
    assert len(slack.received) == 120 and set(sent.values()) == {1}
    assert sum(r.sent for r in reports) == 120
    assert all(r.sent > 0 for r in reports), reports  # both really worked, neither waited it out
    assert {r["state"] for r in rows(app)} == {"sent"}
