"""A forum of 50,000 registrations (40,000 arrived; bench.people.crowd_forum), on SQLite and
PostgreSQL: the organizer's dashboard, the door's and the list's search and the import, each
beside a bare floor (plain SQL, executemany), in alternating runs. The exports of the same
forum are bench/exports.py's rows.

Bounds (issue 19): dashboard ≤ 0.5 s with the statements of a 500-registration forum; each
search ≤ 0.1 s; an import of 50,000 rows ≤ 15 s, all or nothing.
"""
from __future__ import annotations

import os
import time

import sqlalchemy as sa

from bench import Figure, Row, alternate, app_with_schema, scaled
from bench.people import crowd_forum

BACKENDS = ("sqlite", "postgresql")
QUERY = "раҳимова гул"


def _bare_dashboard(db, forum_id: int):
    """The overview's figures the bare way, each one SQL statement: the count, the participation
    breakdown with who came, and the people first arriving per quarter hour (grouped in SQL)."""
    sqlite = db.engine.dialect.name == "sqlite"
    epoch = ("CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER)" if sqlite
             else "CAST(floor(extract(epoch FROM at)) AS BIGINT)")
    count = db.session.scalar(sa.text("SELECT count(*) FROM registration WHERE forum_id = :f"), {"f": forum_id})
    breakdown = db.session.execute(sa.text(
        "SELECT r.category, r.status, p.gender, r.id IN (SELECT registration_id FROM checkin WHERE forum_id = :f "
        "AND reason = 'first' AND undone_at IS NULL) AS came, count(*) FROM registration r "
        "JOIN person p ON p.id = r.person_id WHERE r.forum_id = :f GROUP BY 1, 2, 3, 4"), {"f": forum_id}).all()
    quarters = db.session.execute(sa.text(
        f"SELECT {epoch} / 900 AS q, count(*) FROM (SELECT min(created_at) AS at FROM checkin WHERE forum_id = :f "
        "AND reason = 'first' AND undone_at IS NULL GROUP BY registration_id) AS firsts GROUP BY 1"),
        {"f": forum_id}).all()
    return count, breakdown, quarters


def _bare_search(db, forum_id: int):
    """The twelve first registrations whose folded name holds both folded words of QUERY."""
    return db.session.execute(sa.text(
        "SELECT r.id, p.full_name, o.name FROM registration r JOIN person p ON p.id = r.person_id "
        "LEFT JOIN organization o ON o.id = p.organization_id WHERE r.forum_id = :f AND p.name_folded LIKE :a "
        "AND p.name_folded LIKE :b ORDER BY p.full_name LIMIT 12"), {"f": forum_id, "a": "%rahimova%", "b": "%gul%"}).all()


def _statements(db, fn) -> int:
    counted = []
    listener = lambda *args: counted.append(1)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(counted)


def _wanted(name: str) -> bool:
    """FORUM_BENCH_CROWD (e.g. "dashboard,search") measures only the rows named; default all."""
    names = [n.strip() for n in os.environ.get("FORUM_BENCH_CROWD", "").split(",") if n.strip()]
    return not names or any(n in name for n in names)


