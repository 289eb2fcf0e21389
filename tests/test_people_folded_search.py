"""The folded, indexed name: kept by the model, filled by the migration, and used by the
organizers' searches and the scanner's: "Рахимова" and "Rahimova" find "Раҳимова"."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.people import service
from forum.people.models import Person
from forum.people.search import person_matches
from tests import factories
from tests.checkin_fixtures import make_checkpoint

pytestmark = pytest.mark.both_dbs

TYPED = ("Рахимова", "Раҳимова", "rahimova", "Rakhimova", "РАХИМОВА", "гулнора рах")


def test_the_model_folds_the_name_whenever_it_is_written(app):
    person = factories.make_person("Раҳимова Гулнора")
    assert person.name_folded == "rahimova gulnora"
    person.full_name = "Ҷӯраева Малика"
    db.session.commit()
    stored = db.session.scalar(sa.select(Person.name_folded).where(Person.id == person.id))
    assert stored == "churaeva malika"
    saved = service.save_person(service.PersonData(full_name="  Қодирова   Зарина ", phone="+992930000001"))
    assert saved.name_folded == "kodirova zarina"


def test_organizers_registration_list_finds_tajik_letters_typed_any_way(app, client, auth, forum):
    auth.login("organizer")
    factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    factories.make_registration(forum, factories.make_person("Сафарова Малика"))
    for typed in TYPED:
        page = client.get("/manage/isfara-test/registrations", query_string={"q": typed}).get_data(as_text=True)
        assert "Раҳимова Гулнора" in page and "Сафарова" not in page, typed


def test_new_registration_search_finds_persons_by_folded_name(app, client, auth, forum):
    auth.login("organizer")
    factories.make_person("Раҳимова Гулнора")
    page = client.get("/manage/isfara-test/registrations/new", query_string={"q": "Rahimova"}).get_data(as_text=True)
    assert "Раҳимова Гулнора" in page


def test_scanner_search_finds_by_folded_name_bounded_prefix_first(app, client, auth, forum):
    auth.login("staff")
    make_checkpoint(forum, "entrance")
    target = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    for n in range(15):
        factories.make_registration(forum, factories.make_person(f"Каримова Раҳима {n:02d}"))
    for typed in ("Рахимова", "Rahimova"):
        results = client.get("/checkin/isfara-test/search", query_string={"q": typed}).json["results"]
        assert [r["id"] for r in results] == [target.id], typed
    # "рахим" is in every name: at most 12 come back, the name starting with it first.
    results = client.get("/checkin/isfara-test/search", query_string={"q": "рахим"}).json["results"]
    assert len(results) == 12 and results[0]["id"] == target.id
    assert all("phone" not in r for r in results)


def test_search_by_phone_digits_and_organization_still_works(app, forum):
    org = factories.make_organization("ГВП «Насими субҳ»")
    registration = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора", phone="+992927701806",
                                                                           organization_id=org.id))
    for q in ("927701806", "Насими"):
        found = db.session.scalars(service.registrations_query(forum, q=q)).unique().all()
        assert found == [registration], q
    assert db.session.scalars(service.registrations_query(forum, q="%_%")).unique().all() == []


def _folded_name_index(conn) -> str:
    """How ix_person_name_folded is made, as the database tells it."""
    if conn.dialect.name == "postgresql":
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_person_name_folded'"
    else:
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_person_name_folded'"
    return conn.execute(sa.text(query)).scalar_one()


def test_a_search_looks_names_up_in_the_trigram_index(app, db_backend, forum):
    """On PostgreSQL the folded name's index holds trigrams (made with the tables, pg_trgm
    first), and a search's condition can be answered from indexes alone: the organizations'
    ids and the words in the names. (With the organizations as a subquery inside the OR, no
    branch could use an index: PostgreSQL read every person.) SQLite keeps a plain index."""
    group = factories.make_organization("Раҳимова и сёстры")
    target = factories.make_registration(forum, factories.make_person("Раҳимова Гулнора"))
    member = factories.make_registration(forum, factories.make_person("Сафарова Малика", organization_id=group.id))
    factories.make_registration(forum, factories.make_person("Каримова Зарина"))
    found = db.session.scalars(service.registrations_query(forum, q="Раҳимова")).unique().all()
    assert found == [target, member]
    index = _folded_name_index(db.session.connection())
    if db_backend == "sqlite":
        assert index == "CREATE INDEX ix_person_name_folded ON person (name_folded)"
        return
    assert index.endswith("USING gin (name_folded gin_trgm_ops)"), index
    query = sa.select(Person.id).where(person_matches("Раҳимова"))
    compiled = query.compile(db.engine, compile_kwargs={"render_postcompile": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # three rows: make indexes the cheap way
    plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    assert "Bitmap Index Scan on ix_person_name_folded" in plan, plan
    assert "Bitmap Index Scan on ix_person_organization_id" in plan, plan
    db.session.rollback()


def test_the_migration_makes_the_folded_name_a_trigram_index_and_back(db_backend, tmp_path, request):
    if db_backend == "postgres":
        url = _fresh_pg_database(request)
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestConfig(database_url=url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            migrated = _folded_name_index(conn)
        downgrade(revision="23fcd44bd4f1")
        with db.engine.connect() as conn:
            before = _folded_name_index(conn)
        db.engine.dispose()
    if db_backend == "sqlite":  # no trigrams on SQLite: the plain index stays
        assert migrated == before == "CREATE INDEX ix_person_name_folded ON person (name_folded)"
    else:
        assert migrated.endswith("USING gin (name_folded gin_trgm_ops)"), migrated
        assert before.endswith("USING btree (name_folded)"), before


def test_the_migration_folds_the_names_already_stored(db_backend, tmp_path, request):
    if db_backend == "postgres":
        url = _fresh_pg_database(request)
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestConfig(database_url=url))
    with app.app_context():
        upgrade(revision="7d1c0e5a9b21")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO person (full_name, language, position, created_at, updated_at) "
                                 "VALUES ('Раҳимова Гулнора', 'ru', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name_folded FROM person")).scalar_one() == "rahimova gulnora"
        db.engine.dispose()


def _fresh_pg_database(request) -> str:
    import uuid

    from tests.conftest import PG_URL, _psycopg

    if not PG_URL:
        pytest.skip("PostgreSQL tests need FORUM_TEST_DATABASE_URL (CI sets it)")
    server = _psycopg(PG_URL)
    name = f"forum_fold_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return server.set(database=name).render_as_string(hide_password=False)
