"""The urgent SMS: one text an organizer sends now to one of the forum's people, outside the
sending hours too (the hall changed, the bus leaves earlier)."""
from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message
from forum.messaging.sms import sms_parts
from forum.people.models import Person, Registration

MAX_PARTS = 6  # keep under the max-messages of Kannel's sendsms-user (docs/sms.md), which cuts the rest


class UrgentError(Exception):
    """Why an urgent SMS cannot go; `code` is one of the keys of messaging.manage.URGENT_ERRORS."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def recipient(forum, registration_id: int | None = None, phone: str | None = None) -> Registration:
    """The registration of this forum the SMS goes to: the one named, or the one whose person
    has this phone number (E.164). Nobody outside the forum's people can be texted."""
    if registration_id:
        registration = db.session.get(Registration, registration_id)
        if registration is None or registration.forum_id != forum.id:
            raise UrgentError("not_of_forum")
    elif phone:
        registration = db.session.scalar(
            sa.select(Registration).join(Person, Registration.person_id == Person.id)
            .where(Registration.forum_id == forum.id, Person.phone == phone))
        if registration is None:
            raise UrgentError("not_of_forum")
    else:
        raise UrgentError("no_recipient")
    if not registration.person.phone:
        raise UrgentError("no_phone")
    return registration


def check_text(text: str) -> int:
    """The number of SMS parts of `text`; UrgentError when it is empty or too long."""
    text = text.strip()
    if not text:
        raise UrgentError("empty")
    parts = sms_parts(text)
    if parts > MAX_PARTS:
        raise UrgentError("too_long", parts=parts, max=MAX_PARTS)
    return parts


def queue_urgent(forum, registration: Registration, text: str, nonce: str) -> Message:
    """Queue the urgent SMS, due now whatever the hour; the caller commits.

    Promises: the outbox sends it before other due messages and outside the sending hours;
    the same `nonce` (one confirmation form) queues one SMS, however often it is submitted."""
    check_text(text)
    dedup_key = f"urgent:{forum.id}:{nonce}"
    assert registration.person.phone, "recipient() chose someone with a phone"
    message = outbox.queue(channel="sms", recipient=registration.person.phone, body=text.strip(), forum=forum,
                           registration=registration, language=registration.person.language,
                           dedup_key=dedup_key, urgent=True)
    return message or db.session.scalars(sa.select(Message).where(Message.dedup_key == dedup_key)).one()
