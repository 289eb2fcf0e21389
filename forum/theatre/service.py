"""Troupes' requests: asking for a slot, the organizers' decision, the cast registered as
performers. Booking into slots is in `booking`, cutting a stage's day into slots in `slots`."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.db import utcnow
from forum.events.models import Area, Forum
from forum.events.service import accepts_public_forms
from forum.extensions import db
from forum.people.links import send_personal_link
from forum.people.models import Person, Registration
from forum.people.service import find_or_create_organization, find_person_by_phone, new_registration, registration_of
from forum.theatre import notify
from forum.theatre.models import CastMember, Performance, TheatreSettings

MAX_CAST = 12


class TheatreError(ValueError):
    """A theatre change was refused and nothing changed; `code` picks the message (forms.ERRORS),
    `field` the form field it belongs to, `other` the record in the way."""

    def __init__(self, code: str, field: str = "", other: object = None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.other = other


@dataclass
class RequestData:
    troupe_name: str
    title: dict  # {"ru", "tg", "en"}
    contact_name: str
    contact_phone: str  # E.164
    duration_minutes: int
    cast_size: int
    theme: dict = field(default_factory=dict)
    technical_needs: str = ""
    preferred_times: str = ""
    language: str = "ru"
    cast: list[tuple[str, str | None]] = field(default_factory=list)  # (name, E.164 phone or None)


@dataclass
class Requested:
    performance: Performance
    own_link: bool  # the contact's registration (their private link) was made by this request


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _texts(value: dict | None) -> dict:
    return {k: _clean(v) for k, v in (value or {}).items() if k in ("ru", "tg", "en") and _clean(v)}


def title_key(title: dict) -> str:
    return _clean(title.get("ru") or title.get("tg") or title.get("en")).lower()[:300]


def has_theatre(forum: Forum) -> bool:
    return "theatre" in (forum.activities or [])


def settings_for(forum: Forum) -> TheatreSettings:
    settings = db.session.get(TheatreSettings, forum.id)
    if settings is None:
        settings = TheatreSettings(forum_id=forum.id, requests_open=True, bookings=0)
        db.session.add(settings)
        db.session.flush()
    return settings


def accepts_requests(forum: Forum) -> bool:
    if not (has_theatre(forum) and accepts_public_forms(forum)):
        return False
    settings = db.session.get(TheatreSettings, forum.id)  # read only: public pages write nothing
    return settings is None or settings.requests_open


def stages(forum: Forum) -> list[Area]:
    return [area for area in forum.areas if area.kind == "stage"]


def performance_of(forum: Forum, performance_id: int) -> Performance | None:
    performance = db.session.get(Performance, performance_id)
    return performance if performance is not None and performance.forum_id == forum.id else None


def performances(forum: Forum, status: str = "") -> list[Performance]:
    stmt = (sa.select(Performance).options(joinedload(Performance.organization), joinedload(Performance.slot),
                                           selectinload(Performance.cast))
            .where(Performance.forum_id == forum.id))
    if status:
        stmt = stmt.where(Performance.status == status)
    return list(db.session.scalars(stmt.order_by(Performance.created_at, Performance.id)).unique())


def performances_of(registration: Registration) -> list[Performance]:
    """The requests whose contact person this registration is."""
    return list(db.session.scalars(sa.select(Performance).where(Performance.registration_id == registration.id)
                                   .order_by(Performance.id)))


def find_existing(forum: Forum, troupe_name: str, title: dict) -> Performance | None:
    """This forum's request of the same troupe (name in any case) for the same play."""
    from forum.people.models import Organization

    return db.session.scalar(
        sa.select(Performance).join(Performance.organization)
        .where(Performance.forum_id == forum.id, Organization.kind == "theatre",
               sa.func.lower(Organization.name) == _clean(troupe_name).lower(),
               Performance.title_key == title_key(title)).limit(1))


