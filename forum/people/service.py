"""People at forums: finding and creating persons, registering them, searching the lists."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.codes import new_badge_secret, new_private_token
from forum.people.models import (
    CATEGORIES,
    LANGUAGES,
    ORGANIZATION_KINDS,
    STATUSES,
    District,
    Jamoat,
    Organization,
    Person,
    Registration,
)


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


# --- organizer work on the lists: organizations, persons, registrations --------------------------

class PeopleError(ValueError):
    """A change to a person or an organization was refused; `code` picks the message,
    `field` the form field it belongs to, `other` the record it clashes with."""

    def __init__(self, code: str, field: str = "", other: object = None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.other = other


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _search(q: str, names: list, phone_column) -> sa.ColumnElement | None:
    """Names containing `q` (any case, Cyrillic too), or phones containing its digits."""
    q = (q or "").strip()
    if not q:
        return None
    like = f"%{q.lower()}%"
    conditions = [sa.func.lower(column).like(like) for column in names]
    digits = "".join(c for c in q if c.isdigit())
    if len(digits) >= 3 and phone_column is not None:
        conditions.append(phone_column.like(f"%{digits}%"))
    return sa.or_(*conditions)


def place(district_id: int | None, jamoat_id: int | None) -> tuple[int | None, int | None]:
    """A district and a jamoat that fit together: a jamoat brings its own district."""
    if jamoat_id:
        jamoat = db.session.get(Jamoat, jamoat_id)
        if jamoat is None:
            raise PeopleError("unknown_jamoat", "jamoat_id")
        if district_id and district_id != jamoat.district_id:
            raise PeopleError("jamoat_not_in_district", "jamoat_id")
        return jamoat.district_id, jamoat.id
    if district_id and db.session.get(District, district_id) is None:
        raise PeopleError("unknown_district", "district_id")
    return district_id or None, None


@dataclass
class OrganizationData:
    name: str
    kind: str
    short_name: str = ""
    district_id: int | None = None
    jamoat_id: int | None = None
    contact_person: str = ""
    phone: str | None = None  # E.164
    email: str | None = None
    website: str = ""
    notes: str = ""


def organization_named(name: str, kind: str, exclude: Organization | None = None) -> Organization | None:
    stmt = sa.select(Organization).where(sa.func.lower(Organization.name) == _clean(name).lower(),
                                         Organization.kind == kind)
    if exclude is not None and exclude.id is not None:
        stmt = stmt.where(Organization.id != exclude.id)
    return db.session.scalars(stmt).first()


def save_organization(data: OrganizationData, org: Organization | None = None) -> Organization:
    """Create or change an organization; the caller commits.

    Promises: nothing changes when another organization of the same kind has the same name
    (any case), or the jamoat is not in the district (PeopleError).
    """
    if data.kind not in ORGANIZATION_KINDS:
        raise PeopleError("unknown_kind", "kind")
    clash = organization_named(data.name, data.kind, exclude=org)
    if clash is not None:
        raise PeopleError("organization_exists", "name", other=clash)
    district_id, jamoat_id = place(data.district_id, data.jamoat_id)
    if org is None:
        org = Organization()
        db.session.add(org)
    org.name, org.kind, org.short_name = _clean(data.name), data.kind, _clean(data.short_name)
    org.district_id, org.jamoat_id = district_id, jamoat_id
    org.contact_person, org.phone, org.email = _clean(data.contact_person), data.phone or None, data.email or None
    org.website, org.notes = (data.website or "").strip(), (data.notes or "").strip()
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise PeopleError("organization_exists", "name") from None
    return org


def organizations_query(q: str = "", kind: str = "", district_id: int | None = None) -> sa.Select:
    """Organizations whose name, short name, contact or phone matches, of a kind, in a district."""
    stmt = sa.select(Organization).options(joinedload(Organization.district), joinedload(Organization.jamoat))
    condition = _search(q, [Organization.name, Organization.short_name, Organization.contact_person],
                        Organization.phone)
    if condition is not None:
        stmt = stmt.where(condition)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if district_id:
        stmt = stmt.where(Organization.district_id == district_id)
    return stmt.order_by(Organization.kind, Organization.name, Organization.id)


def member_counts(organization_ids: list[int]) -> dict[int, int]:
    if not organization_ids:
        return {}
    rows = db.session.execute(sa.select(Person.organization_id, sa.func.count(Person.id))
                              .where(Person.organization_id.in_(organization_ids)).group_by(Person.organization_id))
    return dict(rows.tuples().all())


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name, Organization.id)))


@dataclass
class PersonData:
    full_name: str
    phone: str | None = None  # E.164
    email: str | None = None
    language: str = "ru"
    gender: str | None = None
    position: str = ""
    organization_id: int | None = None
    district_id: int | None = None
    jamoat_id: int | None = None


def save_person(data: PersonData, person: Person | None = None) -> Person:
    """Create or change a person; the caller commits.

    Promises: one person per phone number: nothing changes when the phone belongs to
    someone else (PeopleError "phone_taken" with that person as `other`).
    """
    other = find_person_by_phone(data.phone)
    if other is not None and other is not person:
        raise PeopleError("phone_taken", "phone", other=other)
    if data.organization_id and db.session.get(Organization, data.organization_id) is None:
        raise PeopleError("unknown_organization", "organization_id")
    if data.language not in LANGUAGES:
        raise PeopleError("unknown_language", "language")
    district_id, jamoat_id = place(data.district_id, data.jamoat_id)
    if person is None:
        person = Person()
        db.session.add(person)
    person.full_name, person.phone, person.email = _clean(data.full_name), data.phone or None, data.email or None
    person.language, person.gender, person.position = data.language, data.gender or None, _clean(data.position)
    person.organization_id = data.organization_id or None
    person.district_id, person.jamoat_id = district_id, jamoat_id
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # The same phone saved at the same moment by someone else: the unique key decides.
        db.session.rollback()
        raise PeopleError("phone_taken", "phone") from None
    return person


def persons_query(q: str = "", organization_id: int | None = None, district_id: int | None = None) -> sa.Select:
    """Persons whose name, phone or organization matches `q`, optionally of one organization or district."""
    stmt = (sa.select(Person).outerjoin(Person.organization)
            .options(joinedload(Person.organization), joinedload(Person.district), joinedload(Person.jamoat)))
    condition = _search(q, [Person.full_name, Organization.name], Person.phone)
    if condition is not None:
        stmt = stmt.where(condition)
    if organization_id:
        stmt = stmt.where(Person.organization_id == organization_id)
    if district_id:
        stmt = stmt.where(sa.or_(Person.district_id == district_id, Organization.district_id == district_id))
    return stmt.order_by(Person.full_name, Person.id)


def registered_person_ids(forum: Forum, person_ids: list[int]) -> set[int]:
    if not person_ids:
        return set()
    return set(db.session.scalars(sa.select(Registration.person_id).where(
        Registration.forum_id == forum.id, Registration.person_id.in_(person_ids))))


def register_person(forum: Forum, person: Person, category: str, status: str = "confirmed") -> Registration:
    """An organizer registers a known person at a forum; the caller commits.

    Promises: a person is registered once per forum (RegistrationError "duplicate")."""
    if category not in CATEGORIES or status not in STATUSES:
        raise RegistrationError("invalid")
    registration = new_registration(forum, person, category, status=status, source="organizer")
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise RegistrationError("duplicate") from None
    return registration


def change_registration(registration: Registration, category: str, status: str, notes: str = "") -> None:
    """Change what a person is at a forum (category) and where their registration stands
    (status: e.g. cancelled). The badge secret and the private link stay the same."""
    if category not in CATEGORIES or status not in STATUSES:
        raise RegistrationError("invalid")
    registration.category, registration.status, registration.notes = category, status, (notes or "").strip()
