"""The registrations of a forum for partners' systems: GET with filters and cursor pages.
What each answer holds of a person follows `forum.api.scope`."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from sqlalchemy.orm import joinedload

from forum.api import answers, openapi
from forum.api.params import boolean, choice, cursor_page, integer, moment
from forum.api.routes import bp
from forum.api.scope import READ_ROLES, sees_contacts
from forum.auth.access import api_roles_required
from forum.events.lookup import forum_or_404
from forum.i18n import current_language
from forum.people.models import CATEGORIES, STATUSES, Person, Registration


def registrations_json(forum_id: int, registrations: list[Registration]) -> list[dict]:
    return answers.registrations_json(forum_id, registrations, sees_contacts(), current_language())


@bp.route("/forums/<slug>/registrations")
@api_roles_required(*READ_ROLES)
def list_registrations(slug: str):
    forum = forum_or_404(slug)
    category, status = choice("category", CATEGORIES), choice("status", STATUSES)
    organization, arrived, since = integer("organization"), boolean("arrived"), moment("changed_since")
    stmt = (sa.select(Registration).join(Registration.person).where(Registration.forum_id == forum.id)
            .options(joinedload(Registration.person).joinedload(Person.organization),
                     joinedload(Registration.person).joinedload(Person.district),
                     joinedload(Registration.person).joinedload(Person.jamoat)))
    if category:
        stmt = stmt.where(Registration.category == category)
    if status:
        stmt = stmt.where(Registration.status == status)
    if organization is not None:
        stmt = stmt.where(Person.organization_id == organization)
    if arrived is not None:
        came = Registration.id.in_(answers.arrived_ids(forum.id))
        stmt = stmt.where(came if arrived else ~came)
    if since is not None:  # the registration or the person's details changed
        stmt = stmt.where(sa.or_(Registration.updated_at >= since, Person.updated_at >= since))
    page = cursor_page(stmt, Registration.id)
    return jsonify({"registrations": registrations_json(forum.id, page.items), **page.links()})


openapi.add_schema("Registration", {
    "type": "object",
    "required": ["id", "name", "category", "status", "arrived", "organization", "created_at", "updated_at"],
    "description": "A person at the forum. consent, language, gender, position, phone and email only for "
                   "organizer tokens; phone and email only when the person consented to the use of their data.",
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "category": {"type": "string", "enum": list(CATEGORIES)}, "status": {"type": "string", "enum": list(STATUSES)},
        "arrived": {"type": "boolean", "description": "checked in at any checkpoint"},
        "organization": {"type": "object", "nullable": True, "required": ["id", "name", "kind"],
                         "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                        "kind": {"type": "string"}}},
        "district": {"type": "string", "nullable": True}, "jamoat": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time", "description": "last change of it or its person"},
        "consent": {"type": "boolean"}, "language": {"type": "string", "enum": ["ru", "tg", "en"]},
        "gender": {"type": "string", "nullable": True, "enum": ["f", "m", None]},
        "position": {"type": "string"},
        "phone": {"type": "string", "nullable": True, "description": "E.164"},
        "email": {"type": "string", "nullable": True},
    },
    "example": {"id": 12, "name": "Раҳимова Гулнора", "category": "shg_leader", "status": "confirmed",
                "arrived": True, "organization": {"id": 7, "name": "ГВП «Гулистон»", "kind": "shg"},
                "district": "Исфара", "jamoat": "Чоркуҳ", "created_at": "2011-04-20T06:00:00+00:00",
                "updated_at": "2011-05-05T04:12:00+00:00"},
})
openapi.add_schema("RegistrationPage", {
    "type": "object", "required": ["registrations", "next", "next_cursor"],
    "properties": {
        "registrations": {"type": "array", "items": openapi.ref("Registration")},
        "next": {"type": "string", "nullable": True, "description": "the URL of the next page; null on the last"},
        "next_cursor": {"type": "string", "nullable": True},
    },
})
PAGE_PARAMETERS = [
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"},
     "description": "next_cursor of the previous page"},
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
]
openapi.add_operation("/forums/{slug}/registrations", "get", {
    "operationId": "listRegistrations", "summary": "The forum's registrations, page by page", "tags": ["registrations"],
    "security": openapi.BEARER,
    "description": "In the order they were made; follow `next` until it is null. To keep a copy up to date, ask "
                   "with changed_since (the time of the last pull). Roles: staff, organizer.",
    "parameters": [
        openapi.SLUG,
        {"name": "category", "in": "query", "required": False, "schema": {"type": "string", "enum": list(CATEGORIES)}},
        {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": list(STATUSES)}},
        {"name": "organization", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
         "description": "an organization's id"},
        {"name": "arrived", "in": "query", "required": False, "schema": {"type": "string", "enum": ["true", "false"]}},
        {"name": "changed_since", "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"},
         "description": "ISO 8601 with offset; only registrations created or changed since"},
        *PAGE_PARAMETERS,
    ],
    "responses": {"200": openapi.json_response("A page of registrations.", "RegistrationPage"),
                  **openapi.BAD_QUERY, **openapi.ERRORS},
})
