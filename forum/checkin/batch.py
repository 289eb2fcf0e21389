"""Scans made offline, uploaded together: `record_batch` records each one through the same
`service.scan` as a scan made online, at the time it was made.

A phone that lost the network decides at the door from its roster and queues every scan
with its nonce and time; back online it uploads the queue, perhaps twice (a lost answer),
perhaps after another phone uploaded scans of the same people. So: a nonce already recorded
gets that scan's answer and records nothing; scans are recorded in the order they were made,
and the earliest scan of a person at a checkpoint is the entry (see `service.scan`); a scan
whose time is outside the forum's days, or in the future, is refused and not recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.checkin import service
from forum.checkin.models import RESULTS, SCANNER_METHODS, Checkin, Checkpoint
from forum.db import utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Person, Registration

MAX_SCANS = 500  # per request: a phone's queue after a long outage goes up in a few requests
CHUNK = 100  # scans per transaction: few disk syncs, and other doors wait for the lock only briefly
CLOCK_SKEW = timedelta(minutes=5)  # how far in the future a phone's time may be
SENT_METHODS = (*SCANNER_METHODS, "api")  # a walk-in's check-in is made by the server, never sent


@dataclass
class Refusal:
    """A scan of the batch that was not recorded, and why (`code` for programs)."""

    nonce: str | None
    code: str  # invalid | nonce | checkpoint | checkpoint_closed | time | outside_days | future


def forum_days(forum: Forum) -> tuple[date, date]:
    """The first and last day of the forum, as dates in its time zone (an end at midnight
    belongs to the day before)."""
    zone = ZoneInfo(forum.timezone)
    return (forum.starts_at.astimezone(zone).date(),
            (forum.ends_at - timedelta(microseconds=1)).astimezone(zone).date())


def _time(forum: Forum, given, now: datetime) -> datetime | str:
    """The scan's time as an aware datetime, or the code of why it is refused."""
    if not isinstance(given, str):
        return "time"
    try:
        at = datetime.fromisoformat(given.strip())
    except ValueError:
        return "time"
    if at.tzinfo is None:
        return "time"  # a time without its offset could be any of several instants
    first, last = forum_days(forum)
    if not first <= at.astimezone(ZoneInfo(forum.timezone)).date() <= last:
        return "outside_days"
    if at > now + CLOCK_SKEW:
        return "future"
    return at


@dataclass
class _Scan:
    index: int
    nonce: str
    value: str | None
    registration_id: int | None
    checkpoint: str
    at: datetime
    method: str
    device: str
    answered: str | None


def _parse(forum: Forum, index: int, item, device: str, now: datetime) -> _Scan | Refusal:
    if not isinstance(item, dict):
        return Refusal(None, "invalid")
    nonce = item.get("nonce")
    if not isinstance(nonce, str):
        return Refusal(None, "nonce")
    values = [item.get(name) for name in ("secret", "code") if item.get(name) is not None]
    registration_id = item.get("registration")
    if registration_id is not None and (not isinstance(registration_id, int) or isinstance(registration_id, bool)):
        return Refusal(nonce, "invalid")
    given = len(values) + (registration_id is not None)
    if given != 1 or (values and not (isinstance(values[0], str) and values[0].strip())):
        return Refusal(nonce, "invalid")  # exactly one of secret, code, registration
    at = _time(forum, item.get("at"), now)
    if isinstance(at, str):
        return Refusal(nonce, at)
    method = item["method"] if item.get("method") in SENT_METHODS else "api"
    answered = item.get("answered") if item.get("answered") in RESULTS else None
    item_device = item["device"] if isinstance(item.get("device"), str) else device
    return _Scan(index, nonce, values[0] if values else None, registration_id, str(item.get("checkpoint") or ""),
                 at, method, item_device, answered)


def _recorded(forum: Forum, nonces: list[str]) -> dict[str, Checkin]:
    """Scans of this batch recorded before (a batch sent again), loaded for their answers."""
    if not nonces:
        return {}
    stmt = (sa.select(Checkin).where(Checkin.forum_id == forum.id, Checkin.nonce.in_(nonces))
            .options(joinedload(Checkin.registration).joinedload(Registration.person).joinedload(Person.organization),
                     joinedload(Checkin.checkpoint), joinedload(Checkin.first).joinedload(Checkin.user),
                     joinedload(Checkin.first).joinedload(Checkin.checkpoint), joinedload(Checkin.retired_badge)))
    return {c.nonce: c for c in db.session.scalars(stmt).unique()}


def _retryable(error: Exception) -> bool:
    """A chunk to roll back and try again: a nonce or first entry recorded meanwhile by
    another upload, or (PostgreSQL) two uploads waiting on each other's people."""
    if isinstance(error, (sa.exc.IntegrityError, service.ScanConflict)):
        return True
    return isinstance(error, sa.exc.OperationalError) and "deadlock" in str(error.orig).lower()


def _record_chunk(forum: Forum, chunk: list[_Scan], checkpoints: dict, user, uploaded_at: datetime) -> dict:
    """Record scans in one transaction; their results by index."""
    for attempt in range(3):
        recorded = _recorded(forum, [item.nonce for item in chunk])
        results: dict[int, service.Answer | Refusal] = {}
        try:
            for item in chunk:
                if item.nonce in recorded:
                    results[item.index] = service.answer_for(recorded[item.nonce])
                    continue
                if item.checkpoint not in checkpoints:
                    checkpoints[item.checkpoint] = service.checkpoint_by_key(forum, item.checkpoint)
                try:
                    results[item.index] = service.scan(
                        forum, checkpoints[item.checkpoint], item.nonce, value=item.value,
                        registration_id=item.registration_id, user=user, device=item.device, method=item.method,
                        at=item.at, answered=item.answered, uploaded_at=uploaded_at, commit=False)
                except service.CheckinError as error:  # raised before anything is written
                    results[item.index] = Refusal(item.nonce, error.code)
            db.session.commit()
            return results
        except Exception as error:
            db.session.rollback()
            if attempt == 2 or not _retryable(error):
                raise
    raise AssertionError("unreachable")


def record_batch(forum: Forum, items: list, user=None, device: str = "",
                 now: datetime | None = None) -> list[service.Answer | Refusal]:
    """Record uploaded offline scans: one result per item, in the items' order, each an
    Answer (as `service.scan` gives) or a Refusal (nothing recorded). Items are
    {"secret" | "code" | "registration", "checkpoint", "nonce", "at", "method"?, "device"?,
    "answered"?}. Scans are recorded earliest first, CHUNK to a transaction (one commit
    each: a commit costs a disk sync); a batch cut short is simply sent again. The same nonce
    twice in one batch is one scan. The caller checks the batch's size."""
    now = now or utcnow()
    uploaded_at = utcnow()
    results: list = [None] * len(items)
    scans: list[_Scan] = []
    same: dict[int, int] = {}  # index of a repeated nonce -> index of its first occurrence
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        parsed = _parse(forum, index, item, device, now)
        if isinstance(parsed, Refusal):
            results[index] = parsed
        elif parsed.nonce in seen:
            same[index] = seen[parsed.nonce]
        else:
            seen[parsed.nonce] = index
            scans.append(parsed)
    scans.sort(key=lambda s: (s.at, s.index))  # earliest first: fewer entries to replace
    checkpoints: dict[str, Checkpoint | None] = {}
    for start in range(0, len(scans), CHUNK):
        for index, result in _record_chunk(forum, scans[start:start + CHUNK], checkpoints, user, uploaded_at).items():
            results[index] = result
    for index, first in same.items():
        results[index] = results[first]
    return results
