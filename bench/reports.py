"""Dashboard and report benchmarks on a big forum: 5,000 registrations in 3 districts and 12
jamoats, 4,000 of them checked in over the morning (plus second scans and refused ones).

- the figures: `reports.figures.collect`. Floor: the same participation and arrival figures
  in bare SQL, five statements (the breakdown, the self-help groups taking part, the door's
  expected, its counts, the arrivals per quarter hour). Bound: at most 3× the floor (it also
  reads the agenda, the outbox and every activity's figures).
- the dashboard: GET /manage/<slug>/ through the whole app (figures, three SVG charts, the
  page). Floor: the bare SQL above, the districts' names and an f-string page with the same
  participation figures, the same bars as inline SVG (arrivals per quarter hour, registered
  and came per district and per category) and the tables by category and by district
  (`bench.floors.reports.dashboard`); it leaves out the agenda, outbox and activity counts
  the page also shows (all zero here). Bound: at most 4× the floor.
- the report PDF and its XLSX in Tajik, one click each: at most 3 s and 1.5 s, so an
  organizer on a district-town laptop is not left waiting. Floor, for comparison: the same
  tables, sentences and chart bars written from one `collect` done outside the timing, with
  bare reportlab platypus and the product's fonts, and the same sheets and rows with bare
  openpyxl in write-only mode (`bench.floors.reports`).
"""
from __future__ import annotations

import io
import random
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import Row, alternate, new_forum
from bench.floors import reports as bare_report

REGISTRATIONS, ARRIVED = 5000, 4000
PAGE = re.compile(rb"/Type /Page\b(?!s)")  # a page object (not the page tree's /Pages)


def _fill(db, forum) -> None:
    from forum.checkin.models import Checkin, Checkpoint
    from forum.people.models import CATEGORIES, District, Jamoat, Organization, Person, Registration

    rng = random.Random(2011)
    districts = [District(key=f"d{n}", name={"ru": f"Район {n}", "tg": f"Ноҳия {n}", "en": f"District {n}"})
                 for n in range(3)]
    jamoats = [Jamoat(district=districts[n % 3], key=f"j{n}", name={"ru": f"Джамоат {n}", "tg": f"Ҷамоат {n}"})
               for n in range(12)]
    groups = [Organization(name=f"ГВП «Бенч-{n}»", kind="shg", district=jamoats[n % 12].district,
                           jamoat=jamoats[n % 12]) for n in range(400)]
    door = Checkpoint(forum=forum, key="entrance", name={"ru": "Вход"}, rule="all")
    db.session.add_all(districts + jamoats + groups + [door])
    db.session.flush()
    people = [Person(full_name=f"Участник {n}", phone=f"+99292{n:07d}", gender=rng.choice(["f", "f", "m", None]),
                     organization_id=groups[n % 400].id) for n in range(REGISTRATIONS)]
    db.session.add_all(people)
    db.session.flush()
    registrations = [Registration(forum_id=forum.id, person_id=p.id, category=rng.choice(CATEGORIES[:9]),
                                  status=rng.choice(["confirmed"] * 8 + ["invited", "declined"]),
                                  badge_secret=f"B{p.id:026d}", token=f"t{p.id:031d}") for p in people]
    db.session.add_all(registrations)
    db.session.flush()
    scans = []
    for n, registration in enumerate(rng.sample(registrations, ARRIVED)):
        at = forum.starts_at + timedelta(minutes=max(-45.0, min(120.0, rng.gauss(-10, 30))))
        first = Checkin(forum_id=forum.id, checkpoint_id=door.id, registration_id=registration.id, result="ok",
                        reason="first", nonce=f"n{n}", created_at=at)
        scans.append(first)
        if n % 25 == 0:
            scans.append(Checkin(forum_id=forum.id, checkpoint_id=door.id, registration_id=registration.id,
                                 result="already_checked_in", reason="already", nonce=f"a{n}",
                                 created_at=at + timedelta(minutes=1)))
    scans += [Checkin(forum_id=forum.id, checkpoint_id=door.id, result="unknown", reason="unknown", nonce=f"u{n}",
                      created_at=forum.starts_at) for n in range(40)]
    db.session.add_all(scans)
    db.session.commit()


