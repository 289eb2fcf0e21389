"""Arrivals for partners: GET /api/v1/forums/<slug>/checkins (the scans that let someone in,
with `since`) and GET …/checkins/counts (per checkpoint). The door's failed scans stay on the
organizers' board: they hold masked badge codes, nothing a partner needs."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import jsonify
from sqlalchemy.orm import joinedload

from forum.api import answers, openapi
from forum.api.params import cursor_page, moment
from forum.api.registrations import PAGE_PARAMETERS
from forum.api.routes import bp
from forum.api.scope import READ_ROLES
from forum.auth.access import api_roles_required
from forum.checkin import board, service
from forum.checkin.models import Checkin
from forum.db import translated
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.i18n import current_language
from forum.people.models import Person, Registration


@bp.route("/forums/<slug>/checkins")
@api_roles_required(*READ_ROLES)
def list_checkins(slug: str):
    forum = forum_or_404(slug)
    since = moment("since")
    stmt = (sa.select(Checkin).where(Checkin.forum_id == forum.id, Checkin.result == "ok")
            .options(joinedload(Checkin.checkpoint),
                     joinedload(Checkin.registration).joinedload(Registration.person).joinedload(Person.organization)))
    if since is not None:  # a scan made offline counts from when it reached the server too
        stmt = stmt.where(sa.or_(Checkin.created_at >= since, Checkin.uploaded_at >= since))
    page = cursor_page(stmt, Checkin.id)
    zone = ZoneInfo(forum.timezone)
    return jsonify({"checkins": [answers.checkin_json(c, zone) for c in page.items], **page.links()})


@bp.route("/forums/<slug>/checkins/counts")
@api_roles_required(*READ_ROLES)
def checkin_counts(slug: str):
    forum = forum_or_404(slug)
    checkpoints = service.checkpoints(forum)
    counts = board.by_checkpoint(forum, checkpoints)
    arrived = db.session.scalar(sa.select(sa.func.count(sa.distinct(Checkin.registration_id)))
                                .where(Checkin.forum_id == forum.id, service.first_entry_of()))
    language = current_language()
    return jsonify({"arrived": arrived or 0, "checkpoints": [
        {"key": c.key, "name": translated(c.name, language), "expected": counts[c.id].expected,
         "arrived": counts[c.id].arrived, "entries": counts[c.id].entries} for c in checkpoints]})


openapi.add_schema("Arrival", {
    "type": "object", "required": ["id", "at", "at_local", "checkpoint", "entry", "undone", "registration"],
    "properties": {
        "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time", "description": "when scanned, UTC"},
        "at_local": {"type": "string", "format": "date-time"}, "checkpoint": {"type": "string"},
        "entry": {"type": "string", "enum": ["first", "reentry"]},
        "undone": {"type": "boolean", "description": "an organizer took it back: it does not count"},
        "registration": {"type": "object", "required": ["id", "name", "category"], "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "category": {"type": "string"},
            "organization": {"type": "string", "nullable": True}}},
    },
    "example": {"id": 81, "at": "2011-05-05T03:58:12+00:00", "at_local": "2011-05-05T08:58:12+05:00",
                "checkpoint": "entrance", "entry": "first", "undone": False,
                "registration": {"id": 12, "name": "Раҳимова Гулнора", "category": "shg_leader",
                                 "organization": "ГВП «Гулистон»"}},
})
openapi.add_schema("ArrivalPage", {
    "type": "object", "required": ["checkins", "next", "next_cursor"],
    "properties": {"checkins": {"type": "array", "items": openapi.ref("Arrival")},
                   "next": {"type": "string", "nullable": True}, "next_cursor": {"type": "string", "nullable": True}},
})
openapi.add_schema("ArrivalCounts", {
    "type": "object", "required": ["arrived", "checkpoints"],
    "properties": {
        "arrived": {"type": "integer", "description": "people in through any checkpoint"},
        "checkpoints": {"type": "array", "items": {
            "type": "object", "required": ["key", "name", "expected", "arrived", "entries"],
            "properties": {"key": {"type": "string"}, "name": {"type": "string"},
                           "expected": {"type": "integer", "nullable": True,
                                        "description": "null when the checkpoint's rule cannot say in advance"},
                           "arrived": {"type": "integer"}, "entries": {"type": "integer",
                                                                       "description": "re-entries included"}}}},
    },
    "example": {"arrived": 412, "checkpoints": [{"key": "entrance", "name": "Главный вход", "expected": 525,
                                                 "arrived": 412, "entries": 430}]},
})
openapi.add_operation("/forums/{slug}/checkins", "get", {
    "operationId": "listCheckins", "summary": "Arrivals: scans that let someone in", "tags": ["check-in"],
    "security": openapi.BEARER,
    "description": "Page by page in the order recorded; with since, only those made or uploaded since. "
                   "Roles: staff, organizer.",
    "parameters": [openapi.SLUG, {"name": "since", "in": "query", "required": False,
                                  "schema": {"type": "string", "format": "date-time"},
                                  "description": "ISO 8601 with offset"}, *PAGE_PARAMETERS],
    "responses": {"200": openapi.json_response("A page of arrivals.", "ArrivalPage"),
                  **openapi.BAD_QUERY, **openapi.ERRORS},
})
openapi.add_operation("/forums/{slug}/checkins/counts", "get", {
    "operationId": "countCheckins", "summary": "Arrivals per checkpoint", "tags": ["check-in"],
    "security": openapi.BEARER, "description": "Roles: staff, organizer.",
    "parameters": [openapi.SLUG],
    "responses": {"200": openapi.json_response("The counts.", "ArrivalCounts"), **openapi.ERRORS},
})
