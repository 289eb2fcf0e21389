"""Badges: 1,000 A6 badges as the organizer downloads them, against a bare floor; and the peak
memory of 5,000.

Product: the badges as the organizer's download makes them (forum.badges: the registrations
read in batches as they are drawn, each badge's contents in its person's language, QR
matrices, fitted text, one A6 page each). Floor (bench/floors/badges.py): the same people
read with one bare SELECT, drawn with bare reportlab at fixed sizes with the QR matrix (its
runs as one path on a module grid), outside the product. Bounds: time ≤ 1.5× the floor; peak memory (tracemalloc) at
5,000 ≤ 1.3× the floor's.
"""
from __future__ import annotations

import random

import sqlalchemy as sa

from bench import Figure, Row, alternate, app_with_schema, peak_memory, scaled

BACKENDS = ("sqlite", "postgresql")
FLOOR_SQL = sa.text(
    "SELECT p.full_name, o.name, r.category, c.code, r.badge_secret FROM registration r "
    "JOIN person p ON p.id = r.person_id LEFT JOIN organization o ON o.id = p.organization_id "
    "LEFT JOIN badge_code c ON c.registration_id = r.id WHERE r.forum_id = :forum ORDER BY r.id")


def _load(count: int, slug: str):
    """A forum of `count` registrations: Cyrillic and Tajik names, some long, three languages."""
    from datetime import date, time

    from forum.badges import service
    from forum.demo import texts
    from forum.demo.names import person_name
    from forum.events.models import Forum
    from forum.events.service import local_span
    from forum.extensions import db
    from forum.people.models import Organization, Person
    from forum.people.service import new_registration

    rng = random.Random(5)
    starts_at, ends_at = local_span(date(2011, 5, 5), time(9), time(17), "Asia/Dushanbe")
    forum = Forum(slug=slug, status="published", starts_at=starts_at, ends_at=ends_at,
                  **{k: texts.ISFARA[k] for k in ("title", "city", "venue", "address", "goals", "description", "contacts")})
    db.session.add(forum)
    groups = [Organization(name=f"ГВП «Ҳамкорӣ-{n}», Ғончӣ {slug}", kind="shg") for n in range(60)]
    db.session.add_all(groups)
    categories = ["shg_member"] * 8 + ["shg_leader", "guest", "press", "staff", "exhibitor", "employer", "performer"]
    registrations = []
    for n in range(count):
        person = Person(full_name=person_name(rng, rng.random() < 0.8) + (" Ҳикматуллоевна" if n % 7 == 0 else ""),
                        language=rng.choice(["ru", "tg", "tg", "en"]), organization=rng.choice(groups))
        registrations.append(new_registration(forum, person, rng.choice(categories)))
    db.session.flush()
    service.ensure_codes(registrations)  # the codes exist before anyone prints, for both
    db.session.commit()
    return forum.id


def _product(forum_id: int) -> bytes:
    from forum.badges import service
    from forum.badges.pdf import render
    from forum.events.models import Forum
    from forum.extensions import db

    db.session.remove()  # a request of its own: nothing cached
    forum = db.session.get(Forum, forum_id)
    data = render(service.badges_to_print(forum, service.BadgeFilter()), "a6", title="badges")
    db.session.commit()
    return data


def _floor(forum_id: int) -> bytes:
    from bench.floors.badges import render
    from forum.extensions import db

    db.session.remove()
    with db.engine.connect() as connection:
        return render(connection.execute(FLOOR_SQL, {"forum": forum_id}))


def run(backend: str):
    count, many = scaled(1000, 50), scaled(5000, 100)
    with app_with_schema(backend) as _app:
        forum_id = _load(count, "bench-badges")
        pages = _product(forum_id).count(b"/Type /Page\n")
        _floor(forum_id)
        value, floor = alternate(lambda: _product(forum_id), lambda: _floor(forum_id), runs=3)
        yield Row(f"{count:,} A6 badges", value, floor, "s", "≤ 1.5× floor", value.median <= 1.5 * floor.median,
                  f"{pages} pages", floor_name="bare reportlab + QR")
        big = _load(many, "bench-badges-5000")
        product_peak, floor_peak = peak_memory(lambda: _product(big)), peak_memory(lambda: _floor(big))
        yield Row(f"peak memory, {many:,} badges", Figure.of([product_peak]), Figure.of([floor_peak]), "MB",
                  "≤ 1.3× floor", product_peak <= 1.3 * floor_peak, "tracemalloc, one run each (memory is not noisy)",
                  floor_name="bare reportlab + QR")
