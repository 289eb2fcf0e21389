"""The offline door: a checkpoint's roster of 5,000 registrations, and a batch of 500 scans
made offline, each beside its floor. Each figure is the median of three runs alternating with
the floor's (product, floor, product…), with min and max.

- Roster: GET …/checkpoints/entrance/roster with gzip, through the app (test client), on
  SQLite, caches cleared before each run. Floor: the same registrations read in one plain
  SELECT (the same joins) and dumped to gzip'd JSON, with no hashing, rules or entries.
  Bounds: ≤ 1 s, ≤ 1 MB compressed.
- Batch: POST …/checkins/batch with 500 offline scans of people never scanned before (5 of
  them already in from another phone, so some first entries are replaced), each run with
  500 registrations of its own. Floor: 500 bare INSERTs of such rows for 500 other
  registrations, committed in the same chunks as the batch commits. Bound: ≤ 2 s.
"""
from __future__ import annotations

import gzip
import json
import random
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from bench import Row, alternate

ROSTER_SIZE = 5000
BATCH_SIZE = 500
RUNS = 3  # of the product and of the floor: the batch takes 2 × RUNS × BATCH_SIZE of the roster
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


def _roster_row(client, forum, headers: dict) -> Row:
    from forum.checkin.roster import clear_caches

    url = f"/api/v1/forums/{forum.slug}/checkpoints/entrance/roster"
    sizes = []

    def roster():
        clear_caches()  # the cold path: the first full roster a worker serves
        response = client.get(url, headers=headers)
        encoding = response.headers.get("Content-Encoding")
        assert response.status_code == 200 and encoding == "gzip", (response.status_code, encoding)
        sizes.append(len(response.data))

    value, floor = alternate(roster, lambda: _floor_roster(forum), runs=RUNS)
    entries = len(json.loads(gzip.decompress(client.get(url, headers=headers).data))["registrations"])
    size = max(sizes)
    return Row(f"door: roster of {ROSTER_SIZE} (gzip)", value, floor, "s", "≤ 1 s, ≤ 1 MB",
               value.median <= 1.0 and size <= 1_000_000 and entries == ROSTER_SIZE,
               f"SQLite, {size / 1000:.0f} kB gzip, caches cold", floor_name="one SELECT as gzip'd JSON")


def _offline_scans(forum, registrations: list[int]) -> list[dict]:
    """A phone's queue: one scan of each registration, 7 s apart from the forum's start."""
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.people.models import Registration

    secrets = dict(db.session.execute(sa.select(Registration.id, Registration.badge_secret)
                                      .where(Registration.id.in_(registrations))).all())
    return [{"secret": secrets[r], "checkpoint": "entrance", "nonce": uuid.uuid4().hex, "answered": "ok",
             "at": (forum.starts_at + timedelta(seconds=7 * n)).isoformat(), "method": "camera"}
            for n, r in enumerate(registrations)]


def _in_from_another_phone(forum, user, scans: list[dict]) -> None:
    """Another phone uploaded five of the same people, scanned an hour later: the queue's
    earlier scans replace their entries."""
    from forum.checkin import batch

    later = (forum.starts_at + timedelta(hours=1)).isoformat()
    batch.record_batch(forum, [{**s, "nonce": uuid.uuid4().hex, "at": later} for s in scans[:5]], user=user)


def _floor_rows(forum, registrations: list[int]) -> list[dict]:
    return [{"registration_id": r, "result": "ok", "reason": "reentry", "scanned": "", "nonce": uuid.uuid4().hex,
             "method": "camera", "device": "b", "created_at": forum.starts_at} for r in registrations]


def _first_entries(registrations: list[int]) -> int:
    import sqlalchemy as sa

    from forum.checkin.models import Checkin
    from forum.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(Checkin)
                             .where(Checkin.reason == "first", Checkin.registration_id.in_(registrations)))


def _batch_row(client, forum, checkpoint, user, token: str, ids: list[int]) -> Row:
    # each run needs registrations never scanned before: the roster is cut into slices of
    # BATCH_SIZE, taken in the order the runs go (product, floor, product…)
    slices = [ids[n:n + BATCH_SIZE] for n in range(0, 2 * RUNS * BATCH_SIZE, BATCH_SIZE)]
    product_ids, floor_ids = slices[0::2], slices[1::2]
    queues = [_offline_scans(forum, registrations) for registrations in product_ids]
    for scans in queues:  # before the runs: no run is timed with another run's setup
        _in_from_another_phone(forum, user, scans)
    next_queue, next_rows = iter(queues), iter([_floor_rows(forum, registrations) for registrations in floor_ids])
    url, headers = f"/api/v1/forums/{forum.slug}/checkins/batch", {"Authorization": f"Bearer {token}"}
    responses = []

    def product():
        responses.append(client.post(url, json={"scans": next(next_queue), "device": "b"}, headers=headers))

    value, floor = alternate(product, lambda: _floor_batch(forum, checkpoint, next(next_rows)), runs=RUNS)
    oks = [sum(1 for r in response.json["results"] if r.get("status") == "ok") for response in responses]
    firsts = [_first_entries(registrations) for registrations in product_ids]
    return Row(f"door: batch of {BATCH_SIZE} offline scans", value, floor, "s", "≤ 2 s",
               value.median <= 2.0 and oks == [BATCH_SIZE] * RUNS and firsts == [BATCH_SIZE] * RUNS,
               f"SQLite, 5 entries replaced per run; ok {'/'.join(map(str, oks))}, "
               f"first entries {'/'.join(map(str, firsts))}", floor_name=f"{BATCH_SIZE} bare INSERTs, same commits")


def run() -> list[Row]:
    from bench import new_forum
    from config import TestConfig
    from forum import create_app
    from forum.auth.service import create_token, create_user
    from forum.checkin.checkpoints import CheckpointData, save_checkpoint
    from forum.extensions import db

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
            rows = [_roster_row(client, forum, {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}),
                    _batch_row(client, forum, checkpoint, user, token, ids)]
            db.session.remove()
            db.engine.dispose()
    return rows
