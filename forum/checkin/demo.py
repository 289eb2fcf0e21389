"""Demo: checkpoints for both forums (main entrance for everyone, the round-table hall for
invited guests only, the job-fair tent) and a morning of scans at each forum, for the live
board and the report's comparison of the two. Idempotent: what exists is kept."""
from __future__ import annotations

import random
import uuid
from datetime import timedelta

import sqlalchemy as sa

from forum.auth.service import find_user
from forum.badges.service import ensure_codes, mark_printed
from forum.checkin import service
from forum.checkin.checkpoints import CheckpointData, allow, save_checkpoint
from forum.checkin.models import Checkin
from forum.events.models import Area
from forum.extensions import db
from forum.people.models import Registration

ROUND_TABLE_CATEGORIES = ("government", "international", "mfi", "guest", "press", "coordinator", "staff")
CHECKPOINTS = [
    ("entrance", {"ru": "Главный вход", "tg": "Даромадгоҳи асосӣ", "en": "Main entrance"}, "entrance", "all", False),
    ("round-table", {"ru": "Зал круглого стола", "tg": "Толори мизи мудаввар", "en": "Round-table hall"},
     "round-table", "list", True),
    ("job-fair", {"ru": "Шатёр ярмарки вакансий", "tg": "Хаймаи ярмаркаи ҷойҳои корӣ", "en": "Job-fair tent"},
     "job-fair", "all", True),
]


def load(forums: dict) -> None:
    for forum in forums.values():
        _checkpoints(forum)
        registrations = list(db.session.scalars(sa.select(Registration).where(Registration.forum_id == forum.id)))
        ensure_codes(registrations)
    db.session.commit()
    # Both forums of May 2011 took place: each gets its own, repeatable morning at the door.
    for slug, seed, share in (("isfara-2011", 20110505, 0.8), ("b-gafurov-2011", 20110507, 0.72)):
        forum = forums.get(slug)
        if forum is not None and not db.session.scalar(
                sa.select(sa.func.count(Checkin.id)).where(Checkin.forum_id == forum.id)):
            _morning(forum, seed, share)


def _checkpoints(forum) -> None:
    existing = {c.key for c in service.checkpoints(forum)}
    areas = {a.key: a.id for a in db.session.scalars(sa.select(Area).where(Area.forum_id == forum.id))}
    for position, (key, name, area, rule, reentry) in enumerate(CHECKPOINTS):
        if key in existing:
            continue
        checkpoint = save_checkpoint(forum, CheckpointData(key=key, name=name, rule=rule, reentry=reentry,
                                                           area_id=areas.get(area), position=position))
        if rule == "list":
            guests = db.session.scalars(sa.select(Registration).where(
                Registration.forum_id == forum.id, Registration.category.in_(ROUND_TABLE_CATEGORIES)))
            allow(checkpoint, guests, source="demo")


def _morning(forum, seed: int, share: float) -> None:
    """About `share` of those registered arrive between 08:15 and 10:30; a few badges scanned
    twice, a few mistakes at the round-table door, visits to the job-fair tent (some twice), a
    forged code: something for every part of the board."""
    rng = random.Random(seed)
    staff = find_user("staff@forum.example")
    registrations = list(db.session.scalars(sa.select(Registration).where(
        Registration.forum_id == forum.id).order_by(Registration.id)))
    mark_printed(registrations, at=forum.starts_at - timedelta(days=2))
    db.session.commit()
    opening = forum.starts_at  # 09:00 local
    arriving = [r for r in registrations if rng.random() < share]
    scans = []
    for registration in arriving:
        minutes = max(-45.0, min(90.0, rng.gauss(-10, 25)))
        scans.append((opening + timedelta(minutes=minutes), registration))
    scans.sort(key=lambda item: item[0])
    for at, registration in scans:
        _scan(forum, "entrance", registration.badge_secret, staff, at, "camera")
        if rng.random() < 0.03:  # shown again at the door a minute later
            _scan(forum, "entrance", registration.badge_secret, staff, at + timedelta(minutes=1), "camera")
        if registration.category in ROUND_TABLE_CATEGORIES:
            _scan(forum, "round-table", registration.badge_secret, staff, at + timedelta(minutes=rng.randint(60, 100)),
                  "camera")
        elif rng.random() < 0.02:  # a group member at the round-table door
            _scan(forum, "round-table", registration.badge_secret, staff, at + timedelta(minutes=70), "camera")
        if rng.random() < 0.25:  # the job fair opens after the opening session; some come back
            tent = at + timedelta(minutes=rng.randint(100, 200))
            _scan(forum, "job-fair", registration.badge_secret, staff, tent, "camera")
            if rng.random() < 0.3:
                _scan(forum, "job-fair", registration.badge_secret, staff, tent + timedelta(minutes=40), "camera")
    _scan(forum, "entrance", "ABCDEFGHJKMNPQRSTUVWXYZ2345", staff, opening + timedelta(minutes=20), "keyboard")
    _scan(forum, "entrance", "K7MQ4X", staff, opening + timedelta(minutes=35), "keyboard")


def _scan(forum, checkpoint: str, value: str, user, at, method: str) -> None:
    service.scan(forum, checkpoint, uuid.uuid4().hex, value=value, user=user, device="Демо: телефон у входа",
                 method=method, at=at)
