"""Recommendations of a round table: recording them, following them up with dated notes,
and what the public may see (agreed ones and their later statuses only)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.people.models import Organization, Person
from forum.roundtable.models import PUBLIC_STATUSES, REC_STATUSES, ProgressNote, Recommendation, RoundTable, Topic
from forum.roundtable.service import RoundTableError


@dataclass
class RecommendationData:
    text: dict  # {"ru", "tg", "en"}, one at least
    status: str = "proposed"
    topic_id: int | None = None
    addressed_to_id: int | None = None
    owner_person_id: int | None = None
    owner_organization_id: int | None = None
    deadline: date | None = None


def save(table: RoundTable, data: RecommendationData, rec: Recommendation | None = None) -> Recommendation:
    """Create or change a recommendation; the caller commits. Nothing changes on an error."""
    text = {k: (data.text.get(k) or "").strip() for k in ("ru", "tg", "en")}
    if not any(text.values()):
        raise RoundTableError("empty_text")
    if data.status not in REC_STATUSES:
        raise RoundTableError("bad_status")
    if data.owner_person_id and data.owner_organization_id:
        raise RoundTableError("two_owners")
    if data.topic_id is not None:
        topic = db.session.get(Topic, data.topic_id)
        if topic is None or topic.round_table_id != table.id:
            raise RoundTableError("bad_topic")
    for org_id in (data.addressed_to_id, data.owner_organization_id):
        if org_id and db.session.get(Organization, org_id) is None:
            raise RoundTableError("bad_organization")
    if data.owner_person_id and db.session.get(Person, data.owner_person_id) is None:
        raise RoundTableError("bad_person")
    if rec is None:
        position = db.session.scalar(sa.select(sa.func.count(Recommendation.id)).where(
            Recommendation.round_table_id == table.id))
        rec = Recommendation(forum_id=table.forum_id, round_table_id=table.id, position=position)
        db.session.add(rec)
    rec.text, rec.status, rec.topic_id, rec.deadline = text, data.status, data.topic_id, data.deadline
    rec.addressed_to_id = data.addressed_to_id or None
    rec.owner_person_id, rec.owner_organization_id = data.owner_person_id or None, data.owner_organization_id or None
    db.session.flush()
    return rec


def add_note(rec: Recommendation, noted_on: date, text: str) -> ProgressNote:
    text = (text or "").strip()
    if not text:
        raise RoundTableError("empty_note")
    note = ProgressNote(recommendation=rec, noted_on=noted_on, text=text)
    db.session.add(note)
    db.session.flush()
    return note


def _query():
    return sa.select(Recommendation).options(
        joinedload(Recommendation.topic), joinedload(Recommendation.addressed_to),
        joinedload(Recommendation.owner_person).joinedload(Person.organization),
        joinedload(Recommendation.owner_organization), selectinload(Recommendation.notes))


def of_table(table: RoundTable, public_only: bool = False) -> list[Recommendation]:
    stmt = _query().where(Recommendation.round_table_id == table.id)
    if public_only:
        stmt = stmt.where(Recommendation.status.in_(PUBLIC_STATUSES))
    return list(db.session.scalars(stmt.order_by(Recommendation.position, Recommendation.id)).unique())


def of_forum(forum, public_only: bool = False) -> list[Recommendation]:
    """The forum's recommendations (public: agreed, in progress or done), in resolution order."""
    stmt = _query().join(RoundTable, RoundTable.id == Recommendation.round_table_id).where(
        Recommendation.forum_id == forum.id)
    if public_only:
        stmt = stmt.where(Recommendation.status.in_(PUBLIC_STATUSES))
    return list(db.session.scalars(stmt.order_by(RoundTable.id, Recommendation.position, Recommendation.id)).unique())


def for_resolution(table: RoundTable) -> list[Recommendation]:
    """What the resolution lists: everything agreed and after, not proposals nor dropped ones."""
    return of_table(table, public_only=True)


def owner_name(rec: Recommendation) -> str:
    if rec.owner_person is not None:
        org = rec.owner_person.organization
        return f"{rec.owner_person.full_name} ({org.short_name or org.name})" if org else rec.owner_person.full_name
    if rec.owner_organization is not None:
        return rec.owner_organization.short_name or rec.owner_organization.name
    return ""