def _bare(db, forum_id: int, days: tuple[str, str]) -> tuple:
    """Participation and arrivals the bare way, the same figures `participation` and `arrivals`
    give, in bare SQL (SQLite's): the breakdown with who came, the self-help groups taking
    part, per door its expected, arrived, entries, refused and out-of-days scans, and people
    first arriving per quarter hour. Each statement is the cheapest form on SQLite found
    by trying (a correlated EXISTS per registration, the organization joined per row)."""
    came = ("EXISTS (SELECT 1 FROM checkin c WHERE c.registration_id = r.id AND c.reason = 'first' "
            "AND c.undone_at IS NULL)")
    people = "FROM registration r JOIN person p ON p.id = r.person_id LEFT JOIN organization o ON o.id = p.organization_id"
    f = {"f": forum_id, "start": days[0], "end": days[1]}
    breakdown = db.session.execute(sa.text(
        "SELECT r.category, r.status, p.gender, coalesce(p.district_id, o.district_id), "
        f"CASE WHEN p.district_id IS NOT NULL THEN p.jamoat_id ELSE o.jamoat_id END, {came}, count(*) "
        f"{people} WHERE r.forum_id = :f GROUP BY 1, 2, 3, 4, 5, 6"), f).all()
    groups = db.session.scalar(sa.text(
        f"SELECT count(DISTINCT o.id) {people} WHERE r.forum_id = :f AND o.kind = 'shg' "
        f"AND (r.status IN ('invited', 'confirmed') OR {came})"), f)
    expected = db.session.scalar(sa.text(  # the one door's rule is "all"
        "SELECT count(*) FROM registration WHERE forum_id = :f AND status IN ('invited', 'confirmed')"), f)
    doors = db.session.execute(sa.text(
        "SELECT checkpoint_id, count(CASE WHEN reason = 'first' AND undone_at IS NULL THEN 1 END), "
        "count(CASE WHEN result = 'ok' AND undone_at IS NULL THEN 1 END), "
        "count(CASE WHEN result IN ('unknown', 'not_allowed', 'cancelled') THEN 1 END), "
        "count(CASE WHEN created_at < :start OR created_at >= :end THEN 1 END) "
        "FROM checkin WHERE forum_id = :f GROUP BY checkpoint_id"), f).all()
    quarters = db.session.execute(sa.text(
        "SELECT CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER) / 900 * 900 AS quarter, count(*) "
        "FROM (SELECT min(created_at) AS at FROM checkin WHERE forum_id = :f AND reason = 'first' "
        "AND undone_at IS NULL GROUP BY registration_id) WHERE at >= :start AND at < :end GROUP BY quarter"), f).all()
    return breakdown, groups, expected, doors, quarters


def _bare_dashboard(db, forum_id: int, days: tuple[str, str], zone: str) -> str:
    """The dashboard floor: the bare figures, the districts' names (Russian, the page's
    language) and the page written with f-strings."""
    districts = dict(db.session.execute(sa.text("SELECT id, json_extract(name, '$.ru') FROM district")).all())
    return bare_report.dashboard(_bare(db, forum_id, days), districts, zone)


def _headline(page: str) -> dict[str, str]:
    """The key figures a dashboard page shows, by key."""
    return dict(re.findall(r'data-figure="(\w+)"><dt>[^<]*</dt><dd>(\d+)</dd>', page))


