"""What a scan finds, in one statement on the session's connection, as plain values (the
door's hot path builds no ORM object): the badge's registration (by secret, short code or id),
the person's name and organization, their first entry at the checkpoint with the staff member
who let them in, and the checkpoint itself when it is named by its key. The check-in service
(forum.checkin.service) decides and records; this module only reads."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from forum.badges import codes
from forum.badges import service as badges
from forum.badges.models import BadgeCode, RetiredBadge
from forum.checkin.models import Checkin, Checkpoint
from forum.db import execute_built_once
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Person, Registration


@dataclass(frozen=True)
class Holder:
    """The registration a scanned badge belongs to, as the rules and the answer read it: plain
    values (the door's hot path builds no ORM object). Rules read it as a Registration."""

    id: int
    forum_id: int
    person_id: int
    category: str
    status: str


@dataclass(frozen=True)
class Entry:
    """A first entry at a checkpoint, as the answer tells of it."""

    id: int
    created_at: datetime
    device: str
    by: str  # the staff member's name; "" when not known
    checkpoint: tuple[str, dict]  # its checkpoint's key and name


def checkpoint_by_key(forum: Forum | DoorForum, key: str) -> Checkpoint | None:
    return db.session.scalar(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id, Checkpoint.key == key))


@dataclass(frozen=True)
class DoorForum:
    """The forum as the door reads it: plain values, no ORM object (the scan's hot path)."""

    id: int
    slug: str
    timezone: str
    status: str


@dataclass(frozen=True)
class Door:
    """A checkpoint as the door reads it: every column, as plain values. The rules read it as
    they read a Checkpoint (id, forum_id, key, name, area_id, rule, categories, reentry, active)."""

    id: int
    forum_id: int
    key: str
    name: dict
    area_id: int | None
    rule: str
    categories: list
    reentry: bool
    position: int
    active: bool


def _mask(code: str) -> str:
    """What the log keeps of a scanned value: short codes whole, secrets only their start."""
    if codes.looks_like_secret(code):
        return code[:4] + "…"
    return code[:12]


# 'first' written into the SQL, not bound: the partial indexes on first entries (models.FIRST_ENTRY)
# are usable only when the planner sees the value. Given as a parameter, SQLite re-prepares the
# statement on every execution to check it (the door's lookup took 55 µs instead of 14), and a
# PostgreSQL generic plan cannot use them at all.
_FIRST = sa.literal_column("'first'", sa.String)


def first_entry_of(checkin_entity=Checkin):
    """The condition for a first entry that counts (see models.FIRST_ENTRY)."""
    return sa.and_(checkin_entity.reason == _FIRST, checkin_entity.undone_at.is_(None))


@cache
def _lookup(kind: str, lock: bool, by_key: bool = False) -> sa.Select:
    """The door's one query, built once: the registration (by secret, short code or id), the
    person's name and organization, and their first entry at the checkpoint with the staff
    member who let them in, all as plain values. `by_key`: the checkpoint is named by its key
    and comes with the badge, every column after the registration's (no statement of its own)."""
    from forum.auth.models import User
    from forum.people.models import Organization

    # Made here, not at import: aliasing configures every mapper, which needs every model's
    # module loaded (Checkin names User), and importing this module alone must work.
    first = aliased(Checkin, name="first_entry")  # the person's first entry at the checkpoint
    door = Checkpoint.__table__
    stmt = (
        sa.select(*_SCANNED, Person.full_name, Organization.name, first.id, first.created_at, first.device, User.name,
                  *(door.columns if by_key else ()))
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
    )
    if by_key:  # a checkpoint of the scan's forum, whatever forum the badge is of (that is told apart later)
        stmt = stmt.join(door, sa.and_(door.c.forum_id == sa.bindparam("forum_id"), door.c.key == sa.bindparam("key")))
    at_door = door.c.id if by_key else sa.bindparam("checkpoint_id")
    stmt = (stmt.outerjoin(first, sa.and_(first.registration_id == Registration.id, first.checkpoint_id == at_door,
                                          first_entry_of(first)))
            .outerjoin(User, User.id == first.user_id))
    if kind == "secret":
        stmt = stmt.where(Registration.badge_secret == sa.bindparam("value"))
    elif kind == "code":
        stmt = stmt.join(BadgeCode, BadgeCode.registration_id == Registration.id).where(
            BadgeCode.forum_id == sa.bindparam("forum_id"), BadgeCode.code == sa.bindparam("value"))
    else:
        stmt = stmt.where(Registration.id == sa.bindparam("value"), Registration.forum_id == sa.bindparam("forum_id"))
    return stmt.with_for_update(of=Registration.__table__) if lock else stmt


