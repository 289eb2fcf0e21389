"""Shared data for the benchmarks of big forums: a forum with a crowd of registrations, most of
them through the door. One block, used by every module that needs such a forum, so the rows
of different modules measure the same data."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa


def crowd_forum(slug: str, count: int, arrived_share: float = 0.8) -> int:
    """A published forum `slug` of `count` registrations (people, groups, short codes, inserted
    in bulk by bench.door.crowd) with an entrance through which `arrived_share` of them came,
    over the morning; returns its id. Commits, and on PostgreSQL vacuums and analyzes
    as autovacuum would. The first forum made is bench.new_forum's ("bench"); the others take
    its day."""
    from bench import new_forum, settle
    from bench.door import crowd
    from forum.checkin.checkpoints import CheckpointData, save_checkpoint
    from forum.checkin.models import Checkin
    from forum.events.models import Forum
    from forum.extensions import db

    first = db.session.scalar(sa.select(Forum).order_by(Forum.id).limit(1))
    if first is None:
        forum = new_forum(["exhibition", "theatre"])
        forum.slug = slug
    else:
        forum = Forum(slug=slug, status="published", title={"ru": slug}, city={}, venue={}, address={}, goals={},
                      description={}, contacts={}, activities=["exhibition", "theatre"],
                      starts_at=first.starts_at, ends_at=first.ends_at)
        db.session.add(forum)
    db.session.flush()
    door = save_checkpoint(forum, CheckpointData(key="entrance", name={"ru": "Вход"}))
    ids = crowd(forum, count, seed=len(slug))
    _contacts(forum.id, slug)
    rng = random.Random(count)
    arrived = rng.sample(ids, int(count * arrived_share))
    rows = [{"forum_id": forum.id, "checkpoint_id": door.id, "registration_id": r, "result": "ok", "reason": "first",
             "nonce": f"n{slug}{r}", "scanned": "", "method": "camera", "device": "",
             "created_at": forum.starts_at + timedelta(minutes=max(-45.0, min(120.0, rng.gauss(-10, 30))))}
            for r in arrived]
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(Checkin), rows[start:start + 5000])
    db.session.commit()
    settle(db.engine)  # without statistics a search of 178 people is planned as 50,000 index probes
    return forum.id


def _contacts(forum_id: int, slug: str) -> None:
    """Phones for nine in ten of the forum's people and emails for one in five, as a real list
    has them (the export formats every number)."""
    from forum.extensions import db
    from forum.people.models import Person, Registration

    people = db.session.scalars(sa.select(Registration.person_id).where(Registration.forum_id == forum_id)
                                .order_by(Registration.id)).all()
    prefix = sum(map(ord, slug)) % 90 + 10  # numbers of their own per forum: phones are unique
    changes = [{"id": person, "phone": f"+99293{prefix:02d}{n:05d}" if n % 10 else None,
                "email": f"p{person}@{slug}.example" if n % 5 == 0 else None} for n, person in enumerate(people)]
    db.session.execute(sa.update(Person), changes)