def _sheet_rows(xlsx: bytes) -> list[int]:
    """The rows of each of a workbook's sheets, in order."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    return [sum(1 for _row in sheet.iter_rows()) for sheet in book.worksheets]


def _shape(fmt: str, data: bytes) -> str:
    """A PDF's pages, or a workbook's sheets and rows."""
    if fmt == "pdf":
        return f"{len(PAGE.findall(data))} pages"
    rows = _sheet_rows(data)
    return f"{len(rows)} sheets, {sum(rows)} rows"


def run() -> list[Row]:
    from config import TestConfig
    from forum import create_app
    from forum.checkin.board import forum_days
    from forum.events.models import Forum
    from forum.extensions import db
    from forum.reports import figures, service
    from tests.factories import PASSWORD, make_user

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}"))
        with app.app_context():
            db.create_all()
            forum = new_forum(["exhibition", "theatre", "drawings", "round_table", "job_fair"])
            _fill(db, forum)
            forum_id = forum.id

            def fresh_forum():
                db.session.remove()  # each request has its own session: nothing cached between runs
                return db.session.get(Forum, forum_id)

            found = figures.collect(fresh_forum())
            assert found.participation.total.arrived == ARRIVED
            days = tuple(moment.replace(tzinfo=None).isoformat(" ", "microseconds") for moment in forum_days(forum))
            zone = forum.timezone
            bare = _bare(db, forum_id, days)
            assert (bare[1], bare[2], sum(n for *_keys, n in bare[4])) == (
                found.participation.groups, found.arrivals.by_checkpoint[0][1], ARRIVED)  # the same figures
            value, floor = alternate(lambda: figures.collect(fresh_forum()), lambda: _bare(db, forum_id, days), 7)
            rows = [Row("reports: figures of a forum", value, floor, "s", "≤ 3× floor",
                        value.median <= 3 * floor.median, f"{REGISTRATIONS} registrations, {ARRIVED} arrived",
                        floor_name="bare SQL: participation and arrivals")]

            make_user("organizer", email="bench@forum.example")
            client = app.test_client()
            client.post("/auth/login", data={"email": "bench@forum.example", "password": PASSWORD})
            page = client.get("/manage/bench/").get_data(as_text=True)
            floor_page = _bare_dashboard(db, forum_id, days, zone)
            shown = _headline(floor_page)
            assert len(shown) == 5 and shown.items() <= _headline(page).items()  # the same figures
            assert floor_page.count("<rect") == len(found.arrivals.quarters) + 2 * (
                len(found.participation.by_district) + len(found.participation.by_category))  # the same bars
            value, floor = alternate(lambda: (fresh_forum(), client.get("/manage/bench/")),
                                     lambda: _bare_dashboard(db, forum_id, days, zone), 7)
            rows.append(Row("reports: dashboard GET /manage/<slug>/", value, floor, "s", "≤ 4× floor",
                            value.median <= 4 * floor.median, "figures, 3 SVG charts, the page",
                            floor_name="bare SQL and an f-string page with 3 SVG charts"))

            collected = figures.collect(fresh_forum())  # the documents' floors write these figures
            for fmt, limit, write, tool in (("pdf", 3.0, bare_report.pdf, "bare reportlab platypus"),
                                            ("xlsx", 1.5, bare_report.xlsx, "bare openpyxl write-only")):
                product, mine = service.build(fresh_forum(), fmt, "tg").data, write(collected)
                assert fmt == "pdf" or _sheet_rows(product) == _sheet_rows(mine)  # the same sheets and rows
                value, floor = alternate(lambda fmt=fmt: service.build(fresh_forum(), fmt, "tg"),
                                         lambda write=write: write(collected), 3)
                rows.append(Row(f"reports: the report as {fmt.upper()} (Tajik)", value, floor, "s", f"≤ {limit} s",
                                value.median <= limit,
                                f"{len(product) // 1024} KiB, {_shape(fmt, product)}; floor: {_shape(fmt, mine)}",
                                floor_name=f"{tool} from one untimed collect()"))
            db.session.remove()
            db.engine.dispose()
    return rows
