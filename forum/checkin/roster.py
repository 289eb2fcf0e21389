"""The roster a door phone keeps for when the network drops: for one checkpoint, every
registration of the forum with what the phone needs to decide a scan by itself.

Badge secrets and short codes are never sent, only keyed hashes of them: the roster key is
derived per forum from the app's SECRET_KEY and sent along, so the phone hashes what it
scans the same way and looks the hash up. A lost phone's roster does not let anyone print a
working badge. (A short code has about 30 bits: whoever holds a roster and its key could
find the codes by trying them all; codes admit only at this forum, and a lost phone's staff
tell the organizers, who can reissue.)

    hash(value) = base64url(HMAC-SHA256(roster key, hex(SHA-256(value)))[:16])

where `value` is the normalized secret or short code (forum.badges.codes.normalize). The
inner SHA-256 is what a replaced badge keeps (badges.models.RetiredBadge), so replaced
badges are in the roster too. static/checkin/hash.js computes the same in the browser.

A refresh sends only what changed: `cursor` from the last answer, as `?since=`. A
registration comes again when it, its person, their organization, its short code or its
entry at this checkpoint changed; when a registration was deleted or the checkpoint's rule
admits others, the cursor no longer matches and the whole roster comes again (`full`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from forum.auth.models import User
from forum.badges import service as badges
from forum.badges.models import BadgeCode
from forum.checkin.batch import forum_days
from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.rules import admitted_ids
from forum.checkin.service import first_entry_of
from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Organization, Person, Registration

HASH_BYTES = 16
HASH = "base64url(HMAC-SHA256(key, hex(SHA-256(value)))[:16])"
# A change committed just before a roster was made may carry a time a little before it
# (stamped at the start of its transaction): refreshes look back this much further.
OVERLAP = timedelta(minutes=2)


def roster_key(forum: Forum) -> bytes:
    """The forum's roster key: stable while SECRET_KEY is, different for every forum."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"forum-roster-v1:{forum.id}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hash_of_sha(key: bytes, sha_hex: str) -> str:
    """The roster hash of a value whose SHA-256 (hex) is known."""
    return _b64(hmac.digest(key, sha_hex.encode(), "sha256")[:HASH_BYTES])


@lru_cache(maxsize=50_000)  # a full roster hashes every badge again; badges seldom change
def badge_hash(key: bytes, value: str) -> str:
    """The roster hash of a normalized secret or short code."""
    return hash_of_sha(key, badges.secret_hash(value))


def clear_caches() -> None:
    """Forget cached hashes (for measuring the cold path)."""
    badge_hash.cache_clear()


def _stamp(value: datetime) -> int:
    return int(value.timestamp() * 1_000_000)


def _cursor(at: datetime, digest: str) -> str:
    return f"{_stamp(at)}.{digest}"


def _since(cursor: str | None, digest: str) -> datetime | None:
    """The time a cursor stands for, if it was made for the same registrations and rule."""
    stamp, _dot, made_for = (cursor or "").partition(".")
    if not stamp.isdigit() or made_for != digest:
        return None
    return datetime.fromtimestamp(int(stamp) / 1_000_000, UTC) - OVERLAP


def _digest(key: bytes, checkpoint: Checkpoint, ids: Sequence[int], admitted: set[int]) -> str:
    """What a refresh must match to be sent as changes only: the same registrations, the
    same admitted ones, the same checkpoint settings and the same key."""
    text = "|".join([
        hashlib.sha256(key).hexdigest()[:8], checkpoint.rule, ",".join(sorted(checkpoint.categories or [])),
        str(checkpoint.reentry), str(checkpoint.active), ",".join(map(str, sorted(ids))), ",".join(map(str, sorted(admitted))),
    ])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _registrations(forum: Forum, checkpoint: Checkpoint, after: datetime | None) -> list[sa.Row]:
    """The roster's rows: all of the forum's registrations, or those changed after `after`."""
    stmt = (sa.select(Registration.id, Registration.status, Registration.category, Registration.badge_secret,
                      Person.full_name, Person.name_folded, Organization.name.label("organization"), BadgeCode.code)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Organization, Organization.id == Person.organization_id)
            .outerjoin(BadgeCode, BadgeCode.registration_id == Registration.id)
            .where(Registration.forum_id == forum.id).order_by(Registration.id))
    if after is not None:
        scanned = sa.exists().where(  # a scan here recorded, uploaded or undone since
            Checkin.registration_id == Registration.id, Checkin.checkpoint_id == checkpoint.id,
            sa.or_(Checkin.created_at > after, Checkin.uploaded_at > after, Checkin.undone_at > after))
        stmt = stmt.where(sa.or_(Registration.updated_at > after, Person.updated_at > after,
                                 Organization.updated_at > after, BadgeCode.issued_at > after, scanned))
    return list(db.session.execute(stmt))


def _entries(checkpoint: Checkpoint) -> dict[int, dict]:
    """Who is in through this checkpoint: registration id → when, by whom, on which device."""
    rows = db.session.execute(
        sa.select(Checkin.registration_id, Checkin.created_at, User.name, Checkin.device)
        .outerjoin(User, User.id == Checkin.user_id)
        .where(Checkin.checkpoint_id == checkpoint.id, first_entry_of()))
    return {r[0]: {"at": r[1].isoformat(), "by": r[2] or "", "device": r[3] or ""} for r in rows}


def roster(forum: Forum, checkpoint: Checkpoint, since: str | None = None, now: datetime | None = None) -> dict:
    """The checkpoint's roster (see the module's docstring), whole or, for a matching
    `since` cursor, only what changed. Labels are the caller's: this is data."""
    now = now or utcnow()
    key = roster_key(forum)
    ids = db.session.scalars(sa.select(Registration.id).where(Registration.forum_id == forum.id)).all()
    admitted = admitted_ids(checkpoint)
    digest = _digest(key, checkpoint, ids, admitted)
    after = _since(since, digest)
    rows = _registrations(forum, checkpoint, after)
    entries = _entries(checkpoint)
    first_day, last_day = forum_days(forum)
    return {
        "forum": forum.slug, "timezone": forum.timezone, "days": [first_day.isoformat(), last_day.isoformat()],
        "checkpoint": {"key": checkpoint.key, "name": checkpoint.name, "reentry": checkpoint.reentry,
                       "active": checkpoint.active},
        "key": _b64(key), "hash": HASH, "server_time": now.isoformat(), "cursor": _cursor(now, digest),
        "full": after is None,
        "registrations": [{
            "id": id_, "secret": badge_hash(key, secret), "code": badge_hash(key, code) if code else None,
            "name": name, "folded": folded, "organization": organization or "",
            "category": category, "status": status, "admitted": id_ in admitted, "in": entries.get(id_),
        } for id_, status, category, secret, name, folded, organization, code in rows],
        "reissued": [{
            "secret": hash_of_sha(key, retired.secret_hash),
            "code": hash_of_sha(key, retired.code_hash) if retired.code_hash else None,
            "registration": retired.registration_id, "at": retired.retired_at.isoformat(),
            "by": retired.retired_by.name if retired.retired_by else "",
        } for retired in badges.retired_badges(forum, after)],
    }
