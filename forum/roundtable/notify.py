"""What the round table tells people through messaging's outbox (the one outbox): a seat
freed by someone who declined now belongs to the first on the waitlist."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from forum.db import translated
from forum.i18n import local_time
from forum.messaging.compose import links
from forum.messaging.invitations import addresses
from forum.messaging.outbox import queue
from forum.roundtable.models import Invitee


def promoted(invitee: Invitee) -> int:
    """Queue an email and an SMS (where the person has them) in their language; returns how many."""
    registration = invitee.registration
    person, forum, item = registration.person, registration.forum, invitee.round_table.item
    lang = person.language or "ru"
    page = links(invitee.invitation)["page"].split("#")[0] + "#roundtable"
    with force_locale(lang):
        title = translated(item.title, lang)
        when = local_time(item.starts_at, forum.timezone, "d MMMM, HH:mm")
        subject = _("A seat at the round table is yours")
        body = _("A seat freed up and it is yours: %(title)s, %(when)s. Your seat is confirmed. Details: %(link)s",
                 title=title, when=when, link=page)
    count = 0
    for channel, address in addresses(person, ("email", "sms")).items():
        message = queue(channel=channel, recipient=address, subject=subject if channel == "email" else "",
                        body=body, kind="notice", language=lang, forum=forum, registration=registration,
                        invitation=invitee.invitation,
                        dedup_key=f"roundtable:promoted:{invitee.id}:{invitee.promotions}:{channel}")
        count += message is not None
    return count
