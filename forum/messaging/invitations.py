"""Invitations to the forum and to its agenda items: choosing who, previewing in each
language, queueing email and SMS, updates when an item moves, and the answers (RSVP)."""
from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.messaging import compose
from forum.messaging.models import CHANNELS, Invitation, Message
from forum.messaging.outbox import queue
from forum.messaging.signals import rsvp_changed
from forum.messaging.sms import sms_parts
from forum.people.codes import BADGE_ALPHABET
from forum.people.models import Organization, Person, Registration

CODE_LENGTH = 8  # 31^8 ≈ 8.5·10^11 codes: unguessable behind a rate limit, easy to read out on the phone


class InvitationError(ValueError):
    """An invitation was refused; `code` for programs ("item_cancelled", "bad_item", "no_channel")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Selection:
    """Whom to invite to what: filters over a forum's registrations, the item and the channels."""

    item_id: int | None = None  # None: the whole forum
    categories: list[str] = field(default_factory=list)
    organization_id: int | None = None
    district_id: int | None = None
    status: str = ""  # registration status; by default everyone but cancelled and declined
    channels: tuple[str, ...] = CHANNELS
    listed_only: bool = False  # only people already on the item's list (e.g. put there by the round table)


@dataclass
class Preview:
    item: object | None
    total: int = 0  # registrations selected
    to_queue: Counter = field(default_factory=Counter)  # (language, channel) → messages to queue
    unreachable: int = 0  # selected but no address for the chosen channels
    already: int = 0  # already invited (or declined): nothing new for them
    samples: dict[str, dict] = field(default_factory=dict)  # language → email and SMS of one person
    capacity: int | None = None  # of the item's area, to warn when more people are invited
    people: int = 0  # people who will get something
    new_people: int = 0  # of them, invited for the first time
    seats_taken: int = 0  # invitations to this item not declined so far

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.seats_taken + self.new_people > self.capacity

    @property
    def messages(self) -> int:
        return sum(self.to_queue.values())


def new_code() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(CODE_LENGTH))


def agenda_item(forum: Forum, item_id: int | None):
    """The forum's agenda item `item_id` (None for the whole forum); InvitationError if not there."""
    if item_id is None:
        return None
    from forum.agenda.models import AgendaItem

    item = db.session.get(AgendaItem, item_id)
    if item is None or item.forum_id != forum.id:
        raise InvitationError("bad_item")
    return item


def invitable_items(forum: Forum) -> list:
    from forum.agenda.models import AgendaItem

    return list(db.session.scalars(sa.select(AgendaItem).where(
        AgendaItem.forum_id == forum.id, AgendaItem.status == "scheduled").order_by(AgendaItem.starts_at, AgendaItem.id)))


def select_registrations(forum: Forum, selection: Selection) -> list[Registration]:
    stmt = (sa.select(Registration).join(Registration.person).outerjoin(Person.organization)
            .options(joinedload(Registration.person), joinedload(Registration.forum))
            .where(Registration.forum_id == forum.id))
    if selection.categories:
        stmt = stmt.where(Registration.category.in_(selection.categories))
    if selection.status:
        stmt = stmt.where(Registration.status == selection.status)
    else:
        stmt = stmt.where(Registration.status.not_in(("cancelled", "declined")))
    if selection.district_id:
        stmt = stmt.where(sa.or_(Person.district_id == selection.district_id,
                                 Organization.district_id == selection.district_id))
    if selection.organization_id:
        stmt = stmt.where(Person.organization_id == selection.organization_id)
    if selection.listed_only and selection.item_id:
        from forum.agenda.models import AgendaItemAttendee

        stmt = stmt.where(Registration.id.in_(sa.select(AgendaItemAttendee.registration_id).where(
            AgendaItemAttendee.item_id == selection.item_id)))
    return list(db.session.scalars(stmt.order_by(Person.full_name, Registration.id)).unique())


