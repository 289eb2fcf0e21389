"""Fair limits: the login counts failures per account (and generously per address), the public
forms count accepted submissions per phone or email (and generously per address), a trusted
proxy's X-Forwarded-For names the real client, and a refused form comes back as typed with
the real wait, in the visitor's language."""
from __future__ import annotations

import re
import shutil

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from config import TestConfig
from forum import create_app, ratelimits
from forum.extensions import db
from forum.theatre.models import Performance
from tests.factories import PASSWORD, make_user
from tests.theatre_fixtures import theatre_forum


@pytest.fixture
def limited_app(db_url, db_backend, request, tmp_path):
    """The app as in production behind one reverse proxy: limits on, X-Forwarded-For believed."""
    if db_backend == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_schema"), tmp_path / "forum.sqlite3")
    config = TestConfig(database_url=db_url, upload_dir=str(tmp_path / "up"))
    config.RATELIMIT_ENABLED = True
    config.TRUSTED_PROXIES = 1
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        if db_backend == "postgres":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def phone_of(n: int) -> str:
    return f"+99292700{n:04d}"


def login(client, email: str, password: str, address: str = "10.1.1.1"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       headers={"X-Forwarded-For": address})


@pytest.mark.both_dbs
def test_wrong_passwords_lock_that_account_only(limited_app):
    make_user("organizer", "aziza@forum.example")
    make_user("staff", "daler@forum.example")
    client = limited_app.test_client()
    codes = [login(client, "aziza@forum.example", "wrong").status_code for _ in range(10)]
    assert codes == [200] * 10
    refused = login(client, "Aziza@forum.example", PASSWORD)  # even the right password: this account waits
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert 'value="Aziza@forum.example"' in page  # what was typed is kept
    assert re.search(r"через (9|10) минут", page), page  # the real wait of "10 per 10 minutes"
    assert 540 <= int(refused.headers["Retry-After"]) <= 600
    # From the same venue Wi-Fi, another account logs in with its right password.
    assert login(client, "daler@forum.example", PASSWORD).status_code == 302


def test_a_right_password_counts_nothing(limited_app):
    make_user("organizer", "aziza@forum.example")
    for _ in range(15):
        client = limited_app.test_client()
        assert login(client, "aziza@forum.example", PASSWORD).status_code == 302


def test_failures_per_address_have_a_generous_ceiling_and_the_proxy_names_the_address(limited_app):
    client = limited_app.test_client()
    codes = [login(client, f"guest{n}@forum.example", "wrong", address="10.9.9.9").status_code for n in range(100)]
    assert codes == [200] * 100  # a hundred mistakes from one hall
    assert login(client, "someone@forum.example", "wrong", address="10.9.9.9").status_code == 429
    # Behind the same proxy, another phone is another client.
    assert login(client, "someone@forum.example", "wrong", address="10.9.9.10").status_code == 200


THEATRE_FORM = {
    "troupe_name": "Театр «Ойина»", "duration_minutes": "25", "cast_size": "3", "contact_name": "Сафарова Нигина",
    "contact_phone": "92 770 18 06", "consent": "y",
}


def request_play(client, n: int, address: str = "10.2.2.2", **fields):
    data = dict(THEATRE_FORM, **{"title-ru": f"Пьеса номер {n}"}, **fields)
    return client.post("/f/isfara-test/theatre/request", data=data, headers={"X-Forwarded-For": address})


def performances() -> int:
    return db.session.scalar(sa.select(sa.func.count(Performance.id)))


