def test_health(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json["database"] == "ok"


def test_claim_flow(client, make):
    m = make.user("manager")
    s = make.specialist()
    _, (task_id,) = make.brief(m)
    r = client.post(f"/api/v1/tasks/{task_id}/claim", headers=s.headers)
    assert r.status_code == 200, r.json
    assert r.json["state"] == "in_progress"
