"""Webhooks: a forum's events pushed to partners' URLs through the outbox.

Where events come from: one listener on every flush of the database session sees the rows
that make an event (a new registration, a changed one or its person, a vacancy that became
approved, a recommendation made or changed), whichever page, command or API call wrote them;
scans are written with a plain INSERT, so the check-in service's `let_in` signal tells of
those that let someone in. For each active webhook of the forum that chose the event it
queues one outbox message (channel "webhook") in the same transaction, keyed by the event and
the webhook: the outbox sends it once, retries it with backoff, and never queues the same
event for the same URL twice.

How a delivery is signed: `X-Forum-Signature: t=<unix time>,v1=<hex>` where hex is the
HMAC-SHA256, under the webhook's secret, of "<t>.<body>". The receiver recomputes it and
refuses old timestamps (replays). `X-Forum-Delivery` is the same on every try of one delivery.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from collections import defaultdict
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from forum.api import answers
from forum.api.models import EVENTS, Webhook, WebhookAnswer
from forum.checkin.signals import let_in
from forum.db import translated, utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import Person, Registration
from forum.people.signals import registrations_imported

TIMEOUT = 10  # seconds for a partner's server to answer; far under the outbox lease
SIGNATURE_HEADER = "X-Forum-Signature"


class WebhookError(ValueError):
    """A webhook cannot be saved as asked; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def add_webhook(forum: Forum, url: str, events: list[str], user=None) -> Webhook:
    """A new webhook of `forum` with a fresh secret; the caller commits.

    Promises: only http(s) URLs of at most 254 characters and known events are kept."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 254:
        raise WebhookError("bad_url")
    events = [e for e in EVENTS if e in set(events or ())]
    if not events:
        raise WebhookError("no_events")
    hook = Webhook(forum_id=forum.id, url=url, events=events, secret=secrets.token_hex(32), active=True,
                   created_by_id=getattr(user, "id", None))
    db.session.add(hook)
    _heard(forum.id)
    return hook


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = 300) -> bool:
    """What a receiver does (and what the tests do): the signature matches and is recent."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={fields.get('v1', '')}")


# --- sending (called by the outbox's sender for channel "webhook") ----------------------------

def post(message, config) -> None:
    """POST one delivery, record the answer; raise DeliveryError when it did not arrive.

    2xx is delivered; 410 Gone means the partner removed the URL (no more tries); any other
    answer or no answer is tried again later by the outbox."""
    from forum.messaging.outbox import DeliveryError

    hook = db.session.get(Webhook, message.payload.get("webhook_id"))
    if hook is None or not hook.active:
        raise DeliveryError("the webhook was switched off", permanent=True)
    body = message.body.encode()
    request = urllib.request.Request(message.recipient, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "forum-webhooks/1",
        "X-Forum-Event": message.payload.get("event", ""), "X-Forum-Delivery": str(message.id),
        SIGNATURE_HEADER: sign(hook.secret, int(time.time()), body),
    })
    answer = WebhookAnswer(message_id=message.id, webhook_id=hook.id, at=utcnow())
    db.session.add(answer)  # committed with the outcome of the try
    try:
        with urllib.request.urlopen(request, timeout=config.get("WEBHOOK_TIMEOUT", TIMEOUT)) as response:
            answer.status, answer.body = response.status, _excerpt(response.read(2000))
    except urllib.error.HTTPError as error:
        answer.status, answer.body = error.code, _excerpt(error.read(2000))
        answer.error = f"HTTP {error.code}"
        raise DeliveryError(f"HTTP {error.code} {error.reason}", permanent=error.code == 410) from error
    except (OSError, ValueError) as error:  # refused, reset, timeout, bad address
        answer.error = f"{type(error).__name__}: {error}"[:500]
        raise DeliveryError(answer.error) from error


def _excerpt(data: bytes) -> str:
    return data.decode("utf-8", "replace")[:500]


# --- events -----------------------------------------------------------------------------------

def _events_in_flush(session: Session) -> list[tuple[str, int, str, object]]:
    """(event, forum id, key, row) for the rows of this flush that make an event."""
    from forum.jobfair.models import Vacancy
    from forum.roundtable.models import Recommendation

    found: list[tuple[str, int, str, object]] = []
    changed_registrations: set[int] = set()
    for row in session.new:
        if isinstance(row, Registration):
            found.append(("registration.created", row.forum_id, f"{row.id}", row))
            changed_registrations.add(row.id)
        elif isinstance(row, Vacancy) and row.status == "approved":
            found.append(("vacancy.approved", row.forum_id, f"{row.id}:{row.approved_at}", row))
        elif isinstance(row, Recommendation):
            found.append(("recommendation.changed", row.forum_id, f"{row.id}:{row.updated_at.timestamp()}", row))
    for row in session.dirty:
        # Approved anew, or its edited text approved (forum.jobfair.revisions): a new approved_at either way.
        if isinstance(row, Vacancy) and row.status == "approved" and sa.inspect(row).attrs.approved_at.history.added:
            found.append(("vacancy.approved", row.forum_id, f"{row.id}:{row.approved_at}", row))
        elif isinstance(row, Recommendation) and session.is_modified(row, include_collections=False):
            found.append(("recommendation.changed", row.forum_id, f"{row.id}:{row.updated_at.timestamp()}", row))
        elif isinstance(row, Registration | Person) and session.is_modified(row, include_collections=False):
            for registration in ([row] if isinstance(row, Registration) else row.registrations):
                if registration.id not in changed_registrations:
                    changed_registrations.add(registration.id)
                    stamp = max(registration.updated_at, registration.person.updated_at).timestamp()
                    found.append(("registration.changed", registration.forum_id,
                                  f"{registration.id}:{stamp}", registration))
    return found


