"""Helpers for the partners' API tests: a token's headers and a forum with people in it."""
from __future__ import annotations

from datetime import timedelta

from forum.agenda import service as agenda
from forum.agenda.models import AgendaItem
from forum.db import utcnow
from forum.extensions import db
from tests import factories
from tests.checkin_fixtures import api_token, make_checkpoint, scan


def bearer(role: str = "organizer", email: str | None = None) -> dict:
    _user, plain = api_token(role, email=email)
    return {"Authorization": f"Bearer {plain}", "Accept-Language": "en"}


def people(forum) -> dict:
    """Three registrations: Gulnora (SHG leader, consented, arrived), Firuza (member, no consent)
    and Davron (government, cancelled); one checkpoint."""
    shg = factories.make_organization("ГВП «Гулистон»")
    gulnora = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора", organization=shg),
                                          category="shg_leader")
    gulnora.consent_at = utcnow()
    firuza = factories.make_registration(forum, factories.make_person("Саидова Фируза", organization=shg))
    davron = factories.make_registration(forum, factories.make_person("Давронов Даврон"), category="government",
                                         status="cancelled")
    db.session.commit()
    make_checkpoint(forum)
    scan(forum, gulnora.badge_secret)
    db.session.commit()
    return {"gulnora": gulnora, "firuza": firuza, "davron": davron, "shg": shg}


def agenda_items(forum) -> tuple[AgendaItem, AgendaItem]:
    """A public opening at 09:00 local hosted by the NGO, and an internal staff briefing."""
    area = forum.areas[0]
    ngo = factories.make_organization("Ассоциация «Женщина и общество»", kind="ngo", short_name="АЖО")
    opening = agenda.create_item(forum, agenda.ItemData(
        kind="opening", title={"ru": "Открытие", "en": "Opening"}, area_id=area.id, host_organization_ids=[ngo.id],
        starts_at=forum.starts_at, ends_at=forum.starts_at + timedelta(minutes=45))).item
    briefing = agenda.create_item(forum, agenda.ItemData(
        kind="other", title={"ru": "Брифинг персонала", "en": "Staff briefing"}, area_id=forum.areas[1].id,
        starts_at=forum.starts_at, ends_at=forum.starts_at + timedelta(minutes=30), is_public=False)).item
    db.session.commit()
    return opening, briefing
