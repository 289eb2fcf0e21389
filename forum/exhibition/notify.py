"""What the exhibition tells a group's contact person, in the group's language, by SMS (every
group has a phone) and by email when they gave one. Messages are put in the messaging
outbox inside the caller's transaction: they go out only if the change commits.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.db import translated


def _queue(channel: str, recipient: str | None, body: str, subject: str, application, key: str) -> None:
    """The one door to the outbox of forum.messaging."""
    if not recipient:
        return
    from forum.messaging.outbox import queue

    queue(channel=channel, recipient=recipient, body=body, subject=subject, kind="notice",
          language=_language(application), forum=application_forum(application),
          registration=application.registration, dedup_key=f"{key}:{channel}")


def application_forum(application):
    from forum.events.models import Forum
    from forum.extensions import db

    return db.session.get(Forum, application.forum_id)


def _language(application) -> str:
    return application.language if application.language in ("ru", "tg", "en") else "ru"


def private_link(application) -> str:
    if application.registration is None:
        return ""
    return current_app.config.get("BASE_URL", "").rstrip("/") + f"/r/{application.registration.token}"


def _send(application, key: str, sms: str, subject: str, email: str) -> None:
    if application.registration is None:
        # No group page: the contact's phone belonged to a person already in the list (she
        # may not have sent this), so nothing about it goes to that number or the typed email.
        return
    _queue("sms", application.contact_phone, sms, "", application, key)
    _queue("email", application.contact_email, email, subject, application, key)


def _stamp(moment) -> str:
    return moment.strftime("%Y%m%d%H%M%S%f") if moment is not None else "0"


def application_received(application) -> None:
    """The group's private link, right after it applied (the contact may have left the page)."""
    lang = _language(application)
    forum = application_forum(application)
    with force_locale(lang):
        title, link = translated(forum.title, lang), private_link(application)
        sms = _("«%(group)s»: your application for the exhibition is received. Your group's page: %(link)s",
                group=application.group_name, link=link)
        subject = _("Exhibition: application received, %(forum)s", forum=title)
        email = _("Hello, %(name)s.\n\nThe organizers of «%(forum)s» received the application of «%(group)s» for "
                  "a stand at the exhibition. They will review it and tell you their decision.\n\n"
                  "On your group's page you can change your products and photos, and later see your stand "
                  "and your badges. Keep this link; do not share it:\n%(link)s",
                  name=application.contact_name, forum=title, group=application.group_name, link=link)
    _send(application, f"exhibition:received:{application.id}", sms, subject, email)


def resend_link(application) -> None:
    """The private link again, when the contact lost it and asked the organizers."""
    from forum.db import utcnow

    lang = _language(application)
    with force_locale(lang):
        link = private_link(application)
        sms = _("«%(group)s»: the link to your group's exhibition page: %(link)s",
                group=application.group_name, link=link)
        subject = _("Exhibition: the link to your group's page")
    _send(application, f"exhibition:link:{application.id}:{_stamp(utcnow())}", sms, subject, sms)


def application_decided(application) -> None:
    """Approved (with the stand, if already given) or rejected with the reason."""
    lang = _language(application)
    forum = application_forum(application)
    with force_locale(lang):
        title, link, group = translated(forum.title, lang), private_link(application), application.group_name
        if application.status == "approved":
            stand = application.stand
            where = (_("Your stand: No. %(number)s.", number=stand.number) if stand is not None
                     else _("The organizers will give you a stand number soon."))
            sms = _("«%(group)s» is approved for the exhibition. %(where)s Details: %(link)s",
                    group=group, where=where, link=link)
            subject = _("Exhibition: «%(group)s» is approved", group=group)
            email = _("Hello, %(name)s.\n\nThe organizers of «%(forum)s» approved «%(group)s» for the exhibition. "
                      "%(where)s\nThe members you listed are registered and get badges.\n\nYour group's page: %(link)s",
                      name=application.contact_name, forum=title, group=group, where=where, link=link)
            if application.decision_reason:
                email += "\n\n" + _("Note from the organizers: %(note)s", note=application.decision_reason)
        else:
            sms = _("«%(group)s» is not approved for the exhibition. Reason: %(reason)s",
                    group=group, reason=application.decision_reason)
            subject = _("Exhibition: «%(group)s» is not approved", group=group)
            email = _("Hello, %(name)s.\n\nThe organizers of «%(forum)s» did not approve «%(group)s» for the "
                      "exhibition.\nReason: %(reason)s\n\nIf you can change this, call the organizers. "
                      "Your group's page: %(link)s", name=application.contact_name, forum=title, group=group,
                      reason=application.decision_reason, link=link)
    key = f"exhibition:decision:{application.id}:{application.status}:{_stamp(application.decided_at)}"
    _send(application, key, sms, subject, email)


def stand_assigned(application, stand) -> None:
    """The stand number, when an approved group gets (or changes) its stand."""
    lang = _language(application)
    with force_locale(lang):
        sms = _("«%(group)s»: your stand at the exhibition is No. %(number)s. Details: %(link)s",
                group=application.group_name, number=stand.number, link=private_link(application))
        subject = _("Exhibition: your stand No. %(number)s", number=stand.number)
    key = f"exhibition:stand:{application.id}:{stand.id}:{_stamp(stand.assigned_at)}"
    _send(application, key, sms, subject, sms)
