"""People at forums: finding and creating persons, registering them, searching the lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.events.models import Forum
from forum.extensions import db
from forum.people import arrivals
from forum.people.codes import new_badge_secret, new_private_token, new_short_code
from forum.people.folding import fold
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
from forum.people.organizations import clash, keys, matching_organizations, parse_aliases
from forum.people.search import (
    folded_name_first,
    person_matches,
    phone_digits,
    typed_like,
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
        badge_secret=new_badge_secret(), token=new_private_token(), short_code=new_short_code(),
    )
    db.session.add(registration)
    return registration


def find_or_create_organization(name: str, kind: str, district_id: int | None = None,
                                jamoat_id: int | None = None) -> Organization:
    """The organization `name` means (forum.people.organizations: by any of its names, folded;
    of `kind` when several), else a new one of `kind`."""
    found = matching_organizations(name)
    org = next((o for o in found if o.kind == kind), found[0] if found else None)
    if org is None:
        org = Organization(name=name, kind=kind, district_id=district_id, jamoat_id=jamoat_id)
        db.session.add(org)
    return org


def registrations_query(forum: Forum, q: str = "", category: str = "", status: str = "",
                        district_id: int | None = None, organization_id: int | None = None,
                        not_arrived_at: str = "") -> sa.Select:
    """Registrations of a forum matching a search (name, phone or organization) and filters;
    `not_arrived_at`: expected at that place (a checkpoint's key, or "any") and not in yet."""
    stmt = (
        sa.select(Registration)
        .join(Registration.person)
        .options(joinedload(Registration.person).joinedload(Person.organization),
                 joinedload(Registration.person).joinedload(Person.district),
                 joinedload(Registration.person).joinedload(Person.jamoat))
        .where(Registration.forum_id == forum.id)
    )
    if (condition := person_matches(q)) is not None:
        stmt = stmt.where(condition)
    if category:
        stmt = stmt.where(Registration.category == category)
    if status:
        stmt = stmt.where(Registration.status == status)
    if district_id:
        # The organization is joined only for this filter: a search alone reads no organization.
        stmt = stmt.outerjoin(Person.organization).where(
            sa.or_(Person.district_id == district_id, Organization.district_id == district_id))
    if organization_id:
        stmt = stmt.where(Person.organization_id == organization_id)
    if (missing := arrivals.not_arrived(forum, not_arrived_at)) is not None:
        stmt = stmt.where(missing)
    return stmt.order_by(folded_name_first(q), Person.full_name, Registration.id)


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
    """Names containing `q` (any case, Cyrillic too), or phones containing its digits (the
    organizations' lists; people are found by people.search)."""
    q = (q or "").strip()
    if not q:
        return None
    like = typed_like(q)
    conditions: list[sa.ColumnElement[bool]] = [sa.func.lower(column).like(like, escape="\\") for column in names]
    if (digits := phone_digits(q)) is not None and phone_column is not None:
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
    names: dict[str, str] = field(default_factory=dict)  # {"ru", "tg", "en"}: the name in each language
    aliases: list[str] = field(default_factory=list)  # other spellings an import may use


def save_organization(data: OrganizationData, org: Organization | None = None) -> Organization:
    """Create or change an organization; the caller commits.

    Promises: nothing changes when one of its names (name, short name, a translation or an
    alias) already means another organization, folded as in search (PeopleError
    "organization_exists" naming it, on the field of that name: "names-en" for the English
    name), or the jamoat is not in the
    district.
    """
    if data.kind not in ORGANIZATION_KINDS:
        raise PeopleError("unknown_kind", "kind")
    names = {code: _clean(text) for code, text in data.names.items() if code in LANGUAGES and _clean(text)}
    own = keys([data.name, data.short_name, *names.values()])
    aliases = [alias for alias in parse_aliases("\n".join(data.aliases)) if fold(alias) not in own]
    checked = [("name", [data.name]), ("short_name", [data.short_name]),
               *((f"names-{code}", [text]) for code, text in names.items()), ("aliases", aliases)]
    for field_name, texts in checked:
        taken = clash(texts, exclude=org)
        if taken is not None:
            raise PeopleError("organization_exists", field_name, other=taken[1])
    district_id, jamoat_id = place(data.district_id, data.jamoat_id)
    if org is None:
        org = Organization()
        db.session.add(org)
    org.name, org.kind, org.short_name = _clean(data.name), data.kind, _clean(data.short_name)
    org.names, org.aliases = names, aliases
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
    return cast(dict[int, int], dict(rows.tuples().all()))  # no None: the query asks for these ids


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name, Organization.id)))


def organizations_at(forum) -> list[Organization]:
    """The organizations of the forum's registered people, by name. Picked by id (IN), not by a
    DISTINCT over joined rows: PostgreSQL cannot compare the JSON columns (names, aliases)."""
    present = (sa.select(Person.organization_id).join(Registration, Registration.person_id == Person.id)
               .where(Registration.forum_id == forum.id))
    return list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(present))
                                   .order_by(Organization.name, Organization.id)))


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


@dataclass
class ContactChange:
    """A new phone or email for a person already in the list, shown before it is saved:
    their personal links go to these from then on."""

    old_phone: str | None
    new_phone: str | None
    old_email: str | None
    new_email: str | None

    @property
    def key(self) -> str:
        """What the organizer saw, sent back with the form to say "yes, these"."""
        return f"{self.new_phone or ''}|{(self.new_email or '').lower()}"


def contact_change(data: PersonData, person: Person | None) -> ContactChange | None:
    if person is None or person.id is None:
        return None
    same_phone = (person.phone or None) == (data.phone or None)
    same_email = (person.email or "").lower() == (data.email or "").lower()
    if same_phone and same_email:
        return None
    return ContactChange(person.phone, data.phone or None, person.email, data.email or None)


def save_person(data: PersonData, person: Person | None = None, contact_seen: str | None = None) -> Person:
    """Create or change a person; the caller commits.

    Promises: one person per phone number: nothing changes when the phone belongs to
    someone else (PeopleError "phone_taken" with that person as `other`). A new phone or
    email of a person already in the list is saved only once the organizer has seen it:
    `contact_seen` must be the ContactChange's key, else nothing changes (PeopleError
    "contact_change" with the ContactChange as `other`).
    """
    other = find_person_by_phone(data.phone)
    if other is not None and other is not person:
        raise PeopleError("phone_taken", "phone", other=other)
    change = contact_change(data, person)
    if change is not None and contact_seen != change.key:
        raise PeopleError("contact_change", "phone", other=change)
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
    if (condition := person_matches(q)) is not None:
        stmt = stmt.where(condition)
    if organization_id:
        stmt = stmt.where(Person.organization_id == organization_id)
    if district_id:
        stmt = stmt.where(sa.or_(Person.district_id == district_id, Organization.district_id == district_id))
    return stmt.order_by(folded_name_first(q), Person.full_name, Person.id)


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
    (status: e.g. cancelled, which sends people.signals.registration_cancelled). The badge
    secret and the private link stay the same."""
    if category not in CATEGORIES or status not in STATUSES:
        raise RegistrationError("invalid")
    cancelled = status == "cancelled" and registration.status != "cancelled"
    registration.category, registration.status, registration.notes = category, status, (notes or "").strip()
    if cancelled:
        from forum.people.signals import registration_cancelled

        db.session.flush()
        registration_cancelled.send(registration)
