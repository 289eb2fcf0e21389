"""The guardian's private link by SMS, so a guardian who closes the page can still find it.

Queued in the messaging outbox inside the submission's transaction (sent only if it commits),
in the language the guardian used. The text names no child: only the forum and the link.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.db import translated


def private_link(forum, drawing) -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/") + f"/f/{forum.slug}/drawings/d/{drawing.token}"


def drawing_received(forum, drawing) -> None:
    try:
        from forum.messaging.outbox import queue
    except ImportError:  # an installation without messaging shows the link on screen only
        return
    language = drawing.consent_language
    with force_locale(language):
        body = _("Your child's drawing for «%(forum)s» is received. Your private link to see its status "
                 "or withdraw it: %(link)s", forum=translated(forum.title, language),
                 link=private_link(forum, drawing))
    queue(channel="sms", recipient=drawing.guardian_phone, body=body, kind="notice", language=language,
          forum=forum, dedup_key=f"drawing-received:{drawing.image_key}")
