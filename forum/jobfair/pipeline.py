"""Job seekers and employers: interest with consent, walk-ins at the booth, the employer's
pipeline (contacted → interviewed → offered → hired, or declined) and interview times.

An employer only ever sees an Interest's `shared_name` and `shared_phone`: copies of what the
seeker agreed to share, taken at the moment of consent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.extensions import db
from forum.jobfair import notify
from forum.jobfair.models import SHARES, STAGES, Booth, Employer, Interest, InterviewSlot, Vacancy
from forum.jobfair.service import JobFairError, is_public, local_today
from forum.people.models import Registration
from forum.people.service import find_person_by_phone, registration_of

# The stages in the order a hiring goes; "declined" can follow any of them.
ORDER = ("interested", "contacted", "interviewed", "offered", "hired")
STAMPS = {"contacted": "contacted_at", "interviewed": "interviewed_at", "offered": "offered_at",
          "hired": "hired_at", "declined": "declined_at"}


def _insert(interest: Interest) -> Interest:
    """Add an interest; the database's unique keys refuse a second one for the same person."""
    try:
        with db.session.begin_nested():
            db.session.add(interest)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise JobFairError("already_interested") from None
    return interest


def interest_of(registration: Registration, vacancy: Vacancy) -> Interest | None:
    return db.session.scalar(sa.select(Interest).where(Interest.vacancy_id == vacancy.id,
                                                       Interest.registration_id == registration.id))


def express_interest(registration: Registration, vacancy: Vacancy, share: str,
                     now: datetime | None = None) -> Interest:
    """A participant tells an employer they are interested, sharing what they chose.

    Promises: only for a vacancy public at the participant's own forum; once per vacancy;
    the employer gets the name only with "name" or "name_phone", the phone only with
    "name_phone", copied now (a later change of phone does not reach the employer).
    """
    if share not in SHARES:
        raise JobFairError("bad_choice", field="share")
    if vacancy.forum_id != registration.forum_id or not is_public(vacancy, local_today(vacancy.forum, now)):
        raise JobFairError("not_open")
    if registration.status in ("cancelled", "declined"):
        raise JobFairError("registration_inactive")
    if interest_of(registration, vacancy) is not None:
        raise JobFairError("already_interested")
    person = registration.person
    interest = Interest(  # by id: a refused insert must leave no half-added object in vacancy.interests
        vacancy_id=vacancy.id, registration_id=registration.id, source="personal", share=share, consent_at=utcnow(),
        shared_name=person.full_name if share in ("name", "name_phone") else None,
        shared_phone=person.phone if share == "name_phone" else None,
    )
    return _insert(interest)


def withdraw_interest(registration: Registration, vacancy: Vacancy) -> bool:
    """The participant takes their interest back: the row and what was shared are deleted."""
    interest = interest_of(registration, vacancy)
    if interest is None:
        return False
    db.session.delete(interest)
    db.session.flush()
    return True


def interests_of(registration: Registration) -> dict[int, Interest]:
    rows = db.session.scalars(sa.select(Interest).options(joinedload(Interest.slot))
                              .where(Interest.registration_id == registration.id))
    return {i.vacancy_id: i for i in rows}


@dataclass
class WalkIn:
    full_name: str
    phone: str  # E.164
    vacancy_ids: list[int]


def record_walk_in(booth: Booth, data: WalkIn, now: datetime | None = None) -> tuple[int, int]:
    """A person at the booth leaves their name and phone (with consent) for some of its vacancies.

    Returns (recorded, already there). Only the booth's employer's public vacancies count; a
    phone registered at the forum is linked to that registration, so the person also sees
    the interest on their own page.
    """
    if booth.employer is None:
        raise JobFairError("booth_free")
    forum = booth.forum
    today = local_today(forum, now)
    vacancies = [v for v in db.session.scalars(sa.select(Vacancy).where(
        Vacancy.id.in_(data.vacancy_ids or [-1]), Vacancy.employer_id == booth.employer_id,
        Vacancy.forum_id == forum.id)) if is_public(v, today)]
    if not vacancies:
        raise JobFairError("choose_vacancy", field="vacancy_ids")
    person = find_person_by_phone(data.phone)
    registration = registration_of(forum, person) if person is not None else None
    recorded = already = 0
    for vacancy in vacancies:
        interest = Interest(vacancy_id=vacancy.id, registration_id=registration.id if registration else None,
                            source="booth", share="name_phone",
                            shared_name=data.full_name.strip(), shared_phone=data.phone, consent_at=utcnow())
        try:
            _insert(interest)
            recorded += 1
        except JobFairError:
            already += 1
    return recorded, already


# --- the employer's side ------------------------------------------------------------------------

def employer_interest_or_none(employer: Employer, interest_id: int) -> Interest | None:
    """An interest in one of this employer's vacancies; None for anyone else's (the route says 404)."""
    return db.session.scalar(sa.select(Interest).join(Interest.vacancy).where(
        Interest.id == interest_id, Vacancy.employer_id == employer.id))


