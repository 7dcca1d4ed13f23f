"""The OpenAPI document says what the API answers: regressions found by schemathesis."""
import json

import pytest


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json


def responses(spec, method, path) -> dict:
    return spec["paths"][path][method]["responses"]


def test_health_documents_its_body_for_200_and_503(spec, client):
    """GET /health had no success schema: its 200 body was checked against the error schema."""
    documented = responses(spec, "get", "/api/v1/health")
    assert {"200", "503"} <= set(documented)
    schema = spec["components"]["schemas"]["Health"]["properties"]
    assert set(client.get("/api/v1/health").json) <= set(schema)


def test_a_user_without_webhook_reads_null_as_documented(spec, client, make):
    """slack_webhook_url is null until a webhook is set; the document said string only."""
    user = make.user("manager")
    assert client.get("/api/v1/me", headers=user.headers).json["slack_webhook_url"] is None
    assert spec["components"]["schemas"]["User"]["properties"]["slack_webhook_url"]["nullable"]


def test_pagination_header_is_documented_as_json(spec, client, make):
    """X-Pagination holds JSON; documented as an object in the simple style it read as k,v,k,v."""
    header = responses(spec, "get", "/api/v1/tasks")["200"]["headers"]["X-Pagination"]
    assert "application/json" in header["content"] and "schema" not in header
    user = make.user("admin")
    sent = client.get("/api/v1/tasks", headers=user.headers).headers["X-Pagination"]
    assert json.loads(sent)["total"] == 0


def test_malformed_json_gets_a_documented_400(spec, client, make):
    user = make.user("manager")
    answer = client.post("/api/v1/briefs", data=b"\xff{", headers=user.headers,
                         content_type="application/json")
    assert answer.status_code == 400 and answer.json["code"] == 400
    assert "400" in responses(spec, "post", "/api/v1/briefs")


def test_every_authenticated_operation_documents_401(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters" or operation.get("security") == []:
                continue
            assert "401" in operation["responses"], (method, path)


def test_a_body_without_required_fields_is_documented_optional(spec, client, make):
    """PATCH /me without a body changes nothing and answers 200; the document said the body was
    required (schemathesis: schema-violating request accepted)."""
    user = make.user("manager")
    assert client.patch("/api/v1/me", headers=user.headers).status_code == 200
    assert spec["paths"]["/api/v1/me"]["patch"]["requestBody"]["required"] is False
    assert spec["paths"]["/api/v1/briefs"]["post"]["requestBody"]["required"] is True
    assert spec["paths"]["/api/v1/sla/policies"]["put"]["requestBody"]["required"] is True
