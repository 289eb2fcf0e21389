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


def personal_calendar(registration, lang: str, base_url: str):
    """A person's own schedule: the public agenda plus what they are invited to, perform in or
    host, internal items included (see agenda.queries.personal_items)."""
    forum = registration.forum
    events = [ics.shared_event(p.item, lang, base_url=base_url) for p in queries.personal_items(registration)]
    with force_locale(lang):
        name = _("My schedule: %(forum)s", forum=translated(forum.title, lang))
    return ics.calendar(events, name=name, tz=forum.timezone, refresh=REFRESH,
                        uid=f"registration-{registration.id}-schedule@{_host(base_url)}")


def _host(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "forum"
