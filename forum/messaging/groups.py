"""Writing to a group of the forum's people: a free text, per language, to the registrations a
filter picks (not arrived, a category, an organization, round-table invitees, exhibitors, a
status), previewed as each language gets it, queued in the outbox one message per person as a
batch that can be cancelled while it is still queued.

Groups come from the packages that know them: messaging offers category, organization and
status; a package lists more in its `__init__.py` (GROUPS = ["forum.checkin.missing"]), each
such module holding `groups`, a list of Group. So messaging imports no feature package.

Who is never written to: a cancelled registration (the person withdrew), and a declined one
unless the organizer picks that status; a person without the address a channel needs.
"""
from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from forum.db import translated, utcnow
from forum.events.models import Forum
from forum.extensions import db
from forum.messaging import outbox
from forum.messaging.models import Message, MessageBatch
from forum.messaging.sms import sms_parts
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS
from forum.people.models import LANGUAGES, Organization, Person, Registration

MAX_PARTS = 6  # as the urgent SMS: Kannel's sendsms-user cuts longer texts (docs/sms.md)
MAX_TEXT = 1000
# How the message goes: SMS and email to those without a phone; both; SMS only; email only.
CHANNEL_MODES = ("sms_first", "both", "sms", "email")
WRITABLE_STATUSES = ("invited", "confirmed", "declined")  # never "cancelled"
DEFAULT_STATUSES = ("invited", "confirmed")  # when no status is chosen


@dataclass(frozen=True)
class Group:
    """A filter over the forum's registrations: `choices(forum)` are the (value, label) one picks
    from; `condition(forum, value)` a condition on Registration, None for an unknown value."""

    key: str
    label: Any  # a lazy string
    choices: Callable[[Forum], list[tuple[str, str]]]
    condition: Callable[[Forum, str], sa.ColumnElement[bool] | None]
    order: int = 50


class GroupMessageError(ValueError):
    """Why a group message cannot go; `code` is a key of groups_manage.ERRORS."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --- the groups ---------------------------------------------------------------------------------

def _categories(forum: Forum) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in CATEGORY_LABELS.items()]


def _category(forum: Forum, value: str) -> sa.ColumnElement[bool] | None:
    return Registration.category == value if value in CATEGORY_LABELS else None


def _organizations(forum: Forum) -> list[tuple[str, str]]:
    """The organizations of the forum's people, by name."""
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.short_name).distinct()
        .join(Person, Person.organization_id == Organization.id).join(Registration, Registration.person_id == Person.id)
        .where(Registration.forum_id == forum.id).order_by(Organization.name))
    return [(str(id_), f"{name} ({short})" if short and short != name else name) for id_, name, short in rows]


def _organization(forum: Forum, value: str) -> sa.ColumnElement[bool] | None:
    if not value.isdigit():
        return None
    return Registration.person_id.in_(sa.select(Person.id).where(Person.organization_id == int(value)))


def _statuses(forum: Forum) -> list[tuple[str, str]]:
    return [(key, str(STATUS_LABELS[key])) for key in WRITABLE_STATUSES]


def _status(forum: Forum, value: str) -> sa.ColumnElement[bool] | None:
    return Registration.status == value if value in WRITABLE_STATUSES else None


CORE_GROUPS = [
    Group("category", _l("Category"), _categories, _category, order=20),
    Group("organization", _l("Organization"), _organizations, _organization, order=30),
    Group("status", _l("Registration status"), _statuses, _status, order=90),
]


@cache
def _feature_groups() -> tuple[Group, ...]:
    from forum import features

    found: list[Group] = []
    for name in features.collect("GROUPS"):
        found.extend(importlib.import_module(name).groups)
    return tuple(found)


def all_groups() -> list[Group]:
    return sorted([*CORE_GROUPS, *_feature_groups()], key=lambda group: (group.order, group.key))


def clean_filters(values: dict[str, Any]) -> dict[str, str]:
    """The chosen filters, only known groups with a value: {group key: value}."""
    known = {group.key for group in all_groups()}
    return {key: str(value) for key, value in values.items() if key in known and value}


