"""The organizers' decision on an application: approval registers the group's contact and
members with the category "exhibitor" (persons found again by phone), so they get badges;
rejection needs a reason and cancels what this feature registered. The group is told
through the outbox either way, inside the caller's transaction."""
from __future__ import annotations

import sqlalchemy as sa

from forum.db import utcnow
from forum.events.models import Forum
from forum.exhibition import notify
from forum.exhibition.models import ExhibitorApplication
from forum.exhibition.service import ExhibitionError, clean_text
from forum.extensions import db
from forum.people.models import Jamoat, Person, Registration
from forum.people.service import find_person_by_phone, new_registration, registration_of

# An existing registration in one of these categories becomes "exhibitor" when the group is
# approved (its badge then says so); leaders, staff and guests of honour keep theirs.
BECOMES_EXHIBITOR = ("shg_member", "guest", "exhibitor")


def _exhibitor_registration(forum: Forum, person: Person) -> Registration:
    """The person's registration at the forum, made (category exhibitor) or turned into one."""
    registration = registration_of(forum, person) if person.id is not None else None
    if registration is None:
        registration = new_registration(forum, person, "exhibitor", status="confirmed", source="feature")
        registration.consent_at = utcnow()
        return registration
    if registration.category in BECOMES_EXHIBITOR:
        registration.category = "exhibitor"
        if registration.source == "feature" and registration.status in ("invited", "cancelled"):
            registration.status = "confirmed"
    return registration


def _jamoat_from_text(application: ExhibitorApplication) -> None:
    """A jamoat typed in by the group joins the list when the group is approved."""
    if application.jamoat_id or not application.jamoat_other or not application.district_id:
        return
    name = application.jamoat_other
    jamoats = db.session.scalars(sa.select(Jamoat).where(Jamoat.district_id == application.district_id))
    jamoat = next((j for j in jamoats if name.casefold() in {(v or "").casefold() for v in j.name.values()}), None)
    if jamoat is None:
        jamoat = Jamoat(district_id=application.district_id, key=f"added-{application.id}",
                        name={"ru": name, "tg": name, "en": name})
        db.session.add(jamoat)
        db.session.flush()
    application.jamoat_id, application.jamoat = jamoat.id, jamoat
    if application.organization.jamoat_id is None:
        application.organization.jamoat_id = jamoat.id


def approve(application: ExhibitorApplication, user=None, note: str = "", notify_group: bool = True) -> None:
    """Approve the group: its products become public, its contact and members are registered
    with the category exhibitor (persons found again by phone) and so get badges; the group is
    told through the outbox. The caller commits."""
    forum = db.session.get_one(Forum, application.forum_id)
    application.status = "approved"
    application.decision_reason = clean_text(note)
    application.decided_at, application.decided_by_id = utcnow(), user.id if user is not None else None
    _jamoat_from_text(application)
    if application.registration is not None:
        contact = application.registration
        if contact.category in BECOMES_EXHIBITOR:
            contact.category = "exhibitor"
        if contact.status in ("invited", "cancelled") and contact.source == "feature":
            contact.status = "confirmed"
    for member in application.members:
        # Approved before (then rejected): the same person again, even without a phone.
        person = member.registration.person if member.registration is not None else find_person_by_phone(member.phone)
        if person is None:
            person = Person(full_name=member.full_name, phone=member.phone, language=application.language,
                            organization_id=application.organization_id, district_id=application.district_id,
                            jamoat_id=application.jamoat_id, position="член ГВП")
            db.session.add(person)
            db.session.flush()
        member.registration = _exhibitor_registration(forum, person)
    db.session.flush()
    if notify_group:
        notify.application_decided(application)


def reject(application: ExhibitorApplication, user, reason: str, notify_group: bool = True) -> None:
    """Reject with a reason the group is told. Frees its stand; registrations this feature
    made for it are cancelled (no badge). The caller commits."""
    reason = (reason or "").strip()
    if not reason:
        raise ExhibitionError("reason_missing", field="reason")
    application.status = "rejected"
    application.decision_reason = reason[:2000]
    application.decided_at, application.decided_by_id = utcnow(), user.id if user is not None else None
    if application.stand is not None:
        application.stand.application_id = None
        application.stand.assigned_at = None
        application.stand.assigned_by_id = None
    made_here = [application.registration] + [m.registration for m in application.members]
    for registration in made_here:
        if registration is not None and registration.source == "feature" and registration.category == "exhibitor":
            registration.status = "cancelled"
    db.session.flush()
    if notify_group:
        notify.application_decided(application)
