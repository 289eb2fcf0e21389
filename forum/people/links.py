"""The personal link reaches its person: /r/<token> (badge, schedule, calendar, answers) sent
by SMS to the person's phone and by email when they have one, in their language, through the
outbox. Every way into a forum sends it here: self-registration, "Lost your link?", import
when the organizer ticks "send links", invitations, walk-ins (issue 15).

The link only ever goes to the number and the address stored on the person, never to one a
form was given: that is what keeps a stranger typing someone's number from getting her page.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum import clock
from forum.db import translated
from forum.extensions import db
from forum.people.codes import new_short_code
from forum.people.models import Registration

CHANNELS = ("sms", "email")
# A link asked for twice within this many minutes (a double tap, a second "Lost your link?")
# goes out once: the outbox refuses the second message by its key.
REPEAT_MINUTES = 10


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def short_code_of(registration: Registration) -> str:
    """The registration's short code, given now when it has none yet (older registrations)."""
    if not registration.short_code:
        while True:
            code = new_short_code()
            if db.session.scalar(sa.select(Registration.id).where(Registration.short_code == code)) is None:
                break
        registration.short_code = code
    return registration.short_code


def registration_by_short_code(code: str) -> Registration | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return db.session.scalar(sa.select(Registration).where(Registration.short_code == code))


def short_link(registration: Registration) -> str:
    return f"{base_url()}/l/{short_code_of(registration)}"


def page_link(registration: Registration) -> str:
    return f"{base_url()}/r/{registration.token}"


def sms_text(registration: Registration) -> str:
    """The SMS: where and when, and the short link; one or two SMS parts in every language."""
    forum, lang = registration.forum, registration.person.language or "ru"
    from forum.i18n import local_time

    with force_locale(lang):
        return _("Forum %(city)s, %(day)s. Your badge and schedule: %(link)s",
                 city=translated(forum.city, lang), day=local_time(forum.starts_at, forum.timezone, "d MMMM"),
                 link=short_link(registration))


def email_texts(registration: Registration) -> tuple[str, str]:
    """(subject, text) of the email with the personal link."""
    forum, person, lang = registration.forum, registration.person, registration.person.language or "ru"
    from forum.i18n import local_time

    with force_locale(lang):
        title = translated(forum.title, lang)
        subject = _("Your personal link: %(forum)s", forum=title)
        text = _("Hello, %(name)s.\n\nYour personal page for «%(forum)s» (%(day)s, %(venue)s): your badge, "
                 "your schedule, your calendar and your answers to invitations.\n\n%(link)s\n\n"
                 "Keep this link and do not share it: whoever has it sees your badge.",
                 name=person.full_name, forum=title, venue=translated(forum.venue, lang),
                 day=local_time(forum.starts_at, forum.timezone, "d MMMM y, HH:mm"), link=page_link(registration))
    return subject, text + "\n"


def send_personal_link(registration: Registration, channels: tuple[str, ...] = CHANNELS, *,
                       asked: bool = False, now: datetime | None = None) -> list:
    """Queue the person's link by SMS to their own phone and by email to their own address
    (those of `channels` they have); the caller commits. Returns the messages queued.

    Promises: nothing goes to an address the person does not have stored; the same link to
    the same channel is queued once within REPEAT_MINUTES; `asked` (the person is waiting for
    it: a registration, a lost link) sends the SMS at once, outside the SMS hours too.
    """
    from forum.messaging.outbox import queue

    person, now = registration.person, now or clock.now()
    window = int(now.timestamp()) // (REPEAT_MINUTES * 60)
    language, forum = person.language or "ru", registration.forum
    queued = []
    if "sms" in channels and person.phone:
        message = queue(channel="sms", recipient=person.phone, body=sms_text(registration), urgent=asked,
                        dedup_key=f"personal-link:{registration.id}:sms:{window}", not_before=now,
                        kind="notice", language=language, forum=forum, registration=registration)
        queued.append(message)
    if "email" in channels and person.email:
        subject, text = email_texts(registration)
        message = queue(channel="email", recipient=person.email, subject=subject, body=text,
                        dedup_key=f"personal-link:{registration.id}:email:{window}", not_before=now,
                        kind="notice", language=language, forum=forum, registration=registration)
        queued.append(message)
    return [m for m in queued if m is not None]


def lost_link(forum, contact: str, now: datetime | None = None) -> str:
    """"Lost your link?": `contact` is a phone (E.164) or an email address. The person's link of
    this forum goes to that number (SMS) or that address (email) when a person with it is
    registered here; nothing happens otherwise. The caller commits and answers the same either way."""
    from forum.people.models import Person

    if "@" in contact:
        condition, channels = sa.func.lower(Person.email) == contact.strip().lower(), ("email",)
    else:
        condition, channels = Person.phone == contact, ("sms",)
    found = db.session.scalars(sa.select(Registration).join(Registration.person).where(
        Registration.forum_id == forum.id, Registration.status != "cancelled", condition))
    for registration in found:
        send_personal_link(registration, channels, asked=True, now=now)
    return contact
