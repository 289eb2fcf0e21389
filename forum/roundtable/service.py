"""Round tables: setting one up, inviting by stakeholder group, answers under quotas with a
waitlist, the list of invitees, and the problems they bring. Plain functions; callers commit."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.extensions import db
from forum.people.models import Person, Registration
from forum.roundtable.models import GROUP_OF_CATEGORY, GROUPS, Invitee, Problem, Quota, RoundTable, Topic


class RoundTableError(ValueError):
    """A change was refused; `code` says why (see manage.ERRORS for the words)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def round_tables(forum) -> list[RoundTable]:
    return list(db.session.scalars(sa.select(RoundTable).where(RoundTable.forum_id == forum.id)
                                   .join(RoundTable.item).order_by(sa.text("agenda_item.starts_at"), RoundTable.id)))


def round_table_items(forum) -> list:
    """The forum's agenda items of kind round_table (with or without a round table yet)."""
    from forum.agenda.models import AgendaItem

    return list(db.session.scalars(sa.select(AgendaItem).where(
        AgendaItem.forum_id == forum.id, AgendaItem.kind == "round_table").order_by(AgendaItem.starts_at)))


def round_table_of(forum, item_id: int) -> RoundTable | None:
    found = db.session.scalar(sa.select(RoundTable).where(RoundTable.item_id == item_id))
    return found if found is not None and found.forum_id == forum.id else None


def set_up(forum, item, capacity: int, tables: int, seats_per_table: int, quotas: dict[str, int]) -> RoundTable:
    """Make (or change) the round table of agenda item `item` (kind round_table)."""
    if item is None or item.forum_id != forum.id or item.kind != "round_table":
        raise RoundTableError("bad_item")
    if capacity < 0 or tables < 1 or seats_per_table < 1 or any(v < 0 for v in quotas.values()):
        raise RoundTableError("bad_numbers")
    if sum(quotas.values()) > capacity:
        raise RoundTableError("quotas_over_capacity")
    table = db.session.scalar(sa.select(RoundTable).where(RoundTable.item_id == item.id))
    if table is None:
        table = RoundTable(forum_id=forum.id, item_id=item.id)
        db.session.add(table)
    table.capacity, table.tables, table.seats_per_table = capacity, tables, seats_per_table
    existing = {q.group: q for q in table.quotas}
    for group in GROUPS:
        seats = quotas.get(group, 0)
        if group in existing:
            existing[group].seats = seats
        elif seats:
            table.quotas.append(Quota(group=group, seats=seats))
    db.session.flush()
    return table


def group_for(registration: Registration) -> str:
    return GROUP_OF_CATEGORY.get(registration.category, "other")


def invite(table: RoundTable, registrations: list[Registration], group: str | None = None,
           channels: tuple[str, ...] = ("email", "sms")) -> list[Invitee]:
    """Invite registrations for `group` (by default the group their category suggests): a
    messaging Invitation to the round table's item, queued by email and SMS in each person's
    language, the item in their own schedule. Inviting someone again queues nothing new."""
    from forum.agenda import service as agenda
    from forum.messaging.invitations import addresses, new_code, queue_messages
    from forum.messaging.models import Invitation

    if group is not None and group not in GROUPS:
        raise RoundTableError("bad_group")
    if table.item.is_cancelled:
        raise RoundTableError("item_cancelled")
    now, done = utcnow(), []
    for registration in registrations:
        if registration.forum_id != table.forum_id:
            raise RoundTableError("other_forum")
        invitation = db.session.scalar(sa.select(Invitation).where(
            Invitation.registration_id == registration.id, Invitation.item_id == table.item_id))
        if invitation is None:
            invitation = Invitation(forum_id=table.forum_id, registration=registration, item_id=table.item_id,
                                    status="invited", code=new_code())
            db.session.add(invitation)
            db.session.flush()
        invitation.invited_at = invitation.invited_at or now
        invitee = db.session.scalar(sa.select(Invitee).where(Invitee.invitation_id == invitation.id))
        if invitee is None:
            invitee = Invitee(round_table_id=table.id, invitation_id=invitation.id, registration_id=registration.id,
                              group=group or group_for(registration), state="invited")
            db.session.add(invitee)
            db.session.flush()
            if invitation.status in ("accepted", "declined"):  # answered before (e.g. to messaging's invitation)
                answered(invitee.id, invitation.status)
        elif group is not None and invitee.state == "invited":
            invitee.group = group
        agenda.add_attendee(table.item, registration, "invited", source="roundtable")
        queue_messages(invitation, "invitation", addresses(registration.person, channels))
        done.append(invitee)
    db.session.flush()
    return done