def addresses(person: Person, channels) -> dict[str, str]:
    """channel → address for the channels this person can be reached by."""
    found = {}
    if "email" in channels and person.email:
        found["email"] = person.email
    if "sms" in channels and person.phone:
        found["sms"] = person.phone
    return found


def _existing(forum: Forum, item) -> dict[int, Invitation]:
    stmt = sa.select(Invitation).where(Invitation.forum_id == forum.id)
    stmt = stmt.where(Invitation.item_id.is_(None) if item is None else Invitation.item_id == item.id)
    return {inv.registration_id: inv for inv in db.session.scalars(stmt)}


def _dedup(invitation: Invitation, channel: str, kind: str, sequence: int | None) -> str:
    return f"invitation:{invitation.id}:{channel}:{compose.METHODS.get(kind, kind)}:{sequence or 0}"


def _queued_keys(invitations: list[Invitation]) -> set[str]:
    ids = [inv.id for inv in invitations if inv.id is not None]
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Message.dedup_key).where(Message.invitation_id.in_(ids))))


def _plan(forum: Forum, selection: Selection):
    """(item, [(registration, invitation or None, {channel: address} still to send)], preview)."""
    item = agenda_item(forum, selection.item_id)
    if item is not None and item.is_cancelled:
        raise InvitationError("item_cancelled")
    channels = tuple(c for c in selection.channels if c in CHANNELS)
    if not channels:
        raise InvitationError("no_channel")
    registrations = select_registrations(forum, selection)
    existing = _existing(forum, item)
    sequence = item.sequence if item is not None else 0
    done = _queued_keys(list(existing.values()))
    preview = Preview(item=item, total=len(registrations),
                      capacity=item.area.capacity if item is not None else None)
    preview.seats_taken = sum(1 for inv in existing.values() if inv.status != "declined" and inv.invited_at)
    plan = []
    for registration in registrations:
        invitation = existing.get(registration.id)
        reachable = addresses(registration.person, channels)
        if not reachable:
            preview.unreachable += 1
            continue
        if invitation is not None:
            if invitation.status == "declined":
                preview.already += 1
                continue
            reachable = {c: a for c, a in reachable.items()
                         if _dedup(invitation, c, "invitation", sequence) not in done}
            if not reachable:
                preview.already += 1
                continue
        plan.append((registration, invitation, reachable))
        preview.people += 1
        preview.new_people += invitation is None or invitation.invited_at is None
        lang = registration.person.language or "ru"
        for channel in reachable:
            preview.to_queue[(lang, channel)] += 1
    return item, plan, preview


def preview(forum: Forum, selection: Selection) -> Preview:
    """What `send` would queue, with one sample (email and SMS) per language. Changes nothing."""
    item, plan, result = _plan(forum, selection)
    for registration, invitation, _reachable in plan:
        lang = registration.person.language or "ru"
        if lang in result.samples:
            continue
        sample = invitation or Invitation(registration=registration, forum_id=forum.id,
                                          item_id=item.id if item is not None else None, status="invited",
                                          code="ABCD2345")
        with db.session.no_autoflush:
            mail = compose.email(sample, "invitation")
            text = compose.sms(sample, "invitation")
        if invitation is None and sample in db.session:
            db.session.expunge(sample)
        result.samples[lang] = {"person": registration.person.full_name, "email": mail, "sms": text,
                                "sms_parts": sms_parts(text)}
    return result


def send(forum: Forum, selection: Selection) -> Preview:
    """Create the invitations and queue their messages; the caller commits. Running it again
    with the same selection queues nothing new (people already invited are skipped)."""
    item, plan, result = _plan(forum, selection)
    now = utcnow()
    for registration, invitation, reachable in plan:
        if invitation is None:
            invitation = Invitation(forum_id=forum.id, registration=registration, status="invited",
                                    item_id=item.id if item is not None else None, code=new_code())
            db.session.add(invitation)
            db.session.flush()
        invitation.invited_at = invitation.invited_at or now
        if item is not None:
            _add_to_schedule(item, registration)
        queue_messages(invitation, "invitation", reachable)
    return result


