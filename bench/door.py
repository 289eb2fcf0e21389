"""The offline door: a checkpoint's roster of 5,000 registrations, and a batch of 500 scans
made offline, each beside its floor.

- Roster: GET …/checkpoints/entrance/roster with gzip, through the app (test client), on
  SQLite. Floor: the same registrations read in one plain SELECT (the same joins) and dumped
  to gzip'd JSON, with no hashing, rules or entries. Bounds: ≤ 1 s, ≤ 1 MB compressed.
- Batch: POST …/checkins/batch with 500 offline scans (5 of them already in from another
  phone, so some first entries are replaced). Floor: 500 bare INSERTs of such rows, committed
  in the same chunks as the batch commits. Bound: ≤ 2 s.
"""
from __future__ import annotations

import gzip
import json
import random
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench import Row, best_of

ROSTER_SIZE = 5000
BATCH_SIZE = 500
SURNAMES = ("Раҳимова", "Қурбонова", "Ғафурова", "Ҷӯраева", "Назарова", "Саидова", "Шарипова", "Одинаева",
            "Мирзоева", "Ҳакимова", "Каримов", "Юсупов", "Давлатов", "Исмоилов", "Раҷабов", "Холов")
GIVEN = ("Гулнора", "Зулфия", "Мавзуна", "Ҷамила", "Нилуфар", "Шаҳло", "Фарангис", "Манижа", "Сурайё",
         "Дилноза", "Бахтиёр", "Фирдавс", "Ҷамшед", "Умед", "Далер", "Рустам")


