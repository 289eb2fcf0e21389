"""What an invitation says, in the recipient's language: the email (text, HTML and the iTIP
calendar from the agenda's one ICS builder) and the short Cyrillic SMS."""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import vCalAddress

from forum.calendar import ics
from forum.db import translated
from forum.i18n import local_time
from forum.messaging.models import Invitation

# invitation kind → iTIP METHOD
METHODS = {"invitation": "REQUEST", "update": "REQUEST", "cancel": "CANCEL"}
PARTSTAT = {"invited": "NEEDS-ACTION", "accepted": "ACCEPTED", "declined": "DECLINED"}


@dataclass
class Email:
    subject: str
    text: str
    html: str
    calendar: str | None  # the VCALENDAR text (of the item, or of the forum day)
    method: str | None


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def links(invitation: Invitation) -> dict[str, str]:
    """The person's private page (RSVP) and the short link of the SMS, both absolute."""
    return {"page": f"{base_url()}/r/{invitation.registration.token}#invitations",
            "short": f"{base_url()}/i/{invitation.code}"}


def _context(invitation: Invitation, kind: str, lang: str) -> dict:
    registration = invitation.registration
    forum = registration.forum
    item = item_of(invitation)
    if item is not None:
        starts, ends, area = item.starts_at, item.ends_at, translated(item.area.name, lang)
        title = translated(item.title, lang)
    else:
        starts, ends, area, title = forum.starts_at, forum.ends_at, "", translated(forum.title, lang)
    where = ", ".join(p for p in (area, translated(forum.venue, lang), translated(forum.city, lang)) if p)
    return {
        "kind": kind, "person": registration.person, "forum": forum, "item": item, "title": title,
        "forum_title": translated(forum.title, lang), "where": where, "venue": translated(forum.venue, lang),
        "day": local_time(starts, forum.timezone, "EEEE, d MMMM y"),
        "hours": f"{local_time(starts, forum.timezone, 'HH:mm')}–{local_time(ends, forum.timezone, 'HH:mm')}",
        "short_when": local_time(starts, forum.timezone, "d MMM HH:mm"),
        "contacts": translated(forum.contacts, lang), "code": invitation.code, "lang": lang, **links(invitation),
    }


def item_of(invitation: Invitation):
    """The agenda item of an invitation, or None for the whole forum."""
    if invitation.item_id is None:
        return None
    from forum.agenda.models import AgendaItem
    from forum.extensions import db

    return db.session.get(AgendaItem, invitation.item_id)


def _subject(context: dict) -> str:
    title, when = context["title"], context["short_when"]
    if context["kind"] == "cancel" and context["item"] is None:
        return _("Registration cancelled: %(title)s", title=title)
    if context["kind"] == "cancel":
        return _("Cancelled: %(title)s, %(when)s", title=title, when=when)
    if context["kind"] == "update":
        return _("Changed: %(title)s, now %(when)s", title=title, when=when)
    return _("Invitation: %(title)s, %(when)s", title=title, when=when)


def organizer_address(forum) -> vCalAddress:
    """ORGANIZER: the forum's sending address, named after the organizing NGO."""
    name, address = parseaddr(current_app.config.get("MAIL_FROM") or "forum@localhost")
    organizer = vCalAddress(f"mailto:{address}")
    label = forum.organizer.label if forum.organizer is not None else name
    if label:
        organizer.params["cn"] = ics.clean(label)
    return organizer


def attendee_address(invitation: Invitation) -> vCalAddress:
    """ATTENDEE with the answer given so far. RSVP=FALSE: answers are taken on the person's page
    (the link in the message), not from calendar reply emails, which nobody reads here."""
    person = invitation.registration.person
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params.update({"cn": ics.clean(person.full_name), "role": "REQ-PARTICIPANT",
                            "partstat": PARTSTAT[invitation.status], "rsvp": "FALSE"})
    return attendee


def calendar_text(invitation: Invitation, kind: str, lang: str) -> str | None:
    """The iTIP calendar of the invitation: its item, or the forum day for a forum-wide one
    (cancelled: the person's registration was). None for someone without an email."""
    if not invitation.registration.person.email:
        return None
    item = item_of(invitation)
    forum = invitation.registration.forum
    if item is None:
        event = ics.forum_event(forum, lang, base_url=base_url(), cancelled=kind == "cancel",
                                attendee=attendee_address(invitation), organizer=organizer_address(forum))
    else:
        event = ics.item_event(item, lang, base_url=base_url(), attendee=attendee_address(invitation),
                               organizer=organizer_address(forum))
    return ics.calendar([event], method=METHODS[kind], tz=forum.timezone).to_ical().decode("utf-8")


def email(invitation: Invitation, kind: str) -> Email:
    """The invitation email (`kind`: invitation, update or cancel) in the person's language."""
    lang = invitation.registration.person.language or "ru"
    with force_locale(lang):
        context = _context(invitation, kind, lang)
        subject = _subject(context)
        text = re.sub(r"\n{3,}", "\n\n", render_template("messaging/email_text.html", **context).strip()) + "\n"
        html = render_template("messaging/email.html", subject=subject, **context)
        calendar = calendar_text(invitation, kind, lang)
    return Email(subject=subject, text=text, html=html, calendar=calendar,
                 method=METHODS[kind] if calendar else None)


def sms(invitation: Invitation, kind: str) -> str:
    """The SMS (Cyrillic for ru and tg): what, when, the code and the short link."""
    lang = invitation.registration.person.language or "ru"
    with force_locale(lang):
        context = _context(invitation, kind, lang)
        return " ".join(render_template("messaging/sms_text.html", **context).split())