@pytest.mark.both_dbs
def test_refused_submissions_count_nothing_and_accepted_ones_count_per_phone(limited_app):
    theatre_forum()
    client = limited_app.test_client()
    for _ in range(15):  # invalid (no duration) and duplicate requests: refused, not counted
        assert request_play(client, 0, duration_minutes="").status_code == 200
    assert request_play(client, 0).status_code == 302
    for _ in range(5):
        assert request_play(client, 0).status_code == 409  # the same play again
    for n in range(1, 10):  # ten accepted requests from one contact phone
        assert request_play(client, n).status_code == 302
    client.get("/lang/en")
    refresh()  # the test's app context keeps the language it saw first
    refused = request_play(client, 10, contact_phone="+992 92 770 18 06")  # the same phone, written otherwise
    assert refused.status_code == 429 and performances() == 10
    page = refused.get_data(as_text=True)
    assert "Too many attempts from this phone, account or place" in page
    assert re.search(r"in (59|60) minutes|in 1 hour", page), page
    assert 'value="Театр «Ойина»"' in page and "Пьеса номер 10" in page  # the form as typed
    # Another troupe in the same hall is not held back by this one.
    other = request_play(client, 11, troupe_name="Театр «Умед»", contact_phone="93 555 44 33")
    assert other.status_code == 302 and performances() == 11


def test_the_wait_is_said_in_tajik(limited_app):
    make_user("organizer", "aziza@forum.example")
    client = limited_app.test_client()
    client.get("/lang/tg")
    refresh()
    for _ in range(10):
        login(client, "aziza@forum.example", "wrong")
    page = login(client, "aziza@forum.example", "wrong").get_data(as_text=True)
    assert "Кӯшишҳо аз ин телефон, ҳисоб ё ҷой аз ҳад зиёданд" in page and "пас аз" in page


def test_without_the_limits_switched_on_nothing_is_counted(app, client):
    make_user("organizer", "aziza@forum.example")
    codes = {client.post("/auth/login", data={"email": "aziza@forum.example", "password": "x"}).status_code
             for _ in range(15)}
    assert codes == {200}
    assert ratelimits.wait_seconds(ratelimits.LOGIN, "aziza@forum.example") == 0


def test_the_check_before_every_view_runs_only_when_app_wide_limits_exist(tmp_path, monkeypatch):
    """The site's limits are on views (their decorators check them). Flask-Limiter's check before
    every view is skipped while no limit is set app-wide, by default or on a blueprint, and runs
    again, refusing what is over the limit, once one is."""
    from forum.extensions import limiter

    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'forum.sqlite3'}")
    config.RATELIMIT_ENABLED = True
    checks = []
    check = limiter._check_request_limit
    monkeypatch.setattr(limiter, "_check_request_limit", lambda: (checks.append(1), check())[1])
    client = create_app(config).test_client()
    answers = [client.get("/lang/tg") for _ in range(4)]
    assert [a.status_code for a in answers] == [302] * 4 and checks == []
    assert not any("X-RateLimit-Remaining" in a.headers for a in answers)  # nothing was counted
    config.RATELIMIT_APPLICATION = "3 per minute"
    try:
        client = create_app(config).test_client()
        answers = [client.get("/lang/tg") for _ in range(4)]
        assert [a.status_code for a in answers] == [302, 302, 302, 429]
        assert [a.headers.get("X-RateLimit-Remaining") for a in answers[:3]] == ["2", "1", "0"]
        assert len(checks) == 4
    finally:
        limiter.limit_manager.set_application_limits([])  # the extension is one for every app of the tests
        limiter.reset()


def _gunicorn_start_log(tmp_path, *args: str) -> str:
    """What gunicorn (the app preloaded, as in production) writes until its workers boot."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    env.update(FORUM_INSTANCE_DIR=str(tmp_path), FORUM_SECRET_KEY="test",
               FORUM_DATABASE_URL=f"sqlite:///{tmp_path / 'forum.sqlite3'}")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen([str(gunicorn), "--preload", "-b", "127.0.0.1:0", *args, "wsgi:app"], cwd=root,
                               env=env, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in process.stderr:  # the app is loaded before the first worker boots
            lines.append(line)
            if "Booting worker" in line or "Error" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    return "".join(lines)


def test_several_workers_counting_in_memory_warn_at_start(tmp_path):
    log = _gunicorn_start_log(tmp_path, "-w", "3")
    assert "Booting worker" in log
    assert "Rate limits are counted in memory by each of 3 worker processes" in log and "FORUM_REDIS_URL" in log


def test_one_worker_starts_without_the_warning(tmp_path):
    log = _gunicorn_start_log(tmp_path, "-w", "1")
    assert "Booting worker" in log and "Rate limits are counted in memory" not in log