def condition(forum: Forum, filters: dict[str, str]) -> sa.ColumnElement[bool]:
    """The registrations the filters pick (all of them at once). An unknown value picks nobody:
    a message never goes to more people than the organizer chose."""
    conditions: list[sa.ColumnElement[bool]] = [Registration.forum_id == forum.id,
                                                Registration.status.in_(WRITABLE_STATUSES)]
    if not filters.get("status"):
        conditions.append(Registration.status.in_(DEFAULT_STATUSES))
    for group in all_groups():
        value = filters.get(group.key)
        if value:
            found = group.condition(forum, value)
            conditions.append(found if found is not None else sa.false())
    return sa.and_(*conditions)


def describe(forum: Forum, filters: dict[str, str]) -> list[tuple[str, str]]:
    """(group label, chosen value's label) of each filter, for the pages."""
    described = []
    for group in all_groups():
        value = filters.get(group.key)
        if value:
            described.append((str(group.label), dict(group.choices(forum)).get(value, value)))
    return described


# --- texts, addresses, the preview ------------------------------------------------------------

def text_for(texts: dict[str, str], language: str) -> tuple[str, str]:
    """The text a person speaking `language` gets, and the language it is written in (another
    one when none was written in theirs)."""
    texts = {lang: (text or "").strip() for lang, text in texts.items() if (text or "").strip()}
    if language in texts:
        return texts[language], language
    for other in ("ru", "tg", "en"):
        if other in texts:
            return texts[other], other
    return "", language


def check(texts: dict[str, str], channels: str) -> dict[str, int]:
    """SMS parts of each written text; GroupMessageError when none is written, one is too long
    for an SMS, or the channel is unknown."""
    if channels not in CHANNEL_MODES:
        raise GroupMessageError("channels")
    written = {lang: text.strip() for lang, text in texts.items() if lang in LANGUAGES and (text or "").strip()}
    if not written:
        raise GroupMessageError("empty")
    parts = {lang: sms_parts(text) for lang, text in written.items()}
    for lang, count in parts.items():
        if len(written[lang]) > MAX_TEXT:
            raise GroupMessageError("too_long_text", language=lang, max=MAX_TEXT)
        if channels != "email" and count > MAX_PARTS:
            raise GroupMessageError("too_long", language=lang, parts=count, max=MAX_PARTS)
    return parts


def addresses(phone: str | None, email: str | None, channels: str) -> dict[str, str]:
    """channel → address a person with this phone and email is written to, by the chosen mode."""
    found = {}
    if phone and channels in ("sms_first", "both", "sms"):
        found["sms"] = phone
    if email and (channels in ("both", "email") or (channels == "sms_first" and not phone)):
        found["email"] = email
    return found


@dataclass
class Language:
    """What the people speaking one language get."""

    code: str
    people: int = 0
    text: str = ""
    written_in: str = ""  # the text's language: another one when none was written in this
    parts: int = 0


@dataclass
class Plan:
    people: int = 0  # registrations the filters pick
    with_phone: int = 0
    with_email: int = 0
    unreachable: int = 0  # picked, but no address for the chosen channels
    messages: Counter = field(default_factory=Counter)  # channel → messages to queue
    languages: list[Language] = field(default_factory=list)

    @property
    def reached(self) -> int:
        return self.people - self.unreachable


def plan(forum: Forum, filters: dict[str, str], texts: dict[str, str], channels: str) -> Plan:
    """What sending would do, without queueing anything: who is picked, how many by SMS and
    email, and per language the text they get and its SMS parts."""
    found = Plan()
    per_language: Counter = Counter()
    rows = db.session.execute(
        sa.select(Person.language, Person.phone.is_not(None), Person.email.is_not(None), sa.func.count())
        .select_from(Registration).join(Registration.person).where(condition(forum, filters))
        .group_by(Person.language, Person.phone.is_not(None), Person.email.is_not(None)))
    for language, has_phone, has_email, n in rows:
        found.people += n
        per_language[language] += n
        found.with_phone += n if has_phone else 0
        found.with_email += n if has_email else 0
        reach = addresses("+" if has_phone else None, "@" if has_email else None, channels)
        if not reach:
            found.unreachable += n
        for channel in reach:
            found.messages[channel] += n
    for code in LANGUAGES:
        text, written_in = text_for(texts, code)
        found.languages.append(Language(code, per_language[code], text, written_in, sms_parts(text) if text else 0))
    return found


