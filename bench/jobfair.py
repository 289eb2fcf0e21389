"""Job-fair benchmarks on a big fair: 60 employers, 900 vacancies (600 public), 3000 interests.

- the public list: `public_vacancies` (the vetting rule in SQL, employers joined, objects
  built). Floor: one bare SQL SELECT of the same rows as tuples. Bound: at most 4× the floor.
- the public API answer: GET /api/v1/forums/<slug>/vacancies through the whole app (routing,
  query, JSON). Floor: a bare Flask app answering the same GET with the bare SELECT as JSON,
  through its own test client. Bound: at most 4×.
- the organizers' figures: `forum_figures` (total, by sector, by place; distinct seekers).
  Floor: the same three breakdowns as bare GROUP BYs with COUNT(DISTINCT). Bound: at most 3×
  the floor (it also counts employers and vacancies by status).
Each figure is the median of five alternating runs (product, floor, product…), with min and max.
"""
from __future__ import annotations

import json
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import Row, alternate, new_forum

EMPLOYERS, VACANCIES, INTERESTS = 60, 900, 3000


def _fill(db, forum) -> None:
    from forum.auth.models import User
    from forum.jobfair.models import COUNTRIES, CURRENCIES, SECTORS, Employer, Interest, Vacancy
    from forum.people.models import Organization, Person, Registration

    rng = random.Random(80)
    employers = []
    for n in range(EMPLOYERS):
        user = User(email=f"e{n}@bench.example", role="employer", password_hash="x", name=f"e{n}")
        org = Organization(name=f"ООО «Бенч-{n}»", kind="employer")
        employers.append(Employer(user=user, organization=org, forum=forum, sector=rng.choice(SECTORS),
                                  tax_number=f"{510000000 + n}", city="Исфара",
                                  status="approved" if n % 10 else "pending"))
    db.session.add_all(employers)
    far = date.today() + timedelta(days=60)
    vacancies = []
    for n in range(VACANCIES):
        abroad = n % 4 == 0
        status = "approved" if n % 3 else rng.choice(["draft", "pending", "rejected"])
        vacancies.append(Vacancy(
            forum=forum, employer=employers[n % EMPLOYERS], title={"ru": f"Вакансия {n}", "tg": f"Ҷойи корӣ {n}"},
            description={"ru": "Описание работы. " * 20}, location="abroad" if abroad else "tajikistan",
            country=rng.choice(COUNTRIES) if abroad else "TJ", city="Москва" if abroad else "Исфара",
            positions=rng.randint(1, 30), wage_min=1000, wage_max=1000 + rng.randint(0, 3000),
            currency=rng.choice(CURRENCIES), contract_type="permanent", languages=["tg", "ru"], closes_on=far,
            no_fee=True, written_contract=True, status=status, approved_at=None))
    db.session.add_all(vacancies)
    db.session.flush()
    people = [Person(full_name=f"Соискатель {n}", phone=f"+99292{n:07d}") for n in range(INTERESTS // 3)]
    db.session.add_all(people)
    db.session.flush()
    registrations = [Registration(forum=forum, person=p, category="shg_member", badge_secret=f"B{p.id:026d}",
                                  token=f"t{p.id:031d}") for p in people]
    db.session.add_all(registrations)
    db.session.flush()
    public = [v for v in vacancies if v.status == "approved"]
    seen = set()
    while len(seen) < INTERESTS:
        registration, vacancy = rng.choice(registrations), rng.choice(public)
        if (registration.id, vacancy.id) in seen:
            continue
        seen.add((registration.id, vacancy.id))
        db.session.add(Interest(vacancy_id=vacancy.id, registration_id=registration.id, share="name",
                                shared_name=registration.person.full_name, stage=rng.choice(["interested", "hired"])))
    db.session.commit()


def _bare_select(db, forum_id: int, today: date, connection=None) -> list[tuple]:
    """The public rows the bare way: one SELECT, the JSON texts decoded, no objects."""
    rows = (connection or db.session).execute(sa.text(
        "SELECT v.id, v.title, v.description, v.requirements, v.location, v.country, v.city, v.positions, "
        "v.wage_min, v.wage_max, v.currency, v.contract_type, v.languages, v.closes_on, o.name, e.sector, "
        "e.kind, e.city FROM vacancy v JOIN employer e ON e.id = v.employer_id "
        "JOIN organization o ON o.id = e.organization_id "
        "WHERE v.forum_id = :f AND v.status = 'approved' AND e.status = 'approved' AND v.closes_on >= :d "
        "ORDER BY v.closes_on, v.id"), {"f": forum_id, "d": today}).all()
    return [(r[0], *(json.loads(x) for x in r[1:4]), *r[4:12], json.loads(r[12]), *r[13:]) for r in rows]


def _bare_api(db, forum_id: int, today: date):
    """The API answer the bare way: a Flask app with no extension, one route, the bare SELECT
    on a connection of the product's engine (the same database) dumped as JSON."""
    from flask import Flask, jsonify

    bare, engine = Flask("bare_vacancies"), db.engine

    @bare.get("/vacancies")
    def vacancies():
        with engine.connect() as connection:
            rows = _bare_select(db, forum_id, today, connection)
        return jsonify({"count": len(rows), "vacancies": [list(map(str, row)) for row in rows]})

    return bare


def run() -> list[Row]:
    from config import TestConfig
    from forum import create_app
    from forum.events.models import Forum
    from forum.extensions import db
    from forum.jobfair import figures, service

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}"))
        with app.app_context():
            db.create_all()
            forum = new_forum(["job_fair"])
            _fill(db, forum)
            today = service.local_today(forum)
            count = len(_bare_select(db, forum.id, today))

            forum_id = forum.id

            def fresh_forum():
                db.session.remove()  # each request has its own session: nothing cached between runs
                return db.session.get(Forum, forum_id)

            def listing():
                return service.public_vacancies(fresh_forum())

            assert len(listing()) == count
            value, floor = alternate(listing, lambda: (fresh_forum(), _bare_select(db, forum_id, today)), 5)
            rows = [Row("jobfair: public vacancy list", value, floor, "s", "≤ 4× floor",
                        value.median <= 4 * floor.median, f"{count} public of {VACANCIES}",
                        floor_name="one bare SELECT, rows as tuples")]

            client, bare_client = app.test_client(), _bare_api(db, forum_id, today).test_client()
            assert client.get("/api/v1/forums/bench/vacancies").json["count"] == count
            assert len(bare_client.get("/vacancies").json["vacancies"]) == count
            value, floor = alternate(lambda: (fresh_forum(), client.get("/api/v1/forums/bench/vacancies")),
                                     lambda: (fresh_forum(), bare_client.get("/vacancies")), 5)
            rows.append(Row("jobfair: GET /api/v1/…/vacancies", value, floor, "s", "≤ 4× floor",
                            value.median <= 4 * floor.median, f"{count} vacancies as JSON",
                            floor_name="bare Flask: the SELECT as JSON"))

            def bare_figures():
                """The same figures the bare way: three GROUP BYs with COUNT(DISTINCT) in SQL."""
                fresh_forum()
                rows = []
                for group in ("'all'", "e.sector", "v.location || ':' || CASE WHEN v.location = 'abroad' "
                                                    "THEN v.country ELSE v.city END"):
                    rows += db.session.execute(sa.text(
                        f"SELECT {group}, count(DISTINCT v.employer_id), count(DISTINCT v.id), "
                        "count(DISTINCT coalesce('r' || i.registration_id, 'p' || i.shared_phone, 'i' || i.id)), "
                        "count(i.interviewed_at), count(i.offered_at), count(i.hired_at) "
                        "FROM vacancy v JOIN employer e ON e.id = v.employer_id "
                        "LEFT JOIN interest i ON i.vacancy_id = v.id "
                        "WHERE v.forum_id = :f AND e.status = 'approved' AND (v.status = 'approved' OR "
                        "(v.status = 'closed' AND v.approved_at IS NOT NULL)) GROUP BY 1"), {"f": forum_id}).all()
                return rows

            value, floor = alternate(lambda: figures.forum_figures(fresh_forum()), bare_figures, 5)
            rows.append(Row("jobfair: organizers' figures", value, floor, "s", "≤ 3× floor",
                            value.median <= 3 * floor.median, f"{INTERESTS} interests, {VACANCIES} vacancies",
                            floor_name="three bare GROUP BYs"))
            db.session.remove()
            db.engine.dispose()
    return rows
