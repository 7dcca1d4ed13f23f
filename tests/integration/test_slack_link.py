"""PATCH /api/v1/me links a Slack member id: checked, unique across users, removable."""


def test_a_user_links_and_unlinks_their_slack_member_id(client, make):
    ana = make.specialist()
    linked = client.patch("/api/v1/me", headers=ana.headers, json={"slack_user_id": "U024BE7LH"})
    assert linked.status_code == 200, linked.json
    assert linked.json["slack_user_id"] == "U024BE7LH"
    assert client.get("/api/v1/me", headers=ana.headers).json["slack_user_id"] == "U024BE7LH"
    again = client.patch("/api/v1/me", headers=ana.headers, json={"slack_user_id": "U024BE7LH"})
    assert again.status_code == 200  # linking one's own id again is no conflict
    cleared = client.patch("/api/v1/me", headers=ana.headers, json={"slack_user_id": None})
    assert cleared.status_code == 200 and cleared.json["slack_user_id"] is None


def test_a_slack_member_id_taken_by_someone_else_is_a_409(client, make):
    ana, bob = make.specialist(), make.user("manager")
    linked = client.patch("/api/v1/me", headers=ana.headers, json={"slack_user_id": "W0ENTERPRISE"})
    assert linked.status_code == 200
    taken = client.patch("/api/v1/me", headers=bob.headers, json={"slack_user_id": "W0ENTERPRISE"})
    assert taken.status_code == 409
    assert "already linked" in taken.json["message"]
    assert client.get("/api/v1/me", headers=bob.headers).json["slack_user_id"] is None


def test_a_malformed_slack_member_id_is_a_422_on_that_field(client, make):
    ana = make.specialist()
    for value in ("u024be7lh", "B024BE7LH", "U", "U024 BE7", 42, "U" + "A" * 40):
        answer = client.patch("/api/v1/me", headers=ana.headers, json={"slack_user_id": value})
        assert answer.status_code == 422, value
        assert set(answer.json["errors"]["json"]) == {"slack_user_id"}