# --- sending, the batches, cancelling ----------------------------------------------------------

def send(forum: Forum, filters: dict[str, str], texts: dict[str, str], channels: str, nonce: str,
         user=None) -> tuple[MessageBatch, bool]:
    """Queue the text to each picked person in their language, one message per channel, as one
    batch; the caller commits. Returns the batch and whether it is new.

    Promises: the same `nonce` (one confirmed form) queues the batch once however often it is
    submitted (a second submit returns the first batch, False); nobody outside the filters is
    written to; SMS wait for the sending hours like every SMS that is not urgent."""
    existing = db.session.scalar(sa.select(MessageBatch).where(MessageBatch.nonce == nonce))
    if existing is not None:
        return existing, False
    check(texts, channels)
    texts = {lang: text.strip() for lang, text in texts.items() if lang in LANGUAGES and (text or "").strip()}
    batch = MessageBatch(forum_id=forum.id, nonce=nonce, texts=texts, filters=dict(filters), channels=channels,
                         created_by_id=getattr(user, "id", None), created_at=utcnow())
    db.session.add(batch)
    db.session.flush()  # its id names its messages' dedup keys
    people = 0
    for registration in db.session.scalars(
            sa.select(Registration).join(Registration.person).options(joinedload(Registration.person))
            .where(condition(forum, filters)).order_by(Registration.id)):
        person = registration.person
        reach = addresses(person.phone, person.email, channels)
        text, _written_in = text_for(texts, person.language)
        for channel, recipient in reach.items():
            message = outbox.queue(channel=channel, recipient=recipient, body=text, kind="notice",
                                   subject=translated(forum.title, person.language) if channel == "email" else "",
                                   language=person.language, forum=forum, registration=registration,
                                   dedup_key=f"group:{batch.id}:{registration.id}:{channel}")
            if message is not None:
                message.batch_id = batch.id
        people += bool(reach)
    batch.recipients = people
    return batch, True


def batch_of(forum: Forum, batch_id: int) -> MessageBatch | None:
    batch = db.session.get(MessageBatch, batch_id)
    return batch if batch is not None and batch.forum_id == forum.id else None


def batches(forum: Forum) -> sa.Select:
    """The forum's group messages, newest first (a statement, for pagination)."""
    return (sa.select(MessageBatch).where(MessageBatch.forum_id == forum.id)
            .order_by(MessageBatch.created_at.desc(), MessageBatch.id.desc()))


def status_counts(batch_ids: list[int]) -> dict[int, Counter]:
    """batch id → its messages per status."""
    counts: dict[int, Counter] = {batch_id: Counter() for batch_id in batch_ids}
    if batch_ids:
        for batch_id, status, n in db.session.execute(
                sa.select(Message.batch_id, Message.status, sa.func.count())
                .where(Message.batch_id.in_(batch_ids)).group_by(Message.batch_id, Message.status)):
            counts[batch_id][status] = n
    return counts


def state(batch: MessageBatch, counts: Counter) -> str:
    """queued (something still to go), cancelled (taken back), or done."""
    if counts["queued"] or counts["sending"]:
        return "queued"
    return "cancelled" if batch.cancelled_at is not None else "done"


def cancel(batch: MessageBatch, user=None) -> int:
    """Take back the batch's messages still queued; the caller commits. Sent ones stay sent, and
    one a sender holds right now goes (its lease is not broken). Returns how many were cancelled."""
    cancelled = cast(CursorResult, db.session.execute(
        sa.update(Message).where(Message.batch_id == batch.id, Message.status == "queued")
        .values(status="cancelled", last_error="cancelled by an organizer")
        .execution_options(synchronize_session=False))).rowcount
    if cancelled:
        batch.cancelled_at = utcnow()
        batch.cancelled_by_id = getattr(user, "id", None)
    return cancelled

