"""On SQLite, concurrent writes wait for each other instead of failing: every write
transaction takes the write lock when it begins (BEGIN IMMEDIATE), so no request answers
500 "database is locked". Checked under gunicorn with several worker processes (and on
PostgreSQL, where the same race must end the same way)."""
from __future__ import annotations

import http.client
import os
import re
import threading
import time
import urllib.parse
from datetime import date, timedelta

import click
import pytest
import sqlalchemy as sa

from bench import deadline
from forum.auth.models import User
from forum.extensions import db
from forum.jobfair.models import Employer
from tests.factories import make_forum
from tests.gunicorn_server import serving

WORKERS = 4
CLIENTS = 16


@pytest.fixture
def gunicorn(app, tmp_path):
    """gunicorn with WORKERS processes serving the test's database."""
    env = dict(os.environ, FORUM_DATABASE_URL=str(app.config["SQLALCHEMY_DATABASE_URI"]), FORUM_SECRET_KEY="test",
               FORUM_INSTANCE_DIR=str(tmp_path / "instance"), FORUM_UPLOAD_DIR=str(tmp_path / "uploads"))
    with serving(["-w", str(WORKERS), "--log-level", "warning"], "tests.served_app:app", env,
                 tmp_path / "gunicorn.log") as served:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
            connection.request("GET", "/api/v1/openapi.json")
            assert connection.getresponse().status == 200
        except (OSError, AssertionError):
            pytest.fail("gunicorn did not start: " + served.logs_for_report()[-2000:])
        yield served


