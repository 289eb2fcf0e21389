"""People at forums: finding and creating persons, registering them, searching the lists."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.codes import new_badge_secret, new_private_token
from forum.people.models import District, Jamoat, Organization, Person, Registration


class RegistrationError(Exception):
    """A registration was refused; `code` is for programs, the message for people."""

    def __init__(self, code: str, message: str = "", registration: Registration | None = None):
        super().__init__(message or code)
        self.code = code
        self.registration = registration


def find_person_by_phone(phone: str | None) -> Person | None:
    if not phone:
        return None
    return db.session.scalar(sa.select(Person).where(Person.phone == phone))


def registration_of(forum: Forum, person: Person) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(Registration.forum_id == forum.id, Registration.person_id == person.id)
    )


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(Registration).options(joinedload(Registration.forum), joinedload(Registration.person))
        .where(Registration.token == token)
    )


def new_registration(forum: Forum, person: Person, category: str, status: str = "confirmed",
                     source: str = "organizer") -> Registration:
    """A registration with fresh secrets; the caller commits. Refuses a person registered twice."""
    if person.id is not None:
        existing = registration_of(forum, person)
        if existing is not None:
            raise RegistrationError("duplicate", registration=existing)
    registration = Registration(
        forum=forum, person=person, category=category, status=status, source=source,
        badge_secret=new_badge_secret(), token=new_private_token(),
    )
    db.session.add(registration)
    return registration


@dataclass
class SelfRegistration:
    full_name: str
    phone: str | None  # E.164
    email: str | None
    language: str
    category: str
    gender: str | None = None
    organization_name: str = ""
    district_id: int | None = None
    jamoat_id: int | None = None


def register_self(forum: Forum, data: SelfRegistration) -> Registration:
    """Register a participant from the public form.

    Promises: nothing is created when registration is closed or the phone is already
    registered at this forum (RegistrationError "closed" / "duplicate" with the existing
    registration); a known phone reuses its person and keeps what they told us before.
    """
    if not (forum.registration_open and forum.status == "published"):
        raise RegistrationError("closed")
    person = find_person_by_phone(data.phone)
    if person is not None:
        existing = registration_of(forum, person)
        if existing is not None:
            raise RegistrationError("duplicate", registration=existing)
    else:
        person = Person(full_name=data.full_name.strip(), phone=data.phone)
        db.session.add(person)
    person.email = data.email or person.email
    person.language = data.language
    person.gender = data.gender or person.gender
    person.district_id = data.district_id or person.district_id
    person.jamoat_id = data.jamoat_id or person.jamoat_id
    if data.organization_name.strip() and person.organization is None:
        person.organization = find_or_create_organization(data.organization_name.strip(), "shg",
                                                          data.district_id, data.jamoat_id)
    registration = new_registration(forum, person, data.category, status="confirmed", source="self")
    registration.consent_at = utcnow()
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # Two submissions of one phone at the same moment: the database's unique keys decide.
        db.session.rollback()
        person = find_person_by_phone(data.phone)
        raise RegistrationError("duplicate", registration=person and registration_of(forum, person)) from None
    return registration


def find_or_create_organization(name: str, kind: str, district_id: int | None = None,
                                jamoat_id: int | None = None) -> Organization:
    org = db.session.scalar(sa.select(Organization).where(sa.func.lower(Organization.name) == name.lower(),
                                                          Organization.kind == kind))
    if org is None:
        org = Organization(name=name, kind=kind, district_id=district_id, jamoat_id=jamoat_id)
        db.session.add(org)
    return org


def registrations_query(forum: Forum, q: str = "", category: str = "", status: str = "",
                        district_id: int | None = None, organization_id: int | None = None) -> sa.Select:
    """Registrations of a forum matching a search (name, phone or organization) and filters."""
    stmt = (
        sa.select(Registration)
        .join(Registration.person)
        .outerjoin(Person.organization)
        .options(joinedload(Registration.person).joinedload(Person.organization),
                 joinedload(Registration.person).joinedload(Person.district),
                 joinedload(Registration.person).joinedload(Person.jamoat))
        .where(Registration.forum_id == forum.id)
    )
    q = (q or "").strip()
    if q:
        like = f"%{q.lower()}%"
        digits = "".join(c for c in q if c.isdigit())
        conditions = [sa.func.lower(Person.full_name).like(like), sa.func.lower(Organization.name).like(like)]
        if len(digits) >= 3:
            conditions.append(Person.phone.like(f"%{digits}%"))
        stmt = stmt.where(sa.or_(*conditions))
    if category:
        stmt = stmt.where(Registration.category == category)
    if status:
        stmt = stmt.where(Registration.status == status)
    if district_id:
        stmt = stmt.where(sa.or_(Person.district_id == district_id, Organization.district_id == district_id))
    if organization_id:
        stmt = stmt.where(Person.organization_id == organization_id)
    return stmt.order_by(Person.full_name, Registration.id)


def districts() -> list[District]:
    return list(db.session.scalars(sa.select(District).options(joinedload(District.jamoats)).order_by(District.id)).unique())


def jamoats() -> list[Jamoat]:
    return list(db.session.scalars(sa.select(Jamoat).order_by(Jamoat.district_id, Jamoat.id)))
