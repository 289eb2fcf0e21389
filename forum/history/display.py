"""The history as people read it: field labels in the page's language, values shown the way
the object's own page shows them (times in the forum's zone, translated texts, the group's
name for its id, a status's label), secrets as "changed" only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from forum.db import UTCDateTime
from forum.extensions import db
from forum.history.models import ChangeRecord
from forum.history.tracked import BY_ENTITY, Tracked
from forum.i18n import local_time, tr

LIMIT = 10  # entries on an object's page; the rest behind a link


@dataclass
class Line:
    label: str
    old: str
    new: str
    secret: bool  # values withheld: only that it changed


@dataclass
class Entry:
    at: datetime
    who: str
    action: str  # created, changed, deleted
    lines: list[Line]


def _names(kind: str, ids: set[int], timezone: str) -> dict[int, str]:
    """Readable names of the objects `ids` of a kind (an area, a group, a slot…) in one query."""
    from forum.events.models import Area
    from forum.people.models import Organization, Person

    if not ids:
        return {}
    if kind == "area":
        return {a.id: tr(a.name) for a in db.session.scalars(sa.select(Area).where(Area.id.in_(ids)))}
    if kind == "organization":
        return {o.id: o.label for o in db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids)))}
    if kind == "person":
        return dict(db.session.execute(sa.select(Person.id, Person.full_name).where(Person.id.in_(ids))).tuples().all())
    if kind == "stand_type":
        from forum.exhibition.models import StandType

        return dict(db.session.execute(sa.select(StandType.id, StandType.name).where(StandType.id.in_(ids))).tuples().all())
    if kind == "application":
        from forum.exhibition.models import ExhibitorApplication as A

        return dict(db.session.execute(sa.select(A.id, A.group_name).where(A.id.in_(ids))).tuples().all())
    if kind == "theatre_slot":
        from forum.theatre.models import TheatreSlot

        return {s.id: f"{tr(s.area.name)}, {local_time(s.starts_at, timezone, 'd MMM, HH:mm')}"
                for s in db.session.scalars(sa.select(TheatreSlot).where(TheatreSlot.id.in_(ids)))}
    if kind == "topic":
        from forum.roundtable.models import Topic

        return {t.id: tr(t.title) for t in db.session.scalars(sa.select(Topic).where(Topic.id.in_(ids)))}
    return {}


class _Shower:
    """Shows one kind's values, naming referenced objects with one query per kind."""

    def __init__(self, spec: Tracked, records: list[ChangeRecord], timezone: str):
        self.spec, self.timezone = spec, timezone
        self.columns: Any = sa.inspect(spec.model_class()).columns
        wanted: dict[str, set[int]] = {}
        for record in records:
            for name, pair in (record.changes or {}).items():
                if name in spec.refs and pair:
                    wanted.setdefault(spec.refs[name], set()).update(v for v in pair if isinstance(v, int))
        self.names = {kind: _names(kind, ids, timezone) for kind, ids in wanted.items()}

    def show(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if name in self.spec.refs:
            return self.names.get(self.spec.refs[name], {}).get(value, f"#{value}")
        labels = self.spec.choice_labels(name)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        if isinstance(value, dict):
            return tr(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if labels:
            return str(labels.get(value, value))
        column_type = self.columns[name].type if name in self.columns else None
        if isinstance(column_type, UTCDateTime) and isinstance(value, str):
            return local_time(datetime.fromisoformat(value), self.timezone, "d MMM y, HH:mm")
        if isinstance(column_type, sa.Date) and isinstance(value, str):
            return format_date(date.fromisoformat(value), "medium")
        return str(value)

    def lines(self, record: ChangeRecord) -> list[Line]:
        out = []
        for name, pair in (record.changes or {}).items():
            label = str(self.spec.fields.get(name, name))
            if pair is None or name in self.spec.secret:  # never a secret's value, also from an old row
                out.append(Line(label, "", "", True))
            else:
                out.append(Line(label, self.show(name, pair[0]), self.show(name, pair[1]), False))
        return out


def query(entity: str, entity_id: int, forum_id: int) -> sa.Select:
    """One object's records, newest first."""
    return (sa.select(ChangeRecord).where(ChangeRecord.entity_type == entity, ChangeRecord.entity_id == entity_id,
                                          ChangeRecord.forum_id == forum_id).order_by(ChangeRecord.id.desc()))


def count(entity: str, entity_id: int, forum_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        query(entity, entity_id, forum_id).order_by(None).subquery())) or 0


def shown(entity: str, records: list[ChangeRecord], forum) -> list[Entry]:
    """Records of one kind of object at `forum`, ready to show."""
    from forum.auth.models import User

    user_ids = {r.user_id for r in records if r.user_id is not None}
    users = dict(db.session.execute(sa.select(User.id, sa.func.coalesce(sa.func.nullif(User.name, ""), User.email))
                                    .where(User.id.in_(user_ids))).tuples().all()) if user_ids else {}
    shower = _Shower(BY_ENTITY[entity], records, forum.timezone)
    system = _("no login (a public form, a participant's page or the command line)")
    return [Entry(r.at, users.get(r.user_id, system) if r.user_id else system, r.action, shower.lines(r))
            for r in records]


def newest(entity: str, entity_id: int, forum, limit: int = LIMIT) -> list[Entry]:
    return shown(entity, list(db.session.scalars(query(entity, entity_id, forum.id).limit(limit))), forum)
