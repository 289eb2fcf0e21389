"""Migrations build the same schema as the models, on SQLite and PostgreSQL."""
import pytest
from flask_migrate import check, upgrade

from config import TestConfig
from forum import create_app

pytestmark = pytest.mark.both_dbs


def test_upgrade_from_empty_matches_the_models(db_backend, tmp_path, request):
    if db_backend == "postgres":
        import uuid

        import sqlalchemy as sa

        from tests.conftest import PG_URL, _psycopg

        if not PG_URL:
            pytest.skip("PostgreSQL tests need FORUM_TEST_DATABASE_URL (CI sets it)")
        server = _psycopg(PG_URL)
        name = f"forum_mig_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
        request.addfinalizer(lambda: _drop(admin, name))
    else:
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestConfig(database_url=url))
    with app.app_context():
        upgrade()
        check()  # exits with an error when the models differ from the migrated schema
        from forum.extensions import db

        db.engine.dispose()


def _drop(admin, name):
    import sqlalchemy as sa

    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
