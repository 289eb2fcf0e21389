"""The roles-per-forum migration keeps existing installs working: the first organizer becomes
the administrator, the other organizers, staff and jury members of every existing forum."""
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestConfig
from forum import create_app

pytestmark = pytest.mark.both_dbs

BEFORE = "e5b2d8c14a07"  # the head before roles per forum


def _database(db_backend, tmp_path, request) -> str:
    if db_backend != "postgres":
        return f"sqlite:///{tmp_path / 'roles.db'}"
    from tests.conftest import PG_URL, _psycopg
    from tests.test_migrations import _drop

    if not PG_URL:
        pytest.skip("PostgreSQL tests need FORUM_TEST_DATABASE_URL (CI sets it)")
    server = _psycopg(PG_URL)
    name = f"forum_roles_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    request.addfinalizer(lambda: _drop(admin, name))
    return server.set(database=name).render_as_string(hide_password=False)


def test_global_roles_become_memberships_of_every_forum(db_backend, tmp_path, request, monkeypatch):
    app = create_app(TestConfig(database_url=_database(db_backend, tmp_path, request)))
    with app.app_context():
        from forum.extensions import db

        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for n, role in enumerate(["organizer", "organizer", "staff", "jury", "employer"], start=1):
                conn.execute(sa.text(
                    "INSERT INTO user_account (id, email, name, role, password_hash, language, active, created_at) "
                    "VALUES (:id, :email, '', :role, 'x', 'ru', :yes, CURRENT_TIMESTAMP)"),
                    {"id": n, "email": f"u{n}@forum.example", "role": role, "yes": True})
        from forum.history import recorder
        from tests.factories import make_forum

        # The database is at the schema of before roles: no change history table yet to record in.
        monkeypatch.setattr(recorder, "by_class", dict)
        forums = [make_forum(slug="isfara-2011", team=[]).id, make_forum(slug="b-gafurov-2011", team=[]).id]
        db.session.remove()
        upgrade()
        with db.engine.connect() as conn:
            roles = dict(conn.execute(sa.text("SELECT id, role FROM user_account")).all())
            members = set(conn.execute(sa.text("SELECT user_id, forum_id, role FROM forum_member")).all())
        db.engine.dispose()
    assert roles == {1: "admin", 2: "organizer", 3: "staff", 4: "jury", 5: "employer"}
    assert members == {(user, forum, role) for user, role in [(2, "organizer"), (3, "staff"), (4, "jury")]
                       for forum in forums}
