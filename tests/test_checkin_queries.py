"""The door's hot path in statements, not time: a scan over the API costs the token (with the
URL's forum), the checkpoint with the badge, and the insert, and nothing more (no connection
ping on SQLite)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import TestConfig, engine_options
from forum import create_app
from forum.auth.models import ApiToken
from forum.extensions import db
from tests import factories
from tests.agenda_fixtures import QueryCounter
from tests.checkin_fixtures import api_token, make_checkpoint

URL = "/api/v1/forums/isfara-test/checkins"


def test_no_connection_ping_on_every_request(tmp_path):
    assert engine_options(f"sqlite:///{tmp_path / 'x.sqlite3'}") == {"pool_pre_ping": False}
    assert engine_options("postgresql+psycopg://u@h/d") == {"pool_pre_ping": False}
    app = create_app(TestConfig(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    with app.app_context():
        assert db.engine.pool._pre_ping is False


@pytest.mark.both_dbs
def test_a_connection_idle_in_the_pool_is_pinged_and_replaced_when_the_server_dropped_it(app, db_backend,
                                                                                        monkeypatch):
    """PostgreSQL may drop an idle connection: the next request still gets a live one."""
    import forum.db

    pid = sa.text("SELECT pg_backend_pid()" if db_backend == "postgres" else "SELECT 1")
    first = db.session.scalar(pid)
    db.session.remove()  # back to the pool
    if db_backend == "postgres":
        admin = sa.create_engine(db.engine.url)  # not from the pool: the server drops the pooled connection
        with admin.connect() as other:
            assert other.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        admin.dispose()
    monkeypatch.setattr(forum.db, "IDLE_PING_SECONDS", 0.0)  # it has sat idle long enough
    assert db.session.scalar(sa.text("SELECT 1")) == 1
    if db_backend == "postgres":
        assert db.session.scalar(pid) != first


def test_a_scan_is_three_statements_and_the_webhooks_once(client, forum):
    make_checkpoint(forum, "entrance")
    people = [factories.make_registration(forum) for _ in range(2)]
    _user, token = api_token("staff")
    secrets = [r.badge_secret for r in people]
    db.session.remove()  # each request starts with an empty session, as under gunicorn
    counts, answers = [], []
    for nonce, secret in (("nonce-0001", secrets[0]), ("nonce-0002", secrets[1]), ("nonce-0003", secrets[0])):
        with QueryCounter(db.engine) as queries:
            response = client.post(URL, json={"secret": secret, "checkpoint": "entrance", "nonce": nonce},
                                   headers={"Authorization": f"Bearer {token}"})
        # BEGIN (IMMEDIATE on SQLite: the request takes the write lock first) is no query
        counts.append(len([s for s in queries.statements if not s.lstrip().upper().startswith("BEGIN")]))
        answers.append(response.json["status"])
        db.session.remove()
    assert answers == ["ok", "ok", "already_checked_in"]
    # the token with its user's id and role and the URL's forum; the checkpoint with the
    # registration, its person and first entry (its time and staff member too); the insert.
    # Whether the forum has webhooks to tell is asked once per worker, then known.
    assert counts[0] <= 4 and counts[1] == 3
    assert counts[2] == 3


def test_the_first_entry_condition_is_written_into_the_sql_for_the_partial_index(client, forum):
    """The partial indexes on first entries serve a query only when the planner sees 'first':
    bound as a parameter, SQLite re-prepared the door's lookup on every scan (55 µs, not 14) and
    a PostgreSQL generic plan could not use them."""
    from sqlalchemy.dialects import postgresql, sqlite

    from forum.checkin.service import first_entry_of

    for dialect in (sqlite.dialect(), postgresql.dialect()):
        compiled = sa.select(sa.literal(1)).where(first_entry_of()).compile(dialect=dialect)
        assert "checkin.reason = 'first'" in str(compiled) and "first" not in compiled.params.values()
    make_checkpoint(forum, "entrance")
    secret = factories.make_registration(forum).badge_secret
    _user, token = api_token("staff")
    db.session.remove()
    with QueryCounter(db.engine) as queries:
        client.post(URL, json={"secret": secret, "checkpoint": "entrance", "nonce": "nonce-0001"},
                    headers={"Authorization": f"Bearer {token}"})
    lookup = [s for s in queries.statements if "first_entry" in s]
    assert len(lookup) == 1 and "first_entry.reason = 'first'" in lookup[0]


def test_token_lookup_is_one_statement_and_still_refuses_revoked_and_inactive(client, forum):
    from forum.auth.service import revoke_token, token_for, user_for_token

    user, token = api_token("staff")
    user_id, model = user.id, type(user)
    db.session.remove()
    with QueryCounter(db.engine) as queries:
        bearer = token_for(token, "isfara-test")
        assert (bearer.user_id, bearer.role, bearer.there.exists) == (user_id, "staff", True)
    assert queries.count == 1  # the user's row is read only when a view asks for it
    with QueryCounter(db.engine) as queries:
        assert bearer.user.id == user_id
    assert queries.count == 1
    found = db.session.get(model, user_id)
    found.active = False
    db.session.commit()
    assert user_for_token(token) is None
    found.active = True
    revoke_token(db.session.scalar(sa.select(ApiToken)))
    db.session.commit()
    assert user_for_token(token) is None