def _data(event: str, row, forum: Forum) -> dict:
    language = forum.languages.split(",")[0] or "ru"
    if event.startswith("registration."):
        # as a staff token reads it: a partner's URL gets no phone numbers
        return answers.registrations_json(forum.id, [row], contacts=False, language=language)[0]
    if event == "checkin":
        return answers.checkin_json(row, ZoneInfo(forum.timezone))
    if event == "vacancy.approved":
        return {"id": row.id, "title": translated(row.title, language), "employer": row.employer.name,
                "city": row.city, "positions": row.positions, "closes_on": row.closes_on.isoformat()}
    return {"id": row.id, "text": translated(row.text, language), "status": row.status,
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "addressed_to": row.addressed_to.name if row.addressed_to else None}


def _after_flush(session: Session, _flush_context) -> None:
    if not has_app_context() or session is not db.session():
        return  # another session (a migration, a script's own): not the app's changes
    found = _events_in_flush(session)
    if found:
        _queue(session, found)


# The door's hot path costs no query for forums known to have no webhook: known for QUIET
# seconds per process (a webhook added meanwhile in another worker gets scans after that).
QUIET = 30
_quiet_until: dict[int, float] = {}


def _heard(forum_id: int) -> None:
    _quiet_until.pop(forum_id, None)


@let_in.connect
def _checked_in(forum: Forum, checkin_id: int) -> None:
    from forum.checkin.models import Checkin

    if _quiet_until.get(forum.id, 0.0) > time.monotonic():
        return
    if db.session.scalar(sa.select(Webhook.id).where(Webhook.forum_id == forum.id, Webhook.active.is_(True))
                         .limit(1)) is None:
        _quiet_until[forum.id] = time.monotonic() + QUIET
        return
    checkin = db.session.get(Checkin, checkin_id)
    _queue(db.session(), [("checkin", forum.id, str(checkin_id), checkin)])


@registrations_imported.connect
def _imported(forum: Forum, registration_ids: list[int], **_extra) -> None:
    """The importer writes registrations with plain INSERTs: no flush sees them as new."""
    if not registration_ids or db.session.scalar(
            sa.select(Webhook.id).where(Webhook.forum_id == forum.id, Webhook.active.is_(True)).limit(1)) is None:
        return
    rows = db.session.scalars(sa.select(Registration).where(Registration.id.in_(registration_ids)))
    _queue(db.session(), [("registration.created", forum.id, f"{row.id}", row) for row in rows])


def _queue(session: Session, found: list[tuple[str, int, str, object]]) -> None:
    """One outbox message per event and webhook. A registration made or changed again later in
    the same transaction (several flushes) keeps its one message, which then tells the final
    state: a partner gets one event per change, never a stale one."""
    from forum.messaging import outbox

    forum_ids = {forum_id for _e, forum_id, _k, _r in found}
    hooks: dict[int, list[Webhook]] = defaultdict(list)
    for hook in session.scalars(sa.select(Webhook).where(Webhook.forum_id.in_(forum_ids), Webhook.active.is_(True))):
        hooks[hook.forum_id].append(hook)
    queued = session.info.setdefault("webhook_messages", {})  # this transaction's, see _forget
    for event, forum_id, key, row in found:
        wanting = [h for h in hooks.get(forum_id, ()) if event in h.events]
        if not wanting:
            continue
        forum = session.get_one(Forum, forum_id)
        data = _data(event, row, forum)
        for hook in wanting:
            about = (hook.id, event.split(".")[0], getattr(row, "id", key))
            if about in queued:
                message, first_event, first_key = queued[about]
                _rewrite(session, message, _body(first_event, first_key, forum, data))
                continue
            message = outbox.queue(channel="webhook", recipient=hook.url, body=_body(event, key, forum, data),
                                   forum=forum, kind="notice", payload={"webhook_id": hook.id, "event": event},
                                   dedup_key=f"webhook:{hook.id}:{event}:{key}"[:200])
            if message is not None:
                queued[about] = (message, event, key)


def _rewrite(session: Session, message, body: str) -> None:
    """The queued message tells `body` now. One written by an earlier flush is changed by an
    UPDATE: this runs inside a flush handler, where the unit of work drops a plain attribute
    change of an already written object (it would keep the stale state)."""
    if not sa.inspect(message).persistent:
        message.body = body  # not written yet: the next flush writes it as it is now
        return
    table = type(message).__table__
    session.connection().execute(table.update().where(table.c.id == message.id).values(body=body))
    set_committed_value(message, "body", body)


def _body(event: str, key: str, forum: Forum, data: dict) -> str:
    return json.dumps({"event": event, "id": f"{event}:{key}", "forum": forum.slug, "at": utcnow().isoformat(),
                       "data": data}, ensure_ascii=False, sort_keys=True)


def _forget(session: Session, *_args) -> None:
    session.info.pop("webhook_messages", None)


sa.event.listen(Session, "after_flush", _after_flush)
sa.event.listen(Session, "after_commit", _forget)
sa.event.listen(Session, "after_soft_rollback", _forget)
