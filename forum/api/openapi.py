"""The OpenAPI 3 document of /api/v1, assembled from what each package registers.

A package that adds API routes describes them next to the routes, at import:

    from forum.api import openapi
    openapi.add_schema("CheckinAnswer", {...})
    openapi.add_operation("/forums/{slug}/checkins", "post", {
        "operationId": "createCheckin", "summary": "…", "tags": ["check-in"], "security": openapi.BEARER,
        "requestBody": openapi.json_body("CheckinRequest"),
        "responses": {"200": openapi.json_response("…", "CheckinAnswer"), **openapi.ERRORS},
    })

Paths are relative to the server URL /api/v1. `document()` returns the whole document.
"""
from __future__ import annotations

import copy

VERSION = "1.0.0"
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]

_paths: dict[str, dict[str, dict]] = {}
_schemas: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": (
                    "for programs: unauthorized (401), forbidden (403), not_found (404), "
                    "method_not_allowed (405, with an Allow header), too_large (413), too_many_requests (429), "
                    "server_error (500), bad_request (400), invalid (400: a field of the body or a query "
                    "parameter is wrong, named in fields), invalid_json (400), or one an operation describes")},
                "message": {"type": "string", "description": "for people, in the request's language"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "what is wrong with each field or query parameter, when invalid"},
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


# One example per error status, in the one error shape (what a program sees, in English).
ERROR_EXAMPLES = {
    "400": {"code": "invalid", "message": "Some fields are missing or wrong.",
            "fields": {"category": "Unknown category «boss»."}},
    "401": {"code": "unauthorized", "message": "A valid API token is required."},
    "403": {"code": "forbidden", "message": "Your role may not do this."},
    "404": {"code": "not_found", "message": "This page does not exist."},
    "405": {"code": "method_not_allowed", "message": "This action is not allowed here."},
    "409": {"code": "duplicate", "message": "Раҳимова Гулнора is already registered at this forum."},
    "429": {"code": "too_many_requests", "message": "Too many attempts. Please wait a minute and try again."},
}


def error(status: str, description: str) -> dict:
    """An error answer: the Error schema with an example of its status."""
    answer = json_response(description, "Error")
    answer["content"]["application/json"]["example"] = {"error": ERROR_EXAMPLES[status]}
    return answer


# The errors every authenticated operation may answer.
ERRORS = {
    "401": error("401", "No valid API token (Authorization: Bearer …)."),
    "403": error("403", "The token's user has no role allowed here, or the token is kept to another forum "
                        "(other_forum) or to reading (read_only)."),
    "404": error("404", "No such forum or object."),
}
INVALID = {"400": error("400", "The body is not a JSON object, or a field is missing or wrong.")}
BAD_QUERY = {"400": error("400", "A query parameter is not declared here or has a value outside its schema "
                                 "(code invalid, fields name it).")}
# What any operation may answer besides its own: added to every operation by `document()`.
EVERYWHERE = {
    "405": error("405", "Not a method of this path; the Allow header lists those it takes."),
    "429": error("429", "Too many requests with this token (or from this address) in a minute; "
                        "the Retry-After header says when to try again."),
}

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The forum's slug, e.g. isfara-2011."}


def add_schema(name: str, schema: dict) -> None:
    _schemas[name] = schema


def add_operation(path: str, method: str, operation: dict) -> None:
    """Describe `method` on `path` (relative to /api/v1, OpenAPI template syntax: {slug}).
    Every operation names itself with an `operationId`, for partners' generated clients."""
    if not operation.get("operationId"):
        raise ValueError(f"{method.upper()} {path}: an operation needs an operationId")
    _paths.setdefault(path, {})[method.lower()] = operation


def operation(path: str, method: str) -> dict | None:
    """The description of `method` on `path` (HEAD as GET), or None."""
    method = "get" if method.upper() == "HEAD" else method.lower()
    return _paths.get(path, {}).get(method)


def _paths_document() -> dict:
    paths = copy.deepcopy(dict(sorted(_paths.items())))
    for operations in paths.values():
        for operation in operations.values():
            # a query parameter the operation does not declare is refused (forum.api.declared)
            operation["responses"] = {**copy.deepcopy(BAD_QUERY), **operation["responses"],
                                      **copy.deepcopy(EVERYWHERE)}
    return paths


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Forum API",
            "version": VERSION,
            "description": "Forums of self-help groups: check-in at the door and the forums' data. "
                           "Authenticate with an API token: `Authorization: Bearer <token>` "
                           "(`flask --app wsgi forum token create EMAIL`). Errors are JSON: "
                           "{\"error\": {\"code\", \"message\"}}. A token may be kept to one forum and to "
                           "reading (`--forum SLUG --read-only`).\n\n"
                           "Webhooks: an organizer adds a URL and its events on /manage/<slug>/webhooks "
                           "(registration.created, registration.changed, checkin, vacancy.approved, "
                           "recommendation.changed). Each event is POSTed once as JSON "
                           "{\"event\", \"id\", \"forum\", \"at\", \"data\"} (data as this API answers it, no "
                           "phone numbers), retried with backoff until a 2xx (410 stops them). "
                           "`X-Forum-Signature: t=<unix time>,v1=<hex>` where hex is the HMAC-SHA256, under the "
                           "webhook's secret, of `<t>.<body>`: recompute it and refuse old times. "
                           "`X-Forum-Delivery` is the same on every try of one delivery.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths_document(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": copy.deepcopy(_schemas),
        },
    }
