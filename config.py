"""Configuration, read from FORUM_* environment variables.

Every setting is optional for `make run`: the defaults give an SQLite database and a
generated secret key under `instance/`.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FORUM_INSTANCE_DIR", BASE_DIR / "instance"))


@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: None = None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"FORUM_{name}")
    return value if value not in (None, "") else default


def _secret_key() -> str:
    """The key from FORUM_SECRET_KEY, else one generated once into instance/ and kept."""
    key = _env("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    url = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'forum.sqlite3'}")
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str) -> dict:
    """SQLAlchemy engine options for this database. No ping on every checkout: a PostgreSQL
    server may drop idle connections, so forum.db pings one taken from the pool after it sat
    idle (db.IDLE_PING_SECONDS), while one in steady use (the door's) costs no extra round trip
    per request; an SQLite file cannot go away."""
    return {"pool_pre_ping": False}


class Config:
    SECRET_KEY: str = ""
    SQLALCHEMY_DATABASE_URI: str = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_DIR = _env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    REDIS_URL = _env("REDIS_URL")
    SMTP_HOST = _env("SMTP_HOST")  # none: emails are written to files (MAIL_DIR, default instance/mail)
    SMTP_PORT = int(_env("SMTP_PORT", "25"))
    SMTP_USER = _env("SMTP_USER")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_TLS = _env("SMTP_TLS", "0") in ("1", "true", "yes")
    MAIL_FROM = _env("MAIL_FROM", "forum@localhost")
    SMS_BACKEND = _env("SMS_BACKEND", "log")
    KANNEL_URL = _env("KANNEL_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")  # smsbox's sendsms (SMS_BACKEND=kannel)
    KANNEL_USER = _env("KANNEL_USER")
    KANNEL_PASSWORD = _env("KANNEL_PASSWORD")
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # How many reverse proxies stand in front of the app (docs/https.md): their X-Forwarded-For
    # and X-Forwarded-Proto are then believed. 0: none, the headers are ignored.
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Dushanbe"
    LANGUAGES = ("ru", "tg", "en")
    WTF_CSRF_TIME_LIMIT = None  # a form left open all morning at the door must still submit
    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 50
    CLOCK: datetime | None = None  # the real time; tests set a UTC datetime (see forum/clock.py)
    TESTING = False

    def __init__(self) -> None:
        # Resolved at instantiation so tests and CLI see the environment of the moment.
        self.SECRET_KEY = _secret_key()
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)


class TestConfig(Config):
    __test__ = False  # not a pytest test class
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    # The test forums (and the demo's) are held in May 2011: tests run on the morning of
    # 1 May 2011 unless they set another moment (app.config["CLOCK"]).
    CLOCK = datetime(2011, 5, 1, 4, 0, tzinfo=UTC)

    def __init__(self, database_url: str = "sqlite://", upload_dir: str | None = None) -> None:
        self.SECRET_KEY = "test-secret"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(database_url)
        if upload_dir:
            self.UPLOAD_DIR = upload_dir
        # Files checked for an import, kept until imported (forum.people.import_uploads): a test's
        # beside its uploads, never in instance/.
        self.KEPT_IMPORTS_DIR = str(Path(upload_dir).parent / "kept-imports") if upload_dir else tempfile.mkdtemp(
            prefix="forum-kept-")
        # Without an SMTP server emails become files: a test's go beside its uploads, never into instance/.
        self.MAIL_DIR = str(Path(upload_dir).parent / "mail") if upload_dir else tempfile.mkdtemp(prefix="forum-mail-")