def crowd(forum, count: int, seed: int = 5) -> list[int]:
    """`count` registrations of the forum, with people, organizations and short codes,
    inserted in bulk (a few seconds for thousands); returns their ids in order. The
    caller commits."""
    import sqlalchemy as sa

    from forum.badges import codes
    from forum.badges.models import BadgeCode
    from forum.extensions import db
    from forum.people.codes import new_badge_secret, new_private_token
    from forum.people.folding import fold
    from forum.people.models import Organization, Person, Registration

    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:6]
    organizations = list(db.session.scalars(sa.insert(Organization).returning(Organization.id, sort_by_parameter_order=True), [
        {"name": f"ГВП «Умед-{n}», ҷамоати Чоркӯҳ {tag}", "kind": "shg"} for n in range(count // 50 + 1)]))
    people = list(db.session.scalars(sa.insert(Person).returning(Person.id, sort_by_parameter_order=True), [
        {"full_name": name, "name_folded": fold(name), "organization_id": rng.choice(organizations)}
        for name in (f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {n}" for n in range(count))]))
    registrations = list(db.session.scalars(
        sa.insert(Registration).returning(Registration.id, sort_by_parameter_order=True), [
            {"forum_id": forum.id, "person_id": person, "category": rng.choice(("shg_member", "shg_member", "shg_leader")),
             "status": "confirmed", "source": "import", "badge_secret": new_badge_secret(), "token": new_private_token()}
            for person in people]))
    taken = set(db.session.scalars(sa.select(BadgeCode.code).where(BadgeCode.forum_id == forum.id)))
    db.session.execute(sa.insert(BadgeCode), [
        {"registration_id": r, "forum_id": forum.id, "code": codes.new_short_code(taken)} for r in registrations])
    return registrations


def _floor_roster(forum) -> bytes:
    import sqlalchemy as sa

    from forum.badges.models import BadgeCode
    from forum.extensions import db
    from forum.people.models import Organization, Person, Registration

    rows = db.session.execute(
        sa.select(Registration.id, Registration.status, Registration.category, Registration.badge_secret,
                  Person.full_name, Organization.name, BadgeCode.code)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(BadgeCode, BadgeCode.registration_id == Registration.id)
        .where(Registration.forum_id == forum.id).order_by(Registration.id))
    return gzip.compress(json.dumps([list(r) for r in rows], ensure_ascii=False).encode())


def _floor_batch(forum, checkpoint, rows: list[dict]) -> None:
    from forum.checkin.batch import CHUNK
    from forum.checkin.models import Checkin
    from forum.extensions import db

    insert = Checkin.__table__.insert()
    forum_id, checkpoint_id = forum.id, checkpoint.id
    for start in range(0, len(rows), CHUNK):
        for row in rows[start:start + CHUNK]:
            db.session.execute(insert, {"forum_id": forum_id, "checkpoint_id": checkpoint_id, **row})
        db.session.commit()


def run() -> list[Row]:
    import sqlalchemy as sa

    from bench import new_forum
    from config import TestConfig
    from forum import create_app
    from forum.auth.service import create_token, create_user
    from forum.checkin import batch
    from forum.checkin.checkpoints import CheckpointData, save_checkpoint
    from forum.checkin.models import Checkin
    from forum.checkin.roster import clear_caches
    from forum.extensions import db
    from forum.people.models import Registration

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'door.sqlite3'}"))
        with app.app_context():
            db.create_all()
            forum = new_forum([])
            checkpoint = save_checkpoint(forum, CheckpointData(key="entrance", name={"ru": "Вход"}))
            ids = crowd(forum, ROSTER_SIZE)
            user, _password = create_user("door@forum.example", "staff", password="door", name="Door", forums=[forum])
            _token, token = create_token(user, name="bench")
            db.session.commit()
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
            url = f"/api/v1/forums/{forum.slug}/checkpoints/entrance/roster"
            sizes = []

            def roster():
                clear_caches()  # the cold path: the first full roster a worker serves
                response = client.get(url, headers=headers)
                encoding = response.headers.get("Content-Encoding")
                assert response.status_code == 200 and encoding == "gzip", (response.status_code, encoding)
                sizes.append(len(response.data))

            roster_time = best_of(roster)
            floor_time = best_of(lambda: _floor_roster(forum))
            entries = len(json.loads(gzip.decompress(client.get(url, headers=headers).data))["registrations"])

            secrets = dict(db.session.execute(sa.select(Registration.id, Registration.badge_secret)
                                              .where(Registration.id.in_(ids[:BATCH_SIZE]))).all())
            start = forum.starts_at
            scans = [{"secret": secrets[r], "checkpoint": "entrance", "nonce": uuid.uuid4().hex, "answered": "ok",
                      "at": (start + timedelta(seconds=7 * n)).isoformat(), "method": "camera"}
                     for n, r in enumerate(ids[:BATCH_SIZE])]
            # another phone uploaded five of the same people, scanned later: their entries are replaced
            batch.record_batch(forum, [{**s, "nonce": uuid.uuid4().hex,
                                        "at": (start + timedelta(hours=1)).isoformat()} for s in scans[:5]], user=user)
            began = time.perf_counter()
            response = client.post(f"/api/v1/forums/{forum.slug}/checkins/batch", json={"scans": scans, "device": "b"},
                                   headers={"Authorization": f"Bearer {token}"})
            batch_time = time.perf_counter() - began
            results = response.json["results"]
            ok = sum(1 for r in results if r.get("status") == "ok")
            floor_rows = [{"registration_id": r, "result": "ok", "reason": "reentry", "scanned": "", "nonce": uuid.uuid4().hex,
                          "method": "camera", "device": "b", "created_at": start} for r in ids[BATCH_SIZE:2 * BATCH_SIZE]]
            began = time.perf_counter()
            _floor_batch(forum, checkpoint, floor_rows)
            batch_floor = time.perf_counter() - began
            firsts = db.session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(Checkin.reason == "first"))
            db.session.remove()
            db.engine.dispose()
    size = max(sizes)
    return [
        Row(f"door: roster of {ROSTER_SIZE} (gzip)", roster_time, floor_time, "s", "≤ 1 s, ≤ 1 MB",
            roster_time <= 1.0 and size <= 1_000_000 and entries == ROSTER_SIZE,
            f"SQLite, {size / 1000:.0f} kB gzip, caches cold (floor: one SELECT dumped as gzip'd JSON)"),
        Row(f"door: batch of {BATCH_SIZE} offline scans", batch_time, batch_floor, "s", "≤ 2 s",
            batch_time <= 2.0 and ok == BATCH_SIZE and firsts == BATCH_SIZE,
            f"SQLite, 5 entries replaced; {ok} ok, {firsts} first entries "
            f"(floor: {BATCH_SIZE} bare INSERTs, same commits)"),
    ]