def queue_messages(invitation: Invitation, kind: str, reachable: dict[str, str]) -> list[Message]:
    """Queue the email and/or SMS of one invitation (`kind`: invitation, update or cancel)."""
    item = compose.item_of(invitation)
    sequence = item.sequence if item is not None else 0
    registration = invitation.registration
    queued = []
    for channel, address in reachable.items():
        key = _dedup(invitation, channel, kind, sequence)
        if channel == "email":
            mail = compose.email(invitation, kind)
            payload: dict[str, str | None] = {"html": mail.html}
            if mail.calendar:
                payload.update(calendar=mail.calendar, method=mail.method, filename="invite.ics")
            message = queue(channel="email", recipient=address, subject=mail.subject, body=mail.text,
                            payload=payload, kind=kind, language=registration.person.language or "ru",
                            forum=registration.forum, registration=registration, invitation=invitation,
                            dedup_key=key)
        else:
            message = queue(channel="sms", recipient=address, body=compose.sms(invitation, kind), kind=kind,
                            language=registration.person.language or "ru", forum=registration.forum,
                            registration=registration, invitation=invitation, dedup_key=key)
        if message is not None:
            queued.append(message)
    if item is not None and queued:
        invitation.sent_sequence = sequence
    return queued


def _add_to_schedule(item, registration: Registration) -> None:
    """The item appears in the person's own schedule and calendar feed (unless already there
    in another role, e.g. as a speaker)."""
    from forum.agenda import service as agenda
    from forum.agenda.models import AgendaItemAttendee

    present = db.session.scalar(sa.select(AgendaItemAttendee.id).where(
        AgendaItemAttendee.item_id == item.id, AgendaItemAttendee.registration_id == registration.id))
    if present is None:
        agenda.add_attendee(item, registration, role="invited", source="messaging")


def _remove_from_schedule(item, registration: Registration) -> None:
    """Undo `_add_to_schedule` only: a place another feature gave (its list, its seating) is
    that feature's to change, through `rsvp_changed`."""
    from forum.agenda import service as agenda
    from forum.agenda.models import AgendaItemAttendee

    attendee = db.session.scalar(sa.select(AgendaItemAttendee).where(
        AgendaItemAttendee.item_id == item.id, AgendaItemAttendee.registration_id == registration.id))
    if attendee is not None and attendee.role == "invited" and attendee.source == "messaging":
        agenda.remove_attendee(item, registration)


def item_changed(item, kind: str) -> int:
    """Queue updates (REQUEST, the item's new SEQUENCE) or cancellations (METHOD:CANCEL) to
    everyone invited to `item` who has not declined, by the channels they were invited by.
    Runs inside the agenda's transaction; returns the number of messages queued."""
    if kind not in ("updated", "moved", "cancelled"):
        return 0
    invitations = list(db.session.scalars(
        sa.select(Invitation).options(joinedload(Invitation.registration).joinedload(Registration.person))
        .where(Invitation.item_id == item.id, Invitation.invited_at.is_not(None), Invitation.status != "declined")))
    if not invitations:
        return 0
    used = {(inv_id, channel) for inv_id, channel in db.session.execute(
        sa.select(Message.invitation_id, Message.channel).distinct()
        .where(Message.invitation_id.in_([inv.id for inv in invitations])))}
    message_kind = "cancel" if kind == "cancelled" else "update"
    count = 0
    for invitation in invitations:
        reachable = addresses(invitation.registration.person,
                              [c for c in CHANNELS if (invitation.id, c) in used])
        count += len(queue_messages(invitation, message_kind, reachable))
    return count