def request_slot(forum: Forum, data: RequestData) -> Requested:
    """A troupe asks for a slot; the request waits for the organizers. Commits.

    Promises: refused with nothing saved when requests are closed ("closed"), this troupe
    already asked for this play ("duplicate", `other` is that request), or the data is
    incomplete. The troupe is the organization of kind theatre with this name (any case), made
    when new. The request keeps its contact as typed (name, phone). When that phone is new,
    the contact becomes a person with a registration of category performer, whose private page
    follows the request (its link goes by SMS to that phone). When the phone belongs to a person
    already in the list, nothing of hers changes and nothing is attached to her: the request has
    no contact registration (the organizers phone the contact), and her own link of this forum,
    if she is registered here, goes to her number, so the answer is the same as for a new one
    (issue 16: a stranger cannot file a request in her name)."""
    if not accepts_requests(forum):
        raise TheatreError("closed")
    troupe_name, title = _clean(data.troupe_name), _texts(data.title)
    if not troupe_name:
        raise TheatreError("troupe_name", "troupe_name")
    if not title:
        raise TheatreError("title", "title")
    existing = find_existing(forum, troupe_name, title)
    if existing is not None:
        raise TheatreError("duplicate", other=existing)
    if not _clean(data.contact_name) or not data.contact_phone:
        raise TheatreError("contact", "contact_phone")
    if not 5 <= (data.duration_minutes or 0) <= 180:
        raise TheatreError("duration", "duration_minutes")
    cast = [(_clean(name), phone or None) for name, phone in data.cast if _clean(name)]
    if not 1 <= (data.cast_size or 0) <= 60 or len(cast) > max(data.cast_size, MAX_CAST):
        raise TheatreError("cast_size", "cast_size")
    phones = [phone for _name, phone in cast if phone]
    if len(phones) != len(set(phones)):
        raise TheatreError("cast_phone_twice", "cast")
    troupe = find_or_create_organization(troupe_name, "theatre")
    known = find_person_by_phone(data.contact_phone)
    registration = None
    if known is None:
        person = Person(full_name=_clean(data.contact_name), phone=data.contact_phone, language=data.language,
                        organization=troupe, position="контактное лицо труппы")
        db.session.add(person)
        registration = new_registration(forum, person, "performer", status="invited", source="feature")
        registration.consent_at = utcnow()
    performance = Performance(
        forum_id=forum.id, organization=troupe, registration=registration, title=title, title_key=title_key(title),
        theme=_texts(data.theme), duration_minutes=data.duration_minutes, cast_size=data.cast_size,
        technical_needs=(data.technical_needs or "").strip()[:2000], preferred_times=_clean(data.preferred_times)[:300],
        contact_name=_clean(data.contact_name), contact_phone=data.contact_phone, language=data.language,
        status="pending",
        cast=[CastMember(full_name=name[:200], phone=phone, position=n) for n, (name, phone) in enumerate(cast)],
    )
    db.session.add(performance)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # The same play sent twice at the same instant (or a new number sent twice): the unique keys decide.
        db.session.rollback()
        existing = find_existing(forum, troupe_name, title)
        if existing is None:
            raise
        raise TheatreError("duplicate", other=existing) from None
    notify.received(performance)
    if known is not None:
        own = registration_of(forum, known)
        if own is not None and own.status != "cancelled":
            send_personal_link(own, asked=True)
    db.session.commit()
    return Requested(performance, own_link=registration is not None)


def _performer(forum: Forum, person: Person) -> Registration:
    """The person's registration at the forum, made (category performer) when missing."""
    registration = registration_of(forum, person) if person.id is not None else None
    if registration is None:
        registration = new_registration(forum, person, "performer", status="confirmed", source="feature")
        registration.consent_at = utcnow()
    elif registration.category == "guest":
        registration.category = "performer"
    return registration


def register_cast(performance: Performance) -> None:
    """The contact person and every cast member become performers of the forum (badges):
    persons are reused by phone; a member without a phone is a new person. Idempotent."""
    forum = performance.forum
    contact = performance.registration  # None: the contact's phone was a known person's
    if contact is not None and contact.status in ("invited", "cancelled") and contact.source == "feature":
        contact.status = "confirmed"
    for member in performance.cast:
        if member.registration is not None:
            continue
        person = find_person_by_phone(member.phone)
        if person is None:
            person = Person(full_name=member.full_name, phone=member.phone, language=performance.language,
                            organization_id=performance.organization_id, position="актёр")
            db.session.add(person)
        member.registration = _performer(forum, person)
        db.session.flush()


def decide(performance: Performance, approve: bool) -> None:
    """Approve (the cast is registered; the troupe may pick a free slot) or decline (its
    slot, if any, is freed). The troupe is told. The caller commits."""
    from forum.theatre import booking

    status = "approved" if approve else "declined"
    if performance.status == status:
        return
    if not approve and performance.slot_id is not None:
        booking.unbook(performance, notify_troupe=False)
    performance.status, performance.decided_at = status, utcnow()
    if approve:
        register_cast(performance)
    db.session.flush()
    notify.decided(performance)
