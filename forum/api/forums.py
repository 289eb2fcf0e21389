"""GET /api/v1/forums/<slug> with its areas, and the organizations of its participants."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from sqlalchemy.orm import joinedload

from forum.api import openapi
from forum.api.routes import bp, forum_json
from forum.api.scope import READ_ROLES, sees_contacts
from forum.auth.access import api_roles_required
from forum.db import translated
from forum.events.lookup import forum_or_404
from forum.extensions import db
from forum.i18n import current_language
from forum.people.models import Organization, Person, Registration


@bp.route("/forums/<slug>")
@api_roles_required(*READ_ROLES)
def forum_detail(slug: str):
    forum = forum_or_404(slug)
    language = current_language()
    return jsonify({
        **forum_json(forum),
        "address": translated(forum.address, language),
        "registration_open": forum.registration_open,
        "activities": list(forum.activities or []),
        "languages": forum.languages.split(","),
        "areas": [{"key": a.key, "name": translated(a.name, language), "kind": a.kind, "capacity": a.capacity}
                  for a in forum.areas],
    })


@bp.route("/forums/<slug>/organizations")
@api_roles_required(*READ_ROLES)
def forum_organizations(slug: str):
    forum = forum_or_404(slug)
    counts = (sa.select(Person.organization_id, sa.func.count(Registration.id).label("n"))
              .join(Registration, Registration.person_id == Person.id)
              .where(Registration.forum_id == forum.id).group_by(Person.organization_id).subquery())
    rows = db.session.execute(
        sa.select(Organization, counts.c.n).join(counts, counts.c.organization_id == Organization.id)
        .options(joinedload(Organization.district), joinedload(Organization.jamoat))
        .order_by(Organization.kind, Organization.name, Organization.id)).all()
    language, contacts = current_language(), sees_contacts()
    answer = []
    for org, registrations in rows:
        item = {"id": org.id, "name": org.name, "short_name": org.short_name, "kind": org.kind,
                "district": translated(org.district.name, language) if org.district else None,
                "jamoat": translated(org.jamoat.name, language) if org.jamoat else None,
                "registrations": registrations}
        if contacts:  # an organization's contact is a person: their phone only where pages show it
            item.update(contact_person=org.contact_person, phone=org.phone, email=org.email)
        answer.append(item)
    return jsonify(answer)


_area = {"type": "object", "required": ["key", "name", "kind"],
         "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
                        "capacity": {"type": "integer", "nullable": True}}}
openapi.add_schema("ForumDetail", {"allOf": [openapi.ref("Forum"), {
    "type": "object", "required": ["areas"],
    "properties": {"address": {"type": "string"}, "registration_open": {"type": "boolean"},
                   "activities": {"type": "array", "items": {"type": "string"}},
                   "languages": {"type": "array", "items": {"type": "string"}},
                   "areas": {"type": "array", "items": _area}},
}], "example": {
    "slug": "isfara-2011", "title": "Форум групп взаимопомощи", "city": "Исфара", "venue": "Дом культуры",
    "starts_at": "2011-05-05T04:00:00+00:00", "ends_at": "2011-05-05T12:00:00+00:00", "timezone": "Asia/Dushanbe",
    "status": "archived", "address": "", "registration_open": False, "activities": ["exhibition", "round_table"],
    "languages": ["ru", "tg", "en"], "areas": [{"key": "main-stage", "name": "Главная сцена", "kind": "stage",
                                                "capacity": 400}]}})
openapi.add_schema("Organization", {
    "type": "object", "required": ["id", "name", "kind", "registrations"],
    "description": "contact_person, phone and email only for organizer tokens",
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "short_name": {"type": "string"},
        "kind": {"type": "string"}, "district": {"type": "string", "nullable": True},
        "jamoat": {"type": "string", "nullable": True},
        "registrations": {"type": "integer", "description": "its members registered at this forum"},
        "contact_person": {"type": "string"}, "phone": {"type": "string", "nullable": True},
        "email": {"type": "string", "nullable": True},
    },
    "example": {"id": 7, "name": "ГВП «Гулистон»", "short_name": "", "kind": "shg", "district": "Исфара",
                "jamoat": "Чоркуҳ", "registrations": 6},
})
openapi.add_operation("/forums/{slug}", "get", {
    "operationId": "getForum", "summary": "A forum with its areas", "tags": ["forums"], "security": openapi.BEARER,
    "description": "Roles: staff, organizer.",
    "parameters": [openapi.SLUG],
    "responses": {"200": openapi.json_response("The forum.", "ForumDetail"), **openapi.ERRORS},
})
openapi.add_operation("/forums/{slug}/organizations", "get", {
    "operationId": "listOrganizations", "summary": "Organizations of the forum's participants", "tags": ["forums"],
    "security": openapi.BEARER, "description": "Roles: staff, organizer.",
    "parameters": [openapi.SLUG],
    "responses": {"200": openapi.json_response("By kind and name.", "Organization", array=True), **openapi.ERRORS},
})
