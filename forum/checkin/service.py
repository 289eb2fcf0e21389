"""The check-in service: one function, `scan`, does every scan at every door, for the scanner
page and the JSON API alike; `undo` takes a check-in back.

A scan finds the registration by badge secret, short code or (for someone without a badge)
its id; checks its status and the checkpoint's rule; records a check-in at most once per
person and checkpoint, however many phones scan at the same instant; and logs every scan,
failed ones too, with the reason, the device and the staff user. A repeated nonce is the
same scan: it gets the first answer again and records nothing new.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, load_only

from forum.badges import codes
from forum.badges import service as badges
from forum.badges.models import BadgeCode
from forum.checkin.models import METHODS, Checkin, Checkpoint
from forum.checkin.rules import get_rule
from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Person, Registration


class CheckinError(Exception):
    """A scan that cannot be recorded at all (no such checkpoint, no nonce): the caller's
    mistake, answered with an error rather than a scan result. `code` is for programs."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Answer:
    """What the door is told. `first` is the scan that let the person in before, when
    the answer is "already_checked_in" (or a re-entry). `view` holds the same facts as
    plain data, taken before the commit, so answering needs no further query."""

    status: str  # ok | already_checked_in | unknown | not_allowed | cancelled
    reason: str  # first | reentry | already | unknown_badge | unknown_code | reissued | other_forum | …
    checkin_id: int  # the recorded scan
    registration: Registration | None
    first: Checkin | None = None
    view: dict | None = None

    @property
    def checkin(self) -> Checkin:
        return db.session.get(Checkin, self.checkin_id)


def _view(checkin_id: int, at: datetime, checkpoint: Checkpoint, registration: Registration | None,
          first: Checkin | None, person: tuple[str, str] | None = None) -> dict:
    """The answer's facts as plain data (see checkin.answers for the JSON); `person` is
    (name, organization) when already at hand."""
    view = {"scan_id": checkin_id, "at": at, "checkpoint": {"key": checkpoint.key, "name": checkpoint.name}}
    if registration is not None:
        if person is None:
            organization = registration.person.organization
            person = (registration.person.full_name, organization.name if organization else "")
        view["registration"] = {"id": registration.id, "name": person[0], "organization": person[1] or "",
                                "category": registration.category, "status": registration.status}
    if first is not None:
        view["first"] = {"at": first.created_at, "by": first.user.name if first.user else "",
                         "checkpoint": {"key": first.checkpoint.key, "name": first.checkpoint.name}}
    return view


def checkpoints(forum: Forum, active_only: bool = False) -> list[Checkpoint]:
    stmt = sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id)
    if active_only:
        stmt = stmt.where(Checkpoint.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Checkpoint.position, Checkpoint.id)))


def checkpoint_by_key(forum: Forum, key: str) -> Checkpoint | None:
    return db.session.scalar(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id, Checkpoint.key == key))


@cache
def _door_query() -> sa.Select:
    return (sa.select(Forum, Checkpoint).options(load_only(Forum.id, Forum.slug, Forum.timezone, Forum.status))
            .outerjoin(Checkpoint, sa.and_(Checkpoint.forum_id == Forum.id, Checkpoint.key == sa.bindparam("key")))
            .where(Forum.slug == sa.bindparam("slug")))


def forum_and_checkpoint(slug: str, key: str) -> tuple[Forum | None, Checkpoint | None]:
    """The forum with this slug and its checkpoint with this key, in one query (the door's
    hot path); either may be None."""
    row = db.session.execute(_door_query(), {"slug": slug, "key": key or ""}).first()
    return (row[0], row[1]) if row else (None, None)


def _valid_nonce(nonce) -> bool:
    return isinstance(nonce, str) and 8 <= len(nonce) <= 64 and nonce.isascii() and nonce.isprintable()


def _mask(code: str) -> str:
    """What the log keeps of a scanned value: short codes whole, secrets only their start."""
    if codes.looks_like_secret(code):
        return code[:4] + "…"
    return code[:12]


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


_FIRST = aliased(Checkin, name="first_entry")  # a person's first entry, joined to their registration


def first_entry_of(checkin_entity=Checkin):
    """The condition for a first entry that counts (see models.FIRST_ENTRY)."""
    return sa.and_(checkin_entity.reason == "first", checkin_entity.undone_at.is_(None))


