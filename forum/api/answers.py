"""How registrations and arrivals read in the API's answers and in webhooks: one shape for
both, so a partner's program parses a pulled list and a pushed event alike."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.checkin.models import Checkin
from forum.checkin.service import first_entry_of
from forum.db import translated
from forum.extensions import db
from forum.people.models import Registration


def arrived_ids(forum_id: int) -> sa.Select:
    """Registrations of the forum let in through any checkpoint (and not taken back)."""
    return sa.select(Checkin.registration_id).where(Checkin.forum_id == forum_id, first_entry_of())


def registration_json(registration: Registration, arrived: bool, contacts: bool, language: str) -> dict:
    """A registration: contacts only when `contacts` (the role sees them) and the person consented."""
    person, org = registration.person, registration.person.organization
    answer = {
        "id": registration.id, "name": person.full_name, "category": registration.category,
        "status": registration.status, "arrived": arrived,
        "organization": {"id": org.id, "name": org.name, "kind": org.kind} if org else None,
        "district": translated(person.district.name, language) if person.district else None,
        "jamoat": translated(person.jamoat.name, language) if person.jamoat else None,
        "created_at": registration.created_at.isoformat(),
        "updated_at": max(registration.updated_at, person.updated_at).isoformat(),
    }
    if contacts:
        consent = registration.consent_at is not None
        answer.update(consent=consent, language=person.language, gender=person.gender, position=person.position,
                      phone=person.phone if consent else None, email=person.email if consent else None)
    return answer


def registrations_json(forum_id: int, registrations: list[Registration], contacts: bool, language: str) -> list[dict]:
    ids = [r.id for r in registrations]
    arrived = set(db.session.scalars(arrived_ids(forum_id).where(Checkin.registration_id.in_(ids)))) if ids else set()
    return [registration_json(r, r.id in arrived, contacts, language) for r in registrations]


def checkin_json(checkin: Checkin, zone: ZoneInfo) -> dict:
    """A scan that let someone in: when (UTC and local), where, first entry or re-entry, who."""
    registration = checkin.registration
    assert registration is not None  # arrivals are scans that let a registration in
    org = registration.person.organization
    return {
        "id": checkin.id, "at": checkin.created_at.isoformat(),
        "at_local": checkin.created_at.astimezone(zone).isoformat(),
        "checkpoint": checkin.checkpoint.key, "entry": "first" if checkin.reason == "first" else "reentry",
        "undone": checkin.undone_at is not None,
        "registration": {"id": registration.id, "name": registration.person.full_name,
                         "category": registration.category, "organization": org.name if org else None},
    }