def registration_cancelled(registration: Registration) -> int:
    """Withdraw the forum-wide invitation of a cancelled registration: METHOD:CANCEL by email
    (the calendar drops the forum day), and a line by SMS, by the channels it was sent by.
    Runs inside the organizer's transaction; returns the number of messages queued."""
    invitation = db.session.scalar(sa.select(Invitation).where(
        Invitation.registration_id == registration.id, Invitation.item_id.is_(None),
        Invitation.invited_at.is_not(None)))
    if invitation is None:
        return 0
    used = set(db.session.scalars(sa.select(Message.channel).distinct().where(
        Message.invitation_id == invitation.id)))
    return len(queue_messages(invitation, "cancel", addresses(registration.person, [c for c in CHANNELS if c in used])))


def invitation_by_code(code: str) -> Invitation | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 12:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.code == code))


def respond(invitation: Invitation, answer: str, via: str = "link") -> bool:
    """Record an answer ("accepted" or "declined"); the caller commits. A forum-wide answer
    also confirms or declines the registration; an item's answer puts the item in or out of
    the person's schedule. Sends `rsvp_changed` (a declined seat can go to the waitlist).
    Returns False when the answer is the one already recorded."""
    if answer not in ("accepted", "declined"):
        raise InvitationError("bad_answer")
    previous = invitation.status
    if previous == answer:
        return False
    invitation.status = answer
    invitation.responded_at = utcnow()
    invitation.response_via = via
    registration = invitation.registration
    item = compose.item_of(invitation)
    if item is None:
        if registration.status != "cancelled":
            registration.status = "confirmed" if answer == "accepted" else "declined"
    elif answer == "declined":
        _remove_from_schedule(item, registration)
    else:
        _add_to_schedule(item, registration)
    db.session.flush()
    rsvp_changed.send(invitation, previous=previous)
    return True


def invitations_of(registration: Registration) -> list[tuple[Invitation, object]]:
    """A person's invitations with their items (None for the forum), the forum first, then by time."""
    rows = list(db.session.scalars(sa.select(Invitation).where(Invitation.registration_id == registration.id,
                                                                Invitation.invited_at.is_not(None))))
    pairs = [(inv, compose.item_of(inv)) for inv in rows]
    return sorted(pairs, key=lambda p: (p[1] is not None, p[1].starts_at if p[1] is not None else None, p[0].id))


def answers_summary(forum: Forum) -> list[dict]:
    """Per invitation target (the forum, each item): counts of invited / accepted / declined."""
    rows = db.session.execute(sa.select(Invitation.item_id, Invitation.status, sa.func.count(Invitation.id))
                              .where(Invitation.forum_id == forum.id, Invitation.invited_at.is_not(None))
                              .group_by(Invitation.item_id, Invitation.status))
    summary: dict = {}
    for item_id, status, count in rows:
        entry = summary.setdefault(item_id, {"item_id": item_id, "invited": 0, "accepted": 0, "declined": 0})
        entry[status] = count
    from forum.agenda.models import AgendaItem

    items = {i.id: i for i in db.session.scalars(sa.select(AgendaItem).where(AgendaItem.id.in_(
        [k for k in summary if k is not None])))} if summary else {}
    result = []
    for item_id, entry in summary.items():
        entry["item"] = items.get(item_id)
        entry["total"] = entry["invited"] + entry["accepted"] + entry["declined"]
        result.append(entry)
    return sorted(result, key=lambda e: (e["item"] is not None, e["item"].starts_at if e["item"] else None))


def answers(forum: Forum, item_id: int | None) -> list[Invitation]:
    stmt = (sa.select(Invitation).join(Invitation.registration).join(Registration.person)
            .options(joinedload(Invitation.registration).joinedload(Registration.person))
            .where(Invitation.forum_id == forum.id, Invitation.invited_at.is_not(None)))
    stmt = stmt.where(Invitation.item_id.is_(None) if item_id is None else Invitation.item_id == item_id)
    return list(db.session.scalars(stmt.order_by(Invitation.status, Person.full_name)))
