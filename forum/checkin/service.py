"""The check-in service: one function, `scan`, does every scan at every door, for the scanner
page and the JSON API alike; `undo` takes a check-in back.

A scan finds the registration by badge secret, short code or (for someone without a badge)
its id; checks its status and the checkpoint's rule; records a check-in at most once per
person and checkpoint, however many phones scan at the same instant; and logs every scan,
failed ones too, with the reason, the device and the staff user. A repeated nonce is the
same scan: it gets the first answer again and records nothing new.

Scans made offline arrive later (checkin.batch) with the time they were made: the earliest
scan of a person at a checkpoint is their entry, even when it reaches the server after a
later one, which then becomes the second scan.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key

from forum.badges import codes
from forum.badges import service as badges
from forum.badges.models import RetiredBadge
from forum.checkin.lookup import Door, DoorForum, Entry, Holder, identify
from forum.checkin.lookup import checkpoint_by_key as checkpoint_by_key  # the door's, used by the scanner's views
from forum.checkin.lookup import first_entry_of as first_entry_of  # the reports count arrivals by it
from forum.checkin.models import METHODS, RESULTS, Checkin, Checkpoint
from forum.checkin.rules import get_rule
from forum.checkin.signals import let_in
from forum.db import begin_writing, utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Registration


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
    # For reason "reissued", `registration` is the owner of the replaced badge.
    checkin_id: int  # the recorded scan
    registration: Registration | Holder | None
    first_id: int | None = None
    view: dict | None = None

    @property
    def checkin(self) -> Checkin:
        return db.session.get_one(Checkin, self.checkin_id)

    @property
    def first(self) -> Checkin | None:
        return db.session.get_one(Checkin, self.first_id) if self.first_id is not None else None


def _view(checkin_id: int, at: datetime, checkpoint: Checkpoint | Door, registration: Registration | Holder | None,
          first: Entry | None, person: tuple[str, str] | None = None, retired: RetiredBadge | None = None) -> dict:
    """The answer's facts as plain data (see checkin.answers for the JSON); `person` is
    (name, organization) when already at hand; `retired` the replaced badge that was scanned."""
    view: dict[str, Any] = {"scan_id": checkin_id, "at": at, "checkpoint": {"key": checkpoint.key, "name": checkpoint.name}}
    if registration is not None:
        if person is None:
            assert isinstance(registration, Registration)  # a Holder comes with its person
            organization = registration.person.organization
            person = (registration.person.full_name, organization.name if organization else "")
        view["registration"] = {"id": registration.id, "name": person[0], "organization": person[1] or "",
                                "category": registration.category, "status": registration.status}
    if first is not None:
        view["first"] = {"at": first.created_at, "by": first.by, "device": first.device,
                         "checkpoint": {"key": first.checkpoint[0], "name": first.checkpoint[1]}}
    if retired is not None:
        view["reissued"] = {"at": retired.retired_at, "by": retired.retired_by.name if retired.retired_by else ""}
    return view


def _entry(checkin: Checkin) -> Entry:
    return Entry(checkin.id, checkin.created_at, checkin.device, checkin.user.name if checkin.user else "",
                 (checkin.checkpoint.key, checkin.checkpoint.name))


def checkpoints(forum: Forum, active_only: bool = False) -> list[Checkpoint]:
    stmt = sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id)
    if active_only:
        stmt = stmt.where(Checkpoint.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Checkpoint.position, Checkpoint.id)))


def _valid_nonce(nonce: object) -> TypeGuard[str]:
    return isinstance(nonce, str) and 8 <= len(nonce) <= 64 and nonce.isascii() and nonce.isprintable()


def _existing(forum: Forum | DoorForum, nonce: str) -> Checkin | None:
    return db.session.scalar(sa.select(Checkin).where(Checkin.forum_id == forum.id, Checkin.nonce == nonce))


class ScanConflict(Exception):
    """The first entry read before the write changed meanwhile (SQLite reads take no lock):
    roll back and scan again."""


def scan(forum: Forum | DoorForum, checkpoint: Checkpoint | Door | str | None, nonce: str | None, value: str | None = None,
         registration_id: int | None = None, user=None, device: str = "", method: str = "camera",
         at: datetime | None = None, answered: str | None = None, uploaded_at: datetime | None = None,
         commit: bool = True, user_id: int | None = None) -> Answer:
    """Scan a badge (`value`: secret or short code, as read or typed) or admit a registration
    chosen by search (`registration_id`) at a checkpoint (given or by key). Records the scan
    and commits. With `commit=False` the scan joins the caller's transaction (many scans,
    one commit): then the caller commits, and on IntegrityError or ScanConflict rolls back
    and tries again (a nonce is known, or another door let the person in meanwhile).

    The staff member scanning is `user`, or only their id (`user_id`) when the caller has not
    loaded them (the API). A scan made offline comes with the time it was made (`at`), what the phone answered then
    (`answered`, one of RESULTS) and when it reached the server (`uploaded_at`).

    Promises: at most one successful first entry per registration and checkpoint, whatever
    runs at the same time, and it is the earliest scan by `at`: a scan made offline earlier
    than the recorded first entry takes its place, and that one becomes a second scan
    ("already", or a re-entry), in the same transaction; the same `nonce` again returns the answer of the
    recorded scan and records nothing; every scan is logged, failed ones too. Raises
    CheckinError for an unknown or closed checkpoint or a missing nonce (nothing is recorded
    then).
    """
    if not _valid_nonce(nonce):
        raise CheckinError("nonce")
    if method not in METHODS:
        raise CheckinError("method")
    if answered is not None and answered not in RESULTS:
        raise CheckinError("answered")
    if not isinstance(checkpoint, str):  # else found by its key with the badge, and checked then
        _check_door(forum, checkpoint)
    user_id = user.id if user is not None else user_id
    scanned = {"nonce": nonce, "method": method, "device": (device or "")[:120], "user_id": user_id,
               "created_at": at or utcnow(), "answered": answered, "uploaded_at": uploaded_at}
    if not commit:
        return _record(forum, checkpoint, value, registration_id, scanned)
    for attempt in range(3):
        try:
            answer = _record(forum, checkpoint, value, registration_id, scanned)
            db.session.commit()
            return answer
        except CheckinError:
            db.session.rollback()  # the checkpoint named by key is unknown or closed: nothing written
            raise
        except (sa.exc.IntegrityError, ScanConflict):
            # The nonce was used before (a retry: the unique key refuses a second row), or a
            # parallel first entry got in without the lock: answer as the first time.
            db.session.rollback()
            replay = _existing(forum, nonce)
            if replay is not None:
                return answer_for(replay)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _check_door(forum: Forum | DoorForum, checkpoint: Checkpoint | Door | None) -> Checkpoint | Door:
    """The checkpoint, if the forum's and open; else CheckinError."""
    if checkpoint is None or checkpoint.forum_id != forum.id:
        raise CheckinError("checkpoint")
    if not checkpoint.active:
        raise CheckinError("checkpoint_closed")
    return checkpoint