@cache
def _lookup(kind: str, lock: bool) -> sa.Select:
    """The door's one query, built once: the registration (by secret, short code or id), the
    person's name and organization, and the id of their first entry at the checkpoint."""
    from forum.people.models import Organization

    stmt = (
        sa.select(Registration, Person.full_name, Organization.name, _FIRST.id)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(_FIRST, sa.and_(_FIRST.registration_id == Registration.id,
                                   _FIRST.checkpoint_id == sa.bindparam("checkpoint_id"), first_entry_of(_FIRST)))
    )
    if kind == "secret":
        stmt = stmt.where(Registration.badge_secret == sa.bindparam("value"))
    elif kind == "code":
        stmt = stmt.join(BadgeCode, BadgeCode.registration_id == Registration.id).where(
            BadgeCode.forum_id == sa.bindparam("forum_id"), BadgeCode.code == sa.bindparam("value"))
    else:
        stmt = stmt.where(Registration.id == sa.bindparam("value"), Registration.forum_id == sa.bindparam("forum_id"))
    return stmt.with_for_update(of=Registration) if lock else stmt


@dataclass
class _Found:
    registration: Registration | None
    entry: Checkin | None  # the first entry at the checkpoint, if any
    person: tuple[str, str] | None  # name, organization
    reason: str  # why nothing was found
    masked: str  # what was scanned, as the log keeps it


def _identify(forum: Forum, checkpoint: Checkpoint, value: str | None, registration_id: int | None) -> _Found:
    """The registration for what was scanned or chosen, with its first entry at the
    checkpoint, in one query.

    On PostgreSQL the query also locks the registration's row until commit, so a second
    scan of the same badge waits and then reads the first one's entry. On SQLite reading
    takes no lock (the write lock is held only from the insert to the commit, as short as
    it can be); there the partial unique index on first entries decides between two
    simultaneous first scans, and the loser is answered again as "already checked in"."""
    masked, missing = "", "not_found"
    params = {"checkpoint_id": checkpoint.id, "forum_id": forum.id}
    if registration_id is not None:
        kind, params["value"] = "id", registration_id
    else:
        code = codes.normalize(value)
        masked = _mask(code)
        if codes.looks_like_secret(code):
            kind, missing = "secret", "unknown_badge"
        elif codes.looks_like_short_code(code):
            kind, missing = "code", "unknown_code"
        else:
            return _Found(None, None, None, "unreadable", masked)
        params["value"] = code
    row = db.session.execute(_lookup(kind, _postgres()), params).first()
    if row is None:
        if missing == "unknown_badge" and badges.retired_badge(code):
            missing = "reissued"
        return _Found(None, None, None, missing, masked)
    registration, name, organization, entry_id = row
    if registration.forum_id != forum.id:
        return _Found(None, None, None, "other_forum", masked)
    entry = db.session.get(Checkin, entry_id) if entry_id else None
    return _Found(registration, entry, (name, organization), "", masked)


def _existing(forum: Forum, nonce: str) -> Checkin | None:
    return db.session.scalar(sa.select(Checkin).where(Checkin.forum_id == forum.id, Checkin.nonce == nonce))


def scan(forum: Forum, checkpoint: Checkpoint | str | None, nonce: str, value: str | None = None,
         registration_id: int | None = None, user=None, device: str = "", method: str = "camera",
         at: datetime | None = None) -> Answer:
    """Scan a badge (`value`: secret or short code, as read or typed) or admit a registration
    chosen by search (`registration_id`) at a checkpoint (given or by key). Records the scan
    and commits.

    Promises: at most one successful first entry per registration and checkpoint, whatever
    runs at the same time; the same `nonce` again returns the first answer and records
    nothing; every scan is logged, failed ones too. Raises CheckinError for an unknown or
    closed checkpoint or a missing nonce (nothing is recorded then).
    """
    if not _valid_nonce(nonce):
        raise CheckinError("nonce")
    if method not in METHODS:
        raise CheckinError("method")
    if not isinstance(checkpoint, Checkpoint):
        checkpoint = checkpoint_by_key(forum, checkpoint or "")
    if checkpoint is None or checkpoint.forum_id != forum.id:
        raise CheckinError("checkpoint")
    if not checkpoint.active:
        raise CheckinError("checkpoint_closed")
    checkpoint_id, user_id = checkpoint.id, user.id if user is not None else None
    for attempt in range(3):
        try:
            answer = _record(forum, checkpoint, nonce, value, registration_id, user_id, device, method, at or utcnow())
            db.session.commit()
            return answer
        except sa.exc.IntegrityError:
            # The nonce was used before (a retry: the unique key refuses a second row), or a
            # parallel first entry got in without the lock: answer as the first time.
            db.session.rollback()
            replay = _existing(forum, nonce)
            if replay is not None:
                return answer_for(replay)
            if attempt == 2:
                raise
            checkpoint = db.session.get(Checkpoint, checkpoint_id)
    raise AssertionError("unreachable")


