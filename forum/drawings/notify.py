"""The guardian's private link by SMS, so a guardian who closes the page can still find it.

Queued in the messaging outbox inside the submission's transaction (sent only if it commits),
in the language the guardian used, at once (the guardian is waiting for it). The text names no
child: only the forum and the link. The form's answer shows no link: the SMS is the only way to
the private page, so a repeated form (same child, same phone) can answer the same as the first.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.db import translated


def private_link(forum, drawing) -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/") + f"/f/{forum.slug}/drawings/d/{drawing.token}"


def _text(forum, drawing) -> str:
    language = drawing.consent_language
    with force_locale(language):
        return _("Your child's drawing for «%(forum)s» is received. Your private link to see its status "
                 "or withdraw it: %(link)s", forum=translated(forum.title, language),
                 link=private_link(forum, drawing))


def drawing_received(forum, drawing) -> None:
    from forum.messaging.outbox import queue

    queue(channel="sms", recipient=drawing.guardian_phone, body=_text(forum, drawing), kind="notice",
          language=drawing.consent_language, forum=forum, dedup_key=f"drawing-received:{drawing.image_key}",
          urgent=True)


def link_again(forum, drawing) -> None:
    """The same drawing sent again (a double tap, a second try): the same SMS to the guardian's
    phone once more, at most once per links.REPEAT_MINUTES, so the form can be used to
    get a lost link back and cannot be used to flood a number."""
    from forum import clock
    from forum.messaging.outbox import queue
    from forum.people.links import REPEAT_MINUTES

    window = int(clock.now().timestamp()) // (REPEAT_MINUTES * 60)
    queue(channel="sms", recipient=drawing.guardian_phone, body=_text(forum, drawing), kind="notice",
          language=drawing.consent_language, forum=forum, urgent=True,
          dedup_key=f"drawing-again:{drawing.image_key}:{window}")
