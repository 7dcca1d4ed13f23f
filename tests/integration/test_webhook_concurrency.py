"""Two deliverers at once on PostgreSQL: each webhook delivery is sent exactly once, and the events
of each task still arrive in order (SKIP LOCKED claims, and a later event waits for the earlier)."""
import random
import threading
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from notifications.delivery import deliver_outbox
from tasks import services as tasks
from tests.webhook_helpers import deliveries, register

NOW = utcnow().replace(microsecond=0)


@pytest.mark.postgres
def test_two_deliverers_send_each_delivery_once_in_order_per_task(app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    specialists = [make.specialist(capacity=50) for _ in range(3)]
    _, receiver.secret = register(app, admin, receiver.url())
    _, task_ids = make.brief(manager, n_tasks=40, now=NOW)
    with app.app_context():
        for i, task_id in enumerate(task_ids):
            spec = db.session.get(User, specialists[i % 3].id)
            tasks.offer(task_id, spec, NOW + timedelta(hours=2), NOW)
            tasks.accept(task_id, spec, NOW)
        db.session.remove()
    start = threading.Barrier(2)

    def deliverer(seed):
        with app.app_context():
            start.wait()
            try:
                deliver_outbox(NOW + timedelta(minutes=1), rng=random.Random(seed))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliverer, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    got = receiver.delivered()
    assert len(got) == 120 and set(Counter(r["headers"]["X-Broker-Delivery"] for r in got).values()) == {1}
    per_task = defaultdict(list)
    for r in got:
        per_task[r["json"]["task"]["id"]].append(r["json"]["type"])
    assert set(map(tuple, per_task.values())) == {("task.created", "task.offered", "task.accepted")}
    assert {d["state"] for d in deliveries(app)} == {"sent"}
