"""What the theatre tells a troupe's contact person, in the troupe's language: by SMS (every
request has a phone) and by email when the person has one; only to a contact whose registration
the request made (service.request_slot), never to the number of a person already in the list.
Queued in the messaging outbox in the caller's transaction: nothing goes out unless the change
commits."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.db import translated, utcnow
from forum.i18n import local_time


def _link(performance) -> str:
    if performance.registration is None:
        return ""
    return current_app.config.get("BASE_URL", "").rstrip("/") + f"/r/{performance.registration.token}"


def _send(performance, key: str, sms: str, subject: str, email: str) -> None:
    from forum.messaging.outbox import queue

    if performance.registration is None:
        # The contact's phone belongs to a person already in the list: she may not have sent
        # this request, so she is told nothing about it; the organizers phone the contact.
        return
    forum = performance.forum
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    common = dict(kind="notice", language=performance.language, forum=forum, registration=performance.registration)
    queue(channel="sms", recipient=performance.contact_phone, body=sms, dedup_key=f"theatre:{key}:{stamp}:sms",
          **common)
    address = performance.registration.person.email
    if address:
        queue(channel="email", recipient=address, body=email, subject=subject,
              dedup_key=f"theatre:{key}:{stamp}:email", **common)


def _names(performance) -> dict:
    lang = performance.language
    return {"title": translated(performance.title, lang), "troupe": performance.troupe,
            "forum": translated(performance.forum.title, lang), "link": _link(performance),
            "name": performance.contact_name}


def _when(performance) -> str:
    forum = performance.forum
    stage = translated(performance.area.name, performance.language) if performance.area is not None else ""
    return f"{local_time(performance.starts_at, forum.timezone, 'd MMMM, HH:mm')}–" \
           f"{local_time(performance.ends_at, forum.timezone, 'HH:mm')}, {stage}"


def received(performance) -> None:
    with force_locale(performance.language):
        n = _names(performance)
        sms = _("«%(title)s»: your request for a theatre slot is received. Follow it here: %(link)s", **n)
        subject = _("Theatre: request received, %(forum)s", **n)
        email = _("Hello, %(name)s.\n\nThe organizers of «%(forum)s» received the request of %(troupe)s for a slot "
                  "for «%(title)s». They will tell you their decision.\n\nYour page (keep it, do not share it): "
                  "%(link)s", **n)
    _send(performance, f"received:{performance.id}", sms, subject, email)


def decided(performance) -> None:
    with force_locale(performance.language):
        n = _names(performance)
        if performance.status == "approved":
            sms = _("«%(title)s» is approved for the theatre stage. Pick a free slot on your page: %(link)s", **n)
            subject = _("Theatre: «%(title)s» is approved", **n)
        else:
            sms = _("«%(title)s» is not on this forum's theatre programme. Details: %(link)s", **n)
            subject = _("Theatre: «%(title)s» is not approved", **n)
    _send(performance, f"decided:{performance.id}", sms, subject, sms)


def booked(performance, moved: bool = False) -> None:
    with force_locale(performance.language):
        n = dict(_names(performance), when=_when(performance))
        if moved:
            sms = _("«%(title)s» is moved: now %(when)s. Details: %(link)s", **n)
            subject = _("Theatre: «%(title)s» is moved", **n)
        else:
            sms = _("«%(title)s» plays %(when)s. Come for setup before. Details: %(link)s", **n)
            subject = _("Theatre: your slot for «%(title)s»", **n)
    _send(performance, f"booked:{performance.id}", sms, subject, sms)


def unbooked(performance) -> None:
    with force_locale(performance.language):
        n = _names(performance)
        sms = _("«%(title)s»: your slot is freed by the organizers. Details: %(link)s", **n)
        subject = _("Theatre: slot freed for «%(title)s»", **n)
    _send(performance, f"unbooked:{performance.id}", sms, subject, sms)
