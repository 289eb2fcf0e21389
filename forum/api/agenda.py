"""GET /api/v1/forums/<slug>/agenda: the timetable with areas, kinds, hosts and times in UTC
and in the forum's zone. Internal items only for roles whose pages show them."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import jsonify
from sqlalchemy.orm import joinedload, selectinload

from forum.agenda.models import ITEM_KINDS, AgendaItem, AgendaItemHost
from forum.api import openapi
from forum.api.params import choice
from forum.api.routes import bp
from forum.api.scope import READ_ROLES, sees_internal
from forum.auth.access import api_roles_required
from forum.db import translated
from forum.events.lookup import forum_or_404
from forum.events.models import Area
from forum.extensions import db
from forum.i18n import current_language


def _utc(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@bp.route("/forums/<slug>/agenda")
@api_roles_required(*READ_ROLES)
def forum_agenda(slug: str):
    forum = forum_or_404(slug)
    kind = choice("kind", ITEM_KINDS)
    stmt = (sa.select(AgendaItem).join(AgendaItem.area).where(AgendaItem.forum_id == forum.id)
            .options(joinedload(AgendaItem.area),
                     selectinload(AgendaItem.hosts).joinedload(AgendaItemHost.person),
                     selectinload(AgendaItem.hosts).joinedload(AgendaItemHost.organization))
            .order_by(AgendaItem.starts_at, Area.position, Area.id, AgendaItem.id))
    if not sees_internal():
        stmt = stmt.where(AgendaItem.is_public.is_(True))
    if kind:
        stmt = stmt.where(AgendaItem.kind == kind)
    zone, language = ZoneInfo(forum.timezone), current_language()
    return jsonify([{
        "id": item.id, "kind": item.kind, "title": translated(item.title, language),
        "description": translated(item.description, language),
        "area": {"key": item.area.key, "name": translated(item.area.name, language)},
        "starts_at": _utc(item.starts_at), "ends_at": _utc(item.ends_at),
        "starts_local": item.starts_at.astimezone(zone).isoformat(),
        "ends_local": item.ends_at.astimezone(zone).isoformat(),
        "public": item.is_public, "cancelled": item.is_cancelled,
        # hosts by name only: a host's phone is never part of the programme
        "hosts": [{"name": h.name, "type": "person" if h.person_id else "organization"} for h in item.hosts],
    } for item in db.session.scalars(stmt).unique()])


openapi.add_schema("AgendaItem", {
    "type": "object",
    "required": ["id", "kind", "title", "area", "starts_at", "ends_at", "starts_local", "ends_local", "public",
                 "cancelled", "hosts"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(ITEM_KINDS)},
        "title": {"type": "string"}, "description": {"type": "string"},
        "area": {"type": "object", "required": ["key", "name"],
                 "properties": {"key": {"type": "string"}, "name": {"type": "string"}}},
        "starts_at": {"type": "string", "format": "date-time", "description": "UTC"},
        "ends_at": {"type": "string", "format": "date-time", "description": "UTC, excluded"},
        "starts_local": {"type": "string", "format": "date-time", "description": "in the forum's time zone"},
        "ends_local": {"type": "string", "format": "date-time"},
        "public": {"type": "boolean", "description": "false: internal (organizer tokens only)"},
        "cancelled": {"type": "boolean"},
        "hosts": {"type": "array", "items": {"type": "object", "required": ["name", "type"], "properties": {
            "name": {"type": "string"}, "type": {"type": "string", "enum": ["person", "organization"]}}}},
    },
    "example": {"id": 3, "kind": "opening", "title": "Открытие форума", "description": "",
                "area": {"key": "stage", "name": "Главная сцена"}, "starts_at": "2011-05-05T04:00:00Z",
                "ends_at": "2011-05-05T04:45:00Z", "starts_local": "2011-05-05T09:00:00+05:00",
                "ends_local": "2011-05-05T09:45:00+05:00", "public": True, "cancelled": False,
                "hosts": [{"name": "АЖО", "type": "organization"}]},
})
openapi.add_operation("/forums/{slug}/agenda", "get", {
    "operationId": "listAgendaItems", "summary": "The forum's agenda", "tags": ["agenda"],
    "security": openapi.BEARER,
    "description": "Items in timetable order, cancelled ones marked. Internal items only for organizer tokens. "
                   "Roles: staff, organizer.",
    "parameters": [openapi.SLUG, {"name": "kind", "in": "query", "required": False,
                                  "schema": {"type": "string", "enum": list(ITEM_KINDS)}}],
    "responses": {"200": openapi.json_response("The items.", "AgendaItem", array=True),
                  **openapi.BAD_QUERY, **openapi.ERRORS},
})
