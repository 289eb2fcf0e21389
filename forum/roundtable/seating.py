"""Seats at the round table: by hand, or mixed so that every table hears different
stakeholder groups (round-robin by group). Only confirmed invitees sit."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from forum.extensions import db
from forum.roundtable.models import GROUPS, Invitee, RoundTable
from forum.roundtable.service import RoundTableError, invitees


def mix(table: RoundTable) -> int:
    """Seat every confirmed invitee anew: take one person of each group in turn and deal them
    to the tables in turn, so neighbours come from different groups. Returns how many sit;
    RoundTableError "not_enough_seats" (and nothing changes) when they do not fit."""
    people = invitees(table, state="confirmed")
    if len(people) > table.tables * table.seats_per_table:
        raise RoundTableError("not_enough_seats")
    by_group: dict[str, list[Invitee]] = defaultdict(list)
    for invitee in people:
        by_group[invitee.group].append(invitee)
    order: list[Invitee] = []
    queues = [by_group[g] for g in GROUPS if by_group[g]]
    while any(queues):
        for q in queues:
            if q:
                order.append(q.pop(0))
    _clear(table)
    seats = [0] * table.tables
    for index, invitee in enumerate(order):
        number = index % table.tables
        seats[number] += 1
        invitee.table_no, invitee.seat_no = number + 1, seats[number]
    db.session.flush()
    return len(order)


def _clear(table: RoundTable) -> None:
    db.session.execute(sa.update(Invitee).where(Invitee.round_table_id == table.id)
                       .values(table_no=None, seat_no=None))
    db.session.expire_all()


def assign(table: RoundTable, invitee_id: int, table_no: int | None, seat_no: int | None) -> None:
    """Put one confirmed invitee on a seat (None, None: stand them up). The seat must be free."""
    invitee = db.session.get(Invitee, invitee_id)
    if invitee is None or invitee.round_table_id != table.id:
        raise RoundTableError("bad_invitee")
    if table_no is None or seat_no is None:
        invitee.table_no = invitee.seat_no = None
        db.session.flush()
        return
    if invitee.state != "confirmed":
        raise RoundTableError("not_confirmed")
    if not (1 <= table_no <= table.tables and 1 <= seat_no <= table.seats_per_table):
        raise RoundTableError("no_such_seat")
    taken = db.session.scalar(sa.select(Invitee.id).where(
        Invitee.round_table_id == table.id, Invitee.table_no == table_no, Invitee.seat_no == seat_no,
        Invitee.id != invitee.id))
    if taken is not None:
        raise RoundTableError("seat_taken")
    invitee.table_no, invitee.seat_no = table_no, seat_no
    db.session.flush()


def plan(table: RoundTable) -> list[list[Invitee | None]]:
    """tables × seats: who sits where (None for an empty chair)."""
    grid: list[list[Invitee | None]] = [[None] * table.seats_per_table for _ in range(table.tables)]
    for invitee in invitees(table, state="confirmed"):
        if invitee.table_no and invitee.seat_no and invitee.table_no <= table.tables and invitee.seat_no <= table.seats_per_table:
            grid[invitee.table_no - 1][invitee.seat_no - 1] = invitee
    return grid


def seated(table: RoundTable) -> list[Invitee]:
    """Confirmed invitees with a seat, by table and seat (for the name cards)."""
    return sorted((i for i in invitees(table, state="confirmed") if i.table_no),
                  key=lambda i: (i.table_no, i.seat_no))