def _record(forum, checkpoint, nonce, value, registration_id, user_id, device, method, at) -> Answer:
    found = _identify(forum, checkpoint, value, registration_id)
    registration, entry, reason = found.registration, found.entry, found.reason
    first = None
    if registration is None:
        status = "unknown"
    elif registration.status == "cancelled":
        status, reason = "cancelled", "cancelled"
    elif registration.status == "declined":
        status, reason = "not_allowed", "declined"
    elif not _allowed(checkpoint, registration):
        status, reason = "not_allowed", "checkpoint_rule"
    elif entry is None:
        status, reason = "ok", "first"  # the partial unique index refuses a second one
    elif checkpoint.reentry:
        status, reason, first = "ok", "reentry", entry
    else:
        status, reason, first = "already_checked_in", "already", entry
    # One plain INSERT (no unit of work): the door's hot path.
    checkin_id = db.session.execute(_INSERT, {
        "forum_id": forum.id, "checkpoint_id": checkpoint.id, "registration_id": registration.id if registration else None,
        "result": status, "reason": reason, "scanned": found.masked, "nonce": nonce, "method": method,
        "device": (device or "")[:120], "user_id": user_id, "first_id": first.id if first else None, "created_at": at,
    }).scalar_one()
    return Answer(status, reason, checkin_id, registration, first,
                  _view(checkin_id, at, checkpoint, registration, first, found.person))


_INSERT = Checkin.__table__.insert().returning(Checkin.__table__.c.id)


def _allowed(checkpoint: Checkpoint, registration: Registration) -> bool:
    rule = get_rule(checkpoint.rule)
    return rule is not None and bool(rule.allows(checkpoint, registration))  # an unknown rule admits nobody


def answer_for(checkin: Checkin) -> Answer:
    """The answer a recorded scan was given (for a repeated nonce)."""
    return Answer(checkin.result, checkin.reason, checkin.id, checkin.registration, checkin.first,
                  _view(checkin.id, checkin.created_at, checkin.checkpoint, checkin.registration, checkin.first))


class UndoError(Exception):
    pass


def undo(checkin: Checkin, user=None, at: datetime | None = None) -> None:
    """Take back a successful check-in (scanned by mistake, or the wrong person): it no
    longer counts, and after a first entry is undone the next scan admits the person again.
    Commits."""
    if checkin.result != "ok" or checkin.undone_at is not None:
        raise UndoError("not_undoable")
    checkin.undone_at = at or utcnow()
    checkin.undone_by_id = user.id if user else None
    db.session.commit()


def is_in(registration: Registration, checkpoint: Checkpoint) -> bool:
    """Whether the registration has a first entry at the checkpoint that counts."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(
        Checkin.registration_id == registration.id, Checkin.checkpoint_id == checkpoint.id, first_entry_of())) > 0


def mark_seen(checkin: Checkin, at: datetime | None = None) -> None:
    """A failed scan an organizer has dealt with leaves the "needs attention" list. Caller commits."""
    checkin.seen_at = at or utcnow()


def search(forum: Forum, query: str, limit: int = 12) -> list[Registration]:
    """Registrations of the forum matching a name, a phone number or a short code, for
    admitting someone without a badge."""
    from forum.people.service import registrations_query

    query = (query or "").strip()
    if len(query) < 2:
        return []
    code = codes.normalize(query)
    found = []
    if codes.looks_like_short_code(code):
        by_code = badges.registration_by_short_code(forum, code)
        if by_code is not None:
            found.append(by_code)
    for registration in db.session.scalars(registrations_query(forum, q=query).limit(limit)).unique():
        if registration not in found:
            found.append(registration)
    return found[:limit]
