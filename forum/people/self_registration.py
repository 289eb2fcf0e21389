"""Self-registration: a participant registers on the forum's public page. The one rule of
identity (issue 16) lives here: a phone that belongs to someone already changes nothing about
them and shows nothing of them; their own link goes to their number (forum.people.links)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forum.db import utcnow
from forum.events.models import Forum
from forum.events.service import accepts_public_forms
from forum.extensions import db
from forum.people.models import Person, Registration
from forum.people.service import (
    RegistrationError,
    find_or_create_organization,
    find_person_by_phone,
    new_registration,
    registration_of,
)


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


def accepts_self_registration(forum: Forum) -> bool:
    return forum.registration_open and accepts_public_forms(forum)


@dataclass
class SelfRegistered:
    registration: Registration
    new: bool  # made by this form; False when the phone's owner was registered here already


def register_self(forum: Forum, data: SelfRegistration) -> SelfRegistered:
    """Register a participant from the public form; the caller sends the link and commits.

    Promises: nothing is created when registration is closed (RegistrationError "closed").
    A phone that belongs to a person already changes nothing about that person, whatever
    else the form says: their registration at this forum is returned as it is, or, when they
    are not registered here yet, one is made for them as they are. Whoever typed the number
    never sees that person's page: the link goes to the number only (see people.links).
    """
    if not accepts_self_registration(forum):
        raise RegistrationError("closed")
    person = find_person_by_phone(data.phone)
    if person is not None:
        existing = registration_of(forum, person)
        if existing is not None:
            return SelfRegistered(existing, new=False)
        return SelfRegistered(_register_known(forum, person, data.category), new=False)
    person = Person(full_name=data.full_name.strip(), phone=data.phone, email=data.email, language=data.language,
                    gender=data.gender, district_id=data.district_id, jamoat_id=data.jamoat_id)
    db.session.add(person)
    if data.organization_name.strip():
        person.organization = find_or_create_organization(data.organization_name.strip(), "shg",
                                                          data.district_id, data.jamoat_id)
    registration = new_registration(forum, person, data.category, status="confirmed", source="self")
    registration.consent_at = utcnow()
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # The same phone sent twice at the same moment (a double tap): the unique keys decide,
        # and the second answer is the first one's.
        db.session.rollback()
        person = find_person_by_phone(data.phone)
        existing = registration_of(forum, person) if person is not None else None
        if existing is None:
            raise
        return SelfRegistered(existing, new=False)
    return SelfRegistered(registration, new=True)


def _register_known(forum: Forum, person: Person, category: str) -> Registration:
    """A known person at one more forum, their record untouched. No consent is recorded: the
    form was not necessarily filled in by them."""
    try:
        with db.session.begin_nested():
            registration = new_registration(forum, person, category, status="confirmed", source="self")
            db.session.flush()
    except sa.exc.IntegrityError:
        existing = registration_of(forum, person)
        if existing is None:
            raise
        return existing
    return registration
