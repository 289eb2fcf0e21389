"""/api/v1: the OpenAPI document, who the token belongs to, and the forums."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, jsonify

from forum.api import openapi
from forum.api.body import ApiError
from forum.auth.access import api_roles_required, api_user, json_error, public
from forum.auth.models import ROLES
from forum.auth.service import forum_ids_of
from forum.db import translated
from forum.events.models import Forum
from forum.extensions import db
from forum.i18n import current_language

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf_exempt = True  # Bearer tokens, no cookies: nothing for a forged form to ride on


@bp.app_errorhandler(ApiError)
def api_error(error: ApiError):
    return json_error(error.status, error.code, error.message, **error.extra)


@bp.route("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document())


@bp.route("/me")
@api_roles_required(*ROLES)
def me():
    user, token = api_user(), g.api_token
    return jsonify({"email": user.email, "name": user.name, "role": user.role,
                    "forum": token.forum_slug if token is not None else None,
                    "read_only": bool(token is not None and token.read_only)})


def forum_json(forum: Forum) -> dict:
    language = current_language()
    return {
        "slug": forum.slug, "title": translated(forum.title, language), "city": translated(forum.city, language),
        "venue": translated(forum.venue, language), "starts_at": forum.starts_at.isoformat(),
        "ends_at": forum.ends_at.isoformat(), "timezone": forum.timezone, "status": forum.status,
    }


@bp.route("/forums")
@api_roles_required("staff", "organizer")
def forums():
    stmt = sa.select(Forum).order_by(Forum.starts_at.desc())
    theirs = forum_ids_of(api_user(), "staff", "organizer")
    if theirs is not None:  # the user's forums only (an administrator's: all)
        stmt = stmt.where(Forum.id.in_(theirs))
    if g.api_token is not None and g.api_token.forum_id is not None:  # a token for one forum sees that one
        stmt = stmt.where(Forum.id == g.api_token.forum_id)
    rows = db.session.scalars(stmt)
    return jsonify([forum_json(f) for f in rows])


openapi.add_schema("User", {
    "type": "object", "required": ["email", "name", "role"],
    "properties": {"email": {"type": "string"}, "name": {"type": "string"},
                   "role": {"type": "string", "enum": list(ROLES)},
                   "forum": {"type": "string", "nullable": True, "description": "the only forum the token is for"},
                   "read_only": {"type": "boolean", "description": "the token may only read"}},
})
openapi.add_schema("Forum", {
    "type": "object", "required": ["slug", "title", "starts_at", "ends_at", "timezone", "status"],
    "properties": {
        "slug": {"type": "string"}, "title": {"type": "string"}, "city": {"type": "string"},
        "venue": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"}, "timezone": {"type": "string"},
        "status": {"type": "string", "enum": ["draft", "published", "archived"]},
    },
})
openapi.add_operation("/openapi.json", "get", {
    "operationId": "getOpenApiDocument",
    "summary": "This document", "tags": ["api"], "security": [],
    "responses": {"200": {"description": "The OpenAPI 3 document of /api/v1.",
                          "content": {"application/json": {"schema": {"type": "object"}}}}},
})
openapi.add_operation("/me", "get", {
    "operationId": "getMe",
    "summary": "The user the token belongs to", "tags": ["api"], "security": openapi.BEARER,
    "description": "A scanner app checks its token with this before the doors open.",
    "responses": {"200": openapi.json_response("The token's user.", "User"),
                  "401": openapi.ERRORS["401"]},
})
openapi.add_operation("/forums", "get", {
    "operationId": "listForums",
    "summary": "All forums", "tags": ["forums"], "security": openapi.BEARER,
    "responses": {"200": openapi.json_response("Forums, newest first.", "Forum", array=True),
                  "401": openapi.ERRORS["401"], "403": openapi.ERRORS["403"]},
})