def _record(forum, checkpoint, value, registration_id, scanned: dict) -> Answer:
    found = identify(forum, checkpoint, value, registration_id)
    checkpoint = _check_door(forum, found.door)
    registration, entry, reason = found.registration, found.entry, found.reason
    at = scanned["created_at"]
    first = replaced = None
    if found.retired is not None:
        status = "not_allowed"  # reason "reissued": the old badge of `registration`
    elif registration is None:
        status = "unknown"
    elif registration.status == "cancelled":
        status, reason = "cancelled", "cancelled"
    elif registration.status == "declined":
        status, reason = "not_allowed", "declined"
    elif not _allowed(checkpoint, registration):
        status, reason = "not_allowed", "checkpoint_rule"
    elif entry is None:
        status, reason = "ok", "first"  # the partial unique index refuses a second one
    elif scanned["uploaded_at"] is not None and at < entry.created_at:
        status, reason, replaced = "ok", "first", entry  # made offline before the recorded entry
    elif checkpoint.reentry:
        status, reason, first = "ok", "reentry", entry
    else:
        status, reason, first = "already_checked_in", "already", entry
    connection = begin_writing(db.session)  # SQLite: the write lock from here to the commit, as the floor holds it
    if replaced is not None:
        _demote(replaced, checkpoint.reentry)
    # One plain INSERT on the session's connection (no unit of work): the door's hot path.
    inserted = connection.execute(_INSERT, {
        **scanned, "forum_id": forum.id, "checkpoint_id": checkpoint.id,
        "registration_id": registration.id if registration else None, "result": status, "reason": reason,
        "scanned": found.masked, "first_id": first.id if first else None,
        "retired_badge_id": found.retired.id if found.retired else None,
    }).inserted_primary_key
    assert inserted is not None  # a single row's INSERT: its key, from the driver or RETURNING
    checkin_id = inserted[0]
    if replaced is not None:
        connection.execute(_REPOINT, {"new": checkin_id, "old": replaced.id})
    if status == "ok" and let_in.receivers:
        let_in.send(forum, checkin_id=checkin_id)
    return Answer(status, reason, checkin_id, registration, first.id if first else None,
                  _view(checkin_id, at, checkpoint, registration, first, found.person, found.retired))


# The new scan's id: SQLite's lastrowid, PostgreSQL's RETURNING, as SQLAlchemy chooses. An
# explicit RETURNING costs SQLite a temporary table on every scan, inside the write lock.
_INSERT = Checkin.__table__.insert()
_table = Checkin.__table__.c
# Scans that pointed at a replaced first entry point at the earlier one that took its place.
_REPOINT = (Checkin.__table__.update().where(sa.or_(_table.id == sa.bindparam("old"), _table.first_id == sa.bindparam("old")))
            .values(first_id=sa.bindparam("new")))


def _demote(entry: Entry, reentry: bool) -> None:
    """An earlier scan arrived: the recorded first entry becomes a second scan. It leaves the
    partial unique index before the earlier one is inserted, so the index holds at every
    statement on SQLite and PostgreSQL. What the door showed ("ok") stays in `answered`: for
    "already" it marks an offline conflict. Raises ScanConflict when the entry changed since it
    was read (then the scan is tried again)."""
    changed = db.session.connection().execute(
        Checkin.__table__.update().where(_table.id == entry.id, _table.reason == "first", _table.undone_at.is_(None))
        .values(result="ok" if reentry else "already_checked_in", reason="reentry" if reentry else "already",
                answered=sa.func.coalesce(_table.answered, _table.result))).rowcount
    if changed != 1:
        raise ScanConflict()
    loaded = db.session.identity_map.get(identity_key(Checkin, entry.id))
    if loaded is not None:
        db.session.expire(loaded)  # written behind the session's back


def _allowed(checkpoint: Checkpoint | Door, registration: Registration | Holder) -> bool:
    rule = get_rule(checkpoint.rule)
    return rule is not None and bool(rule.allows(checkpoint, registration))  # an unknown rule admits nobody


def answer_for(checkin: Checkin) -> Answer:
    """The answer a recorded scan was given (for a repeated nonce)."""
    first = _entry(checkin.first) if checkin.first is not None else None
    return Answer(checkin.result, checkin.reason, checkin.id, checkin.registration, checkin.first_id,
                  _view(checkin.id, checkin.created_at, checkin.checkpoint, checkin.registration, first,
                        retired=checkin.retired_badge))


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
