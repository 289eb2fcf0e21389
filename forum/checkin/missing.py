"""Who has not arrived: the registrations a checkpoint expects (its rule admits them, status
invited or confirmed) with no entry there yet. For the organizers' list filter and export
(through people.arrivals), the live board, and a group to write to (forum.messaging.groups).

"any" stands for the forum as a whole: expected people with no entry at any checkpoint.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.rules import admitted_ids, get_rule
from forum.checkin.service import checkpoint_by_key, checkpoints, first_entry_of
from forum.db import translated
from forum.events.models import Forum
from forum.extensions import db
from forum.i18n import current_language
from forum.messaging.groups import Group
from forum.people import arrivals
from forum.people.models import EXPECTED_STATUSES, Person, Registration

ANY = "any"


def place(forum: Forum, key: str) -> Checkpoint | str | None:
    """The checkpoint with this key, ANY for the forum as a whole, None when unknown."""
    if key == ANY:
        return ANY
    checkpoint = checkpoint_by_key(forum, key or "")
    return checkpoint if checkpoint is not None and checkpoint.forum_id == forum.id else None


def not_arrived(forum: Forum, where: Checkpoint | str) -> sa.ColumnElement:
    """A condition on Registration: expected `where` and not in there yet."""
    entered = sa.select(Checkin.registration_id).where(Checkin.forum_id == forum.id, first_entry_of())
    conditions: list[sa.ColumnElement[bool]] = [Registration.forum_id == forum.id,
                                                Registration.status.in_(EXPECTED_STATUSES)]
    if isinstance(where, Checkpoint):
        entered = entered.where(Checkin.checkpoint_id == where.id)
        rule = get_rule(where.rule)
        if rule is None:
            return sa.false()  # an unknown rule admits nobody, so nobody is expected
        if rule.expected is not None:
            conditions.append(Registration.id.in_(rule.expected(where)))
        else:
            conditions.append(Registration.id.in_(sorted(admitted_ids(where))))
    return sa.and_(*conditions, Registration.id.not_in(entered))


@dataclass
class Missing:
    where: Checkpoint | str
    count: int
    people: list[Registration] = field(default_factory=list)  # the first ones by name, at most the limit


def key_of(where: Checkpoint | str) -> str:
    """The URL key of a place: a checkpoint's key, or ANY."""
    return where.key if isinstance(where, Checkpoint) else ANY


def missing(forum: Forum, where: Checkpoint | str, limit: int = 50) -> Missing:
    condition = not_arrived(forum, where)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(condition)) or 0
    people = db.session.scalars(
        sa.select(Registration).join(Registration.person).where(condition)
        .options(joinedload(Registration.person).joinedload(Person.organization))
        .order_by(Person.full_name, Registration.id).limit(limit)).all()
    return Missing(where, count, list(people))


def first_arrival(forum: Forum) -> sa.ColumnElement[datetime]:
    """A column for a query of Registration (of this forum): their first entry through any
    checkpoint (UTC), NULL when not in yet. Correlated, so each row finds it through the
    partial index uq_checkin_first_entry: its condition is written with literals, as the
    index's own, since SQLite cannot tell that a bound parameter matches it and would read the
    forum's every scan for each row instead."""
    first = (sa.select(sa.func.min(Checkin.created_at))
             .where(Checkin.registration_id == Registration.id, Checkin.reason == sa.literal_column("'first'"),
                    Checkin.undone_at.is_(None))
             .correlate(Registration).scalar_subquery())
    return sa.type_coerce(first, Checkin.created_at.type)  # UTC-aware however the driver hands it back


def places(forum: Forum) -> list[tuple[str, str]]:
    language = current_language()
    return [(ANY, _("the forum (any checkpoint)"))] + [(c.key, translated(c.name, language)) for c in checkpoints(forum)]


def _not_arrived_at(forum: Forum, key: str) -> sa.ColumnElement | None:
    where = place(forum, key)
    return None if where is None else not_arrived(forum, where)


arrivals.register_arrivals(arrivals.Arrivals(places=places, not_arrived=_not_arrived_at, first_arrival=first_arrival))


# --- a group to write to (forum.messaging.groups) ----------------------------------------------

groups = [Group("not_arrived", _l("Not arrived at"), places, _not_arrived_at, order=10)]