def run(backend: str):
    from forum.extensions import db
    from tests.factories import PASSWORD, make_user

    size = scaled(50_000, 500)
    with app_with_schema(backend) as (app, _url):
        forum_id = crowd_forum("bench", size)
        little_id = crowd_forum("bench-500", 500)
        make_user("organizer", email="bench@forum.example")
        client = app.test_client()
        assert client.post("/auth/login", data={"email": "bench@forum.example", "password": PASSWORD}).status_code == 302

        def get(path: str, expect: int = 200):
            def fetch():
                # Each request in an app context of its own, as a server runs it: its own session
                # and `g` (the logged-in user is loaded again), nothing cached between runs.
                with app.app_context():
                    response = client.get(path)
                    assert response.status_code == expect, (path, response.status_code)
                    return response.get_data()
            return fetch

        if _wanted("dashboard"):
            dashboard = get("/manage/bench/")
            dashboard()
            big_statements = _statements(db, dashboard)
            little_statements = _statements(db, get("/manage/bench-500/"))
            value, floor = alternate(dashboard, lambda: _bare_dashboard(db, forum_id))
            yield Row(f"dashboard at {size:,} registrations", value, floor, "s", "≤ 0.5 s, constant statements",
                      value.median <= 0.5 and big_statements == little_statements,
                      f"{big_statements} statements (500 registrations: {little_statements})", backend=backend,
                      floor_name="bare SQL: count, breakdown, quarters")

        for name, path in (("check-in desk search", f"/checkin/bench/search?q={QUERY}"),
                           ("registration search", f"/manage/bench/registrations?q={QUERY}")):
            if not _wanted(name):
                continue
            search = get(path)
            search()
            value, floor = alternate(search, lambda: _bare_search(db, forum_id))
            yield Row(f"{name} at {size:,}", value, floor, "s", "≤ 0.1 s", value.median <= 0.1,
                      f"q={QUERY!r}", backend=backend, floor_name="bare SQL on the folded name")

        if _wanted("import"):
            yield _import(db, size, forum_id, backend)
        del little_id


def _import(db, size: int, forum_id: int, backend: str) -> Row:
    """Three imports of `size` new people into forums of their own, alternating with the bare
    floor: executemany INSERTs of as many people and registrations, in one transaction."""
    from forum.events.models import Forum
    from forum.people import importer

    header = "full_name;phone;organization;organization_kind;category"
    runs = {"product": [], "floor": []}
    base = db.session.get(Forum, forum_id)
    starts, ends = base.starts_at, base.ends_at
    for n in range(3):
        forum = Forum(slug=f"import-{n}", status="draft", title={"ru": "Импорт"}, city={}, venue={}, address={},
                      goals={}, description={}, contacts={}, activities=[], starts_at=starts, ends_at=ends)
        db.session.add(forum)
        db.session.commit()
        lines = [header] + [f"Раҳимова Гулнора {n}-{k};+9929{n + 3}{k:07d};ГВП «Умед-{k // 40}»;shg;shg_member"
                            for k in range(size)]
        data = "\n".join(lines).encode()
        began = time.perf_counter()
        report = importer.import_registrations(forum, "list.csv", data)
        db.session.commit()
        runs["product"].append(time.perf_counter() - began)
        assert report.imported and report.registered == size, report.errors[:3]
        runs["floor"].append(_bare_import(db, forum.id, n, size))
    value, floor = Figure.of(runs["product"]), Figure.of(runs["floor"])
    return Row(f"import of {size:,} rows", value, floor, "s", "≤ 15 s", value.median <= 15,
               "CSV, new people and groups, all or nothing", backend=backend,
               floor_name="bare executemany INSERTs")


def _bare_import(db, forum_id: int, n: int, size: int) -> float:
    from forum.people.codes import new_badge_secret, new_private_token

    began = time.perf_counter()
    with db.engine.begin() as connection:
        for start in range(0, size, 1000):
            people = [{"name": f"Floor {n}-{k}", "phone": f"+9929{n + 6}{k:07d}"} for k in range(start, min(size, start + 1000))]
            connection.execute(sa.text("INSERT INTO person (full_name, name_folded, phone, language, position, created_at, "
                                       "updated_at) VALUES (:name, :name, :phone, 'ru', '', CURRENT_TIMESTAMP, "
                                       "CURRENT_TIMESTAMP)"), people)
            ids = connection.execute(sa.text("SELECT id FROM person WHERE phone IN :phones")
                                     .bindparams(sa.bindparam("phones", expanding=True)),
                                     {"phones": [p["phone"] for p in people]}).scalars().all()
            connection.execute(sa.text(
                "INSERT INTO registration (forum_id, person_id, category, status, source, badge_secret, token, notes, "
                "created_at, updated_at) VALUES (:f, :p, 'shg_member', 'confirmed', 'import', :s, :t, '', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                [{"f": forum_id, "p": i, "s": new_badge_secret(), "t": new_private_token()} for i in ids])
    return time.perf_counter() - began
