"""The OpenAPI document names every operation, describes every error answer in the one error
shape with an example, and shows an example of what the partners' operations answer."""
from __future__ import annotations

from openapi_spec_validator import validate

ERROR_STATUSES = {"400", "401", "403", "404", "405", "409", "429"}
PARTNER_OPERATIONS = {"getForum", "listAgendaItems", "listRegistrations", "createRegistration", "getRegistration",
                      "updateRegistration", "listCheckins", "countCheckins", "listOrganizations"}


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_has_a_unique_operation_id(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    ids = [operation["operationId"] for _p, _m, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    assert set(ids) >= PARTNER_OPERATIONS


def test_every_error_answer_is_the_error_shape_with_an_example(client):
    document = client.get("/api/v1/openapi.json").json
    seen = set()
    for path, method, operation in _operations(document):
        assert {"405", "429"} <= set(operation["responses"]), (path, method)
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                assert status in ERROR_STATUSES, (path, method, status)
                media = answer["content"]["application/json"]
                assert media["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, status)
                assert media["example"]["error"]["code"], (path, method, status)
                seen.add(status)
    assert seen == ERROR_STATUSES


def test_the_partners_answers_have_examples(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    for _path, _method, operation in _operations(document):
        if operation["operationId"] not in PARTNER_OPERATIONS:
            continue
        answer = next(a for s, a in operation["responses"].items() if s.startswith("2"))
        schema = answer["content"]["application/json"]["schema"]
        schema = schema.get("items", schema)
        name = schema["$ref"].rsplit("/", 1)[1]
        found = schemas[name]
        page = [p for p in found.get("properties", {}).values() if p.get("type") == "array" and "$ref" in p["items"]]
        if page and "next" in found["properties"]:  # a page: its items carry the example
            found = schemas[page[0]["items"]["$ref"].rsplit("/", 1)[1]]
        assert "example" in found or any("example" in part for part in found.get("allOf", [])), name


def test_the_document_tells_how_webhooks_are_signed(client):
    description = client.get("/api/v1/openapi.json").json["info"]["description"]
    assert "X-Forum-Signature" in description and "HMAC-SHA256" in description and "checkin" in description
