"""The OpenAPI 3 document of /api/v1, assembled from what each package registers.

A package that adds API routes describes them next to the routes, at import:

    from forum.api import openapi
    openapi.add_schema("CheckinAnswer", {...})
    openapi.add_operation("/forums/{slug}/checkins", "post", {
        "summary": "…", "tags": ["check-in"], "security": openapi.BEARER,
        "requestBody": openapi.json_body("CheckinRequest"),
        "responses": {"200": openapi.json_response("…", "CheckinAnswer"), **openapi.ERRORS},
    })

Paths are relative to the server URL /api/v1. `document()` returns the whole document.
"""
from __future__ import annotations

import copy

VERSION = "1.0.0"
BEARER = [{"bearerAuth": []}]

_paths: dict[str, dict[str, dict]] = {}
_schemas: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "for programs, e.g. unauthorized, not_found, invalid"},
                "message": {"type": "string", "description": "for people, in the request's language"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "what is wrong with each field of the request, when invalid"},
            },
        }},
    },
}


def ref(schema: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema}"}


def json_body(schema: str, description: str = "") -> dict:
    body = {"required": True, "content": {"application/json": {"schema": ref(schema)}}}
    if description:
        body["description"] = description
    return body


def json_response(description: str, schema: str | None = None, array: bool = False) -> dict:
    if schema is None:
        return {"description": description}
    body = {"type": "array", "items": ref(schema)} if array else ref(schema)
    return {"description": description, "content": {"application/json": {"schema": body}}}


def _error(description: str) -> dict:
    return json_response(description, "Error")


# The errors every authenticated operation may answer.
ERRORS = {
    "401": _error("No valid API token (Authorization: Bearer …)."),
    "403": _error("The token's user has no role allowed here."),
    "404": _error("No such forum or object."),
}
INVALID = {"400": _error("The body is not a JSON object, or a field is missing or wrong.")}

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The forum's slug, e.g. isfara-2011."}


def add_schema(name: str, schema: dict) -> None:
    _schemas[name] = schema


def add_operation(path: str, method: str, operation: dict) -> None:
    """Describe `method` on `path` (relative to /api/v1, OpenAPI template syntax: {slug})."""
    _paths.setdefault(path, {})[method.lower()] = operation


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Forum API",
            "version": VERSION,
            "description": "Forums of self-help groups: check-in at the door and the forums' data. "
                           "Authenticate with an API token: `Authorization: Bearer <token>` "
                           "(`flask --app wsgi forum token create EMAIL`). Errors are JSON: "
                           "{\"error\": {\"code\", \"message\"}}.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": copy.deepcopy(dict(sorted(_paths.items()))),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": copy.deepcopy(_schemas),
        },
    }