def lock(table_id: int) -> None:
    """Serialize answers to one round table until the transaction ends, so a count of free
    seats and the seat taken after it cannot interleave with another answer. PostgreSQL: lock
    the row. SQLite: a no-op write takes the database's write lock now."""
    if db.session.get_bind().dialect.name == "sqlite":
        t = RoundTable.__table__
        db.session.execute(sa.update(t).where(t.c.id == table_id).values(capacity=t.c.capacity))
    else:
        db.session.execute(sa.select(RoundTable.id).where(RoundTable.id == table_id).with_for_update())


def _confirmed(table_id: int, group: str | None = None) -> int:
    stmt = sa.select(sa.func.count(Invitee.id)).where(Invitee.round_table_id == table_id, Invitee.state == "confirmed")
    if group is not None:
        stmt = stmt.where(Invitee.group == group)
    return db.session.execute(stmt).scalar_one()


def seats_left(table: RoundTable, group: str) -> int:
    """Free seats for `group`: within its quota (a group without a quota has none) and the capacity."""
    quota = db.session.scalar(sa.select(Quota.seats).where(Quota.round_table_id == table.id, Quota.group == group)) or 0
    return max(0, min(quota - _confirmed(table.id, group), table.capacity - _confirmed(table.id)))


@dataclass
class Outcome:
    invitee: Invitee
    promoted: Invitee | None = None


def answered(invitee_id: int, status: str) -> Outcome:
    """Apply an answer ("accepted"/"declined") already recorded on the invitation: accepted
    takes a free seat of the group or joins the waitlist; declining a seat gives it to the
    first on the group's waitlist, who is told through the outbox. Holds the round table's lock."""
    from forum.roundtable import notify

    invitee = db.session.get_one(Invitee, invitee_id)
    lock(invitee.round_table_id)
    db.session.refresh(invitee)
    table = invitee.round_table
    outcome = Outcome(invitee)
    if status == "accepted":
        if invitee.state not in ("confirmed", "waitlisted"):
            if seats_left(table, invitee.group) > 0:
                invitee.state = "confirmed"
            else:
                invitee.state, invitee.waitlisted_at = "waitlisted", utcnow()
    elif status == "declined":
        was_confirmed = invitee.state == "confirmed"
        invitee.state, invitee.table_no, invitee.seat_no = "declined", None, None
        db.session.flush()
        if was_confirmed:
            outcome.promoted = promote(table, invitee.group)
            if outcome.promoted is not None:
                notify.promoted(outcome.promoted)
    db.session.flush()
    return outcome


def promote(table: RoundTable, group: str) -> Invitee | None:
    """The first on `group`'s waitlist takes a free seat, if there is one (lock held)."""
    if seats_left(table, group) <= 0:
        return None
    first = db.session.scalar(sa.select(Invitee).where(
        Invitee.round_table_id == table.id, Invitee.group == group, Invitee.state == "waitlisted")
        .order_by(Invitee.waitlisted_at, Invitee.id).limit(1))
    if first is not None:
        first.state, first.waitlisted_at = "confirmed", None
        first.promotions += 1
        db.session.flush()
    return first


def invitee_for(invitation) -> Invitee | None:
    return db.session.scalar(sa.select(Invitee).where(Invitee.invitation_id == invitation.id))


def invitees(table: RoundTable, state: str = "", group: str = "") -> list[Invitee]:
    stmt = (sa.select(Invitee).join(Invitee.registration).join(Registration.person)
            .options(joinedload(Invitee.registration).joinedload(Registration.person).joinedload(Person.organization),
                     joinedload(Invitee.invitation))
            .where(Invitee.round_table_id == table.id))
    if state:
        stmt = stmt.where(Invitee.state == state)
    if group:
        stmt = stmt.where(Invitee.group == group)
    return list(db.session.scalars(stmt.order_by(Invitee.group, Person.full_name, Invitee.id)).unique())


def checkpoints_of(table: RoundTable) -> list:
    """The forum's checkpoints that admit by the round-table rule at the round table's hall."""
    from forum.checkin.models import Checkpoint

    return list(db.session.scalars(sa.select(Checkpoint).where(
        Checkpoint.forum_id == table.forum_id, Checkpoint.rule == "roundtable",
        sa.or_(Checkpoint.area_id.is_(None), Checkpoint.area_id == table.item.area_id))))


