"""Configuration, read from FORUM_* environment variables.

Every setting is optional for `make run`: the defaults give an SQLite database and a
generated secret key under `instance/`.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FORUM_INSTANCE_DIR", BASE_DIR / "instance"))


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


class Config:
    SECRET_KEY: str = ""
    SQLALCHEMY_DATABASE_URI: str = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_DIR = _env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    REDIS_URL = _env("REDIS_URL")
    SMTP_HOST = _env("SMTP_HOST", "localhost")
    SMTP_PORT = int(_env("SMTP_PORT", "25"))
    SMTP_USER = _env("SMTP_USER")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_TLS = _env("SMTP_TLS", "0") in ("1", "true", "yes")
    MAIL_FROM = _env("MAIL_FROM", "forum@localhost")
    SMS_BACKEND = _env("SMS_BACKEND", "log")
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Dushanbe"
    LANGUAGES = ("ru", "tg", "en")
    WTF_CSRF_TIME_LIMIT = None  # a form left open all morning at the door must still submit
    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 50
    TESTING = False

    def __init__(self) -> None:
        # Resolved at instantiation so tests and CLI see the environment of the moment.
        self.SECRET_KEY = _secret_key()
        self.SQLALCHEMY_DATABASE_URI = _database_url()


class TestConfig(Config):
    __test__ = False  # not a pytest test class
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None

    def __init__(self, database_url: str = "sqlite://", upload_dir: str | None = None) -> None:
        self.SECRET_KEY = "test-secret"
        self.SQLALCHEMY_DATABASE_URI = database_url
        if upload_dir:
            self.UPLOAD_DIR = upload_dir