# The registration's columns a scan reads (rules, status, the answer): a Holder.
_SCANNED = (Registration.id, Registration.forum_id, Registration.person_id, Registration.category,
            Registration.status)


@dataclass
class Found:
    door: Checkpoint | Door | None  # the checkpoint (None: the forum has none with the key)
    registration: Registration | Holder | None  # for a replaced badge: its owner
    entry: Entry | None  # the first entry at the checkpoint, if any
    person: tuple[str, str] | None  # name, organization
    reason: str  # why nothing was found, or "reissued"
    masked: str  # what was scanned, as the log keeps it
    retired: RetiredBadge | None = None  # the replaced badge that was scanned


def identify(forum: Forum | DoorForum, checkpoint: Checkpoint | Door | str, value: str | None,
              registration_id: int | None) -> Found:
    """The registration for what was scanned or chosen, with its first entry at the
    checkpoint, in one query; a checkpoint named by its key comes in the same query.

    On PostgreSQL the query also locks the registration's row until commit, so a second
    scan of the same badge waits and then reads the first one's entry. On SQLite reading
    takes no lock (the write lock is held only from the first write to the commit, as short
    as it can be: begin_writing in _record); there the partial unique index on first entries
    decides between two simultaneous first scans, and the loser is answered again as
    "already checked in"."""
    by_key = isinstance(checkpoint, str)
    door = None if isinstance(checkpoint, str) else checkpoint
    masked, missing = "", "not_found"
    params: dict[str, int | str] = {"forum_id": forum.id}
    if isinstance(checkpoint, str):
        params["key"] = checkpoint
    else:
        params["checkpoint_id"] = checkpoint.id
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
            return Found(checkpoint_named(forum, checkpoint), None, None, None, "unreadable", masked)
        params["value"] = code
    session = db.session()  # the request's Session, looked up once (each db.session.x looks it up)
    session.flush()  # what the caller added (a walk-in's registration) is seen: as session.execute would
    connection = session.connection()
    row = execute_built_once(connection, _lookup(kind, connection.dialect.name == "postgresql", by_key), params).first()
    if row is None:
        door = checkpoint_named(forum, checkpoint)
        retired = badges.retired_badge(forum.id, code) if kind != "id" else None
        if retired is not None:
            return Found(door, retired.registration, None, None, "reissued", masked, retired)
        return Found(door, None, None, None, missing, masked)
    if door is None:
        door = Door(*row[11:])
    registration = Holder(*row[:5])
    if registration.forum_id != forum.id:
        return Found(door, None, None, None, "other_forum", masked)
    name, organization, entry_id, entered_at, device, by = row[5:11]
    entry = Entry(entry_id, entered_at, device, by or "", (door.key, door.name)) if entry_id else None
    return Found(door, registration, entry, (name, organization), "", masked)


def checkpoint_named(forum: Forum | DoorForum, checkpoint: Checkpoint | Door | str) -> Checkpoint | Door | None:
    """The checkpoint, found by its key when it did not come with a badge."""
    return checkpoint_by_key(forum, checkpoint) if isinstance(checkpoint, str) else checkpoint