def checked_in_ids(table: RoundTable) -> set[int]:
    """Registrations with a (not undone) first entry at the round table's checkpoint."""
    from forum.checkin.models import Checkin
    from forum.checkin.service import first_entry_of

    ids = [c.id for c in checkpoints_of(table)]
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Checkin.registration_id).where(
        Checkin.checkpoint_id.in_(ids), first_entry_of())))


def counts(table: RoundTable) -> list[dict]:
    """Per group: quota, invited, confirmed, waitlisted, declined."""
    rows = db.session.execute(sa.select(Invitee.group, Invitee.state, sa.func.count(Invitee.id))
                              .where(Invitee.round_table_id == table.id).group_by(Invitee.group, Invitee.state))
    per: dict[str, dict] = {g: {"group": g, "quota": 0, "invited": 0, "confirmed": 0, "waitlisted": 0,
                                "declined": 0} for g in GROUPS}
    for quota in table.quotas:
        per[quota.group]["quota"] = quota.seats
    for group, state, count in rows:
        per[group][state] = count
    return [row for row in per.values() if row["quota"] or any(row[s] for s in ("invited", "confirmed",
                                                                                 "waitlisted", "declined"))]


def over_quota(table: RoundTable) -> list[dict]:
    """Groups with more invitations out (not declined) than seats in their quota, each with
    `out`: allowed (the waitlist takes those who accept late), but the organizer is told."""
    rows = []
    for row in counts(table):
        out = row["invited"] + row["confirmed"] + row["waitlisted"]
        if out > row["quota"]:
            rows.append({**row, "out": out})
    return rows


def my_invitees(registration: Registration) -> list[Invitee]:
    return list(db.session.scalars(sa.select(Invitee).where(Invitee.registration_id == registration.id,
                                                            Invitee.state != "declined").order_by(Invitee.id)))


# --- problems and topics ---------------------------------------------------------------------

MAX_PROBLEMS = 10  # per invitee and round table, against floods from a leaked link


def submit_problem(invitee: Invitee, text: str) -> Problem:
    text = " ".join((text or "").split())
    if not text:
        raise RoundTableError("empty_problem")
    if len(text) > 1000:
        raise RoundTableError("long_problem")
    sent = db.session.execute(sa.select(sa.func.count(Problem.id)).where(
        Problem.round_table_id == invitee.round_table_id, Problem.registration_id == invitee.registration_id)).scalar_one()
    if sent >= MAX_PROBLEMS:
        raise RoundTableError("too_many_problems")
    problem = Problem(round_table_id=invitee.round_table_id, registration_id=invitee.registration_id, text=text)
    db.session.add(problem)
    db.session.flush()
    return problem


def problems(table: RoundTable) -> list[Problem]:
    return list(db.session.scalars(sa.select(Problem).options(joinedload(Problem.registration)
                                                              .joinedload(Registration.person))
                                   .where(Problem.round_table_id == table.id).order_by(Problem.created_at, Problem.id)))


def problems_of(invitee: Invitee) -> list[Problem]:
    return list(db.session.scalars(sa.select(Problem).where(
        Problem.round_table_id == invitee.round_table_id, Problem.registration_id == invitee.registration_id)
        .order_by(Problem.id)))


def topics(table: RoundTable) -> list[Topic]:
    return list(db.session.scalars(sa.select(Topic).where(Topic.round_table_id == table.id)
                                   .order_by(Topic.position, Topic.id)))


def add_topic(table: RoundTable, title: dict) -> Topic:
    if not any((v or "").strip() for v in title.values()):
        raise RoundTableError("empty_topic")
    topic = Topic(round_table_id=table.id, title={k: (v or "").strip() for k, v in title.items()},
                  position=len(topics(table)))
    db.session.add(topic)
    db.session.flush()
    return topic


def group_problem(table: RoundTable, problem_id: int, topic_id: int | None) -> None:
    problem = db.session.get(Problem, problem_id)
    if problem is None or problem.round_table_id != table.id:
        raise RoundTableError("bad_problem")
    if topic_id is not None:
        topic = db.session.get(Topic, topic_id)
        if topic is None or topic.round_table_id != table.id:
            raise RoundTableError("bad_topic")
    problem.topic_id = topic_id