def _sign_up_form(port: int, path: str) -> tuple[str, str]:
    """The form's CSRF token and the session cookie it belongs to."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    html = response.read().decode()
    assert response.status == 200, html[:500]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    cookie = response.getheader("Set-Cookie").split(";")[0]
    return token, cookie


@pytest.mark.both_dbs
def test_sixteen_employers_signing_up_with_one_email_at_once_get_no_error_and_one_account(app, gunicorn):
    forum = make_forum(slug="fair-next", day=date.today() + timedelta(days=30))  # sign-ups still open
    forum.activities = ["job_fair"]
    db.session.commit()
    db.session.remove()
    path = "/f/fair-next/jobfair/register"
    forms = [_sign_up_form(gunicorn.port, path) for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    statuses: list[int] = []

    def sign_up(n: int, token: str, cookie: str) -> None:
        body = urllib.parse.urlencode({
            "csrf_token": token, "organization_name": f"ООО «Исфара Текстиль {n}»", "kind": "employer",
            "sector": "textile", "tax_number": f"{520011000 + n:09d}", "city": "Исфара",
            "contact_person": "Каримова Дилноза", "phone": f"92 770 55 {n:02d}", "email": "hr@isfara-textile.example",
            "language": "ru", "password": "long enough 1", "password_again": "long enough 1", "truthful": "y"})
        connection = http.client.HTTPConnection("127.0.0.1", gunicorn.port, timeout=120)
        start.wait()
        connection.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)

    threads = [threading.Thread(target=sign_up, args=(n, *form)) for n, form in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # One signed up; the others get the same answer ("check your email"): only the mailbox learns it is known.
    assert statuses == [302] * CLIENTS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)
                             .where(User.email == "hr@isfara-textile.example")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == 1


def test_forms_commands_and_views_declared_writing_take_the_lock_when_they_begin(app):
    from forum.db import _expects_writes

    for method, path, writes in (("POST", "/f/fair-next/jobfair/register", True), ("GET", "/f/fair-next/", False),
                                 ("GET", "/manage/fair-next/badges.pdf", True), ("GET", "/r/some-token/badge.pdf", True),
                                 ("GET", "/sms/report/1/some-token", True), ("DELETE", "/manage/tokens/", True),
                                 ("GET", "/checkin/fair-next/walk-in/1/badge.pdf", True)):
        with app.test_request_context(path, method=method):
            assert _expects_writes() is writes, (method, path)
    assert _expects_writes() is False  # a test or a service called directly keeps the driver's way
    with click.Context(click.Command("outbox")):  # a flask forum command: the outbox worker beside the site
        assert _expects_writes() is True


def _turn_is_free(path: str) -> bool:
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # also releases it when it was taken here


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_a_writer_holds_the_writers_turn_until_its_transaction_ends(app, end):
    """Door phones scanning at once: the next writer gets the turn the moment the last one
    ends (a kernel lock beside the database), not after SQLite's busy handler's next nap."""
    turn = f"{db.engine.url.database}.writers"
    db.session.remove()
    with app.test_request_context("/checkin", method="POST"):  # a write request
        db.session.execute(sa.text("SELECT 1"))  # the transaction begins: BEGIN IMMEDIATE
        assert not _turn_is_free(turn)
        getattr(db.session, end)()
        assert _turn_is_free(turn)
        db.session.remove()
    with app.test_request_context("/checkin", method="GET"):  # reads take no turn
        db.session.execute(sa.text("SELECT 1"))
        assert _turn_is_free(turn)
        db.session.remove()


def test_the_next_writer_gets_the_turn_after_the_commit_not_before_it(app, monkeypatch):
    """SQLAlchemy tells of a commit before it sends it. A turn handed on then made the next
    writer's BEGIN IMMEDIATE meet a write lock still held, and SQLite's busy handler put it to
    sleep: three door phones saw p99 125 ms per scan instead of 11. At the moment the turn is
    handed on, another connection must get the write lock without waiting."""
    import sqlite3

    import forum.db

    seen: list[bool] = []
    end_turn = forum.db._end_turn

    def handing_on(info) -> None:
        if forum.db._TURN_KEY in info:
            other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                seen.append(True)
            except sqlite3.OperationalError:  # "database is locked": the commit was not made yet
                seen.append(False)
            finally:
                other.close()
        end_turn(info)

    monkeypatch.setattr(forum.db, "_end_turn", handing_on)
    db.session.remove()
    with app.test_request_context("/checkin", method="POST"):  # a write request: the turn from its start
        db.session.execute(sa.text("CREATE TABLE door_note (id INTEGER PRIMARY KEY)"))
        db.session.execute(sa.text("INSERT INTO door_note DEFAULT VALUES"))
        db.session.commit()
        db.session.remove()
    assert seen == [True]
    assert db.session.scalar(sa.text("SELECT count(*) FROM door_note")) == 1  # committed once, not lost


def test_a_writer_waiting_for_its_own_turn_is_refused_not_hung(app):
    """The turn is waited for in the kernel, without a deadline. A thread holding it on one
    connection and beginning to write on another would wait for itself forever: it goes without
    the turn and SQLite's busy timeout says "database is locked"."""
    turn = f"{db.engine.url.database}.writers"
    db.session.remove()
    outcome: list[str] = []

    def writer() -> None:  # in a thread of its own, so that a wait for itself fails the test, not hangs it
        with app.test_request_context("/checkin", method="POST"):
            db.session.execute(sa.text("SELECT 1"))  # this connection holds the turn and the write lock
            outcome.append("held" if not _turn_is_free(turn) else "free")
            with db.engine.connect() as other:
                other.connection.dbapi_connection.execute("PRAGMA busy_timeout=0")  # answer at once
                try:
                    other.execute(sa.text("SELECT 1"))  # begins: BEGIN IMMEDIATE, without the turn
                except sa.exc.OperationalError as error:
                    outcome.append(str(error.orig))
            db.session.rollback()
            db.session.remove()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    thread.join(timeout=deadline(10) - time.monotonic())  # a bound for the failure only: it ends at once
    assert not thread.is_alive(), "the thread waits for the turn it holds itself"
    assert outcome == ["held", "database is locked"]
    assert _turn_is_free(turn)


def test_the_door_scan_reads_the_token_and_the_door_before_it_takes_the_writers_turn(app):
    """The check-in API is declared reads_first: its transaction begins as a read (no turn, no
    BEGIN IMMEDIATE), and begin_writing() takes both before the badge's lookup."""
    from forum.db import _expects_writes, begin_writing

    turn = f"{db.engine.url.database}.writers"
    db.session.remove()
    with app.test_request_context("/api/v1/forums/fair-next/checkins", method="POST"):
        assert _expects_writes() is False
        db.session.execute(sa.text("SELECT 1"))  # the token and the door
        assert _turn_is_free(turn)
        begin_writing(db.session)
        assert not _turn_is_free(turn)
        assert db.session.connection().connection.dbapi_connection.in_transaction  # BEGIN IMMEDIATE
        begin_writing(db.session)  # already writing: nothing more
        db.session.rollback()
        assert _turn_is_free(turn)
        db.session.remove()
