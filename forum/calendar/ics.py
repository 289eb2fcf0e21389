"""The one ICS builder: agenda items as VEVENTs, and calendars around them. Feeds, single-item
downloads and emailed invitations (iTIP) all come from here.

    from forum.calendar import ics

    event = ics.item_event(item, "tg", base_url=app.config["BASE_URL"],
                           attendee=registration.person, organizer="mailto:aws95@mail.ru")
    body = ics.calendar([event], method="REQUEST", name="…").to_ical()

What every event promises:
- UID `agenda-item-<id>@<host of base_url>`: tied to the item, never to its time, so an edit
  updates the event a calendar already has;
- SEQUENCE is the item's `sequence` (it grows with each change of time, place, title or status);
  DTSTAMP and LAST-MODIFIED are the item's last change, CREATED its creation;
- DTSTART/DTEND in the forum's zone with its TZID (`calendar()` adds the VTIMEZONE);
- SUMMARY, DESCRIPTION (with the hosts), LOCATION (area, venue, city) in the language asked,
  falling back to Russian; URL to the item on the public agenda; CLASS PUBLIC or PRIVATE;
- STATUS:CANCELLED for cancelled items (the summary says so too), CONFIRMED otherwise;
- text is cleaned of control characters (a tab becomes a space, line breaks stay).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration
from icalendar.enums import STATUS

from forum.db import translated

PRODID = "-//forum//agenda//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str | None) -> str:
    """Text safe for iCalendar: no control characters; tabs become spaces; CRLF becomes LF."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


