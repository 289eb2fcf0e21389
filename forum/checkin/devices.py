"""Numbering the forum's scanner phones: the first phone that asks is 1, the next 2… The
phone keeps its number (as its name, "Phone 2") and sends that name with every scan."""
from __future__ import annotations

import sqlalchemy as sa

from forum.checkin.models import ScannerDevice
from forum.events.models import Forum
from forum.extensions import db


def new_device_number(forum: Forum, user=None) -> int:
    """The next number for a scanner of this forum. Commits. Promises: two phones asking at
    the same moment get two numbers (the unique key decides; the loser takes the next one)."""
    for _attempt in range(5):
        number = (db.session.scalar(sa.select(sa.func.max(ScannerDevice.number))
                                    .where(ScannerDevice.forum_id == forum.id)) or 0) + 1
        db.session.add(ScannerDevice(forum_id=forum.id, number=number, user_id=user.id if user is not None else None))
        try:
            db.session.commit()
            return number
        except sa.exc.IntegrityError:
            db.session.rollback()
    raise RuntimeError("no scanner number could be given")
