"""Test fixtures: an app on SQLite (and PostgreSQL where marked), clients, a logged-in
user of any role, a live server and a real headless Chromium."""
from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.extensions import db
from tests import factories

PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
CHROMIUM = "/usr/bin/chromium"
# ReportLab reads this when first imported (by the apps made below, not by the imports above):
# the tests check every attribute the charts set, which forum.reports turns off in production.
os.environ.setdefault("RL_shapeChecking", "1")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_dbs: run the test on SQLite and on PostgreSQL")


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_dbs") is not None
        metafunc.parametrize("db_backend", ["sqlite", "postgres"] if both else ["sqlite"])


def pytest_sessionfinish(session, exitstatus):
    """In CI every test must run: a skip there means a missing install step."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("FORUM_REQUIRE_ALL_TESTS") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("FORUM_REQUIRE_ALL_TESTS is set and tests were skipped: failing the run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test gets in its report the logs of the servers it used (e.g. Kannel's boxes)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            logs = getattr(value, "logs_for_report", None)
            if callable(logs):
                report.sections.append((f"{name} logs", logs()))


def _psycopg(url: str) -> sa.engine.URL:
    parsed = sa.engine.make_url(url)
    return parsed.set(drivername="postgresql+psycopg")


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL database of this test process's own, created and dropped around the run."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need FORUM_TEST_DATABASE_URL (CI sets it)")
    import forum.models  # noqa: F401  (the whole schema, also when no app was made before)

    server = _psycopg(PG_URL)
    name = f"forum_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name)
    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(db_backend, tmp_path, request):
    if db_backend == "postgres":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path / 'forum.sqlite3'}"


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """An empty SQLite database with the whole schema, made once; each test copies the file
    (much faster than creating some sixty tables per test)."""
    path = tmp_path_factory.mktemp("schema") / "empty.sqlite3"
    app = create_app(TestConfig(database_url=f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app(db_url, tmp_path, db_backend, request):
    if db_backend == "sqlite":
        import shutil

        shutil.copy(request.getfixturevalue("sqlite_schema"), tmp_path / "forum.sqlite3")
    app = create_app(TestConfig(database_url=db_url, upload_dir=str(tmp_path / "uploads")))
    with app.app_context():
        yield app
        db.session.remove()
        if db_backend == "postgres":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The whole demo (both forums, every feature's part) loaded once per test process into
    an SQLite file; `demo_app` gives each test its own copy."""
    from forum import demo

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "forum.sqlite3"
    app = create_app(TestConfig(database_url=f"sqlite:///{path}", upload_dir=str(folder / "uploads")))
    with app.app_context():
        db.create_all()
        demo.load()
        db.session.remove()
        db.engine.dispose()
    return folder


@pytest.fixture
def demo_app(demo_template, tmp_path):
    """An app on a private copy of the demo database (and its uploaded images)."""
    import shutil

    shutil.copy(demo_template / "forum.sqlite3", tmp_path / "forum.sqlite3")
    if (demo_template / "uploads").exists():
        shutil.copytree(demo_template / "uploads", tmp_path / "uploads")
    app = create_app(TestConfig(database_url=f"sqlite:///{tmp_path / 'forum.sqlite3'}",
                                upload_dir=str(tmp_path / "uploads")))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, role: str = "organizer", email: str | None = None, forums=None):
        user = factories.make_user(role, email=email, forums=forums)
        response = self.client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.data[:500]
        return user

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def forum(app):
    """A published forum with open registration, 5 May 2011 09:00–17:00 in Dushanbe time."""
    return factories.make_forum(slug="isfara-test")


# --- a live server and a real browser, for end-to-end tests -------------------------------

def _serve(app):
    """The app served over HTTP on a free local port, sharing the test's database file."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    yield from _serve(app)


@pytest.fixture
def demo_live_server(demo_app):
    """The same, over a private copy of the whole demo."""
    yield from _serve(demo_app)


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Reports each Content-Security-Policy violation of any page the tab opens to the test.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (e) {
  window.__forumCspViolation(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.documentURI);
});"""


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy in this test."""
    return []


@pytest.fixture
def page(browser, csp_violations):
    """A fresh browser tab the size of a cheap Android phone (360 px wide). Every browser test
    also checks that the pages it opened broke no rule of the Content-Security-Policy."""
    yield from _phone_tab(browser, csp_violations)


@pytest.fixture
def page_without_service_worker(browser, csp_violations):
    """`page` with service workers blocked, for a test that intercepts the door's requests with
    page.route: Playwright does not see the requests a service worker lets through, and the
    door's worker takes control of the page at a moment of its own."""
    yield from _phone_tab(browser, csp_violations, service_workers="block")


def _phone_tab(browser, csp_violations, **options):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU", **options)
    context.expose_binding("__forumCspViolation", lambda source, text: csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.set_default_timeout(10000)
    yield page
    context.close()
    assert not csp_violations, csp_violations
