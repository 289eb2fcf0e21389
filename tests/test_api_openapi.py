"""The OpenAPI document: valid OpenAPI 3, public, and describing every /api/v1 route."""
from __future__ import annotations

import re

from openapi_spec_validator import validate

from forum.api import openapi
from tests.checkin_fixtures import api_token


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_api_route_is_in_the_document(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1"):])
        assert path in paths, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (path, method)


def test_checkin_operation_describes_the_answer_statuses(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/forums/{slug}/checkins"]["post"]
    assert operation["security"] == [{"bearerAuth": []}]
    answer = document["components"]["schemas"]["CheckinAnswer"]
    assert answer["properties"]["status"]["enum"] == ["ok", "already_checked_in", "unknown", "not_allowed", "cancelled"]
    assert set(document["components"]["schemas"]["CheckinRequest"]["required"]) == {"secret", "checkpoint", "nonce"}


def test_another_package_can_add_a_path(client):
    openapi.add_schema("TestThing", {"type": "object"})
    openapi.add_operation("/things", "get", {"operationId": "listThings",
                                           "summary": "t", "responses": {"200": openapi.json_response("ok", "TestThing")}})
    try:
        document = client.get("/api/v1/openapi.json").json
        assert "/things" in document["paths"]
        validate(document)
    finally:
        openapi._paths.pop("/things")
        openapi._schemas.pop("TestThing")


def test_token_owner_and_forums(client, forum):
    user, token = api_token("staff")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json == {"email": user.email, "name": user.name, "role": "staff", "forum": None, "read_only": False}
    forums = client.get("/api/v1/forums", headers={"Authorization": f"Bearer {token}"}).json
    assert [f["slug"] for f in forums] == ["isfara-test"]
    assert client.get("/api/v1/me").status_code == 401
