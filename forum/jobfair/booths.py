"""Booths in the job-fair area (the Area with key "job-fair"), one employer each.

Two organizers assigning at the same moment cannot double-book: a booth is taken with a
conditional UPDATE (only while it is free), and an employer holds one booth per forum by a
unique key; whoever comes second is told who was faster.
"""
from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.jobfair.models import Booth, Employer
from forum.jobfair.service import JobFairError

AREA_KEY = "job-fair"


def job_fair_area(forum: Forum) -> Area | None:
    return db.session.scalar(sa.select(Area).where(Area.forum_id == forum.id, Area.key == AREA_KEY))


def booths_of(forum: Forum) -> list[Booth]:
    booths = db.session.scalars(sa.select(Booth).options(joinedload(Booth.employer).joinedload(Employer.organization))
                                .where(Booth.forum_id == forum.id))
    return sorted(booths, key=lambda b: (len(b.label), b.label))  # "2" before "10"


def booth_of(forum: Forum, employer: Employer) -> Booth | None:
    return db.session.scalar(sa.select(Booth).where(Booth.forum_id == forum.id, Booth.employer_id == employer.id))


def add_booths(forum: Forum, count: int, prefix: str = "") -> list[Booth]:
    """`count` more booths numbered after the last ones ("1", "2"… or "A-1", "A-2"… with a prefix)."""
    area = job_fair_area(forum)
    if area is None:
        raise JobFairError("no_job_fair_area")
    if count < 1 or count > 200:
        raise JobFairError("bad_count", field="count")
    prefix = prefix.strip()
    labels = set(db.session.scalars(sa.select(Booth.label).where(Booth.forum_id == forum.id)))
    added: list[Booth] = []
    number = 1
    while len(added) < count:
        label = f"{prefix}{number}"
        if label not in labels:
            booth = Booth(forum_id=forum.id, area_id=area.id, label=label)
            db.session.add(booth)
            added.append(booth)
        number += 1
    db.session.flush()
    return added


def assign_booth(booth: Booth, employer: Employer, by=None) -> None:
    """Give a free booth to an approved employer.

    Refused: a booth already taken ("booth_taken", also when another organizer was faster),
    an employer that already has a booth at this forum ("employer_has_booth"), an employer
    not approved.
    """
    if employer.status != "approved":
        raise JobFairError("employer_not_approved")
    try:
        with db.session.begin_nested():
            taken = cast(CursorResult, db.session.execute(
                sa.update(Booth).where(Booth.id == booth.id, Booth.employer_id.is_(None))
                .values(employer_id=employer.id, assigned_at=utcnow(), assigned_by_id=by.id if by else None)
                .execution_options(synchronize_session=False)
            )).rowcount
    except sa.exc.IntegrityError:
        raise JobFairError("employer_has_booth") from None
    except sa.exc.OperationalError:
        # SQLite: another organizer's change committed after this request began reading.
        raise JobFairError("busy") from None
    if not taken:
        raise JobFairError("booth_taken")
    db.session.refresh(booth)


def release_booth(booth: Booth) -> None:
    booth.employer_id, booth.assigned_at, booth.assigned_by_id = None, None, None
    db.session.flush()


def delete_booth(booth: Booth) -> None:
    if booth.employer_id is not None:
        raise JobFairError("booth_taken")
    db.session.delete(booth)
    db.session.flush()
