"""An employer's staff at a forum: each becomes a Registration (category employer), so they get
a badge like everyone else and pass the door."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.events.models import Forum
from forum.extensions import db
from forum.jobfair.models import Employer, EmployerStaff
from forum.jobfair.service import JobFairError, open_fairs
from forum.people.models import Person, Registration
from forum.people.service import RegistrationError, find_person_by_phone, new_registration, registration_of


def staff_of(employer: Employer, forum: Forum) -> list[EmployerStaff]:
    return list(db.session.scalars(
        sa.select(EmployerStaff).join(EmployerStaff.registration)
        .options(joinedload(EmployerStaff.registration).joinedload(Registration.person))
        .where(EmployerStaff.employer_id == employer.id, Registration.forum_id == forum.id)
        .order_by(EmployerStaff.id)))


def add_staff(employer: Employer, forum: Forum, full_name: str, phone: str, position: str = "") -> Registration:
    """Register a person of the employer at the forum (category employer, confirmed).

    Refused for an employer not approved, a forum without an open fair, and a phone already
    registered at the forum as someone else (a staff member removed earlier comes back).
    """
    if employer.status != "approved":
        raise JobFairError("employer_not_approved")
    if forum not in open_fairs():
        raise JobFairError("fair_closed")
    person = find_person_by_phone(phone)
    if person is not None:
        existing = registration_of(forum, person)
        if existing is not None:
            mine = db.session.scalar(sa.select(EmployerStaff).where(
                EmployerStaff.registration_id == existing.id, EmployerStaff.employer_id == employer.id))
            if mine is not None and existing.status == "cancelled":
                existing.status = "confirmed"
                db.session.flush()
                return existing
            raise JobFairError("staff_registered", field="phone")
    else:
        person = Person(full_name=full_name.strip(), phone=phone, organization=employer.organization,
                        position=position.strip(), language=employer.user.language)
        db.session.add(person)
    try:
        with db.session.begin_nested():
            registration = new_registration(forum, person, "employer", status="confirmed", source="feature")
            db.session.add(EmployerStaff(employer=employer, registration=registration))
            db.session.flush()
    except (RegistrationError, sa.exc.IntegrityError):
        raise JobFairError("staff_registered", field="phone") from None
    return registration


def remove_staff(employer: Employer, registration_id: int) -> bool:
    """Cancel a staff member's registration (their badge no longer admits them)."""
    link = db.session.scalar(sa.select(EmployerStaff).where(
        EmployerStaff.registration_id == registration_id, EmployerStaff.employer_id == employer.id))
    if link is None:
        return False
    link.registration.status = "cancelled"
    db.session.flush()
    return True
