"""Walk-ins: someone comes to the door without a registration; door staff register them and
check them in, in one step, and hand over a printed badge.

A phone number identifies a person (people.models.Person.phone is unique), so a walk-in
whose phone is already registered at this forum is that registration, checked in, never a
second person. A phone known from another forum is used only when the name typed is the
one stored (folded alike): the door learns nothing about a stranger from a number.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forum.checkin import service
from forum.checkin.models import Checkin
from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people import service as people
from forum.people.folding import fold
from forum.people.models import CATEGORIES, LANGUAGES, Person, Registration


class WalkInError(Exception):
    """A walk-in that cannot be registered; `code` picks the message (checkin.desk.ERRORS)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class WalkIn:
    full_name: str
    phone: str | None  # E.164, or None for someone without a phone
    category: str
    language: str = "ru"
    organization_name: str = ""


@dataclass
class WalkInResult:
    registration: Registration
    answer: service.Answer
    created: bool  # a new registration; False: the phone found someone registered here already


def send_personal_link(registration: Registration) -> None:
    """The one place a walk-in's personal link (/r/<token>) is sent, queued in the outbox with
    the registration: by SMS to the phone given at the door (and email, when known), at once,
    since the person is standing there (forum.people.links)."""
    from forum.people import links

    links.send_personal_link(registration, asked=True)


def walk_in(forum: Forum, checkpoint_key: str, data: WalkIn, nonce: str, user=None, device: str = "") -> WalkInResult:
    """Register a walk-in at the checkpoint and check them in, or check in the registration
    their phone already has here. Commits.

    Promises: the same `nonce` again (a double tap) answers as the first time and creates
    nothing; a phone registered at this forum checks that registration in, changing nothing
    about it; a phone of someone not registered here is theirs only when the name typed
    folds to theirs (then they are registered here), else WalkInError "phone_elsewhere" and
    nothing changes; the check-in is an ordinary scan (method "walkin") with every rule of
    the checkpoint. Raises service.CheckinError for an unknown or closed checkpoint or a bad
    nonce, WalkInError "invalid" for a category or language outside the lists.
    """
    if not service._valid_nonce(nonce):
        raise service.CheckinError("nonce")
    checkpoint = service.checkpoint_by_key(forum, checkpoint_key or "")
    if checkpoint is None or not checkpoint.active:
        raise service.CheckinError("checkpoint_closed" if checkpoint else "checkpoint")
    replay = _scan_of(forum, nonce)
    if replay is not None:
        return _replayed(replay)
    if data.category not in CATEGORIES or data.language not in LANGUAGES or not fold(data.full_name):
        raise WalkInError("invalid")
    for attempt in range(2):
        try:
            registration, created = _registration_for(forum, data)
            if not created:
                answer = service.scan(forum, checkpoint, nonce, registration_id=registration.id, user=user,
                                      device=device, method="walkin")
                return WalkInResult(registration, answer, created=False)
            db.session.flush()  # the phone's unique key decides between two doors registering one phone
            send_personal_link(registration)
            # One transaction: the person, the registration and the check-in, or none of them.
            answer = service.scan(forum, checkpoint, nonce, registration_id=registration.id, user=user,
                                  device=device, method="walkin", commit=False)
            db.session.commit()
            return WalkInResult(registration, answer, created=True)
        except sa.exc.IntegrityError:
            # A double tap whose first request won (the nonce), or the same phone registered at
            # the same moment at another door (the phone): nothing of ours stays; answer again.
            db.session.rollback()
            replay = _scan_of(forum, nonce)
            if replay is not None:
                return _replayed(replay)
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _replayed(checkin: Checkin) -> WalkInResult:
    registration = checkin.registration
    assert registration is not None  # _scan_of finds scans of a registration only
    return WalkInResult(registration, service.answer_for(checkin), created=registration.source == "walkin")


def _scan_of(forum: Forum, nonce: str) -> Checkin | None:
    if not isinstance(nonce, str):
        return None
    return db.session.scalar(sa.select(Checkin).where(Checkin.forum_id == forum.id, Checkin.nonce == nonce,
                                                      Checkin.registration_id.is_not(None)))


def _registration_for(forum: Forum, data: WalkIn) -> tuple[Registration, bool]:
    """The registration to check in, and whether it is new (added to the session, not flushed)."""
    person = people.find_person_by_phone(data.phone)
    if person is not None:
        registration = people.registration_of(forum, person)
        if registration is not None:
            return registration, False
        if fold(person.full_name) != fold(data.full_name):
            raise WalkInError("phone_elsewhere")
    else:
        person = Person(full_name=" ".join(data.full_name.split()), phone=data.phone, language=data.language)
        if data.organization_name.strip():
            person.organization = people.find_or_create_organization(" ".join(data.organization_name.split()), "shg")
        db.session.add(person)
    registration = people.new_registration(forum, person, data.category, status="confirmed", source="walkin")
    registration.consent_at = utcnow()  # staff asked at the door (the form's consent box)
    return registration, True