def set_stage(interest: Interest, stage: str) -> None:
    """Move a seeker to a stage. Moving back (a slip of the finger) clears the later stages' dates;
    "declined" keeps how far they had got, so the figures still count that interview or offer."""
    if stage not in STAGES:
        raise JobFairError("bad_choice", field="stage")
    if stage == interest.stage:
        return
    now = utcnow()
    if stage == "declined":
        interest.declined_at = now
    else:
        interest.declined_at = None
        reached = ORDER.index(stage)
        for later in ORDER[reached + 1:]:
            setattr(interest, STAMPS[later], None)
        for earlier in ORDER[1:reached + 1]:
            if getattr(interest, STAMPS[earlier]) is None:
                setattr(interest, STAMPS[earlier], now)
    interest.stage = stage
    db.session.flush()
    if stage == "offered":
        notify.offer_made(interest)


def add_slots(employer: Employer, forum, start: time, end: time, minutes: int) -> int:
    """Interview times every `minutes` from `start` to `end` (the forum's local time, its day).

    Times already there are kept; returns how many were added. Refused outside the forum's
    hours, so no one is invited before the doors open.
    """
    if minutes < 5 or minutes > 240:
        raise JobFairError("bad_slot_length", field="minutes")
    zone = ZoneInfo(forum.timezone)
    day = forum.starts_at.astimezone(zone).date()
    begin = datetime.combine(day, start, tzinfo=zone).astimezone(ZoneInfo("UTC"))
    finish = datetime.combine(day, end, tzinfo=zone).astimezone(ZoneInfo("UTC"))
    if finish <= begin:
        raise JobFairError("slots_end_before_start", field="end")
    if begin < forum.starts_at or finish > forum.ends_at:
        raise JobFairError("slots_outside_forum", field="start")
    taken = set(db.session.scalars(sa.select(InterviewSlot.starts_at).where(
        InterviewSlot.employer_id == employer.id, InterviewSlot.forum_id == forum.id)))
    added = 0
    step = timedelta(minutes=minutes)
    moment = begin
    while moment + step <= finish:
        if moment not in taken:
            db.session.add(InterviewSlot(employer_id=employer.id, forum_id=forum.id, starts_at=moment,
                                         ends_at=moment + step))
            added += 1
        moment += step
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # the same times added from two devices at once
        raise JobFairError("busy") from None
    return added


def slots_of(employer: Employer, forum) -> list[InterviewSlot]:
    return list(db.session.scalars(
        sa.select(InterviewSlot).options(joinedload(InterviewSlot.interest))
        .where(InterviewSlot.employer_id == employer.id, InterviewSlot.forum_id == forum.id)
        .order_by(InterviewSlot.starts_at)))


def offer_interview(interest: Interest, slot: InterviewSlot, booth_label: str | None) -> None:
    """Give a seeker an interview time at the booth and tell them by SMS.

    Refused: a slot of another employer or forum, or one already given (two colleagues
    offering the same time at once: one conditional UPDATE wins). A seeker holds one time;
    a new one frees the old.
    """
    vacancy = interest.vacancy
    if slot.employer_id != vacancy.employer_id or slot.forum_id != vacancy.forum_id:
        raise JobFairError("bad_slot", field="slot_id")
    if interest.stage in ("declined", "hired"):
        raise JobFairError("stage_closed")
    if interest.slot is not None and interest.slot.id == slot.id:
        return
    old = interest.slot
    if old is not None:  # first free the old time: a seeker holds one (unique in the database)
        old.interest_id, old.offered_at = None, None
        db.session.flush()
    taken = cast(CursorResult, db.session.execute(
        sa.update(InterviewSlot).where(InterviewSlot.id == slot.id, InterviewSlot.interest_id.is_(None))
        .values(interest_id=interest.id, offered_at=utcnow()).execution_options(synchronize_session=False)
    )).rowcount
    if not taken:
        raise JobFairError("slot_taken", field="slot_id")
    db.session.refresh(slot)
    db.session.expire(interest, ["slot"])
    if interest.stage == "interested":
        set_stage(interest, "contacted")
    notify.interview_offered(interest, slot, booth_label)


def cancel_interview(interest: Interest) -> None:
    slot = interest.slot
    if slot is not None:
        slot.interest_id, slot.offered_at = None, None
        db.session.flush()
        db.session.expire(interest, ["slot"])


def vacancy_interests(vacancy: Vacancy) -> list[Interest]:
    return list(db.session.scalars(sa.select(Interest).options(joinedload(Interest.slot))
                                   .where(Interest.vacancy_id == vacancy.id).order_by(Interest.id)))


def interest_counts(vacancy_ids: list[int]) -> dict[int, int]:
    if not vacancy_ids:
        return {}
    rows = db.session.execute(sa.select(Interest.vacancy_id, sa.func.count(Interest.id))
                              .where(Interest.vacancy_id.in_(vacancy_ids)).group_by(Interest.vacancy_id))
    return dict(rows.tuples().all())
