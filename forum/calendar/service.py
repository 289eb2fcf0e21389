"""The calendar feeds: a forum's public agenda, one item, and a participant's own schedule.
Each is built in a fixed number of queries, from VEVENTs shared between feeds (see ics)."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from forum.agenda import queries
from forum.calendar import ics
from forum.db import translated

LANGUAGES = ("ru", "tg", "en")
REFRESH = timedelta(hours=1)  # how often subscribed calendars should reload


def language(asked: str | None, fallback: str) -> str:
    return asked if asked in LANGUAGES else fallback if fallback in LANGUAGES else "ru"


def forum_calendar(forum, lang: str, base_url: str):
    """The whole public agenda of a forum (METHOD:PUBLISH): internal items never, cancelled
    ones as STATUS:CANCELLED so subscribed calendars drop them."""
    items = queries.forum_items(forum, public_only=True)
    events = [ics.shared_event(item, lang, base_url=base_url) for item in items]
    return ics.calendar(events, name=translated(forum.title, lang), tz=forum.timezone, refresh=REFRESH,
                        uid=f"forum-{forum.id}-agenda@{_host(base_url)}")


def item_calendar(item, lang: str, base_url: str):
    """One item, to add to a calendar."""
    return ics.calendar([ics.shared_event(item, lang, base_url=base_url)], tz=item.forum.timezone,
                        name=translated(item.title, lang))


def answers(registration) -> dict[int, str]:
    """item id → the person's answer to their invitation to it ("invited", "accepted", "declined")."""
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.messaging.models import Invitation

    rows = db.session.execute(sa.select(Invitation.item_id, Invitation.status).where(
        Invitation.registration_id == registration.id, Invitation.item_id.is_not(None)))
    return {item_id: status for item_id, status in rows.tuples() if item_id is not None}


def personal_calendar(registration, lang: str, base_url: str):
    """A person's own schedule: the public agenda plus what they are invited to, perform in or
    host, internal items included (see agenda.queries.personal_items). An item they declined
    stays, as STATUS:CANCELLED: a calendar that has it from this feed drops it."""
    forum = registration.forum
    answered = answers(registration)
    items = [p.item for p in queries.personal_items(registration)]
    listed = {item.id for item in items}
    # Declining an internal item takes the person off its list: it is still cancelled here.
    extra = queries.items_by_id([i for i, status in answered.items() if status == "declined" and i not in listed])
    if extra:
        items = sorted(items + extra, key=lambda item: (item.starts_at, item.id))
    events = [ics.declined_event(item, lang, base_url=base_url) if answered.get(item.id) == "declined"
              else ics.shared_event(item, lang, base_url=base_url) for item in items]
    with force_locale(lang):
        name = _("My schedule: %(forum)s", forum=translated(forum.title, lang))
    return ics.calendar(events, name=name, tz=forum.timezone, refresh=REFRESH,
                        uid=f"registration-{registration.id}-schedule@{_host(base_url)}")


def _host(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "forum"