@dataclass(frozen=True)
class EventFields:
    """Everything a VEVENT of an item says, as plain values (also the cache key of shared events)."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    starts_at: datetime  # aware, in the forum's zone
    ends_at: datetime
    stamp: datetime  # UTC: the item's last change
    created: datetime
    sequence: int
    cancelled: bool
    public: bool


def uid_for(item_id: int, base_url: str) -> str:
    return f"agenda-item-{item_id}@{urlsplit(base_url).hostname or 'forum'}"


def item_url(item, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/f/{item.forum.slug}/agenda#item-{item.id}"


def event_fields(item, lang: str, *, base_url: str) -> EventFields:
    """The values of an item's VEVENT in `lang` (the item's area, hosts and forum loaded)."""
    forum = item.forum
    labels = _labels(lang)
    summary = clean(translated(item.title, lang))
    if item.is_cancelled:
        summary = f"{labels['cancelled']}: {summary}"
    parts = [clean(translated(item.description, lang))]
    hosts = ", ".join(clean(host.name) for host in item.hosts)
    if hosts:
        parts.append(f"{labels['hosts']}: {hosts}")
    where = [translated(item.area.name, lang), translated(forum.venue, lang), translated(forum.city, lang)]
    zone = ZoneInfo(forum.timezone)
    return EventFields(
        uid=uid_for(item.id, base_url), summary=summary, description="\n\n".join(p for p in parts if p),
        location=clean(", ".join(w for w in where if w)), url=item_url(item, base_url),
        starts_at=item.starts_at.astimezone(zone), ends_at=item.ends_at.astimezone(zone),
        stamp=item.updated_at or item.created_at, created=item.created_at or item.updated_at,
        sequence=item.sequence or 0, cancelled=item.is_cancelled, public=item.is_public,
    )


def forum_event(forum, lang: str, *, base_url: str, cancelled: bool = False, attendee=None,
                organizer=None) -> Event:
    """The forum day as one VEVENT, for a forum-wide invitation: UID `forum-<id>@<host>`, the
    forum's hours in its zone, its title, venue and city in `lang`; STATUS:CANCELLED when
    `cancelled` (the person's registration, not the forum). Addresses as in `item_event`."""
    zone = ZoneInfo(forum.timezone)
    where = [translated(forum.venue, lang), translated(forum.address, lang), translated(forum.city, lang)]
    fields = EventFields(
        uid=f"forum-{forum.id}@{urlsplit(base_url).hostname or 'forum'}", summary=clean(translated(forum.title, lang)),
        description=clean(translated(forum.description, lang) or translated(forum.goals, lang)),
        location=clean(", ".join(w for w in where if w)), url=f"{base_url.rstrip('/')}/f/{forum.slug}/",
        starts_at=forum.starts_at.astimezone(zone), ends_at=forum.ends_at.astimezone(zone),
        stamp=forum.updated_at or forum.created_at, created=forum.created_at or forum.updated_at,
        sequence=0, cancelled=cancelled, public=True,
    )
    event = build_event(fields)
    if organizer is not None:
        event.add("organizer", _address(organizer, attendee=False))
    if attendee is not None:
        event.add("attendee", _address(attendee, attendee=True))
    return event


_DTSTAMP = re.compile(r"^DTSTAMP[:;][^\r\n]*", re.MULTILINE)


def stamped(text: str, moment: datetime) -> str:
    """An iCalendar text whose DTSTAMPs say `moment` (UTC): an iTIP message is stamped when it
    is sent (RFC 5546), which is later than when it was queued and never the item's edit time."""
    value = moment.astimezone(ZoneInfo("UTC")).strftime("DTSTAMP:%Y%m%dT%H%M%SZ")
    return _DTSTAMP.sub(value, text)


def build_event(fields: EventFields) -> Event:
    """A new VEVENT from its values."""
    event = Event.new(
        uid=fields.uid, summary=fields.summary, description=fields.description or None,
        location=fields.location or None, url=fields.url, start=fields.starts_at, end=fields.ends_at,
        stamp=fields.stamp, created=fields.created, last_modified=fields.stamp, sequence=fields.sequence,
        status=STATUS.CANCELLED if fields.cancelled else STATUS.CONFIRMED,
    )
    event.add("class", "PUBLIC" if fields.public else "PRIVATE")
    event.add("transp", "TRANSPARENT" if fields.cancelled else "OPAQUE")
    return event


def item_event(item, lang: str, *, base_url: str, attendee=None, organizer=None) -> Event:
    """A fresh VEVENT of an agenda item in `lang`, which the caller may change.

    `attendee` and `organizer` (for invitations) may each be a `vCalAddress` (used as given),
    an address string ("mailto:…" or a bare email), a Person, or a Registration (its person).
    A person becomes `mailto:<email>` with CN=<name>; an attendee also gets
    ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION and RSVP=TRUE. A person without an email
    raises ValueError: iCalendar has no other address for them."""
    event = build_event(event_fields(item, lang, base_url=base_url))
    if organizer is not None:
        event.add("organizer", _address(organizer, attendee=False))
    if attendee is not None:
        event.add("attendee", _address(attendee, attendee=True))
    return event


def shared_event(item, lang: str, *, base_url: str) -> Event:
    """The VEVENT of an item for feeds, built once per version of the item and language and
    reused by every feed that lists it (1,000 personal calendars share one VEVENT per item,
    and `to_ical` reuses its text). Do not change it: take `item_event` for one of your own."""
    return _cached_event(event_fields(item, lang, base_url=base_url))


def declined_event(item, lang: str, *, base_url: str) -> Event:
    """The item's VEVENT for someone who declined it: the same UID with STATUS:CANCELLED, so
    the calendar that had it from their feed drops it. Shared like `shared_event`."""
    return _cached_event(replace(event_fields(item, lang, base_url=base_url), cancelled=True))


@lru_cache(maxsize=8192)
def _cached_event(fields: EventFields) -> Event:
    event = build_event(fields)
    event.shared_ical = event.to_ical()  # type: ignore[attr-defined]  # our attribute: never serialized itself
    return event


def to_ical(cal: Calendar) -> bytes:
    """The calendar's text, like `cal.to_ical()`, but with the text of shared components
    (feeds' events, time zones) reused instead of serialized again for every calendar."""
    shared: list[Any] = [c for c in cal.subcomponents if getattr(c, "shared_ical", None)]  # each has shared_ical
    if not shared:
        return cal.to_ical()
    head = Calendar()
    head.update(cal)
    head.subcomponents = [c for c in cal.subcomponents if not getattr(c, "shared_ical", None)]
    text = head.to_ical()
    end = text.rindex(b"END:VCALENDAR")
    zones = [c.shared_ical for c in shared if c.name == "VTIMEZONE"]
    events = [c.shared_ical for c in shared if c.name != "VTIMEZONE"]
    # Time zones go first (before any event that uses them), then the events in their order.
    begin = text.index(b"\r\n", text.index(b"BEGIN:VCALENDAR")) + 2
    properties_end = _first_component(text, begin, end)
    return b"".join([text[:properties_end], *zones, text[properties_end:end], *events, text[end:]])


def _first_component(text: bytes, start: int, end: int) -> int:
    """Where the calendar's own properties end: at its first BEGIN: line, else at its END."""
    at = text.find(b"\r\nBEGIN:", start - 2, end)
    return at + 2 if at != -1 else end


def calendar(events, method: str = "PUBLISH", name: str | None = None, tz: str = "Asia/Dushanbe", *,
             uid: str | None = None, description: str | None = None,
             refresh: timedelta | None = None) -> Calendar:
    """A VCALENDAR holding `events`, with the VTIMEZONE of `tz` and of every other zone they
    use (covering the years they span). `refresh` asks subscribers to reload that often
    (REFRESH-INTERVAL and X-PUBLISHED-TTL); `uid` names the calendar itself."""
    events = list(events)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("name", clean(name))
        cal.add("x-wr-calname", clean(name))
    if description:
        cal.add("x-wr-caldesc", clean(description))
    if tz:
        cal.add("x-wr-timezone", tz)  # the zone some calendar apps show a subscribed feed in
    if uid:
        cal.add("uid", uid)
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    zones, years = ({tz} if tz else set()), set()
    for event in events:
        for key in ("DTSTART", "DTEND"):
            moment = event.get(key)
            value = getattr(moment, "dt", None)
            if isinstance(value, datetime) and value.tzinfo is not None:
                years.add(value.year)
                zone_name = getattr(value.tzinfo, "key", None)  # a ZoneInfo's name
                if zone_name:
                    zones.add(zone_name)
    first, last = (min(years), max(years)) if years else (date.today().year, date.today().year)
    for zone in sorted(z for z in zones if z != "UTC"):
        cal.add_component(_timezone(zone, first, last))
    for event in events:
        cal.add_component(event)
    return cal


@lru_cache(maxsize=64)
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    zone = Timezone.from_tzid(tzid, first_date=date(first_year - 1, 1, 1), last_date=date(last_year + 1, 12, 31))
    zone.shared_ical = zone.to_ical()  # type: ignore[attr-defined]  # our attribute, as on shared events
    return zone


def _address(who, attendee: bool) -> vCalAddress:
    if isinstance(who, vCalAddress):
        return who
    if isinstance(who, str):
        return vCalAddress(who if ":" in who else f"mailto:{who}")
    person = getattr(who, "person", None) or who
    email = getattr(person, "email", None)
    if not email:
        raise ValueError("this person has no email address for a calendar invitation")
    address = vCalAddress(f"mailto:{email}")
    name = clean(getattr(person, "full_name", None) or getattr(person, "name", None) or "")
    if name:
        address.params["cn"] = name
    if attendee:
        address.params.update({"role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
    return address


_label_cache: dict[str, dict[str, str]] = {}


def _labels(lang: str) -> dict[str, str]:
    """The few words an event adds, in `lang`, from the catalogs (cached per language once an
    application is there to read them)."""
    from flask import has_app_context
    from flask_babel import force_locale
    from flask_babel import gettext as _

    if lang in _label_cache:
        return _label_cache[lang]
    if not has_app_context():
        return {"hosts": "Hosts", "cancelled": "CANCELLED"}
    with force_locale(lang):
        labels = {"hosts": _("Hosts"), "cancelled": _("CANCELLED")}
    _label_cache[lang] = labels
    return labels
